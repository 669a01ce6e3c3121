// The JSON documents storage keeps of the KPI aggregates (migrations/0004_kpis.sql): a system's
// definition set (kpi_definition_sets.doc), a KPI return (kpi_returns.doc) and a performance
// review (performance_reviews.doc), each whole, written and read field by field as ipa_json.h
// does for the IPA: instants RFC 3339 in UTC, days "2027-04-01", enums their upper-case names,
// empty strings and absent optionals left out. Reading fails with Internal naming what is wrong:
// the database holds something storage did not write.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_KPI_JSON_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_KPI_JSON_H_

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "services/contracts/domain/kpi.h"

namespace dps::contracts::storage {

nlohmann::json DefinitionSetToJson(const KpiDefinitionSet& set);
absl::StatusOr<KpiDefinitionSet> DefinitionSetFromJson(const nlohmann::json& json);

nlohmann::json KpiReturnToJson(const KpiReturn& kpi_return);
absl::StatusOr<KpiReturn> KpiReturnFromJson(const nlohmann::json& json);

nlohmann::json PerformanceReviewToJson(const PerformanceReview& review);
absl::StatusOr<PerformanceReview> PerformanceReviewFromJson(const nlohmann::json& json);

}  // namespace dps::contracts::storage

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_KPI_JSON_H_
