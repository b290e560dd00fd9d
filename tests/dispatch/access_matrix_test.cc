// Who may do what, as one table: every command and every read, for each role
// at the case's own centre and at another, with the answer each must get.
// A command added to model/proto/command.proto without a row fails the test.
#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "dispatch/access.h"
#include "support/world.h"

namespace dispatch {
namespace {

using model::Code;
using model::Command;
using model::Status;
using testing::World;

// The actors of the columns, in order: Shenzhen owns the case; Fujian is
// another centre; the admin belongs to no case work.
constexpr const char* kActors[] = {"chan_sz", "lin_fj",   // duty officers: own, other
                                   "mak_sz",  "wong_fj",  // coordinators
                                   "ho_sz",   "kwok_fj",  // supervisors
                                   "admin"};
constexpr int kColumns = sizeof(kActors) / sizeof(kActors[0]);

// What a cell expects:
//   Y  done (a read shows the case, or the row it is about)
//   N  NOT_FOUND, in the words used for a case that does not exist
//   P  PERMISSION_DENIED
//   F  FAILED_PRECONDITION: let through, then refused for the case's state
char Answer(const Status& s) {
  switch (s.code()) {
    case Code::kOk: return 'Y';
    case Code::kNotFound: return 'N';
    case Code::kPermissionDenied: return 'P';
    case Code::kFailedPrecondition: return 'F';
    case Code::kInvalidArgument:
    case Code::kAlreadyExists:
    case Code::kUnavailable:
    case Code::kInternal:
    case Code::kDataLoss:
      break;
  }
  return '?';
}

// An escort case opened by Shenzhen with chan_sz on duty (who holds its
// tasks), the planning tasks done but arrange_departure, and notifications
// about it in the outbox (Shenzhen has a webhook). Also a Fujian case whose
// port escort Shenzhen is asked to take: a message in Shenzhen's inbox.
struct Fixture {
  World w;
  std::string number;
  std::string asked;  // the Fujian case

  Fixture() {
    model::Command hook;
    hook.mutable_set_webhook()->set_centre("SZ");
    hook.mutable_set_webhook()->set_url("http://127.0.0.1:9/sz");
    w.Must(hook, "admin");
    w.OnDuty("chan_sz");
    number = w.OpenEscort();
    w.Must(testing::DoneCommand(number, "agree_crossing_with_family"), "chan_sz");
    w.Must(testing::DoneCommand(number, "check_travel_documents"), "chan_sz");
    asked = w.Must(testing::OpenCaseCommand("escort_to_port", "FJ"), "lin_fj").case_state().number();
    Command request;
    request.mutable_request_handoff()->set_case_number(asked);
    request.mutable_request_handoff()->set_to_centre("SZ");
    request.mutable_request_handoff()->set_message("Escort at Shenzhen Bay");
    w.Must(request, "wong_fj");
    w.Inbox("centre:SZ");  // delivered
  }

  Actor As(const std::string& name) { return *w.dispatcher->ResolveActor(name); }

  Status Run(const Command& c, const std::string& actor) {
    return w.dispatcher->Execute(c, actor).status();
  }

