#include "services/qualification/domain/regime.h"

#include <catch2/catch.hpp>
#include <string>

namespace dps::qualification {
namespace {

std::string Error(Regime regime, const RegimeConfig& config) {
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(regime, config);
  REQUIRE_FALSE(rules.ok());
  CHECK(rules.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(rules.status().message());
}

TEST_CASE("the table of docs/rules.md section 3", "[regime]") {
  const RegimeRules& pcr = RulesFor(Regime::kPcr2015Dps);
  CHECK(pcr.max_decision_working_days == 10);
  CHECK(pcr.max_extended_decision_working_days == 15);
  CHECK_FALSE(pcr.filters_may_exclude);
  CHECK(pcr.min_response_period == absl::Hours(240));
  CHECK(pcr.shorter_response_period_by_agreement);
  CHECK(pcr.direct_award == DirectAward::kNotAllowed);
  CHECK(pcr.publication == PublicationGrouping::kQuarterly);
  CHECK(pcr.max_publication_days_after_quarter == 30);
  CHECK_FALSE(pcr.conditions_may_change);
  CHECK_FALSE(pcr.ranked_call_off);

  const RegimeRules& lt = RulesFor(Regime::kLightTouch);
  CHECK_FALSE(lt.default_decision_working_days.has_value());
  CHECK(lt.filters_may_exclude);
  CHECK_FALSE(lt.min_response_period.has_value());
  CHECK(lt.direct_award == DirectAward::kWithJustification);
  CHECK(lt.publication == PublicationGrouping::kQuarterly);
  CHECK(lt.conditions_may_change);
  CHECK(lt.ranked_call_off);

  const RegimeRules& pa = RulesFor(Regime::kPa2023DynamicMarket);
  CHECK(pa.default_decision_working_days == 10);
  CHECK_FALSE(pa.max_decision_working_days.has_value());
  CHECK(pa.filters_may_exclude);
  CHECK(pa.direct_award == DirectAward::kWithJustificationAndTransparencyNotice);
  CHECK(pa.publication == PublicationGrouping::kPerAward);
  CHECK_FALSE(pa.conditions_may_change);
  CHECK_FALSE(pa.ranked_call_off);
}

TEST_CASE("regime names round-trip", "[regime]") {
  for (Regime r : {Regime::kPcr2015Dps, Regime::kLightTouch, Regime::kPa2023DynamicMarket}) {
    CHECK(*ParseRegime(RegimeName(r)) == r);
  }
  CHECK(RegimeName(Regime::kPa2023DynamicMarket) == "PA2023_DYNAMIC_MARKET");
  const absl::Status bad = ParseRegime("OJEU").status();
  CHECK(bad.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.message()) ==
        "regime: must be PCR2015_DPS, LIGHT_TOUCH or PA2023_DYNAMIC_MARKET, got \"OJEU\"");
}

TEST_CASE("PCR defaults", "[regime]") {
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(Regime::kPcr2015Dps, {});
  REQUIRE(rules.ok());
  CHECK(rules->decision_working_days == 10);
  CHECK(rules->extended_decision_working_days == 15);
  CHECK_FALSE(rules->filters_exclude);
  CHECK(rules->min_response_period == absl::Hours(240));
  CHECK(rules->direct_award == DirectAward::kNotAllowed);
  CHECK(rules->publication_days_after_quarter == 30);
  CHECK_FALSE(rules->conditions_may_change);
}

TEST_CASE("a PCR configuration may tighten", "[regime]") {
  RegimeConfig config;
  config.decision_working_days = 5;
  config.extended_decision_working_days = 12;
  config.min_response_period = absl::Hours(24 * 14);
  config.publication_days_after_quarter = 20;
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(Regime::kPcr2015Dps, config);
  REQUIRE(rules.ok());
  CHECK(rules->decision_working_days == 5);
  CHECK(rules->extended_decision_working_days == 12);
  CHECK(rules->min_response_period == absl::Hours(24 * 14));
  CHECK(rules->publication_days_after_quarter == 20);
}

TEST_CASE("a PCR configuration may never loosen", "[regime]") {
  RegimeConfig config;
  SECTION("decision period") {
    config.decision_working_days = 11;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.decision_working_days: PCR2015_DPS allows at most 10 working days, "
          "got 11");
  }
  SECTION("extension") {
    config.extended_decision_working_days = 16;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.extended_decision_working_days: PCR2015_DPS allows at most 15 working "
          "days with a recorded reason, got 16");
  }
  SECTION("filters that exclude") {
    config.filters_exclude = true;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.filters_exclude: PCR2015_DPS invites every admitted member of the lot: "
          "distance may be scored, not used to exclude");
  }
  SECTION("response period shorter than 10 days without agreement") {
    config.min_response_period = absl::Hours(24 * 5);
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.min_response_period: PCR2015_DPS requires at least 240h unless a "
          "shorter period is agreed for the system, got 120h");
  }
  SECTION("direct award") {
    config.direct_award_enabled = true;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.direct_award_enabled: PCR2015_DPS does not allow direct award");
  }
  SECTION("publication later than 30 days") {
    config.publication_days_after_quarter = 31;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.publication_days_after_quarter: PCR2015_DPS publishes within 30 days "
          "of the quarter's end, got 31");
  }
  SECTION("changing membership conditions") {
    config.conditions_may_change = true;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.conditions_may_change: PCR2015_DPS fixes membership conditions for "
          "the system's life");
  }
  SECTION("calling off from a lot's ranking") {
    config.call_off_by_ranking = true;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.call_off_by_ranking: PCR2015_DPS awards placements by competition "
          "among the members, never from a lot's ranking (LIGHT_TOUCH only)");
  }
}

