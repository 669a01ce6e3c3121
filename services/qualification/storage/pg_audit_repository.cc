#include "services/qualification/storage/pg_audit_repository.h"

#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

// The audit already waiting for the establishment in the system, if any: the partial unique index
// audits_one_scheduled holds the rule, this names the audit that is there.
constexpr char kScheduled[] = R"sql(
  SELECT id FROM audits
  WHERE system_id = $1 AND establishment_id = $2 AND state = 'AUDIT_STATE_SCHEDULED')sql";

constexpr char kInsert[] = R"sql(
  INSERT INTO audits (id, system_id, establishment_id, provider_id, state, due_on, version, doc)
  VALUES ($1, $2, $3, $4, $5, $6::date, 1, $7::jsonb)
  ON CONFLICT DO NOTHING)sql";

constexpr char kLoad[] = "SELECT doc, provider_id, version FROM audits WHERE id = $1";
constexpr char kLoadForUpdate[] =
    "SELECT doc, provider_id, version FROM audits WHERE id = $1 FOR UPDATE";

constexpr char kSave[] = R"sql(
  UPDATE audits SET state = $2, due_on = $3::date, version = version + 1, doc = $5::jsonb
  WHERE id = $1 AND version = $4
  RETURNING version)sql";

// The state column's spelling, as the list filters it: "AUDIT_STATE_SCHEDULED", ...
std::string StateColumn(const v1::Audit& audit) { return v1::AuditState_Name(audit.state()); }

absl::Status AlreadyScheduled(const Audit& audit, const std::string& waiting_id) {
  return absl::AlreadyExistsError(absl::StrCat("establishment ", audit.establishment_id,
                                               " already has audit ", waiting_id, " scheduled"));
}

}  // namespace

absl::Status PgAuditRepository::Insert(const Audit& audit) {
  const v1::Audit record = ToApiAudit(audit);
  const pqxx::result inserted = tx_.exec_params(
      kInsert, audit.id, audit.system_id, audit.establishment_id, audit.provider_id,
      StateColumn(record), absl::FormatCivilTime(audit.due_on), platform::ToDoc(record));
  if (inserted.affected_rows() > 0) return absl::OkStatus();
  // Refused by the index that keeps one audit waiting (name the one waiting), or the id repeats.
  const pqxx::result waiting = tx_.exec_params(kScheduled, audit.system_id, audit.establishment_id);
  if (!waiting.empty() && waiting[0][0].as<std::string>() != audit.id) {
    return AlreadyScheduled(audit, waiting[0][0].as<std::string>());
  }
  return absl::AlreadyExistsError(absl::StrCat("audit ", audit.id, ": already exists"));
}

absl::StatusOr<StoredAudit> PgAuditRepository::Load(const std::string& id, bool for_update) {
  const pqxx::result rows = tx_.exec_params(for_update ? kLoadForUpdate : kLoad, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("audit ", id, ": not found"));
  v1::Audit stored;
  if (absl::Status s = platform::FromDoc(rows[0][0], stored); !s.ok()) return s;
  absl::StatusOr<Audit> audit = ToDomainAudit(stored, rows[0][1].as<std::string>());
  if (!audit.ok()) return audit.status();
  return StoredAudit{.audit = *std::move(audit), .version = rows[0][2].as<int64_t>()};
}

absl::StatusOr<int64_t> PgAuditRepository::Save(const Audit& audit, int64_t expected_version) {
  const v1::Audit record = ToApiAudit(audit);
  const pqxx::result saved =
      tx_.exec_params(kSave, audit.id, StateColumn(record), absl::FormatCivilTime(audit.due_on),
                      expected_version, platform::ToDoc(record));
  if (saved.empty()) {
    return absl::AbortedError(
        absl::StrCat("audit ", audit.id, ": changed since version ", expected_version));
  }
  return saved[0][0].as<int64_t>();
}

}  // namespace dps::qualification
