// A provider registers with a name, and changes its details keeping its id and registration.
#include "services/qualification/domain/provider.h"

#include <catch2/catch.hpp>

#include "services/qualification/domain/test_fixtures.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;

ProviderDetails Acme() {
  return {
      .name = "Acme Care Ltd",
      .companies_house_number = "01234567",
      .registered_address = {.lines = {"1 High Street"}, .town = "Crawley", .postcode = "RH10 1AA"},
      .contacts = {{.name = "Sam Jones",
                    .role = "contracts lead",
                    .email = "sam@acme.example",
                    .phone = "01293 000000"}}};
}

TEST_CASE("provider: registered under its organisation, version 1") {
  absl::StatusOr<Provider> p = RegisterProvider("acme-care", Acme(), Utc(2026, 1, 8), "spec");
  REQUIRE(p.ok());
  CHECK(p->id == "acme-care");
  CHECK(p->details.name == "Acme Care Ltd");
  CHECK(p->details.registered_address.town == "Crawley");
  CHECK(p->version == 1);
  CHECK(p->registered_at == Utc(2026, 1, 8));
  ProviderDetails nameless = Acme();
  nameless.name.clear();
  CHECK(RegisterProvider("acme-care", nameless, Utc(2026, 1, 8), "spec").status() ==
        absl::InvalidArgumentError("spec.name: required"));
}

TEST_CASE("provider: its details change, its id and registration stay") {
  Provider p = *RegisterProvider("acme-care", Acme(), Utc(2026, 1, 8), "spec");
  ProviderDetails renamed = Acme();
  renamed.name = "Acme Children's Services Ltd";
  renamed.contacts.clear();
  REQUIRE(ChangeProviderDetails(p, renamed, "spec").ok());
  CHECK(p.details.name == "Acme Children's Services Ltd");
  CHECK(p.details.contacts.empty());
  CHECK(p.id == "acme-care");
  CHECK(p.registered_at == Utc(2026, 1, 8));
  renamed.name.clear();
  CHECK(ChangeProviderDetails(p, renamed, "spec") ==
        absl::InvalidArgumentError("spec.name: required"));
  CHECK(p.details.name == "Acme Children's Services Ltd");
}

}  // namespace
}  // namespace dps::qualification
