// The journal's hash chain: an untouched journal checks out, and each change
// made behind the engine's back (an event or a column edited, a row deleted
// or put in, the journal's end cut off, everything rewritten with fresh
// links) is named by the first row where it shows. A case's journal exports
// with links anyone can check, its identity numbers masked.
#include <doctest/doctest.h>

#include "dispatch/audit.h"
#include "dispatch/journal_chain.h"
#include "dispatch/sqlite_db.h"
#include "model/crypto.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

using model::JournalFault;
using testing::World;

// A world on a file, with three cases of a few events each.
struct Journal {
  testing::TempDir dir;
  std::string path = dir.Path("centre.db");
  World w{path};
  std::vector<std::string> cases;

  Journal() {
    w.OnDuty("chan_sz");
    for (int i = 0; i < 3; ++i) {
      cases.push_back(w.OpenEscort());
      Note(cases.back(), "called the family");
    }
  }

  void Note(const std::string& number, const std::string& text) {
    model::Command c;
    c.mutable_add_note()->set_case_number(number);
    c.mutable_add_note()->set_text(text);
    w.Must(c, "chan_sz");
  }

  model::JournalAudit Verify(const std::optional<KeptHead>& head = {}) {
    auto a = VerifyJournal(w.store->Read(), w.clock.Now(), head);
    REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    return *a;
  }

  // Runs `sql` on the file behind the engine's back.
  void Tamper(const std::string& sql) {
    auto db = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec(sql).ok());
  }

  std::vector<JournalRow> Rows() {
    auto rows = w.store->Read().JournalRows(0, 100000);
    REQUIRE(rows.ok());
    return *rows;
  }

  // The journal row of `number`'s event `seq`.
  JournalRow Row(const std::string& number, int64_t seq) {
    for (const JournalRow& r : Rows()) {
      if (r.case_number == number && r.seq == seq) return r;
    }
    FAIL("no row for " << number << " event " << seq);
    return {};
  }

  // Writes `bytes` as a row's event.
  void SetBody(int64_t row, const std::string& bytes) {
    auto db = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    auto st = (*db)->Prepare("UPDATE journal SET body = ? WHERE id = ?");
    REQUIRE(st.ok());
    st->BindBlob(1, bytes).Bind(2, row);
    REQUIRE(st->Run().ok());
  }

  // Puts a row in as someone who knows how links are made.
  void InsertLinked(int64_t id, const model::Event& e, const std::string& prev) {
    auto db = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    auto st = (*db)->Prepare(
        "INSERT INTO journal (id, case_number, seq, at, actor, body, prev, link, salt)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    REQUIRE(st.ok());
    const std::string body = e.SerializeAsString();
    const std::string salt = model::RandomBytes(kSaltBytes);
    st->Bind(1, id).Bind(2, e.case_number()).Bind(3, e.seq());
    st->Bind(4, model::FromProto(e.at()).time_since_epoch().count()).Bind(5, e.actor());
    st->BindBlob(6, body).BindBlob(7, prev).BindBlob(8, ChainLink(prev, salt, body));
    st->BindBlob(9, salt);
    REQUIRE(st->Run().ok());
  }
};

model::Event EventOf(const JournalRow& r) {
  model::Event e;
  REQUIRE(e.ParseFromString(r.body));
  return e;
}

TEST_CASE("an untouched journal checks out, and a head kept from it holds later") {
  Journal j;
  const auto rows = j.Rows();
  REQUIRE(rows.size() > 6);
  model::JournalAudit a = j.Verify();
  CHECK(a.intact());
  CHECK_FALSE(a.has_fault());
  CHECK(a.events() == static_cast<int64_t>(rows.size()));
  CHECK(a.head_row() == rows.back().row);
  CHECK(a.head_link() == model::HexOf(rows.back().link));
  // Every row follows the one before it.
  std::string prev = ChainStart();
  for (const JournalRow& r : rows) {
    CHECK(r.prev == prev);
    CHECK(r.salt.size() == kSaltBytes);
    CHECK(r.link == ChainLink(prev, r.salt, r.body));
    prev = r.link;
  }

  auto head = ParseKeptHead(HeadText(a.head_row(), rows.back().link));
  REQUIRE(head.ok());
  j.Note(j.w.OpenEscort(), "booked the crossing");
  model::JournalAudit later = j.Verify(*head);
  CHECK(later.intact());
  CHECK(later.events() > a.events());
}

