// The provider repository held to one contract, against PostgreSQL (in one transaction of a
// migrated register) and against the one in memory the use cases' pure tests use.
#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_provider_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_provider_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;

Provider Acme() {
  return {.id = "acme-care",
          .details = {.name = "Acme Care Ltd",
                      .companies_house_number = "01234567",
                      .registered_address = {.lines = {"1 High Street", "Three Bridges"},
                                             .town = "Crawley",
                                             .postcode = "RH10 1AA"},
                      .contacts = {{.name = "Sam Jones",
                                    .role = "contracts lead",
                                    .email = "sam@acme.example",
                                    .phone = "01293 000000"}}},
          .version = 1,
          .registered_at = Utc(2026, 1, 8)};
}

std::string Encoded(const absl::StatusOr<Provider>& provider) {
  REQUIRE(provider.ok());
  return ToApiProvider(*provider).DebugString();
}

void ProviderContract(ProviderRepository& repository) {
  REQUIRE(repository.Insert(Acme()) == absl::OkStatus());
  CHECK(repository.Insert(Acme()) ==
        absl::AlreadyExistsError("provider acme-care: already registered"));
  CHECK(Encoded(repository.Load("acme-care")) == ToApiProvider(Acme()).DebugString());
  CHECK(Encoded(repository.LoadForUpdate("acme-care")) == ToApiProvider(Acme()).DebugString());
  CHECK(repository.Load("other-care").status() ==
        absl::NotFoundError("provider other-care: not found"));
  CHECK(repository.LoadForUpdate("other-care").status() ==
        absl::NotFoundError("provider other-care: not found"));

  Provider changed = *repository.LoadForUpdate("acme-care");
  changed.details.name = "Acme Children's Services Ltd";
  changed.details.contacts.clear();
  REQUIRE(repository.Save(changed) == absl::OkStatus());
  CHECK(changed.version == 2);
  CHECK(Encoded(repository.Load("acme-care")) == ToApiProvider(changed).DebugString());
  Provider unknown = Acme();
  unknown.id = "other-care";
  CHECK(repository.Save(unknown) == absl::NotFoundError("provider other-care: not found"));
}

TEST_CASE("providers: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryProviderRepository memory;
  ProviderContract(memory);
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    PgProviderRepository providers(tx);
    ProviderContract(providers);
    return absl::OkStatus();
  }) == absl::OkStatus());
}

}  // namespace
}  // namespace dps::qualification
