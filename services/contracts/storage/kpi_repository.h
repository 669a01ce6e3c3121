// Where KPI definitions, KPI returns and performance reviews (domain/kpi.h) are kept, read and
// written in the same transaction as the IPAs (IpaTransaction::kpis()), so a return is checked
// under its IPA's row lock and saved with its event. The PostgreSQL implementation is
// PgKpiRepository (pg_kpi_repository.h, tables of migrations/0004_kpis.sql); app/testing's
// FakeIpaStore keeps them in memory.
//
// Locks: a return is checked against its system's definitions read with LoadDefinitionsForShare,
// and definitions are replaced after LoadDefinitionsForUpdate, so a code a new return uses cannot
// be removed while that return is being written (one waits for the other).
//
// Errors: NotFound "kpi return <id>: not found" (and "performance review <id>: ..."); AlreadyExists
// when an insert repeats an id, or a return repeats its IPA and period; Aborted when a save names
// a version other than the stored one; database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_KPI_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_KPI_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/contracts/domain/kpi.h"

namespace dps::contracts {

// A system's definitions as stored, with the version a save must name: 0 and no definitions
// when the system has none yet.
struct StoredKpiDefinitionSet {
  KpiDefinitionSet set;
  int64_t version = 0;
};

struct StoredKpiReturn {
  KpiReturn kpi_return;
  int64_t version = 0;  // 1 after Insert, +1 per Save
};

struct StoredPerformanceReview {
  PerformanceReview review;
  int64_t version = 0;  // 1 after Insert
};

// Which returns a list gives; empty fields match every return. The use cases always give one
// scope (an authority's own, a provider's own, or those of the systems an authority leads).
struct KpiReturnFilter {
  std::string ipa_id;
  std::string establishment_id;
  std::string system_id;
  std::string placing_authority_id;
  std::string provider_id;
  std::string lead_authority_id;
  std::optional<DateRange> period;     // returns whose period shares a day with it
  std::vector<KpiReturnState> states;  // empty: every state
};

// Which reviews a list gives; empty fields match every review.
struct PerformanceReviewFilter {
  std::string system_id;
  std::string establishment_id;
  std::string provider_id;
  std::string lead_authority_id;
};

struct KpiPageRequest {
  int size = 50;         // 1..500
  std::string after_id;  // the last id of the previous page; empty for the first
};

struct KpiReturnPage {
  std::vector<StoredKpiReturn> returns;  // by id
  std::string next_after_id;             // empty when this page is the last
};

struct PerformanceReviewPage {
  std::vector<StoredPerformanceReview> reviews;  // by id
  std::string next_after_id;
};

class KpiRepository {
 public:
  virtual ~KpiRepository() = default;

  // --- definitions ---
  // The system's definitions (version 0, none, when it has no row yet).
  virtual absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitions(const std::string& system_id) = 0;
  // As LoadDefinitions, holding a share lock on the row until the transaction ends: what a return
  // is checked against cannot change before it is saved.
  virtual absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitionsForShare(
      const std::string& system_id) = 0;
  // As LoadDefinitions, holding the row's lock until the transaction ends.
  virtual absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitionsForUpdate(
      const std::string& system_id) = 0;
  // Writes the set when the stored version is `expected_version` (0: there is no row yet),
  // returning the new version; Aborted otherwise (someone else set them since they were read).
  virtual absl::StatusOr<int64_t> SaveDefinitions(const KpiDefinitionSet& set,
                                                  int64_t expected_version) = 0;
  // Every KPI code some return of the system uses.
  virtual absl::StatusOr<std::set<std::string>> CodesInUse(const std::string& system_id) = 0;

  // --- returns ---
  virtual absl::StatusOr<StoredKpiReturn> LoadReturn(const std::string& id) = 0;
  // As LoadReturn, holding the return's row lock until the transaction ends.
  virtual absl::StatusOr<StoredKpiReturn> LoadReturnForUpdate(const std::string& id) = 0;
  // The IPA's return for exactly this period, if any.
  virtual absl::StatusOr<std::optional<StoredKpiReturn>> FindReturn(const std::string& ipa_id,
                                                                    const DateRange& period) = 0;
  // A new return (version 1). AlreadyExists when its id is taken or its IPA has a return for the
  // same period.
  virtual absl::StatusOr<int64_t> InsertReturn(const KpiReturn& kpi_return) = 0;
  // Writes the return over the stored one when the stored version is `expected_version`,
  // returning the new version; Aborted otherwise, NotFound for an unknown id.
  virtual absl::StatusOr<int64_t> SaveReturn(const KpiReturn& kpi_return,
                                             int64_t expected_version) = 0;
  // One page of the returns the filter matches, by id.
  virtual absl::StatusOr<KpiReturnPage> ListReturns(const KpiReturnFilter& filter,
                                                    const KpiPageRequest& page) = 0;

  // --- performance reviews ---
  virtual absl::StatusOr<StoredPerformanceReview> LoadReview(const std::string& id) = 0;
  // A new review (version 1). AlreadyExists when its id is taken.
  virtual absl::StatusOr<int64_t> InsertReview(const PerformanceReview& review) = 0;
  // One page of the reviews the filter matches, by id.
  virtual absl::StatusOr<PerformanceReviewPage> ListReviews(const PerformanceReviewFilter& filter,
                                                            const KpiPageRequest& page) = 0;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_KPI_REPOSITORY_H_
