#include "services/qualification/ratings/ofsted_csv.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace dps::qualification::ratings {
namespace {

constexpr char kRealFile[] = DPS_DATA_DIR "/ofsted/providers_at_2025-03-31.csv";

// The smallest header with every required column, in the 2025 file's words.
constexpr char kHeader[] =
    "URN,Provision type,Name,Postcode,Local authority,Places,Latest full inspection date,"
    "Overall experiences and progress of children and young people\n";

const RatingRecord* FindUrn(const RatingFile& file, absl::string_view urn) {
  auto it = std::find_if(file.records.begin(), file.records.end(),
                         [&](const RatingRecord& r) { return r.urn == urn; });
  return it == file.records.end() ? nullptr : &*it;
}

// Parses text that must be rejected; returns its problems.
std::vector<ParseProblem> ProblemsOf(absl::string_view text) {
  std::vector<ParseProblem> problems;
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text, {}, &problems);
  REQUIRE_FALSE(file.ok());
  CHECK(file.status().code() == absl::StatusCode::kInvalidArgument);
  return problems;
}

TEST_CASE("The real 31 March 2025 file parses completely", "[ofsted][real]") {
  absl::StatusOr<RatingFile> file = ReadOfstedCsvFile(kRealFile);
  REQUIRE(file.ok());
  CHECK(file->records.size() == 5600);
  CHECK(file->encoding == SourceEncoding::kUtf8WithBom);
  CHECK(file->title_lines.size() == 3);
  CHECK(file->header_line == 4);
  // The header's cells hold line breaks, so the first provider row is on line 10.
  CHECK(file->records.front().line == 10);
  CHECK(file->content_sha256.size() == 64);

  std::map<OverallRating, int> by_rating;
  for (const RatingRecord& r : file->records) ++by_rating[r.overall];
  CHECK(by_rating[OverallRating::kOutstanding] == 658);
  CHECK(by_rating[OverallRating::kGood] == 3059);
  CHECK(by_rating[OverallRating::kRequiresImprovement] == 522);
  CHECK(by_rating[OverallRating::kInadequate] == 54);
  CHECK(by_rating[OverallRating::kNotInspected] == 1307);

  SECTION("a redacted children's home") {
    const RatingRecord* home = FindUrn(*file, "2590934");
    REQUIRE(home != nullptr);
    CHECK(home->provision_type == ProvisionType::kChildrensHome);
    CHECK_FALSE(home->name.has_value());
    CHECK_FALSE(home->postcode.has_value());
    CHECK(home->local_authority == "Lewisham");
    CHECK(home->region == "London");
    CHECK(home->sector == "Private");
    CHECK(home->places == 2);
    CHECK(home->owner == "Zone Central Ltd");
    CHECK(home->inspection_date == absl::CivilDay(2024, 11, 5));
    CHECK(home->overall == OverallRating::kRequiresImprovement);
    CHECK(home->registration_status == RegistrationStatus::kActive);
  }
  SECTION("a residential special school with its name and postcode") {
    const RatingRecord* school = FindUrn(*file, "SC040058");
    REQUIRE(school != nullptr);
    CHECK(school->provision_type == ProvisionType::kResidentialSpecialSchool);
    CHECK(school->name == "Cedar House School");
    CHECK(school->postcode == "LA2 7DD");
    CHECK(school->postcode_district == "LA2");
    CHECK(school->local_authority == "North Yorkshire");
    CHECK(school->inspection_date == absl::CivilDay(2025, 2, 11));
    CHECK(school->overall == OverallRating::kOutstanding);
  }
  SECTION("an Inadequate secure training centre") {
    const RatingRecord* centre = FindUrn(*file, "1027077");
    REQUIRE(centre != nullptr);
    CHECK(centre->provision_type == ProvisionType::kSecureTrainingCentre);
    CHECK(centre->name == "Oakhill Secure Training Centre");
    CHECK(centre->postcode_district == "MK5");
    CHECK_FALSE(centre->places.has_value());
    CHECK(centre->overall == OverallRating::kInadequate);
    CHECK(centre->helped_and_protected == OverallRating::kInadequate);
  }
}

