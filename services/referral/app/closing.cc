#include "services/referral/app/closing.h"

#include <vector>

#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/rankings_due.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

absl::string_view CauseText(dps::events::v1::CloseCause cause) {
  return cause == dps::events::v1::CLOSE_CAUSE_ALL_ANSWERED ? "every invitee answered"
                                                            : "response deadline";
}

}  // namespace

absl::Status CloseReferral(platform::Call& call, v1::Referral& referral,
                           dps::events::v1::CloseCause cause) {
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  if (absl::Status s = Close(*domain, CauseText(cause), call.now); !s.ok()) return s;
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

  dps::events::v1::ReferralClosed closed;
  closed.set_referral_id(referral.id());
  closed.set_cause(cause);
  closed.set_invited(referral.invited_count());
  closed.set_bids(referral.bid_count());
  closed.set_declines(declines);
  closed.set_no_response(no_response);
  return RequestRanking(call.tx, referral.id(), call.now, closed);
}

absl::StatusOr<bool> CloseIfAllAnswered(platform::Call& call, v1::Referral& referral) {
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  absl::StatusOr<std::vector<InvitationStanding>> standings = StandingsOf(call.tx, referral.id());
  if (!standings.ok()) return standings.status();
  std::vector<InvitationAnswer> answers;
  for (const InvitationStanding& standing : *standings) {
    answers.push_back(AnswerOf(Invitation{.state = ToDomainInvitationState(standing.state),
                                          .suspended = standing.suspended}));
  }
  if (!ShouldClose(*domain, answers, call.now)) return false;
  if (absl::Status s = CloseReferral(call, referral, dps::events::v1::CLOSE_CAUSE_ALL_ANSWERED);
      !s.ok()) {
    return s;
  }
  return true;
}

}  // namespace dps::referral
