// Who may touch which record, beyond the role an RPC allows (proto/README.md, "Caller identity").
// Lead-authority admins, evaluators and auditors act for the systems whose lead authority is
// their organisation; placing officers and commissioners for the systems their authority takes
// part in; provider users for their own provider. A record outside the caller's scope is
// PERMISSION_DENIED, except where saying it exists would itself reveal something (NOT_FOUND).
#ifndef DPS_SERVICES_QUALIFICATION_APP_ACCESS_H_
#define DPS_SERVICES_QUALIFICATION_APP_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/auth/identity.h"
#include "platform/errors/errors.h"
#include "services/qualification/domain/purchasing_system.h"

namespace dps::qualification {

// Every role: for records any authenticated caller may read (systems, lots, criteria, providers,
// establishments, memberships).
inline constexpr auto kAnyRole = {dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN,
                                  dps::common::v1::ROLE_EVALUATOR,
                                  dps::common::v1::ROLE_PLACING_OFFICER,
                                  dps::common::v1::ROLE_COMMISSIONER,
                                  dps::common::v1::ROLE_PROVIDER_USER,
                                  dps::common::v1::ROLE_AUDITOR,
                                  dps::common::v1::ROLE_SERVICE};

inline bool IsLeadOf(const platform::CallerIdentity& caller,
                     const dps::qualification::v1::PurchasingSystem& system) {
  return caller.organisation_id == system.lead_authority_id();
}

inline bool TakesPartIn(const platform::CallerIdentity& caller,
                        const dps::qualification::v1::PurchasingSystem& system) {
  if (IsLeadOf(caller, system)) return true;
  for (const auto& authority : system.authorities()) {
    if (authority.authority_id() == caller.organisation_id) return true;
  }
  return false;
}

// The caller's organisation leads the system (for LA, EV and AU roles).
inline absl::Status RequireLeadOf(const platform::CallerIdentity& caller,
                                  const dps::qualification::v1::PurchasingSystem& system) {
  if (IsLeadOf(caller, system)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "organisation ", caller.organisation_id, " does not lead purchasing system ", system.id()));
}

// The same, of the domain's system.
inline absl::Status RequireLeadOf(const platform::CallerIdentity& caller,
                                  const PurchasingSystem& system) {
  if (caller.organisation_id == system.lead_authority) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("organisation ", caller.organisation_id,
                                                  " does not lead purchasing system ", system.id));
}

// Lead-authority staff act for the systems their organisation leads.
inline bool IsLeadStaff(const platform::CallerIdentity& caller) {
  return caller.role == dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN ||
         caller.role == dps::common::v1::ROLE_EVALUATOR ||
         caller.role == dps::common::v1::ROLE_AUDITOR;
}

// Authority staff may read what concerns a system: lead staff the systems they lead, placing
// officers and commissioners the systems their authority takes part in. Services read all.
inline absl::Status RequireAuthorityOf(const platform::CallerIdentity& caller,
                                       const dps::qualification::v1::PurchasingSystem& system) {
  if (caller.role == dps::common::v1::ROLE_SERVICE) return absl::OkStatus();
  if (IsLeadStaff(caller)) return RequireLeadOf(caller, system);
  if (TakesPartIn(caller, system)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("organisation ", caller.organisation_id,
                                                  " does not take part in purchasing system ",
                                                  system.id()));
}

// The same, of the domain's system.
inline absl::Status RequireAuthorityOf(const platform::CallerIdentity& caller,
                                       const PurchasingSystem& system) {
  if (caller.role == dps::common::v1::ROLE_SERVICE) return absl::OkStatus();
  if (IsLeadStaff(caller)) return RequireLeadOf(caller, system);
  if (IsParticipatingAuthority(system, caller.organisation_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("organisation ", caller.organisation_id,
                                                  " does not take part in purchasing system ",
                                                  system.id));
}

// An evaluator reads only the applications it is assigned to; every other caller passes.
inline bool AssignedOrNotEvaluator(const platform::CallerIdentity& caller,
                                   const dps::qualification::v1::Application& application) {
  if (caller.role != dps::common::v1::ROLE_EVALUATOR) return true;
  for (const auto& assignment : application.evaluators()) {
    if (assignment.evaluator_user_id() == caller.user_id) return true;
  }
  return false;
}

// Evaluators judge quality blind to price: the commercial submissions are not shown to them.
inline void HideFromEvaluator(const platform::CallerIdentity& caller,
                              dps::qualification::v1::Application& application) {
  if (caller.role == dps::common::v1::ROLE_EVALUATOR) application.clear_commercial();
}

// Services act for everyone; provider users for their own provider only. A provider not named
// (`field` empty) is a bad request, not someone else's provider.
inline absl::Status RequireProvider(const platform::CallerIdentity& caller,
                                    const std::string& provider_id,
                                    absl::string_view field = "provider_id") {
  if (provider_id.empty()) return platform::InvalidField(field, "required");
  if (caller.role == dps::common::v1::ROLE_SERVICE) return absl::OkStatus();
  if (caller.role == dps::common::v1::ROLE_PROVIDER_USER && caller.organisation_id == provider_id) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat("organisation ", caller.organisation_id,
                                                  " does not act for provider ", provider_id));
}

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_ACCESS_H_
