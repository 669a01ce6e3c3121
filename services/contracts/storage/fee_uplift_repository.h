// Where fee uplift requests (domain/fee_uplift.h) are kept: an aggregate of their own beside the
// IPAs, read and written in the same transaction as the IPA they belong to (IpaTransaction::
// uplifts()), so an approval's new IPA version and the decided request commit together. The
// PostgreSQL implementation is PgFeeUpliftRepository (pg_ipa_repository.h, table fee_uplifts of
// migrations/0002_fee_uplifts.sql); app/testing's FakeIpaStore keeps them in memory.
//
// The use cases lock the IPA (IpaRepository::LoadForUpdate) before they read its uplifts to
// apply the 12-month rule, so two requests on one IPA are decided one after the other; storage
// also holds at most one REQUESTED uplift per IPA.
//
// Errors: NotFound "fee uplift <id>: not found"; AlreadyExists when an insert repeats an id or a
// second REQUESTED uplift of one IPA; Aborted when a save names a version other than the stored
// one; database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_FEE_UPLIFT_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_FEE_UPLIFT_REPOSITORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/contracts/domain/fee_uplift.h"

namespace dps::contracts {

// An uplift as stored, with the version a save must name.
struct StoredUplift {
  FeeUplift uplift;
  int64_t version = 0;  // 1 after Insert, +1 per Save
};

// Which uplifts a list returns; empty fields match every uplift. The use cases always give one
// scope (an authority's own, a provider's own, or those of the systems an authority leads).
struct UpliftFilter {
  std::string ipa_id;
  std::string placing_authority_id;
  std::string provider_id;
  std::string lead_authority_id;
  std::vector<UpliftState> states;  // empty: every state
};

struct UpliftPageRequest {
  int size = 50;         // 1..500
  std::string after_id;  // the last id of the previous page; empty for the first
};

struct UpliftPage {
  std::vector<StoredUplift> uplifts;  // by id
  std::string next_after_id;          // empty when this page is the last
};

class FeeUpliftRepository {
 public:
  virtual ~FeeUpliftRepository() = default;

  virtual absl::StatusOr<StoredUplift> Load(const std::string& id) = 0;
  // As Load, holding the uplift's row lock until the transaction ends.
  virtual absl::StatusOr<StoredUplift> LoadForUpdate(const std::string& id) = 0;
  // Every uplift of the IPA, oldest request first: what the 12-month rule reads.
  virtual absl::StatusOr<std::vector<FeeUplift>> ListForIpa(const std::string& ipa_id) = 0;
  // A new uplift (version 1). AlreadyExists when its id is taken, or when it is REQUESTED and
  // another uplift of its IPA still is.
  virtual absl::StatusOr<int64_t> Insert(const FeeUplift& uplift) = 0;
  // Writes `uplift` over the stored one when the stored version is `expected_version`, returning
  // the new version; Aborted otherwise, NotFound for an unknown id.
  virtual absl::StatusOr<int64_t> Save(const FeeUplift& uplift, int64_t expected_version) = 0;
  // One page of the uplifts the filter matches, by id.
  virtual absl::StatusOr<UpliftPage> List(const UpliftFilter& filter,
                                          const UpliftPageRequest& page) = 0;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_FEE_UPLIFT_REPOSITORY_H_
