#include "services/contracts/storage/pg_kpi_repository.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "services/contracts/storage/kpi_json.h"
#include "services/contracts/storage/kpi_sql.h"
#include "services/contracts/storage/pg_guard.h"

namespace dps::contracts {
namespace {

using storage::Guarded;
using storage::ParseDoc;

using nlohmann::json;

constexpr int kMaxListPage = 500;

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Status CheckPage(const KpiPageRequest& page) {
  if (page.size < 1 || page.size > kMaxListPage) {
    return absl::InvalidArgumentError("page.page_size: must be 1 to 500");
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredKpiDefinitionSet> LoadSet(pqxx::work& tx, const char* statement,
                                               const std::string& system_id) {
  return Guarded("", [&]() -> absl::StatusOr<StoredKpiDefinitionSet> {
    const pqxx::result rows = tx.exec_params(statement, system_id);
    StoredKpiDefinitionSet out;
    out.set.system_id = system_id;
    if (rows.empty()) return out;
    absl::StatusOr<json> doc = ParseDoc(rows[0][1], "kpi definitions");
    if (!doc.ok()) return doc.status();
    absl::StatusOr<KpiDefinitionSet> set = storage::DefinitionSetFromJson(*doc);
    if (!set.ok()) return set.status();
    out.set = *std::move(set);
    out.version = rows[0][0].as<int64_t>();
    return out;
  });
}

// The returns of `rows` (id, version, doc), at most `max` of them, in the rows' order.
absl::StatusOr<std::vector<StoredKpiReturn>> ReturnsOf(const pqxx::result& rows, size_t max) {
  std::vector<StoredKpiReturn> out;
  for (const pqxx::row& row : rows) {
    if (out.size() == max) break;
    absl::StatusOr<json> doc = ParseDoc(row[2], "kpi return");
    if (!doc.ok()) return doc.status();
    absl::StatusOr<KpiReturn> r = storage::KpiReturnFromJson(*doc);
    if (!r.ok()) return r.status();
    out.push_back({*std::move(r), row[1].as<int64_t>()});
  }
  return out;
}

absl::StatusOr<std::vector<StoredPerformanceReview>> ReviewsOf(const pqxx::result& rows,
                                                               size_t max) {
  std::vector<StoredPerformanceReview> out;
  for (const pqxx::row& row : rows) {
    if (out.size() == max) break;
    absl::StatusOr<json> doc = ParseDoc(row[2], "performance review");
    if (!doc.ok()) return doc.status();
    absl::StatusOr<PerformanceReview> r = storage::PerformanceReviewFromJson(*doc);
    if (!r.ok()) return r.status();
    out.push_back({*std::move(r), row[1].as<int64_t>()});
  }
  return out;
}

absl::StatusOr<StoredKpiReturn> LoadOneReturn(pqxx::work& tx, const char* statement,
                                              const std::string& id) {
  return Guarded("", [&]() -> absl::StatusOr<StoredKpiReturn> {
    absl::StatusOr<std::vector<StoredKpiReturn>> found =
        ReturnsOf(tx.exec_params(statement, id), 1);
    if (!found.ok()) return found.status();
    if (found->empty()) return absl::NotFoundError(absl::StrCat("kpi return ", id, ": not found"));
    return std::move(found->front());
  });
}

}  // namespace

absl::StatusOr<StoredKpiDefinitionSet> PgKpiRepository::LoadDefinitions(
    const std::string& system_id) {
  return LoadSet(tx_, sql::kSelectDefinitions, system_id);
}

absl::StatusOr<StoredKpiDefinitionSet> PgKpiRepository::LoadDefinitionsForShare(
    const std::string& system_id) {
  return LoadSet(tx_, sql::kSelectDefinitionsForShare, system_id);
}

absl::StatusOr<StoredKpiDefinitionSet> PgKpiRepository::LoadDefinitionsForUpdate(
    const std::string& system_id) {
  return LoadSet(tx_, sql::kSelectDefinitionsForUpdate, system_id);
}

absl::StatusOr<int64_t> PgKpiRepository::SaveDefinitions(const KpiDefinitionSet& set,
                                                         int64_t expected_version) {
  return Guarded("", [&]() -> absl::StatusOr<int64_t> {
    const std::string doc = storage::DefinitionSetToJson(set).dump();
    // No row back: a first set raced another (the row exists now), or the version moved on.
    const pqxx::result written =
        expected_version == 0
            ? tx_.exec_params(sql::kInsertDefinitions, set.system_id, doc)
            : tx_.exec_params(sql::kUpdateDefinitions, set.system_id, expected_version, doc);
    if (written.empty()) {
      return absl::AbortedError(absl::StrCat("kpi definitions of system ", set.system_id,
                                             ": changed since version ", expected_version,
                                             " was read"));
    }
    return written[0][0].as<int64_t>();
  });
}

absl::StatusOr<std::set<std::string>> PgKpiRepository::CodesInUse(const std::string& system_id) {
  return Guarded("", [&]() -> absl::StatusOr<std::set<std::string>> {
    std::set<std::string> out;
    for (const pqxx::row& row : tx_.exec_params(sql::kCodesInUse, system_id)) {
      out.insert(row[0].as<std::string>());
    }
    return out;
  });
}

absl::StatusOr<StoredKpiReturn> PgKpiRepository::LoadReturn(const std::string& id) {
  return LoadOneReturn(tx_, sql::kSelectReturn, id);
}

absl::StatusOr<StoredKpiReturn> PgKpiRepository::LoadReturnForUpdate(const std::string& id) {
  return LoadOneReturn(tx_, sql::kSelectReturnForUpdate, id);
}

absl::StatusOr<std::optional<StoredKpiReturn>> PgKpiRepository::FindReturn(
    const std::string& ipa_id, const DateRange& period) {
  return Guarded("", [&]() -> absl::StatusOr<std::optional<StoredKpiReturn>> {
    absl::StatusOr<std::vector<StoredKpiReturn>> found = ReturnsOf(
        tx_.exec_params(sql::kSelectReturnForPeriod, ipa_id, Day(period.start), Day(period.end)),
        1);
    if (!found.ok()) return found.status();
    if (found->empty()) return std::nullopt;
    return std::move(found->front());
  });
}

absl::StatusOr<int64_t> PgKpiRepository::InsertReturn(const KpiReturn& r) {
  // A taken id inserts nothing (ON CONFLICT (id)), so the one unique violation left is the IPA
  // and period's.
  return Guarded(
      absl::StrCat("kpi return ", r.id, ": IPA ", r.ipa_id, " has a return for ",
                   FormatRange(r.period), " already"),
      [&]() -> absl::StatusOr<int64_t> {
        const pqxx::result inserted = tx_.exec_params(
            sql::kInsertReturn, r.id, r.ipa_id, r.system_id, r.provider_id, r.establishment_id,
            r.placing_authority_id, r.lead_authority_id, Day(r.period.start), Day(r.period.end),
            std::string(KpiReturnStateName(r.state)), storage::KpiReturnToJson(r).dump());
        if (inserted.empty()) {
          return absl::AlreadyExistsError(absl::StrCat("kpi return ", r.id, ": already exists"));
        }
        return inserted[0][0].as<int64_t>();
      });
}

absl::StatusOr<int64_t> PgKpiRepository::SaveReturn(const KpiReturn& r, int64_t expected_version) {
  return Guarded("", [&]() -> absl::StatusOr<int64_t> {
    const pqxx::result updated = tx_.exec_params(sql::kUpdateReturn, r.id, expected_version,
                                                 std::string(KpiReturnStateName(r.state)),
                                                 storage::KpiReturnToJson(r).dump());
    if (updated.empty()) {
      const pqxx::result current = tx_.exec_params(sql::kReturnVersionOf, r.id);
      if (current.empty()) {
        return absl::NotFoundError(absl::StrCat("kpi return ", r.id, ": not found"));
      }
      return absl::AbortedError(absl::StrCat("kpi return ", r.id, ": version ", expected_version,
                                             " is not the stored ", current[0][0].as<int64_t>()));
    }
    return updated[0][0].as<int64_t>();
  });
}

absl::StatusOr<KpiReturnPage> PgKpiRepository::ListReturns(const KpiReturnFilter& filter,
                                                           const KpiPageRequest& page) {
  if (absl::Status s = CheckPage(page); !s.ok()) return s;
  std::vector<std::string> states;
  for (KpiReturnState state : filter.states) states.emplace_back(KpiReturnStateName(state));
  std::optional<std::string> from;
  std::optional<std::string> to;
  if (filter.period) {
    from = Day(filter.period->start);
    to = Day(filter.period->end);
  }
  return Guarded("", [&]() -> absl::StatusOr<KpiReturnPage> {
    const pqxx::result rows =
        tx_.exec_params(sql::kListReturns, filter.ipa_id, filter.establishment_id, filter.system_id,
                        filter.placing_authority_id, filter.provider_id, filter.lead_authority_id,
                        from, to, absl::StrJoin(states, ","), page.after_id, page.size + 1);
    absl::StatusOr<std::vector<StoredKpiReturn>> returns =
        ReturnsOf(rows, static_cast<size_t>(page.size));
    if (!returns.ok()) return returns.status();
    KpiReturnPage out;
    out.returns = *std::move(returns);
    if (rows.size() > static_cast<size_t>(page.size)) {
      out.next_after_id = out.returns.back().kpi_return.id;
    }
    return out;
  });
}

absl::StatusOr<StoredPerformanceReview> PgKpiRepository::LoadReview(const std::string& id) {
  return Guarded("", [&]() -> absl::StatusOr<StoredPerformanceReview> {
    absl::StatusOr<std::vector<StoredPerformanceReview>> found =
        ReviewsOf(tx_.exec_params(sql::kSelectReview, id), 1);
    if (!found.ok()) return found.status();
    if (found->empty()) {
      return absl::NotFoundError(absl::StrCat("performance review ", id, ": not found"));
    }
    return std::move(found->front());
  });
}

absl::StatusOr<int64_t> PgKpiRepository::InsertReview(const PerformanceReview& r) {
  return Guarded(absl::StrCat("performance review ", r.id, ": already exists"),
                 [&]() -> absl::StatusOr<int64_t> {
                   const pqxx::result inserted =
                       tx_.exec_params(sql::kInsertReview, r.id, r.system_id, r.lead_authority_id,
                                       r.establishment_id, r.provider_id, Day(r.period.start),
                                       Day(r.period.end), absl::ToUnixMicros(r.reviewed_at),
                                       storage::PerformanceReviewToJson(r).dump());
                   if (inserted.empty()) {
                     return absl::AlreadyExistsError(
                         absl::StrCat("performance review ", r.id, ": already exists"));
                   }
                   return inserted[0][0].as<int64_t>();
                 });
}

absl::StatusOr<PerformanceReviewPage> PgKpiRepository::ListReviews(
    const PerformanceReviewFilter& filter, const KpiPageRequest& page) {
  if (absl::Status s = CheckPage(page); !s.ok()) return s;
  return Guarded("", [&]() -> absl::StatusOr<PerformanceReviewPage> {
    const pqxx::result rows =
        tx_.exec_params(sql::kListReviews, filter.system_id, filter.establishment_id,
                        filter.provider_id, filter.lead_authority_id, page.after_id, page.size + 1);
    absl::StatusOr<std::vector<StoredPerformanceReview>> reviews =
        ReviewsOf(rows, static_cast<size_t>(page.size));
    if (!reviews.ok()) return reviews.status();
    PerformanceReviewPage out;
    out.reviews = *std::move(reviews);
    if (rows.size() > static_cast<size_t>(page.size)) {
      out.next_after_id = out.reviews.back().review.id;
    }
    return out;
  });
}

}  // namespace dps::contracts
