#include "services/referral/app/endings.h"

#include <vector>

#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/storage/records.h"

namespace dps::referral {

absl::Status EndBidsWithoutAward(pqxx::work& tx, const std::string& referral_id) {
  absl::StatusOr<std::vector<v1::Bid>> bids = StandingBidsOf(tx, referral_id);
  if (!bids.ok()) return bids.status();
  for (v1::Bid& bid : *bids) {
    const v1::BidState after = ToApiState(StateWithoutAward(ToDomainState(bid.state())));
    if (after == bid.state()) continue;
    bid.set_state(after);
    if (absl::Status s = SaveBid(tx, bid); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CancelUnanswered(pqxx::work& tx, const std::string& referral_id) {
  absl::StatusOr<std::vector<v1::Invitation>> invitations = InvitationsOf(tx, referral_id, true);
  if (!invitations.ok()) return invitations.status();
  for (v1::Invitation& stored : *invitations) {
    absl::StatusOr<Invitation> invitation = ToDomain(stored);
    if (!invitation.ok()) return invitation.status();
    const InvitationState before = invitation->state;
    EndUnanswered(*invitation, /*referral_withdrawn=*/true);
    if (invitation->state == before) continue;
    ApplyToApi(*invitation, stored);
    if (absl::Status s = SaveInvitation(tx, stored); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace dps::referral