TEST_CASE("PCR: a shorter response period needs the recorded agreement", "[regime]") {
  RegimeConfig config;
  config.min_response_period = absl::Hours(24 * 5);
  config.shorter_response_period_agreed = true;
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(Regime::kPcr2015Dps, config);
  REQUIRE(rules.ok());
  CHECK(rules->min_response_period == absl::Hours(24 * 5));
}

TEST_CASE("values that are wrong under every regime", "[regime]") {
  RegimeConfig config;
  SECTION("zero decision period") {
    config.decision_working_days = 0;
    CHECK(Error(Regime::kPa2023DynamicMarket, config) ==
          "regime_config.decision_working_days: must be at least 1, got 0");
  }
  SECTION("extension not longer than the period") {
    config.extended_decision_working_days = 10;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.extended_decision_working_days: must be more than the decision period "
          "of 10 working days, got 10");
  }
  SECTION("non-positive response period") {
    config.decision_working_days = 10;
    config.min_response_period = absl::ZeroDuration();
    CHECK(Error(Regime::kLightTouch, config) ==
          "regime_config.min_response_period: must be positive, got 0");
  }
  SECTION("zero publication days") {
    config.publication_days_after_quarter = 0;
    CHECK(Error(Regime::kPcr2015Dps, config) ==
          "regime_config.publication_days_after_quarter: must be at least 1, got 0");
  }
}

TEST_CASE("LIGHT_TOUCH needs its periods configured and allows what PCR forbids", "[regime]") {
  RegimeConfig config;
  CHECK(Error(Regime::kLightTouch, config) ==
        "regime_config.decision_working_days: required: LIGHT_TOUCH has no default decision "
        "period");
  config.decision_working_days = 20;
  CHECK(Error(Regime::kLightTouch, config) ==
        "regime_config.min_response_period: required: LIGHT_TOUCH has no default response "
        "period");
  config.min_response_period = absl::Hours(4);  // emergencies: hours
  config.filters_exclude = true;
  config.direct_award_enabled = true;
  config.conditions_may_change = true;
  config.call_off_by_ranking = true;  // Northamptonshire's open framework
  config.publication_days_after_quarter = 45;
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(Regime::kLightTouch, config);
  REQUIRE(rules.ok());
  CHECK(rules->decision_working_days == 20);
  CHECK_FALSE(rules->extended_decision_working_days.has_value());
  CHECK(rules->filters_exclude);
  CHECK(rules->min_response_period == absl::Hours(4));
  CHECK(rules->direct_award == DirectAward::kWithJustification);
  CHECK(rules->conditions_may_change);
  CHECK(rules->publication_days_after_quarter == 45);
}

TEST_CASE("PA2023: default 10 working days, transparency notice, notice per award", "[regime]") {
  RegimeConfig config;
  config.min_response_period = absl::Hours(24 * 7);
  config.direct_award_enabled = true;
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(Regime::kPa2023DynamicMarket, config);
  REQUIRE(rules.ok());
  CHECK(rules->decision_working_days == 10);
  CHECK(rules->direct_award == DirectAward::kWithJustificationAndTransparencyNotice);
  CHECK(rules->publication == PublicationGrouping::kPerAward);
  CHECK_FALSE(rules->publication_days_after_quarter.has_value());

  SECTION("a direct award left disabled tightens") {
    config.direct_award_enabled = false;
    CHECK(ResolveRegime(Regime::kPa2023DynamicMarket, config)->direct_award ==
          DirectAward::kNotAllowed);
  }
  SECTION("no quarterly publication") {
    config.publication_days_after_quarter = 30;
    CHECK(Error(Regime::kPa2023DynamicMarket, config) ==
          "regime_config.publication_days_after_quarter: PA2023_DYNAMIC_MARKET publishes a "
          "notice per award, not per quarter");
  }
  SECTION("conditions fixed") {
    config.conditions_may_change = true;
    CHECK(Error(Regime::kPa2023DynamicMarket, config) ==
          "regime_config.conditions_may_change: PA2023_DYNAMIC_MARKET fixes membership "
          "conditions for the system's life");
  }
}

TEST_CASE("a lot's pre-selection filters may exclude only where the regime lets them") {
  CHECK(CheckPreselection(Regime::kLightTouch, true, "spec.preselection_allowed") ==
        absl::OkStatus());
  CHECK(CheckPreselection(Regime::kPcr2015Dps, false, "spec.preselection_allowed") ==
        absl::OkStatus());
  CHECK(CheckPreselection(Regime::kPcr2015Dps, true, "spec.preselection_allowed") ==
        absl::InvalidArgumentError("spec.preselection_allowed: PCR2015_DPS invites every admitted "
                                   "member; filters may not exclude"));
}

}  // namespace
}  // namespace dps::qualification
