#include "dispatch/import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "dispatch/access.h"
#include "dispatch/commands.h"
#include "model/categories.h"
#include "model/crypto.h"
#include "model/field_values.h"
#include "model/hkid.h"
#include "model/text_check.h"
#include "model/time.h"

namespace dispatch {

using model::Result;
using model::Status;

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto at_line_end = [&](size_t i) {
    return i >= text.size() || text[i] == ',' || text[i] == '\n' || text[i] == '\r';
  };
  std::vector<CsvRecord> out;
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord record{line, {}};
    for (;;) {
      std::string cell;
      if (text[i] == '"') {
        const int opened = line;
        for (++i;; ++i) {
          if (i >= text.size()) {
            return Status::InvalidArgument(
                "line " + std::to_string(opened) + ": a quoted cell is never closed",
                "第 " + std::to_string(opened) + " 行：有一格的引號（\"）沒有關上");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              ++i;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
            ++line;
          }
          cell += text[i];
        }
        if (!at_line_end(i)) {
          return Status::InvalidArgument(
              "line " + std::to_string(line) +
                  ": text after a quoted cell's closing quote; a quote inside a cell is written "
                  "twice (\"\")",
              "第 " + std::to_string(line) + " 行：引號關上後仍有文字；格內的引號須寫兩次（\"\"）");
        }
      } else {
        for (; !at_line_end(i); ++i) {
          if (text[i] == '"') {
            return Status::InvalidArgument(
                "line " + std::to_string(line) +
                    ": a quote inside a cell that does not start with one; put the cell in "
                    "quotes and write the quote twice (\"\")",
                "第 " + std::to_string(line) + " 行：格內有引號；請把整格放在引號內，並把格內的引號寫兩次（\"\"）");
          }
          cell += text[i];
        }
      }
      record.cells.push_back(std::move(cell));
      if (i >= text.size()) break;
      if (text[i] == ',') {
        ++i;
        if (i >= text.size()) record.cells.emplace_back();  // "a,b," ends with an empty cell
        if (i >= text.size()) break;
        continue;
      }
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      break;
    }
    out.push_back(std::move(record));
  }
  return out;
}

