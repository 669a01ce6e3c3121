#include "services/contracts/storage/audit_scope.h"

#include "platform/pg/pool.h"

namespace dps::contracts {
namespace {

constexpr char kSystemsLedBy[] = R"sql(
  SELECT DISTINCT system_id FROM ipas WHERE doc->>'lead_authority_id' = $1 ORDER BY 1)sql";

}  // namespace

absl::StatusOr<std::vector<std::string>> SystemsLedBy(pqxx::work& tx,
                                                      const std::string& organisation_id) {
  return platform::TextColumn(tx, kSystemsLedBy, organisation_id);
}

}  // namespace dps::contracts
