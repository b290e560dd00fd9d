// The journal's hash chain: what makes a change made behind the engine's
// back (an edited, inserted or deleted row) show.
//
// Every journal row carries a link: SHA-256 of the link of the row before it
// (32 zero bytes before the first row) followed by the row's event digest,
// SHA-256 of a random salt of the row's and of its event as stored. The row
// keeps the link before it too, so that a check can tell a changed row from
// missing ones. The salt stays in the database: an export gives the digests
// (so that anyone can check its links) without making a masked identity
// number guessable from them (an HKID with three digits shown has about a
// thousand candidates, each a hash away from its digest without the salt). Rows are chained in the order the
// engine appended them (their row numbers), across cases: a deleted row
// breaks the chain wherever it was, and a kept head (the last row and its
// link) shows a rewrite of everything before it.
//
// The chain proves nothing against someone who rewrites every link after
// the row they change; a head kept outside the database (an export, the
// server's log, `audit verify`'s answer) does.
#ifndef DISPATCH_JOURNAL_CHAIN_H_
#define DISPATCH_JOURNAL_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/proto/audit.pb.h"

namespace dispatch {

// A journal row as stored, every column.
struct JournalRow {
  int64_t row = 0;
  std::string case_number;
  int64_t seq = 0;
  int64_t at_ms = 0;
  std::string actor;
  std::string body;  // the event's bytes
  std::string prev;  // the link before it, 32 bytes (empty: the engine did not write it)
  std::string link;  // 32 bytes
  std::string salt;  // kSaltBytes
};

inline constexpr size_t kSaltBytes = 16;

// The link before the first row: 32 zero bytes.
const std::string& ChainStart();

// SHA-256 of `salt` followed by `event_bytes`.
std::string EventDigest(std::string_view salt, std::string_view event_bytes);
// The link of a row whose event is `event_bytes` with `salt`, after `prev`.
std::string ChainLink(std::string_view prev, std::string_view salt, std::string_view event_bytes);
// The same from the event's digest, as an export gives it.
std::string ChainLinkOfDigest(std::string_view prev, std::string_view event_digest);

// Checks rows given in journal order and keeps the first fault.
class ChainCheck {
 public:
  // Takes the next row; false once a fault is found (later rows are not looked at).
  bool Take(const JournalRow& r);
  // Records `f`, found by a check beyond the links (audit.h), unless a
  // fault was found before it.
  void Fail(model::JournalFault f);

  const std::optional<model::JournalFault>& fault() const { return fault_; }
  int64_t rows() const { return rows_; }
  int64_t head_row() const { return last_.row; }
  const std::string& head_link() const { return last_.link.empty() ? ChainStart() : last_.link; }

 private:
  struct Seen {
    int64_t row = 0;
    std::string case_number;
    int64_t seq = 0;
    std::string prev;
    std::string link;
  };
  std::optional<model::JournalFault> fault_;
  int64_t rows_ = 0;
  Seen last_;
};

// "journal row 17 (SZ-2026-0001 event 3)" and its Chinese.
std::string RowName(int64_t row, std::string_view case_number, int64_t seq);
std::string RowNameZh(int64_t row, std::string_view case_number, int64_t seq);

model::JournalFault Fault(model::JournalFault::Kind kind, int64_t row, std::string_view case_number,
                          int64_t seq, std::string en, std::string zh);

}  // namespace dispatch

#endif  // DISPATCH_JOURNAL_CHAIN_H_
