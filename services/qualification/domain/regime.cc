#include "services/qualification/domain/regime.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {
namespace {

const RegimeRules kPcr2015Dps{
    .regime = Regime::kPcr2015Dps,
    .max_decision_working_days = 10,  // reg. 34(16)
    .default_decision_working_days = 10,
    .max_extended_decision_working_days = 15,  // reg. 34(17), "in justified cases"
    .filters_may_exclude = false,              // every admitted member is invited
    .min_response_period = absl::Hours(24 * 10),
    .shorter_response_period_by_agreement = true,
    .direct_award = DirectAward::kNotAllowed,
    .publication = PublicationGrouping::kQuarterly,
    .max_publication_days_after_quarter = 30,
    .conditions_may_change = false,
    .ranked_call_off = false,
};

const RegimeRules kLightTouch{
    .regime = Regime::kLightTouch,
    .max_decision_working_days = std::nullopt,
    .default_decision_working_days = std::nullopt,
    .max_extended_decision_working_days = std::nullopt,
    .filters_may_exclude = true,
    .min_response_period = std::nullopt,  // configured; emergencies may be hours
    .shorter_response_period_by_agreement = false,
    .direct_award = DirectAward::kWithJustification,
    .publication = PublicationGrouping::kQuarterly,
    .max_publication_days_after_quarter = std::nullopt,
    .conditions_may_change = true,
    .ranked_call_off = true,
};

const RegimeRules kPa2023DynamicMarket{
    .regime = Regime::kPa2023DynamicMarket,
    .max_decision_working_days = std::nullopt,  // "a reasonable period"
    .default_decision_working_days = 10,
    .max_extended_decision_working_days = std::nullopt,
    .filters_may_exclude = true,
    .min_response_period = std::nullopt,
    .shorter_response_period_by_agreement = false,
    .direct_award = DirectAward::kWithJustificationAndTransparencyNotice,
    .publication = PublicationGrouping::kPerAward,
    .max_publication_days_after_quarter = std::nullopt,
    .conditions_may_change = false,
    .ranked_call_off = false,
};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return InvalidField(absl::StrCat("regime_config.", field), rule);
}

}  // namespace

absl::string_view RegimeName(Regime regime) {
  switch (regime) {
    case Regime::kPcr2015Dps:
      return "PCR2015_DPS";
    case Regime::kLightTouch:
      return "LIGHT_TOUCH";
    case Regime::kPa2023DynamicMarket:
      return "PA2023_DYNAMIC_MARKET";
  }
  return "UNKNOWN";
}

absl::StatusOr<Regime> ParseRegime(absl::string_view name) {
  for (Regime r : {Regime::kPcr2015Dps, Regime::kLightTouch, Regime::kPa2023DynamicMarket}) {
    if (RegimeName(r) == name) return r;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "regime: must be PCR2015_DPS, LIGHT_TOUCH or PA2023_DYNAMIC_MARKET, got \"", name, "\""));
}

const RegimeRules& RulesFor(Regime regime) {
  switch (regime) {
    case Regime::kPcr2015Dps:
      return kPcr2015Dps;
    case Regime::kLightTouch:
      return kLightTouch;
    case Regime::kPa2023DynamicMarket:
      return kPa2023DynamicMarket;
  }
  return kPcr2015Dps;  // Unreachable for a valid enum; the strictest regime is the safe answer.
}

