// How cases, tasks, timelines and workflows read on a terminal, in
// Traditional Chinese or English, and as JSON (protobuf's JSON mapping).
#ifndef CLI_RENDER_H_
#define CLI_RENDER_H_

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "dispatch/describe.h"
#include "dispatch/dispatcher.h"
#include "model/labels.h"
#include "model/proto/audit.pb.h"
#include "model/proto/case.pb.h"
#include "model/proto/directory.pb.h"
#include "model/proto/event.pb.h"
#include "model/proto/notification.pb.h"
#include "model/proto/report.pb.h"
#include "model/time.h"

namespace cli {

using dispatch::DefinitionSource;
using dispatch::Labels;
using dispatch::PersonName;
using dispatch::Pick;
using dispatch::RoleName;

// Writes protobuf JSON, field names as in the .proto files, indented. A
// message JSON cannot carry (a time past year 9999) is an error, not "{}".
model::Status WriteJson(std::ostream& out, const google::protobuf::Message& m);

// Protobuf's repeated field as a vector, for the printers.
template <class T>
std::vector<T> Vec(const google::protobuf::RepeatedPtrField<T>& r) {
  return {r.begin(), r.end()};
}

// `waiting`: the cases waiting for a booked day, with the time each moves on.
void PrintCaseList(std::ostream& out, const std::vector<model::CaseState>& cases, Labels& labels,
                   bool waiting = false);
// `related_here`: the cases opened as related to this one.
void PrintCase(std::ostream& out, const model::CaseState& c, Labels& labels, model::Instant now,
               const std::vector<std::string>& related_here = {});
// Tasks across cases, most urgent first; overdue ones marked against `now`.
void PrintTaskList(std::ostream& out, const std::vector<model::TaskView>& tasks, Labels& labels,
                   model::Instant now);
void PrintTimeline(std::ostream& out, const model::CaseState& c,
                   const std::vector<model::Event>& events, Labels& labels);
void PrintUsers(std::ostream& out, const std::vector<model::User>& users, model::Lang lang);
void PrintCentres(std::ostream& out, const std::vector<model::Centre>& centres, model::Lang lang);
void PrintWorkflowList(std::ostream& out, const model::WorkflowList& list, model::Lang lang);
void PrintWorkflow(std::ostream& out, const model::WorkflowDefinition& def, model::Lang lang);
// One line on what a command did: state change, tasks created, assignment.
void PrintReply(std::ostream& out, const model::CommandReply& reply, Labels& labels);
void PrintHandoffs(std::ostream& out, const std::vector<model::HandoffView>& handoffs,
                   model::Lang lang);
void PrintInbox(std::ostream& out, const std::vector<model::InboxItem>& items, model::Lang lang);
void PrintOutbox(std::ostream& out, const std::vector<model::Notification>& items,
                 model::Lang lang);
void PrintShifts(std::ostream& out, const std::vector<model::Shift>& shifts, model::Lang lang);
void PrintKeys(std::ostream& out, const std::vector<model::AccessKey>& keys, model::Lang lang);
// The yearly report: totals with year-on-year, the top categories of
// contacts and of cases (the rest summed on one line), by centre, by month,
// the legal-advice part, and how the figures are rounded.
void PrintYearReport(std::ostream& out, const model::YearReport& r, model::Lang lang);
// The service figures: deadlines by centre, type and stage with the share
// missed; time to accept handoffs; time paused by reason; cases past their
// whole-case deadline.
void PrintServiceFigures(std::ostream& out, const model::ServiceFigures& f, model::Lang lang);
// What `audit verify` found: the rows checked and the head to keep, or the
// first fault.
void PrintJournalAudit(std::ostream& out, const model::JournalAudit& a, model::Lang lang);
// The categories by group, with codes (what --category takes); retired ones marked.
void PrintCategories(std::ostream& out, const model::CategoryList& list, model::Lang lang);
// Contacts logged, with their categories' labels from `categories`.
void PrintContacts(std::ostream& out, const std::vector<model::Contact>& contacts,
                   const model::CategoryList& categories, model::Lang lang);

}  // namespace cli

#endif  // CLI_RENDER_H_
