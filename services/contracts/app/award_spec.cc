#include "services/contracts/app/award_spec.h"

#include "absl/strings/str_cat.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
namespace common = ::dps::common::v1;
namespace rv1 = ::dps::referral::v1;

int64_t DivideRoundHalfUp(int64_t numerator, int64_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

// As the scoring engine converts a price to weekly (services/scoring/domain/price.cc).
absl::StatusOr<int64_t> WeeklyPence(absl::string_view field, int64_t pence,
                                    common::PriceBasis basis) {
  if (pence < 0 || pence > kMaxPence) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be 0 to ", kMaxPence));
  }
  switch (basis) {
    case common::PRICE_BASIS_UNSPECIFIED:
    case common::PRICE_BASIS_WEEKLY:
      return pence;
    case common::PRICE_BASIS_MONTHLY:
      return DivideRoundHalfUp(pence * 12, 52);
    case common::PRICE_BASIS_ANNUAL:
      return DivideRoundHalfUp(pence, 52);
    default:
      return absl::InvalidArgumentError(absl::StrCat("price_basis: unknown value ", basis));
  }
}

absl::StatusOr<absl::CivilDay> RequiredDay(const common::Date& date, absl::string_view field) {
  absl::StatusOr<std::optional<absl::CivilDay>> day = platform::FromDate(date, field);
  if (!day.ok()) return day.status();
  if (!day->has_value()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  return **day;
}

// The last day of a placement of `months` starting on `start`.
absl::StatusOr<absl::CivilDay> PlannedEnd(absl::CivilDay start, int months) {
  if (months < 1 || months > kMaxPlacementYears * 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("planned_duration_months: must be 1 to ", kMaxPlacementYears * 12));
  }
  const absl::CivilMonth end_month = absl::CivilMonth(start) + months;
  // 31 January + 1 month ends on the last day of February, not in March.
  absl::CivilDay end(end_month.year(), end_month.month(), start.day());
  if (end.month() != end_month.month())
    end = absl::CivilDay(end_month.year(), end_month.month() + 1, 1);
  return end - 1;
}

absl::Status AddServices(
    const google::protobuf::RepeatedPtrField<dps::scoring::v1::AdditionalService>& services,
    common::PriceBasis basis, const AwardFacts& facts, absl::CivilDay end, Costs& costs) {
  for (int i = 0; i < services.size(); ++i) {
    const auto& service = services[i];
    const std::string field = absl::StrCat("additional_services[", i, "]");
    if (service.units() < 0 || service.rate_pence() < 0 ||
        (service.rate_pence() > 0 && service.units() > kMaxPence / service.rate_pence())) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": units x rate out of range"));
    }
    absl::StatusOr<int64_t> weekly =
        WeeklyPence(field, service.units() * service.rate_pence(), basis);
    if (!weekly.ok()) return weekly.status();
    if (*weekly == 0) continue;  // nothing to pay: nothing to write into the agreement
    auto label = facts.service_labels.find(service.code());
    costs.additional_services.push_back(
        {.code = service.code(),
         .description = label != facts.service_labels.end() ? label->second : service.code(),
         .weekly_pence = *weekly,
         .start_date = std::nullopt,
         .end_date = end});
  }
  return absl::OkStatus();
}

// The dates and weekly fee of an award or direct award (both carry the same fields).
template <typename AwardEvent>
absl::Status SetDatesAndFee(const AwardEvent& e, IpaTerms& terms) {
  absl::StatusOr<absl::CivilDay> start = RequiredDay(e.start_date(), "start_date");
  if (!start.ok()) return start.status();
  absl::StatusOr<absl::CivilDay> end = PlannedEnd(*start, e.planned_duration_months());
  if (!end.ok()) return end.status();
  terms.start_date = *start;
  terms.planned_end_date = *end;
  absl::StatusOr<int64_t> core = WeeklyPence("core_fee", e.core_fee().pence(), e.price_basis());
  if (!core.ok()) return core.status();
  terms.costs.core_weekly_fee_pence = *core;
  return absl::OkStatus();
}

void AddDiscount(DiscountKind kind, int basis_points, Costs& costs) {
  if (basis_points > 0) costs.discounts.push_back({kind, basis_points});
}

}  // namespace

std::optional<AwardRef> AwardRefOf(const ev::EventEnvelope& envelope) {
  switch (envelope.payload_case()) {
    case ev::EventEnvelope::kReferralAwarded:
      return AwardRef{envelope.system_id(), envelope.referral_awarded().lot_id(),
                      envelope.referral_awarded().establishment_id(),
                      envelope.referral_awarded().placing_authority_id()};
    case ev::EventEnvelope::kDirectAwardMade:
      return AwardRef{envelope.system_id(), envelope.direct_award_made().lot_id(),
                      envelope.direct_award_made().establishment_id(),
                      envelope.direct_award_made().placing_authority_id()};
    case ev::EventEnvelope::kBlockCallOffMade:
      return AwardRef{envelope.system_id(), envelope.block_call_off_made().lot_id(),
                      envelope.block_call_off_made().establishment_id(),
                      envelope.block_call_off_made().placing_authority_id()};
    default:
      return std::nullopt;
  }
}

