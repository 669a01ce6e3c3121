#include "services/qualification/tests/world.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "platform/proto/proto_time.h"
#include "services/qualification/storage/pg_performance_review_repository.h"
#include "services/qualification/timers/evidence_expiry.h"

namespace dps::qualification::testing {

absl::Time At(int y, int m, int d, int hour) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), absl::UTCTimeZone());
}

dps::common::v1::Date Day(int y, int m, int d) {
  dps::common::v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string DayText(const dps::common::v1::Date& d) {
  return absl::FormatCivilTime(absl::CivilDay(d.year(), d.month(), d.day()));
}

int ExpireEvidence(ServiceFixture& f, absl::Time at) {
  f.clock().Set(at);
  EvidenceExpiryTimer timer(f.pool(), f.clock());
  absl::StatusOr<int> expired = timer.RunOnce();
  REQUIRE(expired.ok());
  return *expired;
}

std::string RecordReview(ServiceFixture& f, const std::string& system_id,
                         const std::string& establishment_id, const std::string& id) {
  v1::RecordedPerformanceReview review;
  review.set_id(id);
  review.set_system_id(system_id);
  review.set_establishment_id(establishment_id);
  review.set_rating("PERFORMANCE_RATING_DOES_NOT_MEET");
  review.set_recommended_score_delta(-5);
  *review.mutable_reviewed_at() = platform::ToTimestamp(f.clock().Now());
  REQUIRE(f.pool().InTransaction([&](pqxx::work& tx) {
    return PgPerformanceReviewRepository(tx).Record(review).status();
  }) == absl::OkStatus());
  return id;
}

v1::LotSpec ResidentialLotSpec() {
  v1::LotSpec lot;
  lot.set_code("RES");
  lot.set_name("Residential children's homes");
  lot.mutable_terms()->set_ceiling_mode(dps::common::v1::CEILING_MODE_HARD);
  lot.mutable_terms()->set_notice_period_days(28);
  lot.mutable_terms()->mutable_affordability_cap_weekly()->set_pence(500000);
  dps::common::v1::Weights* weights = lot.mutable_default_weights();
  weights->set_price(50);
  weights->set_outcomes(10);
  weights->set_needs(10);
  weights->set_features(5);
  weights->set_location(5);
  weights->set_core_competency(20);
  lot.add_needs()->set_code("ASD");
  lot.add_features()->set_code("wheelchair-access");
  return lot;
}

namespace {

// A LIVE system led by kLead with `partners`, its residential lot and three criteria: fills the
// system's part of `w`.
void CreateSystem(ServiceFixture& f, World& w, v1::EntryWindowMode windows,
                  dps::common::v1::Regime regime, const std::vector<std::string>& partners) {
  auto& stub = f.stub();
  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  v1::PurchasingSystemSpec* spec = create.mutable_spec();
  spec->set_name("Children's placements DPS");
  spec->set_regime(regime);
  // Light touch has no statutory decision or response periods: the system sets its own.
  if (regime == dps::common::v1::REGIME_LIGHT_TOUCH) {
    spec->mutable_rules()->set_decision_period_working_days(10);
    spec->mutable_rules()->set_min_response_period_hours(72);
  }
  spec->set_lead_authority_id(kLead);
  for (const std::string& partner : partners) spec->add_authorities()->set_authority_id(partner);
  *spec->mutable_validity()->mutable_start() = Day(2026, 4, 1);
  *spec->mutable_validity()->mutable_initial_end() = Day(2029, 3, 31);
  spec->mutable_validity()->add_extensions()->set_months(24);
  spec->set_entry_window_mode(windows);
  if (windows == v1::ENTRY_WINDOW_MODE_SCHEDULED) {
    v1::EntryWindow* window = spec->add_entry_windows();
    window->mutable_opens_at()->set_seconds(absl::ToUnixSeconds(At(2026, 5, 1)));
    window->mutable_closes_at()->set_seconds(absl::ToUnixSeconds(At(2026, 5, 31)));
  }
  v1::PurchasingSystem system;
  CHECK_OK(stub.CreatePurchasingSystem(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), create, &system));
  w.system_id = system.id();

  v1::CreateLotRequest lot_request;
  lot_request.set_idempotency_key(ServiceFixture::Key());
  lot_request.set_system_id(w.system_id);
  *lot_request.mutable_spec() = ResidentialLotSpec();
  v1::Lot created_lot;
  CHECK_OK(stub.CreateLot(ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(),
                          lot_request, &created_lot));
  w.lot_id = created_lot.id();

  auto add_criterion = [&](const std::string& code, v1::CriterionKind kind, int weight,
                           v1::CriterionCategory category, bool expires) {
    v1::CreateCriterionRequest request;
    request.set_idempotency_key(ServiceFixture::Key());
    request.set_system_id(w.system_id);
    request.mutable_spec()->set_code(code);
    request.mutable_spec()->set_title(code);
    request.mutable_spec()->set_kind(kind);
    request.mutable_spec()->set_weight(weight);
    request.mutable_spec()->set_category(category);
    request.mutable_spec()->set_evidence_expires(expires);
    v1::Criterion criterion;
    CHECK_OK(stub.CreateCriterion(
        ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), request, &criterion));
    return criterion.id();
  };
  w.insurance_id = add_criterion("insurance", v1::CRITERION_KIND_PASS_FAIL, 0,
                                 v1::CRITERION_CATEGORY_INSURANCE, true);
  w.rating_id = add_criterion("ofsted-rating", v1::CRITERION_KIND_PASS_FAIL, 0,
                              v1::CRITERION_CATEGORY_INSPECTION_RATING, false);
  w.workforce_id = add_criterion("workforce", v1::CRITERION_KIND_WEIGHTED, 100,
                                 v1::CRITERION_CATEGORY_METHOD_STATEMENT_WORKFORCE, false);

  v1::SetPurchasingSystemStateRequest live;
  live.set_idempotency_key(ServiceFixture::Key());
  live.set_id(w.system_id);
  live.set_state(v1::PURCHASING_SYSTEM_STATE_LIVE);
  CHECK_OK(stub.SetPurchasingSystemState(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), live, &system));
}

}  // namespace

