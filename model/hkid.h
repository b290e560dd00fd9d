// Hong Kong identity card numbers: one or two letters, six digits and a check
// digit (0-9 or A), printed as A123456(3).
#ifndef MODEL_HKID_H_
#define MODEL_HKID_H_

#include <string>
#include <string_view>

#include "model/status.h"

namespace model {

// Accepts "A123456(3)", "a1234563", "AB987654(A)" and the like (spaces
// ignored), verifies the check digit and returns the printed form
// "A123456(3)". Anything else is InvalidArgument with a message that says what
// to check.
Result<std::string> NormalizeHkid(std::string_view raw);

// For logs and anything that leaves the system: "A123***(*)". Works on any
// text; never returns more than the letters and first three digits.
std::string MaskHkid(std::string_view hkid);

// `text` with everything in it shaped like an identity card number (one or
// two letters, six digits, a check digit in brackets or not, upper or lower
// case, a space allowed before the brackets) masked as MaskHkid does, and
// every Home Return Permit number (a letter and 8 or 10 digits) as
// MaskPermit does. For messages and log lines that may repeat what someone
// typed.
std::string MaskHkidsIn(std::string_view text);

}  // namespace model

#endif  // MODEL_HKID_H_
