// EstablishmentRepository in PostgreSQL (migrations 0001, 0003 and 0006), within the caller's
// transaction. An establishment is kept as JSON in `doc`, today in the API's encoding
// (convert/convert.h), beside the columns the eligibility query reads (type, place, ages,
// genders, places, specialisms, placement types), which every write keeps in step with it, and
// which the register's trigger copies to the invitable members in the same transaction.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_PG_ESTABLISHMENT_REPOSITORY_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_PG_ESTABLISHMENT_REPOSITORY_H_

#include <pqxx/pqxx>
#include <string>

#include "services/qualification/storage/establishment_repository.h"

namespace dps::qualification {

class PgEstablishmentRepository final : public EstablishmentRepository {
 public:
  explicit PgEstablishmentRepository(pqxx::work& tx) : tx_(tx) {}

  absl::Status Insert(const Establishment& establishment) override;
  absl::StatusOr<Establishment> Load(const std::string& id) override;
  absl::StatusOr<Establishment> LoadForUpdate(const std::string& id) override;
  absl::Status Save(Establishment& establishment) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_PG_ESTABLISHMENT_REPOSITORY_H_
