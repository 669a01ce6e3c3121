// The provider use cases on the repository in memory: registration under the caller's
// organisation, once; changes by the provider's own users, at the version they read.
#include "services/qualification/app/providers.h"

#include <catch2/catch.hpp>

#include "services/qualification/domain/test_fixtures.h"
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
  InMemoryProviderRepository providers;
  ProviderUseCases use_cases{providers};
};

TEST_CASE("providers: one registers once, under its own organisation") {
  World w;
  absl::StatusOr<Provider> registered =
      w.use_cases.Register({.name = "Acme Care Ltd"}, kAcme, Utc(2026, 1, 8));
  REQUIRE(registered.ok());
  CHECK(registered->id == "acme-care");
  CHECK(w.use_cases.Read("acme-care")->details.name == "Acme Care Ltd");
  CHECK(w.use_cases.Register({.name = "Acme again"}, kAcme, Utc(2026, 1, 9)).status() ==
        absl::AlreadyExistsError("provider acme-care: already registered"));
  CHECK(w.use_cases.Register({}, kOther, Utc(2026, 1, 9)).status() ==
        absl::InvalidArgumentError("spec.name: required"));
  CHECK(w.use_cases.Read("other-care").status() ==
        absl::NotFoundError("provider other-care: not found"));
}

TEST_CASE("providers: its own users change its details, at the version they read") {
  World w;
  REQUIRE(w.use_cases.Register({.name = "Acme Care Ltd"}, kAcme, Utc(2026, 1, 8)).ok());
  CHECK(w.use_cases.Update("acme-care", 0, {.name = "Acme"}, kOther).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.use_cases.Update("", 0, {.name = "Acme"}, kAcme).status() ==
        absl::InvalidArgumentError("id: required"));
  CHECK(w.use_cases.Update("acme-care", 7, {.name = "Acme"}, kAcme).status().code() ==
        absl::StatusCode::kAborted);
  CHECK(w.use_cases.Update("acme-care", 1, {}, kAcme).status() ==
        absl::InvalidArgumentError("spec.name: required"));
  CHECK(w.use_cases.Read("acme-care")->version == 1);
  absl::StatusOr<Provider> changed =
      w.use_cases.Update("acme-care", 1, {.name = "Acme Children's Services"}, kAcme);
  REQUIRE(changed.ok());
  CHECK(changed->version == 2);
  CHECK(w.use_cases.Read("acme-care")->details.name == "Acme Children's Services");
  CHECK(w.use_cases.Read("acme-care")->registered_at == Utc(2026, 1, 8));
}

}  // namespace
}  // namespace dps::qualification
