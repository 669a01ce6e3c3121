#include "services/contracts/document/placement_agreement_document.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/status/status.h"
#include "services/contracts/document/testing.h"

namespace dps::contracts::document {
namespace {

using testing::SampleDocument;

// The message of the InvalidArgument ValidateDocument gives, or "OK".
std::string Refusal(const PlacementAgreementDocument& document, const DocumentLimits& limits = {}) {
  const absl::Status status = ValidateDocument(document, limits);
  if (status.ok()) return "OK";
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

std::string Repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

TEST_CASE("The sample documents are valid") {
  CHECK(Refusal(SampleDocument()) == "OK");
  CHECK(Refusal(testing::HostileDocument()) == "OK");
  CHECK(Refusal(testing::DocumentWithCostLines(99)) == "OK");
}

TEST_CASE("Lists longer than the limit are refused, naming the list") {
  PlacementAgreementDocument d = SampleDocument();
  d.purposes.assign(101, "A purpose");
  CHECK(Refusal(d) == "purposes: must have at most 100 items, got 101");

  d = testing::DocumentWithCostLines(100);
  CHECK(Refusal(d) == "cost_lines: must have at most 100 items, got 101");

  d = SampleDocument();
  d.signatories.assign(3, d.signatories[0]);
  CHECK(Refusal(d, {.max_list_items = 2}) == "signatories: must have at most 2 items, got 3");
}

TEST_CASE("Texts are measured in characters, not bytes, and refused over the limit") {
  PlacementAgreementDocument d = SampleDocument();
  d.cost_lines[1].label = Repeat("é", 256);  // 512 bytes
  CHECK(Refusal(d) == "OK");
  d.cost_lines[1].label = Repeat("é", 257);
  CHECK(Refusal(d) == "cost_lines[1].label: must be at most 256 characters, got 257");

  d = SampleDocument();
  d.incentive = Repeat("x", 20'001);
  CHECK(Refusal(d) == "incentive: must be at most 20000 characters, got 20001");
  d.incentive = Repeat("x", 20'000);
  CHECK(Refusal(d) == "OK");

  d = SampleDocument();
  d.key_contacts[1].email = Repeat("a", 300);
  CHECK(Refusal(d) == "key_contacts[1].email: must be at most 256 characters, got 300");
}

TEST_CASE("Required texts must not be empty") {
  PlacementAgreementDocument d = SampleDocument();
  d.title = "";
  CHECK(Refusal(d) == "title: must not be empty");
  d = SampleDocument();
  d.provider.name = "";
  CHECK(Refusal(d) == "provider.name: must not be empty");
  d = SampleDocument();
  d.signatories[1].name = "";
  CHECK(Refusal(d) == "signatories[1].name: must not be empty");
}

TEST_CASE("Text must be UTF-8 without control characters, line feeds only in the incentive") {
  PlacementAgreementDocument d = SampleDocument();
  d.provider.name = "Bright\xC3water";  // a lead byte without its continuation
  CHECK(Refusal(d) == "provider.name: must be UTF-8");
  d.provider.name = "\xC0\xAF";  // an overlong '/'
  CHECK(Refusal(d) == "provider.name: must be UTF-8");
  d.provider.name = "\xED\xA0\x80";  // a surrogate
  CHECK(Refusal(d) == "provider.name: must be UTF-8");

  d = SampleDocument();
  d.key_contacts[0].phone = "01243\r777100";
  CHECK(Refusal(d) == "key_contacts[0].phone: must not hold control characters, got U+000D");
  d = SampleDocument();
  d.title = "Individual\nPlacement Agreement";
  CHECK(Refusal(d) == "title: must not hold control characters, got U+000A");
  d = SampleDocument();
  d.purposes[0] = "Next \xC2\x85line";  // U+0085, a C1 control
  CHECK(Refusal(d) == "purposes[0]: must not hold control characters, got U+0085");
  d = SampleDocument();
  d.incentive = "First paragraph.\nSecond paragraph.";
  CHECK(Refusal(d) == "OK");
  d.incentive = "Tab\there";
  CHECK(Refusal(d) == "incentive: must not hold control characters, got U+0009");
}

TEST_CASE("Bidirectional overrides, which would show text other than what is signed, are refused") {
  PlacementAgreementDocument d = SampleDocument();
  d.cost_lines[0].label =
      "Core fee \xE2\x80\xAE"
      "00.05";  // U+202E RIGHT-TO-LEFT OVERRIDE
  CHECK(Refusal(d) ==
        "cost_lines[0].label: must not hold bidirectional formatting characters, got U+202E");
  d = SampleDocument();
  d.incentive = "\xE2\x81\xA7isolated\xE2\x81\xA9";  // U+2067 ... U+2069
  CHECK(Refusal(d) == "incentive: must not hold bidirectional formatting characters, got U+2067");
  d = SampleDocument();
  d.provider.name = "مؤسسة الرعاية";  // right-to-left text itself is fine
  CHECK(Refusal(d) == "OK");
}

TEST_CASE("Money, percentages, numbers and dates out of range are refused") {
  PlacementAgreementDocument d = SampleDocument();
  d.cost_lines[0].weekly_pence = -1;
  CHECK(Refusal(d) == "cost_lines[0].weekly_pence: must be between 0 and 100000000000, got -1");
  d = SampleDocument();
  d.total_weekly_pence = 100'000'000'001;
  CHECK(Refusal(d) == "total_weekly_pence: must be between 0 and 100000000000, got 100000000001");
  d = SampleDocument();
  d.discounts[0].basis_points = 10'001;
  CHECK(Refusal(d) == "discounts[0].basis_points: must be between 0 and 10000, got 10001");
  d = SampleDocument();
  d.allowances[1].amount_pence = -5;
  CHECK(Refusal(d) == "allowances[1].amount_pence: must be between 0 and 100000000000, got -5");
  d = SampleDocument();
  d.version_number = 0;
  CHECK(Refusal(d) == "version_number: must be between 1 and 10000, got 0");
  d = SampleDocument();
  d.notice_period_days = 366;
  CHECK(Refusal(d) == "notice_period_days: must be between 0 and 365, got 366");
  d = SampleDocument();
  d.cost_lines[1].end_date = absl::CivilDay(10'000, 1, 1);
  CHECK(Refusal(d) == "cost_lines[1].end_date: must be in the years 1900 to 9999, got 10000");
  d = SampleDocument();
  d.issue_date = absl::CivilDay(1899, 12, 31);
  CHECK(Refusal(d) == "issue_date: must be in the years 1900 to 9999, got 1899");
}

TEST_CASE("A contract document's hash must be 64 lowercase hex characters") {
  PlacementAgreementDocument d = SampleDocument();
  d.documents[0].sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
  CHECK(Refusal(d) ==
        "documents[0].sha256: must be 64 lowercase hex characters, got "
        "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"");
  d.documents[0].sha256 = "";
  CHECK(Refusal(d) == "documents[0].sha256: must be 64 lowercase hex characters, got \"\"");
}

TEST_CASE("The first broken rule in field order is the one reported") {
  PlacementAgreementDocument d = SampleDocument();
  d.signatories[0].name = "";
  d.purposes[1] = "";
  CHECK(Refusal(d) == "purposes[1]: must not be empty");
}

}  // namespace
}  // namespace dps::contracts::document
