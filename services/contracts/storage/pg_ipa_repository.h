// IpaRepository, FeeUpliftRepository and IpaUnitOfWork on PostgreSQL (the tables of migrations/,
// the SQL of sql.h). The IPA row carries the aggregate's scalar parts as JSON (ipa_json.h) beside
// the columns that constraints, lists and the timer need; each version and each signature is a
// row. An uplift is one row of fee_uplifts: the whole FeeUplift as JSON beside the columns its
// constraints and lists need.
//
//   PgIpaUnitOfWork uow(pool);  // pool's search_path is the "contracts" schema
//   absl::Status s = uow.Run([&](IpaTransaction& tx) { ... tx.ipas() ... tx.Publish(...) ... });
//
// Every method turns database exceptions into a status (platform/pg/pool.h); a unique violation
// on insert is AlreadyExists. After a failed statement PostgreSQL refuses the rest of the
// transaction, so the caller returns the status and lets Run roll back.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PG_IPA_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PG_IPA_REPOSITORY_H_

#include <pqxx/pqxx>

#include "platform/pg/pool.h"
#include "services/contracts/storage/ipa_repository.h"
#include "services/contracts/storage/pg_kpi_repository.h"

namespace dps::contracts {

// The stream every contracts event goes to.
inline constexpr char kContractsStream[] = "dps.contracts";

class PgIpaRepository final : public IpaRepository {
 public:
  explicit PgIpaRepository(pqxx::work& tx) : tx_(tx) {}

  absl::StatusOr<StoredIpa> Load(const std::string& id) override;
  absl::StatusOr<StoredIpa> LoadForUpdate(const std::string& id) override;
  absl::StatusOr<std::optional<StoredIpa>> FindBySource(const std::string& source_key) override;
  absl::StatusOr<int64_t> Insert(const Ipa& ipa, const NewDocuments& documents) override;
  absl::StatusOr<int64_t> Save(const Ipa& ipa, int64_t expected_version,
                               const NewDocuments& documents) override;
  absl::StatusOr<std::vector<StoredIpa>> ListDue(absl::Time now, int limit) override;
  absl::StatusOr<IpaPage> List(const IpaFilter& filter, const IpaPageRequest& page) override;
  absl::StatusOr<std::string> LoadDocument(const std::string& ipa_id, int version_number) override;

 private:
  pqxx::work& tx_;
};

// The fee uplifts of one open transaction (migrations/0002_fee_uplifts.sql). Insert tells an id
// already taken ("fee uplift <id>: already exists") from a second REQUESTED uplift of one IPA
// ("fee uplift <id>: another request of IPA <ipa> awaits a decision"), both AlreadyExists.
class PgFeeUpliftRepository final : public FeeUpliftRepository {
 public:
  explicit PgFeeUpliftRepository(pqxx::work& tx) : tx_(tx) {}

  absl::StatusOr<StoredUplift> Load(const std::string& id) override;
  absl::StatusOr<StoredUplift> LoadForUpdate(const std::string& id) override;
  absl::StatusOr<std::vector<FeeUplift>> ListForIpa(const std::string& ipa_id) override;
  absl::StatusOr<int64_t> Insert(const FeeUplift& uplift) override;
  absl::StatusOr<int64_t> Save(const FeeUplift& uplift, int64_t expected_version) override;
  absl::StatusOr<UpliftPage> List(const UpliftFilter& filter,
                                  const UpliftPageRequest& page) override;

 private:
  pqxx::work& tx_;
};

// The repositories, outbox and request ledger of one open transaction: PgIpaUnitOfWork makes one
// per Run, and an event consumer makes one over the transaction it applies an event in.
class PgIpaTransaction final : public IpaTransaction {
 public:
  explicit PgIpaTransaction(pqxx::work& tx) : tx_(tx), ipas_(tx), uplifts_(tx), kpis_(tx) {}
  IpaRepository& ipas() override { return ipas_; }
  FeeUpliftRepository& uplifts() override { return uplifts_; }
  KpiRepository& kpis() override { return kpis_; }
  absl::Status Publish(const IpaEvent& event) override;
  absl::Status RecordUnannounced(const platform::audit::Entry& entry) override;
  absl::Status RecordResponse(const RequestRecord& record) override;

 private:
  pqxx::work& tx_;
  PgIpaRepository ipas_;
  PgFeeUpliftRepository uplifts_;
  PgKpiRepository kpis_;
};

// An IpaUnitOfWork whose every Run works in `tx`, a transaction the caller opened and will end:
// for event consumers, whose ledger of processed events shares the transaction.
class PgOpenTransaction final : public IpaUnitOfWork {
 public:
  explicit PgOpenTransaction(pqxx::work& tx) : tx_(tx) {}
  absl::Status Run(const Work& work) override {
    PgIpaTransaction transaction(tx_);
    return work(transaction);
  }

 private:
  pqxx::work& tx_;
};

class PgIpaUnitOfWork final : public IpaUnitOfWork {
 public:
  explicit PgIpaUnitOfWork(platform::PgPool& pool) : pool_(pool) {}
  absl::Status Run(const Work& work) override;

 private:
  platform::PgPool& pool_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PG_IPA_REPOSITORY_H_
