#include "model/text_check.h"

#include <doctest/doctest.h>

#include "model/proto/command.pb.h"

namespace model {

TEST_CASE("well-formed UTF-8 is told from every kind of ill-formed byte sequence") {
  for (const char* good : {"", "CHAN Tai Man", "陳大文", "é", "\xF0\x9F\x9A\x91" /* U+1F691 */,
                           "\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF" /* U+10FFFF */}) {
    CHECK_MESSAGE(IsValidUtf8(good), good);
  }
  const char* bad[] = {
      "x\xff",             // never valid
      "\xA7\xF5",          // Big5 for 陳: a stray continuation byte
      "\xB3\xC2",          // GBK for 陈
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong, three bytes
      "\xED\xA0\x80",      // a UTF-16 surrogate
      "\xF4\x90\x80\x80",  // past U+10FFFF
      "\xE9\x99",          // cut short
      "\xF0\x9F\x9A",      // cut short
  };
  for (const char* b : bad) CHECK_FALSE(IsValidUtf8(b));
}

TEST_CASE("ill-formed bytes become replacement characters, and good text is kept") {
  CHECK(ToValidUtf8("x\xff" "y") == "x\xEF\xBF\xBDy");
  CHECK(ToValidUtf8("陳大文") == "陳大文");
  CHECK(IsValidUtf8(ToValidUtf8("\xE9\x99")));
}

TEST_CASE("a command's text is checked field by field, and the error names the field") {
  Command c;
  auto* o = c.mutable_open_case();
  o->mutable_person()->set_name_zh("陳大文");
  o->mutable_person()->mutable_next_of_kin()->set_name("CHAN Siu Ling");
  o->set_summary("Escort home\nvia Shenzhen Bay");
  (*o->mutable_fields())["port"] = "shenzhen_bay";
  CHECK(CheckText(c).ok());

  o->mutable_person()->set_name_en("x\xff");
  Status s = CheckText(c);
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(s.field() == "open_case.person.name_en");
  CHECK(s.message() ==
        "open_case.person.name_en is not valid UTF-8 text; set the terminal or browser to UTF-8 "
        "(not Big5 or GBK) and type it again");
  o->mutable_person()->set_name_en("CHAN Tai Man");

  o->mutable_person()->mutable_next_of_kin()->set_name("CHAN\x1b[31m");
  s = CheckText(c);
  CHECK(s.field() == "open_case.person.next_of_kin.name");
  CHECK(s.message() ==
        "open_case.person.next_of_kin.name contains a control character (U+001B); type plain text");
  o->mutable_person()->mutable_next_of_kin()->set_name("CHAN Siu Ling");

  (*o->mutable_fields())["port"] = "shenzhen\xff";
  CHECK(CheckText(c).field() == "open_case.fields");
  o->mutable_fields()->clear();
  (*o->mutable_fields())["p\xffrt"] = "shenzhen_bay";
  CHECK(CheckText(c).field() == "open_case.fields");
}

TEST_CASE("line breaks only where a field is multi-line, and limits by declaration or default") {
  Command c;
  c.mutable_add_note()->set_text("line one\nline two\tand a tab");
  CHECK(CheckText(c).ok());
  c.mutable_open_case()->mutable_person()->set_name_en("CHAN\nTai Man");
  CHECK(CheckText(c).message() ==
        "open_case.person.name_en must be a single line, without line breaks or tabs");

  // A carriage return only as part of a Windows line break.
  c.mutable_add_note()->set_text("line one\r\nline two");
  CHECK(CheckText(c).ok());
  c.mutable_add_note()->set_text("real\rFAKE");
  CHECK(CheckText(c).message() == "add_note.text contains a control character (U+000D); type plain text");
  // Marks that make a name show backwards.
  c.mutable_add_note()->set_text("CHAN \xE2\x80\xAE" "naM iaT");
  CHECK(CheckText(c).message() == "add_note.text contains a control character (U+202E); type plain text");

  c.mutable_add_note()->set_text(std::string(4000, 'n'));
  CHECK(CheckText(c).ok());
  c.mutable_add_note()->set_text(std::string(4001, 'n'));
  CHECK(CheckText(c).message() == "add_note.text is too long: 4001 characters, at most 4000");

  // Characters, not bytes: 100 Chinese characters are 300 bytes and fit a name.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "陳";
  c.mutable_open_case()->mutable_person()->set_name_zh(hundred);
  CHECK(CheckText(c).ok());
  c.mutable_open_case()->mutable_person()->set_name_zh(hundred + "陳");
  CHECK(CheckText(c).field() == "open_case.person.name_zh");

  // A field that declares nothing takes one line of kDefaultMaxChars.
  c.mutable_fire_event()->set_event(std::string(kDefaultMaxChars, 'e'));
  CHECK(CheckText(c).ok());
  c.mutable_fire_event()->set_event(std::string(kDefaultMaxChars + 1, 'e'));
  CHECK(CheckText(c).field() == "fire_event.event");
}

TEST_CASE("CheckUtf8 checks only the encoding") {
  Command c;
  c.mutable_add_note()->set_text(std::string(10000, 'n') + "\x1b");
  CHECK(CheckUtf8(c).ok());
  c.mutable_add_note()->set_text("\xff");
  CHECK(CheckUtf8(c).field() == "add_note.text");
}

}  // namespace model
