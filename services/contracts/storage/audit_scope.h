// What the audit log service (platform/audit/service.h) needs of this service's records: the
// purchasing systems an organisation leads, so its admins and auditors read those systems'
// entries. Read from the systems of the IPAs it keeps.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_AUDIT_SCOPE_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_AUDIT_SCOPE_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dps::contracts {

absl::StatusOr<std::vector<std::string>> SystemsLedBy(pqxx::work& tx,
                                                      const std::string& organisation_id);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_AUDIT_SCOPE_H_
