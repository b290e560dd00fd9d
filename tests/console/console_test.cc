// The web console in a real browser: headless Chromium from Debian, driven
// by chromedriver over WebDriver, against `dispatch serve` on 127.0.0.1.
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "model/crypto.h"
#include "model/text_proto.h"
#include "model/time.h"
#include "support/served.h"
#include "support/server_process.h"
#include "support/webdriver.h"

namespace {

using testing::Browser;
using testing::Served;

// `who` can sign in with `password` (given by an admin, then changed by them,
// as a first sign-in must).
void GivePassword(Served& s, const std::string& who, const std::string& password) {
  REQUIRE(s.Post("admin", R"({"set_password": {"user": ")" + who +
                              R"(", "password": "first-lantern-42"}})")
              .status == 200);
  REQUIRE(s.Post(who, R"({"set_password": {"password": ")" + password +
                          R"(", "current_password": "first-lantern-42"}})")
              .status == 200);
}

// What axe-core (tests/console/axe, vendored) finds against the WCAG 2 A and
// AA rules on the page as it is now: "rule: where" for each, none when clean.
std::vector<std::string> AxeViolations(Browser& b) {
  static const std::string axe = [] {
    auto text = model::ReadFile(std::string(DISPATCH_SOURCE_DIR) + "/tests/console/axe/axe.min.js");
    REQUIRE(text.ok());
    REQUIRE(model::Sha256Hex(*text) ==
            "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c");
    return *text;
  }();
  b.Run(axe + "\n;return true;");
  const google::protobuf::Value found = b.RunAsync(
      "const done = arguments[arguments.length - 1];"
      "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
      "  .then((r) => done(r.violations.map((v) => v.id + ': ' +"
      "    v.nodes.map((n) => n.target.join(' ')).join(', '))),"
      "        (e) => done(['axe failed: ' + e]));");
  std::vector<std::string> out;
  for (const auto& v : found.list_value().values()) out.push_back(v.string_value());
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// As JSON carries a bytes field.
std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t v = 0;
    for (size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0);
    }
    for (size_t k = 0; k < 4; ++k) {
      out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
    }
  }
  return out;
}

