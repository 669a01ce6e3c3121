#include "services/qualification/metrics/register_metrics.h"

namespace dps::qualification {
namespace {

constexpr char kMembershipsByState[] = "SELECT state, count(*) FROM memberships GROUP BY state";
// Stored as the enum's full name (APPLICATION_STATE_DRAFT); labelled without the prefix.
constexpr char kApplicationsByState[] =
    "SELECT regexp_replace(state, '^APPLICATION_STATE_', ''), count(*) FROM applications "
    "GROUP BY 1";
constexpr char kEvidenceByState[] = "SELECT state, count(*) FROM evidence GROUP BY state";
// The timer expires evidence the day after its last valid day (UTC), as the timer itself reads.
constexpr char kEvidenceOverdue[] =
    "SELECT count(*) FROM evidence WHERE state = 'VALID' AND expires_on IS NOT NULL "
    "AND expires_on < (now() AT TIME ZONE 'UTC')::date";

}  // namespace

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
    memberships_.Set(tx.exec(kMembershipsByState));
    applications_.Set(tx.exec(kApplicationsByState));
    evidence_.Set(tx.exec(kEvidenceByState));
    evidence_overdue_.Set(tx.exec1(kEvidenceOverdue)[0].as<double>());
    return absl::OkStatus();
  });
}

}  // namespace dps::qualification