TEST_CASE("an event changed behind the engine's back is named by its row, case and number") {
  Journal j;
  const JournalRow row = j.Row(j.cases[1], 2);
  model::Event e = EventOf(row);
  e.set_actor("someone_else");
  j.SetBody(row.row, e.SerializeAsString());
  model::JournalAudit a = j.Verify();
  CHECK_FALSE(a.intact());
  CHECK(a.fault().kind() == JournalFault::CHANGED);
  CHECK(a.fault().row() == row.row);
  CHECK(a.fault().case_number() == j.cases[1]);
  CHECK(a.fault().seq() == 2);
  CHECK(a.fault().what().en() == RowName(row.row, j.cases[1], 2) +
                                     " was changed after it was written: its event no longer "
                                     "matches its link");
  CHECK(a.fault().what().zh_hant().find("寫入後曾被改動") != std::string::npos);
  // The rows before it checked out.
  CHECK(a.events() == row.row - 1);
}

TEST_CASE("a column changed behind the engine's back is named though the event is as written") {
  Journal j;
  const JournalRow row = j.Row(j.cases[0], 3);
  j.Tamper("UPDATE journal SET at = at - 3600000 WHERE id = " + std::to_string(row.row));
  model::JournalAudit a = j.Verify();
  CHECK(a.fault().kind() == JournalFault::CHANGED);
  CHECK(a.fault().row() == row.row);
  CHECK(a.fault().what().en().find("time or actor column no longer says what its event says") !=
        std::string::npos);
}

TEST_CASE("a deleted row is found at the row after it") {
  Journal j;
  const JournalRow gone = j.Row(j.cases[1], 1);
  j.Tamper("DELETE FROM journal WHERE id = " + std::to_string(gone.row));
  model::JournalAudit a = j.Verify();
  CHECK(a.fault().kind() == JournalFault::DELETED);
  CHECK(a.fault().row() == gone.row + 1);
  CHECK(a.fault().what().en().find("the chain breaks between journal row " +
                                   std::to_string(gone.row - 1)) != std::string::npos);

  SUBCASE("the first rows too") {
    Journal k;
    k.Tamper("DELETE FROM journal WHERE id = 1");
    model::JournalAudit b = k.Verify();
    CHECK(b.fault().kind() == JournalFault::DELETED);
    CHECK(b.fault().row() == 2);
  }
}

TEST_CASE("a row put in without a link, or with one, is named") {
  Journal j;
  const auto rows = j.Rows();
  SUBCASE("at the end, without a link") {
    j.Tamper("INSERT INTO journal (case_number, seq, at, actor, body)"
             " SELECT case_number, seq + 100, at, actor, body FROM journal WHERE id = 1");
    model::JournalAudit a = j.Verify();
    CHECK(a.fault().kind() == JournalFault::INSERTED);
    CHECK(a.fault().row() == rows.back().row + 1);
    CHECK(a.fault().what().en().find("it has no link in the chain") != std::string::npos);
  }
  SUBCASE("between two rows, linked to the one before it") {
    // Room made by moving the later rows on by one, as a forger would.
    const int64_t k = j.Row(j.cases[1], 1).row - 1;
    j.Tamper("UPDATE journal SET id = -id WHERE id > " + std::to_string(k) + ";"
             "UPDATE journal SET id = 1 - id WHERE id < 0;");
    model::Event forged = EventOf(rows.front());
    forged.set_case_number("SZ-2026-9999");
    j.InsertLinked(k + 1, forged, rows[k - 1].link);
    model::JournalAudit a = j.Verify();
    CHECK(a.fault().kind() == JournalFault::INSERTED);
    CHECK(a.fault().row() == k + 1);
    CHECK(a.fault().case_number() == "SZ-2026-9999");
    CHECK(a.fault().what().en().find("was inserted: the row after it follows the row before it") !=
          std::string::npos);
  }
  SUBCASE("at the end, linked, as a case's next event") {
    model::Event forged = EventOf(j.Row(j.cases[2], 1));
    const int64_t next = j.w.Case(j.cases[2]).version() + 1;
    forged.set_seq(next);
    j.InsertLinked(rows.back().row + 1, forged, rows.back().link);
    model::JournalAudit a = j.Verify();
    CHECK(a.fault().kind() == JournalFault::INSERTED);
    CHECK(a.fault().row() == rows.back().row + 1);
    CHECK(a.fault().case_number() == j.cases[2]);
    CHECK(a.fault().seq() == next);
    CHECK(a.fault().what().en().find("is not in the case as stored") != std::string::npos);
  }
}

