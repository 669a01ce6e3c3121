#include "services/qualification/ratings/ofsted_csv.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/crypto/sha256.h"
#include "services/qualification/ratings/csv_reader.h"
#include "services/qualification/ratings/label.h"
#include "services/qualification/ratings/text_encoding.h"

namespace dps::qualification::ratings {
namespace {

enum Column {
  kUrn,
  kLinkedEducationUrn,
  kProvisionType,
  kRegistrationDate,
  kRegistrationStatus,
  kName,
  kPostcode,
  kOfstedRegion,
  kRegion,
  kLocalAuthority,
  kSector,
  kPlaces,
  kShortBreaksOnly,
  kOwner,
  kInspectionType,
  kInspectionDate,
  kPublicationDate,
  kOverall,
  kHelpedAndProtected,
  kLeadersAndManagers,
  kSupportedAccommodationOutcome,
  kColumnCount,
};

struct ColumnSpec {
  Column column;
  bool required;
  // Normalised (label.h) names, best first: when two header cells match different aliases, the
  // earlier alias wins. The first is the name in the 2025 file; the rest are earlier years' names
  // or the obvious ways a person retyping a header would write it.
  std::vector<absl::string_view> aliases;
};

const std::vector<ColumnSpec>& ColumnSpecs() {
  static const auto* specs = new std::vector<ColumnSpec>{
      {kUrn, true, {"urn", "provider urn", "social care urn", "unique reference number"}},
      {kLinkedEducationUrn, false, {"linked education urn", "education urn"}},
      {kProvisionType, true, {"provision type", "provider type", "type of provision"}},
      {kRegistrationDate, false, {"registration date", "date of registration"}},
      {kRegistrationStatus, false, {"registration status", "status"}},
      {kName, false, {"name", "provider name", "setting name"}},
      {kPostcode, false, {"postcode", "post code", "provider postcode"}},
      {kOfstedRegion, false, {"ofsted region"}},
      {kRegion, false, {"government office region", "region"}},
      {kLocalAuthority, true, {"local authority", "local authority name", "la name", "la"}},
      {kSector, false, {"sector", "provider sector"}},
      {kPlaces, false, {"places", "number of places", "registered places", "maximum places"}},
      {kShortBreaksOnly,
       false,
       {"short-break-only children's home", "short break only children's home",
        "short breaks only"}},
      {kOwner,
       false,
       {"organisation which owns the provider", "owner", "owner name", "organisation name"}},
      {kInspectionType,
       false,
       {"latest full inspection event type", "inspection event type", "event type"}},
      {kInspectionDate,
       true,
       {"latest full inspection date", "date of latest full inspection", "latest inspection date",
        "inspection date"}},
      {kPublicationDate, false, {"latest full inspection publication date", "publication date"}},
      {kOverall,
       true,
       {"overall experiences and progress of children and young people",
        "overall experiences and progress of children and young people (latest full inspection)",
        "overall effectiveness", "overall experiences and progress", "overall judgement"}},
      {kHelpedAndProtected,
       false,
       {"how well children and young people are helped and protected",
        "how well children are helped and protected"}},
      {kLeadersAndManagers,
       false,
       {"the effectiveness of leaders and managers", "effectiveness of leaders and managers"}},
      {kSupportedAccommodationOutcome,
       false,
       {"supported accommodation outcome", "overall supported accommodation outcome"}},
  };
  return *specs;
}

// Where each column is in the header (-1: absent), and the header's own text for messages.
struct ColumnMap {
  std::array<int, kColumnCount> index;
  std::vector<std::string> header;  // as written, whitespace collapsed
};

struct HeaderMatch {
  ColumnMap map;
  std::vector<std::string> missing_required;  // first alias of each required column not found
  std::vector<std::string> ambiguous;         // aliases matching more than one cell
};

HeaderMatch MatchHeader(const std::vector<std::string>& cells) {
  HeaderMatch match;
  match.map.index.fill(-1);
  std::vector<std::string> normalised;
  normalised.reserve(cells.size());
  for (const std::string& cell : cells) normalised.push_back(NormaliseLabel(cell));
  for (const std::string& cell : cells) {
    // Keep the case for messages, but not the line breaks Ofsted puts inside header cells.
    match.map.header.push_back(
        absl::StrJoin(absl::StrSplit(cell, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty()), " "));
  }
  for (const ColumnSpec& spec : ColumnSpecs()) {
    for (absl::string_view alias : spec.aliases) {
      std::vector<int> hits;
      for (size_t i = 0; i < normalised.size(); ++i) {
        if (normalised[i] == alias) hits.push_back(static_cast<int>(i));
      }
      if (hits.empty()) continue;
      if (hits.size() > 1) match.ambiguous.emplace_back(alias);
      match.map.index[spec.column] = hits.front();
      break;
    }
    if (spec.required && match.map.index[spec.column] < 0) {
      match.missing_required.emplace_back(spec.aliases.front());
    }
  }
  return match;
}

bool IsBlank(const CsvRecord& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return absl::StripAsciiWhitespace(f).empty(); });
}

