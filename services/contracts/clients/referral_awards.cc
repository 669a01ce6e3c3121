#include "services/contracts/clients/referral_awards.h"

#include "absl/strings/str_cat.h"
#include "services/contracts/clients/peer_call.h"

namespace dps::contracts {
namespace {

namespace rv1 = ::dps::referral::v1;
namespace ev = ::dps::events::v1;

}  // namespace

absl::Status RequireAwarded(const rv1::Referral& referral) {
  if (referral.state() != rv1::REFERRAL_STATE_AWARDED) {
    return absl::FailedPreconditionError(absl::StrCat("referral ", referral.id(), " is ",
                                                      rv1::ReferralState_Name(referral.state()),
                                                      ", not awarded"));
  }
  const rv1::ApprovalState approval = referral.award().approval();
  if (approval == rv1::APPROVAL_STATE_PENDING || approval == rv1::APPROVAL_STATE_REFUSED) {
    return absl::FailedPreconditionError(absl::StrCat("the award of referral ", referral.id(),
                                                      " is ", rv1::ApprovalState_Name(approval)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ev::EventEnvelope> AwardedEventOf(const rv1::Referral& referral,
                                                 const rv1::Bid& bid) {
  if (absl::Status s = RequireAwarded(referral); !s.ok()) return s;
  // As the referral service announces it (services/referral/api/award_handlers.cc, Settle).
  ev::EventEnvelope envelope;
  envelope.set_system_id(referral.spec().system_id());
  *envelope.mutable_occurred_at() = referral.award().awarded_at();
  ev::ReferralAwarded& event = *envelope.mutable_referral_awarded();
  event.set_referral_id(referral.id());
  event.set_lot_id(referral.spec().lot_id());
  event.set_placing_authority_id(referral.placing_authority_id());
  event.set_bid_id(bid.id());
  event.set_establishment_id(bid.establishment_id());
  event.set_provider_id(bid.provider_id());
  event.set_basis(referral.award().basis());
  event.set_price_basis(referral.terms().price_basis());
  *event.mutable_core_fee() = bid.content().core_fee();
  *event.mutable_additional_services() = bid.content().additional_services();
  const dps::scoring::v1::EvaluatedPrice& price = bid.evaluation().price();
  event.set_sibling_discount_basis_points(price.sibling_discount_basis_points());
  event.set_permanence_discount_basis_points(price.permanence_discount_basis_points());
  event.mutable_evaluated_weekly_price()->set_pence(price.evaluated_weekly_price_pence());
  event.mutable_ceiling_fee()->set_pence(price.ceiling_weekly_fee_pence());
  event.set_total_score(bid.evaluation().scores().total());
  *event.mutable_start_date() = referral.spec().start_date();
  event.set_planned_duration_months(referral.spec().planned_duration_months());
  *event.mutable_incentive() = referral.spec().incentive();
  event.set_children(referral.spec().children_size());
  event.set_postcode_district(referral.spec().location().postcode_district());
  for (const auto& need : referral.spec().needs()) event.add_need_codes(need.code());
  *event.mutable_published_at() = referral.published_at();
  return envelope;
}

ev::EventEnvelope DirectAwardEventOf(const rv1::DirectAward& award) {
  // As services/referral/api/direct_award_handlers.cc announces it (MakeDirectAward).
  ev::EventEnvelope envelope;
  envelope.set_system_id(award.system_id());
  *envelope.mutable_occurred_at() = award.made_at();
  ev::DirectAwardMade& event = *envelope.mutable_direct_award_made();
  event.set_direct_award_id(award.id());
  event.set_lot_id(award.lot_id());
  event.set_placing_authority_id(award.placing_authority_id());
  event.set_establishment_id(award.establishment_id());
  event.set_provider_id(award.provider_id());
  event.set_price_basis(award.price_basis());
  *event.mutable_core_fee() = award.core_fee();
  *event.mutable_additional_services() = award.additional_services();
  *event.mutable_start_date() = award.start_date();
  event.set_planned_duration_months(award.planned_duration_months());
  *event.mutable_review_on() = award.review_on();
  event.set_transparency_notice_reference(award.transparency_notice().reference());
  event.set_children(award.children_size());
  event.set_postcode_district(award.location().postcode_district());
  event.set_basis(award.basis());
  return envelope;
}

absl::StatusOr<ev::EventEnvelope> BlockCallOffEventOf(const rv1::BlockContract& block,
                                                      const std::string& call_off_id) {
  for (const rv1::BlockCallOff& call_off : block.call_offs()) {
    if (call_off.id() != call_off_id) continue;
    // As services/referral/api/block_contract_handlers.cc announces it (CallOffBlockContract).
    ev::EventEnvelope envelope;
    envelope.set_system_id(block.system_id());
    *envelope.mutable_occurred_at() = call_off.made_at();
    ev::BlockCallOffMade& event = *envelope.mutable_block_call_off_made();
    event.set_call_off_id(call_off.id());
    event.set_block_contract_id(block.id());
    event.set_lot_id(block.lot_id());
    event.set_placing_authority_id(block.placing_authority_id());
    event.set_establishment_id(block.establishment_id());
    event.set_provider_id(block.provider_id());
    *event.mutable_weekly_fee_per_place() = block.weekly_fee_per_place();
    event.set_children(call_off.children_size());
    *event.mutable_start_date() = call_off.start_date();
    *event.mutable_planned_end_date() = call_off.planned_end_date();
    event.set_postcode_district(call_off.location().postcode_district());
    return envelope;
  }
  return absl::NotFoundError(
      absl::StrCat("block contract ", block.id(), " has no call-off ", call_off_id));
}

absl::StatusOr<ev::EventEnvelope> ReferralAwards::AwardOf(const std::string& request_id,
                                                          const IpaSource& source) const {
  switch (source.kind) {
    case SourceKind::kAward: {
      rv1::GetReferralRequest referral_request;
      referral_request.set_id(source.referral_id);
      rv1::Referral referral;
      if (absl::Status s = CallPeer("referral service", *stub_, &Stub::GetReferral, tokens_,
                                    request_id, referral_request, referral);
          !s.ok()) {
        return s;
      }
      // Refused before the winning bid is asked for.
      if (absl::Status s = RequireAwarded(referral); !s.ok()) return s;
      rv1::GetBidRequest bid_request;
      bid_request.set_id(referral.award().bid_id());
      rv1::Bid bid;
      if (absl::Status s = CallPeer("referral service", *stub_, &Stub::GetBid, tokens_, request_id,
                                    bid_request, bid);
          !s.ok())
        return s;
      return AwardedEventOf(referral, bid);
    }
    case SourceKind::kDirectAward: {
      rv1::GetDirectAwardRequest request;
      request.set_id(source.direct_award_id);
      rv1::DirectAward award;
      if (absl::Status s = CallPeer("referral service", *stub_, &Stub::GetDirectAward, tokens_,
                                    request_id, request, award);
          !s.ok()) {
        return s;
      }
      return DirectAwardEventOf(award);
    }
    case SourceKind::kBlockCallOff: {
      rv1::GetBlockContractRequest request;
      request.set_id(source.block_contract_id);
      rv1::BlockContract block;
      if (absl::Status s = CallPeer("referral service", *stub_, &Stub::GetBlockContract, tokens_,
                                    request_id, request, block);
          !s.ok()) {
        return s;
      }
      return BlockCallOffEventOf(block, source.block_call_off_id);
    }
    default:
      return absl::InvalidArgumentError("source.kind: required");
  }
}

}  // namespace dps::contracts
