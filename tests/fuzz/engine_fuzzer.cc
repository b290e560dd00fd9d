// The engine under a random sequence of commands, as any of the cast, with
// the clock moving (and now and then stepping back). After every step:
//   - an acknowledged command's case reads back as the reply said;
//   - no duration is negative: time paused, and events in a case's journal
//     never go back in time;
//   - the stored case is the fold of its journal.
// At the end, the projections rebuilt from the journal equal the live ones.
#include <google/protobuf/util/message_differencer.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "dispatch/dispatcher.h"
#include "dispatch/engine.h"
#include "dispatch/sqlite_store.h"
#include "dispatch/tick.h"
#include "fuzz_input.h"
#include "notify/deliverer.h"
#include "notify/inbox_channel.h"

namespace {

using google::protobuf::util::MessageDifferencer;

const std::vector<std::string> kUsers = {"chan_sz", "lee_sz", "ho_sz",   "mak_sz", "lin_fj",
                                         "wong_fj", "kwok_fj", "lam_dg", "admin"};
const std::vector<std::string> kCentres = {"SZ", "FJ", "DG", "GZ", "XX"};
const std::vector<std::string> kTypes = {"escort_to_port", "document_verification",
                                         "cross_border_ambulance", "nothing"};
const std::vector<std::string> kRoles = {"", "duty_officer", "coordinator", "supervisor",
                                         "network_coordinator"};

// Names a fuzzer may use for events, fields, pause reasons and field values:
// everything the shipped definitions say, and a few they do not.
struct Vocabulary {
  std::vector<std::string> events{"nonsense"};
  std::vector<std::string> fields{"nonsense"};
  std::vector<std::string> values{"x", "2026-03-09"};
  std::vector<std::string> reasons{"nonsense"};
  std::vector<std::string> tasks{"nonsense"};

