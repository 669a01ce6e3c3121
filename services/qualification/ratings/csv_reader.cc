#include "services/qualification/ratings/csv_reader.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace dps::qualification::ratings {
namespace {

// How many bytes the line break at `text[i]` takes: 2 for CRLF, 1 for LF or a lone CR, 0 if none.
size_t LineBreakLength(absl::string_view text, size_t i) {
  if (text[i] == '\n') return 1;
  if (text[i] == '\r') return (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
  return 0;
}

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ReadCsv(absl::string_view text) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  size_t i = 0;
  // True once the current record has any content, so a trailing line break ends the file rather
  // than adding an empty record.
  bool record_started = false;

  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    records.push_back(std::move(record));
    record = CsvRecord{};
    record_started = false;
  };

  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.empty()) {
      // A quoted field: runs to the next quote that is not doubled.
      const int opened_on = line;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (size_t n = LineBreakLength(text, i); n > 0) {
          field.append(text.data() + i, n);
          i += n;
          ++line;
          continue;
        }
        field.push_back(text[i]);
        ++i;
      }
      if (!closed) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", opened_on, ": quoted field is never closed"));
      }
      record_started = true;
      if (i < text.size() && text[i] != ',' && LineBreakLength(text, i) == 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line, ": text after a closing quote (an unescaped quote inside a field?)"));
      }
      continue;
    }
    if (c == ',') {
      end_field();
      record_started = true;
      ++i;
      continue;
    }
    if (size_t n = LineBreakLength(text, i); n > 0) {
      end_record();
      i += n;
      ++line;
      record.line = line;
      continue;
    }
    field.push_back(c);
    record_started = true;
    ++i;
  }
  if (record_started || !field.empty()) end_record();
  return records;
}

}  // namespace dps::qualification::ratings
