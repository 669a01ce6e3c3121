// Safeguarding alerts across a lead authority's systems, through gRPC against a real PostgreSQL:
// West London runs separate systems (fostering, residential, SEN) for the same councils, and an
// alert about an establishment reaches every council that can place with it, whichever system it
// was raised in (domain/alert.h, CanSeeThroughMembership). Everyone else keeps the scope they had.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

constexpr char kSurrey[] = "surrey";

std::string RaiseAbout(ServiceFixture& f, const std::string& system_id,
                       const std::string& establishment_id) {
  v1::RaiseSafeguardingAlertRequest raise;
  raise.set_idempotency_key(ServiceFixture::Key());
  raise.set_system_id(system_id);
  raise.set_establishment_id(establishment_id);
  raise.set_severity(v1::ALERT_SEVERITY_HIGH);
  raise.set_category("missing from care");
  raise.set_summary("two missing-from-care episodes not reported to the placing authority");
  v1::SafeguardingAlert alert;
  CHECK_OK(f.stub().RaiseSafeguardingAlert(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), raise, &alert));
  return alert.id();
}

grpc::Status Get(ServiceFixture& f, ApiRole role, const std::string& organisation,
                 const std::string& id) {
  v1::GetSafeguardingAlertRequest get;
  get.set_id(id);
  v1::SafeguardingAlert alert;
  return f.stub().GetSafeguardingAlert(ServiceFixture::As(role, organisation).get(), get, &alert);
}

// The ids listed for the caller (system_id empty: every system in its scope), or the status.
grpc::Status List(ServiceFixture& f, ApiRole role, const std::string& organisation,
                  const std::string& system_id, std::set<std::string>* ids) {
  v1::ListSafeguardingAlertsRequest list;
  list.set_system_id(system_id);
  v1::ListSafeguardingAlertsResponse response;
  grpc::Status status = f.stub().ListSafeguardingAlerts(
      ServiceFixture::As(role, organisation).get(), list, &response);
  ids->clear();
  for (const v1::SafeguardingAlert& alert : response.alerts()) ids->insert(alert.id());
  return status;
}

}  // namespace

TEST_CASE("an alert reaches every council that can place with its establishment",
          "[qualification][service][alerts]") {
  ServiceFixture f(At(2026, 7, 1));
  // The residential system: the lead and Brighton. The fostering one: the lead and Surrey. The
  // standard establishment is a member of both; another establishment of the residential one only.
  const World residential = SetUp(f);
  QualifiedMember(f, residential);
  const World fostering = AnotherSystem(f, residential, {kSurrey});
  QualifiedMember(f, fostering);
  const std::string other_member = QualifiedMemberOf(f, residential, "provider-b");
  const std::string elsewhere = GetMembership(f, other_member).establishment_id();

  const std::string shared = RaiseAbout(f, residential.system_id, residential.establishment_id);
  const std::string not_shared = RaiseAbout(f, residential.system_id, elsewhere);
  std::set<std::string> ids;

  // Surrey takes no part in the residential system but can place with the establishment through
  // the fostering one: it reads the alert about it, and only that one.
  for (ApiRole role : {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER}) {
    CHECK_OK(Get(f, role, kSurrey, shared));
    CHECK(Get(f, role, kSurrey, not_shared).error_code() == grpc::StatusCode::NOT_FOUND);
    CHECK_OK(List(f, role, kSurrey, fostering.system_id, &ids));
    CHECK(ids == std::set<std::string>{shared});
    CHECK_OK(List(f, role, kSurrey, "", &ids));
    CHECK(ids == std::set<std::string>{shared});
    CHECK(List(f, role, kSurrey, residential.system_id, &ids).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }

  // Brighton, in the residential system, reads both as before.
  CHECK_OK(List(f, ApiRole::ROLE_PLACING_OFFICER, kPartner, residential.system_id, &ids));
  CHECK(ids == std::set<std::string>{shared, not_shared});
  CHECK_OK(List(f, ApiRole::ROLE_PLACING_OFFICER, kPartner, "", &ids));
  CHECK(ids == std::set<std::string>{shared, not_shared});

  // An authority in neither system reads neither.
  CHECK(Get(f, ApiRole::ROLE_PLACING_OFFICER, kOutsider, shared).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK_OK(List(f, ApiRole::ROLE_PLACING_OFFICER, kOutsider, "", &ids));
  CHECK(ids.empty());

  // The lead's staff act for one system at a time: the fostering system lists its own alerts.
  CHECK_OK(List(f, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead, fostering.system_id, &ids));
  CHECK(ids.empty());
  CHECK_OK(List(f, ApiRole::ROLE_AUDITOR, kLead, residential.system_id, &ids));
  CHECK(ids == std::set<std::string>{shared, not_shared});
  CHECK(List(f, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead, "", &ids).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  // Providers read no alerts.
  CHECK(List(f, ApiRole::ROLE_PROVIDER_USER, kProvider, "", &ids).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK(Get(f, ApiRole::ROLE_PROVIDER_USER, kProvider, shared).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace dps::qualification::testing
