// Rounds of invitations: publication (a draft goes OPEN and every eligible establishment is
// invited), widening the radius and reopening after no suitable offer (each inviting only the
// newly eligible), and the deadline extended; and no suitable offer declared.
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/endings.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/placement.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

v1::Invitation InvitationOf(const v1::Referral& referral, const qv1::EligibleEstablishment& e,
                            int round, absl::Time now) {
  v1::Invitation invitation;
  invitation.set_id(platform::NewId("invitation"));
  invitation.set_referral_id(referral.id());
  invitation.set_round(round);
  invitation.set_establishment_id(e.establishment_id());
  invitation.set_provider_id(e.provider_id());
  invitation.set_membership_id(e.membership_id());
  invitation.set_distance_miles(e.distance_miles());
  invitation.set_state(v1::INVITATION_STATE_INVITED);
  *invitation.mutable_invited_at() = platform::ToTimestamp(now);
  return invitation;
}

absl::Status AnnouncePublished(Call& call, const v1::Referral& referral) {
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_referral_published();
  event.set_referral_id(referral.id());
  event.set_lot_id(referral.spec().lot_id());
  event.set_placing_authority_id(referral.placing_authority_id());
  event.set_kind(referral.spec().kind());
  event.set_children(referral.spec().children_size());
  event.set_postcode_district(referral.spec().location().postcode_district());
  for (const auto& need : referral.spec().needs()) event.add_need_codes(need.code());
  *event.mutable_weights() = referral.spec().weights();
  event.set_radius_miles(referral.spec().radius_miles());
  *event.mutable_response_deadline() = referral.spec().response_deadline();
  event.set_invited_count(referral.invited_count());
  return platform::Announce(call, kReferralStream, "referral.referral.published", "referral",
                            referral.id(), referral.spec().system_id(), std::move(envelope));
}

absl::Status AnnounceInvited(Call& call, const v1::Referral& referral,
                             const v1::Invitation& invitation) {
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_establishment_invited();
  event.set_invitation_id(invitation.id());
  event.set_referral_id(referral.id());
  event.set_lot_id(referral.spec().lot_id());
  event.set_establishment_id(invitation.establishment_id());
  event.set_provider_id(invitation.provider_id());
  event.set_round(invitation.round());
  event.set_distance_miles(invitation.distance_miles());
  *event.mutable_response_deadline() = referral.spec().response_deadline();
  return platform::Announce(call, kReferralStream, "referral.invitation.created", "invitation",
                            invitation.id(), referral.spec().system_id(), std::move(envelope));
}

// The establishments the round's facts found eligible that the referral has not invited yet
// (read under the change's lock), as invitations in the referral's current round.
absl::StatusOr<std::vector<v1::Invitation>> InviteNewlyEligible(Call& call, const RoundFacts& facts,
                                                                const v1::Referral& referral,
                                                                const Referral& domain) {
  absl::StatusOr<std::vector<v1::Invitation>> existing =
      InvitationsOf(call.tx, referral.id(), false);
  if (!existing.ok()) return existing.status();
  std::set<std::string> invited;
  for (const v1::Invitation& invitation : *existing) invited.insert(invitation.establishment_id());
  const int round = domain.rounds.empty() ? 1 : domain.rounds.back().number;
  std::vector<v1::Invitation> created;
  for (const qv1::EligibleEstablishment& e : facts.eligible) {
    if (invited.contains(e.establishment_id())) continue;
    created.push_back(InvitationOf(referral, e, round, call.now));
  }
  return created;
}

// The caller's own referral as it stands before a round (at `expected_version` when one is
// given), read without a lock into `facts`, with the instant the round is asked at.
absl::StatusOr<Referral> ReadRound(Call& call, const std::string& id, int64_t expected_version,
                                   RoundFacts& facts) {
  facts.as_of = call.now;
  return ReadOwnReferral(call, id, facts.asked, expected_version);
}

absl::Status StoreAndAnnounce(Call& call, const v1::Referral& referral,
                              const std::vector<v1::Invitation>& invitations) {
  for (const v1::Invitation& invitation : invitations) {
    if (absl::Status s = InsertInvitation(call.tx, invitation); !s.ok()) return s;
    if (absl::Status s = AnnounceInvited(call, referral, invitation); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// After a widening or a reopening: the referral saved with its new round, and the round's
// invitations numbered, stored, announced and returned.
absl::Status FinishRound(Call& call, const Referral& referral,
                         std::vector<v1::Invitation>& invitations, v1::Referral& stored,
                         v1::PublishReferralResponse& response) {
  stored.set_invited_count(stored.invited_count() + static_cast<int>(invitations.size()));
  ApplyToApi(referral, stored);
  if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
  for (v1::Invitation& invitation : invitations) {
    invitation.set_round(referral.rounds.back().number);
    *response.add_new_invitations() = invitation;
  }
  return StoreAndAnnounce(call, stored, invitations);
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
        // Those who did not answer last time may answer in this round; declines stand.
        absl::StatusOr<std::vector<v1::Invitation>> earlier =
            InvitationsOf(call.tx, stored.id(), true);
        if (!earlier.ok()) return earlier.status();
        for (v1::Invitation& stored_invitation : *earlier) {
          absl::StatusOr<Invitation> invitation = ToDomain(stored_invitation);
          if (!invitation.ok()) return invitation.status();
          if (invitation->state != InvitationState::kNoResponse) continue;
          ReopenUnanswered(*invitation);
          ApplyToApi(*invitation, stored_invitation);
          if (absl::Status s = SaveInvitation(call.tx, stored_invitation); !s.ok()) return s;
        }
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
