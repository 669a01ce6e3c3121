#include "services/referral/tests/referral_fixture.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "platform/events/outbox_migrations.h"
#include "platform/grpc/proto_time.h"
#include "platform/pg/migrations.h"
#include "services/referral/storage/migrations.h"

namespace dps::referral::testing {

ReferralFixture::ReferralFixture(absl::Time start)
    : qualification_(start),
      world_(qualification::testing::SetUp(qualification_)),
      pool_({.url = db_.url(), .schema = "referral", .size = 4}) {
  const absl::Status migrated = pool_.WithConnection([](pqxx::connection& c) {
    const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                           {"referral", ReferralMigrations()}};
    return platform::ApplyMigrations(c, "referral", sets);
  });
  REQUIRE(migrated.ok());
  scoring_ = std::make_unique<dps::scoring::ScoringService>();
  absl::StatusOr<platform::GrpcServer> scoring_server =
      platform::StartGrpcServer("127.0.0.1:0", {scoring_.get()}, nullptr);
  REQUIRE(scoring_server.ok());
  scoring_server_ = *std::move(scoring_server);
  qualification_client_ = std::make_unique<QualificationClient>(
      grpc::CreateChannel(qualification_.target(), grpc::InsecureChannelCredentials()));
  closer_ = std::make_unique<Closer>(
      *qualification_client_, grpc::CreateChannel(absl::StrCat("127.0.0.1:", scoring_server_.port),
                                                  grpc::InsecureChannelCredentials()));
  service_ = std::make_unique<ReferralService>(pool_, qualification_.clock(),
                                               *qualification_client_, *closer_);
  timer_ = std::make_unique<DeadlineTimer>(pool_, qualification_.clock(), *closer_);
  absl::StatusOr<platform::GrpcServer> server =
      platform::StartGrpcServer("127.0.0.1:0", {service_.get()}, nullptr);
  REQUIRE(server.ok());
  server_ = *std::move(server);
  stub_ = v1::ReferralService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_.port),
                                                           grpc::InsecureChannelCredentials()));
}

ReferralFixture::~ReferralFixture() {
  server_.server->Shutdown();
  scoring_server_.server->Shutdown();
}

int ReferralFixture::EventCount(const std::string& type) {
  int count = 0;
  REQUIRE(pool_
              .InTransaction([&](pqxx::work& tx) {
                count =
                    tx.exec_params1("SELECT count(*) FROM outbox WHERE event_type = $1", type)[0]
                        .as<int>();
                return absl::OkStatus();
              })
              .ok());
  return count;
}

v1::ReferralSpec ReferralFixture::Spec() const {
  v1::ReferralSpec spec;
  spec.set_system_id(world_.system_id);
  spec.set_lot_id(world_.lot_id);
  spec.set_kind(v1::REFERRAL_KIND_INDIVIDUAL);
  v1::ChildProfile& child = *spec.add_children();
  child.set_child_key("child-1");
  child.set_age_years(14);
  child.set_gender(dps::common::v1::GENDER_FEMALE);
  spec.mutable_location()->set_postcode_district("RH12");
  dps::scoring::v1::MarkedCode& need = *spec.add_needs();
  need.set_code("ASD");
  need.set_marks(3);
  dps::scoring::v1::MarkedCode& feature = *spec.add_desirable_features();
  feature.set_code("wheelchair-access");
  feature.set_marks(1);
  spec.add_outcomes_sought("Attends school every day within three months");
  spec.set_description("Needs a calm home with one-to-one support.");
  *spec.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 4, 1));
  spec.set_planned_duration_months(12);
  spec.set_radius_miles(30);
  *spec.mutable_response_deadline() = platform::ToTimestamp(
      absl::FromCivil(absl::CivilSecond(2027, 3, 15, 17, 0, 0), absl::UTCTimeZone()));
  return spec;
}

std::unique_ptr<grpc::ClientContext> As(ApiRole role, const std::string& organisation,
                                        const std::string& user) {
  return qualification::testing::ServiceFixture::As(role, organisation, user);
}

std::unique_ptr<grpc::ClientContext> Officer(const std::string& organisation) {
  return As(ApiRole::ROLE_PLACING_OFFICER, organisation, "officer-1");
}

}  // namespace dps::referral::testing
