#include "services/qualification/storage/pg_alert_repository.h"

#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

constexpr char kInsert[] = R"sql(
  INSERT INTO safeguarding_alerts (id, system_id, establishment_id, status, version, doc)
  VALUES ($1, $2, $3, $4, 1, $5::jsonb)
  ON CONFLICT (id) DO NOTHING)sql";

constexpr char kLoad[] = "SELECT doc, version FROM safeguarding_alerts WHERE id = $1";
constexpr char kLoadForUpdate[] =
    "SELECT doc, version FROM safeguarding_alerts WHERE id = $1 FOR UPDATE";

constexpr char kSave[] = R"sql(
  UPDATE safeguarding_alerts SET status = $2, version = version + 1, doc = $4::jsonb
  WHERE id = $1 AND version = $3
  RETURNING version)sql";

// The record as the list reads it back: the API's encoding, with its version.
std::string DocOf(const Alert& alert, int64_t version) {
  v1::SafeguardingAlert out = ToApiAlert(alert);
  out.set_version(version);
  return platform::ToDoc(out);
}

// The status column's spelling, as the list filters it: "ALERT_STATUS_OPEN", ...
std::string StatusColumn(const Alert& alert) { return v1::AlertStatus_Name(ToApi(alert.status)); }

}  // namespace

absl::Status PgAlertRepository::Insert(const Alert& alert) {
  const pqxx::result inserted =
      tx_.exec_params(kInsert, alert.id, alert.system_id, alert.establishment_id,
                      StatusColumn(alert), DocOf(alert, 1));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat("alert ", alert.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredAlert> PgAlertRepository::Load(const std::string& id, bool for_update) {
  const pqxx::result rows = tx_.exec_params(for_update ? kLoadForUpdate : kLoad, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("alert ", id, ": not found"));
  v1::SafeguardingAlert stored;
  if (absl::Status s = platform::FromDoc(rows[0][0], stored); !s.ok()) return s;
  return StoredAlert{.alert = ToDomainAlert(stored), .version = rows[0][1].as<int64_t>()};
}

absl::StatusOr<int64_t> PgAlertRepository::Save(const Alert& alert, int64_t expected_version) {
  const pqxx::result saved = tx_.exec_params(kSave, alert.id, StatusColumn(alert), expected_version,
                                             DocOf(alert, expected_version + 1));
  if (saved.empty()) {
    return absl::AbortedError(
        absl::StrCat("alert ", alert.id, ": changed since version ", expected_version));
  }
  return saved[0][0].as<int64_t>();
}

}  // namespace dps::qualification
