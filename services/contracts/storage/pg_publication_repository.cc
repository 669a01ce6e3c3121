#include "services/contracts/storage/pg_publication_repository.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/storage/ipa_json.h"
#include "services/contracts/storage/pg_guard.h"
#include "services/contracts/storage/publication_sql.h"
#include "services/contracts/storage/record_json.h"

namespace dps::contracts {
namespace {

using storage::Guarded;
using namespace storage::record;  // NOLINT: the shared pieces of every stored document

using nlohmann::json;

constexpr int kMaxListPage = 500;

absl::StatusOr<PublicationKind> ParseKind(const std::string& name) {
  for (PublicationKind kind : {PublicationKind::kQuarterly, PublicationKind::kContractAwardNotice,
                               PublicationKind::kContractDetailsNotice}) {
    if (name == PublicationKindName(kind)) return kind;
  }
  return absl::InternalError(absl::StrCat("stored publication kind ", name));
}

// The rows (version, doc, package as hex), at most `max` of them, in order.
absl::StatusOr<std::vector<StoredPublication>> PublicationsOf(const pqxx::result& rows,
                                                              size_t max) {
  std::vector<StoredPublication> out;
  for (const pqxx::row& row : rows) {
    if (out.size() == max) break;
    json doc;
    try {
      doc = json::parse(row[1].c_str());
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("stored publication is not JSON: ", e.what()));
    }
    absl::StatusOr<Publication> publication = PublicationFromJson(doc);
    if (!publication.ok()) return publication.status();
    out.push_back(
        {*std::move(publication), absl::HexStringToBytes(row[2].c_str()), row[0].as<int64_t>()});
  }
  return out;
}

absl::StatusOr<std::optional<StoredPublication>> FindOne(const pqxx::result& rows) {
  absl::StatusOr<std::vector<StoredPublication>> found = PublicationsOf(rows, 1);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<StoredPublication>();
  return std::optional<StoredPublication>(std::move(found->front()));
}

absl::StatusOr<StoredPublication> LoadOne(pqxx::work& tx, const char* statement,
                                          const std::string& id) {
  return Guarded("", [&]() -> absl::StatusOr<StoredPublication> {
    absl::StatusOr<std::optional<StoredPublication>> found = FindOne(tx.exec_params(statement, id));
    if (!found.ok()) return found.status();
    if (!found->has_value()) {
      return absl::NotFoundError(absl::StrCat("publication ", id, ": not found"));
    }
    return **std::move(found);
  });
}

// What the unique indexes refuse a second one of.
std::string AlreadyProduced(const Publication& p) {
  if (p.quarter) {
    return absl::StrCat("publication ", p.id, ": ", p.system_id, " already has a ",
                        PublicationKindName(p.kind), " publication of ", QuarterLabel(*p.quarter));
  }
  return absl::StrCat("publication ", p.id, ": IPA ", p.ipa_id, " already has a ",
                      PublicationKindName(p.kind));
}

}  // namespace

json PublicationToJson(const Publication& p) {
  json j = {{"id", p.id},
            {"system_id", p.system_id},
            {"lead_authority_id", p.lead_authority_id},
            {"kind", PublicationKindName(p.kind)},
            {"award_count", p.award_count},
            {"total_annual_value_pence", p.total_annual_value_pence},
            {"sha256", p.sha256},
            {"state", PublicationStateName(p.state)},
            {"produced_at", storage::FormatInstant(p.produced_at)},
            {"produced_by_user_id", p.produced_by_user_id}};
  if (p.quarter) j["quarter"] = {{"year", p.quarter->year}, {"quarter", p.quarter->quarter}};
  if (!p.ipa_id.empty()) j["ipa_id"] = p.ipa_id;
  if (p.publish_by) j["publish_by"] = absl::FormatCivilTime(*p.publish_by);
  if (p.published_at) j["published_at"] = storage::FormatInstant(*p.published_at);
  if (!p.external_reference.empty()) j["external_reference"] = p.external_reference;
  if (!p.published_by_user_id.empty()) j["published_by_user_id"] = p.published_by_user_id;
  return j;
}

absl::StatusOr<Publication> PublicationFromJson(const json& j) {
  try {
    Publication p;
    p.id = j.at("id").get<std::string>();
    p.system_id = j.at("system_id").get<std::string>();
    p.lead_authority_id = j.at("lead_authority_id").get<std::string>();
    absl::StatusOr<PublicationKind> kind = ParseKind(j.at("kind").get<std::string>());
    if (!kind.ok()) return kind.status();
    p.kind = *kind;
    if (j.contains("quarter")) {
      p.quarter =
          Quarter{j.at("quarter").at("year").get<int>(), j.at("quarter").at("quarter").get<int>()};
    }
    p.ipa_id = Str(j, "ipa_id");
    p.award_count = j.at("award_count").get<int>();
    p.total_annual_value_pence = j.at("total_annual_value_pence").get<int64_t>();
    if (j.contains("publish_by")) p.publish_by = ReadDay(j.at("publish_by"));
    p.sha256 = j.at("sha256").get<std::string>();
    const std::string state = j.at("state").get<std::string>();
    if (state == PublicationStateName(PublicationState::kPublished)) {
      p.state = PublicationState::kPublished;
    } else if (state == PublicationStateName(PublicationState::kProduced)) {
      p.state = PublicationState::kProduced;
    } else {
      return absl::InternalError(absl::StrCat("stored publication state ", state));
    }
    p.produced_at = ReadInstant(j.at("produced_at"));
    p.produced_by_user_id = Str(j, "produced_by_user_id");
    if (j.contains("published_at")) p.published_at = ReadInstant(j.at("published_at"));
    p.external_reference = Str(j, "external_reference");
    p.published_by_user_id = Str(j, "published_by_user_id");
    return p;
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("stored publication: ", e.what()));
  }
}

