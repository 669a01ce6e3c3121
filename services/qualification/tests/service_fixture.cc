#include "services/qualification/tests/service_fixture.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "services/qualification/storage/migrations.h"

namespace dps::qualification::testing {

ServiceFixture::ServiceFixture(absl::Time start)
    : pool_({.url = db_.url(), .schema = "qualification", .size = 4}), clock_(start) {
  const absl::Status migrated = pool_.WithConnection([](pqxx::connection& c) {
    const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                           {"qualification", QualificationMigrations()}};
    return platform::ApplyMigrations(c, "qualification", sets);
  });
  REQUIRE(migrated.ok());
  service_ = std::make_unique<QualificationService>(
      pool_, clock_, platform::auth::testing::TestIdentityProvider::Shared().authenticator());
  absl::StatusOr<platform::GrpcServer> server =
      platform::StartGrpcServer("127.0.0.1:0", {service_.get()}, nullptr);
  REQUIRE(server.ok());
  server_ = *std::move(server);
  stub_ = v1::QualificationService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", server_.port), grpc::InsecureChannelCredentials()));
}

ServiceFixture::~ServiceFixture() { server_.server->Shutdown(); }

std::string ServiceFixture::target() const { return absl::StrCat("127.0.0.1:", server_.port); }

std::unique_ptr<grpc::ClientContext> ServiceFixture::As(ApiRole role,
                                                        const std::string& organisation,
                                                        const std::string& user) {
  auto context = std::make_unique<grpc::ClientContext>();
  platform::auth::testing::TestIdentityProvider::Shared().Authorize(
      *context, {.user_id = user, .role = role, .organisation_id = organisation});
  return context;
}

std::string ServiceFixture::Key() {
  static int counter = 0;
  return absl::StrCat("key-", ++counter);
}

int ServiceFixture::EventCount(const std::string& type) {
  return platform::testing::OutboxEventCount(pool_, type);
}

dps::events::v1::EventEnvelope ServiceFixture::LastEvent(const std::string& type) {
  dps::events::v1::EventEnvelope envelope;
  REQUIRE(envelope.ParseFromString(platform::testing::LastOutboxPayload(pool_, type)));
  return envelope;
}

}  // namespace dps::qualification::testing
