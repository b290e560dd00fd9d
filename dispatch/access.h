// Who may do what. Decided here, in the engine, for every surface: the CLI
// and HTTP only say who the actor is.
//
// - A case is worked by its responsible centre: the owner, or the centre
//   that accepted the leg the case is in. Duty officers, coordinators and
//   supervisors there work it.
// - The owner, every centre that holds or held a leg, and a centre asked to
//   take one, read the whole case and its timeline.
// - Notes are written by the case roles of the centres that take part in a
//   case (the readers above, but for supervisors elsewhere).
// - What a case is counted under is said by its owner's or working centre's
//   case roles, and corrected by supervisors anywhere.
// - Supervisors read every case and may assign tasks anywhere.
// - Admins manage users, webhooks and the database, and read everything; they
//   work no cases.
// - Webhook URLs can carry a chat bot's token: only admins see them.
// A case an actor may not read is answered as if it did not exist.
#ifndef DISPATCH_ACCESS_H_
#define DISPATCH_ACCESS_H_

#include <string>
#include <string_view>

#include "model/proto/case.pb.h"
#include "model/proto/directory.pb.h"
#include "model/proto/notification.pb.h"
#include "model/status.h"

namespace dispatch {

// The authenticated person behind a command.
struct Actor {
  std::string user;
  std::string centre;
  std::string role;
  // Signed in with a first password set by an admin: until it is changed,
  // changing it is all this actor may do.
  bool must_change_password = false;

  // "chan_sz (duty_officer, SZ)" for messages.
  std::string Describe() const;
  // "chan_sz（當值主任，SZ）", the same in Traditional Chinese.
  std::string DescribeZh() const;
};

bool CanRead(const Actor& actor, const model::CaseState& c);
// Supervisors and admins read every centre's cases and tasks.
bool SeesEverything(const Actor& actor);
// Whether the actor's centre takes part in `c`: it owns it, works it now,
// holds or held a leg, handed one over, or is asked to take one.
bool TakesPart(const Actor& actor, const model::CaseState& c);
// Whether a task list entry is visible: supervisors and admins see all; others
// the tasks worked at their centre and the tasks of their centre's cases.
bool CanSeeTask(const Actor& actor, const model::TaskView& task);

// OK when `actor` may open a case owned by `centre`.
model::Status CheckCanOpen(const Actor& actor, std::string_view centre);
// OK when `actor` may fire events, do tasks, close or cancel `c`.
model::Status CheckCanWork(const Actor& actor, const model::CaseState& c);
// OK when `actor` may give a task of `c` to someone.
model::Status CheckCanAssign(const Actor& actor, const model::CaseState& c);
// OK when `actor` holds `role`, or is a supervisor (who may do any case work);
// `what` is what is refused ("task SZ-2026-0001-3"), `what_zh` the same in
// Traditional Chinese (`what` when empty).
model::Status CheckHoldsRole(const Actor& actor, std::string_view role, std::string_view what,
                             std::string_view what_zh = {});
// OK when `actor` may add a note to `c`. REQUIRES: CanRead(actor, c).
model::Status CheckCanNote(const Actor& actor, const model::CaseState& c);
// OK when `actor` may say what `c` is counted under in the yearly report:
// the case roles of the centre it is counted for (its owner) or of the
// centre working it now, and supervisors anywhere (who check the counts). A
// centre only asked to take a leg may not. REQUIRES: CanRead(actor, c).
model::Status CheckCanCategorise(const Actor& actor, const model::CaseState& c);
// OK for supervisors: entering earlier records (a past case, an import) adds
// to every centre's counts, which supervisors answer for.
model::Status CheckCanEnterRecords(const Actor& actor);
// OK for admins; `what` is what they would do ("set webhooks"), `what_zh`
// the same in Traditional Chinese (`what` when empty).
model::Status CheckIsAdmin(const Actor& actor, std::string_view what,
                           std::string_view what_zh = {});
// The centre whose counts (contacts, the yearly report) `actor` gets when
// asking for `centre` (empty: every centre): supervisors and admins what they
// ask; others their own centre, and are refused another's.
model::Result<std::string> CountedCentre(const Actor& actor, std::string_view centre);
// OK when `actor` may set `user`'s password: their own (saying the current
// one, when they have one), or anyone's as an admin.
model::Status CheckCanSetPassword(const Actor& actor, std::string_view user);
// OK when `actor` may make or revoke keys for `user`: their own, or an admin.
model::Status CheckCanManageKeys(const Actor& actor, std::string_view user);

// The outbox: supervisors and admins read all of it, coordinators what
// concerns cases they read or is addressed to them or their centre.
model::Status CheckCanReadOutbox(const Actor& actor);
// `c` is the notification's case, when it has one.
bool CanSeeNotification(const Actor& actor, const model::Notification& n,
                        const model::CaseState* c);
// Whether an inbox message is addressed to the actor or the actor's centre.
bool IsAddressedTo(const Actor& actor, const model::InboxItem& item);

// What `actor` may see of a centre and of a notification: a webhook's URL
// only when an admin; others learn whether there is one, and for whom.
model::Centre Visible(const Actor& actor, model::Centre centre);
model::Notification Visible(const Actor& actor, model::Notification n);

}  // namespace dispatch

#endif  // DISPATCH_ACCESS_H_
