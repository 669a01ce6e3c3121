// The establishment use cases on the repositories in memory: a provider's users register and
// change their own, checked by the register's rules, at the version they read.
#include "services/qualification/app/establishments.h"

#include <catch2/catch.hpp>

#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/testing/in_memory_establishment_repository.h"
#include "services/qualification/storage/testing/in_memory_provider_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;
using ApiRole = dps::common::v1::Role;

const platform::CallerIdentity kAcme{
    .user_id = "user-acme", .role = ApiRole::ROLE_PROVIDER_USER, .organisation_id = "acme-care"};
const platform::CallerIdentity kOther{
    .user_id = "user-other", .role = ApiRole::ROLE_PROVIDER_USER, .organisation_id = "other-care"};

struct World {
  InMemoryEstablishmentRepository establishments;
  InMemoryProviderRepository providers;
  EstablishmentUseCases use_cases{establishments, providers};

  World() {
    REQUIRE(providers
                .Insert(*RegisterProvider("acme-care", {.name = "Acme Care Ltd"}, Utc(2026, 1, 8),
                                          "spec"))
                .ok());
  }
};

TEST_CASE("establishments: a provider's users register theirs, checked") {
  World w;
  absl::StatusOr<Establishment> created =
      w.use_cases.Create("est-1", "acme-care", testing::AcmeHouseDetails(), kAcme);
  REQUIRE(created.ok());
  CHECK(created->version == 1);
  CHECK(w.use_cases.Read("est-1")->details.name == "Acme House");
  CHECK(w.use_cases.Read("est-9").status() ==
        absl::NotFoundError("establishment est-9: not found"));
  CHECK(w.use_cases.Create("est-2", "acme-care", testing::AcmeHouseDetails(), kOther)
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  CHECK(w.use_cases.Create("est-2", "", testing::AcmeHouseDetails(), kAcme).status() ==
        absl::InvalidArgumentError("provider_id: required"));
  const platform::CallerIdentity unregistered{
      .user_id = "u", .role = ApiRole::ROLE_PROVIDER_USER, .organisation_id = "new-care"};
  CHECK(w.use_cases.Create("est-2", "new-care", testing::AcmeHouseDetails(), unregistered)
            .status()
            .code() == absl::StatusCode::kNotFound);
  EstablishmentDetails nowhere = testing::AcmeHouseDetails();
  nowhere.latitude = 0;
  nowhere.longitude = 0;
  CHECK(w.use_cases.Create("est-2", "acme-care", nowhere, kAcme).status() ==
        absl::InvalidArgumentError("spec.location: required"));
  CHECK(w.use_cases.Read("est-2").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("establishments: changed by their provider's users, at the version they read") {
  World w;
  REQUIRE(w.use_cases.Create("est-1", "acme-care", testing::AcmeHouseDetails(), kAcme).ok());
  EstablishmentDetails bigger = testing::AcmeHouseDetails();
  bigger.registered_places = 6;
  CHECK(w.use_cases.Update("est-1", 0, bigger, kOther).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.use_cases.Update("est-1", 4, bigger, kAcme).status().code() ==
        absl::StatusCode::kAborted);
  EstablishmentDetails wrong = bigger;
  wrong.age_max_years = 30;
  CHECK(w.use_cases.Update("est-1", 1, wrong, kAcme).status() ==
        absl::InvalidArgumentError("spec.age_max_years: must be age_min_years-25, got 30"));
  CHECK(w.use_cases.Read("est-1")->details.registered_places == 4);
  absl::StatusOr<Establishment> changed = w.use_cases.Update("est-1", 1, bigger, kAcme);
  REQUIRE(changed.ok());
  CHECK(changed->version == 2);
  CHECK(w.use_cases.Read("est-1")->details.registered_places == 6);
  CHECK(w.use_cases.Read("est-1")->provider_id == "acme-care");
}

}  // namespace
}  // namespace dps::qualification
