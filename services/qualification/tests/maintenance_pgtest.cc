// QualificationService through gRPC against PostgreSQL: the work lists (applications, evaluation
// tasks, providers, score adjustments), changing a draft and "tell us once", audits, a rating
// entered by hand, and a provider's changes to its own records.
#include <catch2/catch.hpp>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// The error code of a call, with its message shown when a check fails.
#define CODE(call)                          \
  [&] {                                     \
    grpc::Status status_ = (call);          \
    UNSCOPED_INFO(status_.error_message()); \
    return status_.error_code();            \
  }()

// The message starts with the field path.
bool Names(const grpc::Status& status, const std::string& field) {
  return status.error_message().rfind(field + ":", 0) == 0;
}

}  // namespace

TEST_CASE("applications list by role and filter: a provider its own, the lead its systems'",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  v1::Application application;
  CHECK_OK(stub.CreateApplication(Provider().get(), ApplicationFor(w, 400000), &application));
  CHECK_OK(Submit(f, application.id(), &application));  // due 2026-06-15

  v1::ListApplicationsRequest list;
  v1::ListApplicationsResponse listed;
  CHECK_OK(stub.ListApplications(Provider().get(), list, &listed));
  REQUIRE(listed.applications_size() == 1);
  CHECK(listed.applications(0).id() == application.id());
  listed.Clear();
  CHECK_OK(stub.ListApplications(Provider("provider-b").get(), list, &listed));
  CHECK(listed.applications().empty());
  list.set_provider_id(kProvider);
  CHECK(CODE(stub.ListApplications(Provider("provider-b").get(), list, &listed)) ==
        grpc::StatusCode::PERMISSION_DENIED);

  // The lead authority's queue: by state and by decision day.
  list.set_system_id(w.system_id);
  listed.Clear();
  CHECK_OK(stub.ListApplications(Lead().get(), list, &listed));
  CHECK(listed.applications_size() == 1);
  list.add_states(v1::APPLICATION_STATE_DRAFT);
  listed.Clear();
  CHECK_OK(stub.ListApplications(Lead().get(), list, &listed));
  CHECK(listed.applications().empty());
  list.add_states(v1::APPLICATION_STATE_SUBMITTED);
  *list.mutable_decision_due_before() = Day(2026, 6, 15);
  listed.Clear();
  CHECK_OK(stub.ListApplications(Lead().get(), list, &listed));
  CHECK(listed.applications().empty());
  *list.mutable_decision_due_before() = Day(2026, 6, 16);
  listed.Clear();
  CHECK_OK(stub.ListApplications(Lead().get(), list, &listed));
  CHECK(listed.applications_size() == 1);

  *list.mutable_decision_due_before() = Day(2026, 2, 30);
  grpc::Status bad_date = stub.ListApplications(Lead().get(), list, &listed);
  CHECK(bad_date.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(bad_date, "decision_due_before"));
  list.clear_decision_due_before();
  list.mutable_page()->set_page_size(501);
  CHECK(CODE(stub.ListApplications(Lead().get(), list, &listed)) ==
        grpc::StatusCode::INVALID_ARGUMENT);
  list.clear_page();

  // A partner authority does not lead the system: refused by name, empty without one.
  auto partner = [] { return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kPartner); };
  CHECK(CODE(stub.ListApplications(partner().get(), list, &listed)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  list.clear_system_id();
  listed.Clear();
  CHECK_OK(stub.ListApplications(partner().get(), list, &listed));
  CHECK(listed.applications().empty());
  CHECK(CODE(stub.ListApplications(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kLead).get(),
                                   list, &listed)) == grpc::StatusCode::PERMISSION_DENIED);

  // An evaluator of the lead authority sees only what it is assigned to, and never the prices.
  auto evaluator = [](const std::string& user) {
    return ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, user);
  };
  list.clear_states();  // assigning evaluators moves the application on from SUBMITTED
  listed.Clear();
  CHECK_OK(stub.ListApplications(evaluator("eva").get(), list, &listed));
  CHECK(listed.applications().empty());
  v1::GetApplicationRequest get;
  get.set_id(application.id());
  v1::Application seen;
  CHECK(CODE(stub.GetApplication(evaluator("eva").get(), get, &seen)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  v1::AssignEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_application_id(application.id());
  assign.add_evaluators()->set_evaluator_user_id("eva");
  CHECK_OK(stub.AssignEvaluators(Lead().get(), assign, &seen));
  CHECK_FALSE(seen.commercial().empty());  // the lead authority sees the prices
  CHECK_OK(stub.GetApplication(evaluator("eva").get(), get, &seen));
  CHECK(seen.commercial().empty());
  CHECK_OK(stub.ListApplications(evaluator("eva").get(), list, &listed));
  REQUIRE(listed.applications_size() == 1);
  CHECK(listed.applications(0).commercial().empty());
  listed.Clear();
  CHECK_OK(stub.ListApplications(evaluator("ivan").get(), list, &listed));
  CHECK(listed.applications().empty());
}

TEST_CASE("an evaluator lists the method statements awaiting their score",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  v1::Application application;
  CHECK_OK(stub.CreateApplication(Provider().get(), ApplicationFor(w, 400000), &application));
  CHECK_OK(Submit(f, application.id(), &application));
  auto eva = [] { return ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kLead, "eva"); };

  v1::ListEvaluationTasksRequest list;
  list.set_pending_only(true);
  v1::ListEvaluationTasksResponse tasks;
  CHECK_OK(stub.ListEvaluationTasks(eva().get(), list, &tasks));
  CHECK(tasks.tasks().empty());  // not assigned yet

  v1::AssignEvaluatorsRequest assign;
  assign.set_idempotency_key(ServiceFixture::Key());
  assign.set_application_id(application.id());
  assign.add_evaluators()->set_evaluator_user_id("eva");
  CHECK_OK(stub.AssignEvaluators(Lead().get(), assign, &application));
  CHECK_OK(stub.ListEvaluationTasks(eva().get(), list, &tasks));
  REQUIRE(tasks.tasks_size() == 1);
  CHECK(tasks.tasks(0).application_id() == application.id());
  CHECK(tasks.tasks(0).criterion_id() == w.workforce_id);  // the weighted one only
  CHECK(tasks.tasks(0).establishment_id() == w.establishment_id);
  CHECK(tasks.tasks(0).answer() == "our answer");
  CHECK_FALSE(tasks.tasks(0).scored());
  CHECK(DayText(tasks.tasks(0).decision_due_on()) == "2026-06-15");

  // The lead authority asks for an evaluator's list; an evaluator only for their own.
  list.set_evaluator_user_id("eva");
  tasks.Clear();
  CHECK_OK(stub.ListEvaluationTasks(Lead().get(), list, &tasks));
  CHECK(tasks.tasks_size() == 1);
  list.set_evaluator_user_id("bob");
  CHECK(CODE(stub.ListEvaluationTasks(eva().get(), list, &tasks)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  list.clear_evaluator_user_id();
  list.set_system_id(w.system_id);
  CHECK(CODE(stub.ListEvaluationTasks(
            ServiceFixture::As(ApiRole::ROLE_EVALUATOR, kPartner, "eva").get(), list, &tasks)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK(CODE(stub.ListEvaluationTasks(Provider().get(), list, &tasks)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  list.mutable_page()->set_page_token("not-a-token");
  grpc::Status bad_token = stub.ListEvaluationTasks(eva().get(), list, &tasks);
  CHECK(bad_token.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(bad_token, "page.page_token"));
  list.clear_page();

  v1::ScoreMethodStatementRequest score;
  score.set_idempotency_key(ServiceFixture::Key());
  score.set_application_id(application.id());
  score.set_criterion_id(w.workforce_id);
  score.set_establishment_id(w.establishment_id);
  score.set_score(75);
  CHECK_OK(stub.ScoreMethodStatement(eva().get(), score, &application));
  tasks.Clear();
  CHECK_OK(stub.ListEvaluationTasks(eva().get(), list, &tasks));
  CHECK(tasks.tasks().empty());
  list.set_pending_only(false);
  CHECK_OK(stub.ListEvaluationTasks(eva().get(), list, &tasks));
  REQUIRE(tasks.tasks_size() == 1);
  CHECK(tasks.tasks(0).scored());
}

TEST_CASE("providers list by name and system, and score adjustments list for who may see them",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  OtherProvider(f, "provider-b");
  const std::string membership_id = QualifiedMember(f, w);
  auto officer = [] { return ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner); };

  v1::ListProvidersRequest providers;
  v1::ListProvidersResponse found;
  CHECK_OK(stub.ListProviders(officer().get(), providers, &found));
  CHECK(found.providers_size() == 2);
  providers.set_name_prefix("provider a");
  found.Clear();
  CHECK_OK(stub.ListProviders(officer().get(), providers, &found));
  REQUIRE(found.providers_size() == 1);
  CHECK(found.providers(0).id() == kProvider);
  providers.clear_name_prefix();
  providers.set_system_id(w.system_id);  // provider-b has not applied
  found.Clear();
  CHECK_OK(stub.ListProviders(Lead().get(), providers, &found));
  REQUIRE(found.providers_size() == 1);
  CHECK(found.providers(0).id() == kProvider);
  CHECK(CODE(stub.ListProviders(Provider().get(), providers, &found)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  providers.mutable_page()->set_page_size(-1);
  CHECK(CODE(stub.ListProviders(Lead().get(), providers, &found)) ==
        grpc::StatusCode::INVALID_ARGUMENT);

  f.clock().Advance(absl::Hours(24 * 190));
  v1::AdjustQualificationScoreRequest adjust;
  adjust.set_idempotency_key(ServiceFixture::Key());
  adjust.set_membership_id(membership_id);
  adjust.set_delta_points(-5);
  adjust.set_reason("KPI returns late");
  adjust.add_performance_review_ids(RecordReview(f, w.system_id, w.establishment_id, "review-1"));
  v1::ScoreAdjustment adjustment;
  CHECK_OK(stub.AdjustQualificationScore(Lead().get(), adjust, &adjustment));

  v1::ListScoreAdjustmentsRequest list;
  list.set_membership_id(membership_id);
  v1::ListScoreAdjustmentsResponse listed;
  CHECK_OK(stub.ListScoreAdjustments(Lead().get(), list, &listed));
  REQUIRE(listed.adjustments_size() == 1);
  CHECK(listed.adjustments(0).SerializeAsString() == adjustment.SerializeAsString());
  listed.Clear();
  CHECK_OK(stub.ListScoreAdjustments(Provider().get(), list, &listed));
  CHECK(listed.adjustments_size() == 1);
  CHECK(CODE(stub.ListScoreAdjustments(Provider("provider-b").get(), list, &listed)) ==
        grpc::StatusCode::NOT_FOUND);

  v1::ListScoreAdjustmentsRequest by_system;
  by_system.set_system_id(w.system_id);
  listed.Clear();
  CHECK_OK(stub.ListScoreAdjustments(officer().get(), by_system, &listed));
  CHECK(listed.adjustments_size() == 1);
  listed.Clear();
  CHECK_OK(stub.ListScoreAdjustments(Provider("provider-b").get(), by_system, &listed));
  CHECK(listed.adjustments().empty());
  CHECK(CODE(stub.ListScoreAdjustments(
            ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kOutsider).get(), by_system,
            &listed)) == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(CODE(stub.ListScoreAdjustments(ServiceFixture::As(ApiRole::ROLE_AUDITOR, kPartner).get(),
                                       by_system, &listed)) == grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status neither =
      stub.ListScoreAdjustments(Lead().get(), v1::ListScoreAdjustmentsRequest(), &listed);
  CHECK(neither.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(neither, "membership_id"));
}

TEST_CASE("a draft changes until it is submitted, and tell us once carries accepted answers",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();

  SECTION("a draft is replaced whole, at the version read, by its own provider") {
    v1::Application draft;
    CHECK_OK(stub.CreateApplication(Provider().get(), ApplicationFor(w, 400000), &draft));
    v1::UpdateApplicationRequest update;
    update.set_idempotency_key(ServiceFixture::Key());
    update.set_id(draft.id());
    update.set_expected_version(draft.version());
    *update.mutable_spec() = ApplicationFor(w, 410000).spec();
    v1::Application updated;
    CHECK_OK(stub.UpdateApplication(Provider().get(), update, &updated));
    CHECK(updated.version() == draft.version() + 1);
    CHECK(updated.commercial(0).ceiling_fee().pence() == 410000);
    CHECK(updated.state() == v1::APPLICATION_STATE_DRAFT);

    update.set_idempotency_key(ServiceFixture::Key());  // still the first version
    CHECK(CODE(stub.UpdateApplication(Provider().get(), update, &updated)) ==
          grpc::StatusCode::ABORTED);
    update.set_expected_version(updated.version());
    update.set_idempotency_key(ServiceFixture::Key());
    CHECK(CODE(stub.UpdateApplication(Provider("provider-b").get(), update, &updated)) ==
          grpc::StatusCode::NOT_FOUND);
    CHECK(CODE(stub.UpdateApplication(Lead().get(), update, &updated)) ==
          grpc::StatusCode::PERMISSION_DENIED);
    update.mutable_spec()->clear_items();
    grpc::Status no_items = stub.UpdateApplication(Provider().get(), update, &updated);
    CHECK(no_items.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(Names(no_items, "spec.items"));
    update.mutable_spec()->add_items()->set_establishment_id(OtherProvider(f, "provider-b"));
    update.mutable_spec()->mutable_items(0)->set_lot_id(w.lot_id);
    update.set_idempotency_key(ServiceFixture::Key());
    grpc::Status foreign = stub.UpdateApplication(Provider().get(), update, &updated);
    CHECK(foreign.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(Names(foreign, "spec.items[0].establishment_id"));

    CHECK_OK(Submit(f, draft.id(), &updated));
    *update.mutable_spec() = ApplicationFor(w, 420000).spec();
    update.set_expected_version(updated.version());
    update.set_idempotency_key(ServiceFixture::Key());
    CHECK(CODE(stub.UpdateApplication(Provider().get(), update, &updated)) ==
          grpc::StatusCode::FAILED_PRECONDITION);
  }

  SECTION("accepted, unexpired answers are copied into an application for another lot") {
    std::string first_id;
    QualifiedMember(f, w, &first_id);
    // A second lot asks the same criteria (they apply to every lot).
    v1::CreateLotRequest lot_request;
    lot_request.set_idempotency_key(ServiceFixture::Key());
    lot_request.set_system_id(w.system_id);
    lot_request.mutable_spec()->set_code("SB");
    lot_request.mutable_spec()->set_name("Short breaks");
    lot_request.mutable_spec()->mutable_terms()->set_notice_period_days(28);
    v1::GetLotRequest get_lot;
    get_lot.set_id(w.lot_id);
    v1::Lot first_lot;
    CHECK_OK(stub.GetLot(Lead().get(), get_lot, &first_lot));
    *lot_request.mutable_spec()->mutable_default_weights() = first_lot.default_weights();
    *lot_request.mutable_spec()->mutable_needs() = first_lot.needs();
    *lot_request.mutable_spec()->mutable_features() = first_lot.features();
    v1::Lot second_lot;
    CHECK_OK(stub.CreateLot(Lead().get(), lot_request, &second_lot));

    v1::CreateApplicationRequest again;
    again.set_idempotency_key(ServiceFixture::Key());
    again.set_system_id(w.system_id);
    again.set_provider_id(kProvider);
    again.set_copy_from_application_id(first_id);
    v1::ApplicationItem* item = again.mutable_spec()->add_items();
    item->set_establishment_id(w.establishment_id);
    item->set_lot_id(second_lot.id());
    // The provider's own new answer to the rating criterion is kept, not overwritten.
    v1::CriterionResponse* own = again.mutable_spec()->add_responses();
    own->set_criterion_id(w.rating_id);
    own->set_establishment_id(w.establishment_id);
    own->set_answer("rated Good in May");

    SECTION("before the insurance evidence expires, every answer is reused") {
      v1::Application copied;
      CHECK_OK(stub.CreateApplication(Provider().get(), again, &copied));
      CHECK(copied.copied_from_application_id() == first_id);
      REQUIRE(copied.responses_size() == 3);
      CHECK(copied.responses(0).answer() == "rated Good in May");
      CHECK_FALSE(copied.responses(0).reused());
      for (int i = 1; i < 3; ++i) {
        CHECK(copied.responses(i).reused());
        CHECK(copied.responses(i).reused_from_application_id() == first_id);
        CHECK(copied.responses(i).answer() == "our answer");
      }
      bool insurance_with_evidence = false;
      for (const v1::CriterionResponse& r : copied.responses()) {
        if (r.criterion_id() == w.insurance_id) {
          insurance_with_evidence =
              r.evidence_ids_size() == 1 && r.evidence_ids(0) == w.evidence_id;
        }
      }
      CHECK(insurance_with_evidence);
    }

    SECTION("after it expires, the insurance answer must be given again") {
      f.clock().Set(At(2027, 4, 1));
      v1::Application copied;
      CHECK_OK(stub.CreateApplication(Provider().get(), again, &copied));
      REQUIRE(copied.responses_size() == 2);
      for (const v1::CriterionResponse& r : copied.responses()) {
        CHECK(r.criterion_id() != w.insurance_id);
      }
    }

    SECTION("only the provider's own decided applications are copied") {
      v1::Application copied;
      again.set_copy_from_application_id("app-does-not-exist");
      CHECK(CODE(stub.CreateApplication(Provider().get(), again, &copied)) ==
            grpc::StatusCode::NOT_FOUND);
      v1::CreateApplicationRequest undecided = again;
      undecided.set_idempotency_key(ServiceFixture::Key());
      undecided.clear_copy_from_application_id();
      v1::Application draft;
      CHECK_OK(stub.CreateApplication(Provider().get(), undecided, &draft));
      again.set_idempotency_key(ServiceFixture::Key());
      again.set_copy_from_application_id(draft.id());
      CHECK(CODE(stub.CreateApplication(Provider().get(), again, &copied)) ==
            grpc::StatusCode::FAILED_PRECONDITION);

      // Another provider naming provider-a's application learns nothing of it.
      const std::string elm = OtherProvider(f, "provider-b");
      v1::CreateApplicationRequest theirs;
      theirs.set_idempotency_key(ServiceFixture::Key());
      theirs.set_system_id(w.system_id);
      theirs.set_provider_id("provider-b");
      theirs.set_copy_from_application_id(first_id);
      theirs.mutable_spec()->add_items()->set_establishment_id(elm);
      theirs.mutable_spec()->mutable_items(0)->set_lot_id(w.lot_id);
      CHECK(CODE(stub.CreateApplication(Provider("provider-b").get(), theirs, &copied)) ==
            grpc::StatusCode::NOT_FOUND);
    }
  }
}

TEST_CASE("an audit is scheduled and recorded: passed moves the due date, failed suspends",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  const std::string membership_id = QualifiedMember(f, w);
  CHECK(DayText(GetMembership(f, membership_id).next_audit_due_on()) == "2027-06-01");
  auto partner = [] { return ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kPartner); };

  v1::ScheduleAuditRequest schedule;
  schedule.set_idempotency_key(ServiceFixture::Key());
  schedule.set_system_id(w.system_id);
  schedule.set_establishment_id(w.establishment_id);
  v1::Audit audit;
  grpc::Status no_day = stub.ScheduleAudit(Lead().get(), schedule, &audit);
  CHECK(no_day.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_day, "due_on"));
  *schedule.mutable_due_on() = Day(2026, 5, 31);
  schedule.set_idempotency_key(ServiceFixture::Key());
  grpc::Status past = stub.ScheduleAudit(Lead().get(), schedule, &audit);
  CHECK(past.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(past, "due_on"));
  *schedule.mutable_due_on() = Day(2027, 5, 15);
  schedule.set_idempotency_key(ServiceFixture::Key());
  CHECK(CODE(stub.ScheduleAudit(partner().get(), schedule, &audit)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  v1::ScheduleAuditRequest no_member = schedule;
  no_member.set_establishment_id(OtherProvider(f, "provider-b"));
  CHECK(CODE(stub.ScheduleAudit(Lead().get(), no_member, &audit)) ==
        grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_OK(stub.ScheduleAudit(Lead().get(), schedule, &audit));
  CHECK(audit.state() == v1::AUDIT_STATE_SCHEDULED);
  const std::string first_audit = audit.id();
  schedule.set_idempotency_key(ServiceFixture::Key());
  v1::Audit twice;
  CHECK(CODE(stub.ScheduleAudit(Lead().get(), schedule, &twice)) ==
        grpc::StatusCode::ALREADY_EXISTS);

  v1::ListAuditsRequest list;
  v1::ListAuditsResponse listed;
  CHECK_OK(stub.ListAudits(Lead().get(), list, &listed));
  CHECK(listed.audits_size() == 1);
  listed.Clear();
  CHECK_OK(stub.ListAudits(Provider().get(), list, &listed));
  CHECK(listed.audits_size() == 1);
  listed.Clear();
  CHECK_OK(stub.ListAudits(Provider("provider-b").get(), list, &listed));
  CHECK(listed.audits().empty());
  list.add_states(v1::AUDIT_STATE_PASSED);
  listed.Clear();
  CHECK_OK(stub.ListAudits(Lead().get(), list, &listed));
  CHECK(listed.audits().empty());
  list.clear_states();
  *list.mutable_due_before() = Day(2027, 5, 15);
  listed.Clear();
  CHECK_OK(stub.ListAudits(Lead().get(), list, &listed));
  CHECK(listed.audits().empty());
  list.clear_due_before();
  list.set_system_id(w.system_id);
  CHECK(CODE(stub.ListAudits(partner().get(), list, &listed)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK(CODE(stub.ListAudits(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kLead).get(), list,
                             &listed)) == grpc::StatusCode::PERMISSION_DENIED);

  f.clock().Set(At(2027, 5, 10));
  v1::RecordAuditResultRequest record;
  record.set_idempotency_key(ServiceFixture::Key());
  record.set_audit_id(first_audit);
  record.set_passed(true);
  grpc::Status no_summary = stub.RecordAuditResult(Lead().get(), record, &audit);
  CHECK(no_summary.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_summary, "summary"));
  record.set_summary("all criteria hold");
  v1::CriterionResult* finding = record.add_results();
  finding->set_criterion_id(w.insurance_id);
  finding->set_passed(false);
  finding->set_reason("cover lapsed");
  record.set_idempotency_key(ServiceFixture::Key());
  grpc::Status contradicts = stub.RecordAuditResult(Lead().get(), record, &audit);
  CHECK(contradicts.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(contradicts, "passed"));
  finding->set_passed(true);
  finding->clear_reason();
  record.set_idempotency_key(ServiceFixture::Key());
  CHECK(CODE(stub.RecordAuditResult(partner().get(), record, &audit)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK_OK(stub.RecordAuditResult(Lead().get(), record, &audit));
  CHECK(audit.state() == v1::AUDIT_STATE_PASSED);
  CHECK(audit.results(0).establishment_id() == w.establishment_id);
  CHECK(audit.auditor().user_id() == "user-1");
  const v1::Membership audited = GetMembership(f, membership_id);
  CHECK(audited.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(DayText(audited.next_audit_due_on()) == "2028-05-10");
  record.set_idempotency_key(ServiceFixture::Key());
  CHECK(CODE(stub.RecordAuditResult(Lead().get(), record, &audit)) ==
        grpc::StatusCode::FAILED_PRECONDITION);

  // The next audit fails on insurance: the membership is suspended for exactly that.
  schedule.set_idempotency_key(ServiceFixture::Key());
  *schedule.mutable_due_on() = Day(2027, 6, 1);
  CHECK_OK(stub.ScheduleAudit(Lead().get(), schedule, &audit));
  v1::RecordAuditResultRequest fail;
  fail.set_idempotency_key(ServiceFixture::Key());
  fail.set_audit_id(audit.id());
  fail.set_summary("insurance not renewed");
  grpc::Status nothing_failed = stub.RecordAuditResult(Lead().get(), fail, &audit);
  CHECK(nothing_failed.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(nothing_failed, "results"));
  v1::CriterionResult* failed = fail.add_results();
  failed->set_criterion_id("crit-unknown");
  failed->set_passed(false);
  fail.set_idempotency_key(ServiceFixture::Key());
  grpc::Status unknown = stub.RecordAuditResult(Lead().get(), fail, &audit);
  CHECK(unknown.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(unknown, "results[0].criterion_id"));
  failed->set_criterion_id(w.insurance_id);
  fail.set_idempotency_key(ServiceFixture::Key());
  grpc::Status no_reason = stub.RecordAuditResult(Lead().get(), fail, &audit);
  CHECK(no_reason.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_reason, "results[0].reason"));
  failed->set_reason("certificate expired in April");
  fail.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(stub.RecordAuditResult(Lead().get(), fail, &audit));
  CHECK(audit.state() == v1::AUDIT_STATE_FAILED);
  const v1::Membership suspended = GetMembership(f, membership_id);
  CHECK(suspended.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(suspended.suspensions_size() == 1);
  CHECK(suspended.suspensions(0).reason() == v1::SUSPENSION_REASON_AUDIT_FAILED);
  CHECK(suspended.suspensions(0).failed_criterion_ids(0) == w.insurance_id);
  CHECK(suspended.suspensions(0).detail().find(audit.id()) != std::string::npos);
  CHECK(suspended.suspensions(0).audit_id() == audit.id());
  CHECK(suspended.suspensions(0).suspended_by().user_id() == audit.auditor().user_id());
  CHECK(f.EventCount("qualification.membership.suspended") == 1);
}

TEST_CASE("a rating entered by hand has the effect of one import row",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  const std::string membership_id = QualifiedMember(f, w);

  v1::RecordInspectionRatingRequest record;
  record.set_idempotency_key(ServiceFixture::Key());
  v1::InspectionRating* rating = record.mutable_rating();
  rating->set_rating(v1::RATING_GOOD);
  *rating->mutable_inspected_on() = Day(2026, 5, 1);
  v1::InspectionRating recorded;
  grpc::Status no_establishment = stub.RecordInspectionRating(Lead().get(), record, &recorded);
  CHECK(no_establishment.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_establishment, "rating.establishment_id"));
  rating->set_establishment_id("est-unknown");
  record.set_idempotency_key(ServiceFixture::Key());
  CHECK(CODE(stub.RecordInspectionRating(Lead().get(), record, &recorded)) ==
        grpc::StatusCode::NOT_FOUND);
  rating->set_establishment_id(w.establishment_id);
  rating->set_rating(v1::RATING_UNSPECIFIED);
  record.set_idempotency_key(ServiceFixture::Key());
  grpc::Status no_rating = stub.RecordInspectionRating(Lead().get(), record, &recorded);
  CHECK(no_rating.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_rating, "rating.rating"));
  rating->set_rating(v1::RATING_GOOD);
  *rating->mutable_inspected_on() = Day(2026, 13, 1);
  record.set_idempotency_key(ServiceFixture::Key());
  grpc::Status bad_day = stub.RecordInspectionRating(Lead().get(), record, &recorded);
  CHECK(bad_day.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(bad_day, "rating.inspected_on"));
  *rating->mutable_inspected_on() = Day(2026, 5, 1);
  record.set_idempotency_key(ServiceFixture::Key());
  CHECK(CODE(stub.RecordInspectionRating(Provider().get(), record, &recorded)) ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK(CODE(stub.RecordInspectionRating(
            ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), record,
            &recorded)) == grpc::StatusCode::PERMISSION_DENIED);

  CHECK_OK(stub.RecordInspectionRating(Lead().get(), record, &recorded));
  CHECK(recorded.source() == v1::RATING_SOURCE_MANUAL);
  CHECK(recorded.inspectorate() == v1::INSPECTORATE_OFSTED);  // the establishment's
  CHECK(f.EventCount("qualification.establishment.rating_changed") == 1);
  const std::string good_id = recorded.id();
  record.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(stub.RecordInspectionRating(Lead().get(), record, &recorded));
  CHECK(recorded.id() == good_id);  // the same outcome again records nothing
  CHECK(f.EventCount("qualification.establishment.rating_changed") == 1);
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);

  // The next report is entered a day later: LatestRating orders by the instant recorded.
  f.clock().Advance(absl::Hours(24));
  rating->set_rating(v1::RATING_INADEQUATE);
  *rating->mutable_inspected_on() = Day(2026, 5, 20);
  record.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(stub.RecordInspectionRating(Lead().get(), record, &recorded));
  CHECK(recorded.id() != good_id);
  const v1::Membership suspended = GetMembership(f, membership_id);
  CHECK(suspended.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(suspended.suspensions_size() == 1);
  CHECK(suspended.suspensions(0).reason() == v1::SUSPENSION_REASON_RATING_INADEQUATE);
  CHECK(suspended.suspensions(0).failed_criterion_ids(0) == w.rating_id);
  CHECK(suspended.current_rating().rating() == v1::RATING_INADEQUATE);
  CHECK(f.EventCount("qualification.establishment.rating_changed") == 2);
  CHECK(f.EventCount("qualification.membership.suspended") == 1);
}

TEST_CASE("a provider changes its own record and its establishments, at the version read",
          "[qualification][service][maintenance]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();

  SECTION("the provider") {
    v1::UpdateProviderRequest update;
    update.set_idempotency_key(ServiceFixture::Key());
    update.set_id(kProvider);
    update.set_expected_version(1);
    update.mutable_spec()->set_name("Provider A Group Ltd");
    update.mutable_spec()->set_companies_house_number("01234567");
    v1::Provider provider;
    CHECK_OK(stub.UpdateProvider(Provider().get(), update, &provider));
    CHECK(provider.name() == "Provider A Group Ltd");
    CHECK(provider.version() == 2);
    update.set_idempotency_key(ServiceFixture::Key());
    CHECK(CODE(stub.UpdateProvider(Provider().get(), update, &provider)) ==
          grpc::StatusCode::ABORTED);
    update.set_expected_version(2);
    update.set_idempotency_key(ServiceFixture::Key());
    CHECK(CODE(stub.UpdateProvider(Provider("provider-b").get(), update, &provider)) ==
          grpc::StatusCode::PERMISSION_DENIED);
    CHECK(CODE(stub.UpdateProvider(Lead().get(), update, &provider)) ==
          grpc::StatusCode::PERMISSION_DENIED);
    update.mutable_spec()->clear_name();
    grpc::Status no_name = stub.UpdateProvider(Provider().get(), update, &provider);
    CHECK(no_name.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(Names(no_name, "spec.name"));
    v1::GetProviderRequest get;
    get.set_id(kProvider);
    CHECK_OK(stub.GetProvider(Lead().get(), get, &provider));
    CHECK(provider.name() == "Provider A Group Ltd");
  }

  SECTION("an establishment that moves is found where it now is") {
    QualifiedMember(f, w);
    v1::GetEstablishmentRequest get;
    get.set_id(w.establishment_id);
    v1::Establishment establishment;
    CHECK_OK(stub.GetEstablishment(Provider().get(), get, &establishment));
    v1::UpdateEstablishmentRequest update;
    update.set_idempotency_key(ServiceFixture::Key());
    update.set_id(w.establishment_id);
    update.set_expected_version(establishment.version());
    v1::EstablishmentSpec* spec = update.mutable_spec();
    spec->set_name("Oak House (Brighton)");
    spec->mutable_address()->set_postcode("BN1 1AA");
    spec->mutable_location()->set_latitude(50.8225);
    spec->mutable_location()->set_longitude(-0.1372);
    spec->add_provision_types(dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME);
    spec->set_inspectorate(v1::INSPECTORATE_OFSTED);
    spec->set_inspectorate_ref("SC123456");
    spec->set_age_min_years(8);
    spec->set_age_max_years(17);
    spec->set_registered_places(5);

    spec->mutable_location()->set_latitude(91);
    grpc::Status off_earth = stub.UpdateEstablishment(Provider().get(), update, &establishment);
    CHECK(off_earth.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(Names(off_earth, "spec.location.latitude"));
    spec->mutable_location()->set_latitude(50.8225);
    update.set_idempotency_key(ServiceFixture::Key());
    CHECK(CODE(stub.UpdateEstablishment(Provider("provider-b").get(), update, &establishment)) ==
          grpc::StatusCode::PERMISSION_DENIED);
    v1::UpdateEstablishmentRequest unknown = update;
    unknown.set_id("est-unknown");
    CHECK(CODE(stub.UpdateEstablishment(Provider().get(), unknown, &establishment)) ==
          grpc::StatusCode::NOT_FOUND);
    CHECK_OK(stub.UpdateEstablishment(Provider().get(), update, &establishment));
    CHECK(establishment.name() == "Oak House (Brighton)");
    CHECK(establishment.version() == 2);
    update.set_idempotency_key(ServiceFixture::Key());
    CHECK(CODE(stub.UpdateEstablishment(Provider().get(), update, &establishment)) ==
          grpc::StatusCode::ABORTED);

    // The eligibility query reads the relational columns: the home is now in Brighton.
    const v1::FindEligibleEstablishmentsResponse found = FindEligible(f, w, 50.8225, -0.1372);
    REQUIRE(found.establishments_size() == 1);
    CHECK(found.establishments(0).name() == "Oak House (Brighton)");
    CHECK(found.establishments(0).distance_miles() < 0.01);
  }
}

}  // namespace dps::qualification::testing
