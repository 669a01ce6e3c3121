// Where memberships are kept, in the domain's own terms (domain/membership.h): the use cases read
// and write them through MembershipRepository and never see SQL or the API's messages. The
// PostgreSQL implementation is pg_membership_repository.h; storage/testing has it in memory for
// the use cases' pure tests. (Lists of memberships, with what is reported beside each, are
// queries: records.h.)
//
// Every load but Load locks what it returns until the transaction ends: a membership is loaded to
// be changed, and two changes of one membership are serialised by its row. Save raises the
// version.
//
// Errors: NotFound "membership <id>: not found"; AlreadyExists when an insert repeats an id, or an
// establishment's membership of a lot; database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_MEMBERSHIP_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_MEMBERSHIP_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/qualification/domain/membership.h"

namespace dps::qualification {

// A membership resting on a piece of evidence, for the criterion the evidence answered.
struct EvidenceLink {
  std::string membership_id;
  std::string criterion_id;
};

class MembershipRepository {
 public:
  virtual ~MembershipRepository() = default;

  // A new membership with its score history.
  virtual absl::Status Insert(const Membership& membership) = 0;
  // The membership to read, unlocked.
  virtual absl::StatusOr<Membership> Load(const std::string& id) = 0;
  virtual absl::StatusOr<Membership> LoadForUpdate(const std::string& id) = 0;
  // The establishment's membership of the lot, if it has one.
  virtual absl::StatusOr<std::optional<Membership>> OfEstablishmentInLot(
      const std::string& establishment_id, const std::string& lot_id) = 0;
  // Every membership of the establishment in the system, in any state, by id.
  virtual absl::StatusOr<std::vector<Membership>> OfEstablishmentInSystem(
      const std::string& system_id, const std::string& establishment_id) = 0;
  // Writes the membership over the stored one at the next version (which it sets), with the
  // entries of its score history newer than those stored.
  virtual absl::Status Save(Membership& membership) = 0;

  // The membership rests on `evidence_ids` for `criterion_id` from now on, and no longer on what
  // it rested on for that criterion before (a newer answer replaces it).
  virtual absl::Status RestOn(const std::string& membership_id, const std::string& criterion_id,
                              const std::vector<std::string>& evidence_ids) = 0;
  // The memberships resting on the evidence, by membership id.
  virtual absl::StatusOr<std::vector<EvidenceLink>> RestingOn(const std::string& evidence_id) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_MEMBERSHIP_REPOSITORY_H_
