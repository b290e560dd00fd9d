#include "notify/notifications.h"

#include <google/protobuf/util/json_util.h>

#include "model/hkid.h"
#include "model/person_validation.h"
#include "model/time.h"
#include "model/workflow_loader.h"

namespace notify {

namespace {

using model::Label;

Label Text(std::string en, std::string zh) {
  Label l;
  l.set_en(std::move(en));
  l.set_zh_hant(std::move(zh));
  return l;
}

std::string Name(const model::Person& p, bool zh) {
  const std::string& first = zh ? p.name_zh() : p.name_en();
  return first.empty() ? (zh ? p.name_en() : p.name_zh()) : first;
}

std::string When(const google::protobuf::Timestamp& ts) {
  return model::FormatHongKong(model::FromProto(ts));
}

const model::Handoff* FindHandoff(const model::CaseState& c, int id) {
  for (const auto& h : c.handoff()) {
    if (h.id() == id) return &h;
  }
  return nullptr;
}

Label LegLabel(const model::WorkflowDefinition& def, const std::string& leg) {
  const model::Leg* l = model::FindLeg(def, leg);
  return l ? l->label() : Text(leg, leg);
}

// One event's notifications in the making.
class Builder {
 public:
  Builder(const model::CaseState& c, const model::Event& e,
          const std::map<std::string, std::string>& webhooks)
      : c_(c), e_(e), webhooks_(webhooks) {}

  void Inbox(const std::string& address) {
    constexpr std::string_view kCentre = "centre:";
    Add(kInbox, address, address,
        address.rfind(kCentre, 0) == 0 ? address.substr(kCentre.size()) : "");
  }

  // The URL is looked up when it is sent, so that a webhook an admin changed
  // or removed (a leaked bot token) is never used again.
  void Webhook(const std::string& centre) {
    auto it = webhooks_.find(centre);
    if (it == webhooks_.end() || it->second.empty()) return;
    Add(kWebhook, "centre:" + centre, "webhook:" + centre, centre);
  }

  void Set(std::string kind, Label title) {
    kind_ = std::move(kind);
    title_ = std::move(title);
  }

  std::vector<model::Notification> Take() { return std::move(out_); }

 private:
  void Add(const char* channel, const std::string& address, const std::string& key_part,
           const std::string& centre) {
    model::Notification n;
    n.set_centre(centre);
    n.set_kind(kind_);
    n.set_case_number(c_.number());
    n.set_event_seq(e_.seq());
    n.set_channel(channel);
    n.set_address(address);
    *n.mutable_title() = title_;
    n.set_idempotency_key(c_.number() + ":" + std::to_string(e_.seq()) + ":" + key_part);
    n.set_status(model::DELIVERY_PENDING);
    *n.mutable_created_at() = e_.at();
    *n.mutable_next_attempt_at() = e_.at();
    if (std::string(channel) == kWebhook) n.set_body(Payload(n));
    out_.push_back(std::move(n));
  }

  std::string Payload(const model::Notification& n) const {
    model::WebhookPayload p;
    p.set_idempotency_key(n.idempotency_key());
    p.set_kind(n.kind());
    p.set_case_number(c_.number());
    p.set_case_type(c_.type());
    p.set_centre(c_.responsible_centre().empty() ? c_.centre() : c_.responsible_centre());
    p.set_state(c_.state());
    *p.mutable_title() = n.title();
    *p.mutable_person() = model::MaskedPerson(c_.person());
    *p.mutable_at() = e_.at();
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(p, &json, options).ok()) return "{}";
    // Titles repeat what officers typed (a handoff's message, a reason, a
    // name): an identity number in them leaves masked too.
    return model::MaskHkidsIn(json);
  }

  const model::CaseState& c_;
  const model::Event& e_;
  const std::map<std::string, std::string>& webhooks_;
  std::string kind_;
  Label title_;
  std::vector<model::Notification> out_;
};

}  // namespace

