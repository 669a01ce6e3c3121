// Award: the family's choice where the engine found bids too close to call, the award itself (with
// a commissioner's approval above the authority's threshold), and what every bidder is told.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/evaluation.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;
namespace sv1 = ::dps::scoring::v1;

constexpr auto kCommissioners = {ApiRole::ROLE_COMMISSIONER};
constexpr auto kFeedbackReaders = {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_PLACING_OFFICER,
                                   ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
                                   ApiRole::ROLE_AUDITOR};

AwardCandidate CandidateOf(const v1::Bid& bid) {
  return {bid.id(), bid.state() == v1::BID_STATE_COMPLIANT ? bid.evaluation().rank() : 0,
          bid.evaluation().price().evaluated_weekly_price_pence()};
}

// The authority's approval threshold in the system, if it set one.
std::optional<int64_t> ThresholdOf(const qv1::PurchasingSystem& system,
                                   const std::string& authority_id) {
  for (const qv1::ParticipatingAuthority& authority : system.authorities()) {
    if (authority.authority_id() != authority_id) continue;
    const int64_t pence = authority.award_approval_threshold_weekly().pence();
    if (pence > 0) return pence;
  }
  return std::nullopt;
}

// Once awarded: the winning bid AWARDED, every other compliant bid NOT_AWARDED, and the award
// announced for the contracts service to draw up the placement agreement.
absl::Status Settle(Call& call, const v1::Referral& referral) {
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(call.tx, referral.id());
  if (!bids.ok()) return bids.status();
  const v1::Bid* winner = nullptr;
  for (v1::Bid& bid : *bids) {
    const bool won = bid.id() == referral.award().bid_id();
    if (won) winner = &bid;
    const v1::BidState after = ToApiState(StateAtAward(ToDomainState(bid.state()), won));
    if (after == bid.state()) continue;
    bid.set_state(after);
    if (absl::Status s = SaveBid(call.tx, bid); !s.ok()) return s;
  }
  if (winner == nullptr) return absl::InternalError("the awarded bid is not among the bids");
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_referral_awarded();
  event.set_referral_id(referral.id());
  event.set_lot_id(referral.spec().lot_id());
  event.set_placing_authority_id(referral.placing_authority_id());
  event.set_bid_id(winner->id());
  event.set_establishment_id(winner->establishment_id());
  event.set_provider_id(winner->provider_id());
  event.set_basis(referral.award().basis());
  event.set_price_basis(referral.terms().price_basis());
  *event.mutable_core_fee() = winner->content().core_fee();
  *event.mutable_additional_services() = winner->content().additional_services();
  const sv1::EvaluatedPrice& price = winner->evaluation().price();
  event.set_sibling_discount_basis_points(price.sibling_discount_basis_points());
  event.set_permanence_discount_basis_points(price.permanence_discount_basis_points());
  event.mutable_evaluated_weekly_price()->set_pence(price.evaluated_weekly_price_pence());
  event.mutable_ceiling_fee()->set_pence(price.ceiling_weekly_fee_pence());
  event.set_total_score(winner->evaluation().scores().total());
  *event.mutable_start_date() = referral.spec().start_date();
  event.set_planned_duration_months(referral.spec().planned_duration_months());
  *event.mutable_incentive() = referral.spec().incentive();
  event.set_children(referral.spec().children_size());
  event.set_postcode_district(referral.spec().location().postcode_district());
  for (const auto& need : referral.spec().needs()) event.add_need_codes(need.code());
  *event.mutable_published_at() = referral.published_at();
  event.set_bids(static_cast<int>(bids->size()));
  return platform::Announce(call, kReferralStream, "referral.referral.awarded", "referral",
                            referral.id(), referral.spec().system_id(), std::move(envelope));
}

}  // namespace

grpc::Status ReferralService::RecordParentalChoice(grpc::ServerContext* context,
                                                   const v1::RecordParentalChoiceRequest* request,
                                                   v1::Referral* response) {
  return calls_.Change(context, "RecordParentalChoice", request->idempotency_key(), *request,
                       *response, kAuthors, [&](Call& call) -> absl::Status {
                         v1::Referral& stored = *response;
                         absl::StatusOr<Referral> referral =
                             LoadOwnReferral(call, request->referral_id(), stored);
                         if (!referral.ok()) return referral.status();
                         if (absl::Status s = dps::referral::RecordParentalChoice(
                                 *referral, request->chosen_bid_id(), request->note(),
                                 ActorFrom(call.caller), call.now);
                             !s.ok()) {
                           return s;
                         }
                         ApplyToApi(*referral, stored);
                         return SaveReferral(call.tx, stored);
                       });
}