// dd/mm/yyyy (Ofsted's form; single-digit day or month allowed) or yyyy-mm-dd (what a spreadsheet
// export of a date cell may give). nullopt if it is neither or names no real day.
std::optional<absl::CivilDay> ParseDay(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::ByAnyChar("/-"));
  if (parts.size() != 3) return std::nullopt;
  int year = 0;
  int month = 0;
  int day = 0;
  const bool iso = parts[0].size() == 4 && text.find('-') != absl::string_view::npos;
  const bool british = parts[2].size() == 4 && text.find('/') != absl::string_view::npos;
  if (!iso && !british) return std::nullopt;
  if (!absl::SimpleAtoi(parts[iso ? 0 : 2], &year) || !absl::SimpleAtoi(parts[1], &month) ||
      !absl::SimpleAtoi(parts[iso ? 2 : 0], &day)) {
    return std::nullopt;
  }
  if (year < 1900 || year > 2200) return std::nullopt;
  // CivilDay normalises 31/02 to 3 March; a date that does not survive the round trip is not real.
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) return std::nullopt;
  return civil;
}

// "REDACTED", "Redacted", "[redacted]" and blank all mean "we may not know this".
std::optional<std::string> UnlessRedacted(absl::string_view value) {
  const std::string key = NormaliseLabel(value);
  if (key.empty() || key == "redacted" || key == "[redacted]" || key == "(redacted)") {
    return std::nullopt;
  }
  return std::string(value);
}

// Normalises a UK postcode to "RH12 1AB" and returns it with its district ("RH12"). A value that is
// not shaped like a postcode is kept as written, with no district, rather than rejected: the
// postcode places an establishment on a map, it does not identify it.
std::pair<std::string, std::string> NormalisePostcode(absl::string_view value) {
  std::string compact;
  for (char c : value) {
    if (!absl::ascii_isspace(c)) compact.push_back(absl::ascii_toupper(c));
  }
  const bool shaped =
      compact.size() >= 5 && compact.size() <= 7 && absl::ascii_isalpha(compact[0]) &&
      std::all_of(compact.begin(), compact.end(), [](char c) { return absl::ascii_isalnum(c); }) &&
      absl::ascii_isdigit(compact[compact.size() - 3]) &&
      absl::ascii_isalpha(compact[compact.size() - 2]) &&
      absl::ascii_isalpha(compact[compact.size() - 1]);
  if (!shaped) return {std::string(absl::StripAsciiWhitespace(value)), ""};
  std::string district = compact.substr(0, compact.size() - 3);
  return {absl::StrCat(district, " ", compact.substr(compact.size() - 3)), district};
}

class RowParser final {
 public:
  RowParser(const ColumnMap& map, std::vector<ParseProblem>* problems)
      : map_(map), problems_(problems) {}

