// PublicationRepository and PublicationUnitOfWork on PostgreSQL (migrations/0003_publications.sql,
// the SQL of publication_sql.h). A publication is one row: the whole Publication as JSON in `doc`
// beside the columns its constraints and lookups need, and the package's bytes, whose SHA-256 the
// table checks.
//
//   PgPublicationUnitOfWork uow(pool);  // pool's search_path is the "contracts" schema
//   absl::Status s = uow.Run([&](PublicationTransaction& tx) { ... });
//
// The IPAs, the outbox and the request ledger of a transaction are PgIpaTransaction's over the same
// pqxx::work, so an event is written exactly as the IPA use cases write theirs.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PG_PUBLICATION_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PG_PUBLICATION_REPOSITORY_H_

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "platform/pg/pool.h"
#include "services/contracts/storage/pg_ipa_repository.h"
#include "services/contracts/storage/publication_repository.h"

namespace dps::contracts {

// Insert tells an id already taken ("publication <id>: already exists") from a quarter or notice
// already produced ("publication <id>: system-1 already has a QUARTERLY publication of 2027-Q2"),
// both AlreadyExists; a package whose SHA-256 is not publication.sha256 is Internal.
class PgPublicationRepository final : public PublicationRepository {
 public:
  explicit PgPublicationRepository(pqxx::work& tx) : tx_(tx) {}

  absl::StatusOr<StoredPublication> Load(const std::string& id) override;
  absl::StatusOr<StoredPublication> LoadForUpdate(const std::string& id) override;
  absl::StatusOr<int64_t> Insert(const Publication& publication,
                                 const std::string& package) override;
  absl::StatusOr<int64_t> Save(const Publication& publication, int64_t expected_version) override;
  absl::StatusOr<std::optional<StoredPublication>> FindQuarterly(const std::string& system_id,
                                                                 const Quarter& quarter) override;
  absl::StatusOr<std::optional<StoredPublication>> FindNotice(const std::string& ipa_id,
                                                              PublicationKind kind) override;
  absl::StatusOr<PublicationPage> List(const std::string& system_id,
                                       const PublicationPageRequest& page) override;
  absl::StatusOr<std::vector<std::string>> ListAwardsBetween(const std::string& system_id,
                                                             absl::Time from,
                                                             absl::Time to) override;

 private:
  pqxx::work& tx_;
};

class PgPublicationTransaction final : public PublicationTransaction {
 public:
  explicit PgPublicationTransaction(pqxx::work& tx) : publications_(tx), ipa_tx_(tx) {}
  PublicationRepository& publications() override { return publications_; }
  IpaRepository& ipas() override { return ipa_tx_.ipas(); }
  absl::Status Publish(const IpaEvent& event) override { return ipa_tx_.Publish(event); }
  absl::Status RecordResponse(const RequestRecord& record) override {
    return ipa_tx_.RecordResponse(record);
  }

 private:
  PgPublicationRepository publications_;
  PgIpaTransaction ipa_tx_;
};

class PgPublicationUnitOfWork final : public PublicationUnitOfWork {
 public:
  explicit PgPublicationUnitOfWork(platform::PgPool& pool) : pool_(pool) {}
  absl::Status Run(const Work& work) override;

 private:
  platform::PgPool& pool_;
};

// The JSON document of a publication (publications.doc) and back; reading what storage did not
// write is Internal naming the field.
nlohmann::json PublicationToJson(const Publication& publication);
absl::StatusOr<Publication> PublicationFromJson(const nlohmann::json& json);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PG_PUBLICATION_REPOSITORY_H_
