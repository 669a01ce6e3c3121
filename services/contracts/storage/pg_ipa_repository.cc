#include "services/contracts/storage/pg_ipa_repository.h"

#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "platform/audit/log.h"
#include "platform/events/outbox.h"
#include "platform/pg/documents.h"
#include "platform/pg/idempotency.h"
#include "services/contracts/storage/ipa_json.h"
#include "services/contracts/storage/pg_guard.h"
#include "services/contracts/storage/sql.h"

namespace dps::contracts {
namespace {

using storage::Guarded;
using storage::ParseDoc;

using nlohmann::json;

constexpr int kMaxListPage = 500;

std::optional<int64_t> MicrosOf(const std::optional<absl::Time>& at) {
  if (!at) return std::nullopt;
  return absl::ToUnixMicros(*at);
}

// The IPAs of `rows` (id, version, doc), at most `max` of them, with their versions and
// signatures, in the rows' order.
absl::StatusOr<std::vector<StoredIpa>> Assemble(pqxx::work& tx, const pqxx::result& rows,
                                                size_t max) {
  std::vector<StoredIpa> out;
  std::map<std::string, size_t> index;
  std::vector<std::string> ids;
  for (const pqxx::row& row : rows) {
    if (out.size() == max) break;
    StoredIpa stored;
    absl::StatusOr<json> doc = ParseDoc(row[2], "ipa");
    if (!doc.ok()) return doc.status();
    if (absl::Status s = storage::IpaFromJson(*doc, stored.ipa); !s.ok()) return s;
    stored.version = row[1].as<int64_t>();
    index[row[0].as<std::string>()] = out.size();
    ids.push_back(row[0].as<std::string>());
    out.push_back(std::move(stored));
  }
  if (ids.empty()) return out;
  const std::string joined = absl::StrJoin(ids, ",");

  for (const pqxx::row& row : tx.exec_params(sql::kSelectVersions, joined)) {
    Ipa& ipa = out[index.at(row[0].as<std::string>())].ipa;
    IpaVersion version;
    version.number = row[1].as<int>();
    absl::StatusOr<VersionState> state = storage::ParseVersionState(row[2].as<std::string>());
    if (!state.ok()) return state.status();
    version.state = *state;
    if (!absl::ParseCivilTime(row[3].as<std::string>(), &version.effective_from)) {
      return absl::InternalError(absl::StrCat("stored effective_from ", row[3].as<std::string>()));
    }
    absl::StatusOr<json> terms_doc = ParseDoc(row[4], "terms");
    if (!terms_doc.ok()) return terms_doc.status();
    absl::StatusOr<IpaTerms> terms = storage::TermsFromJson(*terms_doc);
    if (!terms.ok()) return terms.status();
    version.terms = *std::move(terms);
    version.document_sha256 = row[5].as<std::string>();
    version.byte_length = row[6].as<int64_t>();
    absl::StatusOr<json> doc = ParseDoc(row[7], "ipa version");
    if (!doc.ok()) return doc.status();
    if (absl::Status s = storage::VersionFromJson(*doc, version); !s.ok()) return s;
    if (version.number != static_cast<int>(ipa.versions.size()) + 1) {
      return absl::InternalError(absl::StrCat("ipa ", ipa.id, ": stored versions skip from ",
                                              ipa.versions.size(), " to ", version.number));
    }
    ipa.versions.push_back(std::move(version));
  }

  for (const pqxx::row& row : tx.exec_params(sql::kSelectSignatures, joined)) {
    Ipa& ipa = out[index.at(row[0].as<std::string>())].ipa;
    const int number = row[1].as<int>();
    if (number < 1 || number > static_cast<int>(ipa.versions.size())) {
      return absl::InternalError(absl::StrCat("ipa ", ipa.id, ": signature of no version"));
    }
    Signature signature;
    absl::StatusOr<Party> party = storage::ParseParty(row[2].as<std::string>());
    if (!party.ok()) return party.status();
    signature.party = *party;
    signature.user_id = row[3].as<std::string>();
    signature.organisation_id = row[4].as<std::string>();
    signature.name = row[5].as<std::string>();
    signature.position = row[6].as<std::string>();
    signature.signed_at = absl::FromUnixMicros(row[7].as<int64_t>());
    signature.document_sha256 = row[8].as<std::string>();
    signature.version_number = number;
    ipa.versions[number - 1].signatures.push_back(std::move(signature));
  }
  return out;
}

absl::StatusOr<StoredIpa> LoadOne(pqxx::work& tx, const char* statement, const std::string& id) {
  return Guarded("", [&]() -> absl::StatusOr<StoredIpa> {
    absl::StatusOr<std::vector<StoredIpa>> found = Assemble(tx, tx.exec_params(statement, id), 1);
    if (!found.ok()) return found.status();
    if (found->empty()) return absl::NotFoundError(absl::StrCat("ipa ", id, ": not found"));
    return std::move(found->front());
  });
}

// Writes the versions and signatures of `ipa`: new versions (those `documents` has bytes for)
// are inserted whole, the others have their state and doc updated; signatures are appended.
absl::Status WriteVersions(pqxx::work& tx, const Ipa& ipa, const NewDocuments& documents) {
  for (const auto& [number, bytes] : documents) {
    if (number < 1 || number > static_cast<int>(ipa.versions.size())) {
      return absl::InternalError(absl::StrCat("ipa ", ipa.id, ": rendered bytes for version ",
                                              number, ", which it does not have"));
    }
  }
  for (const IpaVersion& version : ipa.versions) {
    const std::string state(VersionStateName(version.state));
    const std::string doc = storage::VersionToJson(version).dump();
    if (auto bytes = documents.find(version.number); bytes != documents.end()) {
      try {
        tx.exec_params0(sql::kInsertVersion, ipa.id, version.number, state,
                        absl::FormatCivilTime(version.effective_from),
                        storage::TermsToJson(version.terms).dump(),
                        absl::BytesToHexString(bytes->second), version.document_sha256,
                        version.byte_length, doc);
      } catch (const pqxx::check_violation&) {
        return absl::InternalError(absl::StrCat("ipa ", ipa.id, " version ", version.number,
                                                ": the SHA-256 or length is not of the bytes"));
      } catch (const pqxx::unique_violation&) {
        return absl::InternalError(absl::StrCat("ipa ", ipa.id, " version ", version.number,
                                                ": already stored; its bytes are never replaced"));
      }
    } else {
      const pqxx::result updated =
          tx.exec_params(sql::kUpdateVersion, ipa.id, version.number, state, doc);
      if (updated.affected_rows() != 1) {
        return absl::InternalError(absl::StrCat("ipa ", ipa.id, " version ", version.number,
                                                ": new, but its rendered bytes were not given"));
      }
    }
    for (size_t i = 0; i < version.signatures.size(); ++i) {
      const Signature& s = version.signatures[i];
      tx.exec_params0(sql::kInsertSignature, ipa.id, version.number,
                      std::string(PartyName(s.party)), static_cast<int>(i), s.user_id,
                      s.organisation_id, s.name, s.position, absl::ToUnixMicros(s.signed_at),
                      s.document_sha256);
    }
  }
  return absl::OkStatus();
}

// The uplifts of `rows` (id, version, doc), at most `max` of them, in the rows' order.
absl::StatusOr<std::vector<StoredUplift>> UpliftsOf(const pqxx::result& rows, size_t max) {
  std::vector<StoredUplift> out;
  for (const pqxx::row& row : rows) {
    if (out.size() == max) break;
    absl::StatusOr<json> doc = ParseDoc(row[2], "fee uplift");
    if (!doc.ok()) return doc.status();
    absl::StatusOr<FeeUplift> uplift = storage::UpliftFromJson(*doc);
    if (!uplift.ok()) return uplift.status();
    out.push_back({*std::move(uplift), row[1].as<int64_t>()});
  }
  return out;
}

// What a second REQUESTED uplift of one IPA is refused with.
std::string AnotherAwaits(const FeeUplift& uplift) {
  return absl::StrCat("fee uplift ", uplift.id, ": another request of IPA ", uplift.ipa_id,
                      " awaits a decision");
}

absl::StatusOr<StoredUplift> LoadOneUplift(pqxx::work& tx, const char* statement,
                                           const std::string& id) {
  return Guarded("", [&]() -> absl::StatusOr<StoredUplift> {
    absl::StatusOr<std::vector<StoredUplift>> found = UpliftsOf(tx.exec_params(statement, id), 1);
    if (!found.ok()) return found.status();
    if (found->empty()) return absl::NotFoundError(absl::StrCat("fee uplift ", id, ": not found"));
    return std::move(found->front());
  });
}

}  // namespace

absl::StatusOr<StoredIpa> PgIpaRepository::Load(const std::string& id) {
  return LoadOne(tx_, sql::kSelectIpa, id);
}

absl::StatusOr<StoredIpa> PgIpaRepository::LoadForUpdate(const std::string& id) {
  return LoadOne(tx_, sql::kSelectIpaForUpdate, id);
}

absl::StatusOr<std::optional<StoredIpa>> PgIpaRepository::FindBySource(
    const std::string& source_key) {
  return Guarded("", [&]() -> absl::StatusOr<std::optional<StoredIpa>> {
    absl::StatusOr<std::vector<StoredIpa>> found =
        Assemble(tx_, tx_.exec_params(sql::kSelectIpaBySource, source_key), 1);
    if (!found.ok()) return found.status();
    if (found->empty()) return std::nullopt;
    return std::move(found->front());
  });
}

absl::StatusOr<int64_t> PgIpaRepository::Insert(const Ipa& ipa, const NewDocuments& documents) {
  absl::StatusOr<std::string> key = SourceKey(ipa.source);
  if (!key.ok()) return key.status();
  return Guarded(
      absl::StrCat("ipa ", ipa.id, ": already exists, or another IPA has its source ", *key),
      [&]() -> absl::StatusOr<int64_t> {
        tx_.exec_params0(sql::kInsertIpa, ipa.id, ipa.system_id, ipa.lot_id, *key,
                         ipa.parties.placing_authority_id, ipa.parties.provider_id,
                         ipa.parties.establishment_id, std::string(IpaStateName(ipa.state)),
                         MicrosOf(NextTimerDue(ipa)), absl::ToUnixMicros(ipa.created_at),
                         storage::IpaToJson(ipa).dump());
        if (absl::Status s = WriteVersions(tx_, ipa, documents); !s.ok()) return s;
        return int64_t{1};
      });
}

absl::StatusOr<int64_t> PgIpaRepository::Save(const Ipa& ipa, int64_t expected_version,
                                              const NewDocuments& documents) {
  return Guarded("", [&]() -> absl::StatusOr<int64_t> {
    const pqxx::result updated = tx_.exec_params(
        sql::kUpdateIpa, ipa.id, expected_version, std::string(IpaStateName(ipa.state)),
        MicrosOf(NextTimerDue(ipa)), storage::IpaToJson(ipa).dump());
    if (updated.empty()) {
      const pqxx::result current = tx_.exec_params(sql::kIpaVersionOf, ipa.id);
      if (current.empty()) return absl::NotFoundError(absl::StrCat("ipa ", ipa.id, ": not found"));
      const int64_t actual = current[0][0].as<int64_t>();
      absl::Status conflict =
          platform::CheckVersion(absl::StrCat("ipa ", ipa.id), expected_version, actual);
      if (conflict.ok()) conflict = absl::AbortedError(absl::StrCat("ipa ", ipa.id, ": changed"));
      return conflict;
    }
    if (absl::Status s = WriteVersions(tx_, ipa, documents); !s.ok()) return s;
    return updated[0][0].as<int64_t>();
  });
}

absl::StatusOr<std::vector<StoredIpa>> PgIpaRepository::ListDue(absl::Time now, int limit) {
  if (limit < 1) return absl::InvalidArgumentError("limit: must be at least 1");
  return Guarded("", [&]() -> absl::StatusOr<std::vector<StoredIpa>> {
    return Assemble(tx_, tx_.exec_params(sql::kClaimDue, absl::ToUnixMicros(now), limit),
                    static_cast<size_t>(limit));
  });
}

absl::StatusOr<IpaPage> PgIpaRepository::List(const IpaFilter& filter, const IpaPageRequest& page) {
  if (page.size < 1 || page.size > kMaxListPage) {
    return absl::InvalidArgumentError("page.page_size: must be 1 to 500");
  }
  std::vector<std::string> states;
  for (IpaState state : filter.states) states.emplace_back(IpaStateName(state));
  return Guarded("", [&]() -> absl::StatusOr<IpaPage> {
    const pqxx::result rows =
        tx_.exec_params(sql::kListIpas, filter.placing_authority_id, filter.provider_id,
                        absl::StrJoin(states, ","), page.after_id, page.size + 1,
                        filter.lead_authority_id, filter.system_id, filter.establishment_id);
    absl::StatusOr<std::vector<StoredIpa>> ipas =
        Assemble(tx_, rows, static_cast<size_t>(page.size));
    if (!ipas.ok()) return ipas.status();
    IpaPage out;
    out.ipas = *std::move(ipas);
    if (rows.size() > static_cast<size_t>(page.size)) out.next_after_id = out.ipas.back().ipa.id;
    return out;
  });
}

absl::StatusOr<std::string> PgIpaRepository::LoadDocument(const std::string& ipa_id,
                                                          int version_number) {
  return Guarded("", [&]() -> absl::StatusOr<std::string> {
    const pqxx::result rows = tx_.exec_params(sql::kSelectDocument, ipa_id, version_number);
    if (rows.empty()) {
      return absl::NotFoundError(
          absl::StrCat("ipa ", ipa_id, " version ", version_number, ": not found"));
    }
    return absl::HexStringToBytes(rows[0][0].as<std::string>());
  });
}

absl::StatusOr<StoredUplift> PgFeeUpliftRepository::Load(const std::string& id) {
  return LoadOneUplift(tx_, sql::kSelectUplift, id);
}

absl::StatusOr<StoredUplift> PgFeeUpliftRepository::LoadForUpdate(const std::string& id) {
  return LoadOneUplift(tx_, sql::kSelectUpliftForUpdate, id);
}

absl::StatusOr<std::vector<FeeUplift>> PgFeeUpliftRepository::ListForIpa(
    const std::string& ipa_id) {
  return Guarded("", [&]() -> absl::StatusOr<std::vector<FeeUplift>> {
    const pqxx::result rows = tx_.exec_params(sql::kSelectUpliftsOfIpa, ipa_id);
    absl::StatusOr<std::vector<StoredUplift>> stored = UpliftsOf(rows, rows.size());
    if (!stored.ok()) return stored.status();
    std::vector<FeeUplift> out;
    out.reserve(stored->size());
    for (StoredUplift& s : *stored) out.push_back(std::move(s.uplift));
    return out;
  });
}

absl::StatusOr<int64_t> PgFeeUpliftRepository::Insert(const FeeUplift& uplift) {
  // A taken id inserts nothing (ON CONFLICT (id)), so the one unique violation left is the
  // partial index of REQUESTED uplifts.
  return Guarded(AnotherAwaits(uplift), [&]() -> absl::StatusOr<int64_t> {
    const pqxx::result inserted = tx_.exec_params(
        sql::kInsertUplift, uplift.id, uplift.ipa_id, uplift.placing_authority_id,
        uplift.provider_id, uplift.lead_authority_id, std::string(UpliftStateName(uplift.state)),
        absl::ToUnixMicros(uplift.requested_at), storage::UpliftToJson(uplift).dump());
    if (inserted.empty()) {
      return absl::AlreadyExistsError(absl::StrCat("fee uplift ", uplift.id, ": already exists"));
    }
    return inserted[0][0].as<int64_t>();
  });
}

absl::StatusOr<int64_t> PgFeeUpliftRepository::Save(const FeeUplift& uplift,
                                                    int64_t expected_version) {
  // A unique violation here would be an uplift put back to REQUESTED beside another: the domain
  // never does that, and the index refuses it as it refuses the insert.
  return Guarded(AnotherAwaits(uplift), [&]() -> absl::StatusOr<int64_t> {
    const pqxx::result updated = tx_.exec_params(sql::kUpdateUplift, uplift.id, expected_version,
                                                 std::string(UpliftStateName(uplift.state)),
                                                 storage::UpliftToJson(uplift).dump());
    if (updated.empty()) {
      const pqxx::result current = tx_.exec_params(sql::kUpliftVersionOf, uplift.id);
      if (current.empty()) {
        return absl::NotFoundError(absl::StrCat("fee uplift ", uplift.id, ": not found"));
      }
      const std::string entity = absl::StrCat("fee uplift ", uplift.id);
      absl::Status conflict =
          platform::CheckVersion(entity, expected_version, current[0][0].as<int64_t>());
      if (conflict.ok()) conflict = absl::AbortedError(absl::StrCat(entity, ": changed"));
      return conflict;
    }
    return updated[0][0].as<int64_t>();
  });
}

absl::StatusOr<UpliftPage> PgFeeUpliftRepository::List(const UpliftFilter& filter,
                                                       const UpliftPageRequest& page) {
  if (page.size < 1 || page.size > kMaxListPage) {
    return absl::InvalidArgumentError("page.page_size: must be 1 to 500");
  }
  std::vector<std::string> states;
  for (UpliftState state : filter.states) states.emplace_back(UpliftStateName(state));
  return Guarded("", [&]() -> absl::StatusOr<UpliftPage> {
    const pqxx::result rows = tx_.exec_params(
        sql::kListUplifts, filter.ipa_id, filter.placing_authority_id, filter.provider_id,
        filter.lead_authority_id, absl::StrJoin(states, ","), page.after_id, page.size + 1);
    absl::StatusOr<std::vector<StoredUplift>> uplifts =
        UpliftsOf(rows, static_cast<size_t>(page.size));
    if (!uplifts.ok()) return uplifts.status();
    UpliftPage out;
    out.uplifts = *std::move(uplifts);
    if (rows.size() > static_cast<size_t>(page.size)) {
      out.next_after_id = out.uplifts.back().uplift.id;
    }
    return out;
  });
}

absl::Status PgIpaTransaction::Publish(const IpaEvent& event) {
  return Guarded("outbox: duplicate event", [&]() -> absl::Status {
    return platform::AppendToOutbox(tx_, {.stream = kContractsStream,
                                          .type = event.type,
                                          .aggregate_id = event.aggregate_id,
                                          .request_id = event.request_id,
                                          .payload = event.payload})
        .status();
  });
}

absl::Status PgIpaTransaction::RecordUnannounced(const platform::audit::Entry& entry) {
  return platform::audit::StageEntry(tx_, entry);
}

absl::Status PgIpaTransaction::RecordResponse(const RequestRecord& record) {
  return Guarded("idempotency_key: already served", [&]() -> absl::Status {
    return platform::RecordResponse(tx_, {.scope = record.scope, .key = record.key},
                                    record.request_digest, record.response);
  });
}

absl::Status PgIpaUnitOfWork::Run(const Work& work) {
  return pool_.InTransaction([&](pqxx::work& tx) {
    PgIpaTransaction transaction(tx);
    return work(transaction);
  });
}

}  // namespace dps::contracts
