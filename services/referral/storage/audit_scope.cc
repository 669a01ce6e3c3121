#include "services/referral/storage/audit_scope.h"

#include "platform/pg/pool.h"

namespace dps::referral {
namespace {

constexpr char kSystemsLedBy[] = R"sql(
  SELECT system_id FROM referrals WHERE lead_authority_id = $1
  UNION SELECT system_id FROM direct_awards WHERE lead_authority_id = $1
  UNION SELECT system_id FROM block_contracts WHERE lead_authority_id = $1
  ORDER BY 1)sql";

}  // namespace

absl::StatusOr<std::vector<std::string>> SystemsLedBy(pqxx::work& tx,
                                                      const std::string& organisation_id) {
  return platform::TextColumn(tx, kSystemsLedBy, organisation_id);
}

}  // namespace dps::referral