TEST_CASE("Title lines above the header are skipped and kept", "[ofsted]") {
  std::string text = std::string("Children's social care data,,,,,,,\n") +
                     "\"A note, with a comma\",,,,,,,\n,,,,,,,\n" + kHeader +
                     "SC123456,Children's home,REDACTED,REDACTED,Leeds,3,01/02/2024,Good\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  CHECK(file->header_line == 4);
  CHECK(file->title_lines ==
        std::vector<std::string>{"Children's social care data", "A note, with a comma"});
  REQUIRE(file->records.size() == 1);
  CHECK(file->records[0].line == 5);
  CHECK(file->records[0].urn == "SC123456");
}

TEST_CASE("A header with line breaks, capitals and odd spacing inside quotes", "[ofsted]") {
  const std::string text =
      "\"\nURN\",\"Provision\r\ntype\",\"LOCAL  authority\",\"\nLatest full inspection "
      "date\",\"\nOverall experiences and progress of children and young people\"\n"
      "123,Independent Fostering Agency,Kent,15/03/2024,Outstanding\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  CHECK(file->header_line == 1);
  REQUIRE(file->records.size() == 1);
  CHECK(file->records[0].line == 6);
  CHECK(file->records[0].provision_type == ProvisionType::kIndependentFosteringAgency);
  CHECK(file->records[0].overall == OverallRating::kOutstanding);
}

TEST_CASE("Redacted and blank names and postcodes become nullopt", "[ofsted]") {
  std::string text = std::string(kHeader) +
                     "1,Children's home,REDACTED,REDACTED,Leeds,3,,\n"
                     "2,Children's Home,Redacted,,Leeds,3,,\n"
                     "3,Independent Fostering Agency,\"Smith, Jones & Co\",rh121ab,West Sussex,,"
                     "01/02/2024,Good\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  REQUIRE(file->records.size() == 3);
  CHECK_FALSE(file->records[0].name.has_value());
  CHECK_FALSE(file->records[0].postcode.has_value());
  CHECK(file->records[0].overall == OverallRating::kNotInspected);
  CHECK_FALSE(file->records[0].inspection_date.has_value());
  CHECK_FALSE(file->records[1].name.has_value());
  CHECK(file->records[1].provision_type == ProvisionType::kChildrensHome);
  CHECK(file->records[2].name == "Smith, Jones & Co");
  CHECK(file->records[2].postcode == "RH12 1AB");
  CHECK(file->records[2].postcode_district == "RH12");
}

TEST_CASE("CRLF line endings and blank rows", "[ofsted]") {
  const std::string text =
      "URN,Provision type,Local authority,Latest full inspection date,Overall effectiveness\r\n"
      "1,Children's home,Leeds,01/02/2024,Good\r\n"
      ",,,,\r\n"
      "2,Children's home,Leeds,2024-02-03,\"Requires improvement to be good\"\r\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  REQUIRE(file->records.size() == 2);
  CHECK(file->records[1].line == 4);
  CHECK(file->records[1].inspection_date == absl::CivilDay(2024, 2, 3));
  CHECK(file->records[1].overall == OverallRating::kRequiresImprovement);
}

TEST_CASE("A UTF-8 byte-order mark before the first title line", "[ofsted]") {
  const std::string text =
      std::string("\xEF\xBB\xBF") + kHeader +
      "1,Children\xE2\x80\x99s home,REDACTED,REDACTED,Leeds,3,01/02/2024,Good\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  CHECK(file->encoding == SourceEncoding::kUtf8WithBom);
  CHECK(file->records[0].urn == "1");
  CHECK(file->records[0].provision_type == ProvisionType::kChildrensHome);
}

TEST_CASE("A Windows-1252 file is converted to UTF-8", "[ofsted]") {
  // 0x92: the curly apostrophe; 0xA3: the pound sign.
  const std::string text = "Children\x92s social care \x96 fees in \xA3,,,,,,,\n" +
                           std::string(kHeader) +
                           "1,Children\x92s home,St Mary\x92s,REDACTED,Leeds,3,01/02/2024,Good\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  CHECK(file->encoding == SourceEncoding::kWindows1252);
  CHECK(file->title_lines[0] == "Children\xE2\x80\x99s social care \xE2\x80\x93 fees in \xC2\xA3");
  CHECK(file->records[0].provision_type == ProvisionType::kChildrensHome);
  CHECK(file->records[0].name == "St Mary\xE2\x80\x99s");
}

