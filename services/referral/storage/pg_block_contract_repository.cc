#include "services/referral/storage/pg_block_contract_repository.h"

#include "absl/strings/str_cat.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/pg/documents.h"
#include "services/referral/convert/convert.h"

namespace dps::referral {
namespace {

namespace v1 = ::dps::referral::v1;

constexpr char kInsert[] = R"sql(
  INSERT INTO block_contracts (id, system_id, lot_id, placing_authority_id, lead_authority_id,
                               establishment_id, provider_id, state, version, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9::jsonb)
  ON CONFLICT (id) DO NOTHING)sql";

constexpr char kLoad[] =
    "SELECT doc, lead_authority_id, version FROM block_contracts WHERE id = $1";
constexpr char kLoadForUpdate[] =
    "SELECT doc, lead_authority_id, version FROM block_contracts WHERE id = $1 FOR UPDATE";

constexpr char kSave[] = R"sql(
  UPDATE block_contracts SET state = $2, version = version + 1, doc = $4::jsonb
  WHERE id = $1 AND version = $3
  RETURNING version)sql";

constexpr char kList[] = R"sql(
  SELECT doc, lead_authority_id, version FROM block_contracts
  WHERE id > $1 AND ($2 = '' OR system_id = $2) AND ($3 = '' OR placing_authority_id = $3)
    AND ($4 = '' OR lead_authority_id = $4) AND ($5 = '' OR establishment_id = $5)
  ORDER BY id LIMIT $6)sql";

// The period's end is in the record only.
constexpr char kPastTheirPeriod[] = R"sql(
  SELECT id FROM block_contracts
  WHERE state = 'ACTIVE'
    AND make_date((doc #>> '{period,end,year}')::int, (doc #>> '{period,end,month}')::int,
                  (doc #>> '{period,end,day}')::int) < $1::date
  ORDER BY id)sql";

constexpr char kClaimActive[] =
    "SELECT 1 FROM block_contracts WHERE id = $1 AND state = 'ACTIVE' FOR UPDATE SKIP LOCKED";

// The state column's spelling: "ACTIVE", "ENDED".
std::string StateColumn(BlockContractState state) {
  return std::string(BlockContractStateName(state));
}

// The stored version travels in its column, not in the record.
std::string DocOf(const BlockContract& block) { return platform::ToDoc(ToApi(block)); }

absl::StatusOr<StoredBlockContract> StoredOfRow(const pqxx::row& row) {
  v1::BlockContract stored;
  if (absl::Status s = platform::FromDoc(row[0], stored); !s.ok()) return s;
  absl::StatusOr<BlockContract> block = ToDomain(stored);
  if (!block.ok()) return block.status();
  return StoredBlockContract{.block = *std::move(block),
                             .lead_authority_id = row[1].as<std::string>(),
                             .version = row[2].as<int64_t>()};
}

}  // namespace

absl::Status PgBlockContractRepository::Insert(const BlockContract& block,
                                               const std::string& lead_authority_id) {
  const pqxx::result inserted =
      tx_.exec_params(kInsert, block.id, block.spec.system_id, block.spec.lot_id,
                      block.placing_authority_id, lead_authority_id, block.spec.establishment_id,
                      block.provider_id, StateColumn(block.state), DocOf(block));
  if (inserted.affected_rows() == 0) {
    return absl::AlreadyExistsError(absl::StrCat("block contract ", block.id, ": already exists"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredBlockContract> PgBlockContractRepository::Load(const std::string& id,
                                                                    bool for_update) {
  const pqxx::result rows = tx_.exec_params(for_update ? kLoadForUpdate : kLoad, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("block contract ", id, ": not found"));
  return StoredOfRow(rows[0]);
}

absl::StatusOr<int64_t> PgBlockContractRepository::Save(const BlockContract& block,
                                                        int64_t expected_version) {
  const pqxx::result saved =
      tx_.exec_params(kSave, block.id, StateColumn(block.state), expected_version, DocOf(block));
  if (saved.empty()) {
    return absl::AbortedError(
        absl::StrCat("block contract ", block.id, ": changed since version ", expected_version));
  }
  return saved[0][0].as<int64_t>();
}

absl::StatusOr<std::vector<StoredBlockContract>> PgBlockContractRepository::List(
    const BlockContractFilter& filter, const std::string& after_id, int limit) {
  const pqxx::result rows =
      tx_.exec_params(kList, after_id, filter.system_id, filter.placing_authority_id,
                      filter.lead_authority_id, filter.establishment_id, limit);
  std::vector<StoredBlockContract> blocks;
  blocks.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    absl::StatusOr<StoredBlockContract> stored = StoredOfRow(row);
    if (!stored.ok()) return stored.status();
    blocks.push_back(*std::move(stored));
  }
  return blocks;
}

absl::StatusOr<std::vector<std::string>> PgBlockContractRepository::PastTheirPeriod(
    absl::CivilDay today) {
  std::vector<std::string> ids;
  for (const pqxx::row& row : tx_.exec_params(kPastTheirPeriod, absl::FormatCivilTime(today))) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

absl::StatusOr<bool> PgBlockContractRepository::ClaimActive(const std::string& id) {
  return !tx_.exec_params(kClaimActive, id).empty();
}

}  // namespace dps::referral
