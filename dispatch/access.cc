#include "dispatch/access.h"

#include "dispatch/describe.h"
#include "model/roles.h"
#include "notify/notifications.h"

namespace dispatch {

using model::Status;

std::string Actor::Describe() const { return user + " (" + role + ", " + centre + ")"; }

std::string Actor::DescribeZh() const {
  return user + "（" + RoleName(role, model::Lang::kZhHant) + "，" + centre + "）";
}

namespace {

const std::string& Responsible(const model::CaseState& c) {
  return c.responsible_centre().empty() ? c.centre() : c.responsible_centre();
}

}  // namespace

bool SeesEverything(const Actor& actor) {
  return actor.role == model::kSupervisor || actor.role == model::kAdmin;
}

bool CanRead(const Actor& actor, const model::CaseState& c) {
  return SeesEverything(actor) || TakesPart(actor, c);
}

bool TakesPart(const Actor& actor, const model::CaseState& c) {
  if (actor.centre == c.centre() || actor.centre == Responsible(c)) return true;
  for (const auto& h : c.handoff()) {
    if (h.from_centre() == actor.centre) return true;
    if (h.to_centre() == actor.centre &&
        (h.status() == model::HANDOFF_PENDING || h.status() == model::HANDOFF_ACCEPTED)) {
      return true;
    }
  }
  return false;
}

bool CanSeeTask(const Actor& actor, const model::TaskView& task) {
  if (SeesEverything(actor)) return true;
  return task.task().centre() == actor.centre || task.centre() == actor.centre;
}

Status CheckCanOpen(const Actor& actor, std::string_view centre) {
  if (!model::IsCaseRole(actor.role)) {
    return Status::PermissionDenied(
        actor.Describe() + " works no cases; ask a duty officer to open it",
        actor.DescribeZh() + "不處理個案；請當值主任開案");
  }
  if (actor.centre != centre && actor.role != model::kSupervisor) {
    const std::string other(centre);
    return Status::PermissionDenied(
        actor.Describe() + " cannot open a case for centre " + other + "; open it at " +
            actor.centre + " or ask " + other + " to open it",
        actor.DescribeZh() + "不能為中心 " + other + " 開案；請在 " + actor.centre + " 開案，或請 " +
            other + " 開案");
  }
  return Status::Ok();
}

Status CheckCanWork(const Actor& actor, const model::CaseState& c) {
  if (!model::IsCaseRole(actor.role)) {
    return Status::PermissionDenied(actor.Describe() + " works no cases",
                                    actor.DescribeZh() + "不處理個案");
  }
  if (actor.centre != Responsible(c)) {
    return Status::PermissionDenied(
        actor.Describe() + " cannot act on " + c.number() + ", which is worked by centre " +
            Responsible(c) + " now; ask " + Responsible(c) + "'s duty officer",
        actor.DescribeZh() + "不能處理個案 " + c.number() + "：現由中心 " + Responsible(c) +
            " 跟進；請聯絡 " + Responsible(c) + " 的當值主任");
  }
  return Status::Ok();
}

Status CheckCanAssign(const Actor& actor, const model::CaseState& c) {
  if (actor.role == model::kSupervisor) return Status::Ok();
  return CheckCanWork(actor, c);
}

Status CheckHoldsRole(const Actor& actor, std::string_view role, std::string_view what,
                      std::string_view what_zh) {
  if (actor.role == role || actor.role == model::kSupervisor) return Status::Ok();
  return Status::PermissionDenied(
      std::string(what) + " is for a " + std::string(role) + "; " + actor.Describe() +
          " cannot do it",
      std::string(what_zh.empty() ? what : what_zh) + "須由" + RoleName(role, model::Lang::kZhHant) + "處理；" +
          actor.DescribeZh() + "不能處理");
}

Status CheckCanNote(const Actor& actor, const model::CaseState& c) {
  if (model::IsCaseRole(actor.role) && TakesPart(actor, c)) return Status::Ok();
  return Status::PermissionDenied(
      actor.Describe() + " may read " + c.number() +
          " but not write on it; notes come from the centres working it",
      actor.DescribeZh() + "可閱覽個案 " + c.number() + "，但不能在上面記錄；記錄由跟進個案的中心填寫");
}

Status CheckCanCategorise(const Actor& actor, const model::CaseState& c) {
  if (actor.role == model::kSupervisor) return Status::Ok();
  if (model::IsCaseRole(actor.role) &&
      (actor.centre == c.centre() || actor.centre == Responsible(c))) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      actor.Describe() + " cannot say what " + c.number() + " is counted under; it is " +
          c.centre() + "'s to count: its officers, the centre working it, or a supervisor can",
      actor.DescribeZh() + "不能更改個案 " + c.number() + " 的統計類別；該個案由中心 " +
          c.centre() + " 統計，請由該中心、正在跟進的中心的人員或主管更改");
}

