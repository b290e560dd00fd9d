// The parsers of values people type: identity card and permit numbers, times,
// durations, webhook URLs, UTF-8 text, a whole person.
#include <algorithm>
#include <set>

#include "fuzz_input.h"
#include "model/duration.h"
#include "model/hkid.h"
#include "model/person_validation.h"
#include "model/text_check.h"
#include "model/time.h"
#include "notify/http_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string s(reinterpret_cast<const char*>(data), size);

  if (auto hkid = model::NormalizeHkid(s); hkid.ok()) {
    FUZZ_ASSERT(*model::NormalizeHkid(*hkid) == *hkid, "normalising is not idempotent");
    const std::string masked = model::MaskHkid(*hkid);
    int digits = 0;
    for (char c : masked) digits += c >= '0' && c <= '9';
    FUZZ_ASSERT(digits <= 3, "a masked number shows " + masked);
  } else {
    // The error is one of a few fixed sentences: it never repeats what was typed.
    static const std::set<std::string> kSentences = [] {
      std::set<std::string> out;
      for (const char* bad : {"", "A12B456(3)", "A123456(B)", "A123456(4)"}) {
        out.insert(model::NormalizeHkid(bad).status().message());
      }
      return out;
    }();
    FUZZ_ASSERT(kSentences.count(hkid.status().message()) == 1, hkid.status().message());
  }
  const std::string masked = model::MaskHkidsIn(s);
  FUZZ_ASSERT(masked.size() == s.size(), "masking changed the length");
  FUZZ_ASSERT(model::MaskHkidsIn(masked) == masked, "masking is not idempotent");
  // Nothing an officer could type as an identity number survives masking.
  for (size_t at = 0; at < std::min<size_t>(masked.size(), 256); ++at) {
    for (size_t len = 7; len <= 24 && at + len <= masked.size(); ++len) {
      FUZZ_ASSERT(!model::NormalizeHkid(std::string_view(masked).substr(at, len)).ok(),
                  "an identity number survived masking: " + masked);
    }
  }

  if (auto t = model::ParseTimestamp(s); t.ok()) {
    auto back = model::ParseTimestamp(model::FormatRfc3339HongKong(*t));
    FUZZ_ASSERT(back.ok() && *back == *t, "a time does not read back: " + s);
  }
  if (auto d = model::ParseDuration(s); d.ok()) {
    FUZZ_ASSERT(d->count() > 0, "a duration that is not positive: " + s);
    (void)model::FormatDuration(*d);
  }
  if (auto url = notify::ParseHttpUrl(s); url.ok()) {
    const int port = std::stoi(url->port);
    FUZZ_ASSERT(port >= 1 && port <= 65535, "port " + url->port);
    FUZZ_ASSERT(!url->target.empty() && url->target[0] == '/', "target " + url->target);
  }

  const std::string valid = model::ToValidUtf8(s);
  FUZZ_ASSERT(model::IsValidUtf8(valid), "mended text is not UTF-8");
  if (model::IsValidUtf8(s)) FUZZ_ASSERT(valid == s, "valid text was changed");
  FUZZ_ASSERT(model::ValidUtf8Prefix(s) <= s.size(), "prefix");

  // A person made of the pieces of the input.
  fuzz::Input in(data, size);
  model::Person p;
  p.set_name_zh(in.Bytes(12));
  p.set_name_en(in.Bytes(12));
  p.set_hkid(in.Bytes(12));
  p.set_home_return_permit(in.Bytes(12));
  p.set_date_of_birth(in.Bytes(12));
  p.set_phone(in.Bytes(16));
  p.mutable_next_of_kin()->set_phone(in.Bytes(16));
  const model::Instant now = *model::ParseTimestamp("2026-03-02T09:00+08:00");
  if (model::NormalizePerson(p, now).ok()) {
    model::Person again = p;
    FUZZ_ASSERT(model::NormalizePerson(again, now).ok(), "a normalised person is refused");
    FUZZ_ASSERT(again.SerializeAsString() == p.SerializeAsString(), "not idempotent");
  }
  return 0;
}
