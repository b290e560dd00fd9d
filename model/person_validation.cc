#include "model/person_validation.h"

#include <cctype>
#include <chrono>
#include <tuple>
#include <vector>

#include "model/field_values.h"
#include "model/hkid.h"
#include "model/proto/case.pb.h"

namespace model {
namespace {

// Messages never repeat what was typed: it may be an identity number typed
// into the wrong field, and messages end up in logs.
Status CheckDate(std::string_view date, Instant now) {
  auto day = ParseDate(date);
  if (!day.ok()) {
    return Status::InvalidArgument(
               "the date of birth is not a date; write it as YYYY-MM-DD, e.g. 1944-05-17",
               "出生日期不正確；請寫成 YYYY-MM-DD，例如 1944-05-17")
        .WithField("date_of_birth");
  }
  if (*day > HongKongDay(now)) {
    return Status::InvalidArgument("the date of birth is in the future; check the year",
                                   "出生日期不可以是將來的日子；請核對年份")
        .WithField("date_of_birth");
  }
  return Status::Ok();
}

}  // namespace

Status NormalizePerson(Person& person, Instant now) {
  person.set_name_zh(TrimSpaces(person.name_zh()));
  person.set_name_en(TrimSpaces(person.name_en()));
  if (person.name_zh().empty() && person.name_en().empty()) {
    return Status::InvalidArgument(
               "the person needs a name in Chinese or English; if it is unknown, write how they "
               "are known, e.g. 無名氏 or 'unknown woman, Longgang'",
               "請填寫當事人的中文或英文姓名；如姓名不詳，請寫下可識別當事人的稱呼，"
               "例如「無名氏」或「龍崗不知名女士」")
        .WithField("name_zh");
  }
  if (!person.hkid().empty()) {
    auto hkid = NormalizeHkid(person.hkid());
    if (!hkid.ok()) return hkid.status().WithField("hkid");
    person.set_hkid(*hkid);
  }
  if (!person.home_return_permit().empty()) {
    std::string p;
    for (char c : person.home_return_permit()) {
      if (c != ' ') p += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    bool ok = (p.size() == 9 || p.size() == 11) && (p[0] == 'H' || p[0] == 'M');
    for (size_t i = 1; ok && i < p.size(); ++i) ok = std::isdigit(static_cast<unsigned char>(p[i]));
    if (!ok) {
      return Status::InvalidArgument(
                 "the Home Return Permit number is not valid: expected H or M and 8 digits (10 "
                 "on older permits), like H12345678",
                 "回鄉證號碼不正確：應為 H 或 M 加 8 位數字（舊式回鄉證為 10 位數字），例如 "
                 "H12345678")
          .WithField("home_return_permit");
    }
    person.set_home_return_permit(p);
  }
  if (!person.date_of_birth().empty()) RETURN_IF_ERROR(CheckDate(person.date_of_birth(), now));
  if (!person.phone().empty()) {
    RETURN_IF_ERROR(
        CheckPhone("the phone number", person.phone(), "電話號碼").WithField("phone"));
  }
  if (!person.next_of_kin().phone().empty()) {
    RETURN_IF_ERROR(CheckPhone("the next of kin's phone number", person.next_of_kin().phone(),
                               "香港親屬的電話號碼")
                        .WithField("next_of_kin.phone"));
  }
  return Status::Ok();
}

const FieldDef& ContactChannelField() {
  static const FieldDef* const field = [] {
    auto* f = new FieldDef;
    f->set_name("channel");
    f->mutable_label()->set_en("how it happened");
    f->mutable_label()->set_zh_hant("聯絡方式");
    f->set_type(FieldDef::CHOICE);
    for (const auto& [code, en, zh] : {std::tuple{"phone", "phone", "電話"},
                                       std::tuple{"visit", "visit", "探訪"},
                                       std::tuple{"message", "message", "訊息"},
                                       std::tuple{"email", "email", "電郵"},
                                       std::tuple{"letter", "letter", "信件"}}) {
      Choice* c = f->add_choice();
      c->set_value(code);
      c->mutable_label()->set_en(en);
      c->mutable_label()->set_zh_hant(zh);
    }
    return f;
  }();
  return *field;
}

bool IsEmptyCaller(const Caller& caller) {
  return caller.name().empty() && caller.relationship().empty() && caller.organisation().empty() &&
         caller.phone().empty() && caller.note().empty();
}

Status NormalizeCaller(Caller& caller) {
  caller.set_name(TrimSpaces(caller.name()));
  caller.set_relationship(TrimSpaces(caller.relationship()));
  caller.set_organisation(TrimSpaces(caller.organisation()));
  caller.set_phone(TrimSpaces(caller.phone()));
  caller.set_note(TrimSpaces(caller.note()));
  if (IsEmptyCaller(caller)) return Status::Ok();
  if (caller.name().empty() && caller.organisation().empty()) {
    return Status::InvalidArgument(
               "say who called: their name, or the organisation they called from (a police "
               "station, a hospital, a town office)",
               "請填寫來電者的姓名，或其來電所屬的機構（例如派出所、醫院、鎮政府）")
        .WithField("name");
  }
  if (!caller.phone().empty()) {
    RETURN_IF_ERROR(CheckPhone("the caller's phone number", caller.phone(), "來電者的電話號碼")
                        .WithField("phone"));
  }
  return Status::Ok();
}

std::string MaskPermit(std::string_view permit) {
  std::string out;
  for (size_t i = 0; i < permit.size(); ++i) out += i < 5 ? permit[i] : '*';
  return out;
}

Person MaskedPerson(const Person& person) {
  Person m;
  m.set_name_zh(person.name_zh());
  m.set_name_en(person.name_en());
  if (!person.hkid().empty()) m.set_hkid(MaskHkid(person.hkid()));
  if (!person.home_return_permit().empty()) {
    m.set_home_return_permit(MaskPermit(person.home_return_permit()));
  }
  if (person.date_of_birth().size() >= 4) m.set_date_of_birth(person.date_of_birth().substr(0, 4));
  return m;
}

void MaskIdentityNumbers(google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  // A definition's content hash is hex the system made, not text anyone typed:
  // masked, it would no longer name the version the case ran on.
  if (dynamic_cast<DefinitionRef*>(&message) != nullptr) return;
  if (auto* person = dynamic_cast<Person*>(&message)) {
    if (!person->hkid().empty()) person->set_hkid(MaskHkid(person->hkid()));
    if (!person->home_return_permit().empty()) {
      person->set_home_return_permit(MaskPermit(person->home_return_permit()));
    }
  }
  const google::protobuf::Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, f); ++i) {
          MaskIdentityNumbers(*r->MutableRepeatedMessage(&message, f, i));
        }
      } else {
        MaskIdentityNumbers(*r->MutableMessage(&message, f));
      }
    } else if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, f); ++i) {
          r->SetRepeatedString(&message, f, i,
                               MaskHkidsIn(r->GetRepeatedString(message, f, i)));
        }
      } else {
        r->SetString(&message, f, MaskHkidsIn(r->GetString(message, f)));
      }
    }
  }
}

}  // namespace model
