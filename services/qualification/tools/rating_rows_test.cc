#include "services/qualification/tools/rating_rows.h"

#include <catch2/catch.hpp>

#include "services/qualification/ratings/ofsted_csv.h"

namespace dps::qualification::tools {
namespace {

namespace v1 = ::dps::qualification::v1;

constexpr char kFile[] =
    "URN,Provision type,Name,Postcode,Local authority,Places,Latest full inspection date,"
    "Overall experiences and progress of children and young people\n"
    "SC000001,Children's home,Oak House,RH12 1AA,West Sussex,4,20/05/2024,Inadequate\n"
    "SC000002,Children's home,Elm House,BN1 1AA,Brighton and Hove,3,2024-01-10,Outstanding\n"
    "SC000003,Children's home,Ash House,TN1 1AA,Kent,2,,\n";

ratings::RatingFile Parse() {
  absl::StatusOr<ratings::RatingFile> file = ratings::ParseOfstedCsv(kFile);
  REQUIRE(file.ok());
  return *file;
}

}  // namespace

TEST_CASE("each row of a rating file becomes an import row for its URN", "[ratings]") {
  const std::vector<v1::InspectionRatingRow> rows = ToImportRows(Parse());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].inspectorate() == v1::INSPECTORATE_OFSTED);
  CHECK(rows[0].inspectorate_ref() == "SC000001");
  CHECK(rows[0].rating() == v1::RATING_INADEQUATE);
  CHECK(rows[0].grade_text() == "inadequate");
  CHECK(rows[0].inspected_on().year() == 2024);
  CHECK(rows[0].inspected_on().month() == 5);
  CHECK(rows[0].inspected_on().day() == 20);
  CHECK(rows[1].rating() == v1::RATING_OUTSTANDING);
  CHECK(rows[2].rating() == v1::RATING_NOT_YET_INSPECTED);
  CHECK(rows[2].inspected_on().year() == 0);
}

TEST_CASE("a file is sent in requests of bounded size, keyed by its content", "[ratings]") {
  const ratings::RatingFile file = Parse();
  const auto requests = ToImportRequests(file, 2);
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].rows_size() == 2);
  CHECK(requests[1].rows_size() == 1);
  CHECK(requests[0].idempotency_key() != requests[1].idempotency_key());
  // The same file gives the same keys, so sending it twice changes nothing.
  CHECK(ToImportRequests(file, 2)[1].idempotency_key() == requests[1].idempotency_key());
}

}  // namespace dps::qualification::tools