  // Asks Fujian to take the port escort.
  void HandoffToFujian() {
    w.Must(testing::DoneCommand(number, "arrange_departure"), "chan_sz");
    w.Must(testing::PlanConfirmedCommand(number), "chan_sz");
    Command request;
    request.mutable_request_handoff()->set_case_number(number);
    request.mutable_request_handoff()->set_to_centre("FJ");
    request.mutable_request_handoff()->set_message("Escort at Shenzhen Bay");
    w.Must(request, "mak_sz");
  }
};

// OK when `found` holds; NotFound otherwise (a list that leaves it out).
constexpr const char* kNotListed = "not listed";
Status Shows(bool found) { return found ? Status::Ok() : Status::NotFound(kNotListed); }

template <typename T>
Status Listed(const model::Result<std::vector<T>>& list, const std::function<bool(const T&)>& is) {
  if (!list.ok()) return list.status();
  return Shows(std::any_of(list->begin(), list->end(), is));
}

struct Row {
  std::string name;     // a Command body field, or "read:..." for a read
  std::string expect;   // one character per column of kActors
  std::function<Status(Fixture&, const std::string& actor)> run;
  // Whether it names the fixture's case: then N must be "no case N".
  bool about_case = true;
};

Command Body(const std::function<void(Command&)>& fill) {
  Command c;
  fill(c);
  return c;
}

std::vector<Row> Rows() {
  return {
      // --- commands --------------------------------------------------------
      {"open_case", "YPYPYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(testing::OpenCaseCommand("escort_to_port", "SZ"), a);
       }},
      {"fire_event", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         f.w.Must(testing::DoneCommand(f.number, "arrange_departure"), "chan_sz");
         return f.Run(testing::PlanConfirmedCommand(f.number), a);
       }},
      {"assign_task", "YNYNYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(testing::AssignCommand(f.number, 3, "lee_sz"), a);
       }},
      {"complete_task", "YNPNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(testing::DoneCommand(f.number, "arrange_departure"), a);
       }},
      // Work the case does not need: whoever may do the task, with a reason.
      {"mark_not_applicable", "YNPNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* n = c.mutable_mark_not_applicable();
                        n->set_case_number(f.number);
                        n->mutable_task()->set_name("arrange_departure");
                        n->set_reason("already free to travel");
                      }),
                      a);
       }},
      // Someone else the case is about: its own centre's staff.
      {"add_person", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* p = c.mutable_add_person();
                        p->set_case_number(f.number);
                        p->mutable_person()->set_name_zh("何志強");
                        p->set_relationship("husband");
                      }),
                      a);
       }},
      // A person on the case corrected: its own centre's staff, as adding one.
      {"correct_person", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* p = c.mutable_correct_person();
                        p->set_case_number(f.number);
                        p->set_id(1);
                        p->mutable_person()->set_phone("+852 5550 0101");
                        p->set_reason("the daughter gave her new number");
                      }),
                      a);
       }},
      // Who called: whoever may add a note (a caller is often named late).
      {"set_caller", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* k = c.mutable_set_caller();
                        k->set_case_number(f.number);
                        k->mutable_caller()->set_name("Mr Lau");
                        k->mutable_caller()->set_relationship("landlord");
                      }),
                      a);
       }},
      // What an outside party said: whoever may add a note.
      {"record_contact", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* k = c.mutable_record_contact();
                        k->set_case_number(f.number);
                        k->set_party("Zhangmutou Hospital");
                        k->set_channel("phone");
                        k->set_said("fit to travel");
                      }),
                      a);
       }},
      // The owner's (or working centre's) staff, and supervisors anywhere, who
      // check the counts (the case has its type's default; counted right late too).
      {"set_category", "YNYNYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* k = c.mutable_set_category();
                        k->set_case_number(f.number);
                        k->set_category("medical");
                        k->set_reason("the hospital's bill was the question");
                      }),
                      a);
       }},
      // A centre's own contacts; a supervisor logs any centre's.
      {"log_contact", "YPYPYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* k = c.mutable_log_contact();
                        k->set_centre("SZ");
                        k->set_channel(model::CHANNEL_PHONE);
                        k->set_category("medical");
                      }),
                      a);
       },
       /*about_case=*/false},
      // Earlier records add to every centre's counts: supervisors enter them.
      {"record_past_case", "PPPPYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* k = c.mutable_record_past_case();
                        k->set_type("escort_to_port");
                        k->set_centre("SZ");
                        k->set_category("medical");
                        *k->mutable_opened_at() = model::ToProto(f.w.clock.Now() - std::chrono::days(400));
                        *k->mutable_ended_at() = model::ToProto(f.w.clock.Now() - std::chrono::days(390));
                      }),
                      a);
       },
       /*about_case=*/false},
      {"import_records", "PPPPYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        auto* k = c.mutable_import_records();
                        k->set_kind(model::IMPORT_CONTACTS);
                        k->set_file_name("contacts.csv");
                        k->set_csv("date,centre,channel,category\n2025-03-04,SZ,phone,medical\n");
                      }),
                      a);
       },
       /*about_case=*/false},
      {"add_note", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_add_note()->set_case_number(f.number);
                        c.mutable_add_note()->set_text("daughter called back");
                      }),
                      a);
       }},
      // A fact known before the case moves: its own centre's staff.
      {"set_fields", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_set_fields()->set_case_number(f.number);
                        (*c.mutable_set_fields()->mutable_fields())["crossing_date"] = "2026-03-09";
                      }),
                      a);
       }},
      {"close_case", "FNFNFPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_close_case()->set_case_number(f.number);
                        c.mutable_close_case()->set_reason("home");
                      }),
                      a);
       }},
      {"cancel_case", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_cancel_case()->set_case_number(f.number);
                        c.mutable_cancel_case()->set_reason("the family will come themselves");
                      }),
                      a);
       }},
      {"pause_case", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_pause_case()->set_case_number(f.number);
                        c.mutable_pause_case()->set_reason("family_to_confirm");
                      }),
                      a);
       }},
      {"resume_case", "YNYNYPP",
       [](Fixture& f, const std::string& a) {
         f.w.Must(Body([&](Command& c) {
                    c.mutable_pause_case()->set_case_number(f.number);
                    c.mutable_pause_case()->set_reason("family_to_confirm");
                  }),
                  "chan_sz");
         return f.Run(Body([&](Command& c) { c.mutable_resume_case()->set_case_number(f.number); }),
                      a);
       }},
      {"request_handoff", "PNYNYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_request_handoff()->set_case_number(f.number);
                        c.mutable_request_handoff()->set_to_centre("DG");
                        c.mutable_request_handoff()->set_message("Escort at Shenzhen Bay");
                      }),
                      a);
       }},
      // The handoff is to Fujian: "other" is the centre asked here.
      {"accept_handoff", "PPPYPYP",
       [](Fixture& f, const std::string& a) {
         f.HandoffToFujian();
         return f.Run(Body([&](Command& c) {
                        c.mutable_accept_handoff()->set_case_number(f.number);
                        c.mutable_accept_handoff()->set_handoff(1);
                      }),
                      a);
       }},
      {"decline_handoff", "PPPYPYP",
       [](Fixture& f, const std::string& a) {
         f.HandoffToFujian();
         return f.Run(Body([&](Command& c) {
                        c.mutable_decline_handoff()->set_case_number(f.number);
                        c.mutable_decline_handoff()->set_handoff(1);
                        c.mutable_decline_handoff()->set_reason("no staff that day");
                      }),
                      a);
       }},
      // Only the system fires deadlines.
      {"fire_deadline", "PNPNPPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_fire_deadline()->set_case_number(f.number);
                        c.mutable_fire_deadline()->set_key("case");
                        c.mutable_fire_deadline()->set_generation(1);
                      }),
                      a);
       }},
      // chan_sz's own tasks, handed on: by chan_sz, or by whoever assigns.
      {"release_tasks", "YNYNYYP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_release_tasks()->set_case_number(f.number);
                        c.mutable_release_tasks()->set_user("chan_sz");
                      }),
                      a);
       }},
      {"add_user", "PPPPPPY",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_add_user()->set_name("tam_sz");
                        c.mutable_add_user()->set_centre("SZ");
                        c.mutable_add_user()->set_role("duty_officer");
                      }),
                      a);
       }},
      // Putting lee_sz (SZ) on and off duty: their centre's supervisor only.
      {"duty_on", "PPPPYPP",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) { c.mutable_duty_on()->set_user("lee_sz"); }), a);
       }},
      {"duty_off", "PPPPYPP",
       [](Fixture& f, const std::string& a) {
         f.w.OnDuty("lee_sz");
         return f.Run(Body([&](Command& c) { c.mutable_duty_off()->set_user("lee_sz"); }), a);
       }},
      {"set_webhook", "PPPPPPY",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([&](Command& c) {
                        c.mutable_set_webhook()->set_centre("SZ");
                        c.mutable_set_webhook()->set_url("http://127.0.0.1:9/new");
                      }),
                      a);
       }},
      // A message to the Shenzhen centre's inbox.
      {"mark_read", "YNYNYNN",
       [](Fixture& f, const std::string& a) {
         auto items = f.w.store->Read().ListInbox({"centre:SZ"}, "", false, 100);
         REQUIRE(items.ok());
         REQUIRE_FALSE(items->empty());
         return f.Run(Body([&](Command& c) { c.mutable_mark_read()->set_inbox_item(items->front().id()); }),
                      a);
       },
       /*about_case=*/false},

      // lee_sz's password and tokens: their own, or an admin's doing.
      {"set_password", "PPPPPPY",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([](Command& c) {
                        c.mutable_set_password()->set_user("lee_sz");
                        c.mutable_set_password()->set_password("first-day-pass-2026");
                      }),
                      a);
       },
       /*about_case=*/false},
      {"create_token", "PPPPPPY",
       [](Fixture& f, const std::string& a) {
         return f.Run(Body([](Command& c) {
                        c.mutable_create_token()->set_user("lee_sz");
                        c.mutable_create_token()->set_label("ward report script");
                      }),
                      a);
       },
       /*about_case=*/false},
      {"revoke_token", "NNNNNNY",
       [](Fixture& f, const std::string& a) {
         const auto made = f.w.Must(Body([](Command& c) {
                                      c.mutable_create_token()->set_user("lee_sz");
                                    }),
                                    "admin");
         return f.Run(Body([&](Command& c) { c.mutable_revoke_token()->set_id(made.key().id()); }),
                      a);
       },
       /*about_case=*/false},

      // --- reads -----------------------------------------------------------
      {"read:case", "YNYNYYY",
       [](Fixture& f, const std::string& a) { return f.w.dispatcher->GetCase(f.As(a), f.number).status(); }},
      {"read:timeline", "YNYNYYY",
       [](Fixture& f, const std::string& a) { return f.w.dispatcher->Timeline(f.As(a), f.number).status(); }},
      {"read:cases", "YNYNYYY",
       [](Fixture& f, const std::string& a) {
         return Listed<model::CaseState>(f.w.dispatcher->ListCases(f.As(a), {}),
                                         [&](const auto& c) { return c.number() == f.number; });
       },
       /*about_case=*/false},
      {"read:tasks", "YNYNYYY",
       [](Fixture& f, const std::string& a) {
         return Listed<model::TaskView>(f.w.dispatcher->ListTasks(f.As(a), {}),
                                        [&](const auto& t) { return t.case_number() == f.number; });
       },
       /*about_case=*/false},
      // Pending, from Shenzhen to Fujian: both centres see it.
      {"read:handoffs", "YYYYYYY",
       [](Fixture& f, const std::string& a) {
         f.HandoffToFujian();
         return Listed<model::HandoffView>(f.w.dispatcher->ListHandoffs(f.As(a), true),
                                           [&](const auto& h) { return h.case_number() == f.number; });
       },
       /*about_case=*/false},
      {"read:inbox", "YNYNYNN",
       [](Fixture& f, const std::string& a) {
         return Listed<model::InboxItem>(f.w.dispatcher->ListInbox(f.As(a), false),
                                         [&](const auto& i) { return i.recipient() == "centre:SZ"; });
       },
       /*about_case=*/false},
      // chan_sz goes home: nobody can take the case's tasks, and Shenzhen's
      // supervisors and chat group are told.
      {"read:outbox", "PPYNYYY",
       [](Fixture& f, const std::string& a) {
         f.w.Must(Body([](Command& c) { c.mutable_duty_off(); }), "chan_sz");
         return Listed<model::Notification>(
             f.w.dispatcher->ListOutbox(f.As(a), std::nullopt, 100),
             [&](const auto& n) { return n.case_number() == f.number; });
       },
       /*about_case=*/false},
      // Webhook URLs: the admin sees them; the others only that one is set.
      {"read:webhook_urls", "NNNNNNY",
       [](Fixture& f, const std::string& a) {
         return Listed<model::Centre>(f.w.dispatcher->ListCentres(f.As(a)),
                                      [](const auto& c) { return !c.webhook_url().empty(); });
       },
       /*about_case=*/false},
      {"read:duty", "YYYYYYY",
       [](Fixture& f, const std::string& a) {
         return Listed<model::Shift>(f.w.dispatcher->OnDuty(f.As(a)),
                                     [](const auto& s) { return s.user() == "chan_sz"; });
       },
       /*about_case=*/false},
      {"read:users", "YYYYYYY",
       [](Fixture& f, const std::string& a) {
         return Listed<model::User>(f.w.dispatcher->ListUsers(f.As(a)),
                                    [](const auto& u) { return u.name() == "chan_sz"; });
       },
       /*about_case=*/false},
      // Shenzhen's contacts and yearly report: its own people, and those who see everything.
      {"read:contacts", "YPYPYYY",
       [](Fixture& f, const std::string& a) {
         Command log;
         log.mutable_log_contact()->set_channel(model::CHANNEL_VISIT);
         log.mutable_log_contact()->set_category("identity_documents");
         f.w.Must(log, "chan_sz");
         ContactFilter filter;
         filter.centre = "SZ";
         return Listed<model::Contact>(f.w.dispatcher->ListContacts(f.As(a), filter),
                                       [](const auto& k) { return k.centre() == "SZ"; });
       },
       /*about_case=*/false},
      {"read:year_report", "YPYPYYY",
       [](Fixture& f, const std::string& a) {
         YearReportRequest req;
         req.year = 2026;
         req.centre = "SZ";
         auto r = f.w.dispatcher->YearReport(f.As(a), req);
         if (!r.ok()) return r.status();
         return Shows(r->cases().total() == 1);
       },
       /*about_case=*/false},
      {"read:rebuild", "PPPPPPY",
       [](Fixture& f, const std::string& a) { return f.w.dispatcher->Rebuild(f.As(a)).status(); }},
  };
}

}  // namespace

