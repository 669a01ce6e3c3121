#include "services/contracts/consumers/market_events.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/consumers/award_events.h"
#include "services/contracts/domain/costs.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/market.h"
#include "services/contracts/storage/pg_market_repository.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& values) {
  return {values.begin(), values.end()};
}

// A placement of an award event: the parties, lot, source and weekly fee as its IPA will have
// them (SpecFromAward, whose facts from other services the market does not need), the weekly
// price (for a competed award, the evaluated one) and the place.
absl::Status RecordPlacement(const ev::EventEnvelope& envelope, absl::Time awarded_at,
                             MarketRepository& market) {
  absl::StatusOr<IpaSpec> spec = SpecFromAward(envelope, AwardFacts{});
  if (!spec.ok()) return spec.status();
  absl::StatusOr<std::string> key = SourceKey(spec->source);
  if (!key.ok()) return absl::InvalidArgumentError(key.status().message());
  StoredPlacement placement;
  placement.system_id = envelope.system_id();
  placement.establishment_id = spec->parties.establishment_id;
  PlacementFact& p = placement.fact;
  p.source_key = *key;
  p.lot_id = spec->lot_id;
  p.authority_id = spec->parties.placing_authority_id;
  p.awarded_at = awarded_at;
  p.weekly_price_pence = WeeklyCostOfTerms(spec->terms, *spec->terms.start_date).total_pence;
  switch (envelope.payload_case()) {
    case ev::EventEnvelope::kReferralAwarded: {
      const ev::ReferralAwarded& e = envelope.referral_awarded();
      p.kind = PlacementKind::kCompeted;
      placement.referral_id = e.referral_id();
      p.region = PostcodeArea(e.postcode_district());
      p.need_codes = Strings(e.need_codes());
      p.weekly_price_pence = e.evaluated_weekly_price().pence();
      if (e.ceiling_fee().pence() > 0) p.ceiling_weekly_pence = e.ceiling_fee().pence();
      if (p.weekly_price_pence < 0) {
        return absl::InvalidArgumentError("evaluated_weekly_price: must not be negative");
      }
      break;
    }
    case ev::EventEnvelope::kDirectAwardMade:
      p.kind = PlacementKind::kDirectAward;
      p.region = PostcodeArea(envelope.direct_award_made().postcode_district());
      break;
    default:
      p.kind = PlacementKind::kBlockCallOff;
      p.region = PostcodeArea(envelope.block_call_off_made().postcode_district());
      break;
  }
  return market.RecordPlacement(placement);
}

