// Checks on the person a case is about, and the masked copy that is all logs
// and outside parties ever see.
#ifndef MODEL_PERSON_VALIDATION_H_
#define MODEL_PERSON_VALIDATION_H_

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "model/proto/person.pb.h"
#include "model/proto/workflow.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace model {

// Normalises `person` in place or says what is wrong with it. Requires a name
// in Chinese or English; checks the identity card's check digit, the Home
// Return Permit number's form, the date of birth (a real date, not after the
// day of `now` in Hong Kong) and the phone numbers. Errors never repeat what
// was typed, and name the field of Person in Status::field().
Status NormalizePerson(Person& person, Instant now);

// Normalises who called in place or says what is wrong: a name or an
// organisation when anything is given, a phone that is a phone. Errors name
// the field of Caller in Status::field().
Status NormalizeCaller(Caller& caller);

// True when nothing about the caller was given.
bool IsEmptyCaller(const Caller& caller);

// How a conversation with an outside party happened (phone, visit, message,
// email, letter), as a choice field: NormalizeFieldValue takes a channel as
// its code or either label, and FieldValueText reads it in either language.
const FieldDef& ContactChannelField();

// "H1234****": letter and first four digits of a Home Return Permit number.
std::string MaskPermit(std::string_view permit);

// A copy with identity numbers masked, phones shortened and date of birth cut
// to the year: the minimum for logs and anything sent outside.
Person MaskedPerson(const Person& person);

// Masks every identity number in `message` and the messages in it, in place:
// a Person's HKID and Home Return Permit number as MaskHkid and MaskPermit
// do, and an HKID in any other text as MaskHkidsIn does. The rest stays (a
// record kept outside, where the names and what happened are the point).
void MaskIdentityNumbers(google::protobuf::Message& message);

}  // namespace model

#endif  // MODEL_PERSON_VALIDATION_H_
