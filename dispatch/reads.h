// What can be read, said once. The server's GET /v1/... routes and the
// command line's reads (on a local file, or against a server) all go
// through Read: a read is a path with a query, answered by one message, with
// the Dispatcher's access rules.
//
//   cases                 CaseList       ?status=open|closed|cancelled|all
//                                        &centre=&type=&limit=&after=NUMBER
//                                        &related=NUMBER (opened as related to it)
//                                        (newest first; limit 100, at most 1000);
//                                        &waiting=1: waiting for a booked day,
//                                        soonest first, not paged
//   cases/N               CaseState
//   cases/N/timeline      Timeline       (the journal, and its lines in both languages)
//   cases/N/next          PossibleEvents (each event possible now, with what keeps it back)
//   cases/N/journal       CaseJournal    (its rows with their hash chain, for a record kept
//                                        outside; supervisors)
//   audit                 JournalAudit   ?head=ROW:LINK (the journal's chain checked; supervisors)
//   tasks                 TaskList       ?mine=1&centre=&case=&all=1&limit= (most urgent first)
//   handoffs              HandoffList    ?all=1
//   inbox                 InboxList      ?unread=1&limit= (newest first)
//   outbox                NotificationList ?status=pending|done|dead|all&limit=
//   duty                  ShiftList
//   network               NetworkFigures (supervisors: each centre at a glance)
//   contacts              ContactList    ?centre=&year=&limit=&before=ID (newest first)
//   reports/year/YEAR     YearReport     ?centre=&legal=1&compare=Y1,Y2
//   reports/service/YEAR  ServiceFigures ?centre= (deadlines, handoffs, pauses, from the journal)
//   users                 UserList
//   centres               CentreList
//   keys                  AccessKeyList  ?user=
//   workflows             WorkflowList
//   workflows/NAME        WorkflowDefinition (the newest version)
//   definitions/HASH      WorkflowDefinition (the version a case pinned)
//   categories            CategoryList   (the categories file; nobody need sign in)
#ifndef DISPATCH_READS_H_
#define DISPATCH_READS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "dispatch/dispatcher.h"

namespace dispatch {

struct ReadRequest {
  ReadRequest(std::vector<std::string> p, std::map<std::string, std::string> q = {})
      : path(std::move(p)), query(std::move(q)) {}

  std::vector<std::string> path;  // after /v1/, split at '/'
  std::map<std::string, std::string> query;

  std::string Get(const std::string& name) const;
  bool Flag(const std::string& name) const;  // 1, true or yes
  // "/v1/cases/SZ-2026-0001?status=all", percent-encoded.
  std::string Target() const;
};

// Whether answering needs someone signed in (case types need nobody).
bool NeedsActor(const ReadRequest& request);

// Answers a read as `actor`: NotFound for a path that names nothing (or a
// case the actor may not see), InvalidArgument for a bad query value.
model::Result<std::unique_ptr<google::protobuf::Message>> Read(Dispatcher& d, const Actor& actor,
                                                               const ReadRequest& request);

// Whether the read is of the case types (workflows, workflows/NAME), which
// ReadCatalog answers from the catalog alone, without a database.
bool IsCatalogRead(const ReadRequest& request);
model::Result<std::unique_ptr<google::protobuf::Message>> ReadCatalog(
    const model::WorkflowCatalog& catalog, const ReadRequest& request);

// "%2F" in a path or query back into "/"; "+" into a space.
std::string PercentDecoded(std::string_view s);

}  // namespace dispatch

#endif  // DISPATCH_READS_H_
