// Where providers' evidence is kept, in the domain's own terms (domain/evidence.h): the use cases
// (app/evidence.h) read and write it through EvidenceRepository and never see SQL or the API's
// messages. The PostgreSQL implementation is pg_evidence_repository.h; storage/testing has it in
// memory for the use cases' pure tests. (The list of a provider's evidence, with the state each
// piece is reported in, is a query: ListEvidencePage in records.h.)
//
// Evidence has no version: once added it changes only by being superseded by a renewal or
// expired by the timer, each holding its row's lock.
//
// Errors: NotFound "evidence <id>: not found"; AlreadyExists when an insert repeats an id;
// database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_EVIDENCE_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_EVIDENCE_REPOSITORY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/qualification/domain/evidence.h"

namespace dps::qualification {

class EvidenceRepository {
 public:
  virtual ~EvidenceRepository() = default;

  virtual absl::Status Insert(const Evidence& evidence) = 0;
  // The evidence, its row locked until the transaction ends.
  virtual absl::StatusOr<Evidence> LoadForUpdate(const std::string& id) = 0;
  // Writes the evidence over the stored one (its state is what changes).
  virtual absl::Status Save(const Evidence& evidence) = 0;
  // The provider's other evidence in force for the same criterion and establishment (or the
  // provider as a whole) as `evidence`, by id, locked: what it may renew.
  virtual absl::StatusOr<std::vector<Evidence>> OthersInForce(const Evidence& evidence) = 0;
  // Each of `renewed` SUPERSEDED, and the memberships resting on it resting on `renewal_id`.
  virtual absl::Status Supersede(const std::vector<std::string>& renewed,
                                 const std::string& renewal_id) = 0;
  // Ids of evidence in force whose last valid day is before `today`, earliest first, at most
  // `limit`, each row locked; rows another transaction holds are skipped, not waited for (the
  // expiry timer on several replicas).
  virtual absl::StatusOr<std::vector<std::string>> ExpiredBy(absl::CivilDay today, int limit) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_EVIDENCE_REPOSITORY_H_
