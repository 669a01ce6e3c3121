// Importing Ofsted's provider-level CSV (children's social care) into validated rating records.
//
// Offers ParseOfstedCsv(): the raw bytes of a downloaded file in, a RatingFile out, or an error
// that lists the first problems with the physical line of each. It is all-or-nothing, so a caller
// never applies half a file. It copes with what real files do:
//   - title lines above the header (the header is found by its column names, not its position);
//   - header cells with line breaks inside quotes, odd spacing and capitals;
//   - column names that change between years (known aliases, see kColumnAliases in the .cc);
//   - UTF-8 with or without a byte-order mark, or Windows-1252 (see text_encoding.h);
//   - CRLF or LF, commas and quotes inside quoted fields (see csv_reader.h);
//   - names and postcodes that are "REDACTED" or blank (kept as nullopt);
//   - blank rows (skipped).
// Use ReadOfstedCsvFile() to read from disk; then ComputeRatingChanges() (rating_changes.h).
//
//   absl::StatusOr<RatingFile> file = ReadOfstedCsvFile("data/ofsted/providers_at_2025-03-31.csv");
//   if (!file.ok()) return file.status();  // "line 12 [bad-date] Latest full inspection date ..."
#ifndef DPS_SERVICES_QUALIFICATION_RATINGS_OFSTED_CSV_H_
#define DPS_SERVICES_QUALIFICATION_RATINGS_OFSTED_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/qualification/ratings/rating.h"

namespace dps::qualification::ratings {

// One thing wrong with a file. `rule` is a stable code a UI or test can key on:
//   encoding, csv-syntax, no-header, ambiguous-column, no-rows        (the file as a whole)
//   column-count, missing-urn, bad-urn, duplicate-urn, bad-date,
//   unknown-rating, unknown-outcome, bad-places                        (one row)
struct ParseProblem {
  int line = 0;  // physical line, 1-based; 0 when the problem is not on one line
  std::string rule;
  std::string detail;  // names the column and the value
};

// "line 12 [bad-date] Latest full inspection date: \"31/02/2024\" is not a date (dd/mm/yyyy)"
std::string FormatProblem(const ParseProblem& problem);

struct ParseOptions {
  // How many problems the error message lists (all are counted, and all go to `problems`).
  int max_reported_problems = 20;
  // How many records from the top may be title lines before the header must have appeared.
  int header_search_records = 30;
};

// Parses and validates a whole file. On failure returns InvalidArgument whose message gives the
// number of problems and the first `max_reported_problems` of them, each with its line and rule;
// if `problems` is not null it also receives every problem, for a UI to show.
//
// Required columns (by any alias): URN, provision type, local authority, latest full inspection
// date and the overall judgement. Optional ones missing from an older file leave fields empty.
// A data row must have as many fields as the header; a date is dd/mm/yyyy or yyyy-mm-dd; a URN is
// letters and digits; a judgement must be one ParseOverallRating() knows; a URN appears once.
absl::StatusOr<RatingFile> ParseOfstedCsv(absl::string_view bytes, const ParseOptions& options = {},
                                          std::vector<ParseProblem>* problems = nullptr);

// Reads `path` and parses it as above. NotFound if the file cannot be opened.
absl::StatusOr<RatingFile> ReadOfstedCsvFile(const std::string& path,
                                             const ParseOptions& options = {},
                                             std::vector<ParseProblem>* problems = nullptr);

}  // namespace dps::qualification::ratings

#endif  // DPS_SERVICES_QUALIFICATION_RATINGS_OFSTED_CSV_H_
