// The web console in a real browser: headless Chromium from Debian, driven
// by chromedriver over WebDriver, against `dispatch serve` on 127.0.0.1.
#include <doctest/doctest.h>

#include <filesystem>

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

  b.Type("#login-user", "chan_sz");
  b.Type("#login-password", "not-the-password");
  b.Click("#login-form button[type=submit]");
  CHECK(b.WaitForText("#login-error", "用戶名稱或密碼不正確"));
  b.Errors();  // the refused sign-in is a 401, on purpose

  b.Type("#login-password", "harbour-lantern-42");
  b.Click("#login-form button[type=submit]");
  REQUIRE(b.WaitForText("#who", "chan_sz · SZ · duty_officer"));
  CHECK(b.WaitForText("#live", "即時更新"));
  b.Go(s.Url() + "/");  // a reload keeps the session
  REQUIRE(b.WaitForText("#who", "chan_sz · SZ · duty_officer"));
  CHECK(b.Errors().empty());

  // A colleague opens a case: its tasks come onto the board by themselves.
  const std::string number = s.OpenCase();
  CHECK(b.WaitForText("#centre", number + "/1 與家屬協定"));
  CHECK(b.WaitForText("#centre-count", "(3"));

  // English, remembered for this user.
  b.Click("#lang");
  CHECK(b.WaitForText("#centre-h", "My centre's open tasks"));
  CHECK(b.Run("return localStorage.getItem('dispatch.lang.chan_sz')").string_value() == "en");

  // On duty from the board; new work then comes to them.
  b.Click("#duty");
  CHECK(b.WaitForText("#duty", "On duty"));
  const std::string second = s.OpenCase("LEE Siu Ming");
  CHECK(b.WaitForText("#mine", second));
  b.Screenshot(Screenshots() + "/board.png");
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

  b.Click("#logout");
  CHECK(b.WaitForText("#login-view:not([hidden]) h2", "Sign in"));
  CHECK(b.Run("return document.getElementById('board-view').hidden").bool_value());
  CHECK(b.Errors().empty());
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
  CHECK(b.WaitForText("#password-error", "at least 10 characters"));
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