absl::StatusOr<EffectiveRules> ResolveRegime(Regime regime, const RegimeConfig& config) {
  const RegimeRules& rules = RulesFor(regime);
  const std::string name(RegimeName(regime));
  EffectiveRules out{
      .regime = regime,
      .decision_working_days = 0,
      .extended_decision_working_days = rules.max_extended_decision_working_days,
      .filters_exclude = config.filters_exclude,
      .min_response_period = absl::ZeroDuration(),
      .direct_award = config.direct_award_enabled ? rules.direct_award : DirectAward::kNotAllowed,
      .publication = rules.publication,
      .publication_days_after_quarter = rules.max_publication_days_after_quarter,
      .conditions_may_change = config.conditions_may_change,
  };

  // Decision period.
  if (config.decision_working_days.has_value()) {
    const int days = *config.decision_working_days;
    if (days < 1) {
      return Invalid("decision_working_days", absl::StrCat("must be at least 1, got ", days));
    }
    if (rules.max_decision_working_days && days > *rules.max_decision_working_days) {
      return Invalid("decision_working_days",
                     absl::StrCat(name, " allows at most ", *rules.max_decision_working_days,
                                  " working days, got ", days));
    }
    out.decision_working_days = days;
  } else if (rules.default_decision_working_days) {
    out.decision_working_days = *rules.default_decision_working_days;
  } else {
    return Invalid("decision_working_days",
                   absl::StrCat("required: ", name, " has no default decision period"));
  }

  // The one extension.
  if (config.extended_decision_working_days.has_value()) {
    const int days = *config.extended_decision_working_days;
    if (days <= out.decision_working_days) {
      return Invalid("extended_decision_working_days",
                     absl::StrCat("must be more than the decision period of ",
                                  out.decision_working_days, " working days, got ", days));
    }
    if (rules.max_extended_decision_working_days &&
        days > *rules.max_extended_decision_working_days) {
      return Invalid(
          "extended_decision_working_days",
          absl::StrCat(name, " allows at most ", *rules.max_extended_decision_working_days,
                       " working days with a recorded reason, got ", days));
    }
    out.extended_decision_working_days = days;
  }

  if (config.filters_exclude && !rules.filters_may_exclude) {
    return Invalid("filters_exclude",
                   absl::StrCat(name,
                                " invites every admitted member of the lot: distance may be "
                                "scored, not used to exclude"));
  }

  // Response period.
  if (config.min_response_period.has_value()) {
    const absl::Duration period = *config.min_response_period;
    if (period <= absl::ZeroDuration()) {
      return Invalid("min_response_period",
                     absl::StrCat("must be positive, got ", absl::FormatDuration(period)));
    }
    if (rules.min_response_period && period < *rules.min_response_period &&
        !(rules.shorter_response_period_by_agreement && config.shorter_response_period_agreed)) {
      return Invalid("min_response_period",
                     absl::StrCat(name, " requires at least ",
                                  absl::FormatDuration(*rules.min_response_period),
                                  " unless a shorter period is agreed for the system, got ",
                                  absl::FormatDuration(period)));
    }
    out.min_response_period = period;
  } else if (rules.min_response_period) {
    out.min_response_period = *rules.min_response_period;
  } else {
    return Invalid("min_response_period",
                   absl::StrCat("required: ", name, " has no default response period"));
  }

  if (config.direct_award_enabled && rules.direct_award == DirectAward::kNotAllowed) {
    return Invalid("direct_award_enabled", absl::StrCat(name, " does not allow direct award"));
  }

  // Publication.
  if (config.publication_days_after_quarter.has_value()) {
    const int days = *config.publication_days_after_quarter;
    if (rules.publication != PublicationGrouping::kQuarterly) {
      return Invalid("publication_days_after_quarter",
                     absl::StrCat(name, " publishes a notice per award, not per quarter"));
    }
    if (days < 1) {
      return Invalid("publication_days_after_quarter",
                     absl::StrCat("must be at least 1, got ", days));
    }
    if (rules.max_publication_days_after_quarter &&
        days > *rules.max_publication_days_after_quarter) {
      return Invalid(
          "publication_days_after_quarter",
          absl::StrCat(name, " publishes within ", *rules.max_publication_days_after_quarter,
                       " days of the quarter's end, got ", days));
    }
    out.publication_days_after_quarter = days;
  }

  if (config.conditions_may_change && !rules.conditions_may_change) {
    return Invalid("conditions_may_change",
                   absl::StrCat(name, " fixes membership conditions for the system's life"));
  }
  if (config.call_off_by_ranking && !rules.ranked_call_off) {
    return Invalid("call_off_by_ranking",
                   absl::StrCat(name,
                                " awards placements by competition among the members, never "
                                "from a lot's ranking (LIGHT_TOUCH only)"));
  }
  return out;
}

absl::Status CheckPreselection(Regime regime, bool preselection_allowed, absl::string_view field) {
  if (!preselection_allowed || RulesFor(regime).filters_may_exclude) return absl::OkStatus();
  return InvalidField(
      field,
      absl::StrCat(RegimeName(regime), " invites every admitted member; filters may not exclude"));
}

}  // namespace dps::qualification
