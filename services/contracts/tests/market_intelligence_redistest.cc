// Market intelligence across real services over gRPC (label redis): the referral service
// (beside the qualification and scoring services) publishes Brighton's referral, one provider
// bids and another declines (so the referral closes: every invitee answered); the referral outbox
// goes to Redis by the relay, twice, as a relay that crashed before recording it would send it; the
// contracts service's market consumer records it once; MarketIntelligenceService answers the lead
// authority, Brighton's commissioner and a provider as the proto's roles say, and keeps a
// commissioner's off-system report once per idempotency key.
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/relay.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/server.h"
#include "platform/pg/migrations.h"
#include "platform/testing/test_env.h"
#include "services/contracts/api/market_service.h"
#include "services/contracts/clients/system_directory.h"
#include "services/contracts/consumers/market_events.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"
#include "services/contracts/storage/pg_market_repository.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::contracts {
namespace {

using dps::common::v1::ROLE_COMMISSIONER;
using dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN;
using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;
using referral::testing::As;
using referral::testing::InvitationOf;
using referral::testing::kLead;
using referral::testing::kPartner;
using referral::testing::kProvider;
using referral::testing::ProviderUser;
using referral::testing::ReferralFixture;
namespace rv1 = ::dps::referral::v1;

constexpr char kOther[] = "provider-b";

// The market intelligence of the contracts service on its own database, served over loopback
// gRPC.
struct Market {
  explicit Market(ReferralFixture& f)
      : pool({.url = db.url(), .schema = "contracts", .size = 3}),
        systems(grpc::CreateChannel(f.qualification().target(), grpc::InsecureChannelCredentials()),
                identity().service_tokens()),
        market_uow(pool),
        ipa_uow(pool),
        cases(market_uow, ipa_uow, systems, f.qualification().clock()),
        service(pool, identity().authenticator(), cases) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                                         {"contracts", ContractsMigrations()}};
                  return platform::ApplyMigrations(c, "contracts", sets);
                })
                .ok());
    absl::StatusOr<platform::GrpcServer> started =
        platform::StartGrpcServer("127.0.0.1:0", {&service}, nullptr);
    REQUIRE(started.ok());
    server = *std::move(started);
    stub = mv1::MarketIntelligenceService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server.port), grpc::InsecureChannelCredentials()));
  }
  ~Market() { server.server->Shutdown(); }

  static const platform::auth::testing::TestIdentityProvider& identity() {
    return platform::auth::testing::TestIdentityProvider::Shared();
  }

  platform::testing::TestDatabase db;
  platform::PgPool pool;
  QualificationSystemDirectory systems;
  PgMarketUnitOfWork market_uow;
  PgIpaUnitOfWork ipa_uow;
  MarketUseCases cases;
  MarketIntelligenceService service;
  platform::GrpcServer server;
  std::unique_ptr<mv1::MarketIntelligenceService::Stub> stub;
};

// The referral service's outbox relayed to a stream of this test's own (so parallel tests' events
// stay out of it), twice over, as a relay that crashed before stamping its rows would send it.
std::string RelayTwice(ReferralFixture& f, platform::RedisClient& redis) {
  const std::string stream = platform::testing::UniqueName("dps.referral.test");
  platform::OutboxRelay relay({.schema = "referral"}, f.pool(), redis, nullptr);
  for (const char* unpublish : {"", "UPDATE outbox SET published_at = NULL"}) {
    const absl::Status routed = f.pool().InTransaction([&](pqxx::work& tx) {
      tx.exec_params0("UPDATE outbox SET stream = $1", stream);
      if (*unpublish != '\0') tx.exec0(unpublish);
      return absl::OkStatus();
    });
    REQUIRE(routed.ok());
    REQUIRE(relay.PublishBatch().ok());
  }
  return stream;
}

mv1::GetCompetitionMetricsRequest Competition(const std::string& system_id) {
  mv1::GetCompetitionMetricsRequest request;
  request.mutable_scope()->set_system_id(system_id);
  return request;
}

