// An application's prices through gRPC against a real PostgreSQL: what submission refuses in the
// commercial submission, named as the application holds it (commercial[0].ceiling_fee), and the
// rate card's codes held to the product's one code rule.
#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

v1::AdditionalServiceRate* AddRate(v1::CommercialSubmission& prices, const std::string& code,
                                   int64_t rate_pence) {
  v1::AdditionalServiceRate* rate = prices.add_rate_card();
  rate->set_code(code);
  rate->set_unit(v1::RATE_UNIT_HOURLY);
  rate->mutable_rate()->set_pence(rate_pence);
  return rate;
}

void AddCoreCost(v1::CommercialSubmission& prices, v1::CoreCostCategory category,
                 int64_t weekly_pence) {
  v1::CoreCostLine* line = prices.add_core_costs();
  line->set_category(category);
  line->mutable_weekly_amount()->set_pence(weekly_pence);
}

// The standard application at £4,500 a week with its prices changed by `change`, drafted and
// submitted: the submission's status.
grpc::Status SubmitPriced(ServiceFixture& f, const World& w,
                          const std::function<void(v1::CreateApplicationRequest&)>& change) {
  v1::CreateApplicationRequest request = ApplicationFor(w, 450000);
  change(request);
  v1::Application draft;
  CHECK_OK(f.stub().CreateApplication(Provider().get(), request, &draft));
  v1::Application submitted;
  return Submit(f, draft.id(), &submitted);
}

grpc::Status SubmitWithPrices(ServiceFixture& f, const World& w,
                              const std::function<void(v1::CommercialSubmission&)>& change) {
  return SubmitPriced(f, w, [&](v1::CreateApplicationRequest& request) {
    change(*request.mutable_spec()->mutable_commercial(0));
  });
}

}  // namespace

TEST_CASE("a refusal of an application's prices names the field as the application holds it",
          "[qualification][service][prices]") {
  ServiceFixture f(At(2026, 12, 18));
  const World w = SetUp(f);
  grpc::Status status;

  SECTION("the ceiling fee") {
    status = SubmitWithPrices(
        f, w, [](v1::CommercialSubmission& prices) { prices.mutable_ceiling_fee()->set_pence(0); });
    CHECK(status.error_message() == "commercial[0].ceiling_fee: must be positive, got 0");
  }
  SECTION("a core-cost line below zero, though the lines add up to the fee") {
    status = SubmitWithPrices(f, w, [](v1::CommercialSubmission& prices) {
      AddCoreCost(prices, v1::CORE_COST_CATEGORY_EDUCATION, 460000);
      AddCoreCost(prices, v1::CORE_COST_CATEGORY_VEHICLES, -10000);
    });
    CHECK(status.error_message() ==
          "commercial[0].core_costs[1].weekly_amount: must not be negative, got -10000");
  }
  SECTION("core-cost lines that do not add up to the fee") {
    status = SubmitWithPrices(f, w, [](v1::CommercialSubmission& prices) {
      AddCoreCost(prices, v1::CORE_COST_CATEGORY_EDUCATION, 400000);
    });
    CHECK(status.error_message() ==
          "commercial[0].core_costs: lines must add up to ceiling_fee 450000, got 400000");
  }
  SECTION("a rate") {
    status = SubmitWithPrices(
        f, w, [](v1::CommercialSubmission& prices) { AddRate(prices, "1-to-1-support", 0); });
    CHECK(status.error_message() == "commercial[0].rate_card[0].rate: must be positive, got 0");
  }
  SECTION("an item the application gives no prices for") {
    status = SubmitPriced(f, w, [](v1::CreateApplicationRequest& request) {
      request.mutable_spec()->clear_commercial();
    });
    CHECK(status.error_message() == absl::StrCat("commercial: required for establishment \"",
                                                 w.establishment_id, "\" in lot \"", w.lot_id,
                                                 "\""));
  }
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(f.EventCount("qualification.application.submitted") == 0);
}

TEST_CASE("a rate card's codes follow the product's one code rule",
          "[qualification][service][prices]") {
  ServiceFixture f(At(2026, 12, 18));
  const World w = SetUp(f);

  const grpc::Status colon = SubmitWithPrices(f, w, [](v1::CommercialSubmission& prices) {
    AddRate(prices, "speech_therapy", 9000);
    AddRate(prices, "1:1-support", 3000);
  });
  CHECK(colon.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(colon.error_message() ==
        "commercial[0].rate_card[1].code: must be a code of 1 to 32 letters, digits, '-' or '_', "
        "got \"1:1-support\"");
  CHECK(f.EventCount("qualification.application.submitted") == 0);

  CHECK_OK(SubmitWithPrices(f, w, [](v1::CommercialSubmission& prices) {
    AddRate(prices, "speech_therapy", 9000);
    AddRate(prices, "1-to-1-support", 3000);
  }));
  CHECK(f.EventCount("qualification.application.submitted") == 1);
}

}  // namespace dps::qualification::testing

namespace dps::qualification::testing {

TEST_CASE("a rate card prices interventions per assessment, session or test, and keeps the unit",
          "[qualification][service][prices]") {
  // Northamptonshire's interventions are priced per piece of work, beside hourly and weekly
  // rates; each line keeps its unit from the application to the membership's prices in force.
  ServiceFixture f(At(2026, 12, 18));
  const World w = SetUp(f);
  const std::pair<const char*, v1::RateUnit> lines[] = {
      {"1-to-1-support", v1::RATE_UNIT_HOURLY},
      {"speech-therapy", v1::RATE_UNIT_WEEKLY},
      {"ep-assessment", v1::RATE_UNIT_PER_ASSESSMENT},
      {"salt-session", v1::RATE_UNIT_PER_SESSION},
      {"dna-test", v1::RATE_UNIT_PER_TEST}};
  v1::CreateApplicationRequest request = ApplicationFor(w, 450000);
  for (const auto& [code, unit] : lines) {
    // An assessment or a test may cost more than a week's fee: no cap applies to a rate.
    AddRate(*request.mutable_spec()->mutable_commercial(0), code, 600000)->set_unit(unit);
  }
  v1::Application application;
  CHECK_OK(f.stub().CreateApplication(Provider().get(), request, &application));
  CHECK_OK(Submit(f, application.id(), &application));
  REQUIRE(application.commercial(0).rate_card_size() == 5);
  const v1::Membership membership = GetMembership(f, Qualify(f, w, application.id()));
  REQUIRE(membership.commercial().rate_card_size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(application.commercial(0).rate_card(i).unit() == lines[i].second);
    CHECK(membership.commercial().rate_card(i).code() == lines[i].first);
    CHECK(membership.commercial().rate_card(i).unit() == lines[i].second);
  }
}

}  // namespace dps::qualification::testing
