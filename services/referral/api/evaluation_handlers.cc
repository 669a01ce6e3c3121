// After close: outcome evaluators assigned, their blind scoring of outcomes answers (each score
// re-ranks, and the last one makes the ranking final), and the evaluation as the engine made it.
#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/evaluation.h"
#include "services/referral/storage/rankings_due.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kEvaluators = {ApiRole::ROLE_EVALUATOR};

// Evaluators act for the lead authority of the referral's system.
absl::Status RequireSystemEvaluator(Call& call, const v1::Referral& referral) {
  absl::StatusOr<std::string> lead = LeadAuthorityOf(call.tx, referral.id());
  if (!lead.ok()) return lead.status();
  if (call.caller.organisation_id == *lead) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("referral ", referral.id(), ": not found"));
}

bool Assigned(const v1::Referral& referral, const std::string& user_id) {
  const auto& ids = referral.outcome_evaluator_user_ids();
  return std::find(ids.begin(), ids.end(), user_id) != ids.end();
}

// Whether every compliant bid now has its scores from every assigned evaluator, so the ranking
// asked for will be final (domain/evaluation.h).
absl::StatusOr<bool> AllCompliantBidsScored(
    Call& call, const Referral& referral,
    const std::map<std::string, std::vector<OutcomeScore>>& scores) {
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(call.tx, referral.id);
  if (!bids.ok()) return bids.status();
  for (const v1::Bid& bid : *bids) {
    if (bid.state() != v1::BID_STATE_COMPLIANT) continue;
    auto found = scores.find(bid.id());
    if (found == scores.end() || OutcomeScoresForRanking(found->second, referral).empty()) {
      return false;
    }
  }
  return true;
}

