#include "services/referral/api/closer.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/grpc/client.h"
#include "platform/grpc/proto_time.h"
#include "platform/grpc/status.h"
#include "platform/log/log.h"
#include "services/referral/api/convert.h"
#include "services/referral/api/eligibility_query.h"
#include "services/referral/api/evaluation_request.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/evaluation.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;
namespace sv1 = ::dps::scoring::v1;

constexpr absl::Duration kScoringTimeout = absl::Seconds(10);

absl::string_view CauseText(dps::events::v1::CloseCause cause) {
  return cause == dps::events::v1::CLOSE_CAUSE_ALL_ANSWERED ? "every invitee answered"
                                                            : "response deadline";
}

absl::Status AnnounceRanking(Call& call, const v1::Referral& referral,
                             const sv1::EvaluateResponse& response) {
  dps::events::v1::EventEnvelope envelope;
  if (referral.state() == v1::REFERRAL_STATE_EVALUATED) {
    auto& event = *envelope.mutable_referral_evaluated();
    event.set_referral_id(referral.id());
    event.set_compliant_bids(response.compliant_bid_count());
    event.set_excluded_bids(response.excluded_bid_count());
    if (response.compliant_bid_count() > 0) {
      event.set_top_bid_id(response.bids(0).bid_id());
      event.set_top_total(response.bids(0).scores().total());
    }
    event.set_parental_choice_required(response.parental_choice_required());
    return platform::Announce(call, kReferralStream, "referral.referral.evaluated", "referral",
                              referral.id(), referral.spec().system_id(), std::move(envelope));
  }
  auto& event = *envelope.mutable_referral_awaiting_parental_choice();
  event.set_referral_id(referral.id());
  for (const std::string& id : response.parental_choice_bid_ids()) event.add_shortlist_bid_ids(id);
  return platform::Announce(call, kReferralStream, "referral.referral.awaiting_parental_choice",
                            "referral", referral.id(), referral.spec().system_id(),
                            std::move(envelope));
}

}  // namespace

absl::Status Closer::Close(Call& call, v1::Referral& referral,
                           dps::events::v1::CloseCause cause) const {
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  if (absl::Status s = dps::referral::Close(*domain, CauseText(cause), call.now); !s.ok()) return s;
  ApplyToApi(*domain, referral);
  absl::StatusOr<std::vector<v1::Invitation>> invitations =
      InvitationsOf(call.tx, referral.id(), true);
  if (!invitations.ok()) return invitations.status();
  int declines = 0, no_response = 0;
  for (v1::Invitation& stored : *invitations) {
    absl::StatusOr<Invitation> invitation = ToDomain(stored);
    if (!invitation.ok()) return invitation.status();
    const InvitationState before = invitation->state;
    EndUnanswered(*invitation, /*referral_withdrawn=*/false);
    if (invitation->state == InvitationState::kDeclined) ++declines;
    if (invitation->state == InvitationState::kNoResponse) ++no_response;
    if (invitation->state == before) continue;
    ApplyToApi(*invitation, stored);
    if (absl::Status s = SaveInvitation(call.tx, stored); !s.ok()) return s;
  }
  if (absl::Status s = SaveReferral(call.tx, referral); !s.ok()) return s;
  // An outage (UNAVAILABLE, a deadline) fails the close, so it is tried again. A refusal of the
  // request itself (INVALID_ARGUMENT or FAILED_PRECONDITION from the engine) would fail the same
  // way for ever, the timer retrying it every tick with the bids sealed: the ranking's writes are
  // undone, and the referral stays CLOSED saying why, in its record and in the closed event.
  call.tx.exec0("SAVEPOINT rank_at_close");
  absl::StatusOr<int> compliant = Rank(call, referral);
  if (!compliant.ok() && !RankingMayYetSucceed(compliant.status().code())) {
    call.tx.exec0("ROLLBACK TO SAVEPOINT rank_at_close");
    platform::Log(platform::LogLevel::kWarning, "the bids of a closed referral could not be ranked",
                  {{"referral_id", referral.id()}, {"error", compliant.status().ToString()}});
    absl::StatusOr<Referral> closed = ToDomain(referral);
    if (!closed.ok()) return closed.status();
    if (absl::Status s = RecordRankingRefused(*closed, compliant.status().message(), call.now);
        !s.ok()) {
      return s;
    }
    ApplyToApi(*closed, referral);
    if (absl::Status s = SaveReferral(call.tx, referral); !s.ok()) return s;
    compliant = 0;
  }
  if (!compliant.ok()) return compliant.status();
  call.tx.exec0("RELEASE SAVEPOINT rank_at_close");

  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_referral_closed();
  event.set_referral_id(referral.id());
  event.set_cause(cause);
  event.set_invited(referral.invited_count());
  event.set_bids(referral.bid_count());
  event.set_declines(declines);
  event.set_no_response(no_response);
  event.set_compliant_bids(*compliant);
  event.set_ranking_refused_reason(referral.ranking_refused_reason());
  return platform::Announce(call, kReferralStream, "referral.referral.closed", "referral",
                            referral.id(), referral.spec().system_id(), std::move(envelope));
}

