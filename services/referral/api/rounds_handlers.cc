// Rounds of invitations: publication (a draft goes OPEN and every eligible establishment is
// invited), widening the radius and reopening after no suitable offer (each inviting only the
// newly eligible), and the deadline extended; and no suitable offer declared.
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/endings.h"
#include "services/referral/app/placement.h"
#include "services/referral/app/rounds.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

// The caller's own referral as it stands before a round (at `expected_version` when one is
// given), read without a lock into `facts`, with the instant the round is asked at.
absl::StatusOr<Referral> ReadRound(Call& call, const std::string& id, int64_t expected_version,
                                   RoundFacts& facts) {
  facts.as_of = call.now;
  return ReadOwnReferral(call, id, facts.asked, expected_version);
}

}  // namespace

grpc::Status ReferralService::PublishReferral(grpc::ServerContext* context,
                                              const v1::PublishReferralRequest* request,
                                              v1::PublishReferralResponse* response) {
  RoundFacts facts;
  const platform::CallRunner::Prepare prepare{
      .read = [&](Call& call) -> absl::Status {
        absl::StatusOr<Referral> draft =
            ReadRound(call, request->id(), request->expected_version(), facts);
        if (!draft.ok()) return draft.status();
        if (draft->state != ReferralState::kDraft) {
          return platform::Forbidden("referral", absl::StrCat("cannot publish a referral that is ",
                                                              ReferralStateName(draft->state)));
        }
        return absl::OkStatus();
      },
      .ask =
          [&](const platform::CallerIdentity& caller, const std::string& request_id) {
            absl::StatusOr<Referral> draft = ToDomain(facts.asked);
            if (!draft.ok()) return draft.status();
            // Checked before asking who is eligible, so a bad spec costs no search.
            return AskRound(qualification_, caller, request_id, facts,
                            [&](const RoundRules& round) {
                              return CheckPublishable(draft->spec, round.rules, facts.as_of);
                            });
          }};
  return calls_.Change(context, "PublishReferral", request->idempotency_key(), *request, *response,
                       kAuthors, prepare, [&](Call& call) -> absl::Status {
                         v1::Referral& stored = *response->mutable_referral();
                         absl::StatusOr<Referral> referral = LoadOwnReferral(
                             call, request->id(), stored, request->expected_version());
                         if (!referral.ok()) return referral.status();
                         if (absl::Status s = CheckRoundStands(facts, stored); !s.ok()) return s;
                         absl::StatusOr<std::vector<v1::Invitation>> invitations =
                             InviteNewlyEligible(call, facts, stored, *referral);
                         if (!invitations.ok()) return invitations.status();
                         if (absl::Status s = Publish(*referral, facts.round.rules,
                                                      static_cast<int>(invitations->size()),
                                                      ActorFrom(call.caller), call.now);
                             !s.ok()) {
                           return s;
                         }
                         *stored.mutable_terms() = facts.round.terms;
                         stored.set_invited_count(static_cast<int>(invitations->size()));
                         ApplyToApi(*referral, stored);
                         if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
                         if (absl::Status s = AnnouncePublished(call, stored); !s.ok()) return s;
                         for (v1::Invitation& invitation : *invitations) {
                           invitation.set_referral_id(stored.id());
                           *response->add_new_invitations() = invitation;
                         }
                         return StoreAndAnnounce(call, stored, *invitations);
                       });
}

grpc::Status ReferralService::ExtendResponseDeadline(
    grpc::ServerContext* context, const v1::ExtendResponseDeadlineRequest* request,
    v1::Referral* response) {
  return calls_.Change(context, "ExtendResponseDeadline", request->idempotency_key(), *request,
                       *response, kAuthors, [&](Call& call) -> absl::Status {
                         v1::Referral& stored = *response;
                         absl::StatusOr<Referral> referral =
                             LoadOwnReferral(call, request->id(), stored);
                         if (!referral.ok()) return referral.status();
                         if (!request->has_response_deadline()) {
                           return platform::InvalidField("response_deadline", "required");
                         }
                         if (absl::Status s = ExtendDeadline(
                                 *referral, platform::FromTimestamp(request->response_deadline()),
                                 request->reason(), ActorFrom(call.caller), call.now);
                             !s.ok()) {
                           return s;
                         }
                         ApplyToApi(*referral, stored);
                         return SaveReferral(call.tx, stored);
                       });
}

