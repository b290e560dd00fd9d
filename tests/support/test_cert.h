// A self-signed certificate for 127.0.0.1 (and localhost) that a test makes
// for itself: its PEM certificate and key written into a directory.
#ifndef TESTS_SUPPORT_TEST_CERT_H_
#define TESTS_SUPPORT_TEST_CERT_H_

#include <string>

namespace testing {

struct TestCert {
  std::string cert;  // the PEM certificate's path (also the CA to trust)
  std::string key;   // the PEM private key's path
};

// Makes a P-256 key and a certificate valid for a day, in `dir`.
TestCert MakeTestCert(const std::string& dir, const std::string& name = "server");

}  // namespace testing

#endif  // TESTS_SUPPORT_TEST_CERT_H_
