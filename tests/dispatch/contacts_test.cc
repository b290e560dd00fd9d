// What work is counted under: a case's category (its type's default, named,
// or corrected with a reason), contacts logged at a centre, and the yearly
// report made from both through the store.
#include <doctest/doctest.h>

#include "dispatch/reads.h"
#include "model/command_codec.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

using model::Code;
using model::Command;
using testing::World;

Command Json(const std::string& json) {
  auto c = model::DecodeCommand(json, model::Encoding::kJson);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return *c;
}

model::Status Refusal(World& w, const std::string& json, const std::string& as) {
  auto r = w.dispatcher->Execute(Json(json), as);
  REQUIRE_FALSE(r.ok());
  return r.status();
}

// 2026-MM-DD at HH:MM in Hong Kong.
model::Instant HongKong(const std::string& rfc3339) {
  auto t = model::ParseTimestamp(rfc3339);
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  return *t;
}

TEST_CASE("a new case is counted under its type's category unless the officer names another") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  CHECK(w.Case(number).category() == "stranded");  // categories.textproto: escort_to_port
  CHECK_FALSE(w.Case(number).legal_advice());

  Command named = testing::OpenCaseCommand("cross_border_ambulance", "SZ");
  named.mutable_open_case()->set_category("inheritance");
  named.mutable_open_case()->set_legal_advice(true);
  const auto reply = w.Must(named, "chan_sz");
  CHECK(reply.case_state().category() == "inheritance");
  CHECK(reply.case_state().legal_advice());
  // What the report counts from is the cases table's columns: rebuilt from the journal alike.
  REQUIRE(w.dispatcher->Rebuild(*w.dispatcher->ResolveActor("admin")).ok());
  CHECK(w.Case(reply.case_state().number()).category() == "inheritance");

  Command unknown = testing::OpenCaseCommand("escort_to_port", "SZ");
  unknown.mutable_open_case()->set_category("weather");
  const auto refused = w.dispatcher->Execute(unknown, "chan_sz");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().field() == "open_case.category");
  CHECK(refused.status().message() == "unknown category 'weather'");
  CHECK(refused.status().message_zh() == "沒有類別「weather」");
}

TEST_CASE("a case's category is corrected with a reason and the timeline says what it was") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const std::string change = R"({"set_category":{"case_number":")" + number +
                             R"(","category":"medical","legal_advice":true)";
  const auto no_reason = Refusal(w, change + "}}", "chan_sz");
  CHECK(no_reason.field() == "set_category.reason");
  CHECK(no_reason.message() == "changing a case's category needs a reason");
  w.Must(Json(change + R"(,"reason":"the question was the hospital's bill"}})"), "chan_sz");
  const model::CaseState c = w.Case(number);
  CHECK(c.category() == "medical");
  CHECK(c.legal_advice());
  const auto same = Refusal(w, change + R"(,"reason":"again"}})", "chan_sz");
  CHECK(same.message().find("nothing to change") == 0);

  const auto events = w.Timeline(number);
  REQUIRE(events.back().has_category_set());
  const auto& set = events.back().category_set();
  CHECK(set.previous() == "stranded");
  CHECK(set.label().zh_hant() == "醫療");
  CHECK(set.previous_label().en() == "Stranded, returning home");
  // The line people read, in both languages.
  auto read = Read(*w.dispatcher, *w.dispatcher->ResolveActor("chan_sz"),
                   ReadRequest({"cases", number, "timeline"}));
  REQUIRE(read.ok());
  const auto& timeline = dynamic_cast<const model::Timeline&>(**read);
  REQUIRE(timeline.line_size() > 0);
  const model::Label& said = timeline.line(timeline.line_size() - 1).what();
  CHECK(said.zh_hant() == "個案類別：醫療（法律諮詢）（原為 滯留及回港） — the question was the hospital's bill");
  CHECK(said.en() == "Counted under: Medical (legal advice) (was Stranded, returning home) — the "
                     "question was the hospital's bill");
  // A category corrected alone keeps the service as it was; saying false takes it off.
  const std::string alone = R"({"set_category":{"case_number":")" + number +
                            R"(","category":"property","reason":"the flat, not the bill"}})";
  w.Must(Json(alone), "chan_sz");
  CHECK(w.Case(number).category() == "property");
  CHECK(w.Case(number).legal_advice());
  w.Must(Json(R"({"set_category":{"case_number":")" + number +
              R"(","category":"property","legal_advice":false,"reason":"not a legal question"}})"),
         "chan_sz");
  CHECK_FALSE(w.Case(number).legal_advice());
}