namespace {

// A column, and the field of the command a row becomes that it fills (an
// error about that field is put in this column).
struct Column {
  ImportColumn column;
  std::string_view field;
};

constexpr Column kContactColumns[] = {
    {{"date", true, "when: 2023-04-05, or 2023-04-05 14:30 (Hong Kong time)"}, "log_contact.at"},
    {{"centre", true, "the centre it came to: SZ, GZ, ..."}, "log_contact.centre"},
    {{"channel", true, "phone, visit, chat or email (電話、到訪、網上對話、電郵)"},
     "log_contact.channel"},
    {{"category", true, "a code from the categories file (retired ones too)"},
     "log_contact.category"},
    {{"legal_advice", false, "yes when given under the legal-advice service (default no)"},
     "log_contact.legal_advice"},
    {{"case_number", false, "the case it led to, if one"}, "log_contact.case_number"},
    {{"note", false, "a short note"}, "log_contact.note"},
};

constexpr Column kCaseColumns[] = {
    {{"opened", true, "when it was opened: 2023-04-05, or 2023-04-05 14:30 (Hong Kong time)"},
     "record_past_case.opened_at"},
    {{"closed", true, "when it was closed or cancelled"}, "record_past_case.ended_at"},
    {{"centre", true, "the centre that had it"}, "record_past_case.centre"},
    {{"type", true, "its case type: escort_to_port, ... (`dispatch workflow list`)"},
     "record_past_case.type"},
    {{"category", true, "a code from the categories file (retired ones too)"},
     "record_past_case.category"},
    {{"outcome", false, "closed (finished, the default) or cancelled (stopped)"},
     "record_past_case.cancelled"},
    {{"end_state", false,
      "where it ended, a state of its type: needed for a closed case whose type has more than "
      "one end (document_verification: permit_issued or not_confirmed)"},
     "record_past_case.end_state"},
    {{"legal_advice", false, "yes when taken by the legal-advice service (default no)"},
     "record_past_case.legal_advice"},
    {{"reference", false, "its number in the earlier record (one per centre)"},
     "record_past_case.reference"},
    {{"summary", false, "what it was about"}, "record_past_case.summary"},
};

std::span<const Column> ColumnsOf(model::ImportKind kind) {
  if (kind == model::IMPORT_CASES) return kCaseColumns;
  if (kind == model::IMPORT_CONTACTS) return kContactColumns;
  return {};
}

// Checking stops after this many problems: enough to act on.
constexpr size_t kMostProblems = 1000;

// One thing wrong with a file: where, and what.
struct Problem {
  int line;
  std::string column;  // empty: the row as a whole
  Status status;
};

// The column an error about command field `field` belongs in ("" for none).
std::string ColumnOfField(model::ImportKind kind, std::string_view field) {
  for (const Column& c : ColumnsOf(kind)) {
    if (field == c.field || (field.starts_with(c.field) && field.size() > c.field.size() &&
                             field[c.field.size()] == '.')) {
      return std::string(c.column.name);
    }
  }
  return "";
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<bool> ParseYesNo(std::string_view text) {
  for (std::string_view yes : {"yes", "y", "true", "1", "是"}) {
    if (text == yes) return true;
  }
  for (std::string_view no : {"", "no", "n", "false", "0", "否"}) {
    if (text == no) return false;
  }
  return std::nullopt;
}

// A date, or a date and time, in Hong Kong time: "2023-04-05",
// "2023-04-05 14:30", "2023-04-05T14:30".
Result<model::Instant> ParseWhen(std::string_view text) {
  const auto digits = [&](size_t from, size_t n) {
    return text.size() >= from + n &&
           std::all_of(text.begin() + from, text.begin() + from + n,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  // Exactly 2023-04-05, or with a time of day (no seconds, no offset: the
  // centres write Hong Kong time).
  const bool date = text.size() >= 10 && digits(0, 4) && text[4] == '-' && digits(5, 2) &&
                    text[7] == '-' && digits(8, 2);
  const bool time = text.size() == 16 && (text[10] == ' ' || text[10] == 'T') && digits(11, 2) &&
                    text[13] == ':' && digits(14, 2);
  if (date && (text.size() == 10 || time)) {
    if (auto day = model::ParseDate(text.substr(0, 10)); day.ok()) {
      const int hour = time ? std::stoi(std::string(text.substr(11, 2))) : 0;
      const int minute = time ? std::stoi(std::string(text.substr(14, 2))) : 0;
      if (hour < 24 && minute < 60) {
        return model::HongKongMidnight(*day) + std::chrono::hours(hour) +
               std::chrono::minutes(minute);
      }
    }
    return Status::InvalidArgument(
        "'" + model::MaskHkidsIn(text) + "' is not a day and time of the calendar",
        "「" + model::MaskHkidsIn(text) + "」不是真實的日期或時間");
  }
  return Status::InvalidArgument(
      "'" + model::MaskHkidsIn(text) + "' is not a date; write 2023-04-05, or 2023-04-05 14:30 "
      "(Hong Kong time)",
      "「" + model::MaskHkidsIn(text) + "」不是日期；請寫成 2023-04-05 或 2023-04-05 14:30（香港時間）");
}

// Reads one data row into the command it becomes, saying what is wrong.
class RowReader {
 public:
  RowReader(model::ImportKind kind, const std::map<std::string, size_t>& index,
            const CsvRecord& record, std::vector<Problem>& problems)
      : kind_(kind), index_(index), record_(record), problems_(problems) {}

  // The cell of `column`, spaces trimmed; "" when the file has no such column.
  std::string Cell(std::string_view column) const {
    const auto it = index_.find(std::string(column));
    return it == index_.end() ? "" : model::TrimSpaces(record_.cells[it->second]);
  }

  void Bad(std::string_view column, Status status) {
    problems_.push_back({record_.line, std::string(column), std::move(status)});
    ok_ = false;
  }

  std::optional<model::Instant> When(std::string_view column, bool required) {
    const std::string text = Cell(column);
    if (text.empty()) {
      if (required) {
        Bad(column, Status::InvalidArgument("empty; write a date: 2023-04-05, or 2023-04-05 14:30",
                                            "空白；請填寫日期：2023-04-05 或 2023-04-05 14:30"));
      }
      return std::nullopt;
    }
    auto at = ParseWhen(text);
    if (!at.ok()) {
      Bad(column, at.status());
      return std::nullopt;
    }
    return *at;
  }

  bool YesNo(std::string_view column) {
    const std::string text = Cell(column);
    const auto yes = ParseYesNo(Lower(text));
    if (!yes) {
      Bad(column, Status::InvalidArgument("'" + model::MaskHkidsIn(text) + "' is not yes or no",
                                          "「" + model::MaskHkidsIn(text) + "」不是「是」或「否」"));
      return false;
    }
    return *yes;
  }

  // An error of the command the row became, put in its column.
  void Refused(const Status& s) { Bad(ColumnOfField(kind_, s.field()), s); }

  bool ok() const { return ok_; }

 private:
  model::ImportKind kind_;
  const std::map<std::string, size_t>& index_;
  const CsvRecord& record_;
  std::vector<Problem>& problems_;
  bool ok_ = true;
};

std::optional<model::LogContact> ContactRow(RowReader& row) {
  model::LogContact log;
  if (const auto at = row.When("date", /*required=*/true)) *log.mutable_at() = model::ToProto(*at);
  log.set_centre(row.Cell("centre"));
  if (log.centre().empty()) {
    row.Bad("centre", Status::InvalidArgument("empty; say which centre it came to",
                                              "空白；請填寫中心代號"));
  }
  const std::string channel = row.Cell("channel");
  if (const auto c = model::ParseChannel(Lower(channel))) {
    log.set_channel(*c);
  } else {
    row.Bad("channel", Status::InvalidArgument(
                           "'" + model::MaskHkidsIn(channel) + "' is not phone, visit, chat or email",
                           "「" + model::MaskHkidsIn(channel) + "」不是電話、到訪、網上對話或電郵"));
  }
  log.set_category(row.Cell("category"));
  log.set_legal_advice(row.YesNo("legal_advice"));
  log.set_case_number(row.Cell("case_number"));
  log.set_note(row.Cell("note"));
  if (!row.ok()) return std::nullopt;
  return log;
}

std::optional<model::RecordPastCase> CaseRow(RowReader& row) {
  model::RecordPastCase past;
  if (const auto at = row.When("opened", true)) *past.mutable_opened_at() = model::ToProto(*at);
  if (const auto at = row.When("closed", true)) *past.mutable_ended_at() = model::ToProto(*at);
  past.set_centre(row.Cell("centre"));
  past.set_type(row.Cell("type"));
  past.set_category(row.Cell("category"));
  for (std::string_view column : {"centre", "type", "category"}) {
    if (row.Cell(column).empty()) {
      row.Bad(column, Status::InvalidArgument("empty; every case needs one", "空白；每宗個案都須填寫"));
    }
  }
  const std::string outcome = Lower(row.Cell("outcome"));
  if (outcome == "cancelled" || outcome == "canceled" || outcome == "取消") {
    past.set_cancelled(true);
  } else if (!outcome.empty() && outcome != "closed" && outcome != "結案") {
    row.Bad("outcome", Status::InvalidArgument(
                           "'" + model::MaskHkidsIn(outcome) + "' is not closed or cancelled",
                           "「" + model::MaskHkidsIn(outcome) + "」不是結案或取消"));
  }
  past.set_legal_advice(row.YesNo("legal_advice"));
  past.set_reference(row.Cell("reference"));
  past.set_summary(row.Cell("summary"));
  past.set_end_state(row.Cell("end_state"));
  if (!row.ok()) return std::nullopt;
  return past;
}

// "cases-2023.csv:12: column category: unknown category 'x'", one line a
// problem, at most `shown` of them.
std::pair<std::string, std::string> Listing(std::string_view file,
                                            const std::vector<Problem>& problems, size_t shown) {
  std::string en;
  std::string zh;
  for (size_t i = 0; i < problems.size() && i < shown; ++i) {
    const Problem& p = problems[i];
    const std::string where = std::string(file) + ":" + std::to_string(p.line) + ": ";
    en += "\n" + where + (p.column.empty() ? "" : "column " + p.column + ": ") + p.status.message();
    zh += "\n" + where + (p.column.empty() ? "" : "「" + p.column + "」欄：") +
          (p.status.message_zh().empty() ? p.status.message() : p.status.message_zh());
  }
  if (problems.size() > shown) {
    const std::string more = std::to_string(problems.size() - shown);
    en += "\n... and " + more + " more";
    zh += "\n……另有 " + more + " 項";
  }
  return {en, zh};
}

}  // namespace

std::span<const ImportColumn> ImportColumns(model::ImportKind kind) {
  static const auto kTables = [] {
    std::map<model::ImportKind, std::vector<ImportColumn>> t;
    for (model::ImportKind k : {model::IMPORT_CONTACTS, model::IMPORT_CASES}) {
      for (const Column& c : ColumnsOf(k)) t[k].push_back(c.column);
    }
    return t;
  }();
  const auto it = kTables.find(kind);
  if (it == kTables.end()) return {};
  return it->second;
}

std::string_view ImportKindName(model::ImportKind kind) {
  if (kind == model::IMPORT_CONTACTS) return "contacts";
  if (kind == model::IMPORT_CASES) return "cases";
  return "records";
}

namespace decide {

Result<model::CommandReply> ImportRecords(DirectoryWork& w, const model::Command& c) {
  const model::ImportRecords& in = c.import_records();
  RETURN_IF_ERROR(CheckCanEnterRecords(w.actor));
  const model::ImportKind kind = in.kind();
  if (ColumnsOf(kind).empty()) {
    return Status::InvalidArgument("say what the file holds: contacts or cases",
                                   "請說明檔案的內容：來電及到訪，或個案")
        .WithField("import_records.kind");
  }
  const std::string file = in.file_name().empty() ? "the file" : in.file_name();
  if (in.csv().size() > kMaxImportBytes) {
    // In MiB: a long run of digits would read as an identity number, and be masked.
    const std::string mib = std::to_string((in.csv().size() + (1 << 20) - 1) >> 20);
    const std::string most = std::to_string(kMaxImportBytes >> 20);
    return Status::InvalidArgument(
        file + " has " + mib + " MiB, more than the " + most +
            " MiB one import takes; split it by year or by centre",
        file + " 有 " + mib + " MiB，超過每次輸入的上限 " + most + " MiB；請按年份或中心分拆");
  }
  if (w.categories.empty()) {
    return Status::FailedPrecondition(
        "no categories are loaded (categories.textproto is missing or broken), so no row can be "
        "checked; tell the admin",
        "系統未載入類別清單（categories.textproto 缺失或有錯），無法核對紀錄；請通知系統管理員");
  }
  const std::string_view text = in.csv();
  if (!model::IsValidUtf8(text)) {
    const size_t good = model::ValidUtf8Prefix(text);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + good, '\n'));
    return Status::InvalidArgument(
        file + ":" + std::to_string(line) +
            ": not UTF-8 text; save the spreadsheet as \"CSV UTF-8\" (not UTF-16, Big5 or GBK) "
            "and import that file",
        file + ":" + std::to_string(line) +
            "：不是 UTF-8 文字；請把試算表另存為「CSV UTF-8」（不是 UTF-16、Big5 或 GBK），再輸入該檔案");
  }
  auto parsed = ParseCsv(text);
  if (!parsed.ok()) {
    return Status::InvalidArgument(file + ": " + parsed.status().message(),
                                   file + "：" + parsed.status().message_zh());
  }
  std::vector<CsvRecord> records = std::move(parsed).value();
  // A spreadsheet's empty rows (",,,") are not records.
  std::erase_if(records, [](const CsvRecord& r) {
    return std::all_of(r.cells.begin(), r.cells.end(),
                       [](const std::string& cell) { return model::TrimSpaces(cell).empty(); });
  });
  if (records.empty()) {
    return Status::InvalidArgument(file + " is empty; its first line names the columns",
                                   file + " 是空白的；第一行須列出欄位名稱");
  }
  // The file as its cells say it: saved again with other line ends, quotes
  // or a byte order mark, it is the same file.
  std::string cells;
  for (const CsvRecord& r : records) {
    for (const std::string& cell : r.cells) {
      // A line break inside a cell as the file was saved: CRLF, CR or LF alike.
      std::string kept = model::TrimSpaces(cell);
      std::string one;
      for (size_t k = 0; k < kept.size(); ++k) {
        if (kept[k] == '\r') {
          one += '\n';
          if (k + 1 < kept.size() && kept[k + 1] == '\n') ++k;
        } else {
          one += kept[k];
        }
      }
      cells += one + '\x1f';
    }
    cells += '\x1e';
  }
  const std::string sha256 = model::Sha256Hex(cells);
  ASSIGN_OR_RETURN(const auto before, w.store.FindImport(sha256));
  if (before) {
    return Status::AlreadyExists(
        file + " was imported already, on " + model::FormatHongKong(model::FromProto(before->at())) +
            " by " + before->by() + " (" + std::to_string(before->rows()) + " " +
            std::string(ImportKindName(before->kind())) + " from " + before->file_name() +
            "); nothing was imported again, so nothing is counted twice",
        file + " 已於 " + model::FormatHongKong(model::FromProto(before->at())) + " 由 " +
            before->by() + " 輸入（" + before->file_name() + "，" +
            std::to_string(before->rows()) + " 項）；這次沒有再輸入，以免重複計算");
  }
  std::vector<Problem> problems;
  const int header_line = records[0].line;  // after any empty lines
  // The header: every column named once, each known, the required ones there.
  std::map<std::string, size_t> index;
  const auto columns = ColumnsOf(kind);
  std::string known;
  for (const Column& k : columns) known += (known.empty() ? "" : ", ") + std::string(k.column.name);
  bool other_kind = false;  // a column of the other kind of file
  for (size_t i = 0; i < records[0].cells.size(); ++i) {
    const std::string name = Lower(model::TrimSpaces(records[0].cells[i]));
    const std::string position = std::to_string(i + 1);
    if (name.empty()) {
      problems.push_back({header_line, "", Status::InvalidArgument(
                                     "column " + position + " has no name; name it, or delete "
                                     "the empty column (a comma at the line's end makes one)",
                                     "第 " + position + " 欄沒有名稱；請填寫欄名，或刪除該空欄")});
    } else if (std::none_of(columns.begin(), columns.end(),
                            [&](const Column& k) { return k.column.name == name; })) {
      const auto others = ColumnsOf(kind == model::IMPORT_CASES ? model::IMPORT_CONTACTS
                                                                 : model::IMPORT_CASES);
      other_kind = other_kind || std::any_of(others.begin(), others.end(), [&](const Column& k) {
                     return k.column.required && k.column.name == name;
                   });
      problems.push_back({header_line, model::MaskHkidsIn(name),
                          Status::InvalidArgument("not a column of a " +
                                                      std::string(ImportKindName(kind)) +
                                                      " file; the columns are " + known,
                                                  "不是此類檔案的欄位；欄位為 " + known)});
    } else if (!index.emplace(name, i).second) {
      problems.push_back({header_line, name, Status::InvalidArgument("named twice in the header",
                                                           "標題列中出現兩次")});
    }
  }
  for (const Column& k : columns) {
    if (k.column.required && index.count(std::string(k.column.name)) == 0) {
      problems.push_back({header_line, std::string(k.column.name),
                          Status::InvalidArgument("missing from the header: " +
                                                      std::string(k.column.what),
                                                  "標題列缺少此欄")});
    }
  }
  if (!problems.empty()) {
    const auto [en, zh] = Listing(file, problems, kMostProblems);
    const std::string other(ImportKindName(kind == model::IMPORT_CASES ? model::IMPORT_CONTACTS
                                                                        : model::IMPORT_CASES));
    return Status::InvalidArgument(
        file + ": its header (line " + std::to_string(header_line) + ") is not one of a " +
            std::string(ImportKindName(kind)) +
            " file, so nothing was imported" +
            (other_kind ? " (is it a file of " + other + "? `dispatch import " + other + "`)" : "") +
            ":" + en,
        file + "：標題列（第 " + std::to_string(header_line) + " 行）不合格式，沒有輸入任何紀錄" +
            (other_kind ? "（這是否" + other + "檔案？請用 `dispatch import " + other + "`）" : "") +
            "：" + zh);
  }

  model::ImportSummary summary;
  summary.set_kind(kind);
  summary.set_file_name(in.file_name());
  summary.set_sha256(sha256);
  summary.set_by(w.actor.user);
  *summary.mutable_at() = model::ToProto(w.now);
  std::map<std::pair<std::string, std::string>, int> references;  // (centre, reference) -> line
  int rows = 0;
  int bad_rows = 0;
  bool stopped = false;  // at kMostProblems
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    ++rows;
    const size_t before_row = problems.size();
    RowReader row(kind, index, record, problems);
    if (record.cells.size() != records[0].cells.size()) {
      row.Bad("", Status::InvalidArgument(
                      "has " + std::to_string(record.cells.size()) + " cells; the header has " +
                          std::to_string(records[0].cells.size()),
                      "有 " + std::to_string(record.cells.size()) + " 格，標題列有 " +
                          std::to_string(records[0].cells.size()) + " 格"));
    }
    const std::string source = file + " line " + std::to_string(record.line);
    model::Command command;
    if (row.ok() && kind == model::IMPORT_CONTACTS) {
      if (auto log = ContactRow(row)) *command.mutable_log_contact() = std::move(*log);
    } else if (row.ok()) {
      if (auto past = CaseRow(row)) {
        past->set_source(source);
        if (!past->reference().empty()) {
          const auto [it, first] =
              references.emplace(std::make_pair(past->centre(), past->reference()), record.line);
          if (!first) {
            row.Bad("reference", Status::InvalidArgument(
                                     "the same as line " + std::to_string(it->second) +
                                         "'s; one earlier case, one row",
                                     "與第 " + std::to_string(it->second) + " 行相同；每宗個案只可一行"));
          }
        }
        if (row.ok()) *command.mutable_record_past_case() = std::move(*past);
      }
    }
    if (row.ok()) {
      // The checks every command from every surface has, then its own.
      if (Status s = model::CheckText(command); !s.ok()) {
        row.Refused(s);
      } else if (command.has_log_contact()) {
        auto entered = EnterContact(w, command.log_contact(), source);
        if (!entered.ok()) row.Refused(entered.status());
      } else {
        auto entered = w.run_case_command(command);
        if (!entered.ok()) {
          row.Refused(entered.status());
        } else {
          const std::string& number = entered->case_state().number();
          if (summary.first_case().empty()) summary.set_first_case(number);
          summary.set_last_case(number);
        }
      }
    }
    if (problems.size() > before_row) ++bad_rows;
    // Enough to act on; the rest would only make the message longer.
    if (problems.size() >= kMostProblems) {
      stopped = r + 1 < records.size();
      break;
    }
  }
  if (!problems.empty()) {
    const auto [en, zh] = Listing(file, problems, kMostProblems);
    // Everything the rows wrote goes with the refusal (the command's
    // transaction): nothing of the file is entered.
    return Status::InvalidArgument(
        file + ": " + (stopped ? "at least " : "") + std::to_string(bad_rows) +
            " row(s) are wrong, so nothing was imported; correct them and import the whole file "
            "again:" + en,
        file + "：" + (stopped ? "至少" : "") + "有 " + std::to_string(bad_rows) +
            " 行有錯，因此沒有輸入任何紀錄；請更正後再輸入整個檔案：" + zh);
  }
  if (rows == 0) {
    return Status::InvalidArgument(file + " has no rows under its header; nothing to import",
                                   file + " 標題列下沒有紀錄，無可輸入");
  }
  summary.set_rows(rows);
  RETURN_IF_ERROR(w.store.AddImport(summary));
  model::CommandReply reply;
  *reply.mutable_imported() = std::move(summary);
  return reply;
}

}  // namespace decide

}  // namespace dispatch