Status CheckCanEnterRecords(const Actor& actor) {
  if (actor.role == model::kSupervisor) return Status::Ok();
  return Status::PermissionDenied(
      actor.Describe() + " cannot enter earlier records; they add to the yearly counts, so a "
                         "supervisor enters them",
      actor.DescribeZh() + "不能輸入過往紀錄；過往紀錄會計入年度統計，須由主管輸入");
}

Status CheckIsAdmin(const Actor& actor, std::string_view what, std::string_view what_zh) {
  if (actor.role == model::kAdmin) return Status::Ok();
  return Status::PermissionDenied(
      actor.Describe() + " cannot " + std::string(what) + "; ask an admin",
      actor.DescribeZh() + "不能" + std::string(what_zh.empty() ? what : what_zh) +
          "；請聯絡系統管理員");
}

model::Result<std::string> CountedCentre(const Actor& actor, std::string_view centre) {
  if (SeesEverything(actor)) return std::string(centre);
  if (!centre.empty() && centre != actor.centre) {
    return Status::PermissionDenied(
        actor.Describe() + " reads " + actor.centre + "'s counts only; supervisors read every centre's",
        actor.DescribeZh() + "只可查看 " + actor.centre + " 的紀錄及報告；主管可查看各中心及整個網絡的");
  }
  return actor.centre;
}

Status CheckCanSetPassword(const Actor& actor, std::string_view user) {
  if (actor.user == user || actor.role == model::kAdmin) return Status::Ok();
  return Status::PermissionDenied(
      actor.Describe() + " cannot set " + std::string(user) + "'s password; an admin can",
      actor.DescribeZh() + "不能設定 " + std::string(user) + " 的密碼；系統管理員可以");
}

Status CheckCanManageKeys(const Actor& actor, std::string_view user) {
  if (actor.user == user || actor.role == model::kAdmin) return Status::Ok();
  return Status::PermissionDenied(
      actor.Describe() + " cannot manage " + std::string(user) + "'s tokens; an admin can",
      actor.DescribeZh() + "不能管理 " + std::string(user) + " 的存取權杖；系統管理員可以");
}

Status CheckCanReadOutbox(const Actor& actor) {
  if (actor.role == model::kSupervisor || actor.role == model::kCoordinator ||
      actor.role == model::kAdmin) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      actor.Describe() + " cannot read the outbox; supervisors and coordinators can",
      actor.DescribeZh() + "不能查看外發通知；主管及協調主任可以");
}

bool CanSeeNotification(const Actor& actor, const model::Notification& n,
                        const model::CaseState* c) {
  if (actor.role == model::kSupervisor || actor.role == model::kAdmin) return true;
  if (actor.role != model::kCoordinator) return false;
  if (c != nullptr && CanRead(actor, *c)) return true;
  return notify::CentreOf(n) == actor.centre || n.address() == "user:" + actor.user;
}

bool IsAddressedTo(const Actor& actor, const model::InboxItem& item) {
  return item.recipient() == "user:" + actor.user || item.recipient() == "centre:" + actor.centre;
}

model::Centre Visible(const Actor& actor, model::Centre centre) {
  centre.set_has_webhook(!centre.webhook_url().empty());
  if (actor.role != model::kAdmin) centre.clear_webhook_url();
  return centre;
}

model::Notification Visible(const Actor& actor, model::Notification n) {
  // Notifications written before webhooks were looked up when sent carry
  // the URL itself.
  if (actor.role != model::kAdmin && n.channel() == notify::kWebhook &&
      n.address().rfind("centre:", 0) != 0) {
    n.set_address("centre:" + notify::CentreOf(n));
  }
  return n;
}

}  // namespace dispatch
