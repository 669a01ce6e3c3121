// The IPA an award event makes (label pure): every term the event carries, converted as the
// scoring engine converts prices, and the events that can never make one.
#include "services/contracts/consumers/award_events.h"

#include <catch2/catch.hpp>

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
namespace common = ::dps::common::v1;

AwardFacts Facts() {
  AwardFacts facts;
  facts.lead_authority_id = "west-sussex";
  facts.provision_type = ProvisionType::kFostering;
  facts.notice_period_days = 0;
  facts.service_labels = {{"1to1", "One-to-one support"}};
  facts.authority_names = {{"brighton", "Brighton and Hove City Council"}};
  facts.provider_name = "Acme Care Ltd";
  facts.establishment_name = "Horsham House";
  facts.establishment_address = "1 High Street, Horsham, RH12 1AB";
  return facts;
}

common::Date Date(int y, int m, int d) {
  common::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

ev::EventEnvelope Awarded() {
  ev::EventEnvelope envelope;
  envelope.set_type("referral.referral.awarded");
  envelope.set_system_id("ss-fostering");
  ev::ReferralAwarded& e = *envelope.mutable_referral_awarded();
  e.set_referral_id("ref-1");
  e.set_lot_id("lot-ifa");
  e.set_placing_authority_id("brighton");
  e.set_bid_id("bid-7");
  e.set_establishment_id("est-horsham");
  e.set_provider_id("acme-care");
  e.set_price_basis(common::PRICE_BASIS_MONTHLY);
  e.mutable_core_fee()->set_pence(350'000);  // £3,500.00 a month: £807.69 a week
  auto* service = e.add_additional_services();
  service->set_code("1to1");
  service->set_units(4);
  service->set_rate_pence(2'500);  // 4 x £25 a month: £23.08 a week
  e.set_sibling_discount_basis_points(500);
  *e.mutable_start_date() = Date(2027, 4, 1);
  e.set_planned_duration_months(6);
  e.mutable_incentive()->set_description("Back in school full time");
  e.mutable_incentive()->mutable_premium()->set_pence(50'000);
  *e.mutable_incentive()->mutable_achieve_by() = Date(2027, 7, 1);
  return envelope;
}

TEST_CASE("an award makes the IPA its event describes with the fee converted to weekly") {
  absl::StatusOr<IpaSpec> spec = SpecFromAward(Awarded(), Facts());
  REQUIRE(spec.status() == absl::OkStatus());
  CHECK(spec->system_id == "ss-fostering");
  CHECK(spec->lead_authority_id == "west-sussex");
  CHECK(spec->lot_id == "lot-ifa");
  CHECK(spec->source.kind == SourceKind::kAward);
  CHECK(spec->source.referral_id == "ref-1");
  CHECK(spec->source.bid_id == "bid-7");
  CHECK(spec->parties.placing_authority_id == "brighton");
  CHECK(spec->parties.provider_id == "acme-care");
  CHECK(spec->parties.establishment_id == "est-horsham");
  CHECK(spec->parties.placing_authority_name == "Brighton and Hove City Council");
  CHECK(spec->parties.provider_name == "Acme Care Ltd");
  CHECK(spec->parties.establishment_name == "Horsham House");
  CHECK(spec->parties.establishment_address == "1 High Street, Horsham, RH12 1AB");
  CHECK(spec->provision_type == ProvisionType::kFostering);
  const IpaTerms& terms = spec->terms;
  CHECK(terms.start_date == absl::CivilDay(2027, 4, 1));
  CHECK(terms.planned_end_date == absl::CivilDay(2027, 9, 30));  // six months, last day
  CHECK(terms.costs.core_weekly_fee_pence == 80'769);            // 350,000 x 12 / 52
  REQUIRE(terms.costs.discounts.size() == 1);
  CHECK(terms.costs.discounts[0].kind == DiscountKind::kSibling);
  CHECK(terms.costs.discounts[0].basis_points == 500);
  REQUIRE(terms.costs.additional_services.size() == 1);
  const AdditionalService& service = terms.costs.additional_services[0];
  CHECK(service.code == "1to1");
  CHECK(service.description == "One-to-one support");
  CHECK(service.weekly_pence == 2'308);  // 10,000 x 12 / 52 = 2,307.7
  CHECK(service.end_date == absl::CivilDay(2027, 9, 30));
  REQUIRE(terms.incentive.has_value());
  CHECK(terms.incentive->premium_pence == 50'000);
  CHECK(terms.incentive->achieve_by == absl::CivilDay(2027, 7, 1));
  CHECK(terms.notice_period_days == 0);  // fostering's 28 days apply
  // What the spec makes passes the domain's rules (given the id the use case adds).
  spec->id = "ipa-1";
  CHECK(CreateIpa(*spec, {"contracts", Role::kService, ""}, absl::Now()).status() ==
        absl::OkStatus());
}

TEST_CASE("a placement planned from the 31st ends on the last day of the shorter month") {
  ev::EventEnvelope envelope = Awarded();
  *envelope.mutable_referral_awarded()->mutable_start_date() = Date(2027, 1, 31);
  envelope.mutable_referral_awarded()->set_planned_duration_months(1);
  CHECK(SpecFromAward(envelope, Facts())->terms.planned_end_date == absl::CivilDay(2027, 2, 28));
  envelope.mutable_referral_awarded()->set_planned_duration_months(12);
  CHECK(SpecFromAward(envelope, Facts())->terms.planned_end_date == absl::CivilDay(2028, 1, 30));
}

TEST_CASE("a direct award and a block call-off make theirs") {
  ev::EventEnvelope direct;
  direct.set_system_id("ss-1");
  ev::DirectAwardMade& d = *direct.mutable_direct_award_made();
  d.set_direct_award_id("da-1");
  d.set_lot_id("lot-1");
  d.set_placing_authority_id("brighton");
  d.set_establishment_id("est-1");
  d.set_provider_id("prov-1");
  d.set_price_basis(common::PRICE_BASIS_ANNUAL);
  d.mutable_core_fee()->set_pence(5'200'000);
  *d.mutable_start_date() = Date(2027, 5, 1);
  d.set_planned_duration_months(3);
  absl::StatusOr<IpaSpec> spec = SpecFromAward(direct, Facts());
  REQUIRE(spec.status() == absl::OkStatus());
  CHECK(spec->source.kind == SourceKind::kDirectAward);
  CHECK(spec->source.direct_award_id == "da-1");
  CHECK(spec->terms.costs.core_weekly_fee_pence == 100'000);
  CHECK(spec->terms.planned_end_date == absl::CivilDay(2027, 7, 31));
  CHECK_FALSE(spec->source.ranked_call_off);
  // A call-off from the lot's ranking keeps its basis, to be published as one.
  d.set_basis(::dps::referral::v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF);
  CHECK(SpecFromAward(direct, Facts())->source.ranked_call_off);

  ev::EventEnvelope call_off;
  call_off.set_system_id("ss-1");
  ev::BlockCallOffMade& c = *call_off.mutable_block_call_off_made();
  c.set_call_off_id("co-1");
  c.set_block_contract_id("block-1");
  c.set_lot_id("lot-1");
  c.set_placing_authority_id("brighton");
  c.set_establishment_id("est-1");
  c.set_provider_id("prov-1");
  c.mutable_weekly_fee_per_place()->set_pence(150'000);
  c.set_children(2);
  *c.mutable_start_date() = Date(2027, 5, 1);
  *c.mutable_planned_end_date() = Date(2028, 4, 30);
  spec = SpecFromAward(call_off, Facts());
  REQUIRE(spec.status() == absl::OkStatus());
  CHECK(spec->source.kind == SourceKind::kBlockCallOff);
  CHECK(spec->source.block_call_off_id == "co-1");
  CHECK(spec->terms.costs.core_weekly_fee_pence == 300'000);  // two places
  CHECK(spec->terms.planned_end_date == absl::CivilDay(2028, 4, 30));
}

TEST_CASE("an award event that can never make an IPA names its field") {
  ev::EventEnvelope envelope = Awarded();
  envelope.mutable_referral_awarded()->clear_start_date();
  CHECK(SpecFromAward(envelope, Facts()).status() ==
        absl::InvalidArgumentError("start_date: required"));
  envelope = Awarded();
  envelope.mutable_referral_awarded()->set_planned_duration_months(0);
  CHECK(SpecFromAward(envelope, Facts()).status().message() ==
        "planned_duration_months: must be 1 to 300");
  envelope = Awarded();
  envelope.mutable_referral_awarded()->mutable_core_fee()->set_pence(-1);
  CHECK(SpecFromAward(envelope, Facts()).status().code() == absl::StatusCode::kInvalidArgument);
  envelope = Awarded();
  envelope.mutable_referral_awarded()->mutable_additional_services(0)->set_units(INT64_MAX);
  CHECK(SpecFromAward(envelope, Facts()).status() ==
        absl::InvalidArgumentError("additional_services[0]: units x rate out of range"));
  envelope = Awarded();
  envelope.mutable_referral_awarded()->set_price_basis(static_cast<common::PriceBasis>(99));
  CHECK(SpecFromAward(envelope, Facts()).status() ==
        absl::InvalidArgumentError("price_basis: unknown value 99"));
  ev::EventEnvelope other;
  other.set_type("referral.referral.published");
  other.mutable_referral_published();
  CHECK_FALSE(AwardRefOf(other).has_value());
  CHECK(SpecFromAward(other, Facts()).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dps::contracts
