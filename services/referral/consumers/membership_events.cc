#include "services/referral/consumers/membership_events.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/pg/documents.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

// Applies `change` (docs/rules.md section 5) to the establishment's invitations to OPEN referrals
// of the lot, and to the flags of its standing bids there.
absl::Status MarkSuspended(pqxx::work& tx, const std::string& lot_id,
                           const std::string& establishment_id, MembershipChange change,
                           absl::string_view detail) {
  absl::StatusOr<std::vector<std::string>> open = OpenInvitationsOf(tx, lot_id, establishment_id);
  if (!open.ok()) return open.status();
  for (const std::string& id : *open) {
    v1::Invitation invitation;
    if (absl::Status s = LoadInvitation(tx, id, true, invitation); !s.ok()) {
      return s;
    }
    absl::StatusOr<Invitation> domain = ToDomain(invitation);
    if (!domain.ok()) return domain.status();
    const std::optional<SuspensionFlag> flag = ApplyMembershipChange(*domain, change, detail);
    if (!flag.has_value()) continue;
    ApplyToApi(*domain, invitation);
    if (absl::Status s = SaveInvitation(tx, invitation); !s.ok()) return s;
    if (invitation.bid_id().empty()) continue;
    v1::Bid bid;
    if (absl::Status s = LoadBid(tx, invitation.bid_id(), true, bid); !s.ok()) return s;
    bid.set_flagged_suspended(flag->flagged);
    bid.set_flag_detail(flag->detail);
    if (absl::Status s = SaveBid(tx, bid); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyMembershipEvent(pqxx::work& tx, const platform::StreamEvent& event) {
  dps::events::v1::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.event_id, " (", event.type, "): payload does not parse"));
  }
  switch (envelope.payload_case()) {
    case dps::events::v1::EventEnvelope::kMembershipSuspended: {
      const auto& suspended = envelope.membership_suspended();
      return MarkSuspended(tx, suspended.lot_id(), suspended.establishment_id(),
                           MembershipChange::kSuspended, suspended.detail());
    }
    case dps::events::v1::EventEnvelope::kMembershipExcluded: {
      const auto& excluded = envelope.membership_excluded();
      return MarkSuspended(tx, excluded.lot_id(), excluded.establishment_id(),
                           MembershipChange::kExcluded, "");
    }
    case dps::events::v1::EventEnvelope::kMembershipReinstated: {
      const auto& reinstated = envelope.membership_reinstated();
      return MarkSuspended(tx, reinstated.lot_id(), reinstated.establishment_id(),
                           MembershipChange::kReinstated, "");
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace dps::referral
