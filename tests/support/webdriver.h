// Headless Chromium from Debian, driven over the W3C WebDriver protocol by
// chromedriver on loopback: the console's tests use a real browser.
#ifndef TESTS_SUPPORT_WEBDRIVER_H_
#define TESTS_SUPPORT_WEBDRIVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace testing {

// chromedriver on 127.0.0.1, on a port it picks; stopped with the object.
class WebDriver {
 public:
  WebDriver();
  ~WebDriver();
  unsigned short port() const { return port_; }

 private:
  TempDir io_;
  std::unique_ptr<KillableProcess> process_;
  unsigned short port_ = 0;
};

// One browser window with its own profile (cookies, storage): one person.
class Browser {
 public:
  explicit Browser(WebDriver& driver, int width = 1280, int height = 800);
  ~Browser();

  void Go(const std::string& url);
  // The first element `css` finds, waiting for it up to `wait`; REQUIREs it.
  std::string Find(const std::string& css, std::chrono::milliseconds wait = std::chrono::seconds(15));
  void Click(const std::string& css);
  void Type(const std::string& css, const std::string& text);
  std::string Text(const std::string& css);
  // Waits until the text of `css` holds `needle`; false when it never does. Generous:
  // on a loaded two-core machine a live update can take seconds.
  bool WaitForText(const std::string& css, const std::string& needle,
                   std::chrono::milliseconds wait = std::chrono::seconds(15));
  // Runs `script` in the page; its return value.
  google::protobuf::Value Run(const std::string& script);
  // Runs `script`, which calls its last argument with the answer, when it does.
  google::protobuf::Value RunAsync(const std::string& script);
  // Writes a PNG of the window.
  void Screenshot(const std::string& path);
  // The page printed (its print stylesheet), as PDF bytes.
  std::string Print();
  // Runs a DevTools protocol command ("Emulation.setEmulatedMedia") with
  // `params` (a JSON object).
  void Cdp(const std::string& command, const std::string& params);
  // The browser's log entries of level SEVERE since the last call: console
  // errors, uncaught exceptions, failed requests.
  std::vector<std::string> Errors();

 private:
  google::protobuf::Value Call(const std::string& method, const std::string& path,
                               const std::string& body = "");
  unsigned short port_;
  std::string session_;
};

}  // namespace testing

#endif  // TESTS_SUPPORT_WEBDRIVER_H_
