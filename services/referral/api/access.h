// Who may touch which referral, beyond the role an RPC allows (proto/README.md, "Caller identity").
// Placing officers and commissioners act for their own authority's referrals; lead-authority admins
// and auditors for every referral of a system their authority leads; provider users for referrals
// one of their establishments was invited to. A referral outside the caller's reach is NOT_FOUND,
// since its existence is itself something to keep.
#ifndef DPS_SERVICES_REFERRAL_API_ACCESS_H_
#define DPS_SERVICES_REFERRAL_API_ACCESS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/grpc/calls.h"
#include "services/referral/app/callers.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;
using ApiRole = dps::common::v1::Role;

inline constexpr auto kAuthors = {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER};
inline constexpr auto kOversight = {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
                                    ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR};
inline constexpr auto kProviders = {ApiRole::ROLE_PROVIDER_USER};

// The referral's own authority.
absl::Status RequireAuthor(const platform::Call& call, const v1::Referral& referral);

// The caller's authority's own referral, locked for a change, and at `expected_version` when one
// is given (ABORTED otherwise), stored into `referral` and returned as the domain reads it.
// Another authority's referral is NOT_FOUND.
absl::StatusOr<Referral> LoadOwnReferral(platform::Call& call, const std::string& id,
                                         v1::Referral& referral, int64_t expected_version = 0);
// The same, read without a lock: what a change reads before it asks another service
// (platform/grpc/calls.h, Prepare), re-checked once the change holds the lock.
absl::StatusOr<Referral> ReadOwnReferral(platform::Call& call, const std::string& id,
                                         v1::Referral& referral, int64_t expected_version = 0);

// The referral's authority, or the lead authority of its system (admins, auditors), or a provider
// with an establishment invited to it, or a DPS service.
absl::Status RequireReader(platform::Call& call, const v1::Referral& referral);

// Loads the caller's own invitation and its referral, both locked for a change: the referral
// first, as every change locks them, so two changes never wait on each other. Another provider's
// invitation is NOT_FOUND.
absl::Status LoadOwnInvitation(platform::Call& call, const std::string& invitation_id,
                               v1::Invitation& invitation, v1::Referral& referral);

// What a provider is shown of a referral: no award, no counts of competitors' answers, no
// actors in its history.
void HideFromProvider(v1::Referral& referral);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_API_ACCESS_H_