std::string Screenshots() {
  const std::string dir = std::string(DISPATCH_BUILD_DIR) + "/screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("the console: a duty officer signs in and the board follows the work live without a reload") {
  Served s;
  GivePassword(s, "chan_sz", "harbour-lantern-42");
  testing::WebDriver driver;
  Browser b(driver);
  b.Go(s.Url() + "/");
  CHECK(b.WaitForText("#login-view h2", "登入"));  // Traditional Chinese first
  CHECK(b.Errors().empty());                        // the page loads clean
  std::string axe = Joined(AxeViolations(b));
  CHECK_MESSAGE(axe.empty(), axe);

  b.Type("#login-user", "chan_sz");
  b.Type("#login-password", "not-the-password");
  b.Click("#login-form button[type=submit]");
  CHECK(b.WaitForText("#login-error", "用戶名稱或密碼不正確"));
  b.Errors();  // the refused sign-in is a 401, on purpose

  b.Type("#login-password", "harbour-lantern-42");
  b.Click("#login-form button[type=submit]");
  REQUIRE(b.WaitForText("#who", "chan_sz · SZ · 當值主任"));
  CHECK(b.WaitForText("#live", "即時更新"));
  b.Go(s.Url() + "/");  // a reload keeps the session
  REQUIRE(b.WaitForText("#who", "chan_sz · SZ · 當值主任"));
  CHECK(b.Errors().empty());

  // A colleague opens a case: its tasks come onto the board by themselves.
  const std::string number = s.OpenCase();
  CHECK(b.WaitForText("#centre", number + "/1 與家屬協定"));
  CHECK(b.WaitForText("#centre-count", "(3"));

  // English, remembered for this user.
  b.Click("#lang");
  CHECK(b.WaitForText("#centre-h", "My centre's open tasks"));
  CHECK(b.Run("return localStorage.getItem('dispatch.lang.chan_sz')").string_value() == "en");

  // Alerts for new work, once the officer says yes. The system's notifications
  // are an outside party: a stand-in records what the page shows.
  b.Run("window.__alerts = [];"
        "window.Notification = class { constructor(title, o) { window.__alerts.push(title + ' ' + o.body); }"
        "  static async requestPermission() { Notification.permission = 'granted'; return 'granted'; } };"
        "window.Notification.permission = 'default';");
  b.Click("#lang");
  b.Click("#lang");  // drawn again with the stand-in in place
  CHECK(b.WaitForText("#alerts", "Alert me to new work"));
  b.Click("#alerts");
  CHECK(b.WaitForText("#alerts", "Alerts on"));

  // On duty from the board; new work then comes to them.
  b.Click("#duty");
  CHECK(b.WaitForText("#duty", "On duty"));
  const std::string second = s.OpenCase("LEE Siu Ming");
  CHECK(b.WaitForText("#mine", second));
  bool alerted = false;
  for (int i = 0; i < 100 && !alerted; ++i) {
    alerted = b.Run("return window.__alerts.join('|')").string_value().find("A task for you " + second) !=
              std::string::npos;
    if (!alerted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(alerted);
  b.Screenshot(Screenshots() + "/board.png");
  axe = Joined(AxeViolations(b));
  CHECK_MESSAGE(axe.empty(), axe);
  // The check sees what it should: an input with no label is a violation.
  b.Run("const i = document.createElement('input'); i.id = 'unlabelled'; document.body.append(i);");
  CHECK(Joined(AxeViolations(b)).find("label: #unlabelled") != std::string::npos);
  b.Run("document.getElementById('unlabelled').remove();");
  CHECK(std::filesystem::file_size(Screenshots() + "/board.png") > 1000);

  // The server goes away and comes back: the board says so, and carries on.
  const unsigned short port = s.port();
  s.server->Stop();
  CHECK(b.WaitForText("#live", "Connection lost", std::chrono::seconds(10)));
  s.server = std::make_unique<testing::ServerProcess>(s.cli.db(), DISPATCH_WORKFLOW_DIR,
                                                      std::vector<std::string>{}, "127.0.0.1", port);
  REQUIRE_MESSAGE(s.server->running(), s.server->Log());
  CHECK(b.WaitForText("#live", "Connection back", std::chrono::seconds(20)));
  b.Errors();  // the attempts refused while it was down are failed requests, on purpose
  const std::string third = s.OpenCase("WONG Mei");
  CHECK(b.WaitForText("#mine", third));

  // Going off duty hands the officer's tasks on: the button asks again first.
  b.Click("#duty");
  CHECK(b.WaitForText("#duty", "press again to go off"));
  b.Click("#duty");
  CHECK(b.WaitForText("#duty", "Off duty"));
  CHECK(b.WaitForText("#mine-count", "(0)"));  // handed on (to nobody on duty: the supervisor is told)

  b.Click("#logout");
  CHECK(b.WaitForText("#login-view:not([hidden]) h2", "Sign in"));
  CHECK(b.Run("return document.getElementById('board-view').hidden").bool_value());
  const std::string errors = Joined(b.Errors());
  CHECK_MESSAGE(errors.empty(), errors);
}

TEST_CASE("the console: a password an admin gave is changed before the board opens") {
  Served s;
  REQUIRE(s.Post("admin", R"({"set_password": {"user": "lee_sz", "password": "first-lantern-42"}})")
              .status == 200);
  testing::WebDriver driver;
  Browser b(driver);
  b.Go(s.Url() + "/");
  b.Type("#login-user", "lee_sz");
  b.Type("#login-password", "first-lantern-42");
  b.Click("#login-form button[type=submit]");
  REQUIRE(b.WaitForText("#password-view:not([hidden]) h2", "更改密碼"));
  b.Type("#password-current", "first-lantern-42");
  b.Type("#password-new", "short");
  b.Click("#password-form button[type=submit]");
  CHECK(b.WaitForText("#password-error", "密碼最少要有 10 個字元"));  // said in Chinese
  b.Errors();  // the refused change is a 400, on purpose
  b.Type("#password-new", "typhoon-signal-8-now");
  b.Click("#password-form button[type=submit]");
  CHECK(b.WaitForText("#board-view:not([hidden]) #mine-h", "我的工作"));
  CHECK(b.Errors().empty());
}

TEST_CASE("the console's files come from the binary itself, with a policy that loads nothing from elsewhere") {
  Served s;
  for (const char* path : {"/", "/console/console.js", "/console/console.css", "/favicon.svg"}) {
    CAPTURE(path);
    const testing::HttpReply r = testing::Http(s.port(), "GET", path);
    CHECK(r.status == 200);
    CHECK(r.Header("content-security-policy").find("default-src 'self'") == 0);
    CHECK(!r.body.empty());
  }
  CHECK(testing::Http(s.port(), "GET", "/").Header("content-type") == "text/html; charset=utf-8");
  CHECK(testing::Http(s.port(), "GET", "/console/nope.js").status == 404);
}

namespace {

void SignIn(Browser& b, const std::string& url, const std::string& who, const std::string& password) {
  b.Go(url);
  b.Find("#login-view:not([hidden]) #login-user");  // signed out (after a sign-out's answer)
  b.Type("#login-user", who);
  b.Type("#login-password", password);
  b.Click("#login-form button[type=submit]");
  REQUIRE(b.WaitForText("#who", who + " · "));
}

// Picks `value` in the <select> `css` as a person would.
void Choose(Browser& b, const std::string& css, const std::string& value) {
  b.Click(css + " option[value=\"" + value + "\"]");
  REQUIRE(b.Run("return document.querySelector('" + css + "').value").string_value() == value);
}

}  // namespace

// The engine's rules decide who does what: a coordinator hands a leg over and
// accepts one; duty officers do the tasks. So each centre's browser changes
// hands once, as a shift would.
TEST_CASE("the console: Fujian opens a case and hands the port escort to Shenzhen, who accepts it live") {
  Served s;
  GivePassword(s, "wong_fj", "minjiang-bridge-42");
  GivePassword(s, "lin_fj", "fuzhou-night-shift-3");
  GivePassword(s, "mak_sz", "shenzhen-bay-port-7");
  GivePassword(s, "chan_sz", "harbour-lantern-42");
  GivePassword(s, "lam_dg", "dongguan-lantern-9");
  testing::WebDriver driver;
  Browser fj(driver);
  Browser sz(driver, 1280, 1500);  // tall enough for a case page's screenshot
  SignIn(fj, s.Url() + "/", "wong_fj", "minjiang-bridge-42");
  SignIn(sz, s.Url() + "/", "mak_sz", "shenzhen-bay-port-7");
  CHECK(sz.WaitForText("#live", "即時更新"));

  // Intake, with the caller still on the line.
  fj.Click("#nav-new");
  REQUIRE(fj.WaitForText("#intake-view:not([hidden]) #intake-h", "新個案"));
  Choose(fj, "#in-type", "escort_to_port");
  std::string axe = Joined(AxeViolations(fj));
  CHECK_MESSAGE(axe.empty(), axe);
  fj.Type("#in-person-name_en", "LAM Siu Fung");
  fj.Type("#in-person-name_zh", "林小峰");
  fj.Type("#in-person-current_location", "Fuzhou, Gulou district hospital, ward 3");
  fj.Type("#in-caller-name", "Mr Chen");
  fj.Type("#in-caller-relationship", "landlord");
  fj.Type("#in-caller-phone", "12");
  fj.Type("#in-summary", "Fell ill while visiting; family in Hong Kong asks for an escort home.");
  // A wrong check digit is said beside the field as it is typed, and stops the case.
  fj.Type("#in-person-hkid", "A123456(4)");
  CHECK(fj.WaitForText("#person-hkid-check", "核對號碼不符"));
  fj.Click("#intake-submit");
  CHECK(fj.WaitForText("#err-person-hkid", "核對號碼不符"));
  CHECK(s.Get("wong_fj", "/v1/cases?status=all").body.find("FJ-") == std::string::npos);
  // The server's own refusal is said beside its field too, and nothing typed is lost.
  fj.Type("#in-person-hkid", "A123456(3)");
  CHECK(fj.WaitForText("#person-hkid-check", "核對號碼正確"));
  fj.Click("#intake-submit");
  // In the officer's language: the server says why in Chinese too.
  CHECK(fj.WaitForText("#err-caller-phone", "來電者的電話號碼"));
  CHECK(fj.Run("return document.getElementById('err-person-hkid').hidden").bool_value());
  CHECK(fj.Run("return document.getElementById('in-person-name_en').value").string_value() ==
        "LAM Siu Fung");
  CHECK(s.Get("wong_fj", "/v1/cases?status=all").body.find("FJ-") == std::string::npos);
  fj.Errors();  // the refused command is a 400, on purpose
  fj.Type("#in-caller-phone", "+86 138 0000 0000");
  fj.Click("#intake-submit");
  REQUIRE(fj.WaitForText("#case-title", "FJ-"));
  const std::string number = fj.Run("return decodeURIComponent(location.hash.slice(7))").string_value();
  REQUIRE(number.rfind("FJ-", 0) == 0);
  CHECK(fj.WaitForText("#case-person", "Mr Chen (landlord)"));
  CHECK(fj.WaitForText("#ev-plan_confirmed .missing", "工作「與家屬協定過境日期及口岸」尚未完成"));

  // A change made elsewhere is drawn at once, and what is half typed stays.
  fj.Type("#note-text", "Hospital says discharge on");
  REQUIRE(s.Post("wong_fj", R"({"add_note": {"case_number": ")" + number +
                                R"(", "text": "Family called back from Hong Kong"}})")
              .status == 200);
  CHECK(fj.WaitForText("#case-timeline", "Family called back from Hong Kong"));
  CHECK(fj.Run("return document.getElementById('note-text').value").string_value() ==
        "Hospital says discharge on");
  CHECK(fj.Run("return document.activeElement.id").string_value() == "note-text");

  // Fujian asks Shenzhen to take the escort at the port.
  Choose(fj, "#handoff-to", "SZ");
  fj.Type("#handoff-message", "Meet at Shenzhen Bay and hand over to the family.");
  fj.Click("#handoff-form button[type=submit]");
  CHECK(fj.WaitForText("#case-handoffs", "待回覆"));
  // It comes onto Shenzhen's board by itself; Shenzhen accepts from the case page.
  REQUIRE(sz.WaitForText("#handoffs", number));
  CHECK(sz.WaitForText("#handoffs", "口岸護送"));  // the leg as people name it, not its code
  // The centre's message about it: read by this coordinator, still unread for the others.
  REQUIRE(sz.WaitForText("#inbox", number));
  CHECK(s.Get("chan_sz", "/v1/inbox?unread=1").body.find(number) != std::string::npos);
  for (int i = 0; i < 5 && sz.Run("return document.querySelectorAll('#inbox button.mark-read').length")
                                   .number_value() > 0; ++i) {
    const double before = sz.Run("return document.querySelectorAll('#inbox li').length").number_value();
    sz.Click("#inbox button.mark-read");
    for (int j = 0; j < 100 && sz.Run("return document.querySelectorAll('#inbox button.mark-read').length")
                                       .number_value() >= before; ++j) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  CHECK(sz.WaitForText("#inbox-count", "(0)"));
  CHECK(s.Get("mak_sz", "/v1/inbox?unread=1").body.find(number) == std::string::npos);
  CHECK(s.Get("chan_sz", "/v1/inbox?unread=1").body.find(number) != std::string::npos);
  sz.Click("#handoffs a");
  REQUIRE(sz.WaitForText("#case-title", number));
  sz.Click("#case-handoffs button.accept");
  CHECK(sz.WaitForText("#case-handoffs", "已接受"));
  CHECK(fj.WaitForText("#case-handoffs", "已接受"));  // live on Fujian's page too

  // Fujian's duty officer does the planning on the same page, then confirms
  // the plan for a crossing today.
  fj.Click("#logout");
  SignIn(fj, s.Url() + "/#/case/" + number, "lin_fj", "fuzhou-night-shift-3");
  REQUIRE(fj.WaitForText("#case-title", number));
  for (int seq = 1; seq <= 3; ++seq) {
    const std::string row = "#case-tasks tr[data-seq=\"" + std::to_string(seq) + "\"]";
    fj.Click(row + " button.done");
    CHECK(fj.WaitForText(row, "已完成"));
  }
  // The tasks no longer keep it back; the port and the date still do.
  CHECK(fj.WaitForText("#ev-plan_confirmed .missing", "「過境口岸」尚未填寫"));
  CHECK(fj.Text("#ev-plan_confirmed .missing").find("尚未完成") == std::string::npos);
  Choose(fj, "#ev-plan_confirmed-port", "shenzhen_bay");
  Choose(fj, "#ev-plan_confirmed-hk_receiver", "family");
  fj.Run("document.getElementById('ev-plan_confirmed-crossing_date').value = "
         "new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)");
  fj.Click("#ev-plan_confirmed button[type=submit]");
  CHECK(fj.WaitForText(".case-head dd", "前往口岸"));  // the first fact: the state
  CHECK(fj.Run("return document.querySelector('#case-flow .node.now').dataset.state").string_value() ==
        "travelling_to_port");
  CHECK(fj.Run("return document.querySelectorAll('#case-flow .node.been').length").number_value() == 2);

  // The leg is Shenzhen's now: its task is on Shenzhen's page, done there.
  CHECK(sz.WaitForText(".case-head dd", "前往口岸"));
  sz.Click("#logout");
  SignIn(sz, s.Url() + "/#/case/" + number, "chan_sz", "harbour-lantern-42");
  REQUIRE(sz.WaitForText("#case-tasks", "SZ"));
  sz.Click("#case-tasks button.done");
  CHECK(sz.WaitForText("#case-timeline", "chan_sz"));
  CHECK(sz.WaitForText("#case-timeline", "交接 H1 已由 SZ 接受"));
  CHECK(sz.WaitForText("#case-timeline", "開案：FJ"));
  sz.Run("window.scrollTo(0, 0)");
  sz.Screenshot(Screenshots() + "/case.png");
  axe = Joined(AxeViolations(sz));
  CHECK_MESSAGE(axe.empty(), axe);

  // The case file on paper: no buttons, the whole timeline.
  sz.Cdp("Emulation.setEmulatedMedia", R"({"media":"print"})");
  CHECK(sz.Run("return getComputedStyle(document.querySelector('#case-tasks-s .acts')).display")
            .string_value() == "none");
  CHECK(sz.Run("return getComputedStyle(document.querySelector('header.bar')).display").string_value() ==
        "none");
  CHECK(sz.Run("return document.getElementById('case-timeline').offsetHeight > 50").bool_value());
  sz.Cdp("Emulation.setEmulatedMedia", R"({"media":""})");
  const std::string pdf = sz.Print();
  CHECK(pdf.size() > 5000);
  CHECK(fj.Errors().empty());
  CHECK(sz.Errors().empty());

  // A third centre cannot reach the case by its address.
  Browser dg(driver);
  SignIn(dg, s.Url() + "/", "lam_dg", "dongguan-lantern-9");
  dg.Go(s.Url() + "/#/case/" + number);
  CHECK(dg.WaitForText("#case-error", "沒有此個案"));
  CHECK(dg.Run("return document.getElementById('case-view').children.length").number_value() == 0);
}