absl::StatusOr<StoredPublication> PgPublicationRepository::Load(const std::string& id) {
  return LoadOne(tx_, sql::kSelectPublication, id);
}

absl::StatusOr<StoredPublication> PgPublicationRepository::LoadForUpdate(const std::string& id) {
  return LoadOne(tx_, sql::kSelectPublicationForUpdate, id);
}

absl::StatusOr<int64_t> PgPublicationRepository::Insert(const Publication& p,
                                                        const std::string& package) {
  // Checked here as well as by the table, to say what is wrong rather than a CHECK's name.
  if (platform::Sha256Hex(package) != p.sha256) {
    return absl::InternalError(
        absl::StrCat("publication ", p.id, ": the SHA-256 is not of the package"));
  }
  return Guarded(AlreadyProduced(p), [&]() -> absl::StatusOr<int64_t> {
    std::optional<int> year;
    std::optional<int> quarter;
    if (p.quarter) {
      year = p.quarter->year;
      quarter = p.quarter->quarter;
    }
    std::optional<std::string> ipa_id;
    if (!p.ipa_id.empty()) ipa_id = p.ipa_id;
    const pqxx::result rows = tx_.exec_params(
        sql::kInsertPublication, p.id, p.system_id, std::string(PublicationKindName(p.kind)), year,
        quarter, ipa_id, std::string(PublicationStateName(p.state)),
        absl::ToUnixMicros(p.produced_at), absl::BytesToHexString(package), p.sha256,
        PublicationToJson(p).dump());
    if (rows.empty()) {
      return absl::AlreadyExistsError(absl::StrCat("publication ", p.id, ": already exists"));
    }
    return rows[0][0].as<int64_t>();
  });
}

absl::StatusOr<int64_t> PgPublicationRepository::Save(const Publication& p,
                                                      int64_t expected_version) {
  return Guarded("", [&]() -> absl::StatusOr<int64_t> {
    const pqxx::result rows =
        tx_.exec_params(sql::kUpdatePublication, p.id, expected_version,
                        std::string(PublicationStateName(p.state)), PublicationToJson(p).dump());
    if (!rows.empty()) return rows[0][0].as<int64_t>();
    const pqxx::result stored = tx_.exec_params(sql::kPublicationVersionOf, p.id);
    if (stored.empty())
      return absl::NotFoundError(absl::StrCat("publication ", p.id, ": not found"));
    return absl::AbortedError(absl::StrCat("publication ", p.id, ": version ", expected_version,
                                           " is not the stored ", stored[0][0].as<int64_t>()));
  });
}

absl::StatusOr<std::optional<StoredPublication>> PgPublicationRepository::FindQuarterly(
    const std::string& system_id, const Quarter& quarter) {
  return Guarded("", [&]() -> absl::StatusOr<std::optional<StoredPublication>> {
    return FindOne(
        tx_.exec_params(sql::kSelectQuarterly, system_id, quarter.year, quarter.quarter));
  });
}

absl::StatusOr<std::optional<StoredPublication>> PgPublicationRepository::FindNotice(
    const std::string& ipa_id, PublicationKind kind) {
  return Guarded("", [&]() -> absl::StatusOr<std::optional<StoredPublication>> {
    return FindOne(
        tx_.exec_params(sql::kSelectNotice, ipa_id, std::string(PublicationKindName(kind))));
  });
}

absl::StatusOr<PublicationPage> PgPublicationRepository::List(const std::string& system_id,
                                                              const PublicationPageRequest& page) {
  if (page.size < 1 || page.size > kMaxListPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.size: must be 1 to ", kMaxListPage, ", got ", page.size));
  }
  return Guarded("", [&]() -> absl::StatusOr<PublicationPage> {
    const std::string kind = page.kind == PublicationKind::kUnspecified
                                 ? ""
                                 : std::string(PublicationKindName(page.kind));
    const pqxx::result rows =
        tx_.exec_params(sql::kListPublications, system_id, kind, page.after_id, page.size + 1);
    absl::StatusOr<std::vector<StoredPublication>> found = PublicationsOf(rows, page.size);
    if (!found.ok()) return found.status();
    PublicationPage out;
    out.publications = *std::move(found);
    if (rows.size() > static_cast<size_t>(page.size)) {
      out.next_after_id = out.publications.back().publication.id;
    }
    return out;
  });
}

absl::StatusOr<std::vector<std::string>> PgPublicationRepository::ListAwardsBetween(
    const std::string& system_id, absl::Time from, absl::Time to) {
  return Guarded("", [&]() -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (const pqxx::row& row : tx_.exec_params(sql::kListAwardsBetween, system_id,
                                                absl::ToUnixMicros(from), absl::ToUnixMicros(to))) {
      ids.push_back(row[0].as<std::string>());
    }
    return ids;
  });
}

absl::Status PgPublicationUnitOfWork::Run(const Work& work) {
  return pool_.InTransaction([&](pqxx::work& tx) {
    PgPublicationTransaction transaction(tx);
    return work(transaction);
  });
}

}  // namespace dps::contracts