World SetUp(ServiceFixture& f, v1::EntryWindowMode windows, dps::common::v1::Regime regime) {
  World w;
  auto& stub = f.stub();
  CreateSystem(f, w, windows, regime, {kPartner});

  v1::RegisterProviderRequest provider;
  provider.set_idempotency_key(ServiceFixture::Key());
  provider.mutable_spec()->set_name("Provider A Ltd");
  v1::Provider registered;
  CHECK_OK(stub.RegisterProvider(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                                 provider, &registered));

  v1::CreateEstablishmentRequest establishment;
  establishment.set_idempotency_key(ServiceFixture::Key());
  establishment.set_provider_id(kProvider);
  v1::EstablishmentSpec* e = establishment.mutable_spec();
  e->set_name("Oak House");
  e->mutable_address()->set_postcode("RH12 1AA");
  e->mutable_location()->set_latitude(51.0629);
  e->mutable_location()->set_longitude(-0.3259);
  e->add_provision_types(dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME);
  e->set_inspectorate(v1::INSPECTORATE_OFSTED);
  e->set_inspectorate_ref("SC123456");
  e->set_age_min_years(8);
  e->set_age_max_years(17);
  e->set_registered_places(4);
  v1::Establishment created_establishment;
  CHECK_OK(
      stub.CreateEstablishment(ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(),
                               establishment, &created_establishment));
  w.establishment_id = created_establishment.id();

  w.evidence_id = AddEvidence(f, w.establishment_id, w.insurance_id, "Employer's liability 2026",
                              Day(2027, 3, 31));
  return w;
}