TEST_CASE("a case is counted by its own centre's say or a supervisor's, not a centre asked for a leg") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  Command request;
  request.mutable_request_handoff()->set_case_number(number);
  request.mutable_request_handoff()->set_to_centre("FJ");
  request.mutable_request_handoff()->set_message("Escort at Xiamen port");
  w.Must(request, "mak_sz");
  const std::string change = R"({"set_category":{"case_number":")" + number +
                             R"(","category":"medical","reason":"the bill was the question"}})";
  // Fujian reads the case (it is asked to take a leg), and may note on it,
  // but what Shenzhen's case is counted under is not Fujian's to say.
  const auto asked = Refusal(w, change, "wong_fj");
  CHECK(asked.code() == Code::kPermissionDenied);
  CHECK(asked.message() == "wong_fj (coordinator, FJ) cannot say what " + number +
                               " is counted under; it is SZ's to count: its officers, the "
                               "centre working it, or a supervisor can");
  CHECK(testing::HasChinese(asked.message_zh()));
  CHECK(w.Case(number).category() == "stranded");
  // A supervisor at another centre, checking the network's counts, may.
  w.Must(Json(change), "kwok_fj");
  CHECK(w.Case(number).category() == "medical");
}

TEST_CASE("a retired category keeps its records but takes no new work") {
  testing::TempDir dir;
  const std::string path = dir.Write("categories.textproto", R"pb(
group { code: "g" label { zh_hant: "組" en: "Group" } }
category { code: "current" group: "g" label { zh_hant: "現行" en: "Current" } }
category { code: "old" group: "g" retired: true label { zh_hant: "舊" en: "Old" } }
)pb");
  World w;
  w.catalog.SetCategories(path);
  REQUIRE(w.catalog.CategoriesProblem().empty());
  w.OnDuty("chan_sz");
  // The file gives escort_to_port no default: the case is opened uncounted.
  const std::string number = w.OpenEscort();
  CHECK(w.Case(number).category().empty());
  const std::string set = R"({"set_category":{"case_number":")" + number + R"(","category":")";
  const auto retired = Refusal(w, set + R"(old"}})", "chan_sz");
  CHECK(retired.message().find("is retired") != std::string::npos);
  // Saying it the first time needs no reason.
  w.Must(Json(set + R"(current"}})"), "chan_sz");
  CHECK(w.Case(number).category() == "current");
  const auto log = Refusal(
      w, R"({"log_contact":{"channel":"CHANNEL_PHONE","category":"old"}})", "chan_sz");
  CHECK(log.field() == "log_contact.category");
}

TEST_CASE("with no categories file work goes on and counting says why it cannot") {
  testing::TempDir dir;
  World w;
  w.catalog.SetCategories(dir.Path("missing.textproto"));
  CHECK_FALSE(w.catalog.CategoriesProblem().empty());
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();  // a case still opens
  CHECK(w.Case(number).category().empty());
  // One whose officer names a category opens too, the code kept unchecked.
  Command named = testing::OpenCaseCommand("escort_to_port", "SZ");
  named.mutable_open_case()->set_category("medical");
  const auto opened = w.Must(named, "chan_sz");
  CHECK(opened.case_state().category() == "medical");
  REQUIRE(opened.warnings_size() == 1);
  CHECK(opened.warnings(0).find("category 'medical' was kept as given, unchecked") !=
        std::string::npos);
  named.mutable_open_case()->set_category("Medical Bills");
  const auto bad = w.dispatcher->Execute(named, "chan_sz");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "open_case.category");
  CHECK(bad.status().message() == "'Medical Bills' is not a category code (lower_snake_case)");
  const auto log = Refusal(
      w, R"({"log_contact":{"channel":"CHANNEL_PHONE","category":"medical"}})", "chan_sz");
  CHECK(log.code() == Code::kFailedPrecondition);
  CHECK(log.message().find("no categories are loaded") == 0);
  CHECK(testing::HasChinese(log.message_zh()));
}

TEST_CASE("a contact is logged at the officer's centre and listed, newest first") {
  World w;
  const auto first = w.Must(Json(R"({"log_contact":{"channel":"CHANNEL_PHONE","category":"medical",
      "note":"asked which hospital takes the mainland insurance"}})"),
                            "chan_sz");
  CHECK(first.contact().centre() == "SZ");
  CHECK(first.contact().logged_by() == "chan_sz");
  CHECK(model::FromProto(first.contact().at()) == w.clock.Now());
  w.clock.Advance(std::chrono::minutes(5));
  const auto second = w.Must(Json(R"({"log_contact":{"channel":"CHANNEL_VISIT",
      "category":"inheritance","legal_advice":true}})"),
                             "mak_sz");
  CHECK(second.contact().id() > first.contact().id());

  auto listed = w.dispatcher->ListContacts(*w.dispatcher->ResolveActor("chan_sz"), {});
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].id() == second.contact().id());
  CHECK((*listed)[0].legal_advice());
  CHECK((*listed)[1].note() == "asked which hospital takes the mainland insurance");
  // Another centre's officer sees none of them, and may not ask for them.
  auto fujian = w.dispatcher->ListContacts(*w.dispatcher->ResolveActor("lin_fj"), {});
  REQUIRE(fujian.ok());
  CHECK(fujian->empty());
  ContactFilter sz;
  sz.centre = "SZ";
  CHECK(w.dispatcher->ListContacts(*w.dispatcher->ResolveActor("lin_fj"), sz).status().code() ==
        Code::kPermissionDenied);
}