absl::StatusOr<int> Closer::Rank(Call& call, v1::Referral& referral) const {
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(call.tx, referral.id());
  if (!bids.ok()) return bids.status();
  // The register's answer at close: who is still eligible, with their position, fee and score.
  absl::StatusOr<std::vector<qv1::EligibleEstablishment>> eligible = qualification_.Eligible(
      call.request_id, EligibilityQueryFor(referral, referral.spec().radius_miles(),
                                           platform::FromTimestamp(referral.closed_at())));
  if (!eligible.ok()) return eligible.status();
  std::map<std::string, qv1::EligibleEstablishment> at_close;
  for (qv1::EligibleEstablishment& e : *eligible) at_close[e.establishment_id()] = std::move(e);

  absl::StatusOr<Referral> before = ToDomain(referral);
  if (!before.ok()) return before.status();
  absl::StatusOr<std::map<std::string, std::vector<OutcomeScore>>> scores =
      OutcomeScoresOf(call.tx, referral.id());
  if (!scores.ok()) return scores.status();
  std::map<std::string, std::vector<int>> for_engine;
  for (const auto& [bid_id, bid_scores] : *scores) {
    for_engine[bid_id] = OutcomeScoresForRanking(bid_scores, *before);
  }

  v1::Evaluation evaluation;
  evaluation.set_referral_id(referral.id());
  *evaluation.mutable_request() = BuildEvaluateRequest(referral, *bids, at_close, for_engine);
  *evaluation.mutable_computed_at() = platform::ToTimestamp(call.now);
  {
    grpc::ClientContext context;
    platform::PrepareServiceCall(call.request_id, kScoringTimeout, tokens_, &context);
    grpc::Status status =
        scoring_->Evaluate(&context, evaluation.request(), evaluation.mutable_response());
    if (!status.ok()) {
      const absl::Status cause = platform::FromGrpcStatus(status);
      return absl::Status(cause.code(), absl::StrCat("scoring service: ", cause.message()));
    }
  }
  const sv1::EvaluateResponse& response = evaluation.response();
  std::map<std::string, const sv1::ScoredBid*> scored;
  for (const sv1::ScoredBid& s : response.bids()) scored[s.bid_id()] = &s;
  for (v1::Bid& bid : *bids) {
    auto found = scored.find(bid.id());
    if (found == scored.end()) return absl::InternalError("the engine left out bid " + bid.id());
    bid.set_state(found->second->compliant() ? v1::BID_STATE_COMPLIANT : v1::BID_STATE_EXCLUDED);
    *bid.mutable_evaluation() = *found->second;
    if (absl::Status s = SaveBid(call.tx, bid); !s.ok()) return s;
  }
  if (absl::Status s = SaveEvaluation(call.tx, evaluation); !s.ok()) return s;

  Referral& domain = *before;
  const RankingResult ranking{
      response.ranking_status() == sv1::RANKING_STATUS_FINAL,
      response.parental_choice_required(),
      {response.parental_choice_bid_ids().begin(), response.parental_choice_bid_ids().end()}};
  if (absl::Status s = RecordRanking(domain, ranking, call.now); !s.ok()) return s;
  ApplyToApi(domain, referral);
  if (absl::Status s = SaveReferral(call.tx, referral); !s.ok()) return s;
  if (referral.state() != v1::REFERRAL_STATE_CLOSED) {
    if (absl::Status s = AnnounceRanking(call, referral, response); !s.ok()) return s;
  }
  return response.compliant_bid_count();
}

}  // namespace dps::referral