absl::StatusOr<IpaSpec> SpecFromAward(const ev::EventEnvelope& envelope, const AwardFacts& facts) {
  IpaSpec spec;
  spec.system_id = envelope.system_id();
  // The award's own time, when the event carries a sound one.
  if (envelope.has_occurred_at() && platform::CheckTimestamps(envelope).ok()) {
    spec.awarded_at = platform::FromTimestamp(envelope.occurred_at());
  }
  spec.lead_authority_id = facts.lead_authority_id;
  spec.provision_type = facts.provision_type;
  // The names the IPA keeps; the placing authority's is set once the event names it (below).
  auto named = [&facts](Parties parties) {
    if (auto it = facts.authority_names.find(parties.placing_authority_id);
        it != facts.authority_names.end()) {
      parties.placing_authority_name = it->second;
    }
    parties.provider_name = facts.provider_name;
    parties.establishment_name = facts.establishment_name;
    parties.establishment_address = facts.establishment_address;
    return parties;
  };
  spec.terms.notice_period_days = facts.notice_period_days;
  IpaTerms& terms = spec.terms;
  switch (envelope.payload_case()) {
    case ev::EventEnvelope::kReferralAwarded: {
      const ev::ReferralAwarded& e = envelope.referral_awarded();
      spec.lot_id = e.lot_id();
      spec.source = {
          .kind = SourceKind::kAward, .referral_id = e.referral_id(), .bid_id = e.bid_id()};
      spec.parties = named({e.placing_authority_id(), e.provider_id(), e.establishment_id()});
      if (absl::Status s = SetDatesAndFee(e, terms); !s.ok()) return s;
      AddDiscount(DiscountKind::kSibling, e.sibling_discount_basis_points(), terms.costs);
      AddDiscount(DiscountKind::kPermanence, e.permanence_discount_basis_points(), terms.costs);
      if (absl::Status s = AddServices(e.additional_services(), e.price_basis(), facts,
                                       *terms.planned_end_date, terms.costs);
          !s.ok()) {
        return s;
      }
      if (!e.incentive().description().empty() || e.incentive().premium().pence() > 0) {
        absl::StatusOr<std::optional<absl::CivilDay>> by =
            platform::FromDate(e.incentive().achieve_by(), "incentive.achieve_by");
        if (!by.ok()) return by.status();
        terms.incentive =
            Incentive{e.incentive().description(), e.incentive().premium().pence(), *by};
      }
      break;
    }
    case ev::EventEnvelope::kDirectAwardMade: {
      const ev::DirectAwardMade& e = envelope.direct_award_made();
      spec.lot_id = e.lot_id();
      spec.source = {.kind = SourceKind::kDirectAward,
                     .direct_award_id = e.direct_award_id(),
                     .ranked_call_off = e.basis() == rv1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF};
      spec.parties = named({e.placing_authority_id(), e.provider_id(), e.establishment_id()});
      if (absl::Status s = SetDatesAndFee(e, terms); !s.ok()) return s;
      if (absl::Status s = AddServices(e.additional_services(), e.price_basis(), facts,
                                       *terms.planned_end_date, terms.costs);
          !s.ok()) {
        return s;
      }
      break;
    }
    case ev::EventEnvelope::kBlockCallOffMade: {
      const ev::BlockCallOffMade& e = envelope.block_call_off_made();
      spec.lot_id = e.lot_id();
      spec.source = {.kind = SourceKind::kBlockCallOff,
                     .block_contract_id = e.block_contract_id(),
                     .block_call_off_id = e.call_off_id()};
      spec.parties = named({e.placing_authority_id(), e.provider_id(), e.establishment_id()});
      absl::StatusOr<absl::CivilDay> start = RequiredDay(e.start_date(), "start_date");
      if (!start.ok()) return start.status();
      absl::StatusOr<absl::CivilDay> end = RequiredDay(e.planned_end_date(), "planned_end_date");
      if (!end.ok()) return end.status();
      terms.start_date = *start;
      terms.planned_end_date = *end;
      const int64_t places = e.children() > 0 ? e.children() : 1;
      const int64_t per_place = e.weekly_fee_per_place().pence();
      if (per_place < 0 || per_place > kMaxPence / places) {
        return absl::InvalidArgumentError(
            "weekly_fee_per_place: times the places taken must be at most £1 billion");
      }
      terms.costs.core_weekly_fee_pence = per_place * places;
      break;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("type: ", envelope.type(), " is not an award"));
  }
  return spec;
}

}  // namespace dps::contracts
