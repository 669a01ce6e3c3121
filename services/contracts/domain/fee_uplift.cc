#include "services/contracts/domain/fee_uplift.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/ipa_internal.h"
#include "services/contracts/domain/variation.h"

namespace dps::contracts {
namespace {

using internal::DayOf;
using internal::IsOneOf;
using platform::Forbidden;
using platform::InvalidField;
using platform::Quote;

// The same day `months` later; a day the later month lacks (29 February, 31 April) rolls into
// the next month, as absl::CivilDay normalises it.
absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  return absl::CivilDay(day.year(), day.month() + months, day.day());
}

absl::Status RefuseUplift(absl::string_view action, UpliftState state) {
  return Forbidden("fee uplift", absl::StrCat("cannot ", action, " a fee uplift that is ",
                                              UpliftStateName(state)));
}

}  // namespace

absl::string_view UpliftStateName(UpliftState state) {
  switch (state) {
    case UpliftState::kRequested:
      return "REQUESTED";
    case UpliftState::kApproved:
      return "APPROVED";
    case UpliftState::kPartlyApproved:
      return "PARTLY_APPROVED";
    case UpliftState::kRefused:
      return "REFUSED";
    case UpliftState::kWithdrawn:
      return "WITHDRAWN";
  }
  return "UPLIFT_STATE_UNSPECIFIED";
}

std::optional<absl::CivilDay> NextUpliftRequestDay(const std::string& ipa_id,
                                                   const std::vector<FeeUplift>& earlier) {
  std::optional<absl::CivilDay> next;
  for (const FeeUplift& uplift : earlier) {
    if (uplift.ipa_id != ipa_id || uplift.state == UpliftState::kWithdrawn) continue;
    const absl::CivilDay allowed =
        AddMonths(DayOf(uplift.requested_at), kMonthsBetweenUpliftRequests);
    if (!next || allowed > *next) next = allowed;
  }
  return next;
}

absl::StatusOr<FeeUplift> RequestFeeUplift(const Ipa& ipa, const std::vector<FeeUplift>& earlier,
                                           absl::string_view uplift_id, UpliftRequestInput input,
                                           const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return internal::Refuse("request a fee uplift on", ipa.state);
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (*party != Party::kProvider) {
    return absl::PermissionDeniedError("fee uplift: only the provider requests a fee uplift");
  }
  for (const FeeUplift& uplift : earlier) {
    if (uplift.ipa_id == ipa.id && uplift.state == UpliftState::kRequested) {
      return Forbidden("fee uplift", absl::StrCat("request ", Quote(uplift.id),
                                                  " awaits a decision; withdraw it first"));
    }
  }
  const absl::CivilDay today = DayOf(now);
  if (std::optional<absl::CivilDay> next = NextUpliftRequestDay(ipa.id, earlier);
      next && today < *next) {
    return Forbidden("fee uplift",
                     absl::StrCat("at most one request in ", kMonthsBetweenUpliftRequests,
                                  " months: the next may be submitted from ", FormatDay(*next)));
  }
  if (auto s = ValidateId("uplift_id", uplift_id); !s.ok()) return s;
  if (auto s = RequireText("justification", input.justification, kMaxLongText); !s.ok()) return s;
  const IpaTerms& terms = ipa.terms();
  const int64_t current = terms.costs.core_weekly_fee_pence;
  if (auto s = ValidatePence("requested_core_fee_pence", input.requested_core_fee_pence); !s.ok()) {
    return s;
  }
  if (input.requested_core_fee_pence <= current) {
    return InvalidField("requested_core_fee_pence",
                        absl::StrCat("must be above the current core weekly fee, ", current,
                                     " pence, got ", input.requested_core_fee_pence));
  }
  if (!input.effective_from) return InvalidField("effective_from", "required");
  if (*input.effective_from < today || *input.effective_from > *terms.planned_end_date) {
    return InvalidField("effective_from", absl::StrCat("must be from today, ", FormatDay(today),
                                                       ", to the planned end date ",
                                                       FormatDay(*terms.planned_end_date), ", got ",
                                                       FormatDay(*input.effective_from)));
  }
  if (input.cost_pressures.size() > kMaxCostPressures) {
    return InvalidField(
        "cost_pressures",
        absl::StrCat("at most ", kMaxCostPressures, " items, got ", input.cost_pressures.size()));
  }
  int64_t itemised = 0;
  for (size_t i = 0; i < input.cost_pressures.size(); ++i) {
    const CostPressure& pressure = input.cost_pressures[i];
    const std::string field = absl::StrCat("cost_pressures[", i, "]");
    if (pressure.category.empty()) return InvalidField(field + ".category", "required");
    if (auto s = RequireText(field + ".description", pressure.description, kMaxLongText); !s.ok()) {
      return s;
    }
    if (auto s = ValidatePence(field + ".weekly_increase_pence", pressure.weekly_increase_pence);
        !s.ok()) {
      return s;
    }
    itemised += pressure.weekly_increase_pence;  // at most 100 x kMaxPence: no overflow
  }
  if (itemised > input.requested_core_fee_pence - current) {
    return InvalidField(
        "cost_pressures",
        absl::StrCat("add up to ", itemised, " pence a week, more than the increase asked for, ",
                     input.requested_core_fee_pence - current, " pence"));
  }
  FeeUplift uplift;
  uplift.id = std::string(uplift_id);
  uplift.lead_authority_id = ipa.lead_authority_id;
  uplift.ipa_id = ipa.id;
  uplift.provider_id = ipa.parties.provider_id;
  uplift.placing_authority_id = ipa.parties.placing_authority_id;
  uplift.current_core_fee_pence = current;
  uplift.requested_core_fee_pence = input.requested_core_fee_pence;
  uplift.effective_from = *input.effective_from;
  uplift.justification = std::move(input.justification);
  uplift.cost_pressures = std::move(input.cost_pressures);
  uplift.requested_by_user_id = by.user_id;
  uplift.requested_at = now;
  return uplift;
}

