#include "services/qualification/storage/pg_membership_repository.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/pg/documents.h"
#include "platform/pg/pool.h"
#include "services/qualification/convert/convert.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

// The (establishment, lot) pair is unique, as the id is: either conflict inserts nothing.
constexpr char kInsert[] = R"sql(
  INSERT INTO memberships (id, establishment_id, lot_id, state, state_since, state_reason,
                           qualified_at, ceiling_fee_pence, system_id, provider_id, version, doc,
                           last_audited_at)
  VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $5::timestamptz, $7, $8, $9, $10, $11::jsonb,
          $12::timestamptz)
  ON CONFLICT DO NOTHING)sql";

// Each load reads the record and when it was last audited (microseconds since the epoch; NULL
// for a membership that has not been saved since migration 0009 and was never audited).
constexpr char kLoad[] = R"sql(
  SELECT doc, (extract(epoch FROM last_audited_at) * 1000000)::bigint FROM memberships
  WHERE id = $1)sql";

constexpr char kLoadForUpdate[] = R"sql(
  SELECT doc, (extract(epoch FROM last_audited_at) * 1000000)::bigint FROM memberships
  WHERE id = $1 FOR UPDATE)sql";

constexpr char kOfEstablishmentInLot[] = R"sql(
  SELECT doc, (extract(epoch FROM last_audited_at) * 1000000)::bigint FROM memberships
  WHERE establishment_id = $1 AND lot_id = $2 FOR UPDATE)sql";

constexpr char kOfEstablishmentInSystem[] = R"sql(
  SELECT doc, (extract(epoch FROM last_audited_at) * 1000000)::bigint FROM memberships
  WHERE system_id = $1 AND establishment_id = $2 ORDER BY id FOR UPDATE)sql";

// state_since moves only when the state does.
constexpr char kSave[] = R"sql(
  UPDATE memberships
  SET state_since = CASE WHEN state = $2 THEN state_since ELSE now() END,
      state = $2, state_reason = $3, ceiling_fee_pence = $4, version = $5, doc = $6::jsonb,
      last_audited_at = $7::timestamptz
  WHERE id = $1)sql";

constexpr char kScores[] = R"sql(
  SELECT (extract(epoch FROM effective_at) * 1000000)::bigint, score::float8,
         requested_delta::float8, reason, actor
  FROM membership_scores WHERE membership_id = $1 ORDER BY effective_at)sql";

constexpr char kLatestScore[] = R"sql(
  SELECT (extract(epoch FROM max(effective_at)) * 1000000)::bigint
  FROM membership_scores WHERE membership_id = $1)sql";

constexpr char kAddScore[] = R"sql(
  INSERT INTO membership_scores (membership_id, effective_at, score, requested_delta, reason,
                                 actor)
  VALUES ($1, $2::timestamptz, $3, $4, $5, $6))sql";

constexpr char kUnlink[] =
    "DELETE FROM membership_evidence WHERE membership_id = $1 AND criterion_id = $2";

constexpr char kLink[] = R"sql(
  INSERT INTO membership_evidence (membership_id, evidence_id, criterion_id)
  VALUES ($1, $2, $3) ON CONFLICT DO NOTHING)sql";

constexpr char kRestingOn[] = R"sql(
  SELECT membership_id, criterion_id FROM membership_evidence WHERE evidence_id = $1
  ORDER BY membership_id)sql";

// The state column's spelling: "QUALIFIED", "SUSPENDED", "EXCLUDED".
std::string StateColumn(MembershipState state) { return std::string(MembershipStateName(state)); }

// The state_reason column: why a SUSPENDED membership is suspended, its latest cause's words.
std::string StateReason(const Membership& membership) {
  if (membership.state != MembershipState::kSuspended || membership.failed_items.empty()) {
    return "";
  }
  return membership.failed_items.back().reason;
}

// The membership `id` a load found; NotFound when none.
absl::StatusOr<Membership> TheOne(const std::string& id,
                                  absl::StatusOr<std::vector<Membership>> found) {
  if (!found.ok()) return found.status();
  if (found->empty()) return absl::NotFoundError(absl::StrCat("membership ", id, ": not found"));
  return std::move(found->front());
}

absl::Time FromMicros(const pqxx::field& field) {
  return absl::FromUnixMicros(field.as<int64_t>());
}

}  // namespace

