// Changing a membership through the domain and announcing it: shared by the membership handlers,
// the rating import, alerts, audits and the evidence-expiry timer, so each change is saved and
// announced the same way whoever causes it. Memberships are still kept as the API's records, so
// the use cases that change them in the domain's terms (audits, evidence, ratings, score
// adjustments) reach them through their own narrow interfaces, implemented here over those
// records: RecordedMemberships and RecordedAdjustmentStore.
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
#include "services/qualification/app/score_adjustment.h"
#include "services/qualification/domain/membership.h"

namespace dps::qualification {

// Applies `change` to the domain view of `record` (which the caller loaded FOR UPDATE). When it
// reports a change, writes the record (and any new score entries) back. Returns whether it
// changed.
using MembershipChangeFn = std::function<absl::StatusOr<bool>(Membership&)>;
absl::StatusOr<bool> ChangeMembership(Call& call, v1::Membership& record,
                                      const MembershipChangeFn& change);

// The domain view of the lot `membership` belongs to, holding the criteria it asks now.
absl::StatusOr<Lot> LotOfMembership(Call& call, const v1::Membership& membership);

// Makes the membership rest on the evidence that `application`'s answers to `criteria` cite for
// its establishment, so the evidence-expiry timer suspends it when that evidence runs out. The
// evidence it rested on for those criteria before no longer holds it up (a reinstatement's new
// certificate replaces the expired one).
absl::Status RestOnEvidence(Call& call, const v1::Application& application,
                            const v1::Membership& membership,
                            const std::vector<std::string>& criteria);

// The events of a membership's new state: suspended (with what must be resubmitted),
// reinstated or excluded; and of its new prices, accepted from a price resubmission.
// Sets the ids every membership event carries: membership, lot, establishment, provider.
template <typename Event>
void NameMembership(const v1::Membership& membership, Event& event) {
  event.set_membership_id(membership.id());
  event.set_lot_id(membership.lot_id());
  event.set_establishment_id(membership.establishment_id());
  event.set_provider_id(membership.provider_id());
}

absl::Status AnnounceSuspended(Call& call, const v1::Membership& membership);
absl::Status AnnounceReinstated(Call& call, const v1::Membership& membership,
                                const std::string& reason);
absl::Status AnnounceExcluded(Call& call, const v1::Membership& membership,
                              const std::string& reason);
absl::Status AnnouncePricesChanged(Call& call, const v1::Membership& membership,
                                   const std::string& application_id,
                                   const dps::common::v1::Money& ceiling_fee_before);

// Loads a membership (locked) for a change by the lead authority of its system (a DPS service
// acts for every system): PermissionDenied for anyone else.
absl::Status LoadMembershipForLead(Call& call, const std::string& id, v1::Membership& membership);

// The register as a score adjustment needs it (app/score_adjustment.h), over the call's
// transaction.
class RecordedAdjustmentStore final : public ScoreAdjustmentStore {
 public:
  explicit RecordedAdjustmentStore(Call& call) : call_(call) {}

  absl::StatusOr<v1::Membership> LoadMembershipForLead(const std::string& id) override;
  absl::StatusOr<v1::PurchasingSystem> LoadSystem(const std::string& id) override;
  absl::Status ChangeMembership(v1::Membership& membership,
                                const std::function<absl::Status(Membership&)>& change) override;
  absl::Status SaveAndAnnounce(const v1::ScoreAdjustment& adjustment,
                               const v1::Membership& membership) override;

 private:
  Call& call_;
};

// What an audit (app/audits.h), expired evidence (app/evidence.h) and an inspection rating
// (app/inspection_ratings.h) do to memberships, on the membership records in the call's
// transaction.
class RecordedMemberships final : public AuditedMemberships,
                                  public EvidenceMemberships,
                                  public RatedMemberships {
 public:
  explicit RecordedMemberships(Call& call) : call_(call) {}

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
  // Applies `change` to each of the audited establishment's memberships not EXCLUDED; announces
  // a suspension when `suspends`.
  absl::Status ChangeEach(const Audit& audit, bool suspends, const MembershipChangeFn& change);

  Call& call_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_MEMBERSHIP_CHANGES_H_
