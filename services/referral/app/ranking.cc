#include "services/referral/app/ranking.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/log/log.h"
#include "platform/proto/proto_time.h"
#include "platform/work/unit_of_work.h"
#include "services/referral/app/closing.h"
#include "services/referral/app/evaluation_request.h"
#include "services/referral/clients/eligibility_query.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/evaluation.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/rankings_due.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

namespace sv1 = ::dps::scoring::v1;
using platform::Call;

// Rankings settled by one timer tick at most; the rest wait for the next.
constexpr int kBatch = 500;

// Who the ranking's events name as their actor: the service, not whoever's change asked for it.
platform::CallerIdentity RankerIdentity() {
  return {.user_id = "ranking", .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
}

// What a ranking is computed from, as it stood at one generation of its request.
struct RankingInput {
  int64_t generation = 0;
  v1::Referral referral;
  std::vector<v1::Bid> bids;
  std::map<std::string, std::vector<OutcomeScore>> scores;
};

absl::StatusOr<std::optional<RankingInput>> ReadInput(pqxx::work& tx,
                                                      const std::string& referral_id) {
  absl::StatusOr<std::optional<RankingDue>> due = LoadRankingDue(tx, referral_id, false);
  if (!due.ok()) return due.status();
  if (!due->has_value()) return std::optional<RankingInput>();
  RankingInput input{.generation = (*due)->generation};
  if (absl::Status s = LoadReferral(tx, referral_id, false, input.referral); !s.ok()) return s;
  if (input.referral.state() != v1::REFERRAL_STATE_CLOSED) return std::optional(std::move(input));
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(tx, referral_id);
  if (!bids.ok()) return bids.status();
  input.bids = *std::move(bids);
  absl::StatusOr<std::map<std::string, std::vector<OutcomeScore>>> scores =
      OutcomeScoresOf(tx, referral_id);
  if (!scores.ok()) return scores.status();
  input.scores = *std::move(scores);
  return std::optional(std::move(input));
}

// The register's answer at close, then the engine's ranking; no connection is held meanwhile.
absl::StatusOr<v1::Evaluation> Ask(const QualificationClient& qualification,
                                   const ScoringClient& scoring, const std::string& request_id,
                                   const RankingInput& input, absl::Time now) {
  const v1::Referral& referral = input.referral;
  absl::StatusOr<std::vector<qv1::EligibleEstablishment>> eligible = qualification.Eligible(
      request_id, EligibilityQueryFor(referral, referral.spec().radius_miles(),
                                      platform::FromTimestamp(referral.closed_at())));
  if (!eligible.ok()) return eligible.status();
  std::map<std::string, qv1::EligibleEstablishment> at_close;
  for (qv1::EligibleEstablishment& e : *eligible) at_close[e.establishment_id()] = std::move(e);

  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  std::map<std::string, std::vector<int>> for_engine;
  for (const auto& [bid_id, bid_scores] : input.scores) {
    for_engine[bid_id] = OutcomeScoresForRanking(bid_scores, *domain);
  }
  v1::Evaluation evaluation;
  evaluation.set_referral_id(referral.id());
  *evaluation.mutable_request() = BuildEvaluateRequest(referral, input.bids, at_close, for_engine);
  *evaluation.mutable_computed_at() = platform::ToTimestamp(now);
  absl::StatusOr<sv1::EvaluateResponse> response =
      scoring.Evaluate(request_id, evaluation.request());
  if (!response.ok()) return response.status();
  *evaluation.mutable_response() = *std::move(response);
  return evaluation;
}

// Writes the engine's answer: each standing bid COMPLIANT or EXCLUDED, the evaluation, and the
// referral moved on once the ranking is final. The bids are read again under the referral's
// lock; they cannot change after close, so one the engine was not asked about is a defect.
absl::Status ApplyRanking(Call& call, v1::Referral& referral, const v1::Evaluation& evaluation) {
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(call.tx, referral.id());
  if (!bids.ok()) return bids.status();
  const sv1::EvaluateResponse& response = evaluation.response();
  std::map<std::string, const sv1::ScoredBid*> scored;
  for (const sv1::ScoredBid& s : response.bids()) scored[s.bid_id()] = &s;
  for (v1::Bid& bid : *bids) {
    auto found = scored.find(bid.id());
    if (found == scored.end()) return absl::InternalError("the engine left out bid " + bid.id());
    absl::StatusOr<BidState> ranked =
        StateAtRanking(ToDomainState(bid.state()), found->second->compliant());
    if (!ranked.ok()) return ranked.status();
    bid.set_state(ToApiState(*ranked));
    *bid.mutable_evaluation() = *found->second;
    if (absl::Status s = SaveBid(call.tx, bid); !s.ok()) return s;
  }
  if (absl::Status s = SaveEvaluation(call.tx, evaluation); !s.ok()) return s;
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  const RankingResult ranking{
      response.ranking_status() == sv1::RANKING_STATUS_FINAL,
      response.parental_choice_required(),
      {response.parental_choice_bid_ids().begin(), response.parental_choice_bid_ids().end()}};
  if (absl::Status s = RecordRanking(*domain, ranking, call.now); !s.ok()) return s;
  ApplyToApi(*domain, referral);
  return SaveReferral(call.tx, referral);
}

// The engine (or the register) refused the request itself: the referral stays CLOSED saying why.
absl::Status ApplyRefusal(Call& call, v1::Referral& referral, const absl::Status& refusal) {
  platform::Log(platform::LogLevel::kWarning, "the bids of a closed referral could not be ranked",
                {{"referral_id", referral.id()}, {"error", refusal.ToString()}});
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  if (absl::Status s = RecordRankingRefused(*domain, refusal.message(), call.now); !s.ok()) {
    return s;
  }
  ApplyToApi(*domain, referral);
  return SaveReferral(call.tx, referral);
}

absl::Status AnnounceClosed(Call& call, const v1::Referral& referral,
                            dps::events::v1::ReferralClosed closed, int compliant_bids) {
  dps::events::v1::EventEnvelope envelope;
  closed.set_compliant_bids(compliant_bids);
  closed.set_ranking_refused_reason(referral.ranking_refused_reason());
  *envelope.mutable_referral_closed() = std::move(closed);
  return platform::Announce(call, kReferralStream, "referral.referral.closed", "referral",
                            referral.id(), referral.spec().system_id(), std::move(envelope));
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

absl::StatusOr<bool> Ranker::Settle(const std::string& request_id,
                                    const std::string& referral_id) const {
  std::optional<RankingInput> input;
  if (absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
        absl::StatusOr<std::optional<RankingInput>> read = ReadInput(tx, referral_id);
        if (!read.ok()) return read.status();
        input = *std::move(read);
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  if (!input.has_value()) return false;
  // Absent when the referral has left CLOSED: settled with nothing to rank.
  std::optional<absl::StatusOr<v1::Evaluation>> answer;
  if (input->referral.state() == v1::REFERRAL_STATE_CLOSED) {
    answer = Ask(qualification_, scoring_, request_id, *input, clock_.Now());
    // An outage (UNAVAILABLE, a deadline) leaves the ranking due, to be tried again; a refusal of
    // the request itself would come back the same for ever, so it settles the ranking.
    if (!answer->ok() && RankingMayYetSucceed(answer->status().code())) return answer->status();
  }

  bool settled = false;
  const platform::CallerIdentity ranker = RankerIdentity();
  absl::Status applied = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    settled = false;
    v1::Referral referral;
    if (absl::Status s = LoadReferral(tx, referral_id, true, referral); !s.ok()) return s;
    absl::StatusOr<std::optional<RankingDue>> due = LoadRankingDue(tx, referral_id, true);
    if (!due.ok()) return due.status();
    // Settled elsewhere, or asked for again since the input was read: the newer request decides.
    if (!due->has_value() || (*due)->generation != input->generation) return absl::OkStatus();
    if ((referral.state() == v1::REFERRAL_STATE_CLOSED) != answer.has_value()) {
      return absl::AbortedError("the referral's state changed while its bids were ranked");
    }
    if (absl::Status s = DropRankingDue(tx, referral_id); !s.ok()) return s;
    Call call{.tx = tx, .caller = ranker, .request_id = request_id, .now = clock_.Now()};
    bool ranked = false;
    if (answer.has_value() && answer->ok()) {
      if (absl::Status s = ApplyRanking(call, referral, **answer); !s.ok()) return s;
      ranked = true;
    } else if (answer.has_value()) {
      if (absl::Status s = ApplyRefusal(call, referral, answer->status()); !s.ok()) return s;
    }
    if ((*due)->closed_event.has_value()) {
      const int compliant = ranked ? (**answer).response().compliant_bid_count() : 0;
      if (absl::Status s = AnnounceClosed(call, referral, *(*due)->closed_event, compliant);
          !s.ok()) {
        return s;
      }
    }
    if (ranked && referral.state() != v1::REFERRAL_STATE_CLOSED) {
      if (absl::Status s = AnnounceRanking(call, referral, (**answer).response()); !s.ok()) {
        return s;
      }
    }
    settled = true;
    return absl::OkStatus();
  });
  if (!applied.ok()) return applied;
  return settled;
}

Ranker::Tally Ranker::SettleAllDue() const {
  std::vector<std::string> due;
  Tally tally;
  if (absl::Status s = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
        absl::StatusOr<std::vector<std::string>> ids = RankingsDue(tx, kBatch);
        if (!ids.ok()) return ids.status();
        due = *std::move(ids);
        return absl::OkStatus();
      });
      !s.ok()) {
    platform::Log(platform::LogLevel::kError, "rankings due could not be listed",
                  {{"error", s.ToString()}});
    ++tally.failed;
    return tally;
  }
  for (const std::string& id : due) {
    absl::StatusOr<bool> settled = Settle("", id);
    if (!settled.ok()) {
      ++tally.failed;
      platform::Log(platform::LogLevel::kError, "a referral's bids could not be ranked now",
                    {{"referral_id", id}, {"error", settled.status().ToString()}});
      continue;
    }
    if (*settled) ++tally.settled;
  }
  return tally;
}

}  // namespace dps::referral