grpc::Status ReferralService::WidenRadius(grpc::ServerContext* context,
                                          const v1::WidenRadiusRequest* request,
                                          v1::PublishReferralResponse* response) {
  // Who the wider radius reaches is asked first; the domain then records the round.
  RoundFacts facts;
  const platform::CallRunner::Prepare prepare{
      .read = [&](Call& call) -> absl::Status {
        if (absl::Status s = ReadRound(call, request->id(), 0, facts).status(); !s.ok()) return s;
        facts.asked.mutable_spec()->set_radius_miles(request->radius_miles());
        return absl::OkStatus();
      },
      .ask =
          [&](const platform::CallerIdentity& caller, const std::string& request_id) {
            return AskRound(qualification_, caller, request_id, facts);
          }};
  return calls_.Change(
      context, "WidenRadius", request->idempotency_key(), *request, *response, kAuthors, prepare,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response->mutable_referral();
        absl::StatusOr<Referral> referral = LoadOwnReferral(call, request->id(), stored);
        if (!referral.ok()) return referral.status();
        if (absl::Status s = CheckRoundStands(facts, stored); !s.ok()) return s;
        Referral wider = *referral;
        wider.spec.radius_miles = request->radius_miles();
        if (!wider.rounds.empty()) wider.rounds.back().radius_miles = request->radius_miles();
        absl::StatusOr<std::vector<v1::Invitation>> invitations =
            InviteNewlyEligible(call, facts, stored, wider);
        if (!invitations.ok()) return invitations.status();
        const std::optional<absl::Time> deadline =
            request->has_response_deadline()
                ? std::optional<absl::Time>(platform::FromTimestamp(request->response_deadline()))
                : std::nullopt;
        if (absl::Status s = dps::referral::WidenRadius(
                *referral, request->radius_miles(), deadline, facts.round.rules,
                static_cast<int>(invitations->size()), ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        return FinishRound(call, *referral, *invitations, stored, *response);
      });
}

grpc::Status ReferralService::DeclareNoSuitableOffer(
    grpc::ServerContext* context, const v1::DeclareNoSuitableOfferRequest* request,
    v1::Referral* response) {
  return calls_.Change(
      context, "DeclareNoSuitableOffer", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response;
        absl::StatusOr<Referral> referral = LoadOwnReferral(call, request->id(), stored);
        if (!referral.ok()) return referral.status();
        if (absl::Status s = dps::referral::DeclareNoSuitableOffer(
                *referral, request->reason(), ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*referral, stored);
        if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
        if (absl::Status s = EndBidsWithoutAward(call.tx, stored.id()); !s.ok()) return s;
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_referral_no_suitable_offer();
        event.set_referral_id(stored.id());
        event.set_lot_id(stored.spec().lot_id());
        event.set_placing_authority_id(stored.placing_authority_id());
        event.set_round(stored.rounds_size());
        event.set_radius_miles(stored.spec().radius_miles());
        event.set_postcode_district(stored.spec().location().postcode_district());
        for (const auto& need : stored.spec().needs()) event.add_need_codes(need.code());
        event.set_invited(stored.invited_count());
        event.set_bids(stored.bid_count());
        event.set_reason(request->reason());
        return platform::Announce(call, kReferralStream, "referral.referral.no_suitable_offer",
                                  "referral", stored.id(), stored.spec().system_id(),
                                  std::move(envelope));
      });
}

grpc::Status ReferralService::ReopenReferral(grpc::ServerContext* context,
                                             const v1::ReopenReferralRequest* request,
                                             v1::PublishReferralResponse* response) {
  // Who the new round reaches is asked at its radius and filters; the domain checks them.
  RoundFacts facts;
  const platform::CallRunner::Prepare prepare{
      .read = [&](Call& call) -> absl::Status {
        if (absl::Status s = ReadRound(call, request->id(), 0, facts).status(); !s.ok()) return s;
        if (!request->has_response_deadline()) {
          return platform::InvalidField("response_deadline", "required");
        }
        if (request->has_filters()) {
          *facts.asked.mutable_spec()->mutable_filters() = request->filters();
          // Filters the domain cannot read cost no search.
          if (absl::Status s = ToDomain(facts.asked).status(); !s.ok()) return s;
        }
        facts.asked.mutable_spec()->set_radius_miles(request->radius_miles());
        return absl::OkStatus();
      },
      .ask =
          [&](const platform::CallerIdentity& caller, const std::string& request_id) {
            return AskRound(qualification_, caller, request_id, facts);
          }};
  return calls_.Change(
      context, "ReopenReferral", request->idempotency_key(), *request, *response, kAuthors, prepare,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response->mutable_referral();
        absl::StatusOr<Referral> referral = LoadOwnReferral(call, request->id(), stored);
        if (!referral.ok()) return referral.status();
        if (absl::Status s = CheckRoundStands(facts, stored); !s.ok()) return s;
        const double previous_radius = referral->radius_miles();
        std::optional<Filters> filters;
        if (request->has_filters()) {
          v1::Referral relaxed = stored;
          *relaxed.mutable_spec()->mutable_filters() = request->filters();
          absl::StatusOr<Referral> with_filters = ToDomain(relaxed);
          if (!with_filters.ok()) return with_filters.status();
          filters = with_filters->spec.filters;
        }
        Referral wider = *referral;
        wider.spec.radius_miles = request->radius_miles();
        wider.rounds.clear();
        absl::StatusOr<std::vector<v1::Invitation>> invitations =
            InviteNewlyEligible(call, facts, stored, wider);
        if (!invitations.ok()) return invitations.status();
        if (absl::Status s = Reopen(*referral, request->radius_miles(),
                                    platform::FromTimestamp(request->response_deadline()), filters,
                                    facts.round.rules, static_cast<int>(invitations->size()),
                                    ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = ReopenUnansweredInvitations(call.tx, stored.id()); !s.ok()) return s;
        if (absl::Status s = FinishRound(call, *referral, *invitations, stored, *response);
            !s.ok()) {
          return s;
        }
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_referral_reopened();
        event.set_referral_id(stored.id());
        event.set_round(referral->rounds.back().number);
        event.set_previous_radius_miles(previous_radius);
        event.set_radius_miles(request->radius_miles());
        *event.mutable_response_deadline() = request->response_deadline();
        event.set_newly_invited(static_cast<int>(invitations->size()));
        return platform::Announce(call, kReferralStream, "referral.referral.reopened", "referral",
                                  stored.id(), stored.spec().system_id(), std::move(envelope));
      });
}

}  // namespace dps::referral