TEST_CASE("the journal's last rows cut off are found by the cases they belonged to") {
  Journal j;
  const auto rows = j.Rows();
  j.Tamper("DELETE FROM journal WHERE id = " + std::to_string(rows.back().row));
  model::JournalAudit a = j.Verify();
  CHECK(a.fault().kind() == JournalFault::ENDS_EARLY);
  CHECK(a.fault().case_number() == rows.back().case_number);
  CHECK(a.fault().seq() == rows.back().seq);
  CHECK(a.fault().what().en() == "case " + rows.back().case_number + " has " +
                                     std::to_string(rows.back().seq) +
                                     " events but its journal ends at event " +
                                     std::to_string(rows.back().seq - 1) +
                                     ": its last events were deleted from the journal");
}

TEST_CASE("a case's last events cut off and hidden by the next command are found by the gap") {
  Journal j;
  const JournalRow last = j.Rows().back();
  j.Tamper("DELETE FROM journal WHERE id = " + std::to_string(last.row));
  // The engine links its next row to the journal's new end: the chain holds.
  j.Note(last.case_number, "after the cut");
  model::JournalAudit a = j.Verify();
  CHECK(a.fault().kind() == JournalFault::DELETED);
  CHECK(a.fault().case_number() == last.case_number);
  CHECK(a.fault().seq() == last.seq + 1);
  CHECK(a.fault().what().en() == "case " + last.case_number + "'s event " +
                                     std::to_string(last.seq) + " is missing before " +
                                     RowName(a.fault().row(), last.case_number, last.seq + 1) +
                                     ": deleted");
  CHECK(testing::HasChinese(a.fault().what().zh_hant()));
}

TEST_CASE("a journal rewritten with fresh links checks out alone, but not against a kept head") {
  Journal j;
  const model::JournalAudit before = j.Verify();
  auto head = ParseKeptHead(std::to_string(before.head_row()) + ":" + before.head_link());
  REQUIRE(head.ok());
  // Event 2 of the first case changed, and every link from it on made anew.
  const auto rows = j.Rows();
  model::Event e = EventOf(j.Row(j.cases[0], 2));
  e.set_actor("someone_else");
  {
    auto db = SqliteDb::Open(j.path, SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    std::string prev = ChainStart();
    for (JournalRow r : rows) {
      if (r.case_number == j.cases[0] && r.seq == 2) r.body = e.SerializeAsString();
      const std::string link = ChainLink(prev, r.salt, r.body);
      auto st = (*db)->Prepare("UPDATE journal SET body = ?, prev = ?, link = ?, actor = ? WHERE id = ?");
      REQUIRE(st.ok());
      st->BindBlob(1, r.body).BindBlob(2, prev).BindBlob(3, link);
      st->Bind(4, EventOf(r).actor()).Bind(5, r.row);
      REQUIRE(st->Run().ok());
      prev = link;
    }
  }
  CHECK(j.Verify().intact());
  model::JournalAudit a = j.Verify(*head);
  CHECK_FALSE(a.intact());
  CHECK(a.fault().kind() == JournalFault::NOT_THE_HEAD);
  CHECK(a.fault().row() == head->row);
  CHECK(a.fault().what().en().find("has another link than the head kept for it: the journal up to "
                                   "it was rewritten") != std::string::npos);

  SUBCASE("a kept head the journal no longer reaches") {
    // The last row gone, and its case's stored event count taken back, so
    // that only the kept head shows it.
    const JournalRow last = j.Rows().back();
    REQUIRE(last.row == head->row);
    j.Tamper("DELETE FROM journal WHERE id = " + std::to_string(last.row) + ";"
             "UPDATE cases SET version = version - 1 WHERE number = '" + last.case_number + "'");
    model::JournalAudit b = j.Verify(*head);
    CHECK(b.fault().kind() == JournalFault::NOT_THE_HEAD);
    CHECK(b.fault().what().en().find("the journal ends at row " + std::to_string(head->row - 1) +
                                     ", before row " + std::to_string(head->row)) !=
          std::string::npos);
  }
}

TEST_CASE("a kept head must be a row number and a 64-character hex link") {
  for (const std::string& bad : std::vector<std::string>{"", "12", ":abcd", "x:" + std::string(64, 'a'),
                                "0:" + std::string(64, 'a'), "5:" + std::string(63, 'a'),
                                "5:" + std::string(64, 'G')}) {
    CAPTURE(bad);
    auto h = ParseKeptHead(bad);
    REQUIRE_FALSE(h.ok());
    CHECK(h.status().code() == model::Code::kInvalidArgument);
    CHECK(h.status().field() == "head");
    CHECK(testing::HasChinese(h.status().message_zh()));
  }
  auto h = ParseKeptHead("7:" + std::string(64, 'a'));
  REQUIRE(h.ok());
  CHECK(h->row == 7);
  CHECK(h->link == std::string(32, '\xaa'));
}

TEST_CASE("checking the journal and exporting a case's are for supervisors and admins") {
  Journal j;
  const Actor officer = *j.w.dispatcher->ResolveActor("chan_sz");
  auto refused = AuditJournal(*j.w.dispatcher, officer, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == model::Code::kPermissionDenied);
  CHECK(refused.status().message() ==
        "checking the journal is for supervisors and admins; chan_sz (duty_officer, SZ) may not");
  CHECK(testing::HasChinese(refused.status().message_zh()));
  auto export_refused = ExportCaseJournal(*j.w.dispatcher, officer, j.cases[0]);
  REQUIRE_FALSE(export_refused.ok());
  CHECK(export_refused.status().code() == model::Code::kPermissionDenied);

  for (const char* who : {"ho_sz", "kwok_fj", "admin"}) {
    CAPTURE(who);
    const Actor actor = *j.w.dispatcher->ResolveActor(who);
    auto a = AuditJournal(*j.w.dispatcher, actor, {});
    REQUIRE(a.ok());
    CHECK(a->intact());
    CHECK(ExportCaseJournal(*j.w.dispatcher, actor, j.cases[0]).ok());
  }
  auto none = ExportCaseJournal(*j.w.dispatcher, *j.w.dispatcher->ResolveActor("ho_sz"),
                                "SZ-2026-9999");
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == model::Code::kNotFound);
}