TEST_CASE("the console: a supervisor sees the network at a glance, and each number opens the list behind it") {
  Served s;
  GivePassword(s, "ho_sz", "supervisor-lantern-5");
  const std::string first = s.OpenCase("CHAN Tai Man");
  testing::WebDriver driver;
  Browser b(driver);
  SignIn(b, s.Url() + "/", "ho_sz", "supervisor-lantern-5");
  b.Click("#nav-network");
  REQUIRE(b.WaitForText("#network-view:not([hidden]) #network-h", "網絡概覽"));
  CHECK(b.WaitForText("#network", "SZ"));
  const auto open_at_sz = [&] {
    return b.Run("for (const tr of document.querySelectorAll('#network tbody tr')) "
                 "if (tr.cells[0].textContent === 'SZ') return tr.cells[1].textContent; return '';")
        .string_value();
  };
  CHECK(open_at_sz() == "1");
  // A case opened elsewhere is counted without a reload.
  const std::string second = s.OpenCase("LEE Siu Ming");
  for (int i = 0; i < 150 && open_at_sz() != "2"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(open_at_sz() == "2");
  std::string axe = Joined(AxeViolations(b));
  CHECK_MESSAGE(axe.empty(), axe);
  // The number is a link to the cases it counts, and each case to its page.
  b.Click("#network a[href='#/list/cases?centre=SZ']");
  REQUIRE(b.WaitForText("#list-view:not([hidden]) #list-h", "進行中個案 · SZ"));
  CHECK(b.WaitForText("#list", first));
  CHECK(b.WaitForText("#list", second));
  CHECK(b.WaitForText("#list-count", "(2)"));
  CHECK(b.WaitForText("#list", "護送至口岸"));  // the type and state as people name them
  CHECK(b.WaitForText("#list", "安排護送"));
  CHECK(b.Text("#list").find("escort_to_port") == std::string::npos);
  b.Click("#list a[href='#/case/" + first + "']");
  CHECK(b.WaitForText("#case-title", first));
  b.Go(s.Url() + "/#/list/dead");
  CHECK(b.WaitForText("#list-count", "(0)"));
  const std::vector<std::string> errors = b.Errors();
  const std::string first_error = errors.empty() ? "" : errors.front();
  CHECK_MESSAGE(errors.empty(), first_error);
}

TEST_CASE("the console: intake counts a case and logs a call, and the supervisor's year leads from each number to its rows") {
  Served s;
  GivePassword(s, "chan_sz", "harbour-lantern-42");
  GivePassword(s, "ho_sz", "supervisor-lantern-5");
  testing::WebDriver driver;
  Browser officer(driver);
  SignIn(officer, s.Url() + "/", "chan_sz", "harbour-lantern-42");

  // The case is counted under what the officer picks, with the legal-advice service.
  officer.Click("#nav-new");
  REQUIRE(officer.WaitForText("#intake-view:not([hidden]) #intake-h", "新個案"));
  CHECK(officer.WaitForText("#in-category", "繼承"));  // grouped, in the officer's language
  Choose(officer, "#in-type", "escort_to_port");
  Choose(officer, "#in-category", "inheritance");
  officer.Click("#in-legal_advice");
  officer.Type("#in-person-name_en", "WONG Mei Lan");
  officer.Click("#intake-submit");
  REQUIRE(officer.WaitForText("#case-title", "SZ-"));
  const std::string number = officer.Run("return location.hash.slice('#/case/'.length)").string_value();
  const auto opened = s.Get("chan_sz", "/v1/cases/" + number);
  CHECK(opened.body.find("\"category\":\"inheritance\"") != std::string::npos);
  CHECK(opened.body.find("\"legal_advice\":true") != std::string::npos);

  // The family is asked to confirm: the case waits, and the wait is counted.
  REQUIRE(s.Post("chan_sz", R"({"pause_case": {"case_number": ")" + number +
                                R"(", "reason": "family_to_confirm"}})").status == 200);
  REQUIRE(s.Post("chan_sz", R"({"resume_case": {"case_number": ")" + number + R"("}})").status == 200);

  // A call that is not a case, logged in a few seconds beside the intake.
  officer.Click("#nav-new");
  REQUIRE(officer.WaitForText("#contact-h", "來電及到訪"));
  officer.Click("#contact-submit");
  CHECK(officer.WaitForText("#contact-error", "請選擇類別"));
  Choose(officer, "#contact-channel", "CHANNEL_VISIT");
  Choose(officer, "#contact-category", "identity_documents");
  officer.Type("#contact-note", "Lost her card on the train; told where to report it");
  officer.Click("#contact-submit");
  CHECK(officer.WaitForText("#contact-done", "已記錄人次，編號 1 · SZ"));
  CHECK(officer.Run("return document.getElementById('contact-note').value").string_value().empty());
  std::string axe = Joined(AxeViolations(officer));
  CHECK_MESSAGE(axe.empty(), axe);
  CHECK(officer.Errors().empty());

  // Last year, entered from a spreadsheet: two phone calls about medical bills.
  // "date,centre,channel,category\n{year-1}-04-01,SZ,phone,medical\n{year-1}-05-02,GZ,phone,medical\n"
  const int year = model::HongKongYear(
      std::chrono::time_point_cast<model::Millis>(std::chrono::system_clock::now()));
  const std::string last = std::to_string(year - 1);
  const std::string csv = "date,centre,channel,category\n" + last + "-04-01,SZ,phone,medical\n" +
                          last + "-05-02,GZ,phone,medical\n";
  REQUIRE(s.Post("ho_sz", R"({"import_records": {"kind": "IMPORT_CONTACTS", "csv": ")" +
                              Base64(csv) + R"("}})")
              .status == 200);

  Browser sup(driver, 1280, 1400);
  SignIn(sup, s.Url() + "/", "ho_sz", "supervisor-lantern-5");
  sup.Click("#nav-year");
  REQUIRE(sup.WaitForText("#year-view:not([hidden]) #year-h", "年度統計"));
  CHECK(sup.WaitForText("#year-totals", "來電及到訪"));
  const auto row_of = [&](const std::string& table, int row) {
    return sup.Run("const r = document.querySelectorAll('" + table + " tbody tr')[" +
                   std::to_string(row) + "]; return r ? Array.from(r.cells).map((c) => "
                   "c.textContent).join('|') : ''").string_value();
  };
  for (int i = 0; i < 100 && row_of("#year-totals", 0).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(row_of("#year-totals", 0) == "來電及到訪（人次）|1|2|-50.0");
  CHECK(row_of("#year-totals", 1) == "個案|1|0|-");
  CHECK(row_of("#year-totals", 3) == "法律諮詢個案|1|0|-");
  CHECK(sup.WaitForText("#year-cases", "繼承"));
  CHECK(sup.Run("return document.querySelectorAll('#year-cases svg.share-bar rect').length").number_value() == 1);
  // A bar shows its size only: nothing of the page's other styles paints around it.
  CHECK(sup.Run("return getComputedStyle(document.querySelector('#year-cases svg.share-bar'))"
                ".backgroundColor").string_value() == "rgba(0, 0, 0, 0)");
  CHECK(sup.Run("return document.querySelectorAll('#year-month-chart svg[role=img] rect').length").number_value() == 24);
  axe = Joined(AxeViolations(sup));
  CHECK_MESSAGE(axe.empty(), axe);
  sup.Screenshot(Screenshots() + "/year.png");

  // The service figures' numbers lead to their cases too.
  CHECK(sup.WaitForText("#year-paused", "SZ"));
  sup.Click("#year-paused a[href^='#/list/paused?']");
  REQUIRE(sup.WaitForText("#list-view:not([hidden]) #list-h", "曾暫停的個案 · SZ"));
  CHECK(sup.WaitForText("#list", number));
  CHECK(sup.WaitForText("#list-count", "(1)"));
  sup.Click("#list-back");
  REQUIRE(sup.WaitForText("#year-view:not([hidden]) #year-h", "年度統計"));

  // Each number opens the rows it counts, filtered as the report counted them.
  sup.Click("#year-cases a[href^='#/list/year-cases?'][href*='category=inheritance']");
  REQUIRE(sup.WaitForText("#list-view:not([hidden]) #list-h", "個案 · 所有中心 · " + std::to_string(year)));
  CHECK(sup.WaitForText("#list", number));
  CHECK(sup.WaitForText("#list-count", "(1)"));
  sup.Click("#list-back");
  REQUIRE(sup.WaitForText("#year-view:not([hidden]) #year-h", "年度統計"));
  sup.Click("#year-totals tbody tr:first-child td:nth-child(3) a");  // last year's contacts
  REQUIRE(sup.WaitForText("#list-view:not([hidden]) #list-h", last));
  CHECK(sup.WaitForText("#list-count", "(2)"));
  CHECK(sup.WaitForText("#list", "GZ"));
  // One centre: its own numbers, and the rows behind them its own.
  sup.Go(s.Url() + "/#/year/" + last);
  REQUIRE(sup.WaitForText("#year-view:not([hidden]) #year-h", "年度統計"));
  CHECK(sup.WaitForText("#year-centre", "GZ"));
  Choose(sup, "#year-centre", "GZ");
  for (int i = 0; i < 100 && sup.Run("return location.hash").string_value() != "#/year/" + last + "?centre=GZ"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(sup.Run("return location.hash").string_value() == "#/year/" + last + "?centre=GZ");
  CHECK(sup.WaitForText("#year-contacts", "醫療"));
  CHECK(sup.Run("return document.getElementById('year-centres-s').hidden").bool_value());
  sup.Click("#year-months a[href*='month=5']");
  CHECK(sup.WaitForText("#list-count", "(1)"));
  CHECK(sup.WaitForText("#list", last + "-05-02"));

  // A case of last year entered from a spreadsheet opens like any other, and says what it is.
  const std::string cases = "opened,closed,centre,type,category,reference\n" + last +
                            "-06-01," + last + "-06-20,GZ,escort_to_port,stranded,GZ/" + last + "/9\n";
  REQUIRE(s.Post("ho_sz", R"({"import_records": {"kind": "IMPORT_CASES", "file_name": "gz.csv", "csv": ")" +
                              Base64(cases) + R"("}})")
              .status == 200);
  sup.Go(s.Url() + "/#/list/year-cases?year=" + last + "&centre=GZ");
  CHECK(sup.WaitForText("#list-count", "(1)"));
  sup.Click("#list a[href='#/case/GZ-" + last + "-0001']");
  CHECK(sup.WaitForText("#case-title", "GZ-" + last + "-0001"));
  CHECK(sup.WaitForText(".case-head", "過往紀錄"));
  CHECK(sup.WaitForText(".case-head", "GZ/" + last + "/9 (gz.csv line 2)"));
  CHECK(sup.WaitForText("#case-timeline", "由過往紀錄輸入"));
  const std::vector<std::string> errors = sup.Errors();
  const std::string first_error = errors.empty() ? "" : errors.front();
  CHECK_MESSAGE(errors.empty(), first_error);
}