  // Parses one data row; problems go to `problems_`. Returns nullopt if the row had any.
  std::optional<RatingRecord> Parse(const CsvRecord& row) {
    const size_t problems_before = problems_->size();
    line_ = row.line;
    row_ = &row;
    RatingRecord record;
    record.line = row.line;

    record.urn = absl::AsciiStrToUpper(Cell(kUrn));
    if (record.urn.empty()) {
      Problem("missing-urn", absl::StrCat(HeaderName(kUrn), " is empty"));
    } else if (!std::all_of(record.urn.begin(), record.urn.end(),
                            [](char c) { return absl::ascii_isalnum(c); })) {
      Problem("bad-urn",
              absl::StrCat(HeaderName(kUrn), ": \"", Cell(kUrn), "\" is not letters and digits"));
    } else if (auto [it, inserted] = first_line_of_urn_.emplace(record.urn, line_); !inserted) {
      Problem("duplicate-urn", absl::StrCat("URN ", record.urn, " is also on line ", it->second));
    }
    record.linked_education_urn = std::string(Cell(kLinkedEducationUrn));
    record.provision_type_text = std::string(Cell(kProvisionType));
    record.provision_type = ClassifyProvisionType(record.provision_type_text);
    record.registration_date = Day(kRegistrationDate);
    record.registration_status_text = std::string(Cell(kRegistrationStatus));
    record.registration_status = ParseRegistrationStatus(record.registration_status_text);
    record.name = UnlessRedacted(Cell(kName));
    if (std::optional<std::string> postcode = UnlessRedacted(Cell(kPostcode))) {
      auto [normalised, district] = NormalisePostcode(*postcode);
      record.postcode = std::move(normalised);
      record.postcode_district = std::move(district);
    }
    record.local_authority = std::string(Cell(kLocalAuthority));
    record.region = std::string(Cell(kRegion));
    record.ofsted_region = std::string(Cell(kOfstedRegion));
    record.sector = std::string(Cell(kSector));
    record.owner = std::string(Cell(kOwner));
    if (absl::string_view places = Cell(kPlaces); !places.empty()) {
      int value = 0;
      if (absl::SimpleAtoi(places, &value) && value >= 0) {
        record.places = value;
      } else {
        Problem("bad-places", absl::StrCat(HeaderName(kPlaces), ": \"", places,
                                           "\" is not a whole number of places"));
      }
    }
    const std::string short_breaks = NormaliseLabel(Cell(kShortBreaksOnly));
    record.short_breaks_only = !short_breaks.empty() && short_breaks != "no" && short_breaks != "n";
    record.inspection_type = std::string(Cell(kInspectionType));
    record.inspection_date = Day(kInspectionDate);
    record.publication_date = Day(kPublicationDate);
    record.overall = Rating(kOverall);
    record.helped_and_protected = Rating(kHelpedAndProtected);
    record.leaders_and_managers = Rating(kLeadersAndManagers);
    if (absl::string_view text = Cell(kSupportedAccommodationOutcome); !text.empty()) {
      if (auto outcome = ParseSupportedAccommodationOutcome(text)) {
        record.supported_accommodation_outcome = *outcome;
      } else {
        Problem("unknown-outcome",
                absl::StrCat(HeaderName(kSupportedAccommodationOutcome), ": \"", text,
                             "\" is not a supported accommodation outcome"));
      }
    }
    if (problems_->size() != problems_before) return std::nullopt;
    return record;
  }

 private:
  absl::string_view Cell(Column column) const {
    const int index = map_.index[column];
    if (index < 0) return "";
    return absl::StripAsciiWhitespace(row_->fields[index]);
  }

  std::string HeaderName(Column column) const { return map_.header[map_.index[column]]; }

  void Problem(std::string rule, std::string detail) {
    problems_->push_back({line_, std::move(rule), std::move(detail)});
  }

  std::optional<absl::CivilDay> Day(Column column) {
    absl::string_view text = Cell(column);
    if (text.empty()) return std::nullopt;
    std::optional<absl::CivilDay> day = ParseDay(text);
    if (!day) {
      Problem("bad-date",
              absl::StrCat(HeaderName(column), ": \"", text, "\" is not a date (dd/mm/yyyy)"));
    }
    return day;
  }

  OverallRating Rating(Column column) {
    absl::string_view text = Cell(column);
    if (std::optional<OverallRating> rating = ParseOverallRating(text)) return *rating;
    Problem("unknown-rating", absl::StrCat(HeaderName(column), ": \"", text,
                                           "\" is not Outstanding, Good, Requires improvement "
                                           "to be good, Inadequate or empty"));
    return OverallRating::kNotInspected;
  }

  const ColumnMap& map_;
  std::vector<ParseProblem>* problems_;
  absl::flat_hash_map<std::string, int> first_line_of_urn_;
  const CsvRecord* row_ = nullptr;
  int line_ = 0;
};

