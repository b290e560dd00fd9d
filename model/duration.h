// Durations as written in definitions and scenarios: "90m", "12h", "2d", "1d12h".
#ifndef MODEL_DURATION_H_
#define MODEL_DURATION_H_

#include <string>
#include <string_view>

#include "model/status.h"
#include "model/time.h"

namespace model {

// Parses one or more <number><unit> parts, units d, h, m, s, largest first.
// REQUIRES nothing; an empty, zero or malformed text is InvalidArgument.
Result<Millis> ParseDuration(std::string_view text);

// The inverse for display: "1d 12h", "90m" becomes "1h 30m", zero is "0m".
std::string FormatDuration(Millis d);

}  // namespace model

#endif  // MODEL_DURATION_H_