World AnotherSystem(ServiceFixture& f, const World& w, const std::vector<std::string>& partners) {
  World other;
  CreateSystem(f, other, v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN, dps::common::v1::REGIME_PCR2015_DPS,
               partners);
  other.establishment_id = w.establishment_id;
  other.evidence_id = AddEvidence(f, w.establishment_id, other.insurance_id,
                                  "Employer's liability 2026", Day(2027, 3, 31));
  return other;
}

std::string AddLot(ServiceFixture& f, const World& w, const std::string& code) {
  v1::CreateLotRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_system_id(w.system_id);
  *request.mutable_spec() = ResidentialLotSpec();
  request.mutable_spec()->set_code(code);
  request.mutable_spec()->set_name(code);
  v1::Lot lot;
  CHECK_OK(f.stub().CreateLot(Lead().get(), request, &lot));
  return lot.id();
}

void TakesPartIn(ServiceFixture& f, const World& w, const std::string& authority,
                 const std::vector<std::string>& lot_codes) {
  const v1::PurchasingSystem system = GetSystem(f, w.system_id);
  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(system.id());
  update.set_expected_version(system.version());
  *update.mutable_spec() = SpecOf(system);
  for (v1::ParticipatingAuthority& participant : *update.mutable_spec()->mutable_authorities()) {
    if (participant.authority_id() != authority) continue;
    participant.clear_lot_codes();
    for (const std::string& code : lot_codes) participant.add_lot_codes(code);
  }
  update.set_reason(absl::StrCat(authority, " takes part in some lots only"));
  v1::PurchasingSystem changed;
  CHECK_OK(f.stub().UpdatePurchasingSystem(Lead().get(), update, &changed));
}

std::string AddEvidence(ServiceFixture& f, const std::string& establishment_id,
                        const std::string& criterion_id, const std::string& title,
                        const dps::common::v1::Date& expires, const std::string& organisation) {
  v1::AddEvidenceRequest evidence;
  evidence.set_idempotency_key(ServiceFixture::Key());
  evidence.set_provider_id(organisation);
  evidence.set_establishment_id(establishment_id);
  evidence.set_criterion_id(criterion_id);
  evidence.set_title(title);
  evidence.set_document_uri(absl::StrCat("docs://provider-a/", ServiceFixture::Key(), ".pdf"));
  evidence.set_document_sha256(std::string(64, 'a'));
  *evidence.mutable_expires_on() = expires;
  v1::Evidence added;
  CHECK_OK(f.stub().AddEvidence(Provider(organisation).get(), evidence, &added));
  return added.id();
}

v1::CreateApplicationRequest ApplicationFor(const World& w, int64_t weekly_fee_pence,
                                            const std::string& organisation) {
  v1::CreateApplicationRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_system_id(w.system_id);
  request.set_provider_id(organisation);
  v1::ApplicationItem* item = request.mutable_spec()->add_items();
  item->set_establishment_id(w.establishment_id);
  item->set_lot_id(w.lot_id);
  for (const std::string& criterion : {w.insurance_id, w.rating_id, w.workforce_id}) {
    v1::CriterionResponse* response = request.mutable_spec()->add_responses();
    response->set_criterion_id(criterion);
    response->set_establishment_id(w.establishment_id);
    response->set_answer("our answer");
    if (criterion == w.insurance_id) response->add_evidence_ids(w.evidence_id);
  }
  v1::CommercialSubmission* commercial = request.mutable_spec()->add_commercial();
  commercial->set_establishment_id(w.establishment_id);
  commercial->set_lot_id(w.lot_id);
  commercial->mutable_ceiling_fee()->set_pence(weekly_fee_pence);
  return request;
}

grpc::Status Submit(ServiceFixture& f, const std::string& id, v1::Application* out,
                    const std::string& organisation) {
  v1::SubmitApplicationRequest submit;
  submit.set_idempotency_key(ServiceFixture::Key());
  submit.set_id(id);
  return f.stub().SubmitApplication(
      ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, organisation).get(), submit, out);
}

