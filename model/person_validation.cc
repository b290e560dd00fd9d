#include "model/person_validation.h"

#include <cctype>
#include <chrono>

#include "model/hkid.h"

namespace model {
namespace {

// Messages never repeat what was typed: it may be an identity number typed
// into the wrong field, and messages end up in logs.
Status CheckPhone(std::string_view what, std::string_view field, std::string_view phone) {
  int digits = 0;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')') {
      return Status::InvalidArgument(std::string(what) +
                                     " may hold only digits, spaces and + - ( )")
          .WithField(std::string(field));
    }
  }
  if (digits < 8 || digits > 15) {
    return Status::InvalidArgument(std::string(what) + " should have 8 to 15 digits")
        .WithField(std::string(field));
  }
  return Status::Ok();
}

Status CheckDate(std::string_view date, Instant now) {
  auto bad = [] {
    return Status::InvalidArgument(
               "the date of birth is not a date; write it as YYYY-MM-DD, e.g. 1944-05-17")
        .WithField("date_of_birth");
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return bad();
  }
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = std::stoul(std::string(date.substr(5, 2)));
  const unsigned d = std::stoul(std::string(date.substr(8, 2)));
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok() || y < 1880) return bad();
  const std::chrono::year_month_day today{
      std::chrono::floor<std::chrono::days>(now + kHongKongOffset)};
  if (ymd > today) {
    return Status::InvalidArgument("the date of birth is in the future; check the year")
        .WithField("date_of_birth");
  }
  return Status::Ok();
}

// Without spaces at either end: ASCII ones, the ideographic space (U+3000)
// a Chinese input method types, and the no-break space (U+00A0).
std::string Trimmed(std::string_view s) {
  auto space_at_start = [&](std::string_view t) -> size_t {
    if (!t.empty() && std::isspace(static_cast<unsigned char>(t[0]))) return 1;
    if (t.substr(0, 3) == "\xE3\x80\x80") return 3;
    if (t.substr(0, 2) == "\xC2\xA0") return 2;
    return 0;
  };
  auto space_at_end = [&](std::string_view t) -> size_t {
    if (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) return 1;
    if (t.size() >= 3 && t.substr(t.size() - 3) == "\xE3\x80\x80") return 3;
    if (t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xA0") return 2;
    return 0;
  };
  while (size_t n = space_at_start(s)) s.remove_prefix(n);
  while (size_t n = space_at_end(s)) s.remove_suffix(n);
  return std::string(s);
}

}  // namespace

Status NormalizePerson(Person& person, Instant now) {
  person.set_name_zh(Trimmed(person.name_zh()));
  person.set_name_en(Trimmed(person.name_en()));
  if (person.name_zh().empty() && person.name_en().empty()) {
    return Status::InvalidArgument(
               "the person needs a name in Chinese or English; if it is unknown, write how they "
               "are known, e.g. 無名氏 or 'unknown woman, Longgang'")
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
                 "on older permits), like H12345678")
          .WithField("home_return_permit");
    }
    person.set_home_return_permit(p);
  }
  if (!person.date_of_birth().empty()) RETURN_IF_ERROR(CheckDate(person.date_of_birth(), now));
  if (!person.phone().empty()) {
    RETURN_IF_ERROR(CheckPhone("the phone number", "phone", person.phone()));
  }
  if (!person.next_of_kin().phone().empty()) {
    RETURN_IF_ERROR(CheckPhone("the next of kin's phone number", "next_of_kin.phone",
                               person.next_of_kin().phone()));
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

}  // namespace model