TEST_CASE("the access table: every command and read, every role, own centre and another") {
  const std::vector<Row> rows = Rows();
  for (const Row& row : rows) {
    REQUIRE_MESSAGE(row.expect.size() == kColumns, row.name);
    std::string got;
    for (int col = 0; col < kColumns; ++col) {
      Fixture f;
      const Status s = row.run(f, kActors[col]);
      const char answer = Answer(s);
      got += answer;
      if (answer == '?') MESSAGE(row.name << " as " << kActors[col] << ": " << s.ToString());
      // An officer who reads Chinese is told why in Chinese (a list that
      // leaves a row out is this test's own finding, not a refusal).
      if (answer != 'Y' && answer != '?' && s.message() != kNotListed) {
        CHECK_MESSAGE(testing::HasChinese(s.message_zh()),
                      row.name << " as " << kActors[col] << " has no Chinese: " << s.message());
      }
      // A case one may not read answers exactly as one that does not exist.
      if (answer == 'N' && row.about_case) {
        CHECK_MESSAGE(s.message() == "no case " + f.number, row.name << ": " << s.message());
        CHECK(f.w.dispatcher->GetCase(f.As(kActors[col]), "SZ-2026-0999").status().message() ==
              "no case SZ-2026-0999");
      }
    }
    CHECK_MESSAGE(got == row.expect, row.name << ": expected " << row.expect << ", got " << got);
  }
  // Every command has its row.
  std::set<std::string> named;
  for (const Row& row : rows) named.insert(row.name);
  const auto* body = Command::descriptor()->FindOneofByName("body");
  for (int i = 0; i < body->field_count(); ++i) {
    CHECK_MESSAGE(named.count(body->field(i)->name()) == 1,
                  "command " << body->field(i)->name() << " has no row in the access table");
  }
}

}  // namespace dispatch