TEST_CASE("Earlier years' column names are recognised", "[ofsted]") {
  const std::string text =
      "Provider URN,Provider type,Provider name,Local authority name,Inspection date,"
      "Overall effectiveness,Number of places\n"
      "SC999999,Residential special school,Old School,Devon,3/7/2014,Adequate,12\n";
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text);
  REQUIRE(file.ok());
  const RatingRecord& r = file->records[0];
  CHECK(r.urn == "SC999999");
  CHECK(r.provision_type == ProvisionType::kResidentialSpecialSchool);
  CHECK(r.name == "Old School");
  CHECK(r.local_authority == "Devon");
  CHECK(r.inspection_date == absl::CivilDay(2014, 7, 3));
  CHECK(r.overall == OverallRating::kRequiresImprovement);
  CHECK(r.places == 12);
}

TEST_CASE("Each malformed row is reported with its physical line and rule", "[ofsted]") {
  // Line 1 title, line 2 header, line 3 a row whose name spans lines 3 and 4.
  const std::string prefix = std::string("Title,,,,,,,\n") + kHeader +
                             "1,Children's home,\"Two\nlines\",REDACTED,Leeds,3,01/02/2024,Good\n";
  auto single = [&](const std::string& row) {
    std::vector<ParseProblem> problems = ProblemsOf(prefix + row);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 5);
    return problems[0];
  };
  SECTION("wrong column count") {
    CHECK(single("2,Children's home,X,Y,Leeds,3,01/02/2024\n").rule == "column-count");
  }
  SECTION("bad date") {
    ParseProblem p = single("2,Children's home,X,Y,Leeds,3,31/02/2024,Good\n");
    CHECK(p.rule == "bad-date");
    CHECK_THAT(p.detail, Catch::Contains("Latest full inspection date"));
    CHECK_THAT(p.detail, Catch::Contains("31/02/2024"));
  }
  SECTION("unknown rating") {
    ParseProblem p = single("2,Children's home,X,Y,Leeds,3,01/02/2024,Very good\n");
    CHECK(p.rule == "unknown-rating");
    CHECK_THAT(p.detail, Catch::Contains("Very good"));
  }
  SECTION("missing URN") {
    CHECK(single(",Children's home,X,Y,Leeds,3,01/02/2024,Good\n").rule == "missing-urn");
  }
  SECTION("bad URN") {
    CHECK(single("12-34,Children's home,X,Y,Leeds,3,01/02/2024,Good\n").rule == "bad-urn");
  }
  SECTION("duplicate URN") {
    ParseProblem p = single("1,Children's home,X,Y,Leeds,3,01/02/2024,Good\n");
    CHECK(p.rule == "duplicate-urn");
    CHECK_THAT(p.detail, Catch::Contains("line 3"));
  }
  SECTION("bad places") {
    CHECK(single("2,Children's home,X,Y,Leeds,three,01/02/2024,Good\n").rule == "bad-places");
  }
}

TEST_CASE("A rejected file lists every problem and imports nothing", "[ofsted]") {
  std::string text = std::string(kHeader);
  for (int i = 0; i < 30; ++i) text += ",Children's home,X,Y,Leeds,3,01/02/2024,Good\n";
  std::vector<ParseProblem> problems;
  absl::StatusOr<RatingFile> file = ParseOfstedCsv(text, {.max_reported_problems = 5}, &problems);
  REQUIRE_FALSE(file.ok());
  CHECK(problems.size() == 30);
  CHECK(problems[29].line == 31);
  const std::string message(file.status().message());
  CHECK_THAT(message, Catch::Contains("30 problems (first 5)"));
  CHECK_THAT(message, Catch::Contains("line 2 [missing-urn]"));
  CHECK_THAT(message, Catch::Contains("line 6 [missing-urn]"));
  CHECK_THAT(message, !Catch::Contains("line 7 "));
}

TEST_CASE("Whole-file problems: no header, no rows, ambiguous column, bad CSV", "[ofsted]") {
  CHECK(ProblemsOf("URN,Name\n1,x\n")[0].rule == "no-header");
  CHECK(ProblemsOf(kHeader)[0].rule == "no-rows");
  CHECK(ProblemsOf("URN,URN,Provision type,Local authority,Latest full inspection date,"
                   "Overall effectiveness\n1,1,Children's home,Leeds,,\n")[0]
            .rule == "ambiguous-column");
  CHECK(ProblemsOf(std::string(kHeader) + "1,\"unclosed\n")[0].rule == "csv-syntax");
}

}  // namespace
}  // namespace dps::qualification::ratings
