// Whether the journal is as the engine wrote it (journal_chain.h), and a
// case's journal with its chain for a record kept outside.
#ifndef DISPATCH_AUDIT_H_
#define DISPATCH_AUDIT_H_

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "dispatch/dispatcher.h"
#include "dispatch/store.h"
#include "model/proto/audit.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace dispatch {

// A head kept from an earlier audit or export: the journal's last row then,
// and its link.
struct KeptHead {
  int64_t row = 0;
  std::string link;  // 32 bytes
};

// "ROW:LINK" (the link in hex), as `audit verify` prints a head.
model::Result<KeptHead> ParseKeptHead(std::string_view text);
std::string HeadText(int64_t row, std::string_view link);

// Checks every journal row's link in order; then that each case numbers its
// events without a gap; then that each case's stored state has the events
// its journal has; then, when `head` is given, that the journal still has
// that row with that link. The first fault found is the answer's; rows
// appended while it runs are not looked at. No access rule: for the
// server's start and for AuditJournal. Unavailable when `stop` is requested
// (checked between pages of rows).
model::Result<model::JournalAudit> VerifyJournal(StoreReader& r, model::Instant now,
                                                 const std::optional<KeptHead>& head = {},
                                                 std::stop_token stop = {});

// The same as `actor`: supervisors and admins.
model::Result<model::JournalAudit> AuditJournal(Dispatcher& d, const Actor& actor,
                                                const std::optional<KeptHead>& head);

// A case's journal with every row's link, identity numbers masked, and the
// whole journal's head: supervisors and admins. NotFound for no such case.
model::Result<model::CaseJournal> ExportCaseJournal(Dispatcher& d, const Actor& actor,
                                                    std::string_view number);

// How a link is made, as an export says it.
extern const char kChainInWords[];

}  // namespace dispatch

#endif  // DISPATCH_AUDIT_H_
