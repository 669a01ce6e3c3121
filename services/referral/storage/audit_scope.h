// What the audit log service (platform/audit/service.h) needs of this service's records: the
// purchasing systems an organisation leads, so its admins and auditors read those systems'
// entries. Read from the systems of the referrals, direct awards and block contracts it keeps.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_AUDIT_SCOPE_H_
#define DPS_SERVICES_REFERRAL_STORAGE_AUDIT_SCOPE_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dps::referral {

absl::StatusOr<std::vector<std::string>> SystemsLedBy(pqxx::work& tx,
                                                      const std::string& organisation_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_AUDIT_SCOPE_H_
