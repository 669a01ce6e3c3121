// The lead authority's own changes to the memberships of its system (docs/rules.md section 4,
// "Keeping the list clean"): suspending an establishment's memberships, reinstating one, and
// excluding one for good, each saved and announced. The rules are the domain's
// (domain/membership.h); these load through the membership repository and the register's reads,
// check the caller leads the system (a DPS service acts for every system), and save, in one
// transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIPS_H_
#define DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIPS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "services/qualification/app/announce.h"
#include "services/qualification/domain/alert.h"
#include "services/qualification/domain/membership.h"
#include "services/qualification/storage/membership_repository.h"
#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

// Sets the ids every membership event carries: membership, lot, establishment, provider.
template <typename Event>
void NameMembership(const Membership& membership, Event& event) {
  event.set_membership_id(membership.id);
  event.set_lot_id(membership.lot_code);
  event.set_establishment_id(membership.establishment_id);
  event.set_provider_id(membership.provider_id);
}

// The events of a membership's new state: suspended (with what must be resubmitted),
// reinstated or excluded; and of its new prices, accepted from a price resubmission at `at`.
absl::Status AnnounceSuspended(QualificationEvents& events, const Membership& membership);
absl::Status AnnounceReinstated(QualificationEvents& events, const Membership& membership,
                                const std::string& reason);
absl::Status AnnounceExcluded(QualificationEvents& events, const Membership& membership,
                              const std::string& reason);
absl::Status AnnouncePricesChanged(QualificationEvents& events, const Membership& membership,
                                   const std::string& application_id,
                                   int64_t ceiling_fee_before_pence, absl::Time at);

// The membership rests, for each of `criteria`, on the evidence `application`'s answers to it
// cite for `establishment_id` (or for the provider as a whole), and no longer on what it rested
// on for them before: the evidence-expiry timer suspends it when that evidence runs out. Used
// when a membership is admitted, and when it is reinstated on new answers.
absl::Status RestOnCited(MembershipRepository& memberships, const ApplicationOutcome& application,
                         const std::string& membership_id, const std::string& establishment_id,
                         const std::vector<std::string>& criteria);

// A suspension of an establishment's memberships of one system.
struct EstablishmentSuspension {
  std::string system_id;
  std::string establishment_id;
  std::vector<std::string> lot_ids;  // empty: every lot the establishment is a member of
  SuspensionCause cause = SuspensionCause::kLeadDecision;
  std::vector<std::string> items;  // what must be resubmitted; unused for an alert
  std::string detail;
  // The safeguarding alert suspended for (cause kSafeguardingAlert): the domain's
  // SuspendForAlert decides whether it may, and names it as the item.
  std::optional<Alert> alert;
};

class MembershipUseCases {
 public:
  MembershipUseCases(MembershipRepository& memberships, RegisterReads& register_reads,
                     QualificationEvents& events)
      : memberships_(memberships), register_(register_reads), events_(events) {}

  // Each of the establishment's memberships of the system (of `lot_ids`, or all) not EXCLUDED,
  // suspended and announced, by id. NotFound for an unknown system; PermissionDenied unless the
  // caller leads it; InvalidArgument naming lot_ids[i] for a lot the establishment is not a
  // member of; FailedPrecondition when none can be suspended; then the domain's rules.
  absl::StatusOr<std::vector<Membership>> Suspend(const EstablishmentSuspension& suspension,
                                                  const platform::CallerIdentity& caller,
                                                  absl::Time now);

  // The membership reinstated, once every failed item passed again: those the application
  // `application_id` (none when empty) passed for its establishment after they failed, and those
  // the lead lifts itself (its own concerns, and criteria its lot no longer asks). The membership
  // then rests on the evidence the application's answers cite for them. InvalidArgument
  // "reason: required"; NotFound or PermissionDenied as Exclude; NotFound for an unknown
  // application, InvalidArgument naming application_id for one not decided or of another
  // system; then the domain's Reinstate.
  absl::StatusOr<Membership> Reinstate(const std::string& membership_id, const std::string& reason,
                                       const std::string& application_id,
                                       const platform::CallerIdentity& caller, absl::Time now);

  // The membership, to those who may read it: a provider its own (NotFound for another's: its
  // prices are commercially confidential), authority staff those of the systems they act for
  // (RequireAuthorityOf: PermissionDenied otherwise), a DPS service any.
  absl::StatusOr<Membership> Read(const std::string& id, const platform::CallerIdentity& caller);

  // Whether `caller` may change the memberships of the system: NotFound for an unknown system;
  // PermissionDenied unless the caller leads it (a DPS service acts for every system). Each
  // change checks it; a handler asks first when it has more to look up before the change.
  absl::Status MayChangeMembershipsOf(const std::string& system_id,
                                      const platform::CallerIdentity& caller);

  // The membership EXCLUDED, for good. NotFound for an unknown membership; PermissionDenied
  // unless the caller leads its system; then the domain's Exclude.
  absl::StatusOr<Membership> Exclude(const std::string& membership_id, const std::string& reason,
                                     const platform::CallerIdentity& caller, absl::Time now);

 private:
  // The membership, locked, for a change by the lead of its system.
  absl::StatusOr<Membership> LoadForLead(const std::string& id,
                                         const platform::CallerIdentity& caller);
  MembershipRepository& memberships_;
  RegisterReads& register_;
  QualificationEvents& events_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIPS_H_
