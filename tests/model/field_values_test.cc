#include "model/field_values.h"

#include <doctest/doctest.h>

namespace model {
namespace {

FieldDef Field(FieldDef::Type type, const std::string& name = "f") {
  FieldDef f;
  f.set_name(name);
  f.mutable_label()->set_en("F");
  f.mutable_label()->set_zh_hant("欄");
  f.set_type(type);
  return f;
}

// The kept form of `raw`, or the refusal's message.
std::string Kept(const FieldDef& f, std::string_view raw) {
  auto r = NormalizeFieldValue(f, raw);
  return r.ok() ? *r : "refused: " + r.status().message();
}

}  // namespace

TEST_CASE("dates, times and both are kept in one form, in Hong Kong time") {
  const FieldDef date = Field(FieldDef::DATE);
  CHECK(Kept(date, " 2026-03-02 ") == "2026-03-02");
  CHECK(Kept(date, "2026-02-30") ==
        "refused: field 'f' (F) takes a date; write it as YYYY-MM-DD, e.g. 2026-03-02");
  CHECK(Kept(date, "next Sunday maybe").rfind("refused: ", 0) == 0);
  CHECK(Kept(date, "2026-3-2").rfind("refused: ", 0) == 0);

  const FieldDef time = Field(FieldDef::TIME);
  CHECK(Kept(time, "9:05") == "09:05");
  CHECK(Kept(time, "23:59") == "23:59");
  CHECK(Kept(time, "24:00").rfind("refused: ", 0) == 0);
  CHECK(Kept(time, "9.05").rfind("refused: ", 0) == 0);

  const FieldDef at = Field(FieldDef::DATE_TIME);
  CHECK(Kept(at, "2026-03-02 14:30") == "2026-03-02 14:30");
  CHECK(Kept(at, "2026-03-02T14:30") == "2026-03-02 14:30");
  CHECK(Kept(at, "2026-03-02 14:30:00").rfind("refused: ", 0) == 0);
  CHECK(Kept(at, "2026-03-02").rfind("refused: ", 0) == 0);

  auto start = FieldInstant(date, "2026-03-02");
  REQUIRE(start.ok());
  CHECK(FormatRfc3339HongKong(*start) == "2026-03-02T00:00:00+08:00");
  auto afternoon = FieldInstant(at, "2026-03-02 14:30");
  REQUIRE(afternoon.ok());
  CHECK(*afternoon - *start == std::chrono::minutes(14 * 60 + 30));
  CHECK_FALSE(FieldInstant(Field(FieldDef::TEXT), "2026-03-02").ok());
  CHECK(IsDateField(date));
  CHECK(IsDateField(at));
  CHECK_FALSE(IsDateField(time));
}

TEST_CASE("phones and identity numbers are checked and never repeated in a refusal") {
  const FieldDef phone = Field(FieldDef::PHONE);
  CHECK(Kept(phone, "+852 9123 4567") == "+852 9123 4567");
  CHECK(Kept(phone, "9123") == "refused: field 'f' (F) should have 8 to 15 digits");
  CHECK(Kept(phone, "A1234563").find("A123") == std::string::npos);

  const FieldDef hkid = Field(FieldDef::HKID);
  CHECK(Kept(hkid, "a1234563") == "A123456(3)");
  const std::string refused = Kept(hkid, "A123456(4)");
  CHECK(refused.rfind("refused: field 'f' (F): ", 0) == 0);
  CHECK(refused.find("123456") == std::string::npos);
}

TEST_CASE("yes or no, numbers and free text") {
  const FieldDef yes_no = Field(FieldDef::YES_NO);
  CHECK(Kept(yes_no, "Yes") == "yes");
  CHECK(Kept(yes_no, "是") == "yes");
  CHECK(Kept(yes_no, "n") == "no");
  CHECK(Kept(yes_no, "maybe") == "refused: field 'f' (F) takes yes or no");
  CHECK(FieldValueText(yes_no, "yes", Lang::kZhHant) == "是");
  CHECK(FieldValueText(yes_no, "no", Lang::kEn) == "no");

  const FieldDef number = Field(FieldDef::NUMBER);
  CHECK(Kept(number, "2.5") == "2.5");
  CHECK(Kept(number, "-3") == "-3");
  CHECK(Kept(number, "+02.50") == "2.5");
  CHECK(Kept(number, "007") == "7");
  CHECK(Kept(number, ".5") == "0.5");
  CHECK(Kept(number, "-0.0") == "0");
  CHECK(Kept(number, "100") == "100");
  CHECK(Kept(number, "3.") == "refused: field 'f' (F) takes a number, e.g. 12 or 2.5");
  CHECK(Kept(number, "1.2.3").rfind("refused: ", 0) == 0);
  CHECK(Kept(number, "-").rfind("refused: ", 0) == 0);

  const FieldDef text = Field(FieldDef::TEXT);
  CHECK(Kept(text, "\xE3\x80\x80 booking QF-1 \xC2\xA0") == "booking QF-1");
  CHECK(Kept(text, "   ") == "refused: field 'f' (F) is empty");
}

TEST_CASE("a choice takes one of its values and reads as its label") {
  FieldDef port = Field(FieldDef::CHOICE, "port");
  Choice* bay = port.add_choice();
  bay->set_value("shenzhen_bay");
  bay->mutable_label()->set_zh_hant("深圳灣");
  bay->mutable_label()->set_en("Shenzhen Bay");
  CHECK(Kept(port, "shenzhen_bay") == "shenzhen_bay");
  CHECK(Kept(port, "macau") ==
        "refused: field 'port' (F) cannot be 'macau'; use one of: shenzhen_bay (Shenzhen Bay)");
  CHECK(Kept(port, "Shenzhen_Bay") == "shenzhen_bay");
  CHECK(Kept(port, "深圳灣") == "shenzhen_bay");
  CHECK(Kept(port, "shenzhen bay") == "shenzhen_bay");
  CHECK(FieldValueText(port, "shenzhen_bay", Lang::kZhHant) == "深圳灣");
  CHECK(FieldValueText(port, "shenzhen_bay", Lang::kEn) == "Shenzhen Bay");
  CHECK(ChoiceValues(port) == std::vector<std::string>{"shenzhen_bay"});

  // A version 1 definition's unlabelled list still holds.
  FieldDef old = Field(FieldDef::TEXT, "port");
  old.add_one_of("hzmb");
  CHECK(Kept(old, "hzmb") == "hzmb");
  CHECK(Kept(old, "lo_wu").rfind("refused: ", 0) == 0);
  CHECK(FieldValueText(old, "hzmb", Lang::kZhHant) == "hzmb");
}

}  // namespace model
