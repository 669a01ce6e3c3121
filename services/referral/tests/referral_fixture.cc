#include "services/referral/tests/referral_fixture.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/events/outbox_migrations.h"
#include "platform/pg/migrations.h"
#include "platform/proto/proto_time.h"
#include "platform/testing/child_process.h"
#include "services/referral/storage/migrations.h"

namespace dps::referral::testing {

SwitchableScoring::SwitchableScoring(int live_port, const platform::auth::ServiceTokens& tokens)
    : live_(grpc::CreateChannel(absl::StrCat("127.0.0.1:", live_port),
                                grpc::InsecureChannelCredentials()),
            tokens),
      dead_(grpc::CreateChannel(absl::StrCat("127.0.0.1:", platform::testing::FreePort()),
                                grpc::InsecureChannelCredentials()),
            tokens) {}

absl::StatusOr<dps::scoring::v1::EvaluateResponse> SwitchableScoring::Evaluate(
    const std::string& request_id, const dps::scoring::v1::EvaluateRequest& request) const {
  if (hook_) std::exchange(hook_, nullptr)();
  return (up_ ? live_ : dead_).Evaluate(request_id, request);
}

ReferralFixture::ReferralFixture(absl::Time start, dps::common::v1::Regime regime,
                                 bool scoring_reachable)
    : qualification_(start),
      world_(qualification::testing::SetUp(
          qualification_, qualification::v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN, regime)),
      pool_({.url = db_.url(), .schema = "referral", .size = 4}) {
  const absl::Status migrated = pool_.WithConnection([](pqxx::connection& c) {
    const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                           {"referral", ReferralMigrations()}};
    return platform::ApplyMigrations(c, "referral", sets);
  });
  REQUIRE(migrated.ok());
  const auto& identity = platform::auth::testing::TestIdentityProvider::Shared();
  scoring_ = std::make_unique<dps::scoring::ScoringService>(identity.authenticator());
  absl::StatusOr<platform::GrpcServer> scoring_server =
      platform::StartGrpcServer("127.0.0.1:0", {scoring_.get()}, nullptr);
  REQUIRE(scoring_server.ok());
  scoring_server_ = *std::move(scoring_server);
  qualification_client_ = std::make_unique<GrpcQualificationClient>(
      grpc::CreateChannel(qualification_.target(), grpc::InsecureChannelCredentials()),
      identity.service_tokens());
  scoring_client_ =
      std::make_unique<SwitchableScoring>(scoring_server_.port, identity.service_tokens());
  scoring_client_->SetUp(scoring_reachable);
  ranker_ = std::make_unique<Ranker>(pool_, qualification_.clock(), *qualification_client_,
                                     *scoring_client_);
  service_ = std::make_unique<ReferralService>(
      pool_, qualification_.clock(), identity.authenticator(), *qualification_client_, *ranker_);
  timer_ = std::make_unique<DeadlineTimer>(pool_, qualification_.clock(), *ranker_);
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

std::string ReferralFixture::target() const { return absl::StrCat("127.0.0.1:", server_.port); }

int ReferralFixture::EventCount(const std::string& type) {
  return platform::testing::OutboxEventCount(pool_, type);
}

dps::events::v1::EventEnvelope ReferralFixture::LastEvent(const std::string& type) {
  dps::events::v1::EventEnvelope envelope;
  REQUIRE(envelope.ParseFromString(platform::testing::LastOutboxPayload(pool_, type)));
  return envelope;
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

v1::PublishReferralResponse ReferralFixture::Publish(const v1::ReferralSpec& spec,
                                                     const std::string& authority) {
  v1::CreateReferralRequest create;
  create.set_idempotency_key(qualification::testing::ServiceFixture::Key());
  *create.mutable_spec() = spec;
  v1::Referral draft;
  CHECK_OK(stub().CreateReferral(Officer(authority).get(), create, &draft));
  v1::PublishReferralRequest publish;
  publish.set_idempotency_key(qualification::testing::ServiceFixture::Key());
  publish.set_id(draft.id());
  v1::PublishReferralResponse published;
  CHECK_OK(stub().PublishReferral(Officer(authority).get(), publish, &published));
  return published;
}

v1::Bid ReferralFixture::Bid(const std::string& provider, const std::string& invitation_id,
                             int64_t core_fee_pence) {
  v1::SubmitBidRequest request;
  request.set_idempotency_key(qualification::testing::ServiceFixture::Key());
  request.set_invitation_id(invitation_id);
  request.mutable_content()->mutable_core_fee()->set_pence(core_fee_pence);
  request.mutable_content()->add_needs_met("ASD");
  request.mutable_content()->set_outcomes_answer("A school place is arranged before the move.");
  *request.mutable_content()->mutable_earliest_start() =
      platform::ToDate(absl::CivilDay(2027, 4, 1));
  v1::Bid bid;
  CHECK_OK(stub().SubmitBid(ProviderUser(provider).get(), request, &bid));
  return bid;
}

v1::Referral ReferralFixture::Read(const std::string& referral_id) {
  v1::GetReferralRequest get;
  get.set_id(referral_id);
  v1::Referral referral;
  CHECK_OK(stub().GetReferral(Officer().get(), get, &referral));
  return referral;
}

v1::Bid ReferralFixture::ReadBid(const std::string& bid_id) {
  v1::GetBidRequest get;
  get.set_id(bid_id);
  v1::Bid bid;
  CHECK_OK(stub().GetBid(Officer().get(), get, &bid));
  return bid;
}

v1::Bid ReferralFixture::ReadOwnBid(const std::string& provider, const std::string& bid_id) {
  v1::GetBidRequest get;
  get.set_id(bid_id);
  v1::Bid bid;
  CHECK_OK(stub().GetBid(ProviderUser(provider).get(), get, &bid));
  return bid;
}

v1::Invitation InvitationOf(const v1::PublishReferralResponse& published,
                            const std::string& provider) {
  for (const v1::Invitation& invitation : published.new_invitations()) {
    if (invitation.provider_id() == provider) return invitation;
  }
  FAIL("no invitation of " << provider);
  return {};
}

std::unique_ptr<grpc::ClientContext> ProviderUser(const std::string& provider) {
  return As(ApiRole::ROLE_PROVIDER_USER, provider, "provider-user-1");
}

std::unique_ptr<grpc::ClientContext> As(ApiRole role, const std::string& organisation,
                                        const std::string& user) {
  return qualification::testing::ServiceFixture::As(role, organisation, user);
}

std::unique_ptr<grpc::ClientContext> Officer(const std::string& organisation) {
  return As(ApiRole::ROLE_PLACING_OFFICER, organisation, "officer-1");
}

}  // namespace dps::referral::testing
