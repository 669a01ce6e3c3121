#include "services/qualification/metrics/register_metrics.h"

#include "services/qualification/storage/register_figures.h"

namespace dps::qualification {

RegisterMetrics::RegisterMetrics(platform::PgPool& pool, prometheus::Registry& registry)
    : pool_(pool),
      memberships_(registry, "dps_memberships", "Memberships of lots by state", "state",
                   {"QUALIFIED", "SUSPENDED", "EXCLUDED"}),
      applications_(registry, "dps_applications", "Applications by state", "state",
                    {"DRAFT", "SUBMITTED", "UNDER_EVALUATION", "DECIDED", "WITHDRAWN"}),
      evidence_(registry, "dps_evidence", "Evidence by state", "state",
                {"VALID", "EXPIRED", "SUPERSEDED"}),
      evidence_overdue_(prometheus::BuildGauge()
                            .Name("dps_evidence_overdue")
                            .Help("VALID evidence past its last valid day")
                            .Register(registry)
                            .Add({})) {}

absl::Status RegisterMetrics::Refresh() {
  return pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<RegisterFigures> figures = ReadRegisterFigures(tx);
    if (!figures.ok()) return figures.status();
    memberships_.Set(figures->memberships_by_state);
    applications_.Set(figures->applications_by_state);
    evidence_.Set(figures->evidence_by_state);
    evidence_overdue_.Set(figures->evidence_overdue);
    return absl::OkStatus();
  });
}

}  // namespace dps::qualification
