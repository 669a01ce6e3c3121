#include "services/referral/api/access.h"

#include "absl/strings/str_cat.h"
#include "platform/pg/documents.h"
#include "services/referral/convert/convert.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

absl::Status Hidden(const v1::Referral& referral) {
  return absl::NotFoundError(absl::StrCat("referral ", referral.id(), ": not found"));
}

}  // namespace

absl::Status RequireAuthor(const platform::Call& call, const v1::Referral& referral) {
  if (call.caller.organisation_id == referral.placing_authority_id()) return absl::OkStatus();
  return Hidden(referral);
}

namespace {

absl::StatusOr<Referral> LoadOwn(platform::Call& call, const std::string& id, bool for_update,
                                 v1::Referral& referral, int64_t expected_version) {
  if (absl::Status s = LoadReferral(call.tx, id, for_update, referral); !s.ok()) return s;
  if (absl::Status s = RequireAuthor(call, referral); !s.ok()) return s;
  if (absl::Status s = platform::CheckVersion("referral", expected_version, referral.version());
      !s.ok()) {
    return s;
  }
  return ToDomain(referral);
}

}  // namespace

absl::StatusOr<Referral> LoadOwnReferral(platform::Call& call, const std::string& id,
                                         v1::Referral& referral, int64_t expected_version) {
  return LoadOwn(call, id, true, referral, expected_version);
}

absl::StatusOr<Referral> ReadOwnReferral(platform::Call& call, const std::string& id,
                                         v1::Referral& referral, int64_t expected_version) {
  return LoadOwn(call, id, false, referral, expected_version);
}

absl::Status RequireReader(platform::Call& call, const v1::Referral& referral) {
  if (IsPeerService(call.caller)) return absl::OkStatus();
  if (IsAuthor(call.caller)) return RequireAuthor(call, referral);
  if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
    absl::StatusOr<bool> invited =
        ProviderInvited(call.tx, referral.id(), call.caller.organisation_id);
    if (!invited.ok()) return invited.status();
    return *invited ? absl::OkStatus() : Hidden(referral);
  }
  absl::StatusOr<std::string> lead = LeadAuthorityOf(call.tx, referral.id());
  if (!lead.ok()) return lead.status();
  return call.caller.organisation_id == *lead ? absl::OkStatus() : Hidden(referral);
}

absl::Status LoadOwnInvitation(platform::Call& call, const std::string& invitation_id,
                               v1::Invitation& invitation, v1::Referral& referral) {
  if (absl::Status s = LoadInvitation(call.tx, invitation_id, false, invitation); !s.ok()) return s;
  if (invitation.provider_id() != call.caller.organisation_id) {
    return absl::NotFoundError(absl::StrCat("invitation ", invitation_id, ": not found"));
  }
  if (absl::Status s = LoadReferral(call.tx, invitation.referral_id(), true, referral); !s.ok()) {
    return s;
  }
  return LoadInvitation(call.tx, invitation_id, true, invitation);
}

void HideFromProvider(v1::Referral& referral) {
  referral.clear_award();
  // How many competitors bid or declined, and which officers acted, are not a provider's to know.
  referral.clear_bid_count();
  referral.clear_declined_count();
  referral.clear_outcome_evaluator_user_ids();
  for (dps::common::v1::HistoryEntry& entry : *referral.mutable_history()) entry.clear_actor();
}

}  // namespace dps::referral
