#include "services/referral/storage/pg_direct_award_repository.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/pg/documents.h"
#include "services/referral/convert/convert.h"

namespace dps::referral {
namespace {

namespace v1 = ::dps::referral::v1;

constexpr char kInsert[] = R"sql(
  INSERT INTO direct_awards (id, system_id, lot_id, placing_authority_id, lead_authority_id,
                             provider_id, state, review_on, made_at, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, TIMESTAMPTZ 'epoch' + $9::bigint * INTERVAL '1 microsecond',
          $10::jsonb)
  ON CONFLICT (id) DO NOTHING)sql";

constexpr char kLoad[] = "SELECT doc, lead_authority_id FROM direct_awards WHERE id = $1";
constexpr char kLoadForUpdate[] =
    "SELECT doc, lead_authority_id FROM direct_awards WHERE id = $1 FOR UPDATE";

constexpr char kSave[] = "UPDATE direct_awards SET state = $2, doc = $3::jsonb WHERE id = $1";

constexpr char kList[] = R"sql(
  SELECT doc FROM direct_awards
  WHERE id > $1 AND ($2 = '' OR system_id = $2) AND ($3 = '' OR placing_authority_id = $3)
    AND ($4 = '' OR lead_authority_id = $4)
    AND ($5::bigint IS NULL OR made_at > TIMESTAMPTZ 'epoch' + $5::bigint * INTERVAL '1 microsecond')
    AND ($6::bigint IS NULL OR made_at < TIMESTAMPTZ 'epoch' + $6::bigint * INTERVAL '1 microsecond')
    AND ($7::date IS NULL OR (state = 'MADE' AND review_on <= $7::date))
  ORDER BY id LIMIT $8)sql";

// The state column's spelling: "MADE", "REVIEWED".
std::string StateColumn(DirectAwardState state) { return std::string(DirectAwardStateName(state)); }

std::optional<std::string> DayColumn(const std::optional<absl::CivilDay>& day) {
  if (!day) return std::nullopt;
  return absl::FormatCivilTime(*day);
}

std::optional<int64_t> Micros(const std::optional<absl::Time>& at) {
  if (!at) return std::nullopt;
  return absl::ToUnixMicros(*at);
}

absl::StatusOr<DirectAward> AwardOfDoc(const pqxx::field& doc) {
  v1::DirectAward stored;
  if (absl::Status s = platform::FromDoc(doc, stored); !s.ok()) return s;
  return ToDomain(stored);
}

}  // namespace

absl::Status PgDirectAwardRepository::Insert(const DirectAward& award,
                                             const std::string& lead_authority_id) {
  const pqxx::result inserted =
      tx_.exec_params(kInsert, award.id, award.spec.system_id, award.spec.lot_id,
                      award.placing_authority_id, lead_authority_id, award.provider_id,
                      StateColumn(award.state), DayColumn(award.spec.review_on),
                      absl::ToUnixMicros(award.made_at), platform::ToDoc(ToApi(award)));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat("direct award ", award.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredDirectAward> PgDirectAwardRepository::Load(const std::string& id,
                                                                bool for_update) {
  const pqxx::result rows = tx_.exec_params(for_update ? kLoadForUpdate : kLoad, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("direct award ", id, ": not found"));
  absl::StatusOr<DirectAward> award = AwardOfDoc(rows[0][0]);
  if (!award.ok()) return award.status();
  return StoredDirectAward{.award = *std::move(award),
                           .lead_authority_id = rows[0][1].as<std::string>()};
}

absl::Status PgDirectAwardRepository::Save(const DirectAward& award) {
  const pqxx::result saved =
      tx_.exec_params(kSave, award.id, StateColumn(award.state), platform::ToDoc(ToApi(award)));
  if (saved.affected_rows() == 0) {
    return absl::NotFoundError(absl::StrCat("direct award ", award.id, ": not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<DirectAward>> PgDirectAwardRepository::List(
    const DirectAwardFilter& filter, const std::string& after_id, int limit) {
  const pqxx::result rows =
      tx_.exec_params(kList, after_id, filter.system_id, filter.placing_authority_id,
                      filter.lead_authority_id, Micros(filter.made_after),
                      Micros(filter.made_before), DayColumn(filter.review_due_by), limit);
  std::vector<DirectAward> awards;
  awards.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    absl::StatusOr<DirectAward> award = AwardOfDoc(row[0]);
    if (!award.ok()) return award.status();
    awards.push_back(*std::move(award));
  }
  return awards;
}

}  // namespace dps::referral
