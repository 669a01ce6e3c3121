// An RFC 4180 CSV reader that remembers where each record starts in the file.
//
// Offers ReadCsv(): text (already UTF-8) in, records out. Quoted fields may span lines and escape a
// quote as "", records end in CRLF, LF or a lone CR, and each record carries the physical line
// (1-based) it starts on, so a validator can point a person at the exact line of a bad row even
// when earlier records contain line breaks. Use it for any CSV a person will have to fix by hand.
#ifndef DPS_SERVICES_QUALIFICATION_RATINGS_CSV_READER_H_
#define DPS_SERVICES_QUALIFICATION_RATINGS_CSV_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dps::qualification::ratings {

struct CsvRecord {
  std::vector<std::string> fields;
  // The physical line the record starts on, 1-based.
  int line = 0;
};

// Splits `text` into records. A final line break does not make an empty record; an empty line in
// the middle is a record with one empty field (callers decide whether blank rows matter). Line
// breaks inside quoted fields are kept as they were written.
//
// Errors (InvalidArgument, naming the line): a quoted field still open at the end of the text, or
// text between a closing quote and the next separator (`"abc"x`), which RFC 4180 forbids and which
// usually means an unescaped quote that would otherwise shift every later column. A quote inside an
// unquoted field (`5" wide`) is kept literally, as spreadsheet programs write it.
//
//   absl::StatusOr<std::vector<CsvRecord>> records = ReadCsv("a,\"b\nc\"\nd,e\n");
//   // records: {{"a", "b\nc"}, line 1}, {{"d", "e"}, line 3}
absl::StatusOr<std::vector<CsvRecord>> ReadCsv(absl::string_view text);

}  // namespace dps::qualification::ratings

#endif  // DPS_SERVICES_QUALIFICATION_RATINGS_CSV_READER_H_
