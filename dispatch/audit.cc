#include "dispatch/audit.h"

#include "dispatch/journal_chain.h"
#include "model/crypto.h"
#include "model/hkid.h"
#include "model/person_validation.h"
#include "model/proto_salvage.h"

namespace dispatch {

using model::JournalFault;
using model::Result;
using model::Status;

const char kChainInWords[] =
    "Each journal row's link is SHA-256 of the link of the row before it (32 zero bytes before "
    "the journal's first row) followed by the row's event digest (event_digest: SHA-256 of a "
    "random salt kept in the database and of the event as stored): "
    "link = SHA-256(prev_link || event_digest), all in bytes, shown in hex.";

namespace {

constexpr int kPage = 10000;

Status NotAHead() {
  return Status::InvalidArgument(
             "a kept head is ROW:LINK, the row number and its 64-character hex link, as "
             "`audit verify` prints it",
             "保存的鏈首須為「行號:鏈結」，即行號及其 64 位十六進位鏈結，如 audit verify 所列")
      .WithField("head");
}

Status CheckMayAudit(const Actor& actor, std::string_view what_en, std::string_view what_zh) {
  if (SeesEverything(actor)) return Status::Ok();
  return Status::PermissionDenied(
      std::string(what_en) + " is for supervisors and admins; " + actor.Describe() + " may not",
      std::string(what_zh) + "只供主管及系統管理員；" + actor.DescribeZh() + "不可進行");
}

}  // namespace

Result<KeptHead> ParseKeptHead(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 18) return NotAHead();
  const std::string_view row = text.substr(0, colon);
  if (row.find_first_not_of("0123456789") != std::string_view::npos) return NotAHead();
  auto link = model::BytesOfHex(text.substr(colon + 1));
  if (!link || link->size() != 32) return NotAHead();
  KeptHead head{std::stoll(std::string(row)), std::move(*link)};
  if (head.row < 1) return NotAHead();
  return head;
}

std::string HeadText(int64_t row, std::string_view link) {
  return std::to_string(row) + ":" + model::HexOf(link);
}

Result<model::JournalAudit> VerifyJournal(StoreReader& r, model::Instant now,
                                          const std::optional<KeptHead>& head,
                                          std::stop_token stop) {
  ASSIGN_OR_RETURN(const auto last, r.LastJournalAndInbox());
  const int64_t until = last.first;
  ChainCheck check;
  bool head_seen = false;
  // Said after the checks that name what was done: a kept head that does
  // not hold says only that something was.
  std::optional<model::JournalFault> head_fault;
  for (int64_t after = 0; after < until && !check.fault() && !head_fault;) {
    if (stop.stop_requested()) {
      return Status::Unavailable("the journal check was stopped before it ended",
                                 "日誌核對在完成前已停止");
    }
    ASSIGN_OR_RETURN(auto rows, r.JournalRows(after, kPage));
    if (rows.empty()) break;
    for (const JournalRow& row : rows) {
      if (row.row > until) break;
      if (head && !head_seen && row.row > head->row) {
        head_seen = true;
        head_fault = Fault(JournalFault::NOT_THE_HEAD, head->row, "", 0,
                         "journal row " + std::to_string(head->row) +
                             ", kept as the head, is not in the journal any more: it was deleted",
                         "保存為鏈首的日誌第 " + std::to_string(head->row) +
                             " 行已不在日誌內：它曾被刪除");
        break;
      }
      if (!check.Take(row)) break;
      if (head && row.row == head->row) {
        head_seen = true;
        if (row.link != head->link) {
          head_fault = Fault(JournalFault::NOT_THE_HEAD, row.row, row.case_number, row.seq,
                           RowName(row.row, row.case_number, row.seq) +
                               " has another link than the head kept for it: the journal up to "
                               "it was rewritten",
                           RowNameZh(row.row, row.case_number, row.seq) +
                               "的鏈結與保存的鏈首不同：截至該行的日誌曾被改寫");
          break;
        }
      }
    }
    after = rows.back().row;
  }
  if (!check.fault()) {
    ASSIGN_OR_RETURN(auto gap, r.FirstJournalGap());
    if (gap) {
      const std::string from = std::to_string(gap->missing_from);
      const std::string to = std::to_string(gap->seq - 1);
      const std::string events = gap->missing_from == gap->seq - 1
                                     ? "event " + from + " is"
                                     : "events " + from + " to " + to + " are";
      check.Fail(Fault(JournalFault::DELETED, gap->row, gap->case_number, gap->seq,
                       "case " + gap->case_number + "'s " + events + " missing before " +
                           RowName(gap->row, gap->case_number, gap->seq) + ": deleted",
                       "個案 " + gap->case_number + " 的第 " + from +
                           (gap->missing_from == gap->seq - 1 ? "" : " 至 " + to) + " 項事件在" +
                           RowNameZh(gap->row, gap->case_number, gap->seq) + "之前已不存在：曾被刪除"));
    }
  }
  if (!check.fault()) {
    ASSIGN_OR_RETURN(auto unlike, r.CasesUnlikeJournal(1));
    if (!unlike.empty()) {
      const CaseUnlikeJournal& u = unlike.front();
      const std::string stored = std::to_string(u.events_stored);
      const std::string kept = std::to_string(u.events_in_journal);
      if (u.events_in_journal < u.events_stored) {
        check.Fail(Fault(JournalFault::ENDS_EARLY, 0, u.case_number, u.events_in_journal + 1,
                         "case " + u.case_number + " has " + stored +
                             " events but its journal ends at event " + kept +
                             ": its last events were deleted from the journal",
                         "個案 " + u.case_number + " 共有 " + stored + " 項事件，但其日誌只到第 " +
                             kept + " 項：最後的事件曾從日誌刪除"));
      } else {
        const int64_t seq = u.events_stored + 1;
        check.Fail(Fault(JournalFault::INSERTED, u.first_unstored_row, u.case_number, seq,
                         RowName(u.first_unstored_row, u.case_number, seq) +
                             " is not in the case as stored (" + stored +
                             " events): it was put in behind the engine's back",
                         RowNameZh(u.first_unstored_row, u.case_number, seq) +
                             "不在已儲存的個案內（共 " + stored + " 項事件）：它是繞過本系統加入的"));
      }
    }
  }
  if (head_fault) check.Fail(*std::move(head_fault));
  if (!check.fault() && head && !head_seen) {
    check.Fail(Fault(JournalFault::NOT_THE_HEAD, head->row, "", 0,
                     "the journal ends at row " + std::to_string(check.head_row()) +
                         ", before row " + std::to_string(head->row) +
                         " kept as the head: rows were deleted from its end",
                     "日誌只到第 " + std::to_string(check.head_row()) + " 行，早於保存為鏈首的第 " +
                         std::to_string(head->row) + " 行：日誌末端的紀錄曾被刪除"));
  }
  model::JournalAudit out;
  *out.mutable_at() = model::ToProto(now);
  out.set_intact(!check.fault());
  out.set_events(check.rows());
  out.set_head_row(check.head_row());
  out.set_head_link(model::HexOf(check.head_link()));
  if (check.fault()) *out.mutable_fault() = *check.fault();
  return out;
}

