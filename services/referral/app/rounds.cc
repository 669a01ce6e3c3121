#include "services/referral/app/rounds.h"

#include <set>
#include <utility>

#include "platform/pg/documents.h"
#include "platform/proto/proto_time.h"
#include "services/referral/app/events.h"
#include "services/referral/convert/convert.h"
#include "services/referral/storage/records.h"

namespace dps::referral {

using platform::Call;

namespace {

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
}  // namespace

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

absl::Status ReopenUnansweredInvitations(pqxx::work& tx, const std::string& referral_id) {
  absl::StatusOr<std::vector<v1::Invitation>> earlier = InvitationsOf(tx, referral_id, true);
  if (!earlier.ok()) return earlier.status();
  for (v1::Invitation& stored : *earlier) {
    absl::StatusOr<Invitation> invitation = ToDomain(stored);
    if (!invitation.ok()) return invitation.status();
    if (invitation->state != InvitationState::kNoResponse) continue;
    ReopenUnanswered(*invitation);
    ApplyToApi(*invitation, stored);
    if (absl::Status s = SaveInvitation(tx, stored); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace dps::referral
