// From award to a placement in force, across real services: the referral service (beside the
// qualification and scoring services) awards a mini-competition; its outbox goes to Redis by the
// relay (twice, as a relay that crashed before recording it would send it); the contracts
// service's award consumer makes one DRAFT IPA, asking the qualification service about the lot;
// the placing authority completes and issues it over gRPC, both parties sign the hash of the
// stored PDF, and the timer starts the placement on its start date (label redis).
#include <catch2/catch.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/audit/export_file.h"
#include "platform/audit/log.h"
#include "platform/audit/service.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/events/consumer.h"
#include "platform/events/outbox_migrations.h"
#include "platform/events/relay.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/server.h"
#include "platform/pg/documents.h"
#include "platform/pg/migrations.h"
#include "platform/testing/test_env.h"
#include "services/contracts/api/contracts_service.h"
#include "services/contracts/app/ipa_document.h"
#include "services/contracts/clients/qualification_facts.h"
#include "services/contracts/clients/referral_awards.h"
#include "services/contracts/clients/system_directory.h"
#include "services/contracts/consumers/award_events.h"
#include "services/contracts/storage/audit_scope.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"
#include "services/contracts/storage/pg_publication_repository.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::contracts {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;
using referral::testing::As;
using referral::testing::InvitationOf;
using referral::testing::kLead;
using referral::testing::kOutsider;
using referral::testing::kPartner;
using referral::testing::kProvider;
using referral::testing::Officer;
using referral::testing::ProviderUser;
using referral::testing::ReferralFixture;
namespace rv1 = ::dps::referral::v1;

constexpr char kOther[] = "provider-b";

// Brighton's referral won by the standard member's bid of £3,950 a week, after one evaluator
// scored both outcome answers. Returns the referral's id.
std::string Awarded(ReferralFixture& f) {
  QualifiedMember(f.qualification(), f.world());
  QualifiedMemberOf(f.qualification(), f.world(), kOther);
  const rv1::PublishReferralResponse published = f.Publish(f.Spec());
  const std::string referral_id = published.referral().id();
  rv1::AssignOutcomeEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_referral_id(referral_id);
  assign.add_evaluator_user_ids("eva");
  rv1::Referral referral;
  REQUIRE(f.stub().AssignOutcomeEvaluators(Officer().get(), assign, &referral).ok());
  const std::string near = f.Bid(kProvider, InvitationOf(published, kProvider).id(), 395000).id();
  const std::string far = f.Bid(kOther, InvitationOf(published, kOther).id(), 370000).id();
  for (const auto& [bid, score] : {std::pair{near, 5}, std::pair{far, 1}}) {
    rv1::ScoreOutcomeAnswerRequest request;
    request.set_idempotency_key(ServiceFixture::Key());
    request.set_referral_id(referral_id);
    request.set_bid_id(bid);
    request.set_score(score);
    request.set_comment("clear plan");
    rv1::OutcomeTask task;
    REQUIRE(f.stub()
                .ScoreOutcomeAnswer(As(dps::common::v1::ROLE_EVALUATOR, kLead, "eva").get(),
                                    request, &task)
                .ok());
  }
  rv1::AwardReferralRequest award;
  award.set_idempotency_key(ServiceFixture::Key());
  award.set_referral_id(referral_id);
  award.set_bid_id(near);
  award.set_basis(rv1::AWARD_BASIS_TOP_RANKED);
  REQUIRE(f.stub().AwardReferral(Officer().get(), award, &referral).ok());
  return referral_id;
}

// The contracts service on its own database, serving over loopback gRPC, with its consumer.
struct Contracts {
  explicit Contracts(ReferralFixture& f)
      : pool({.url = db.url(), .schema = "contracts", .size = 4}),
        facts(grpc::CreateChannel(f.qualification().target(), grpc::InsecureChannelCredentials()),
              identity().service_tokens()),
        uow(pool),
        cases(uow, renderer, f.qualification().clock(), [] { return platform::NewId("ipa"); }),
        uplifts(uow, renderer, f.qualification().clock(), [] { return platform::NewId("uplift"); }),
        systems(grpc::CreateChannel(f.qualification().target(), grpc::InsecureChannelCredentials()),
                identity().service_tokens()),
        publication_uow(pool),
        publications(publication_uow, systems, f.qualification().clock(),
                     [] { return platform::NewId("publication"); }),
        kpis(uow, systems, f.qualification().clock(), [] { return platform::NewId("kpi"); }),
        referral_awards(grpc::CreateChannel(f.target(), grpc::InsecureChannelCredentials()),
                        identity().service_tokens()),
        creation(cases, referral_awards, facts),
        service(pool, f.qualification().clock(), identity().authenticator(),
                {.ipas = cases,
                 .uplifts = uplifts,
                 .publications = publications,
                 .kpis = kpis,
                 .creation = creation}),
        awards(facts, renderer, f.qualification().clock(), [] { return platform::NewId("ipa"); }),
        audit_keys(std::make_shared<const platform::auth::KeySet>(
            *platform::auth::KeySet::FromFile(identity().folder() + "/services.jwks"))),
        audit_service({.service = "contracts",
                       .systems_led_by = SystemsLedBy,
                       .checkpoint_keys = [this] { return audit_keys; }},
                      pool, identity().authenticator(), f.qualification().clock()) {
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
                  const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                                         {"contracts", ContractsMigrations()}};
                  return platform::ApplyMigrations(c, "contracts", sets);
                })
                .ok());
    absl::StatusOr<platform::GrpcServer> started =
        platform::StartGrpcServer("127.0.0.1:0", {&service, &audit_service}, nullptr);
    REQUIRE(started.ok());
    server = *std::move(started);
    const auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server.port),
                                             grpc::InsecureChannelCredentials());
    stub = cv1::ContractsService::NewStub(channel);
    audit_stub = dps::audit::v1::AuditLogService::NewStub(channel);
  }
  ~Contracts() { server.server->Shutdown(); }

  static const platform::auth::testing::TestIdentityProvider& identity() {
    return platform::auth::testing::TestIdentityProvider::Shared();
  }
  int Count(const char* sql) {
    int n = 0;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
                  n = tx.exec1(sql)[0].as<int>();
                  return absl::OkStatus();
                })
                .ok());
    return n;
  }

  platform::testing::TestDatabase db;
  platform::PgPool pool;
  QualificationFacts facts;
  PdfAgreementRenderer renderer;
  PgIpaUnitOfWork uow;
  IpaUseCases cases;
  FeeUpliftUseCases uplifts;
  QualificationSystemDirectory systems;
  PgPublicationUnitOfWork publication_uow;
  PublicationUseCases publications;
  KpiUseCases kpis;
  ReferralAwards referral_awards;
  CreateIpaUseCase creation;
  ContractsService service;
  AwardConsumer awards;
  std::shared_ptr<const platform::auth::KeySet> audit_keys;
  platform::audit::AuditLogService audit_service;
  platform::GrpcServer server;
  std::unique_ptr<cv1::ContractsService::Stub> stub;
  std::unique_ptr<dps::audit::v1::AuditLogService::Stub> audit_stub;
};