TEST_CASE("a contact is refused for what it lacks and changes nothing") {
  World w;
  w.OnDuty("lin_fj");
  const std::string fujian_case =
      w.Must(testing::OpenCaseCommand("escort_to_port", "FJ"), "lin_fj").case_state().number();
  const auto no_channel = Refusal(w, R"({"log_contact":{"category":"medical"}})", "chan_sz");
  CHECK(no_channel.field() == "log_contact.channel");
  const auto no_category = Refusal(w, R"({"log_contact":{"channel":"CHANNEL_PHONE"}})", "chan_sz");
  CHECK(no_category.field() == "log_contact.category");
  const auto future = Refusal(w, R"({"log_contact":{"channel":"CHANNEL_PHONE","category":"medical",
      "at":"2026-03-03T09:00:00+08:00"}})",
                              "chan_sz");
  CHECK(future.field() == "log_contact.at");
  // A case Shenzhen may not see is not found, as if it did not exist.
  const auto hidden = Refusal(w, R"({"log_contact":{"channel":"CHANNEL_PHONE","category":"medical",
      "case_number":")" + fujian_case + R"("}})",
                              "chan_sz");
  CHECK(hidden.code() == Code::kNotFound);
  CHECK(hidden.message() == "no case " + fujian_case);
  const auto elsewhere = Refusal(
      w, R"({"log_contact":{"centre":"FJ","channel":"CHANNEL_PHONE","category":"medical"}})",
      "chan_sz");
  CHECK(elsewhere.code() == Code::kPermissionDenied);
  const auto admin = Refusal(
      w, R"({"log_contact":{"channel":"CHANNEL_PHONE","category":"medical"}})", "admin");
  CHECK(admin.code() == Code::kPermissionDenied);
  auto all = w.dispatcher->ListContacts(*w.dispatcher->ResolveActor("ho_sz"), {});
  REQUIRE(all.ok());
  CHECK(all->empty());
  // A supervisor enters a contact for another centre, late, linked to its case.
  const auto late = w.Must(Json(R"({"log_contact":{"centre":"FJ","channel":"CHANNEL_EMAIL",
      "category":"medical","case_number":")" + fujian_case +
                                R"(","at":"2026-03-01T17:00:00+08:00"}})"),
                           "kwok_fj");
  CHECK(late.contact().case_number() == fujian_case);
  CHECK(model::FromProto(late.contact().at()) == HongKong("2026-03-01T17:00:00+08:00"));
}

TEST_CASE("the yearly report counts by Hong Kong month and year from what the store holds") {
  World w;
  w.clock.Set(HongKong("2027-02-01T09:00:00+08:00"));
  const auto log = [&](const std::string& at, const std::string& category, bool legal) {
    w.Must(Json(R"({"log_contact":{"channel":"CHANNEL_PHONE","category":")" + category +
                R"(","legal_advice":)" + (legal ? "true" : "false") + R"(,"at":")" + at + R"("}})"),
           "chan_sz");
  };
  log("2026-12-31T23:30:00+08:00", "medical", false);  // 15:30 UTC: still December in Hong Kong
  log("2027-01-01T00:30:00+08:00", "medical", false);  // 2026-12-31 16:30 UTC: next year
  log("2026-01-01T00:00:00+08:00", "inheritance", true);
  log("2025-12-31T23:59:59+08:00", "inheritance", false);
  log("2025-06-15T10:00:00+08:00", "medical", false);
  w.OnDuty("chan_sz");
  w.OpenEscort();  // opened now, in 2027

  YearReportRequest req;
  req.year = 2026;
  req.compared = {2025};
  auto r = w.dispatcher->YearReport(*w.dispatcher->ResolveActor("ho_sz"), req);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(r->contacts().total() == 2);
  CHECK(r->cases().total() == 0);
  CHECK(r->by_month(0).contacts() == 1);   // January: the legal-advice one at midnight
  CHECK(r->by_month(11).contacts() == 1);  // December: 23:30
  CHECK(r->legal_contacts().total() == 1);
  REQUIRE(r->contacts().earlier_size() == 1);
  CHECK(r->contacts().earlier(0).count() == 2);
  CHECK(r->contacts().earlier(0).change() == "0.0");
  REQUIRE(r->contacts().category_size() == 2);
  CHECK(r->contacts().category(0).share() == "50.0");
  CHECK(CheckYearReport(*r).ok());

  req.year = 2027;
  req.compared = {};
  r = w.dispatcher->YearReport(*w.dispatcher->ResolveActor("chan_sz"), req);
  REQUIRE(r.ok());
  CHECK(r->centre() == "SZ");  // a duty officer's report is their centre's
  CHECK(r->contacts().total() == 1);
  CHECK(r->cases().total() == 1);
  REQUIRE(r->cases().category_size() == 1);
  CHECK(r->cases().category(0).category() == "stranded");

  // What the store counts is what a categories file must keep.
  auto used = w.store->Read().CategoriesInUse();
  REQUIRE(used.ok());
  CHECK(used->at("medical") == 3);
  CHECK(used->at("inheritance") == 2);
  CHECK(used->at("stranded") == 1);
}

}  // namespace
}  // namespace dispatch
