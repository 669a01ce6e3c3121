// Where establishments are kept, in the domain's own terms (domain/establishment.h): the use
// cases (app/establishments.h) read and write them through EstablishmentRepository. The
// PostgreSQL implementation is pg_establishment_repository.h; storage/testing has it in memory
// for the use cases' pure tests. (The list of establishments, and what the eligibility query and
// the rating import read of them, are queries: lists.h, eligibility_repository.h, records.h.)
//
// Errors: NotFound "establishment <id>: not found"; database failures as platform/pg/pool.h
// describes (an insert's id is new: NewId).
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_ESTABLISHMENT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_ESTABLISHMENT_REPOSITORY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/qualification/domain/establishment.h"

namespace dps::qualification {

class EstablishmentRepository {
 public:
  virtual ~EstablishmentRepository() = default;

  virtual absl::Status Insert(const Establishment& establishment) = 0;
  // The establishment to read, unlocked.
  virtual absl::StatusOr<Establishment> Load(const std::string& id) = 0;
  // The establishment, its row locked until the transaction ends.
  virtual absl::StatusOr<Establishment> LoadForUpdate(const std::string& id) = 0;
  // Writes the establishment over the stored one at the next version, which it sets.
  virtual absl::Status Save(Establishment& establishment) = 0;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_ESTABLISHMENT_REPOSITORY_H_