grpc::Status ReferralService::AwardReferral(grpc::ServerContext* context,
                                            const v1::AwardReferralRequest* request,
                                            v1::Referral* response) {
  // The authority's approval threshold is asked of the qualification service before the
  // transaction opens; a referral's system never changes once it is published.
  v1::Referral read;
  std::optional<int64_t> threshold;
  const platform::CallRunner::Prepare prepare{
      .read =
          [&](Call& call) {
            return ReadOwnReferral(call, request->referral_id(), read, request->expected_version())
                .status();
          },
      .ask = [&](const platform::CallerIdentity&, const std::string& request_id) -> absl::Status {
        absl::StatusOr<qv1::PurchasingSystem> system =
            qualification_.System(request_id, read.spec().system_id());
        if (!system.ok()) return system.status();
        threshold = ThresholdOf(*system, read.placing_authority_id());
        return absl::OkStatus();
      }};
  return calls_.Change(
      context, "AwardReferral", request->idempotency_key(), *request, *response, kAuthors, prepare,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response;
        absl::StatusOr<Referral> referral =
            LoadOwnReferral(call, request->referral_id(), stored, request->expected_version());
        if (!referral.ok()) return referral.status();
        if (request->bid_id().empty()) return platform::InvalidField("bid_id", "required");
        v1::Bid bid;
        if (absl::Status s = LoadBid(call.tx, request->bid_id(), false, bid); !s.ok()) return s;
        if (bid.referral_id() != stored.id()) {
          return platform::InvalidField("bid_id", "must be a bid of the referral");
        }
        AwardBasis basis = AwardBasis::kTopRanked;
        switch (request->basis()) {
          case v1::AWARD_BASIS_TOP_RANKED:
            break;
          case v1::AWARD_BASIS_PARENTAL_CHOICE:
            basis = AwardBasis::kParentalChoice;
            break;
          case v1::AWARD_BASIS_OFFICER_CHOICE:
            basis = AwardBasis::kOfficerChoice;
            break;
          default:
            return platform::InvalidField(
                "basis", "required: TOP_RANKED, PARENTAL_CHOICE or OFFICER_CHOICE");
        }
        if (stored.spec().system_id() != read.spec().system_id()) {
          return absl::AbortedError(absl::StrCat(
              "referral ", stored.id(), " changed while its approval threshold was asked; retry"));
        }
        if (absl::Status s = AwardBid(
                *referral, {bid.id(), basis, request->reason()}, CandidateOf(bid), threshold,
                call.caller.role == ApiRole::ROLE_COMMISSIONER, ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*referral, stored);
        stored.mutable_award()->set_establishment_id(bid.establishment_id());
        stored.mutable_award()->set_provider_id(bid.provider_id());
        if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
        if (stored.state() != v1::REFERRAL_STATE_AWARDED) return absl::OkStatus();
        return Settle(call, stored);
      });
}

grpc::Status ReferralService::DecideAwardApproval(grpc::ServerContext* context,
                                                  const v1::DecideAwardApprovalRequest* request,
                                                  v1::Referral* response) {
  return calls_.Change(
      context, "DecideAwardApproval", request->idempotency_key(), *request, *response,
      kCommissioners, [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response;
        absl::StatusOr<Referral> referral = LoadOwnReferral(call, request->referral_id(), stored);
        if (!referral.ok()) return referral.status();
        if (absl::Status s = DecideApproval(*referral, request->approve(), request->reason(),
                                            ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*referral, stored);
        if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
        if (stored.state() != v1::REFERRAL_STATE_AWARDED) return absl::OkStatus();
        return Settle(call, stored);
      });
}

grpc::Status ReferralService::GetBidFeedback(grpc::ServerContext* context,
                                             const v1::GetBidFeedbackRequest* request,
                                             v1::BidFeedback* response) {
  return calls_.Read(context, *request, kFeedbackReaders, [&](Call& call) -> absl::Status {
    v1::Bid bid;
    if (absl::Status s = LoadBid(call.tx, request->bid_id(), false, bid); !s.ok()) return s;
    v1::Referral stored;
    if (absl::Status s = LoadReferral(call.tx, bid.referral_id(), false, stored); !s.ok()) {
      return s;
    }
    if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
      if (bid.provider_id() != call.caller.organisation_id) {
        return absl::NotFoundError(absl::StrCat("bid ", bid.id(), ": not found"));
      }
    } else if (absl::Status s = RequireReader(call, stored); !s.ok()) {
      return s;
    }
    absl::StatusOr<Referral> referral = ToDomain(stored);
    if (!referral.ok()) return referral.status();
    v1::Evaluation evaluation;
    if (absl::Status s = LoadEvaluation(call.tx, stored.id(), evaluation); !s.ok()) return s;
    std::vector<Standing> standings;
    for (const sv1::ScoredBid& scored : evaluation.response().bids()) {
      standings.push_back(StandingOf(scored));
    }
    absl::StatusOr<Feedback> feedback = FeedbackFor(*referral, standings, bid.id());
    if (!feedback.ok()) return feedback.status();
    response->set_referral_id(stored.id());
    response->set_bid_id(bid.id());
    response->set_outcome(feedback->outcome == BidOutcome::kAwarded ? v1::BID_OUTCOME_AWARDED
                          : feedback->outcome == BidOutcome::kExcluded
                              ? v1::BID_OUTCOME_EXCLUDED
                              : v1::BID_OUTCOME_NOT_AWARDED);
    *response->mutable_weights() = stored.spec().weights();
    if (feedback->own_points) *response->mutable_own_points() = ToApiPoints(*feedback->own_points);
    if (feedback->winner_points) {
      *response->mutable_winner_points() = ToApiPoints(*feedback->winner_points);
    }
    response->set_own_rank(feedback->own_rank);
    response->set_compliant_bid_count(feedback->compliant_bid_count);
    for (const sv1::ScoredBid& scored : evaluation.response().bids()) {
      if (scored.bid_id() == bid.id())
        *response->mutable_exclusion_reasons() = scored.exclusion_reasons();
    }
    response->mutable_own_evaluated_weekly_price()->set_pence(
        feedback->own_evaluated_weekly_price_pence);
    response->set_own_distance_miles(feedback->own_distance_miles);
    return absl::OkStatus();
  });
}

}  // namespace dps::referral
