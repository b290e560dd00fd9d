#include "support/webdriver.h"

#include <doctest/doctest.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/http_client.h"

namespace testing {
namespace {

constexpr const char* kChromedriver = "/usr/bin/chromedriver";
// What a W3C element reference is keyed by.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

std::string Quoted(const std::string& s) {
  google::protobuf::Value v;
  v.set_string_value(s);
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(v, &out);
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

WebDriver::WebDriver() {
  REQUIRE_MESSAGE(std::filesystem::exists(kChromedriver),
                  "no chromedriver at /usr/bin/chromedriver: ./scripts/test installs chromium and "
                  "chromium-driver from Debian");
  const std::string out = io_.Path("chromedriver.out");
  // --port=0: it picks a free port and says which; it listens on loopback only.
  process_ = std::make_unique<KillableProcess>(
      std::vector<std::string>{kChromedriver, "--port=0", "--log-level=WARNING"}, out,
      io_.Path("chromedriver.err"));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    const std::string said = ReadAll(out);
    const std::string started = "started successfully on port ";
    const auto at = said.find(started);
    if (at != std::string::npos && said.find('.', at + started.size()) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::stoi(said.substr(at + started.size())));
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string why = "chromedriver did not start: " + ReadAll(io_.Path("chromedriver.err"));
  REQUIRE_MESSAGE(port_ != 0, why);
}

WebDriver::~WebDriver() {
  if (process_) process_->Kill();
}

Browser::Browser(WebDriver& driver, int width, int height) : port_(driver.port()) {
  const std::string caps =
      R"({"capabilities":{"alwaysMatch":{"browserName":"chrome","goog:chromeOptions":{"args":[)"
      R"("--headless=new","--no-sandbox","--disable-dev-shm-usage","--disable-gpu",)"
      R"("--window-size=)" + std::to_string(width) + "," + std::to_string(height) +
      R"("]},"goog:loggingPrefs":{"browser":"ALL"}}}})";
  google::protobuf::Value v = Call("POST", "/session", caps);
  session_ = v.struct_value().fields().at("sessionId").string_value();
  REQUIRE(!session_.empty());
  // The page itself that size, not the window around it.
  Cdp("Emulation.setDeviceMetricsOverride", R"({"width":)" + std::to_string(width) +
                                                R"(,"height":)" + std::to_string(height) +
                                                R"(,"deviceScaleFactor":1,"mobile":false})");
}

Browser::~Browser() {
  if (!session_.empty()) Http(port_, "DELETE", "/session/" + session_);
}

google::protobuf::Value Browser::Call(const std::string& method, const std::string& path,
                                      const std::string& body) {
  HttpReply r = Http(port_, method, path, body, {{"Content-Type", "application/json"}});
  google::protobuf::Struct reply;
  const auto parsed = google::protobuf::util::JsonStringToMessage(r.body, &reply);
  const std::string said = method + " " + path + ": " + r.body;
  REQUIRE_MESSAGE(parsed.ok(), said);
  const auto it = reply.fields().find("value");
  REQUIRE(it != reply.fields().end());
  if (r.status != 200) {
    const std::string refused = method + " " + path + " " + body.substr(0, 200) + " -> " +
                                std::to_string(r.status) + ": " + r.body.substr(0, 500);
    FAIL_CHECK(refused);
  }
  return it->second;
}

void Browser::Go(const std::string& url) {
  Call("POST", "/session/" + session_ + "/url", R"({"url":)" + Quoted(url) + "}");
}

std::string Browser::Find(const std::string& css, std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    HttpReply r = Http(port_, "POST", "/session/" + session_ + "/element",
                       R"({"using":"css selector","value":)" + Quoted(css) + "}",
                       {{"Content-Type", "application/json"}});
    if (r.status == 200) {
      google::protobuf::Struct reply;
      REQUIRE(google::protobuf::util::JsonStringToMessage(r.body, &reply).ok());
      return reply.fields().at("value").struct_value().fields().at(kElementKey).string_value();
    }
    const std::string missing = "no element " + css + " on the page";
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until, missing);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void Browser::Click(const std::string& css) {
  // A live page may draw the element anew between finding and clicking it:
  // then find it again.
  for (int attempt = 0;; ++attempt) {
    HttpReply r = Http(port_, "POST", "/session/" + session_ + "/element/" + Find(css) + "/click",
                       "{}", {{"Content-Type", "application/json"}});
    if (r.status == 200) return;
    const bool stale = r.body.find("stale element reference") != std::string::npos;
    const std::string refused = "click " + css + " -> " + std::to_string(r.status) + ": " +
                                r.body.substr(0, 500);
    REQUIRE_MESSAGE((stale && attempt < 5), refused);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Browser::Type(const std::string& css, const std::string& text) {
  const std::string id = Find(css);
  Call("POST", "/session/" + session_ + "/element/" + id + "/clear", "{}");
  Call("POST", "/session/" + session_ + "/element/" + id + "/value", R"({"text":)" + Quoted(text) + "}");
}

std::string Browser::Text(const std::string& css) {
  return Call("GET", "/session/" + session_ + "/element/" + Find(css) + "/text").string_value();
}

bool Browser::WaitForText(const std::string& css, const std::string& needle,
                          std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const google::protobuf::Value v = Run("const e = document.querySelector(" + Quoted(css) +
                                          "); return e ? e.innerText : '';");
    if (v.string_value().find(needle) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

google::protobuf::Value Browser::Run(const std::string& script) {
  return Call("POST", "/session/" + session_ + "/execute/sync",
              R"({"script":)" + Quoted(script) + R"(,"args":[]})");
}

namespace {

std::string Base64Decoded(const std::string& b64) {
  std::string out(b64.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()),
                                static_cast<int>(b64.size()));
  REQUIRE(n > 0);
  // EVP_DecodeBlock counts each '=' of padding as a byte.
  const size_t padding = b64.size() - b64.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

google::protobuf::Value Browser::RunAsync(const std::string& script) {
  return Call("POST", "/session/" + session_ + "/execute/async",
              R"({"script":)" + Quoted(script) + R"(,"args":[]})");
}

void Browser::Screenshot(const std::string& path) {
  const std::string png =
      Base64Decoded(Call("GET", "/session/" + session_ + "/screenshot").string_value());
  REQUIRE(png.rfind("IEND") == png.size() - 8);  // a whole PNG
  std::ofstream(path, std::ios::binary) << png;
}

std::string Browser::Print() {
  const std::string pdf = Base64Decoded(
      Call("POST", "/session/" + session_ + "/print", R"({"background":false})").string_value());
  REQUIRE(pdf.rfind("%PDF", 0) == 0);
  return pdf;
}

void Browser::Cdp(const std::string& command, const std::string& params) {
  Call("POST", "/session/" + session_ + "/goog/cdp/execute",
       R"({"cmd":)" + Quoted(command) + R"(,"params":)" + params + "}");
}

std::vector<std::string> Browser::Errors() {
  const google::protobuf::Value v =
      Call("POST", "/session/" + session_ + "/se/log", R"({"type":"browser"})");
  std::vector<std::string> out;
  for (const auto& entry : v.list_value().values()) {
    const auto& f = entry.struct_value().fields();
    if (f.at("level").string_value() == "SEVERE") out.push_back(f.at("message").string_value());
  }
  return out;
}

}  // namespace testing