absl::Status DecideFeeUplift(FeeUplift& uplift, Ipa& ipa, const UpliftDecision& decision,
                             const VersionRenderer& renderer, const Actor& by, absl::Time now) {
  if (uplift.ipa_id != ipa.id) {
    return InvalidField("uplift_id", absl::StrCat("belongs to IPA ", Quote(uplift.ipa_id), ", not ",
                                                  Quote(ipa.id)));
  }
  if (by.role != Role::kCommissioner || by.organisation_id != ipa.parties.placing_authority_id) {
    return absl::PermissionDeniedError(absl::StrCat(
        "fee uplift: only a COMMISSIONER of the placing authority ",
        Quote(ipa.parties.placing_authority_id), " decides a fee uplift; the caller is ",
        RoleName(by.role), " of ", Quote(by.organisation_id)));
  }
  if (uplift.state != UpliftState::kRequested) return RefuseUplift("decide", uplift.state);
  if (auto s = RequireText("reason", decision.reason, kMaxLongText); !s.ok()) return s;

  int64_t approved = 0;
  switch (decision.outcome) {
    case UpliftState::kApproved:
      approved = uplift.requested_core_fee_pence;
      break;
    case UpliftState::kPartlyApproved:
      approved = decision.approved_core_fee_pence;
      if (approved <= uplift.current_core_fee_pence ||
          approved >= uplift.requested_core_fee_pence) {
        return InvalidField(
            "approved_core_fee_pence",
            absl::StrCat("must be above the current fee, ", uplift.current_core_fee_pence,
                         " pence, and below the fee requested, ", uplift.requested_core_fee_pence,
                         " pence, got ", approved));
      }
      break;
    case UpliftState::kRefused:
      break;
    case UpliftState::kRequested:
    case UpliftState::kWithdrawn:
      return InvalidField("decision", "must be APPROVED, PARTLY_APPROVED or REFUSED");
  }

  FeeUplift decided = uplift;
  decided.state = decision.outcome;
  decided.decision_reason = decision.reason;
  decided.decided_by = by;
  decided.decided_at = now;
  if (decision.outcome != UpliftState::kRefused) {
    const IpaVersion* current = ipa.current_version();
    if (current == nullptr) return internal::Refuse("approve a fee uplift on", ipa.state);
    VariationInput variation;
    variation.kind = VariationKind::kFeeUplift;
    variation.reason = absl::StrCat("fee uplift ", uplift.id, " ",
                                    UpliftStateName(decision.outcome), ": ", decision.reason);
    variation.terms = current->terms;
    variation.terms.costs.core_weekly_fee_pence = approved;
    variation.effective_from = uplift.effective_from;
    absl::StatusOr<int> number = internal::ProposeVariationAs(
        ipa, std::move(variation), Party::kPlacingAuthority, by, uplift.id, renderer, now);
    if (!number.ok()) return number.status();
    decided.approved_core_fee_pence = approved;
    decided.variation_version_number = *number;
  }
  uplift = std::move(decided);
  return absl::OkStatus();
}

absl::Status WithdrawFeeUplift(FeeUplift& uplift, const Actor& by, absl::Time now) {
  if (by.role != Role::kProviderUser || by.organisation_id != uplift.provider_id) {
    return absl::PermissionDeniedError(absl::StrCat(
        "fee uplift: only the provider ", Quote(uplift.provider_id), " withdraws its request"));
  }
  if (uplift.state != UpliftState::kRequested) return RefuseUplift("withdraw", uplift.state);
  uplift.state = UpliftState::kWithdrawn;
  uplift.decided_at = now;
  return absl::OkStatus();
}

}  // namespace dps::contracts
