// The register's figures for /metrics (metrics/register_metrics.h), read in one transaction:
// memberships, applications and evidence by state, and VALID evidence past its last valid day.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_FIGURES_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_FIGURES_H_

#include <map>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/statusor.h"

namespace dps::qualification {

struct RegisterFigures {
  std::map<std::string, double> memberships_by_state;   // "QUALIFIED" -> count
  std::map<std::string, double> applications_by_state;  // "DRAFT" -> count (no enum prefix)
  std::map<std::string, double> evidence_by_state;
  double evidence_overdue = 0;
};

absl::StatusOr<RegisterFigures> ReadRegisterFigures(pqxx::work& tx);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_FIGURES_H_
