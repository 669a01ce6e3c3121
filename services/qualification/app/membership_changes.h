// What other use cases do to memberships, over the membership repository
// (storage/membership_repository.h) in the call's transaction: audits, expired evidence and
// inspection ratings through their narrow interfaces (RecordedMemberships), a score adjustment
// through its store (RecordedAdjustmentStore). Each change is saved and
// announced as the lead authority's own changes are (app/memberships.h).
#ifndef DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIP_CHANGES_H_
#define DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIP_CHANGES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/qualification/app/announce.h"
#include "services/qualification/app/audits.h"
#include "services/qualification/app/evidence.h"
#include "services/qualification/app/inspection_ratings.h"
#include "services/qualification/app/memberships.h"
#include "services/qualification/app/score_adjustment.h"
#include "services/qualification/domain/membership.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/pg_register_reads.h"

namespace dps::qualification {

// Changes a membership: true when it changed.
using MembershipChangeFn = std::function<absl::StatusOr<bool>(Membership&)>;

// The register as a score adjustment needs it (app/score_adjustment.h), over the call's
// transaction.
class RecordedAdjustmentStore final : public ScoreAdjustmentStore {
 public:
  explicit RecordedAdjustmentStore(Call& call)
      : call_(call),
        memberships_(call.tx),
        register_reads_(call.tx),
        events_(QualificationOutbox(call)) {}

  absl::StatusOr<Membership> LoadMembershipForLead(const std::string& id) override;
  absl::StatusOr<v1::PurchasingSystem> LoadSystem(const std::string& id) override;
  absl::Status SaveMembership(Membership& membership) override;
  absl::Status SaveAndAnnounce(const v1::ScoreAdjustment& adjustment,
                               const Membership& membership) override;

 private:
  Call& call_;
  PgMembershipRepository memberships_;
  PgRegisterReads register_reads_;
  platform::OutboxEvents events_;
  // Who may change a membership, as the lead's own changes ask it.
  MembershipUseCases use_cases_{memberships_, register_reads_, events_};
};

// What an audit (app/audits.h), expired evidence (app/evidence.h) and an inspection rating
// (app/inspection_ratings.h) do to memberships, as the register keeps them
// (storage/membership_repository.h) in the call's transaction, each change announced.
class RecordedMemberships final : public AuditedMemberships,
                                  public EvidenceMemberships,
                                  public RatedMemberships {
 public:
  explicit RecordedMemberships(Call& call)
      : call_(call), memberships_(call.tx), events_(QualificationOutbox(call)) {}

  absl::StatusOr<int> CountNotExcluded(const std::string& system_id,
                                       const std::string& establishment_id) override;
  absl::Status RecordPassed(const Audit& audit) override;
  absl::Status SuspendForFailure(const Audit& audit,
                                 const std::vector<std::string>& failed) override;
  absl::StatusOr<std::vector<std::string>> SuspendRestingOn(const Evidence& evidence,
                                                            const std::string& reason,
                                                            absl::Time at,
                                                            const std::string& actor) override;
  absl::StatusOr<bool> LeadsSystemWithMember(const std::string& establishment_id,
                                             const std::string& lead_authority) override;
  absl::StatusOr<int> SuspendForInadequate(const InspectionRating& rating,
                                           const std::string& lead_authority,
                                           const std::string& actor) override;

 private:
  // Applies `change` to `membership`; when it changed, saves it, and announces its suspension
  // when `suspends`.
  absl::Status ChangeAndSave(Membership& membership, bool suspends,
                             const MembershipChangeFn& change);
  // ChangeAndSave on each of the audited establishment's memberships not EXCLUDED.
  absl::Status ChangeEach(const Audit& audit, bool suspends, const MembershipChangeFn& change);

  Call& call_;
  PgMembershipRepository memberships_;
  platform::OutboxEvents events_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIP_CHANGES_H_