Result<model::JournalAudit> AuditJournal(Dispatcher& d, const Actor& actor,
                                         const std::optional<KeptHead>& head) {
  RETURN_IF_ERROR(CheckMayAudit(actor, "checking the journal", "核對日誌"));
  return VerifyJournal(d.store().Read(), d.clock().Now(), head);
}

Result<model::CaseJournal> ExportCaseJournal(Dispatcher& d, const Actor& actor,
                                             std::string_view number) {
  RETURN_IF_ERROR(CheckMayAudit(actor, "exporting a case's journal", "匯出個案日誌"));
  StoreReader& r = d.store().Read();
  // Known by its owner alone: a case whose stored state cannot be read is
  // exported all the same, its journal being the record.
  ASSIGN_OR_RETURN(const auto owner, r.CaseOwner(number));
  if (!owner) {
    const std::string masked = model::MaskHkidsIn(number);
    return Status::NotFound("no case " + masked, "找不到個案 " + masked);
  }
  ASSIGN_OR_RETURN(const auto last, r.LastJournalAndInbox());
  ASSIGN_OR_RETURN(auto rows, r.CaseJournalRows(number));
  model::CaseJournal out;
  out.set_case_number(std::string(number));
  *out.mutable_exported_at() = model::ToProto(d.clock().Now());
  out.set_exported_by(actor.user);
  out.set_chain(kChainInWords);
  for (const JournalRow& row : rows) {
    model::JournalEntry& e = *out.add_entry();
    e.set_row(row.row);
    e.set_seq(row.seq);
    e.set_prev_link(model::HexOf(row.prev));
    e.set_event_digest(model::HexOf(EventDigest(row.salt, row.body)));
    e.set_link(model::HexOf(row.link));
    // A row that cannot be read is exported by its links alone.
    if (model::ParseSalvaging(row.body, *e.mutable_event()) == model::ParseOutcome::kDamaged) {
      e.clear_event();
    }
    model::MaskIdentityNumbers(*e.mutable_event());
  }
  if (last.first > 0) {
    ASSIGN_OR_RETURN(auto head, r.JournalRows(last.first - 1, 1));
    if (!head.empty()) {
      out.set_journal_head_row(head.front().row);
      out.set_journal_head_link(model::HexOf(head.front().link));
    }
  }
  return out;
}

}  // namespace dispatch