TEST_CASE("the console on a phone: the escort at the port sees their tasks, marks one done and adds a note") {
  Served s;
  GivePassword(s, "chan_sz", "harbour-lantern-42");
  REQUIRE(s.Post("chan_sz", R"({"duty_on": {}})").status == 200);
  const std::string number = s.OpenCase("CHAN Tai Man");  // its tasks come to the officer on duty
  testing::WebDriver driver;
  Browser phone(driver, 390, 844);
  SignIn(phone, s.Url() + "/", "chan_sz", "harbour-lantern-42");
  REQUIRE(phone.WaitForText("#mine", number + "/1"));
  // Nothing wider than the screen: no sideways scrolling at the port.
  CHECK(phone.Run("return document.documentElement.scrollWidth").number_value() <= 390);
  phone.Click("#mine a");
  REQUIRE(phone.WaitForText("#case-title", number));
  CHECK(phone.Run("return document.documentElement.scrollWidth").number_value() <= 390);
  const std::string button = "#case-tasks tr[data-seq=\"1\"] button.done";
  CHECK(phone.Run("const r = document.querySelector('" + button + "').getBoundingClientRect();"
                  "return r.width > 0 && r.right <= 390").bool_value());
  phone.Click(button);
  CHECK(phone.WaitForText("#case-tasks tr[data-seq=\"1\"]", "已完成"));
  phone.Type("#note-text", "At Shenzhen Bay, waiting for the family on the Hong Kong side");
  phone.Click("#note-form button[type=submit]");
  CHECK(phone.WaitForText("#case-timeline", "At Shenzhen Bay, waiting for the family"));
  CHECK(phone.Run("return document.getElementById('note-text').value").string_value().empty());
  phone.Run("window.scrollTo(0, 0)");
  phone.Screenshot(Screenshots() + "/phone.png");
  // The family took her home themselves: the case is cancelled, with why.
  phone.Type("#end-reason", "Family drove her home; no escort needed");
  phone.Click("#cancel-case");
  CHECK(phone.WaitForText(".case-head", "已取消"));
  CHECK(phone.Run("return document.getElementById('end-form') === null").bool_value());
  CHECK(phone.WaitForText("#case-timeline", "Family drove her home"));
  CHECK(phone.Errors().empty());
}
