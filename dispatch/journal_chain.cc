#include "dispatch/journal_chain.h"

#include "model/crypto.h"
#include "model/proto/event.pb.h"
#include "model/proto_salvage.h"
#include "model/time.h"

namespace dispatch {

const std::string& ChainStart() {
  static const std::string kStart(32, '\0');
  return kStart;
}

std::string ChainLinkOfDigest(std::string_view prev, std::string_view event_digest) {
  std::string both;
  both.reserve(prev.size() + event_digest.size());
  both.append(prev).append(event_digest);
  return model::Sha256(both);
}

std::string EventDigest(std::string_view salt, std::string_view event_bytes) {
  std::string both;
  both.reserve(salt.size() + event_bytes.size());
  both.append(salt).append(event_bytes);
  return model::Sha256(both);
}

std::string ChainLink(std::string_view prev, std::string_view salt, std::string_view event_bytes) {
  return ChainLinkOfDigest(prev, EventDigest(salt, event_bytes));
}

std::string RowName(int64_t row, std::string_view case_number, int64_t seq) {
  return "journal row " + std::to_string(row) + " (" + std::string(case_number) + " event " +
         std::to_string(seq) + ")";
}

std::string RowNameZh(int64_t row, std::string_view case_number, int64_t seq) {
  return "日誌第 " + std::to_string(row) + " 行（" + std::string(case_number) + " 第 " +
         std::to_string(seq) + " 項事件）";
}

model::JournalFault Fault(model::JournalFault::Kind kind, int64_t row, std::string_view case_number,
                          int64_t seq, std::string en, std::string zh) {
  model::JournalFault f;
  f.set_kind(kind);
  f.set_row(row);
  f.set_case_number(std::string(case_number));
  f.set_seq(seq);
  f.mutable_what()->set_en(std::move(en));
  f.mutable_what()->set_zh_hant(std::move(zh));
  return f;
}

namespace {

// Whether the row's columns say what its event says.
bool ColumnsAgree(const JournalRow& r) {
  model::Event e;
  if (model::ParseSalvaging(r.body, e) == model::ParseOutcome::kDamaged) return false;
  return e.case_number() == r.case_number && e.seq() == r.seq && e.actor() == r.actor &&
         model::FromProto(e.at()).time_since_epoch().count() == r.at_ms;
}

}  // namespace

bool ChainCheck::Take(const JournalRow& r) {
  if (fault_) return false;
  // The row's names are made only for a fault: most rows have none.
  const auto name = [&r] { return RowName(r.row, r.case_number, r.seq); };
  const auto name_zh = [&r] { return RowNameZh(r.row, r.case_number, r.seq); };
  const std::string& expected = rows_ == 0 ? ChainStart() : last_.link;
  if (r.prev.size() != 32 || r.link.size() != 32 || r.salt.size() != kSaltBytes) {
    fault_ = Fault(model::JournalFault::INSERTED, r.row, r.case_number, r.seq,
                   name() + " was not written by dispatch: it has no link in the chain",
                   name_zh() + "並非由本系統寫入：它沒有雜湊鏈結");
  } else if (ChainLink(r.prev, r.salt, r.body) != r.link) {
    fault_ = Fault(model::JournalFault::CHANGED, r.row, r.case_number, r.seq,
                   name() + " was changed after it was written: its event no longer matches its link",
                   name_zh() + "寫入後曾被改動：事件內容與其雜湊鏈結不符");
  } else if (r.prev != expected) {
    if (rows_ > 0 && r.prev == last_.prev) {
      // Both claim the same row before them: the one between was put in.
      fault_ = Fault(model::JournalFault::INSERTED, last_.row, last_.case_number, last_.seq,
                     RowName(last_.row, last_.case_number, last_.seq) +
                         " was inserted: the row after it follows the row before it",
                     RowNameZh(last_.row, last_.case_number, last_.seq) +
                         "是後來插入的：其後一行接續的是其前一行");
    } else if (rows_ == 0) {
      fault_ = Fault(model::JournalFault::DELETED, r.row, r.case_number, r.seq,
                     "rows are missing before " + name() + ", the first row left: the journal's "
                     "first rows were deleted",
                     name_zh() + "之前的行已不存在：日誌開頭的紀錄曾被刪除");
    } else {
      fault_ = Fault(model::JournalFault::DELETED, r.row, r.case_number, r.seq,
                     "the chain breaks between journal row " + std::to_string(last_.row) +
                         " and " + name() + ": rows between them were deleted, or its link was "
                         "made anew",
                     "日誌第 " + std::to_string(last_.row) + " 行與" + name_zh() +
                         "之間的鏈結中斷：其間的紀錄曾被刪除，或該行的鏈結曾被重新製作");
    }
  } else if (!ColumnsAgree(r)) {
    fault_ = Fault(model::JournalFault::CHANGED, r.row, r.case_number, r.seq,
                   name() + " was changed after it was written: its case, event number, time or "
                   "actor column no longer says what its event says",
                   name_zh() + "寫入後曾被改動：其個案、事件編號、時間或執行者欄位與事件內容不符");
  }
  if (fault_) return false;
  ++rows_;
  last_ = Seen{r.row, r.case_number, r.seq, r.prev, r.link};
  return true;
}

void ChainCheck::Fail(model::JournalFault f) {
  if (!fault_) fault_ = std::move(f);
}

}  // namespace dispatch