TEST_CASE("a referral's competition, read back over gRPC by who may read it") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  QualifiedMemberOf(f.qualification(), f.world(), kOther);
  const rv1::PublishReferralResponse published = f.Publish(f.Spec());
  f.Bid(kProvider, InvitationOf(published, kProvider).id(), 395000);
  rv1::DeclineInvitationRequest decline;
  decline.set_idempotency_key(ServiceFixture::Key());
  decline.set_invitation_id(InvitationOf(published, kOther).id());
  decline.set_reason(rv1::DECLINE_REASON_NO_CAPACITY);
  rv1::Invitation declined;
  REQUIRE(f.stub().DeclineInvitation(ProviderUser(kOther).get(), decline, &declined).ok());
  Market market(f);

  // --- the referral's events, relayed twice, recorded once ------------------------------------
  platform::RedisClient redis(platform::testing::TestRedisAddress(), absl::Seconds(2));
  const std::string stream = RelayTwice(f, redis);
  platform::StreamConsumer consumer(
      {.stream = stream, .group = kMarketGroup, .consumer = "c1", .block = absl::Milliseconds(50)},
      redis, market.pool, &ApplyMarketEvent, nullptr);
  for (int round = 0; round < 5; ++round) REQUIRE(consumer.PollOnce().ok());

  const std::string system_id = f.world().system_id;
  mv1::GetCompetitionMetricsResponse metrics;
  REQUIRE(market.stub
              ->GetCompetitionMetrics(As(ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(),
                                      Competition(system_id), &metrics)
              .ok());
  REQUIRE(metrics.rows_size() == 1);
  const mv1::CompetitionMetrics& row = metrics.rows(0);
  CHECK(row.referrals_published() == 1);
  CHECK(row.invitations() == 2);
  // Every invitee answered, so the referral closed and its bid is counted.
  CHECK(row.bids() == 1);
  REQUIRE(row.declines_size() == 1);
  CHECK(row.declines(0).reason() == "DECLINE_REASON_NO_CAPACITY");
  CHECK(row.declines(0).count() == 1);
  CHECK(row.awarded() == 0);

  // Grouped by region and need: the postcode area of the referral's district, its need.
  mv1::GetUnmetDemandRequest unmet;
  unmet.mutable_scope()->set_system_id(system_id);
  unmet.add_group_by(mv1::DIMENSION_REGION);
  unmet.add_group_by(mv1::DIMENSION_NEED);
  mv1::GetUnmetDemandResponse demand;
  REQUIRE(market.stub->GetUnmetDemand(As(ROLE_COMMISSIONER, kPartner).get(), unmet, &demand).ok());
  REQUIRE(demand.rows_size() == 1);
  CHECK(demand.rows(0).key().region() == "RH");
  CHECK(demand.rows(0).key().need_code() == "ASD");
  CHECK(demand.rows(0).referrals() == 1);

  // --- who may read what --------------------------------------------------------------------
  // Brighton's commissioner reads Brighton's referrals only; West Sussex's none of Brighton's.
  REQUIRE(market.stub
              ->GetCompetitionMetrics(As(ROLE_COMMISSIONER, kPartner).get(), Competition(system_id),
                                      &metrics)
              .ok());
  CHECK(metrics.rows(0).referrals_published() == 1);
  mv1::GetCompetitionMetricsRequest theirs = Competition(system_id);
  theirs.mutable_scope()->add_authority_ids(kLead);
  CHECK(market.stub->GetCompetitionMetrics(As(ROLE_COMMISSIONER, kPartner).get(), theirs, &metrics)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  mv1::GetCostBenchmarksRequest cost;
  cost.mutable_scope()->set_system_id(system_id);
  mv1::GetCostBenchmarksResponse costs;
  CHECK(market.stub->GetCostBenchmarks(ProviderUser().get(), cost, &costs).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(market.stub->GetCostBenchmarks(As(ROLE_COMMISSIONER, kPartner).get(), cost, &costs).ok());
  CHECK(costs.rows_size() == 0);  // nothing awarded yet
  const grpc::Status missing = market.stub->GetCompetitionMetrics(
      As(ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), Competition(""), &metrics);
  CHECK(missing.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(missing.error_message().find("scope.system_id: required") != std::string::npos);
  cost.add_group_by(mv1::DIMENSION_UNSPECIFIED);
  const grpc::Status unspecified =
      market.stub->GetCostBenchmarks(As(ROLE_COMMISSIONER, kPartner).get(), cost, &costs);
  CHECK(unspecified.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(unspecified.error_message().find("group_by[0]: required") != std::string::npos);
}

TEST_CASE("off-system placements reported once per idempotency key") {
  ReferralFixture f(At(2027, 3, 1));
  Market market(f);
  const std::string system_id = f.world().system_id;
  mv1::ReportOffSystemPlacementsRequest report;
  report.set_idempotency_key(ServiceFixture::Key());
  report.set_system_id(system_id);
  mv1::OffSystemPlacementCount* count = report.add_counts();
  count->set_lot_id(f.world().lot_id);
  *count->mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 1, 1));
  *count->mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 3, 31));
  count->set_placements(4);
  mv1::ReportOffSystemPlacementsResponse first;
  REQUIRE(
      market.stub->ReportOffSystemPlacements(As(ROLE_COMMISSIONER, kPartner).get(), report, &first)
          .ok());
  CHECK(first.recorded() == 1);
  // The same request again: the first answer, no second effect.
  mv1::ReportOffSystemPlacementsResponse again;
  REQUIRE(
      market.stub->ReportOffSystemPlacements(As(ROLE_COMMISSIONER, kPartner).get(), report, &again)
          .ok());
  CHECK(again.recorded() == 1);
  // The same key for another request.
  report.mutable_counts(0)->set_placements(9);
  CHECK(
      market.stub->ReportOffSystemPlacements(As(ROLE_COMMISSIONER, kPartner).get(), report, &again)
          .error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  // An officer reporting, and a count without its period, are refused.
  report.set_idempotency_key(ServiceFixture::Key());
  CHECK(market.stub
            ->ReportOffSystemPlacements(As(dps::common::v1::ROLE_PLACING_OFFICER, kPartner).get(),
                                        report, &again)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  report.mutable_counts(0)->clear_period();
  const grpc::Status no_period =
      market.stub->ReportOffSystemPlacements(As(ROLE_COMMISSIONER, kPartner).get(), report, &again);
  CHECK(no_period.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_period.error_message().find("counts[0].period: required") != std::string::npos);

  mv1::GetPlacementQualityRequest quality;
  quality.mutable_scope()->set_system_id(system_id);
  mv1::GetPlacementQualityResponse shares;
  REQUIRE(
      market.stub->GetPlacementQuality(As(ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), quality, &shares)
          .ok());
  REQUIRE(shares.rows_size() == 1);
  CHECK(shares.rows(0).placements_off_system() == 4);
  CHECK(shares.rows(0).placements_on_system() == 0);
  CHECK(shares.rows(0).share_on_system() == 0);
}

}  // namespace
}  // namespace dps::contracts
