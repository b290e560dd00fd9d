// Earlier records from CSV files: the contacts and finished cases a centre
// counted in spreadsheets before this system, entered so that the yearly
// report covers those years too (`dispatch import contacts|cases FILE`, the
// import_records command).
//
// A file is entered whole or not at all. Every row is checked, by the same
// rules as the command it becomes (log_contact, record_past_case), and every
// bad row is named by line and column; then nothing is entered. A file
// entered once is refused after, by its SHA-256, so nothing is counted twice.
#ifndef DISPATCH_IMPORT_H_
#define DISPATCH_IMPORT_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/proto/command.pb.h"
#include "model/status.h"

namespace dispatch {

// One record of a CSV file: its cells, and the line it starts on (a quoted
// cell may hold line breaks, so records and lines differ).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> cells;
};

// RFC 4180: cells split by commas, records by CRLF or LF; a cell in double
// quotes may hold commas, line breaks and doubled quotes (""). A UTF-8 byte
// order mark at the start is skipped. InvalidArgument, naming the line, for a
// quote left open or a quote inside a cell not quoted.
model::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

// A column a file of `kind` may have (its header names it).
struct ImportColumn {
  std::string_view name;
  bool required;
  std::string_view what;  // for the README and the errors
};
std::span<const ImportColumn> ImportColumns(model::ImportKind kind);

// "contacts", "cases": the word the command line and the messages use.
std::string_view ImportKindName(model::ImportKind kind);

// The most bytes a file may have.
inline constexpr size_t kMaxImportBytes = 32 << 20;

}  // namespace dispatch

#endif  // DISPATCH_IMPORT_H_