TEST_CASE("a case's journal exports with links anyone can check and its identity numbers masked") {
  Journal j;
  const Actor supervisor = *j.w.dispatcher->ResolveActor("kwok_fj");
  auto exported = ExportCaseJournal(*j.w.dispatcher, supervisor, j.cases[1]);
  REQUIRE(exported.ok());
  const model::CaseJournal& x = *exported;
  CHECK(x.case_number() == j.cases[1]);
  CHECK(x.exported_by() == "kwok_fj");
  CHECK(x.chain() == kChainInWords);
  const auto rows = j.Rows();
  CHECK(x.journal_head_row() == rows.back().row);
  CHECK(x.journal_head_link() == model::HexOf(rows.back().link));
  REQUIRE(x.entry_size() == j.w.Case(j.cases[1]).version());
  for (int i = 0; i < x.entry_size(); ++i) {
    const model::JournalEntry& e = x.entry(i);
    CAPTURE(i);
    CHECK(e.seq() == i + 1);
    CHECK(e.event().seq() == i + 1);
    // From the export alone: each link is made from the one before and the digest.
    CHECK(model::HexOf(ChainLinkOfDigest(*model::BytesOfHex(e.prev_link()),
                                         *model::BytesOfHex(e.event_digest()))) == e.link());
    // And the digest is of the event as stored, salted: not the bare bytes'
    // hash, which a masked identity number could be found again from.
    const JournalRow row = j.Row(j.cases[1], e.seq());
    CHECK(e.event_digest() == model::HexOf(EventDigest(row.salt, row.body)));
    CHECK(e.event_digest() != model::Sha256Hex(row.body));
  }
  // The person's HKID as MaskHkid shows it; the stored event has it whole.
  const model::Person& person = x.entry(0).event().case_opened().person();
  CHECK(person.name_en() == "LI CHAN Shuk Fan");
  CHECK(person.hkid() == "A123***(*)");
  CHECK(EventOf(j.Row(j.cases[1], 1)).case_opened().person().hkid() == "A123456(3)");
  // The version the case ran on is named as stored: its hash is no identity number.
  CHECK(x.entry(0).event().case_opened().definition().content_hash() ==
        EventOf(j.Row(j.cases[1], 1)).case_opened().definition().content_hash());
  // An identity number typed into a note, and a Home Return Permit number.
  j.Note(j.cases[1], "her son's card is B234567(8), permit H12345678");
  auto again = ExportCaseJournal(*j.w.dispatcher, supervisor, j.cases[1]);
  REQUIRE(again.ok());
  const std::string note = again->entry(again->entry_size() - 1).event().note_added().text();
  CHECK(note.find("B234567") == std::string::npos);
  CHECK(note.find("H12345678") == std::string::npos);
  CHECK(note.find("B234***(*)") != std::string::npos);
}

}  // namespace
}  // namespace dispatch
