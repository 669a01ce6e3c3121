// The platform's rules at the edge of every call, through the QualificationService over gRPC
// against PostgreSQL: page tokens, request ids, timestamps and what a failure tells the caller.
#include <catch2/catch.hpp>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// The request id of the latest outbox event.
std::string LastEventRequestId(ServiceFixture& f) {
  std::string id;
  REQUIRE(f.pool()
              .InTransaction([&](pqxx::work& tx) {
                id = tx.exec1("SELECT request_id FROM outbox ORDER BY id DESC LIMIT 1")[0]
                         .as<std::string>();
                return absl::OkStatus();
              })
              .ok());
  return id;
}

// A provider registers itself, the call carrying `request_id`.
grpc::Status Register(ServiceFixture& f, const std::string& organisation, const std::string& name,
                      const std::string& request_id) {
  v1::RegisterProviderRequest provider;
  provider.set_idempotency_key(ServiceFixture::Key());
  provider.mutable_spec()->set_name(name);
  v1::Provider registered;
  std::unique_ptr<grpc::ClientContext> context = Provider(organisation);
  context->AddMetadata("x-request-id", request_id);
  return f.stub().RegisterProvider(context.get(), provider, &registered);
}

}  // namespace

TEST_CASE("a page token is opaque and refused with another filter", "[qualification][edge]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::ListCriteriaRequest list;
  list.set_system_id(w.system_id);
  list.mutable_page()->set_page_size(1);
  v1::ListCriteriaResponse first;
  CHECK_OK(f.stub().ListCriteria(Lead().get(), list, &first));
  REQUIRE(first.criteria_size() == 1);
  const std::string token = first.page().next_page_token();
  REQUIRE_FALSE(token.empty());
  CHECK(token != first.criteria(0).id());
  CHECK(token.find(first.criteria(0).id()) == std::string::npos);

  // With the same filter the token goes on where the first page ended.
  list.mutable_page()->set_page_token(token);
  v1::ListCriteriaResponse second;
  CHECK_OK(f.stub().ListCriteria(Lead().get(), list, &second));
  REQUIRE(second.criteria_size() == 1);
  CHECK(second.criteria(0).id() > first.criteria(0).id());

  // With another filter it is refused, naming the field.
  list.set_include_retired(true);
  grpc::Status other = f.stub().ListCriteria(Lead().get(), list, &second);
  CHECK(other.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(other.error_message().rfind("page.page_token: ", 0) == 0);

  // A record id is not a token.
  list.set_include_retired(false);
  list.mutable_page()->set_page_token(first.criteria(0).id());
  grpc::Status id = f.stub().ListCriteria(Lead().get(), list, &second);
  CHECK(id.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(id.error_message().rfind("page.page_token: ", 0) == 0);
}

TEST_CASE("a request id too long or of other characters is replaced before it reaches events",
          "[qualification][edge]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  // Each alert raised announces an event carrying the call's request id.
  auto change = [&](const std::string& request_id) {
    std::unique_ptr<grpc::ClientContext> context =
        ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner);
    context->AddMetadata("x-request-id", request_id);
    const v1::RaiseSafeguardingAlertRequest raise = AlertAbout(w, v1::ALERT_SEVERITY_HIGH);
    v1::SafeguardingAlert alert;
    CHECK_OK(f.stub().RaiseSafeguardingAlert(context.get(), raise, &alert));
    return LastEventRequestId(f);
  };
  CHECK(change("trace-1.a:b_c") == "trace-1.a:b_c");
  for (const std::string& given :
       {std::string(65, 'a'), std::string("spaces and \"quotes\""), std::string("a/b")}) {
    INFO(given);
    const std::string stored = change(given);
    CHECK(stored != given);
    CHECK(platform::IsUsableRequestId(stored));
  }
}

TEST_CASE("a database failure answers INTERNAL without PostgreSQL's text",
          "[qualification][edge]") {
  ServiceFixture f(At(2026, 6, 1));
  // A NUL is valid in a protobuf string but not in PostgreSQL's text or jsonb.
  const grpc::Status status = Register(f, "provider-nul", std::string("Nul\0Ltd", 7), "req-nul-1");
  CHECK(status.error_code() == grpc::StatusCode::INTERNAL);
  CHECK(status.error_message() == "internal error (request id req-nul-1)");
}

TEST_CASE("a time beyond the year 9999 is refused naming the field and one before it kept exactly",
          "[qualification][edge]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  f.clock().Advance(absl::Hours(24 * 190));
  v1::AdjustQualificationScoreRequest adjust;
  adjust.set_idempotency_key(ServiceFixture::Key());
  adjust.set_membership_id(membership_id);
  adjust.set_delta_points(-5);
  adjust.set_reason("KPI returns late");
  adjust.add_performance_review_ids(RecordReview(f, w.system_id, w.establishment_id, "review-1"));
  adjust.mutable_effective_at()->set_seconds(253402300800);  // 10000-01-01T00:00:00Z
  v1::ScoreAdjustment adjustment;
  grpc::Status far = f.stub().AdjustQualificationScore(Lead().get(), adjust, &adjustment);
  CHECK(far.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(far.error_message() ==
        "effective_at: must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");

  // 2300-01-01, past where nanoseconds since 1970 end (2262): not clamped.
  adjust.set_idempotency_key(ServiceFixture::Key());
  adjust.mutable_effective_at()->set_seconds(10413792000);
  adjust.mutable_effective_at()->set_nanos(5);
  CHECK_OK(f.stub().AdjustQualificationScore(Lead().get(), adjust, &adjustment));
  CHECK(adjustment.effective_at().seconds() == 10413792000);
  CHECK(adjustment.effective_at().nanos() == 5);
}

}  // namespace dps::qualification::testing