namespace {

void HandoffRequested(Builder& b, const model::CaseState& c, const model::Handoff& h,
                      const model::WorkflowDefinition& def) {
  const Label leg = LegLabel(def, h.leg());
  const std::string& number = c.number();
  const std::string id = number + "/H" + std::to_string(h.id());
  b.Set("handoff_requested",
        Text(h.from_centre() + " asks " + h.to_centre() + " to take " + leg.en() + " of " + number +
                 " (" + Name(c.person(), false) + "): " + h.message() + ". Accept or decline " + id,
             h.from_centre() + " 請 " + h.to_centre() + " 接手 " + number + "（" +
                 Name(c.person(), true) + "）的" + leg.zh_hant() + "：" + h.message() +
                 "。請接受或拒絕 " + id));
  b.Inbox("centre:" + h.to_centre());
  b.Webhook(h.to_centre());
}

// Accepted, declined or withdrawn: `h` is the handoff as it is now.
void HandoffDecided(Builder& b, const model::CaseState& c, const model::Handoff& h,
                    const model::WorkflowDefinition& def) {
  const Label leg = LegLabel(def, h.leg());
  const std::string& number = c.number();
  const std::string en = Name(c.person(), false), zh = Name(c.person(), true);
  if (h.status() == model::HANDOFF_WITHDRAWN) {
    b.Set("handoff_withdrawn",
          Text(h.from_centre() + " withdrew its request for " + leg.en() + " of " + number + ": " +
                   h.reason(),
               h.from_centre() + " 已撤回 " + number + " 的" + leg.zh_hant() + "交接請求：" +
                   h.reason()));
    b.Inbox("centre:" + h.to_centre());
    b.Webhook(h.to_centre());
    return;
  }
  if (h.status() == model::HANDOFF_ACCEPTED) {
    b.Set("handoff_accepted",
          Text(h.to_centre() + " accepted " + leg.en() + " of " + number + " (" + en + ")",
               h.to_centre() + " 已接手 " + number + "（" + zh + "）的" + leg.zh_hant()));
  } else {
    b.Set("handoff_declined",
          Text(h.to_centre() + " declined " + leg.en() + " of " + number + " (" + en + "): " +
                   h.reason() + ". " + h.from_centre() + " decides again",
               h.to_centre() + " 拒絕接手 " + number + "（" + zh + "）的" + leg.zh_hant() + "：" +
                   h.reason() + "。請 " + h.from_centre() + " 另作安排"));
  }
  b.Inbox("centre:" + h.from_centre());
  b.Inbox("user:" + h.requested_by());
  b.Webhook(h.from_centre());
}

void Escalated(Builder& b, const model::CaseState& c, const model::Escalated& x) {
  const std::string& number = c.number();
  const std::string en = Name(c.person(), false), zh = Name(c.person(), true);
  if (x.level() == 1) {
    b.Set("deadline_breached",
          Text("Deadline missed on " + number + " (" + en + "): " + x.what() + " was due " +
                   When(x.due_at()),
               number + "（" + zh + "）逾期：" + x.what() + "，限期 " + When(x.due_at())));
  } else {
    b.Set("escalated",
          Text("Still overdue on " + number + " (" + en + "): " + x.what() + " was due " +
                   When(x.due_at()) + " (escalation " + std::to_string(x.level()) + ")",
               number + "（" + zh + "）仍然逾期：" + x.what() + "，限期 " + When(x.due_at()) +
                   "（第 " + std::to_string(x.level()) + " 次上報）"));
  }
  for (const auto& r : x.recipients()) b.Inbox(r);
  b.Webhook(x.centre());
}

void TaskUnheld(Builder& b, const model::CaseState& c, const model::TaskUnheld& u) {
  Label task;
  for (const auto& t : c.task()) {
    if (t.seq() == u.seq()) task = t.label();
  }
  const std::string id = c.number() + "/" + std::to_string(u.seq());
  b.Set("task_unheld",
        Text("Nobody on duty at " + u.centre() + " can take task " + id + " (" + task.en() +
                 ", " + Name(c.person(), false) + "); assign it: dispatch task assign " + id +
                 " USER",
             u.centre() + " 沒有當值人員可接手工作 " + id + "（" + task.zh_hant() + "，" +
                 Name(c.person(), true) + "）；請指派"));
  for (const auto& r : u.recipients()) b.Inbox(r);
  b.Webhook(u.centre());
}

}  // namespace

std::string CentreOf(const model::Notification& n) {
  if (!n.centre().empty()) return n.centre();
  for (std::string_view marker : {"centre:", "webhook:"}) {
    for (const std::string* text : {&n.address(), &n.idempotency_key()}) {
      const auto at = text->rfind(marker);
      if (at != std::string::npos) return text->substr(at + marker.size());
    }
  }
  return "";
}

std::vector<model::Notification> NotificationsFor(const model::CaseState& c,
                                                  const model::Event& e,
                                                  const model::WorkflowDefinition& def,
                                                  const std::map<std::string, std::string>& webhooks) {
  Builder b(c, e, webhooks);
  if (e.has_handoff_requested()) {
    HandoffRequested(b, c, e.handoff_requested().handoff(), def);
  } else if (e.has_handoff_accepted() || e.has_handoff_declined() || e.has_handoff_withdrawn()) {
    const int id = e.has_handoff_accepted()   ? e.handoff_accepted().id()
                   : e.has_handoff_declined() ? e.handoff_declined().id()
                                              : e.handoff_withdrawn().id();
    if (const model::Handoff* h = FindHandoff(c, id)) HandoffDecided(b, c, *h, def);
  } else if (e.has_escalated()) {
    Escalated(b, c, e.escalated());
  } else if (e.has_task_unheld()) {
    TaskUnheld(b, c, e.task_unheld());
  }
  return b.Take();
}

}  // namespace notify
