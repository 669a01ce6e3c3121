#include "services/qualification/tools/reference_data.h"

#include <fstream>
#include <iterator>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/qualification/ratings/csv_reader.h"
#include "services/qualification/ratings/label.h"
#include "services/qualification/ratings/text_encoding.h"

namespace dps::qualification::tools {
namespace {

using ratings::CsvRecord;

// A CSV file with a one-line header, read by column name.
class Table final {
 public:
  static absl::StatusOr<Table> Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    absl::StatusOr<ratings::DecodedText> text = ratings::DecodeToUtf8(bytes);
    if (!text.ok()) return text.status();
    absl::StatusOr<std::vector<CsvRecord>> records = ratings::ReadCsv(text->utf8);
    if (!records.ok()) return records.status();
    if (records->empty()) return absl::InvalidArgumentError(absl::StrCat(path, " is empty"));
    Table table;
    table.path_ = path;
    for (size_t i = 0; i < records->front().fields.size(); ++i) {
      table.columns_[ratings::NormaliseLabel(records->front().fields[i])] = i;
    }
    table.rows_.assign(std::next(records->begin()), records->end());
    return table;
  }

  const std::vector<CsvRecord>& rows() const { return rows_; }

  absl::StatusOr<std::string> Text(const CsvRecord& row, absl::string_view column) const {
    auto it = columns_.find(column);
    if (it == columns_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(path_, ": no column ", column));
    }
    if (it->second >= row.fields.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path_, " line ", row.line, ": too few fields for ", column));
    }
    return row.fields[it->second];
  }

  absl::StatusOr<double> Number(const CsvRecord& row, absl::string_view column) const {
    absl::StatusOr<std::string> text = Text(row, column);
    if (!text.ok()) return text.status();
    double value = 0;
    if (!absl::SimpleAtod(*text, &value)) {
      return absl::InvalidArgumentError(absl::StrCat(path_, " line ", row.line, ": ", column, " \"",
                                                     *text, "\" is not a number"));
    }
    return value;
  }

 private:
  std::string path_;
  absl::flat_hash_map<std::string, size_t> columns_;
  std::vector<CsvRecord> rows_;
};

}  // namespace

absl::StatusOr<std::vector<Authority>> LoadAuthorities(const std::string& path) {
  absl::StatusOr<Table> table = Table::Read(path);
  if (!table.ok()) return table.status();
  std::vector<Authority> authorities;
  for (const CsvRecord& row : table->rows()) {
    if (row.fields.size() == 1 && row.fields[0].empty()) continue;
    absl::StatusOr<std::string> code = table->Text(row, "la_code");
    absl::StatusOr<std::string> name = table->Text(row, "la_name");
    absl::StatusOr<std::string> region = table->Text(row, "region_name");
    absl::StatusOr<double> latitude = table->Number(row, "centroid_lat");
    absl::StatusOr<double> longitude = table->Number(row, "centroid_lon");
    for (const absl::Status& status :
         {code.status(), name.status(), region.status(), latitude.status(), longitude.status()}) {
      if (!status.ok()) return status;
    }
    authorities.push_back({*code, *name, *region, *latitude, *longitude});
  }
  return authorities;
}

absl::StatusOr<std::vector<PostcodeDistrict>> LoadEnglishPostcodeDistricts(
    const std::string& path) {
  static const auto* kNotEngland =
      new absl::flat_hash_set<std::string>{"Scotland", "Wales", "Northern Ireland"};
  absl::StatusOr<Table> table = Table::Read(path);
  if (!table.ok()) return table.status();
  std::vector<PostcodeDistrict> districts;
  for (const CsvRecord& row : table->rows()) {
    if (row.fields.size() == 1 && row.fields[0].empty()) continue;
    absl::StatusOr<std::string> district = table->Text(row, "district");
    absl::StatusOr<std::string> region = table->Text(row, "uk_region");
    absl::StatusOr<double> active = table->Number(row, "active_postcodes");
    absl::StatusOr<std::string> latitude_text = table->Text(row, "latitude");
    for (const absl::Status& status :
         {district.status(), region.status(), active.status(), latitude_text.status()}) {
      if (!status.ok()) return status;
    }
    // Non-geographic districts (PO boxes, large users) have no position at all.
    if (kNotEngland->contains(*region) || *active <= 0 || latitude_text->empty()) continue;
    absl::StatusOr<double> latitude = table->Number(row, "latitude");
    absl::StatusOr<double> longitude = table->Number(row, "longitude");
    if (!latitude.ok()) return latitude.status();
    if (!longitude.ok()) return longitude.status();
    districts.push_back({*district, *region, *latitude, *longitude, static_cast<int>(*active)});
  }
  return districts;
}

std::string AuthorityKey(absl::string_view name) {
  std::string key = ratings::NormaliseLabel(name);
  key = absl::StrReplaceAll(key, {{"&", "and"}, {"-", " "}, {".", ""}});
  for (absl::string_view suffix : {", city of", ", county of"}) {
    if (absl::EndsWith(key, suffix)) key.resize(key.size() - suffix.size());
  }
  if (absl::StartsWith(key, "county ")) key.erase(0, 7);
  return ratings::NormaliseLabel(key);
}

}  // namespace dps::qualification::tools