// One task per compliant bid of `referral`: the answer and the outcomes sought, never the
// provider or the price; the caller's own score when given.
absl::Status AddTasks(Call& call, const v1::Referral& referral, bool pending_only,
                      v1::ListOutcomeTasksResponse& response) {
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(call.tx, referral.id());
  if (!bids.ok()) return bids.status();
  absl::StatusOr<std::map<std::string, std::vector<OutcomeScore>>> scores =
      OutcomeScoresOf(call.tx, referral.id());
  if (!scores.ok()) return scores.status();
  for (const v1::Bid& bid : *bids) {
    if (bid.state() != v1::BID_STATE_COMPLIANT) continue;
    const OutcomeScore* own = nullptr;
    for (const OutcomeScore& score : (*scores)[bid.id()]) {
      if (score.evaluator_user_id == call.caller.user_id) own = &score;
    }
    if (pending_only && own != nullptr) continue;
    v1::OutcomeTask& task = *response.add_tasks();
    task.set_referral_id(referral.id());
    task.set_bid_id(bid.id());
    *task.mutable_outcomes_sought() = referral.spec().outcomes_sought();
    task.set_outcomes_answer(bid.content().outcomes_answer());
    task.set_scored(own != nullptr);
    if (own != nullptr) {
      task.set_score(own->score);
      task.set_comment(own->comment);
    }
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReferralService::AssignOutcomeEvaluators(
    grpc::ServerContext* context, const v1::AssignOutcomeEvaluatorsRequest* request,
    v1::Referral* response) {
  RankingAsked ranking;
  return SettleAfter(calls_.Change(context, "AssignOutcomeEvaluators", request->idempotency_key(),
                                   *request, *response, kAuthors,
                                   [&](Call& call) -> absl::Status {
                                     v1::Referral& stored = *response;
                                     absl::StatusOr<Referral> referral =
                                         LoadOwnReferral(call, request->referral_id(), stored);
                                     if (!referral.ok()) return referral.status();
                                     if (absl::Status s = dps::referral::AssignOutcomeEvaluators(
                                             *referral, {request->evaluator_user_ids().begin(),
                                                         request->evaluator_user_ids().end()});
                                         !s.ok()) {
                                       return s;
                                     }
                                     ApplyToApi(*referral, stored);
                                     if (absl::Status s = SaveReferral(call.tx, stored); !s.ok())
                                       return s;
                                     // A changed panel may complete (or no longer complete) a bid's
                                     // scores. A referral whose bids the engine refused to rank is
                                     // not asked again: its answer would not change.
                                     if (stored.state() != v1::REFERRAL_STATE_CLOSED ||
                                         !stored.ranking_refused_reason().empty()) {
                                       return absl::OkStatus();
                                     }
                                     if (absl::Status s = RequestRanking(call.tx, stored.id(),
                                                                         call.now, std::nullopt);
                                         !s.ok()) {
                                       return s;
                                     }
                                     ranking.Ask(call, stored.id());
                                     return absl::OkStatus();
                                   }),
                     ranking);
}

grpc::Status ReferralService::ListOutcomeTasks(grpc::ServerContext* context,
                                               const v1::ListOutcomeTasksRequest* request,
                                               v1::ListOutcomeTasksResponse* response) {
  return calls_.Read(context, *request, kEvaluators, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    std::vector<std::string> referral_ids;
    if (!request->referral_id().empty()) {
      referral_ids.push_back(request->referral_id());
    } else {
      // Every CLOSED referral the caller is assigned to.
      absl::StatusOr<std::vector<std::string>> assigned =
          ClosedReferralsScoredBy(call.tx, call.caller.organisation_id, call.caller.user_id);
      if (!assigned.ok()) return assigned.status();
      referral_ids = *std::move(assigned);
    }
    for (const std::string& id : referral_ids) {
      v1::Referral referral;
      if (absl::Status s = LoadReferral(call.tx, id, false, referral); !s.ok()) return s;
      if (absl::Status s = RequireSystemEvaluator(call, referral); !s.ok()) return s;
      if (!Assigned(referral, call.caller.user_id)) {
        return absl::PermissionDeniedError("evaluator: not assigned to this referral's outcomes");
      }
      if (referral.state() != v1::REFERRAL_STATE_CLOSED) continue;
      if (absl::Status s = AddTasks(call, referral, request->pending_only(), *response); !s.ok()) {
        return s;
      }
    }
    // An evaluator's tasks are few; they are paged by bid id after they are gathered.
    auto& tasks = *response->mutable_tasks();
    std::sort(tasks.begin(), tasks.end(), [](const v1::OutcomeTask& a, const v1::OutcomeTask& b) {
      return a.bid_id() < b.bid_id();
    });
    v1::ListOutcomeTasksResponse paged;
    for (v1::OutcomeTask& task : tasks) {
      if (task.bid_id() <= page->after_id) continue;
      if (page->Full(paged.tasks_size(), paged.ByteSizeLong())) {
        paged.mutable_page()->set_next_page_token(
            page->TokenAfter(paged.tasks(paged.tasks_size() - 1).bid_id()));
        break;
      }
      *paged.add_tasks() = std::move(task);
    }
    *response = std::move(paged);
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::ScoreOutcomeAnswer(grpc::ServerContext* context,
                                                 const v1::ScoreOutcomeAnswerRequest* request,
                                                 v1::OutcomeTask* response) {
  RankingAsked ranking;
  return SettleAfter(
      calls_.Change(
          context, "ScoreOutcomeAnswer", request->idempotency_key(), *request, *response,
          kEvaluators,
          [&](Call& call) -> absl::Status {
            v1::Referral stored;
            if (absl::Status s = LoadReferral(call.tx, request->referral_id(), true, stored);
                !s.ok()) {
              return s;
            }
            if (absl::Status s = RequireSystemEvaluator(call, stored); !s.ok()) return s;
            v1::Bid bid;
            if (absl::Status s = LoadBid(call.tx, request->bid_id(), true, bid); !s.ok()) return s;
            if (bid.referral_id() != stored.id() || bid.state() != v1::BID_STATE_COMPLIANT) {
              return platform::InvalidField("bid_id", "must be a compliant bid of the referral");
            }
            absl::StatusOr<Referral> referral = ToDomain(stored);
            if (!referral.ok()) return referral.status();
            absl::StatusOr<std::map<std::string, std::vector<OutcomeScore>>> scores =
                OutcomeScoresOf(call.tx, stored.id());
            if (!scores.ok()) return scores.status();
            std::vector<OutcomeScore>& bid_scores = (*scores)[bid.id()];
            if (absl::Status s = dps::referral::ScoreOutcomeAnswer(
                    bid_scores, *referral, call.caller.user_id, request->score(),
                    request->comment(), call.now);
                !s.ok()) {
              return s;
            }
            if (absl::Status s = SaveOutcomeScores(call.tx, stored.id(), bid.id(), bid_scores);
                !s.ok()) {
              return s;
            }
            if (absl::Status s = RequestRanking(call.tx, stored.id(), call.now, std::nullopt);
                !s.ok()) {
              return s;
            }
            ranking.Ask(call, stored.id());

            dps::events::v1::EventEnvelope envelope;
            auto& event = *envelope.mutable_outcome_scored();
            event.set_referral_id(stored.id());
            event.set_bid_id(bid.id());
            event.set_evaluator_user_id(call.caller.user_id);
            event.set_score(request->score());
            absl::StatusOr<bool> all_scored = AllCompliantBidsScored(call, *referral, *scores);
            if (!all_scored.ok()) return all_scored.status();
            event.set_all_scored(*all_scored);
            if (absl::Status s =
                    platform::Announce(call, kReferralStream, "referral.bid.outcome_scored", "bid",
                                       bid.id(), stored.spec().system_id(), std::move(envelope));
                !s.ok()) {
              return s;
            }
            response->set_referral_id(stored.id());
            response->set_bid_id(bid.id());
            *response->mutable_outcomes_sought() = stored.spec().outcomes_sought();
            response->set_outcomes_answer(bid.content().outcomes_answer());
            response->set_scored(true);
            response->set_score(request->score());
            response->set_comment(request->comment());
            return absl::OkStatus();
          }),
      ranking);
}

grpc::Status ReferralService::GetEvaluation(grpc::ServerContext* context,
                                            const v1::GetEvaluationRequest* request,
                                            v1::Evaluation* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    v1::Referral referral;
    if (absl::Status s = LoadReferral(call.tx, request->referral_id(), false, referral); !s.ok()) {
      return s;
    }
    if (absl::Status s = RequireReader(call, referral); !s.ok()) return s;
    return LoadEvaluation(call.tx, referral.id(), *response);
  });
}

}  // namespace dps::referral