// A day the event must carry.
absl::StatusOr<absl::CivilDay> RequiredDay(const dps::common::v1::Date& date,
                                           absl::string_view field) {
  absl::StatusOr<std::optional<absl::CivilDay>> day = platform::FromDate(date, field);
  if (!day.ok()) return day.status();
  if (!day->has_value()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  return **day;
}

// The places a block reserves (referral.block.created), its call-offs and endings, for the void
// cost. Places and the fee are bounded as the referral service bounds them, so a void cost summed
// over a system's blocks stays inside int64.
constexpr int kMaxBlockPlaces = 1000;

absl::Status RecordBlockEvent(const ev::EventEnvelope& envelope, MarketRepository& market) {
  switch (envelope.payload_case()) {
    case ev::EventEnvelope::kBlockContractCreated: {
      const ev::BlockContractCreated& e = envelope.block_contract_created();
      if (e.places() < 1 || e.places() > kMaxBlockPlaces) {
        return absl::InvalidArgumentError(
            absl::StrCat("places: must be 1 to ", kMaxBlockPlaces, ", got ", e.places()));
      }
      if (e.weekly_fee_per_place().pence() < 0 || e.weekly_fee_per_place().pence() > kMaxPence) {
        return absl::InvalidArgumentError(
            absl::StrCat("weekly_fee_per_place: must be 0 to ", kMaxPence));
      }
      absl::StatusOr<absl::CivilDay> start = RequiredDay(e.period().start(), "period.start");
      if (!start.ok()) return start.status();
      absl::StatusOr<absl::CivilDay> end = RequiredDay(e.period().end(), "period.end");
      if (!end.ok()) return end.status();
      if (*end < *start) return absl::InvalidArgumentError("period.end: before period.start");
      BlockFact block;
      block.block_contract_id = e.block_contract_id();
      block.lot_id = e.lot_id();
      block.authority_id = e.placing_authority_id();
      block.places = e.places();
      block.weekly_fee_per_place_pence = e.weekly_fee_per_place().pence();
      block.first_day = *start;
      block.last_day = *end;
      return market.RecordBlock(envelope.system_id(), block);
    }
    case ev::EventEnvelope::kBlockCallOffMade: {
      const ev::BlockCallOffMade& e = envelope.block_call_off_made();
      absl::StatusOr<absl::CivilDay> start = RequiredDay(e.start_date(), "start_date");
      if (!start.ok()) return start.status();
      absl::StatusOr<absl::CivilDay> end = RequiredDay(e.planned_end_date(), "planned_end_date");
      if (!end.ok()) return end.status();
      // One place per child, as the IPA is costed (SpecFromAward).
      return market.RecordBlockCallOff(e.block_contract_id(),
                                       {.call_off_id = e.call_off_id(),
                                        .places = e.children() > 0 ? e.children() : 1,
                                        .start_date = *start,
                                        .planned_end_date = *end});
    }
    case ev::EventEnvelope::kBlockCallOffEnded: {
      const ev::BlockCallOffEnded& e = envelope.block_call_off_ended();
      absl::StatusOr<absl::CivilDay> ended = RequiredDay(e.ended_on(), "ended_on");
      if (!ended.ok()) return ended.status();
      return market.RecordBlockCallOffEnded(e.block_contract_id(), e.call_off_id(), *ended);
    }
    case ev::EventEnvelope::kBlockContractEnded: {
      const ev::BlockContractEnded& e = envelope.block_contract_ended();
      absl::StatusOr<absl::CivilDay> last = RequiredDay(e.last_day(), "last_day");
      if (!last.ok()) return last.status();
      return market.RecordBlockEnded(e.block_contract_id(), *last);
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace

absl::Status RecordMarketEvent(const ev::EventEnvelope& envelope, MarketRepository& market) {
  if (envelope.payload_case() == ev::EventEnvelope::PAYLOAD_NOT_SET) return absl::OkStatus();
  // Outcomes are ordered by when they happened, so the event must say when.
  if (absl::Status s = platform::CheckTimestamps(envelope); !s.ok()) return s;
  if (!envelope.has_occurred_at()) return absl::InvalidArgumentError("occurred_at: required");
  const absl::Time at = platform::FromTimestamp(envelope.occurred_at());
  switch (envelope.payload_case()) {
    case ev::EventEnvelope::kReferralPublished: {
      const ev::ReferralPublished& e = envelope.referral_published();
      ReferralFact r;
      r.referral_id = e.referral_id();
      r.lot_id = e.lot_id();
      r.authority_id = e.placing_authority_id();
      r.region = PostcodeArea(e.postcode_district());
      r.need_codes = Strings(e.need_codes());
      r.weights = {e.weights().price(),    e.weights().outcomes(), e.weights().needs(),
                   e.weights().features(), e.weights().location(), e.weights().core_competency()};
      r.published_at = at;
      return market.RecordReferral(envelope.system_id(), r);
    }
    case ev::EventEnvelope::kEstablishmentInvited:
      return market.RecordInvitation(envelope.establishment_invited().referral_id(),
                                     envelope.establishment_invited().invitation_id());
    case ev::EventEnvelope::kInvitationDeclined: {
      const ev::InvitationDeclined& e = envelope.invitation_declined();
      return market.RecordDecline(e.referral_id(), e.invitation_id(),
                                  dps::referral::v1::DeclineReason_Name(e.reason()));
    }
    case ev::EventEnvelope::kBidSubmitted:
      return market.RecordBid(envelope.bid_submitted().referral_id(),
                              envelope.bid_submitted().bid_id(), false, at);
    case ev::EventEnvelope::kBidWithdrawn:
      return market.RecordBid(envelope.bid_withdrawn().referral_id(),
                              envelope.bid_withdrawn().bid_id(), true, at);
    case ev::EventEnvelope::kReferralClosed:
      return market.RecordClosed(envelope.referral_closed().referral_id(), at);
    case ev::EventEnvelope::kReferralNoSuitableOffer: {
      const ev::ReferralNoSuitableOffer& e = envelope.referral_no_suitable_offer();
      return market.RecordOutcome(e.referral_id(), ReferralOutcome::kNoSuitableOffer, at,
                                  e.invited(), e.radius_miles());
    }
    case ev::EventEnvelope::kReferralReopened: {
      const ev::ReferralReopened& e = envelope.referral_reopened();
      if (absl::Status s = market.RecordReopened(e.referral_id(), e.round()); !s.ok()) return s;
      return market.RecordOutcome(e.referral_id(), ReferralOutcome::kOpen, at, 0, 0);
    }
    case ev::EventEnvelope::kReferralWithdrawn:
      return market.RecordOutcome(envelope.referral_withdrawn().referral_id(),
                                  ReferralOutcome::kWithdrawn, at, 0, 0);
    case ev::EventEnvelope::kReferralAwarded:
      if (absl::Status s = market.RecordOutcome(envelope.referral_awarded().referral_id(),
                                                ReferralOutcome::kAwarded, at, 0, 0);
          !s.ok()) {
        return s;
      }
      return RecordPlacement(envelope, at, market);
    case ev::EventEnvelope::kDirectAwardMade:
      return RecordPlacement(envelope, at, market);
    case ev::EventEnvelope::kBlockCallOffMade:
      if (absl::Status s = RecordPlacement(envelope, at, market); !s.ok()) return s;
      return RecordBlockEvent(envelope, market);
    case ev::EventEnvelope::kBlockContractCreated:
    case ev::EventEnvelope::kBlockCallOffEnded:
    case ev::EventEnvelope::kBlockContractEnded:
      return RecordBlockEvent(envelope, market);
    case ev::EventEnvelope::kInspectionRatingChanged: {
      const ev::InspectionRatingChanged& e = envelope.inspection_rating_changed();
      absl::StatusOr<std::optional<absl::CivilDay>> inspected =
          platform::FromDate(e.inspected_on(), "inspected_on");
      if (!inspected.ok()) return inspected.status();
      if (!inspected->has_value()) {
        return absl::InvalidArgumentError("inspected_on: required");
      }
      return market.RecordRating({.rating_id = e.inspection_rating_id(),
                                  .establishment_id = e.establishment_id(),
                                  .rating = dps::qualification::v1::Rating_Name(e.rating()),
                                  .inspected_on = **inspected,
                                  .recorded_at = at});
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ApplyMarketEvent(pqxx::work& tx, const platform::StreamEvent& event) {
  ev::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError("payload: not an EventEnvelope");
  }
  PgMarketRepository market(tx);
  return RecordMarketEvent(envelope, market);
}

}  // namespace dps::contracts
