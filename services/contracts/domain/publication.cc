#include "services/contracts/domain/publication.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/costs.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts {
namespace {

using platform::Forbidden;
using platform::InvalidField;
using platform::Quote;

constexpr int kWeeksInYear = 52;

std::string FormatInstant(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", at, absl::UTCTimeZone());
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
    case Regime::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

absl::string_view PublicationKindName(PublicationKind kind) {
  switch (kind) {
    case PublicationKind::kQuarterly:
      return "QUARTERLY";
    case PublicationKind::kContractAwardNotice:
      return "CONTRACT_AWARD_NOTICE";
    case PublicationKind::kContractDetailsNotice:
      return "CONTRACT_DETAILS_NOTICE";
    case PublicationKind::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

absl::string_view PublicationStateName(PublicationState state) {
  return state == PublicationState::kPublished ? "PUBLISHED" : "PRODUCED";
}

absl::Status ValidateQuarter(absl::string_view field, const Quarter& quarter) {
  if (quarter.year < kMinPublicationYear || quarter.year > kMaxPublicationYear) {
    return InvalidField(absl::StrCat(field, ".year"),
                        absl::StrCat("must be ", kMinPublicationYear, " to ", kMaxPublicationYear,
                                     ", got ", quarter.year));
  }
  if (quarter.quarter < 1 || quarter.quarter > 4) {
    return InvalidField(absl::StrCat(field, ".quarter"), "must be 1 to 4");
  }
  return absl::OkStatus();
}

Quarter QuarterOf(absl::CivilDay day) {
  return {static_cast<int>(day.year()), (day.month() - 1) / 3 + 1};
}

absl::CivilDay FirstDayOf(const Quarter& quarter) {
  return absl::CivilDay(quarter.year, (quarter.quarter - 1) * 3 + 1, 1);
}

absl::CivilDay LastDayOf(const Quarter& quarter) {
  // The day before the next quarter's first: CivilMonth arithmetic carries into the next year.
  const absl::CivilMonth next_quarter = absl::CivilMonth(FirstDayOf(quarter)) + 3;
  return absl::CivilDay(next_quarter) - 1;
}

absl::CivilDay PublishByOf(const Quarter& quarter) {
  return LastDayOf(quarter) + kQuarterlyPublicationDays;
}

std::string QuarterLabel(const Quarter& quarter) {
  return absl::StrFormat("%04d-Q%d", quarter.year, quarter.quarter);
}

absl::CivilDay AwardDayOf(const Ipa& ipa) {
  return absl::ToCivilDay(ipa.awarded_at, absl::UTCTimeZone());
}

bool AwardedIn(const Ipa& ipa, const Quarter& quarter) {
  const absl::CivilDay day = AwardDayOf(ipa);
  return day >= FirstDayOf(quarter) && day <= LastDayOf(quarter);
}

std::vector<Ipa> AwardsIn(const std::vector<Ipa>& ipas, const Quarter& quarter) {
  std::vector<Ipa> out;
  for (const Ipa& ipa : ipas) {
    if (AwardedIn(ipa, quarter)) out.push_back(ipa);
  }
  return out;
}

absl::CivilDay ValueDayOf(const Ipa& ipa) {
  const IpaTerms& terms = ipa.terms();
  return terms.start_date ? *terms.start_date : AwardDayOf(ipa);
}

int64_t AnnualValuePence(const Ipa& ipa) {
  return WeeklyCostOfTerms(ipa.terms(), ValueDayOf(ipa)).total_pence * kWeeksInYear;
}

absl::StatusOr<int64_t> TotalAnnualValuePence(const std::vector<Ipa>& ipas) {
  int64_t total = 0;
  for (const Ipa& ipa : ipas) {
    // The weekly total is checked as well as the sum: a record that slipped past ValidateTerms
    // must not wrap round into a plausible number.
    const int64_t weekly = WeeklyCostOfTerms(ipa.terms(), ValueDayOf(ipa)).total_pence;
    int64_t annual = 0;
    if (weekly < 0 || __builtin_mul_overflow(weekly, int64_t{kWeeksInYear}, &annual) ||
        __builtin_add_overflow(total, annual, &total)) {
      return absl::OutOfRangeError(
          absl::StrCat("total_annual_value: the awards' annual values do not add up within ",
                       std::numeric_limits<int64_t>::max(), " pence (at IPA ", ipa.id, ")"));
    }
  }
  return total;
}

absl::StatusOr<PublicationKind> KindForRegime(Regime regime) {
  switch (regime) {
    case Regime::kPcr2015Dps:
    case Regime::kLightTouch:
      return PublicationKind::kQuarterly;
    case Regime::kPa2023DynamicMarket:
      return PublicationKind::kContractAwardNotice;
    case Regime::kUnspecified:
      break;
  }
  return Forbidden("system", "has no regime, so what it publishes is not known");
}

absl::Status CheckKindForRegime(Regime regime, PublicationKind kind) {
  absl::StatusOr<PublicationKind> required = KindForRegime(regime);
  if (!required.ok()) return required.status();
  if (kind == *required) return absl::OkStatus();
  if (regime == Regime::kPa2023DynamicMarket && kind == PublicationKind::kContractDetailsNotice) {
    return absl::OkStatus();
  }
  return InvalidField(
      "kind", absl::StrCat("a ", RegimeName(regime), " system publishes ",
                           PublicationKindName(*required), ", not ", PublicationKindName(kind)));
}

absl::StatusOr<absl::Time> EnteredIntoAt(const Ipa& ipa) {
  if (!ipa.versions.empty() && ipa.versions.front().in_force_at) {
    return *ipa.versions.front().in_force_at;
  }
  return Forbidden("ipa_id", absl::StrCat("IPA ", ipa.id, " is ", IpaStateName(ipa.state),
                                          ": a contract details notice follows both parties' "
                                          "signatures"));
}

absl::CivilDay DetailsNoticeDueBy(absl::Time entered_into) {
  return absl::ToCivilDay(entered_into, absl::UTCTimeZone()) + kContractDetailsNoticeDays;
}

absl::Status MarkPublished(Publication& publication, absl::string_view reference, absl::Time at,
                           const Actor& by, absl::Time now) {
  if (by.role != Role::kLeadAuthorityAdmin || by.organisation_id != publication.lead_authority_id) {
    return absl::PermissionDeniedError(
        absl::StrCat("publication: only an admin of the lead authority may mark it published; ",
                     RoleName(by.role), " of ", Quote(by.organisation_id), " may not"));
  }
  if (publication.state == PublicationState::kPublished) {
    return Forbidden("publication", "cannot mark a PUBLISHED publication published again");
  }
  if (absl::Status s = RequireText("external_reference", reference, kMaxShortText); !s.ok()) {
    return s;
  }
  if (at < publication.produced_at) {
    return InvalidField("published_at",
                        absl::StrCat("must not be before the publication was produced (",
                                     FormatInstant(publication.produced_at), ")"));
  }
  if (at > now) return InvalidField("published_at", "must not be in the future");
  publication.state = PublicationState::kPublished;
  publication.external_reference = std::string(reference);
  publication.published_at = at;
  publication.published_by_user_id = by.user_id;
  return absl::OkStatus();
}

}  // namespace dps::contracts
