#include "services/qualification/storage/pg_evidence_repository.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "platform/pg/pool.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

constexpr char kInsert[] = R"sql(
  INSERT INTO evidence (id, provider_id, establishment_id, criterion_id, expires_on, state, doc)
  VALUES ($1, $2, $3, $4, $5::date, $6, $7::jsonb)
  ON CONFLICT (id) DO NOTHING)sql";

constexpr char kLoadForUpdate[] = "SELECT doc FROM evidence WHERE id = $1 FOR UPDATE";

constexpr char kSave[] = "UPDATE evidence SET state = $2, doc = $3::jsonb WHERE id = $1";

constexpr char kOthersInForce[] = R"sql(
  SELECT doc FROM evidence
  WHERE provider_id = $1 AND establishment_id IS NOT DISTINCT FROM $2 AND criterion_id = $3
    AND state = 'VALID' AND id <> $4
  ORDER BY id FOR UPDATE)sql";

constexpr char kSupersede[] = R"sql(
  UPDATE evidence
  SET state = 'SUPERSEDED', doc = jsonb_set(doc, '{state}', '"EVIDENCE_STATE_SUPERSEDED"')
  WHERE id = $1)sql";

// The memberships resting on the renewed piece rest on the renewal instead.
constexpr char kMoveLinks[] = R"sql(
  INSERT INTO membership_evidence (membership_id, evidence_id, criterion_id)
  SELECT membership_id, $2, criterion_id FROM membership_evidence WHERE evidence_id = $1
  ON CONFLICT DO NOTHING)sql";
constexpr char kDropLinks[] = "DELETE FROM membership_evidence WHERE evidence_id = $1";

constexpr char kExpiredBy[] = R"sql(
  SELECT id FROM evidence
  WHERE state = 'VALID' AND expires_on IS NOT NULL AND expires_on < $1::date
  ORDER BY expires_on, id LIMIT $2 FOR UPDATE SKIP LOCKED)sql";

// The state column's spelling: "VALID", "EXPIRED", "SUPERSEDED".
std::string StateColumn(EvidenceState state) {
  switch (state) {
    case EvidenceState::kExpired:
      return "EXPIRED";
    case EvidenceState::kSuperseded:
      return "SUPERSEDED";
    case EvidenceState::kValid:
      break;
  }
  return "VALID";
}

// The establishment column: NULL for evidence of the provider as a whole.
std::optional<std::string> EstablishmentColumn(const Evidence& evidence) {
  if (evidence.establishment_id.empty()) return std::nullopt;
  return evidence.establishment_id;
}

absl::StatusOr<Evidence> FromRow(const pqxx::row& row) {
  v1::Evidence stored;
  if (absl::Status s = platform::FromDoc(row[0], stored); !s.ok()) return s;
  return ToDomainEvidence(stored);
}

}  // namespace

absl::Status PgEvidenceRepository::Insert(const Evidence& evidence) {
  const pqxx::result inserted =
      tx_.exec_params(kInsert, evidence.id, evidence.provider_id, EstablishmentColumn(evidence),
                      evidence.criterion_id, platform::DayParameter(evidence.expires_on),
                      StateColumn(evidence.state), platform::ToDoc(ToApiEvidence(evidence)));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat("evidence ", evidence.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Evidence> PgEvidenceRepository::LoadForUpdate(const std::string& id) {
  const pqxx::result rows = tx_.exec_params(kLoadForUpdate, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("evidence ", id, ": not found"));
  return FromRow(rows[0]);
}

absl::Status PgEvidenceRepository::Save(const Evidence& evidence) {
  const pqxx::result saved = tx_.exec_params(kSave, evidence.id, StateColumn(evidence.state),
                                             platform::ToDoc(ToApiEvidence(evidence)));
  if (saved.affected_rows() == 0) {
    return absl::NotFoundError(absl::StrCat("evidence ", evidence.id, ": not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Evidence>> PgEvidenceRepository::OthersInForce(
    const Evidence& evidence) {
  std::vector<Evidence> others;
  for (const pqxx::row& row :
       tx_.exec_params(kOthersInForce, evidence.provider_id, EstablishmentColumn(evidence),
                       evidence.criterion_id, evidence.id)) {
    absl::StatusOr<Evidence> other = FromRow(row);
    if (!other.ok()) return other.status();
    others.push_back(*std::move(other));
  }
  return others;
}

absl::Status PgEvidenceRepository::Supersede(const std::vector<std::string>& renewed,
                                             const std::string& renewal_id) {
  for (const std::string& id : renewed) {
    tx_.exec_params0(kSupersede, id);
    tx_.exec_params0(kMoveLinks, id, renewal_id);
    tx_.exec_params0(kDropLinks, id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> PgEvidenceRepository::ExpiredBy(absl::CivilDay today,
                                                                         int limit) {
  std::vector<std::string> ids;
  for (const pqxx::row& row : tx_.exec_params(kExpiredBy, absl::FormatCivilTime(today), limit)) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

}  // namespace dps::qualification
