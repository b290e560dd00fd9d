// Typed case fields: what each type of FieldDef accepts, the one written form
// its value is kept in, and how a value reads (model/proto/workflow.proto).
#ifndef MODEL_FIELD_VALUES_H_
#define MODEL_FIELD_VALUES_H_

#include <string>
#include <string_view>
#include <vector>

#include "model/labels.h"
#include "model/proto/workflow.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace model {

// `raw` checked against `field`'s type and choices, in the form it is kept:
// dates "2026-03-02"; times "14:30"; both "2026-03-02 14:30" (Hong Kong
// time); numbers without '+' or needless zeros ("2.5"); phones as typed
// without spaces at either end; identity numbers "A123456(3)"; "yes" or "no". Messages name the field by its label,
// say what to write, and never repeat a phone or identity number.
Result<std::string> NormalizeFieldValue(const FieldDef& field, std::string_view raw);

// The values a choice field may take: its choices, or the one_of list of a
// version 1 definition. Empty for every other field.
std::vector<std::string> ChoiceValues(const FieldDef& field);

// True for DATE and DATE_TIME fields, which date conditions compare.
bool IsDateField(const FieldDef& field);

// A DATE or DATE_TIME value (as NormalizeFieldValue keeps it) as an instant;
// a date alone is the start of its day in Hong Kong.
Result<Instant> FieldInstant(const FieldDef& field, std::string_view value);

// How a kept value reads in `lang`: a choice's label, yes/no in words, any
// other value as kept.
std::string FieldValueText(const FieldDef& field, std::string_view value, Lang lang);

// `s` without spaces at either end: ASCII ones, the ideographic space
// (U+3000) a Chinese input method types, and the no-break space (U+00A0).
std::string TrimSpaces(std::string_view s);

// Checks a phone number: 8 to 15 digits, with + - ( ) and spaces allowed.
// `what` names it in the message ("the phone number"), `what_zh` in the
// Chinese one ("電話號碼"; without it the message is in English only); the
// number is never repeated.
Status CheckPhone(std::string_view what, std::string_view phone, std::string_view what_zh = {});

}  // namespace model

#endif  // MODEL_FIELD_VALUES_H_