std::string Key() { return ServiceFixture::Key(); }

// The referral service's events relayed to Redis twice (as a relay that crashed before recording
// them would send them) and taken by the contracts service's award consumer.
void DeliverReferralEvents(ReferralFixture& f, Contracts& contracts) {
  platform::RedisClient redis(platform::testing::TestRedisAddress(), absl::Seconds(2));
  const std::string stream = platform::testing::UniqueName("dps.referral.test");
  // This test's own stream, so parallel tests' referral events stay out of it.
  REQUIRE(f.pool()
              .InTransaction([&](pqxx::work& tx) {
                tx.exec_params0("UPDATE outbox SET stream = $1", stream);
                return absl::OkStatus();
              })
              .ok());
  platform::OutboxRelay relay({.schema = "referral"}, f.pool(), redis, nullptr);
  REQUIRE(relay.PublishBatch().ok());
  REQUIRE(f.pool()
              .InTransaction([](pqxx::work& tx) {
                tx.exec0("UPDATE outbox SET published_at = NULL");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(relay.PublishBatch().ok());
  platform::StreamConsumer consumer(
      {.stream = stream, .group = kAwardGroup, .consumer = "c1", .block = absl::Milliseconds(50)},
      redis, contracts.pool,
      [&](pqxx::work& tx, const platform::StreamEvent& e) { return contracts.awards.Apply(tx, e); },
      nullptr, [&](const platform::StreamEvent& e) { return contracts.awards.Prepare(e); });
  for (int round = 0; round < 5; ++round) REQUIRE(consumer.PollOnce().ok());
}

TEST_CASE("an award becomes one IPA that both parties sign and that starts on its day") {
  ReferralFixture f(At(2027, 3, 1));
  const std::string referral_id = Awarded(f);
  Contracts contracts(f);

  // --- the award, relayed twice, makes one DRAFT ------------------------------------------------
  DeliverReferralEvents(f, contracts);
  CHECK(contracts.Count("SELECT count(*) FROM ipas") == 1);
  CHECK(contracts.Count("SELECT count(*) FROM outbox WHERE event_type = 'contracts.ipa.created'") ==
        1);

  cv1::ListIpasRequest list;
  cv1::ListIpasResponse listed;
  REQUIRE(contracts.stub->ListIpas(Officer().get(), list, &listed).ok());
  REQUIRE(listed.ipas_size() == 1);
  cv1::Ipa ipa = listed.ipas(0);
  CHECK(ipa.state() == cv1::IPA_STATE_DRAFT);
  CHECK(ipa.source().referral_id() == referral_id);
  CHECK(ipa.placing_authority().id() == kPartner);
  CHECK(ipa.provider().id() == kProvider);
  // The names as the register held them, kept on the IPA.
  CHECK_FALSE(ipa.provider().name().empty());
  CHECK_FALSE(ipa.establishment().name().empty());
  CHECK(ipa.provision_type() == dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME);
  CHECK(ipa.terms().costs().core_weekly_fee().pence() == 395000);
  CHECK(ipa.terms().notice_period_days() == 28);  // the lot's
  CHECK(ipa.terms().start_date().month() == 4);
  CHECK_FALSE(ipa.children_redacted());

  // Who else sees it: the lead authority's auditor without the children, others not at all.
  cv1::GetIpaRequest get;
  get.set_id(ipa.id());
  cv1::Ipa read;
  REQUIRE(contracts.stub->GetIpa(As(dps::common::v1::ROLE_AUDITOR, kLead).get(), get, &read).ok());
  CHECK(read.children_redacted());
  CHECK(contracts.stub->GetIpa(Officer(kOutsider).get(), get, &read).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(contracts.stub->GetIpa(ProviderUser(kOther).get(), get, &read).error_code() ==
        grpc::StatusCode::NOT_FOUND);

  // --- completed and issued; the issue replayed by its key ---------------------------------------
  cv1::UpdateIpaDraftRequest update;
  update.set_idempotency_key(Key());
  update.set_id(ipa.id());
  update.set_expected_version(ipa.version());
  *update.mutable_terms() = ipa.terms();
  update.mutable_terms()->add_purposes("A settled home near her school in Horsham");
  cv1::ContractDocument& document = *update.mutable_terms()->add_documents();
  document.set_title("Terms and conditions 2027");
  document.set_uri("documents/terms-2027.pdf");
  document.set_sha256(std::string(64, 'a'));
  cv1::ChildIdentity& child = *update.add_children();
  child.set_given_names("Sam");
  child.set_family_name("Jones");
  *child.mutable_date_of_birth() = platform::ToDate(absl::CivilDay(2013, 4, 3));
  child.set_home_postcode("RH12 1AB");
  REQUIRE(contracts.stub->UpdateIpaDraft(Officer().get(), update, &ipa).ok());
  REQUIRE(ipa.children_size() == 1);
  // The child is the parties' to see: the provider reads it, the lead authority's auditor not.
  REQUIRE(contracts.stub->GetIpa(ProviderUser().get(), get, &read).ok());
  REQUIRE(read.children_size() == 1);
  CHECK(read.children(0).family_name() == "Jones");
  REQUIRE(contracts.stub->GetIpa(As(dps::common::v1::ROLE_AUDITOR, kLead).get(), get, &read).ok());
  CHECK(read.children_size() == 0);
  CHECK(read.children_redacted());
  // No event carries it.
  CHECK(contracts.Count("SELECT count(*) FROM outbox "
                        "WHERE position(convert_to('Jones', 'UTF8') in payload) > 0") == 0);
  // The provider does not write the draft.
  update.set_idempotency_key(Key());
  CHECK(contracts.stub->UpdateIpaDraft(ProviderUser().get(), update, &read).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);

  cv1::IssueIpaRequest issue;
  issue.set_idempotency_key(Key());
  issue.set_id(ipa.id());
  REQUIRE(contracts.stub->IssueIpa(Officer().get(), issue, &ipa).ok());
  CHECK(ipa.state() == cv1::IPA_STATE_ISSUED);
  REQUIRE(ipa.versions_size() == 1);
  const std::string hash = ipa.versions(0).document_sha256();
  cv1::Ipa replay;
  REQUIRE(contracts.stub->IssueIpa(Officer().get(), issue, &replay).ok());
  CHECK(replay.SerializeAsString() == ipa.SerializeAsString());
  issue.set_expected_version(99);  // the same key for another request
  CHECK(contracts.stub->IssueIpa(Officer().get(), issue, &replay).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);

  // --- the document each party signs is the stored PDF -----------------------------------------
  cv1::RenderIpaRequest render;
  render.set_id(ipa.id());
  cv1::RenderIpaResponse rendered;
  REQUIRE(contracts.stub->RenderIpa(ProviderUser().get(), render, &rendered).ok());
  CHECK(rendered.media_type() == "application/pdf");
  CHECK(rendered.content().rfind("%PDF-", 0) == 0);
  CHECK(rendered.document_sha256() == hash);
  CHECK(rendered.version_number() == 1);

  cv1::SignIpaRequest sign;
  sign.set_idempotency_key(Key());
  sign.set_id(ipa.id());
  sign.set_document_sha256(std::string(64, 'b'));
  sign.set_signatory_name("Sam Jones");
  sign.set_signatory_position("Head of Placements");
  CHECK(contracts.stub->SignIpa(Officer().get(), sign, &read).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  sign.set_idempotency_key(Key());
  sign.set_document_sha256(hash);
  REQUIRE(contracts.stub->SignIpa(Officer().get(), sign, &ipa).ok());
  CHECK(ipa.state() == cv1::IPA_STATE_ISSUED);
  sign.set_idempotency_key(Key());
  sign.set_signatory_name("Ali Khan");
  sign.set_signatory_position("Registered manager");
  REQUIRE(contracts.stub->SignIpa(ProviderUser().get(), sign, &ipa).ok());
  CHECK(ipa.state() == cv1::IPA_STATE_SIGNED);
  CHECK(ipa.current_version_number() == 1);
  REQUIRE(ipa.versions(0).signatures_size() == 2);
  CHECK(ipa.versions(0).signatures(1).document_sha256() == hash);

  // --- the timer starts it on 1 April ----------------------------------------------------------
  f.qualification().clock().Set(At(2027, 3, 31));
  CHECK(contracts.cases.RunDueTimers(f.qualification().clock().Now())->activated.empty());
  f.qualification().clock().Set(At(2027, 4, 1));
  CHECK(contracts.cases.RunDueTimers(f.qualification().clock().Now())->activated ==
        std::vector<std::string>{ipa.id()});
  REQUIRE(contracts.stub->GetIpa(Officer().get(), get, &read).ok());
  CHECK(read.state() == cv1::IPA_STATE_ACTIVE);
  CHECK(read.actual_start_date().day() == 1);

  // --- the provider proposes a variation; both sign its own hash -------------------------------
  cv1::ProposeVariationRequest propose;
  propose.set_idempotency_key(Key());
  propose.set_ipa_id(ipa.id());
  propose.set_kind(cv1::VARIATION_KIND_CONTACTS_OR_DOCUMENTS);
  propose.set_reason("The home's new safeguarding policy");
  *propose.mutable_terms() = read.terms();
  cv1::ContractDocument& policy = *propose.mutable_terms()->add_documents();
  policy.set_title("Safeguarding policy 2027");
  policy.set_uri("documents/safeguarding-2027.pdf");
  policy.set_sha256(std::string(64, 'c'));
  *propose.mutable_effective_from() = platform::ToDate(absl::CivilDay(2027, 4, 2));
  cv1::Variation variation;
  REQUIRE(contracts.stub->ProposeVariation(ProviderUser().get(), propose, &variation).ok());
  CHECK(variation.id() == ipa.id() + ".v2");
  CHECK(variation.state() == cv1::VARIATION_STATE_PROPOSED);
  CHECK(variation.proposed_by() == cv1::PARTY_PROVIDER);
  CHECK(variation.version_number() == 2);
  const std::string v2_hash = variation.document_sha256();
  // The proposal replayed by its key is the same answer; a second proposal waits for the first.
  cv1::Variation again;
  REQUIRE(contracts.stub->ProposeVariation(ProviderUser().get(), propose, &again).ok());
  CHECK(again.SerializeAsString() == variation.SerializeAsString());
  propose.set_idempotency_key(Key());
  CHECK(contracts.stub->ProposeVariation(Officer().get(), propose, &again).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  // Its document is the stored PDF of version 2.
  cv1::RenderIpaRequest render_variation;
  render_variation.set_variation_id(variation.id());
  REQUIRE(contracts.stub->RenderIpa(Officer().get(), render_variation, &rendered).ok());
  CHECK(rendered.version_number() == 2);
  CHECK(rendered.document_sha256() == v2_hash);
  // Listed for the lead authority's auditor too; not found for another provider.
  cv1::ListVariationsRequest list_variations;
  list_variations.set_ipa_id(ipa.id());
  cv1::ListVariationsResponse variations;
  REQUIRE(contracts.stub
              ->ListVariations(As(dps::common::v1::ROLE_AUDITOR, kLead).get(), list_variations,
                               &variations)
              .ok());
  REQUIRE(variations.variations_size() == 1);
  CHECK(variations.variations(0).id() == variation.id());
  CHECK(contracts.stub->ListVariations(ProviderUser(kOther).get(), list_variations, &variations)
            .error_code() == grpc::StatusCode::NOT_FOUND);

  cv1::SignVariationRequest sign_variation;
  sign_variation.set_idempotency_key(Key());
  sign_variation.set_variation_id(variation.id());
  sign_variation.set_document_sha256(hash);  // version 1's: superseded by the proposal
  sign_variation.set_signatory_name("Sam Jones");
  sign_variation.set_signatory_position("Head of Placements");
  const grpc::Status stale = contracts.stub->SignVariation(Officer().get(), sign_variation, &again);
  CHECK(stale.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(stale.error_message().find("version 1 is superseded") != std::string::npos);
  sign_variation.set_idempotency_key(Key());
  sign_variation.set_variation_id(ipa.id() + ".v1");
  CHECK(contracts.stub->SignVariation(Officer().get(), sign_variation, &again).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  sign_variation.set_idempotency_key(Key());
  sign_variation.set_variation_id(variation.id());
  sign_variation.set_document_sha256(v2_hash);
  REQUIRE(contracts.stub->SignVariation(Officer().get(), sign_variation, &variation).ok());
  CHECK(variation.state() == cv1::VARIATION_STATE_PROPOSED);
  sign_variation.set_idempotency_key(Key());
  sign_variation.set_signatory_name("Ali Khan");
  sign_variation.set_signatory_position("Registered manager");
  REQUIRE(contracts.stub->SignVariation(ProviderUser().get(), sign_variation, &variation).ok());
  CHECK(variation.state() == cv1::VARIATION_STATE_SIGNED);
  CHECK(variation.signatures_size() == 2);
  REQUIRE(contracts.stub->GetIpa(Officer().get(), get, &read).ok());
  CHECK(read.current_version_number() == 2);
  CHECK(read.versions(1).variation_id() == variation.id());
  CHECK(contracts.Count("SELECT count(*) FROM outbox WHERE event_type = 'contracts.ipa.varied'") ==
        1);

  // --- the provider asks for an uplift; a commissioner approves part of it ---------------------
  cv1::RequestFeeUpliftRequest ask;
  ask.set_idempotency_key(Key());
  ask.set_ipa_id(ipa.id());
  ask.mutable_requested_core_fee()->set_pence(410000);
  *ask.mutable_effective_from() = platform::ToDate(absl::CivilDay(2027, 4, 10));
  ask.set_justification("Carers' pay rose with the National Living Wage in April");
  cv1::CostPressure& pressure = *ask.add_cost_pressures();
  pressure.set_category(dps::qualification::v1::CORE_COST_CATEGORY_CORE_STAFFING);
  pressure.set_description("National Living Wage from 1 April");
  pressure.mutable_weekly_increase()->set_pence(15000);
  cv1::FeeUpliftRequest uplift;
  CHECK(contracts.stub->RequestFeeUplift(Officer().get(), ask, &uplift).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  ask.set_idempotency_key(Key());
  REQUIRE(contracts.stub->RequestFeeUplift(ProviderUser().get(), ask, &uplift).ok());
  CHECK(uplift.state() == cv1::UPLIFT_STATE_REQUESTED);
  CHECK(uplift.current_core_fee().pence() == 395000);
  REQUIRE(uplift.cost_pressures_size() == 1);
  CHECK(uplift.cost_pressures(0).category() ==
        dps::qualification::v1::CORE_COST_CATEGORY_CORE_STAFFING);
  ask.set_idempotency_key(Key());
  cv1::FeeUpliftRequest refused;
  CHECK(contracts.stub->RequestFeeUplift(ProviderUser().get(), ask, &refused).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);

  cv1::DecideFeeUpliftRequest decide;
  decide.set_idempotency_key(Key());
  decide.set_uplift_id(uplift.id());
  decide.set_decision(cv1::UPLIFT_STATE_PARTLY_APPROVED);
  decide.mutable_approved_core_fee()->set_pence(400000);
  decide.set_reason("Within this year's budget for the lot");
  CHECK(contracts.stub
            ->DecideFeeUplift(As(dps::common::v1::ROLE_COMMISSIONER, kOutsider).get(), decide,
                              &refused)
            .error_code() == grpc::StatusCode::NOT_FOUND);
  REQUIRE(
      contracts.stub
          ->DecideFeeUplift(As(dps::common::v1::ROLE_COMMISSIONER, kPartner).get(), decide, &uplift)
          .ok());
  CHECK(uplift.state() == cv1::UPLIFT_STATE_PARTLY_APPROVED);
  CHECK(uplift.approved_core_fee().pence() == 400000);
  CHECK(uplift.variation_id() == ipa.id() + ".v3");
  cv1::ListFeeUpliftsRequest list_uplifts;
  cv1::ListFeeUpliftsResponse uplifts;
  REQUIRE(contracts.stub->ListFeeUplifts(ProviderUser().get(), list_uplifts, &uplifts).ok());
  REQUIRE(uplifts.uplifts_size() == 1);
  CHECK(uplifts.uplifts(0).SerializeAsString() == uplift.SerializeAsString());
  REQUIRE(contracts.stub->ListFeeUplifts(ProviderUser(kOther).get(), list_uplifts, &uplifts).ok());
  CHECK(uplifts.uplifts_size() == 0);

  // The FEE_UPLIFT variation is in force once both sign it.
  render_variation.set_variation_id(uplift.variation_id());
  REQUIRE(contracts.stub->RenderIpa(Officer().get(), render_variation, &rendered).ok());
  sign_variation.set_variation_id(uplift.variation_id());
  sign_variation.set_document_sha256(rendered.document_sha256());
  sign_variation.set_idempotency_key(Key());
  sign_variation.set_signatory_name("Sam Jones");
  sign_variation.set_signatory_position("Head of Placements");
  REQUIRE(contracts.stub->SignVariation(Officer().get(), sign_variation, &variation).ok());
  sign_variation.set_idempotency_key(Key());
  sign_variation.set_signatory_name("Ali Khan");
  sign_variation.set_signatory_position("Registered manager");
  REQUIRE(contracts.stub->SignVariation(ProviderUser().get(), sign_variation, &variation).ok());
  CHECK(variation.kind() == cv1::VARIATION_KIND_FEE_UPLIFT);
  CHECK(variation.state() == cv1::VARIATION_STATE_SIGNED);
  CHECK(variation.fee_uplift_id() == uplift.id());
  REQUIRE(contracts.stub->GetIpa(Officer().get(), get, &read).ok());
  CHECK(read.current_version_number() == 3);
  CHECK(read.terms().costs().core_weekly_fee().pence() == 400000);
  // The next request may come 12 months after this one's submission.
  ask.set_idempotency_key(Key());
  const grpc::Status too_soon =
      contracts.stub->RequestFeeUplift(ProviderUser().get(), ask, &refused);
  CHECK(too_soon.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(too_soon.error_message().find("from 2028-04-01") != std::string::npos);
  CHECK(contracts.Count("SELECT count(*) FROM outbox WHERE event_type LIKE 'contracts.uplift.%'") ==
        2);

  // --- KPIs returned, queried, accepted, and a performance review resting on them -------------
  const auto lead_admin = [] { return As(dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN, kLead); };
  cv1::SetKpiDefinitionsRequest define;
  define.set_idempotency_key(Key());
  define.set_system_id(read.system_id());
  cv1::KpiDefinition& attendance = *define.add_definitions();
  attendance.set_code("school-attendance");
  attendance.set_title("School attendance");
  attendance.set_value_type(cv1::KPI_VALUE_TYPE_PERCENTAGE);
  attendance.set_period_months(1);
  cv1::KpiDefinition& missing = *define.add_definitions();
  missing.set_code("missing-episodes");
  missing.set_title("Missing episodes");
  missing.set_value_type(cv1::KPI_VALUE_TYPE_COUNT);
  missing.set_period_months(1);
  cv1::KpiDefinitionSet definitions;
  CHECK(contracts.stub->SetKpiDefinitions(Officer().get(), define, &definitions).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  define.set_idempotency_key(Key());
  REQUIRE(contracts.stub->SetKpiDefinitions(lead_admin().get(), define, &definitions).ok());
  CHECK(definitions.definitions_size() == 2);
  cv1::ListKpiDefinitionsRequest list_definitions;
  list_definitions.set_system_id(read.system_id());
  REQUIRE(contracts.stub->ListKpiDefinitions(ProviderUser().get(), list_definitions, &definitions)
              .ok());
  CHECK(definitions.definitions(0).code() == "school-attendance");

  cv1::SubmitKpiReturnRequest submit;
  submit.set_idempotency_key(Key());
  submit.set_ipa_id(ipa.id());
  *submit.mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 4, 1));
  *submit.mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 4, 1));
  cv1::KpiValue& attended = *submit.add_values();
  attended.set_code("school-attendance");
  attended.set_basis_points_value(9500);
  cv1::KpiValue& episodes = *submit.add_values();
  episodes.set_code("missing-episodes");
  episodes.set_integer_value(0);
  cv1::KpiReturn kpi_return;
  REQUIRE(contracts.stub->SubmitKpiReturn(ProviderUser().get(), submit, &kpi_return).ok());
  CHECK(kpi_return.state() == cv1::KPI_RETURN_STATE_SUBMITTED);
  cv1::ReviewKpiReturnRequest review_return;
  review_return.set_idempotency_key(Key());
  review_return.set_kpi_return_id(kpi_return.id());
  review_return.set_query_note("Attendance looks high for the first day: please check");
  REQUIRE(contracts.stub->ReviewKpiReturn(Officer().get(), review_return, &kpi_return).ok());
  CHECK(kpi_return.state() == cv1::KPI_RETURN_STATE_QUERIED);
  submit.set_idempotency_key(Key());
  submit.mutable_values(0)->set_basis_points_value(10000);
  REQUIRE(contracts.stub->SubmitKpiReturn(ProviderUser().get(), submit, &kpi_return).ok());
  CHECK(kpi_return.state() == cv1::KPI_RETURN_STATE_SUBMITTED);
  review_return.set_idempotency_key(Key());
  review_return.set_accept(true);
  review_return.clear_query_note();
  REQUIRE(contracts.stub->ReviewKpiReturn(Officer().get(), review_return, &kpi_return).ok());
  CHECK(kpi_return.state() == cv1::KPI_RETURN_STATE_ACCEPTED);
  cv1::ListKpiReturnsRequest list_returns;
  cv1::ListKpiReturnsResponse returns;
  REQUIRE(contracts.stub->ListKpiReturns(ProviderUser().get(), list_returns, &returns).ok());
  CHECK(returns.returns_size() == 1);
  REQUIRE(contracts.stub->ListKpiReturns(ProviderUser(kOther).get(), list_returns, &returns).ok());
  CHECK(returns.returns_size() == 0);

  cv1::RecordPerformanceReviewRequest record_review;
  record_review.set_idempotency_key(Key());
  record_review.set_system_id(read.system_id());
  record_review.set_establishment_id(read.establishment().id());
  *record_review.mutable_period() = submit.period();
  record_review.set_rating(cv1::PERFORMANCE_RATING_MEETS);
  record_review.set_findings("Settled well; school attendance full");
  record_review.add_kpi_return_ids(kpi_return.id());
  record_review.set_recommended_score_delta(1.5);
  cv1::PerformanceReview review;
  REQUIRE(contracts.stub->RecordPerformanceReview(lead_admin().get(), record_review, &review).ok());
  CHECK(review.rating() == cv1::PERFORMANCE_RATING_MEETS);
  CHECK(review.provider_id() == kProvider);
  cv1::ListPerformanceReviewsRequest list_reviews;
  cv1::ListPerformanceReviewsResponse reviews;
  REQUIRE(
      contracts.stub->ListPerformanceReviews(ProviderUser().get(), list_reviews, &reviews).ok());
  CHECK(reviews.reviews_size() == 1);
  CHECK(contracts.Count("SELECT count(*) FROM outbox WHERE event_type IN "
                        "('contracts.kpi_return.submitted', "
                        "'contracts.performance_review.recorded')") == 3);

  // --- the authority gives notice; the placement ends on the day the lot's 28 days allow -------
  cv1::GiveNoticeRequest notice;
  notice.set_idempotency_key(Key());
  notice.set_ipa_id(ipa.id());
  notice.set_reason(cv1::END_REASON_STEP_DOWN);
  notice.set_detail("Moving to a foster family near her school");
  REQUIRE(contracts.stub->GiveNotice(Officer().get(), notice, &read).ok());
  CHECK(read.ending().basis() == cv1::ENDING_BASIS_NOTICE_BY_AUTHORITY);
  CHECK(read.ending().scheduled());
  CHECK(read.ending().end_date().month() == 4);
  CHECK(read.ending().end_date().day() == 29);
  notice.set_idempotency_key(Key());
  notice.set_reason(static_cast<cv1::EndReason>(42));
  const grpc::Status bad = contracts.stub->GiveNotice(Officer().get(), notice, &read);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad.error_message() == "reason: must be a value of EndReason, got 42");
  f.qualification().clock().Set(At(2027, 4, 29));
  CHECK(contracts.cases.RunDueTimers(f.qualification().clock().Now())->ended ==
        std::vector<std::string>{ipa.id()});
  REQUIRE(contracts.stub->GetIpa(Officer().get(), get, &read).ok());
  CHECK(read.state() == cv1::IPA_STATE_ENDED);
  CHECK(read.ending().reason() == cv1::END_REASON_STEP_DOWN);
  CHECK(contracts.Count("SELECT count(*) FROM outbox WHERE event_type = 'contracts.ipa.ended'") ==
        1);

  // --- the first quarter's awards published as one OCDS release package ------------------------
  cv1::ProducePublicationRequest produce;
  produce.set_idempotency_key(Key());
  produce.set_system_id(read.system_id());
  produce.set_kind(cv1::PUBLICATION_KIND_QUARTERLY);
  produce.mutable_quarter()->set_year(2027);
  produce.mutable_quarter()->set_quarter(1);
  produce.set_ocid_prefix("ocds-b5fd17");
  cv1::Publication publication;
  CHECK(contracts.stub->ProducePublication(Officer().get(), produce, &publication).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(contracts.stub->ProducePublication(lead_admin().get(), produce, &publication).ok());
  CHECK(publication.state() == cv1::PUBLICATION_STATE_PRODUCED);
  CHECK(publication.award_count() == 1);
  CHECK(publication.publish_by().month() == 4);
  CHECK(publication.publish_by().day() == 30);
  const std::string package = publication.release_package_json();
  CHECK(package.find("\"ocid\":\"ocds-b5fd17-" + referral_id + "\"") != std::string::npos);
  CHECK(package.find("\"hasDynamicPurchasingSystem\":true") != std::string::npos);
  CHECK(package.find("Jones") == std::string::npos);  // never the child
  // Asked again, the same bytes; the authorities taking part read it, others may not.
  produce.set_idempotency_key(Key());
  cv1::Publication again_produced;
  REQUIRE(contracts.stub->ProducePublication(lead_admin().get(), produce, &again_produced).ok());
  CHECK(again_produced.id() == publication.id());
  CHECK(again_produced.sha256() == publication.sha256());
  cv1::GetPublicationRequest get_publication;
  get_publication.set_id(publication.id());
  cv1::Publication got;
  REQUIRE(contracts.stub->GetPublication(Officer().get(), get_publication, &got).ok());
  CHECK(got.release_package_json() == package);
  CHECK(contracts.stub->GetPublication(Officer(kOutsider).get(), get_publication, &got)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  cv1::ListPublicationsRequest list_publications;
  list_publications.set_system_id(read.system_id());
  cv1::ListPublicationsResponse publications;
  REQUIRE(contracts.stub
              ->ListPublications(As(dps::common::v1::ROLE_AUDITOR, kLead).get(), list_publications,
                                 &publications)
              .ok());
  REQUIRE(publications.publications_size() == 1);
  CHECK(publications.publications(0).release_package_json().empty());
  cv1::MarkPublicationPublishedRequest mark;
  mark.set_idempotency_key(Key());
  mark.set_id(publication.id());
  mark.set_external_reference("FTS-2027-000123");
  REQUIRE(contracts.stub->MarkPublicationPublished(lead_admin().get(), mark, &publication).ok());
  CHECK(publication.state() == cv1::PUBLICATION_STATE_PUBLISHED);
  CHECK(publication.external_reference() == "FTS-2027-000123");
  CHECK(contracts.Count("SELECT count(*) FROM outbox "
                        "WHERE event_type = 'contracts.publication.produced'") == 1);

  // --- every change is in the audit log, chained, and nothing of the child is ------------------
  absl::StatusOr<std::vector<platform::audit::Entry>> audit;
  REQUIRE(contracts.pool
              .InTransaction([&](pqxx::work& tx) -> absl::Status {
                if (absl::StatusOr<int> chained = platform::audit::ChainPending(tx);
                    !chained.ok()) {
                  return chained.status();
                }
                audit = platform::audit::LoadChain(tx, 1, 0);
                return audit.status();
              })
              .ok());
  // One entry per event, and one per change no event announces.
  const std::set<std::string> unannounced = {"ipa.draft_updated", "kpi_definitions.set",
                                             "kpi_return.reviewed"};
  int unannounced_entries = 0;
  std::set<std::string> unannounced_seen;
  for (const platform::audit::Entry& entry : *audit) {
    if (unannounced.count(entry.action) > 0) {
      ++unannounced_entries;
      unannounced_seen.insert(entry.action);
    }
  }
  CHECK(unannounced_seen == unannounced);
  CHECK(static_cast<int>(audit->size()) ==
        contracts.Count("SELECT count(*) FROM outbox") + unannounced_entries);
  CHECK(platform::audit::Verify(*audit, {}).intact());
  CHECK(audit->front().action == "ipa.created");
  for (const platform::audit::Entry& entry : *audit) {
    INFO(entry.action);
    CHECK(entry.details_json.find("Jones") == std::string::npos);
    CHECK(entry.details_json.find("RH12") == std::string::npos);
    CHECK(entry.details_json.find("2013-04-03") == std::string::npos);
  }

  // --- read through AuditLogService: a signed checkpoint, the export, who may see what --------
  absl::StatusOr<platform::auth::PrivateKey> service_key =
      platform::auth::PrivateKey::FromFile(Contracts::identity().folder() + "/service-key.jwk");
  REQUIRE(service_key.ok());
  REQUIRE(contracts.pool
              .InTransaction([&](pqxx::work& tx) {
                return platform::audit::IssueCheckpoint(tx, *service_key, "contracts", absl::Now())
                    .status();
              })
              .ok());
  namespace av1 = ::dps::audit::v1;
  av1::VerifyAuditChainRequest verify;
  verify.set_service("contracts");
  av1::VerifyAuditChainResponse verdict;
  REQUIRE(contracts.audit_stub->VerifyAuditChain(lead_admin().get(), verify, &verdict).ok());
  CHECK(verdict.intact());
  CHECK(verdict.entries_checked() == static_cast<int64_t>(audit->size()));
  CHECK(verdict.detail() ==
        absl::StrCat("intact: ", audit->size(), " entries checked against 1 checkpoint"));

  // The lead authority exports the whole chain: every entry is of its system, none redacted, and
  // none holds the child's identity; the export verifies by the manifest it carries.
  av1::ExportAuditLogRequest export_request;
  export_request.set_service("contracts");
  std::vector<platform::audit::Entry> exported;
  av1::ExportManifest manifest;
  {
    auto context = lead_admin();
    auto reader = contracts.audit_stub->ExportAuditLog(context.get(), export_request);
    av1::ExportAuditLogResponse item;
    while (reader->Read(&item)) {
      if (item.has_manifest()) manifest = item.manifest();
      if (item.has_entry()) {
        exported.push_back(platform::audit::EntryOf(item.entry()));
        const std::string text = item.entry().DebugString();
        CHECK(text.find("Jones") == std::string::npos);
        CHECK(text.find("RH12") == std::string::npos);
        CHECK(text.find("2013-04-03") == std::string::npos);
        CHECK_FALSE(item.entry().redacted());
      }
    }
    REQUIRE(reader->Finish().ok());
  }
  CHECK(exported.size() == audit->size());
  CHECK(manifest.entry_count() == static_cast<int64_t>(audit->size()));
  CHECK(manifest.last_hash() == audit->back().hash);
  CHECK(platform::audit::Verify(exported, {.last_sequence = manifest.last_sequence()}).intact());

  // The placing officer reads their authority's entries; a provider reads none.
  av1::ListAuditEntriesRequest entries_of_ipas;
  entries_of_ipas.set_service("contracts");
  entries_of_ipas.set_aggregate_type("ipa");
  av1::ListAuditEntriesResponse entries;
  REQUIRE(contracts.audit_stub->ListAuditEntries(Officer().get(), entries_of_ipas, &entries).ok());
  CHECK_FALSE(entries.entries().empty());
  for (const av1::AuditEntry& entry : entries.entries()) CHECK(entry.aggregate_type() == "ipa");
  CHECK(contracts.audit_stub
            ->ListAuditEntries(ProviderUser(kProvider).get(), entries_of_ipas, &entries)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
}

// CreateIpa: the placing authority asks for the IPA of its award before the award's event has
// made it. The contracts service reads the award from the referral service (as itself) and the
// lot from the qualification service, and draws up the IPA the event would have; the event, when
// it comes, finds it. Every refusal names its reason.
TEST_CASE("CreateIpa draws up an award's IPA before its event and the event finds it") {
  ReferralFixture f(At(2027, 3, 1));
  const std::string referral_id = Awarded(f);
  const std::string open_referral = f.Publish(f.Spec()).referral().id();
  Contracts contracts(f);

  rv1::GetReferralRequest get_referral;
  get_referral.set_id(referral_id);
  rv1::Referral referral;
  REQUIRE(f.stub().GetReferral(Officer().get(), get_referral, &referral).ok());
  const std::string won = referral.award().bid_id();
  rv1::ListBidsRequest list_bids;
  list_bids.set_referral_id(referral_id);
  rv1::ListBidsResponse bids;
  REQUIRE(f.stub().ListBids(Officer().get(), list_bids, &bids).ok());
  std::string lost;
  for (const rv1::Bid& bid : bids.bids()) {
    if (bid.id() != won) lost = bid.id();
  }
  REQUIRE_FALSE(lost.empty());

  auto request = [](const std::string& referral, const std::string& bid) {
    cv1::CreateIpaRequest r;
    r.set_idempotency_key(Key());
    r.mutable_source()->set_kind(cv1::IPA_SOURCE_KIND_AWARD);
    r.mutable_source()->set_referral_id(referral);
    r.mutable_source()->set_bid_id(bid);
    return r;
  };

  // --- made, as the event would make it -------------------------------------------------------
  const cv1::CreateIpaRequest create = request(referral_id, won);
  cv1::Ipa ipa;
  REQUIRE(contracts.stub->CreateIpa(Officer().get(), create, &ipa).ok());
  CHECK(ipa.state() == cv1::IPA_STATE_DRAFT);
  CHECK(ipa.source().kind() == cv1::IPA_SOURCE_KIND_AWARD);
  CHECK(ipa.source().referral_id() == referral_id);
  CHECK(ipa.source().bid_id() == won);
  CHECK(ipa.placing_authority().id() == kPartner);
  CHECK(ipa.provider().id() == kProvider);
  CHECK_FALSE(ipa.establishment().name().empty());
  CHECK(ipa.provision_type() == dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME);
  CHECK(ipa.terms().costs().core_weekly_fee().pence() == 395000);
  CHECK(ipa.terms().notice_period_days() == 28);
  CHECK(ipa.terms().start_date().month() == 4);
  CHECK(contracts.Count("SELECT count(*) FROM ipas") == 1);

  // The same request again is answered as before; another asking gets the same IPA.
  cv1::Ipa repeated;
  REQUIRE(contracts.stub->CreateIpa(Officer().get(), create, &repeated).ok());
  CHECK(repeated.id() == ipa.id());
  REQUIRE(contracts.stub
              ->CreateIpa(As(dps::common::v1::ROLE_COMMISSIONER, kPartner).get(),
                          request(referral_id, won), &repeated)
              .ok());
  CHECK(repeated.id() == ipa.id());
  CHECK(repeated.version() == ipa.version());

  // The award's event, delivered twice, makes no second IPA.
  DeliverReferralEvents(f, contracts);
  CHECK(contracts.Count("SELECT count(*) FROM ipas") == 1);
  CHECK(contracts.Count("SELECT count(*) FROM outbox WHERE event_type = 'contracts.ipa.created'") ==
        1);

  // What the contracts service read is what the referral service announced.
  std::string payload;
  REQUIRE(f.pool()
              .InTransaction([&](pqxx::work& tx) {
                const pqxx::row row = tx.exec1(
                    "SELECT payload FROM outbox WHERE event_type = 'referral.referral.awarded'");
                payload = pqxx::binarystring(row[0]).str();
                return absl::OkStatus();
              })
              .ok());
  dps::events::v1::EventEnvelope announced;
  REQUIRE(announced.ParseFromString(payload));
  absl::StatusOr<dps::events::v1::EventEnvelope> read = contracts.referral_awards.AwardOf(
      "req-compare", {.kind = SourceKind::kAward, .referral_id = referral_id, .bid_id = won});
  REQUIRE(read.status() == absl::OkStatus());
  announced.mutable_referral_awarded()->clear_bids();  // how many bid: market intelligence's
  CHECK(read->referral_awarded().DebugString() == announced.referral_awarded().DebugString());
  CHECK(read->system_id() == announced.system_id());

  // --- refused -------------------------------------------------------------------------------
  auto refused = [&](std::unique_ptr<grpc::ClientContext> context, const cv1::CreateIpaRequest& r) {
    cv1::Ipa out;
    return contracts.stub->CreateIpa(context.get(), r, &out);
  };
  const grpc::Status provider = refused(ProviderUser(), request(referral_id, won));
  CHECK(provider.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status other_authority = refused(Officer(kOutsider), request(referral_id, won));
  CHECK(other_authority.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(other_authority.error_message() == absl::StrCat("referral ", referral_id, ": not found"));
  const grpc::Status losing_bid = refused(Officer(), request(referral_id, lost));
  CHECK(losing_bid.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(losing_bid.error_message() == absl::StrCat("source.bid_id: referral ", referral_id,
                                                   " was awarded to bid ", won, ", not to ", lost));
  const grpc::Status not_awarded = refused(Officer(), request(open_referral, won));
  CHECK(not_awarded.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(not_awarded.error_message() ==
        absl::StrCat("referral ", open_referral, " is REFERRAL_STATE_OPEN, not awarded"));
  const grpc::Status unknown = refused(Officer(), request("referral-404", won));
  CHECK(unknown.error_code() == grpc::StatusCode::NOT_FOUND);
  cv1::CreateIpaRequest kindless = request(referral_id, won);
  kindless.mutable_source()->clear_kind();
  const grpc::Status no_kind = refused(Officer(), kindless);
  CHECK(no_kind.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_kind.error_message().find("source.kind") != std::string::npos);
  CHECK(contracts.Count("SELECT count(*) FROM ipas") == 1);
}

}  // namespace
}  // namespace dps::contracts
