#include "services/qualification/storage/audit_scope.h"

#include "platform/pg/pool.h"

namespace dps::qualification {
namespace {

constexpr char kSystemsLedBy[] = R"sql(
  SELECT id FROM purchasing_systems WHERE lead_authority = $1 ORDER BY id)sql";

}  // namespace

absl::StatusOr<std::vector<std::string>> SystemsLedBy(pqxx::work& tx,
                                                      const std::string& organisation_id) {
  return platform::TextColumn(tx, kSystemsLedBy, organisation_id);
}

}  // namespace dps::qualification