absl::Status PgMembershipRepository::Insert(const Membership& membership) {
  const pqxx::result inserted = tx_.exec_params(
      kInsert, membership.id, membership.establishment_id, membership.lot_code,
      StateColumn(membership.state), platform::TimeParameter(membership.qualified_at),
      StateReason(membership), membership.prices.weekly_fee_pence, membership.system_id,
      membership.provider_id, membership.version, platform::ToDoc(ToApiMembership(membership)),
      platform::TimeParameter(membership.last_audit_at));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat(
        "membership ", membership.id, ": already exists, or establishment ",
        membership.establishment_id, " is already a member of lot ", membership.lot_code));
  }
  return AddNewScores(membership);
}

absl::StatusOr<Membership> PgMembershipRepository::Load(const std::string& id) {
  return TheOne(id, FromRows(tx_.exec_params(kLoad, id)));
}

absl::StatusOr<Membership> PgMembershipRepository::LoadForUpdate(const std::string& id) {
  return TheOne(id, FromRows(tx_.exec_params(kLoadForUpdate, id)));
}

absl::StatusOr<std::optional<Membership>> PgMembershipRepository::OfEstablishmentInLot(
    const std::string& establishment_id, const std::string& lot_id) {
  absl::StatusOr<std::vector<Membership>> found =
      FromRows(tx_.exec_params(kOfEstablishmentInLot, establishment_id, lot_id));
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<Membership>();
  return std::optional<Membership>(std::move(found->front()));
}

absl::StatusOr<std::vector<Membership>> PgMembershipRepository::OfEstablishmentInSystem(
    const std::string& system_id, const std::string& establishment_id) {
  return FromRows(tx_.exec_params(kOfEstablishmentInSystem, system_id, establishment_id));
}

absl::Status PgMembershipRepository::Save(Membership& membership) {
  membership.version += 1;
  const pqxx::result saved =
      tx_.exec_params(kSave, membership.id, StateColumn(membership.state), StateReason(membership),
                      membership.prices.weekly_fee_pence, membership.version,
                      platform::ToDoc(ToApiMembership(membership)),
                      platform::TimeParameter(membership.last_audit_at));
  if (saved.affected_rows() == 0) {
    membership.version -= 1;
    return absl::NotFoundError(absl::StrCat("membership ", membership.id, ": not found"));
  }
  return AddNewScores(membership);
}

absl::Status PgMembershipRepository::RestOn(const std::string& membership_id,
                                            const std::string& criterion_id,
                                            const std::vector<std::string>& evidence_ids) {
  tx_.exec_params0(kUnlink, membership_id, criterion_id);
  for (const std::string& evidence_id : evidence_ids) {
    tx_.exec_params0(kLink, membership_id, evidence_id, criterion_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EvidenceLink>> PgMembershipRepository::RestingOn(
    const std::string& evidence_id) {
  std::vector<EvidenceLink> links;
  for (const pqxx::row& row : tx_.exec_params(kRestingOn, evidence_id)) {
    links.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  }
  return links;
}

absl::StatusOr<std::vector<Membership>> PgMembershipRepository::FromRows(const pqxx::result& rows) {
  std::vector<Membership> memberships;
  for (const pqxx::row& row : rows) {
    v1::Membership stored;
    if (absl::Status s = platform::FromDoc(row[0], stored); !s.ok()) return s;
    std::vector<ScoreEntry> scores;
    for (const pqxx::row& score : tx_.exec_params(kScores, stored.id())) {
      scores.push_back({.at = FromMicros(score[0]),
                        .score = score[1].as<double>(),
                        .requested_delta = score[2].as<double>(),
                        .reason = score[3].as<std::string>(),
                        .actor = score[4].as<std::string>()});
    }
    std::optional<absl::Time> last_audited;
    if (!row[1].is_null()) last_audited = FromMicros(row[1]);
    absl::StatusOr<Membership> membership =
        ToDomainMembership(stored, std::move(scores), last_audited);
    if (!membership.ok()) return membership.status();
    memberships.push_back(*std::move(membership));
  }
  return memberships;
}

absl::Status PgMembershipRepository::AddNewScores(const Membership& membership) {
  if (membership.scores.empty()) return absl::OkStatus();
  const pqxx::row latest = tx_.exec_params1(kLatestScore, membership.id);
  for (const ScoreEntry& entry : membership.scores) {
    if (!latest[0].is_null() && entry.at <= FromMicros(latest[0])) continue;
    tx_.exec_params0(kAddScore, membership.id, platform::TimeParameter(entry.at), entry.score,
                     entry.requested_delta, entry.reason, entry.actor);
  }
  return absl::OkStatus();
}

}  // namespace dps::qualification
