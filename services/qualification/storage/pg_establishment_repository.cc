#include "services/qualification/storage/pg_establishment_repository.h"

#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

absl::StatusOr<Establishment> LoadEstablishment(pqxx::work& tx, const std::string& id,
                                                bool for_update) {
  v1::Establishment stored;
  if (absl::Status s =
          platform::LoadDoc(tx, "establishments", "establishment", id, for_update, stored);
      !s.ok()) {
    return s;
  }
  return ToDomainEstablishment(stored);
}

}  // namespace

// The record and the columns the eligibility query reads are written together by records.h.
absl::Status PgEstablishmentRepository::Insert(const Establishment& establishment) {
  return InsertEstablishment(tx_, ToApiEstablishment(establishment));
}

absl::StatusOr<Establishment> PgEstablishmentRepository::Load(const std::string& id) {
  return LoadEstablishment(tx_, id, false);
}

absl::StatusOr<Establishment> PgEstablishmentRepository::LoadForUpdate(const std::string& id) {
  return LoadEstablishment(tx_, id, true);
}

absl::Status PgEstablishmentRepository::Save(Establishment& establishment) {
  v1::Establishment record = ToApiEstablishment(establishment);
  if (absl::Status s = SaveEstablishment(tx_, record); !s.ok()) return s;
  establishment.version = record.version();
  return absl::OkStatus();
}

}  // namespace dps::qualification