absl::Status Rejected(const std::vector<ParseProblem>& problems, const ParseOptions& options) {
  const size_t shown =
      std::min(problems.size(), static_cast<size_t>(std::max(options.max_reported_problems, 1)));
  std::vector<std::string> lines;
  for (size_t i = 0; i < shown; ++i) lines.push_back(FormatProblem(problems[i]));
  return absl::InvalidArgumentError(
      absl::StrCat("Ofsted ratings file rejected, nothing imported: ", problems.size(),
                   problems.size() == 1 ? " problem" : " problems",
                   shown < problems.size() ? absl::StrCat(" (first ", shown, ")") : "", ": ",
                   absl::StrJoin(lines, "; ")));
}

}  // namespace

std::string FormatProblem(const ParseProblem& problem) {
  if (problem.line <= 0) return absl::StrCat("[", problem.rule, "] ", problem.detail);
  return absl::StrCat("line ", problem.line, " [", problem.rule, "] ", problem.detail);
}

absl::StatusOr<RatingFile> ParseOfstedCsv(absl::string_view bytes, const ParseOptions& options,
                                          std::vector<ParseProblem>* problems) {
  std::vector<ParseProblem> local_problems;
  std::vector<ParseProblem>& found = problems != nullptr ? *problems : local_problems;
  found.clear();
  auto reject = [&](int line, std::string rule, std::string detail) {
    found.push_back({line, std::move(rule), std::move(detail)});
    return Rejected(found, options);
  };

  RatingFile file;
  file.content_sha256 = dps::platform::Sha256Hex(std::string_view(bytes.data(), bytes.size()));
  absl::StatusOr<DecodedText> text = DecodeToUtf8(bytes);
  if (!text.ok()) return reject(0, "encoding", std::string(text.status().message()));
  file.encoding = text->encoding;

  absl::StatusOr<std::vector<CsvRecord>> records = ReadCsv(text->utf8);
  if (!records.ok()) return reject(0, "csv-syntax", std::string(records.status().message()));

  // The header is the first record, near the top, that names every required column.
  std::optional<HeaderMatch> header;
  size_t header_index = 0;
  std::vector<std::string> best_missing;  // for the message when no record qualifies
  const size_t search =
      std::min(records->size(), static_cast<size_t>(std::max(options.header_search_records, 1)));
  for (size_t i = 0; i < search; ++i) {
    HeaderMatch match = MatchHeader((*records)[i].fields);
    if (match.missing_required.empty()) {
      header = std::move(match);
      header_index = i;
      break;
    }
    if (best_missing.empty() || match.missing_required.size() < best_missing.size()) {
      best_missing = match.missing_required;
    }
    if (!IsBlank((*records)[i]) && !(*records)[i].fields.front().empty()) {
      file.title_lines.push_back(
          std::string(absl::StripAsciiWhitespace((*records)[i].fields.front())));
    }
  }
  if (!header) {
    return reject(0, "no-header",
                  absl::StrCat("no header row in the first ", search,
                               " records names every required column; missing: ",
                               absl::StrJoin(best_missing, ", ")));
  }
  const CsvRecord& header_record = (*records)[header_index];
  file.header_line = header_record.line;
  if (!header->ambiguous.empty()) {
    return reject(
        header_record.line, "ambiguous-column",
        absl::StrCat("more than one column is called: ", absl::StrJoin(header->ambiguous, ", ")));
  }

  RowParser parser(header->map, &found);
  const size_t width = header_record.fields.size();
  for (size_t i = header_index + 1; i < records->size(); ++i) {
    const CsvRecord& row = (*records)[i];
    if (IsBlank(row)) continue;
    if (row.fields.size() != width) {
      found.push_back({row.line, "column-count",
                       absl::StrCat(row.fields.size(), " fields, the header has ", width)});
      continue;
    }
    if (std::optional<RatingRecord> record = parser.Parse(row)) {
      file.records.push_back(std::move(*record));
    }
  }
  if (!found.empty()) return Rejected(found, options);
  if (file.records.empty()) {
    return reject(header_record.line, "no-rows", "the header is followed by no provider rows");
  }
  return file;
}

absl::StatusOr<RatingFile> ReadOfstedCsvFile(const std::string& path, const ParseOptions& options,
                                             std::vector<ParseProblem>* problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return ParseOfstedCsv(bytes, options, problems);
}

}  // namespace dps::qualification::ratings