std::unique_ptr<grpc::ClientContext> Lead() {
  return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead);
}

std::unique_ptr<grpc::ClientContext> Provider(const std::string& organisation) {
  return ServiceFixture::As(ApiRole::ROLE_PROVIDER_USER, organisation);
}

// Takes a submitted application through evaluation to a decision; returns the membership id.
std::string Qualify(ServiceFixture& f, const World& w, const std::string& application_id,
                    int score_points) {
  auto& stub = f.stub();
  v1::Application application;
  v1::AssignEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_application_id(application_id);
  assign.add_evaluators()->set_evaluator_user_id("eva");
  CHECK_OK(stub.AssignEvaluators(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), assign, &application));
  v1::ScoreMethodStatementRequest score;
  score.set_idempotency_key(ServiceFixture::Key());
  score.set_application_id(application_id);
  score.set_criterion_id(w.workforce_id);
  score.set_establishment_id(w.establishment_id);
  score.set_score(score_points);
  CHECK_OK(stub.ScoreMethodStatement(
      ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, "eva").get(), score, &application));
  for (const std::string& criterion : {w.insurance_id, w.rating_id}) {
    v1::RecordCriterionResultRequest result;
    result.set_idempotency_key(ServiceFixture::Key());
    result.set_application_id(application_id);
    result.mutable_result()->set_criterion_id(criterion);
    result.mutable_result()->set_establishment_id(w.establishment_id);
    result.mutable_result()->set_passed(true);
    CHECK_OK(stub.RecordCriterionResult(
        ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), result, &application));
  }
  v1::DecideApplicationRequest decide;
  decide.set_idempotency_key(ServiceFixture::Key());
  decide.set_application_id(application_id);
  CHECK_OK(stub.DecideApplication(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), decide, &application));
  REQUIRE(application.decisions_size() == 1);
  REQUIRE(application.decisions(0).outcome() == v1::ITEM_OUTCOME_QUALIFIED);
  return application.decisions(0).membership_id();
}

std::string QualifiedMember(ServiceFixture& f, const World& w, std::string* application_id) {
  v1::Application application;
  CHECK_OK(f.stub().CreateApplication(Provider().get(), ApplicationFor(w, 400000), &application));
  CHECK_OK(Submit(f, application.id(), &application));
  if (application_id != nullptr) *application_id = application.id();
  return Qualify(f, w, application.id());
}

v1::RaiseSafeguardingAlertRequest AlertAbout(const World& w, v1::AlertSeverity severity) {
  v1::RaiseSafeguardingAlertRequest raise;
  raise.set_idempotency_key(ServiceFixture::Key());
  raise.set_system_id(w.system_id);
  raise.set_establishment_id(w.establishment_id);
  raise.set_severity(severity);
  raise.set_category("missing from care");
  raise.set_summary("Two missing episodes in a week; police informed.");
  return raise;
}

std::string QualifiedMemberOf(ServiceFixture& f, const World& w, const std::string& organisation,
                              int score) {
  World other = w;
  other.establishment_id = OtherProvider(f, organisation);
  other.evidence_id = AddEvidence(f, other.establishment_id, w.insurance_id, "Insurance",
                                  Day(2028, 3, 31), organisation);
  v1::Application application;
  CHECK_OK(f.stub().CreateApplication(Provider(organisation).get(),
                                      ApplicationFor(other, 380000, organisation), &application));
  CHECK_OK(Submit(f, application.id(), &application, organisation));
  return Qualify(f, other, application.id(), score);
}

v1::Membership ScoredMemberOf(ServiceFixture& f, const World& w, const std::string& organisation,
                              int score) {
  return GetMembership(f, QualifiedMemberOf(f, w, organisation, score));
}

