// The establishment repository held to one contract, against PostgreSQL (in one transaction of a
// migrated register) and against the one in memory the use cases' pure tests use; and, in
// PostgreSQL, the columns the eligibility query reads move with every write.
#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/test_fixtures.h"
#include "services/qualification/storage/pg_establishment_repository.h"
#include "services/qualification/storage/pg_provider_repository.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/storage/testing/in_memory_establishment_repository.h"

namespace dps::qualification {
namespace {

using ::dps::qualification::testing::Utc;
namespace v1 = ::dps::qualification::v1;

Establishment AcmeHouse() {
  return {.id = "est-1",
          .provider_id = "acme-care",
          .details =
              {.name = "Acme House",
               .address = {.lines = {"2 Station Road"}, .town = "Crawley", .postcode = "RH10 1AA"},
               .latitude = 51.1125,
               .longitude = -0.1873,
               .provision_types = {ProvisionType::kResidentialHome, ProvisionType::kShortBreaks},
               .inspectorate = Inspectorate::kOfsted,
               .inspectorate_ref = "SC123456",
               .age_min_years = 11,
               .age_max_years = 17,
               .genders_accepted = {Gender::kFemale, Gender::kOther},
               .specialism_codes = {"SEMH", "cse-risk"},
               .placement_type_codes = {"solo"},
               .registered_places = 4,
               .contacts = {{.name = "Jo Smith", .role = "registered manager"}}},
          .version = 1};
}

std::string Encoded(const absl::StatusOr<Establishment>& establishment) {
  REQUIRE(establishment.ok());
  return ToApiEstablishment(*establishment).DebugString();
}

void EstablishmentContract(EstablishmentRepository& repository) {
  REQUIRE(repository.Insert(AcmeHouse()) == absl::OkStatus());
  CHECK(Encoded(repository.Load("est-1")) == ToApiEstablishment(AcmeHouse()).DebugString());
  CHECK(Encoded(repository.LoadForUpdate("est-1")) ==
        ToApiEstablishment(AcmeHouse()).DebugString());
  CHECK(repository.Load("est-9").status() == absl::NotFoundError("establishment est-9: not found"));

  Establishment changed = *repository.LoadForUpdate("est-1");
  changed.details.registered_places = 6;
  changed.details.genders_accepted.clear();
  REQUIRE(repository.Save(changed) == absl::OkStatus());
  CHECK(changed.version == 2);
  CHECK(Encoded(repository.Load("est-1")) == ToApiEstablishment(changed).DebugString());
  Establishment unknown = AcmeHouse();
  unknown.id = "est-9";
  CHECK(repository.Save(unknown) == absl::NotFoundError("establishment est-9: not found"));
}

TEST_CASE("establishments: the repository in memory answers as PostgreSQL does", "[pg]") {
  InMemoryEstablishmentRepository memory;
  EstablishmentContract(memory);
  testing::TestRegister r;
  REQUIRE(r.pool.InTransaction([](pqxx::work& tx) {
    PgProviderRepository providers(tx);
    REQUIRE(providers.Insert(*RegisterProvider("acme-care", {.name = "Acme Care Ltd"},
                                               Utc(2026, 1, 8), "spec")) == absl::OkStatus());
    PgEstablishmentRepository establishments(tx);
    EstablishmentContract(establishments);
    // What the eligibility query reads moved with the save.
    const pqxx::row row = tx.exec1(
        "SELECT capacity, min_age, max_age, array_to_string(genders, ','), "
        "array_to_string(specialisms, ','), postcode_district FROM establishments "
        "WHERE id = 'est-1'");
    CHECK(row[0].as<int>() == 6);
    CHECK(row[1].as<int>() == 11);
    CHECK(row[2].as<int>() == 17);
    CHECK(row[3].as<std::string>() == "female,male,other");  // none named: every gender
    CHECK(row[4].as<std::string>() == "SEMH,cse-risk");
    CHECK(row[5].as<std::string>() == "RH10");
    return absl::OkStatus();
  }) == absl::OkStatus());
}

TEST_CASE("establishments: every provision type, gender and inspectorate reads back as written") {
  // What the PostgreSQL repository keeps in `doc`: a value the conversion did not know would
  // come back unspecified.
  v1::Establishment record = ToApiEstablishment(AcmeHouse());
  record.clear_provision_types();
  for (int type = dps::common::v1::ProvisionType_MIN + 1;
       type <= dps::common::v1::ProvisionType_MAX; ++type) {
    record.add_provision_types(static_cast<dps::common::v1::ProvisionType>(type));
  }
  record.clear_genders_accepted();
  for (int gender = dps::common::v1::Gender_MIN + 1; gender <= dps::common::v1::Gender_MAX;
       ++gender) {
    record.add_genders_accepted(static_cast<dps::common::v1::Gender>(gender));
  }
  for (int inspectorate = v1::Inspectorate_MIN + 1; inspectorate <= v1::Inspectorate_MAX;
       ++inspectorate) {
    record.set_inspectorate(static_cast<v1::Inspectorate>(inspectorate));
    INFO(v1::Inspectorate_Name(record.inspectorate()));
    CHECK(ToApiEstablishment(ToDomainEstablishment(record)).DebugString() == record.DebugString());
  }
}

}  // namespace
}  // namespace dps::qualification
