// KpiRepository on PostgreSQL (the tables of migrations/0004_kpis.sql, the SQL of kpi_sql.h):
// each aggregate is one row, the whole of it as JSON (kpi_json.h) beside the columns its
// constraints, locks and lists need. It works in the transaction it is given; PgIpaTransaction
// (pg_ipa_repository.h) holds one, so KPIs are written with the IPAs and the outbox.
//
// Every method turns database exceptions into a status (platform/pg/pool.h). InsertReturn tells a
// taken id ("kpi return <id>: already exists") from a second return of one IPA and period
// ("kpi return <id>: IPA <ipa> has a return for <period> already"), both AlreadyExists.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PG_KPI_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PG_KPI_REPOSITORY_H_

#include <pqxx/pqxx>

#include "services/contracts/storage/kpi_repository.h"

namespace dps::contracts {

class PgKpiRepository final : public KpiRepository {
 public:
  explicit PgKpiRepository(pqxx::work& tx) : tx_(tx) {}

  absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitions(const std::string& system_id) override;
  absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitionsForShare(
      const std::string& system_id) override;
  absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitionsForUpdate(
      const std::string& system_id) override;
  absl::StatusOr<int64_t> SaveDefinitions(const KpiDefinitionSet& set,
                                          int64_t expected_version) override;
  absl::StatusOr<std::set<std::string>> CodesInUse(const std::string& system_id) override;

  absl::StatusOr<StoredKpiReturn> LoadReturn(const std::string& id) override;
  absl::StatusOr<StoredKpiReturn> LoadReturnForUpdate(const std::string& id) override;
  absl::StatusOr<std::optional<StoredKpiReturn>> FindReturn(const std::string& ipa_id,
                                                            const DateRange& period) override;
  absl::StatusOr<int64_t> InsertReturn(const KpiReturn& kpi_return) override;
  absl::StatusOr<int64_t> SaveReturn(const KpiReturn& kpi_return,
                                     int64_t expected_version) override;
  absl::StatusOr<KpiReturnPage> ListReturns(const KpiReturnFilter& filter,
                                            const KpiPageRequest& page) override;

  absl::StatusOr<StoredPerformanceReview> LoadReview(const std::string& id) override;
  absl::StatusOr<int64_t> InsertReview(const PerformanceReview& review) override;
  absl::StatusOr<PerformanceReviewPage> ListReviews(const PerformanceReviewFilter& filter,
                                                    const KpiPageRequest& page) override;

 private:
  pqxx::work& tx_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PG_KPI_REPOSITORY_H_
