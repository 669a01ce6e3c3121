// A provider's evidence (a certificate, a registration) for a criterion: added by the provider,
// renewing what it replaces before that runs out, and expired by the server once its last valid
// day has passed, suspending the memberships resting on it (docs/rules.md section 4, "Keeping the
// list clean"; domain/evidence.h). Each use case works on the repository, the register's reads,
// the memberships and the events given to it, in one transaction.
#ifndef DPS_SERVICES_QUALIFICATION_APP_EVIDENCE_H_
#define DPS_SERVICES_QUALIFICATION_APP_EVIDENCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/auth/identity.h"
#include "services/qualification/app/announce.h"
#include "services/qualification/domain/evidence.h"
#include "services/qualification/storage/evidence_repository.h"
#include "services/qualification/storage/register_reads.h"

namespace dps::qualification {

// What expiring evidence does to the memberships resting on it, each change saved and announced:
// implemented over the membership repository by RecordedMemberships (app/membership_changes.h),
// and by a fake in the pure tests.
class EvidenceMemberships {
 public:
  virtual ~EvidenceMemberships() = default;

  // Each membership resting on `evidence` and not EXCLUDED suspended at `at` by `actor` for
  // `reason`, naming the criterion it rests on the evidence for as the item to resubmit; each
  // suspension announced. Their ids, in the order suspended.
  virtual absl::StatusOr<std::vector<std::string>> SuspendRestingOn(const Evidence& evidence,
                                                                    const std::string& reason,
                                                                    absl::Time at,
                                                                    const std::string& actor) = 0;
};

class EvidenceUseCases {
 public:
  EvidenceUseCases(EvidenceRepository& evidence, RegisterReads& register_reads,
                   EvidenceMemberships& memberships, QualificationEvents& events)
      : evidence_(evidence),
        register_(register_reads),
        memberships_(memberships),
        events_(events) {}

  // The piece added by `caller` at `now`, and the provider's earlier pieces it renews superseded
  // (the memberships resting on them now rest on it), so a provider that renews in time is never
  // suspended ("tell us once"). In order: PermissionDenied unless the caller acts for the
  // provider; the domain's CheckEvidenceDocument; NotFound for an unknown criterion; the
  // criterion's CheckEvidenceExpiry; NotFound for an unknown establishment, InvalidArgument
  // "establishment_id: belongs to another provider".
  absl::StatusOr<Evidence> Add(const EvidenceToAdd& add, const platform::CallerIdentity& caller,
                               absl::Time now);

  // Up to `limit` pieces in force whose last valid day is before `now`'s UTC day: each EXPIRED,
  // the memberships resting on it suspended by `actor`, and the expiry announced
  // ("qualification.evidence.expired", naming those memberships). How many expired; fewer than
  // `limit` when no more are due.
  absl::StatusOr<int> ExpireDue(absl::Time now, int limit, const std::string& actor);

  // Whether `caller` may list `provider_id`'s evidence, and how: a provider user its own; the
  // lead authority's staff the evidence a system they lead rests on, so the system is named
  // (InvalidArgument "system_id: required for authority staff") and theirs (PermissionDenied,
  // NotFound for an unknown one); a DPS service any. InvalidArgument "provider_id: required".
  struct ListScope {
    // Evidence in force is reported EXPIRING this many days before it runs out: the named
    // system's warning period, else the default.
    int warning_days = kDefaultExpiryWarningDays;
  };
  absl::StatusOr<ListScope> ScopeOfList(const std::string& provider_id,
                                        const std::string& system_id,
                                        const platform::CallerIdentity& caller);

 private:
  EvidenceRepository& evidence_;
  RegisterReads& register_;
  EvidenceMemberships& memberships_;
  QualificationEvents& events_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_EVIDENCE_H_