std::string OtherProvider(ServiceFixture& f, const std::string& organisation) {
  v1::RegisterProviderRequest provider;
  provider.set_idempotency_key(ServiceFixture::Key());
  provider.mutable_spec()->set_name("Beta Care Ltd");
  v1::Provider registered;
  CHECK_OK(f.stub().RegisterProvider(Provider(organisation).get(), provider, &registered));
  return NewEstablishment(f, organisation, "Elm Lodge", 50.8225, -0.1372);
}

std::string NewEstablishment(ServiceFixture& f, const std::string& organisation,
                             const std::string& name, double latitude, double longitude) {
  v1::CreateEstablishmentRequest establishment;
  establishment.set_idempotency_key(ServiceFixture::Key());
  establishment.set_provider_id(organisation);
  establishment.mutable_spec()->set_name(name);
  establishment.mutable_spec()->mutable_address()->set_postcode("BN1 1AA");
  establishment.mutable_spec()->mutable_location()->set_latitude(latitude);
  establishment.mutable_spec()->mutable_location()->set_longitude(longitude);
  establishment.mutable_spec()->set_inspectorate(v1::INSPECTORATE_OFSTED);
  establishment.mutable_spec()->set_age_max_years(17);
  v1::Establishment created;
  CHECK_OK(f.stub().CreateEstablishment(Provider(organisation).get(), establishment, &created));
  return created.id();
}

v1::PurchasingSystem GetSystem(ServiceFixture& f, const std::string& id) {
  v1::GetPurchasingSystemRequest get;
  get.set_id(id);
  v1::PurchasingSystem system;
  CHECK_OK(f.stub().GetPurchasingSystem(Lead().get(), get, &system));
  return system;
}

v1::PurchasingSystemSpec SpecOf(const v1::PurchasingSystem& system) {
  v1::PurchasingSystemSpec spec;
  spec.set_name(system.name());
  spec.set_regime(system.regime());
  spec.set_lead_authority_id(system.lead_authority_id());
  *spec.mutable_authorities() = system.authorities();
  *spec.mutable_validity() = system.validity();
  spec.set_entry_window_mode(system.entry_window_mode());
  *spec.mutable_entry_windows() = system.entry_windows();
  spec.set_qualification_mode(system.qualification_mode());
  *spec.mutable_rules() = system.rules();
  spec.set_other_bodies_may_call_off(system.other_bodies_may_call_off());
  return spec;
}

v1::Membership GetMembership(ServiceFixture& f, const std::string& id) {
  v1::GetMembershipRequest request;
  request.set_id(id);
  v1::Membership membership;
  CHECK_OK(f.stub().GetMembership(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(),
                                  request, &membership));
  return membership;
}

grpc::Status ChangeQualificationMode(ServiceFixture& f, const v1::PurchasingSystem& system,
                                     v1::QualificationMode mode, v1::PurchasingSystem* changed) {
  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(system.id());
  update.set_expected_version(system.version());
  *update.mutable_spec() = SpecOf(system);
  update.mutable_spec()->set_qualification_mode(mode);
  update.set_reason(absl::StrCat("qualification mode ", v1::QualificationMode_Name(mode)));
  return f.stub().UpdatePurchasingSystem(Lead().get(), update, changed);
}

v1::FindEligibleEstablishmentsResponse FindEligible(ServiceFixture& f, const World& w,
                                                    double latitude, double longitude) {
  v1::FindEligibleEstablishmentsRequest find;
  find.mutable_query()->set_lot_id(w.lot_id);
  find.mutable_query()->mutable_location()->set_latitude(latitude);
  find.mutable_query()->mutable_location()->set_longitude(longitude);
  find.mutable_query()->add_child_ages_years(12);
  find.mutable_query()->add_child_genders(dps::common::v1::GENDER_FEMALE);
  v1::FindEligibleEstablishmentsResponse found;
  CHECK_OK(f.stub().FindEligibleEstablishments(
      ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), find, &found));
  return found;
}

}  // namespace dps::qualification::testing