  Vocabulary() {
    for (const auto* d : fuzz::ShippedCatalog().LatestOfEach()) {
      for (const auto& f : d->definition.field()) {
        fields.push_back(f.name());
        for (const auto& v : f.one_of()) values.push_back(v);
      }
      for (const auto& r : d->definition.pause_reason()) reasons.push_back(r.name());
      for (const auto& s : d->definition.state()) {
        for (const auto& t : s.transition()) events.push_back(t.on());
        for (const auto& t : s.task()) tasks.push_back(t.name());
      }
    }
  }
};

const Vocabulary& Words() {
  static const Vocabulary* v = new Vocabulary();
  return *v;
}

void CheckCase(dispatch::Store& store, const std::string& number) {
  auto c = store.Read().GetCase(number);
  FUZZ_ASSERT(c.ok() && c->has_value(), "case " + number + " cannot be read");
  for (const auto& [reason, ms] : (*c)->paused_ms()) {
    FUZZ_ASSERT(ms >= 0, "negative time paused for " + reason);
  }
  auto events = store.Read().Timeline(number);
  FUZZ_ASSERT(events.ok() && !events->empty(), "no journal for " + number);
  for (size_t i = 1; i < events->size(); ++i) {
    FUZZ_ASSERT(model::FromProto((*events)[i].at()) >= model::FromProto((*events)[i - 1].at()),
                "the journal of " + number + " goes back in time");
    FUZZ_ASSERT((*events)[i].seq() == (*events)[i - 1].seq() + 1, "a gap in the journal");
  }
  const model::CaseState folded = dispatch::Fold(*events);
  FUZZ_ASSERT(MessageDifferencer::Equals(folded, **c),
              "case " + number + " is not the fold of its journal");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  model::WorkflowCatalog& catalog = fuzz::ShippedCatalog();
  const Vocabulary& words = Words();
  fuzz::Input in(data, size);

  auto opened = dispatch::SqliteStore::Open(":memory:", dispatch::SqliteStore::Mode::kCreate);
  FUZZ_ASSERT(opened.ok(), opened.status().ToString());
  dispatch::SqliteStore& store = **opened;
  model::FakeClock clock(*model::ParseTimestamp("2026-03-02T09:00+08:00"));
  dispatch::Dispatcher d(store, catalog, clock);
  FUZZ_ASSERT(d.Initialize("admin").ok(), "init");
  const struct {
    const char* name;
    const char* centre;
    const char* role;
  } cast[] = {{"chan_sz", "SZ", "duty_officer"}, {"lee_sz", "SZ", "duty_officer"},
              {"ho_sz", "SZ", "supervisor"},     {"mak_sz", "SZ", "coordinator"},
              {"lin_fj", "FJ", "duty_officer"},  {"wong_fj", "FJ", "coordinator"},
              {"kwok_fj", "FJ", "supervisor"},   {"lam_dg", "DG", "duty_officer"}};
  for (const auto& u : cast) {
    model::Command c;
    c.mutable_add_user()->set_name(u.name);
    c.mutable_add_user()->set_centre(u.centre);
    c.mutable_add_user()->set_role(u.role);
    FUZZ_ASSERT(d.Execute(c, "admin").ok(), "add user");
  }
  notify::InboxChannel inbox(store.inbox(), clock);
  notify::Deliverer deliverer(store.outbox(), clock, notify::RetryPolicy(), [] { return 0.5; });
  deliverer.AddChannel(notify::kInbox, &inbox);

  std::vector<std::string> cases{"SZ-2026-0099"};
  for (int step = 0; step < 60 && !in.empty(); ++step) {
    const std::string actor = in.Pick(kUsers);
    const std::string number = in.Pick(cases);
    model::Command c;
    switch (in.Int(0, 25)) {
      case 0: {
        auto* o = c.mutable_open_case();
        o->set_type(in.Pick(kTypes));
        o->set_centre(in.Pick(kCentres));
        o->mutable_person()->set_name_en(in.Bool() ? "CHAN Tai Man" : "");
        if (in.Bool()) o->mutable_person()->set_hkid(in.Bool() ? "A123456(3)" : "A123456(4)");
        (*o->mutable_fields())["requested_by"] = "bureau";
        (*o->mutable_fields())["hospital"] = "ward 5";
        if (in.Bool()) (*o->mutable_fields())[in.Pick(words.fields)] = in.Pick(words.values);
        break;
      }
      case 1: {
        auto* f = c.mutable_fire_event();
        f->set_case_number(number);
        f->set_event(in.Pick(words.events));
        for (int i = in.Int(0, 4); i > 0; --i) {
          (*f->mutable_fields())[in.Pick(words.fields)] = in.Pick(words.values);
        }
        break;
      }
      case 2:
        c.mutable_assign_task()->set_case_number(number);
        c.mutable_assign_task()->mutable_task()->set_seq(in.Int(0, 8));
        c.mutable_assign_task()->set_assignee(in.Pick(kUsers));
        break;
      case 3:
        c.mutable_complete_task()->set_case_number(number);
        if (in.Bool()) {
          c.mutable_complete_task()->mutable_task()->set_seq(in.Int(-1, 8));
        } else {
          c.mutable_complete_task()->mutable_task()->set_name(in.Pick(words.tasks));
        }
        break;
      case 4:
        c.mutable_add_note()->set_case_number(number);
        c.mutable_add_note()->set_text(in.Bytes(8));
        break;
      case 5:
        c.mutable_close_case()->set_case_number(number);
        c.mutable_close_case()->set_reason(in.Bool() ? "home" : "");
        break;
      case 6:
        c.mutable_cancel_case()->set_case_number(number);
        c.mutable_cancel_case()->set_reason("withdrawn");
        break;
      case 7:
        c.mutable_pause_case()->set_case_number(number);
        c.mutable_pause_case()->set_reason(in.Pick(words.reasons));
        c.mutable_pause_case()->set_task(in.Int(-1, 6));
        break;
      case 8:
        c.mutable_resume_case()->set_case_number(number);
        break;
      case 9:
        c.mutable_request_handoff()->set_case_number(number);
        c.mutable_request_handoff()->set_to_centre(in.Pick(kCentres));
        c.mutable_request_handoff()->set_message("escort at the port");
        break;
      case 10:
        c.mutable_accept_handoff()->set_case_number(number);
        c.mutable_accept_handoff()->set_handoff(in.Int(0, 3));
        break;
      case 11:
        c.mutable_decline_handoff()->set_case_number(number);
        c.mutable_decline_handoff()->set_handoff(in.Int(0, 3));
        c.mutable_decline_handoff()->set_reason("no staff");
        break;
      case 12:
        c.mutable_duty_on()->set_user(in.Bool() ? "" : in.Pick(kUsers));
        c.mutable_duty_on()->set_role(in.Pick(kRoles));
        break;
      case 13:
        c.mutable_duty_off()->set_user(in.Bool() ? "" : in.Pick(kUsers));
        break;
      case 14:
        c.mutable_release_tasks()->set_case_number(number);
        c.mutable_release_tasks()->set_user(in.Pick(kUsers));
        break;
      case 15:
        c.mutable_mark_read()->set_inbox_item(in.Int(0, 20));
        break;
      case 16: {
        // The clock moves on, mostly forward; now and then it steps back.
        const int64_t minutes = in.Int(-180, 6 * 24 * 60);
        clock.Advance(std::chrono::minutes(minutes));
        auto tick = dispatch::Tick(d, deliverer);
        FUZZ_ASSERT(tick.ok(), tick.status().ToString());
        continue;
      }
      case 18: {
        auto* f = c.mutable_set_fields();
        f->set_case_number(number);
        for (int i = in.Int(0, 3); i > 0; --i) {
          (*f->mutable_fields())[in.Pick(words.fields)] = in.Pick(words.values);
        }
        if (in.Bool()) f->add_clear(in.Pick(words.fields));
        if (in.Bool()) f->set_reason("postponed");
        break;
      }
      case 19: {
        auto* n = c.mutable_mark_not_applicable();
        n->set_case_number(number);
        if (in.Bool()) {
          n->mutable_task()->set_seq(in.Int(0, 12));
        } else {
          n->mutable_task()->set_name(in.Pick(words.tasks));
        }
        if (in.Bool()) n->set_reason("not needed");
        break;
      }
      case 20: {
        auto* p = c.mutable_add_person();
        p->set_case_number(number);
        p->mutable_person()->set_name_zh(in.Bool() ? "何志強" : "");
        if (in.Bool()) p->mutable_person()->set_hkid(in.Bool() ? "B1234566" : "A123456(3)");
        if (in.Bool()) p->set_relationship("husband");
        break;
      }
      case 21: {
        auto* k = c.mutable_record_contact();
        k->set_case_number(number);
        if (in.Bool()) k->set_party("Zhangmutou Hospital");
        k->set_channel(in.Bool() ? "phone" : "fax");
        if (in.Bool()) k->set_said("fit to travel");
        if (in.Bool()) *k->mutable_at() = model::ToProto(clock.Now() + std::chrono::minutes(in.Int(-600, 60)));
        break;
      }
      case 22: {
        auto* p = c.mutable_correct_person();
        p->set_case_number(number);
        p->set_id(in.Int(0, 3));
        if (in.Bool()) p->mutable_person()->set_hkid(in.Bool() ? "B1234566" : "A123456(4)");
        if (in.Bool()) p->mutable_person()->set_phone(in.Bool() ? "+852 5550 0101" : "call me");
        if (in.Bool()) p->set_relationship("son");
        if (in.Bool()) p->set_reason("corrected");
        break;
      }
      case 23: {
        auto* k = c.mutable_set_caller();
        k->set_case_number(number);
        if (in.Bool()) k->mutable_caller()->set_name("Mr Lau");
        if (in.Bool()) k->mutable_caller()->set_phone(in.Bool() ? "+86 138 0000 0000" : "x");
        if (in.Bool()) k->set_reason("a neighbour, not the landlord");
        break;
      }
      case 24: {
        auto* k = c.mutable_set_category();
        k->set_case_number(number);
        k->set_category(in.Bool() ? "medical" : in.Pick(words.values));
        k->set_legal_advice(in.Bool());
        if (in.Bool()) k->set_reason("the question was the hospital's bill");
        break;
      }
      case 25: {
        auto* k = c.mutable_log_contact();
        k->set_centre(in.Bool() ? "" : in.Pick(kCentres));
        k->set_channel(static_cast<model::Channel>(in.Int(0, 4)));
        k->set_category(in.Bool() ? "identity_documents" : in.Pick(words.values));
        k->set_legal_advice(in.Bool());
        if (in.Bool()) k->set_case_number(number);
        break;
      }
      default:
        c.mutable_fire_deadline()->set_case_number(number);
        c.mutable_fire_deadline()->set_key(in.Bool() ? "case" : "state");
        c.mutable_fire_deadline()->set_generation(in.Int(0, 5));
        break;
    }
    if (in.Bool()) c.set_idempotency_key("k" + std::to_string(in.Int(0, 3)));
    std::optional<model::CaseState> before;
    if (c.has_resume_case()) {
      auto b = store.Read().GetCase(number);
      if (b.ok() && b->has_value()) before = **b;
    }
    auto reply = d.Execute(c, actor);
    if (!reply.ok()) {
      FUZZ_ASSERT(reply.status().code() != model::Code::kInternal &&
                      reply.status().code() != model::Code::kDataLoss,
                  reply.status().ToString());
      continue;
    }
    if (!reply->has_case_state() || reply->case_state().number().empty()) continue;
    const model::CaseState& after = reply->case_state();
    if (c.has_open_case() && !reply->replayed()) cases.push_back(after.number());
    auto stored = store.Read().GetCase(after.number());
    FUZZ_ASSERT(stored.ok() && stored->has_value(), "acknowledged, then not readable");
    if (!reply->replayed()) {
      FUZZ_ASSERT(MessageDifferencer::Equals(**stored, after),
                  "the stored case is not what the reply said");
    }
    CheckCase(store, after.number());
    // Resuming never moves a due time earlier, whatever the clock did.
    if (before && !reply->replayed()) {
      for (const model::Timer& was : before->timer()) {
        for (const model::Timer& now : after.timer()) {
          if (now.key() == was.key()) {
            FUZZ_ASSERT(model::FromProto(now.due_at()) >= model::FromProto(was.due_at()),
                        "resuming moved " + was.key() + " earlier");
          }
        }
      }
    }
  }

  // The projections rebuilt from the journal alone are the live ones:
  // cases, tasks, timers and handoffs.
  const model::Instant far = clock.Now() + std::chrono::days(3650);
  auto timers = [&] {
    auto due = store.Read().DueTimers(far, 1000000);
    FUZZ_ASSERT(due.ok(), due.status().ToString());
    std::vector<std::string> out;
    for (const auto& t : *due) out.push_back(t.case_number + " " + t.key + " " + std::to_string(t.generation));
    return out;
  };
  auto handoffs = [&] {
    auto h = store.Read().ListHandoffs({"", false});
    FUZZ_ASSERT(h.ok(), h.status().ToString());
    std::vector<std::string> out;
    for (const auto& v : *h) out.push_back(v.SerializeAsString());
    return out;
  };
  const auto live_timers = timers();
  const auto live_handoffs = handoffs();
  auto live = store.Read().ListCases({});
  FUZZ_ASSERT(live.ok(), live.status().ToString());
  auto live_tasks = store.Read().ListTasks(dispatch::AnyTask());
  FUZZ_ASSERT(live_tasks.ok(), live_tasks.status().ToString());
  auto rebuilt = store.RebuildProjections();
  FUZZ_ASSERT(rebuilt.ok() && rebuilt->damaged.empty(), "rebuild");
  auto again = store.Read().ListCases({});
  auto again_tasks = store.Read().ListTasks(dispatch::AnyTask());
  FUZZ_ASSERT(again.ok() && again->size() == live->size(), "rebuild lost cases");
  FUZZ_ASSERT(again_tasks.ok() && again_tasks->size() == live_tasks->size(), "rebuild lost tasks");
  for (size_t i = 0; i < live->size(); ++i) {
    FUZZ_ASSERT(MessageDifferencer::Equals((*live)[i], (*again)[i]), "rebuilt case differs");
  }
  for (size_t i = 0; i < live_tasks->size(); ++i) {
    FUZZ_ASSERT(MessageDifferencer::Equals((*live_tasks)[i], (*again_tasks)[i]),
                "rebuilt task differs");
  }
  FUZZ_ASSERT(timers() == live_timers, "rebuilt timers differ");
  FUZZ_ASSERT(handoffs() == live_handoffs, "rebuilt handoffs differ");
  return 0;
}
