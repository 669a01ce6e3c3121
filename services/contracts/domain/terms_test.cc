#include "services/contracts/domain/terms.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/match.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::Message;

// The InvalidArgument message of ValidateTerms("terms", ...) after `change`.
template <typename Change>
std::string Error(Change change) {
  IpaTerms terms = testing::ValidTerms();
  change(terms);
  const absl::Status status = ValidateTerms("terms", terms);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return Message(status);
}

TEST_CASE("the fixture's terms are valid and complete") {
  CHECK(ValidateTerms("terms", testing::ValidTerms()) == absl::OkStatus());
  CHECK(CheckComplete("terms", testing::ValidTerms(), ProvisionType::kFostering) ==
        absl::OkStatus());
}

TEST_CASE("money is positive pence up to the product's bound") {
  CHECK(Error([](IpaTerms& t) { t.costs.core_weekly_fee_pence = 0; }) ==
        "terms.costs.core_weekly_fee_pence: must be positive, got 0");
  CHECK(Error([](IpaTerms& t) { t.costs.core_weekly_fee_pence = kMaxPence + 1; }) ==
        "terms.costs.core_weekly_fee_pence: must be at most 100000000000 pence, got "
        "100000000001");
  CHECK(Error([](IpaTerms& t) { t.costs.additional_services[1].weekly_pence = -5; }) ==
        "terms.costs.additional_services[1].weekly_pence: must be positive, got -5");
  CHECK(Error([](IpaTerms& t) { t.costs.core_weekly_fee_pence = kMaxPence; }) ==
        "terms.costs: the core fee and additional services must come to at most "
        "100000000000 pence a week, got 100000040000");
  CHECK(Error([](IpaTerms& t) { t.costs.allowances[0].amount_pence = 0; }) ==
        "terms.costs.allowances[0].amount_pence: must be positive, got 0");
}

TEST_CASE("discounts are each kind once and at most 100% in all") {
  CHECK(Error([](IpaTerms& t) {
          t.costs.discounts = {{DiscountKind::kSibling, 500}, {DiscountKind::kSibling, 500}};
        }) == "terms.costs.discounts[1].kind: each kind of discount at most once");
  CHECK(Error([](IpaTerms& t) {
          t.costs.discounts = {{DiscountKind::kSibling, 6000}, {DiscountKind::kPermanence, 5000}};
        }) == "terms.costs.discounts: must add up to at most 10000 basis points (100%), got 11000");
  CHECK(Error([](IpaTerms& t) { t.costs.discounts[0].basis_points = 0; }) ==
        "terms.costs.discounts[0].basis_points: must be 1 to 10000, got 0");
}

TEST_CASE("additional services are time-limited, with dates in order and unique codes") {
  CHECK(Error([](IpaTerms& t) { t.costs.additional_services[0].end_date.reset(); }) ==
        "terms.costs.additional_services[0].end_date: required: additional services are "
        "time-limited");
  CHECK(Error([](IpaTerms& t) { t.costs.additional_services[0].end_date = Day(2027, 3, 31); }) ==
        "terms.costs.additional_services[0].end_date: must not be before the service's first day "
        "2027-04-01, got 2027-03-31");
  CHECK(Error([](IpaTerms& t) { t.costs.additional_services[0].start_date = Day(2027, 3, 1); }) ==
        "terms.costs.additional_services[0].start_date: must not be before the placement's "
        "start_date 2027-04-01, got 2027-03-01");
  CHECK(Error([](IpaTerms& t) { t.costs.additional_services[1].code = "1to1-support"; }) ==
        "terms.costs.additional_services[1].code: \"1to1-support\" is listed twice");
}

TEST_CASE("the placement's dates are in order and at most 25 years apart") {
  CHECK(Error([](IpaTerms& t) { t.planned_end_date = Day(2027, 3, 31); }) ==
        "terms.planned_end_date: must not be before start_date 2027-04-01, got 2027-03-31");
  CHECK(Error([](IpaTerms& t) { t.planned_end_date = Day(2052, 4, 2); }) ==
        "terms.planned_end_date: must be at most 25 years after start_date 2027-04-01, got "
        "2052-04-02");
  CHECK(Error([](IpaTerms& t) {
          t.incentive = Incentive{"Back in school full time", 50'000, Day(2027, 4, 1)};
        }) == "terms.incentive.achieve_by: must be after start_date 2027-04-01, got 2027-04-01");
}

TEST_CASE("text has its length limits and required parts") {
  CHECK(Error([](IpaTerms& t) { t.purposes = {"  "}; }) == "terms.purposes[0]: required");
  CHECK(Error([](IpaTerms& t) { t.purposes = {std::string(257, 'a')}; }) ==
        "terms.purposes[0]: must be at most 256 characters, got 257");
  // Characters, not bytes: 256 two-byte letters fit.
  std::string e_acute;
  for (int i = 0; i < 256; ++i) e_acute += "\xC3\xA9";
  CHECK(ValidateLength("f", e_acute, 256).ok());
  CHECK(Error([](IpaTerms& t) { t.contacts[0].email = "sam.jones"; }) ==
        "terms.contacts[0].email: must be an email address, got \"sam.jones\"");
  CHECK(Error([](IpaTerms& t) { t.contacts[1].phone = "call me"; }) ==
        "terms.contacts[1].phone: must be digits, spaces, '+', '(', ')' or '-', got \"call me\"");
  CHECK(Error([](IpaTerms& t) { t.contacts[0].party = Party::kUnspecified; }) ==
        "terms.contacts[0].party: required: PLACING_AUTHORITY or PROVIDER");
  CHECK(Error([](IpaTerms& t) { t.documents[0].sha256 = "abc"; }) ==
        "terms.documents[0].sha256: must be a SHA-256 digest as 64 lowercase hex digits, got "
        "\"abc\"");
  CHECK(Error([](IpaTerms& t) { t.purposes.assign(101, "care"); }) ==
        "terms.purposes: at most 100 entries, got 101");
  CHECK(Error([](IpaTerms& t) { t.notice_period_days = 366; }) ==
        "terms.notice_period_days: must be 1 to 365, or 0 for the default, got 366");
}

TEST_CASE("a quoted value is cut to 64 characters") {
  const std::string message = Error([](IpaTerms& t) {
    t.signatories = {{Party::kProvider, std::string(100, 'x') + "!", "Ali Khan", ""}};
  });
  CHECK(message == "terms.signatories[0].user_id: must be at most 64 characters, got 101");
  const std::string quoted =
      Error([](IpaTerms& t) { t.contacts[0].email = std::string(300, 'y'); });
  CHECK(quoted == "terms.contacts[0].email: must be at most 254 characters, got 300");
  const std::string long_phone =
      Error([](IpaTerms& t) { t.contacts[0].phone = "tel:" + std::string(20, '1'); });
  CHECK(absl::StrContains(long_phone, "got \"tel:11111111111111111111\""));
  const std::string cut = Message(ValidateSha256Hex("sha", std::string(100, 'Z')));
  CHECK(cut == absl::StrCat("sha: must be a SHA-256 digest as 64 lowercase hex digits, got \"",
                            std::string(64, 'Z'), "...\""));
}

TEST_CASE("a version to sign is complete: purposes, dates, documents and a notice period") {
  IpaTerms terms = testing::ValidTerms();
  terms.planned_end_date.reset();
  CHECK(Message(CheckComplete("terms", terms, ProvisionType::kFostering)) ==
        "terms.planned_end_date: required");
  terms = testing::ValidTerms();
  CHECK(Message(CheckComplete("terms", terms, ProvisionType::kResidentialHome)) ==
        "terms.notice_period_days: required: the lot's notice period (only fostering has a "
        "default, 28 days)");
  terms.notice_period_days = 90;
  CHECK(CheckComplete("terms", terms, ProvisionType::kResidentialHome) == absl::OkStatus());
}

TEST_CASE("fostering defaults to 28 days' notice, the IPA's own period wins") {
  IpaTerms terms = testing::ValidTerms();
  CHECK(NoticePeriodDays(ProvisionType::kFostering, terms) == 28);
  CHECK(NoticePeriodDays(ProvisionType::kInmss, terms) == 0);
  terms.notice_period_days = 56;
  CHECK(NoticePeriodDays(ProvisionType::kFostering, terms) == 56);
  CHECK(NoticePeriodDays(ProvisionType::kInmss, terms) == 56);
}

}  // namespace
}  // namespace dps::contracts
