// Changing a purchasing system's configuration, its lots and its criteria: who may, what the
// regime fixes once the system is LIVE, and stale versions.
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// A DRAFT PCR 2015 system of West Sussex with no lots or criteria yet.
v1::PurchasingSystem DraftSystem(ServiceFixture& f,
                                 v1::QualificationMode mode = v1::QUALIFICATION_MODE_UNSPECIFIED) {
  v1::CreatePurchasingSystemRequest create;
  create.mutable_spec()->set_qualification_mode(mode);
  create.set_idempotency_key(ServiceFixture::Key());
  create.mutable_spec()->set_name("Draft DPS");
  create.mutable_spec()->set_regime(dps::common::v1::REGIME_PCR2015_DPS);
  create.mutable_spec()->set_lead_authority_id(kLead);
  *create.mutable_spec()->mutable_validity()->mutable_start() = Day(2026, 9, 1);
  *create.mutable_spec()->mutable_validity()->mutable_initial_end() = Day(2029, 8, 31);
  v1::PurchasingSystem system;
  CHECK_OK(f.stub().CreatePurchasingSystem(Lead().get(), create, &system));
  return system;
}

// A weighted method statement on the workforce, worth all of the qualification score.
v1::CreateCriterionRequest WorkforceCriterion(const std::string& system_id) {
  v1::CreateCriterionRequest add;
  add.set_idempotency_key(ServiceFixture::Key());
  add.set_system_id(system_id);
  add.mutable_spec()->set_code("workforce");
  add.mutable_spec()->set_title("Workforce");
  add.mutable_spec()->set_kind(v1::CRITERION_KIND_WEIGHTED);
  add.mutable_spec()->set_weight(100);
  return add;
}

}  // namespace

TEST_CASE("a LIVE system's configuration changes within its regime, by its lead authority",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  const v1::PurchasingSystem system = GetSystem(f, w.system_id);
  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(w.system_id);
  update.set_expected_version(system.version());
  *update.mutable_spec() = SpecOf(system);
  update.mutable_spec()->set_name("Children's placements DPS 2026");
  v1::PurchasingSystem changed;

  grpc::Status no_reason = stub.UpdatePurchasingSystem(Lead().get(), update, &changed);
  CHECK(no_reason.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_reason.error_message().rfind("reason:", 0) == 0);
  update.set_reason("new financial year");

  update.set_idempotency_key(ServiceFixture::Key());
  CHECK(stub.UpdatePurchasingSystem(
                ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kPartner).get(), update,
                &changed)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  update.set_idempotency_key(ServiceFixture::Key());
  update.mutable_spec()->set_regime(dps::common::v1::REGIME_LIGHT_TOUCH);
  CHECK(stub.UpdatePurchasingSystem(Lead().get(), update, &changed).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  update.mutable_spec()->set_regime(dps::common::v1::REGIME_PCR2015_DPS);

  update.set_idempotency_key(ServiceFixture::Key());
  update.mutable_spec()->mutable_rules()->set_decision_period_working_days(12);
  grpc::Status loosened = stub.UpdatePurchasingSystem(Lead().get(), update, &changed);
  CHECK(loosened.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(loosened.error_message() ==
        "spec.rules.decision_period_working_days: PCR2015_DPS allows at most 10 working days, "
        "got 12");
  update.mutable_spec()->mutable_rules()->set_decision_period_working_days(0);

  update.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(stub.UpdatePurchasingSystem(Lead().get(), update, &changed));
  CHECK(changed.name() == "Children's placements DPS 2026");
  CHECK(changed.version() == system.version() + 1);
  CHECK(changed.history_size() == system.history_size() + 1);

  update.set_idempotency_key(ServiceFixture::Key());  // still names the old version
  CHECK(stub.UpdatePurchasingSystem(Lead().get(), update, &changed).error_code() ==
        grpc::StatusCode::ABORTED);
}

TEST_CASE("a rule broken at creation names the field of the spec it came from",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  v1::PurchasingSystemSpec* spec = create.mutable_spec();
  spec->set_name("Light-touch framework");
  spec->set_regime(dps::common::v1::REGIME_LIGHT_TOUCH);
  spec->set_lead_authority_id(kLead);
  *spec->mutable_validity()->mutable_start() = Day(2026, 9, 1);
  *spec->mutable_validity()->mutable_initial_end() = Day(2029, 8, 31);
  // Creates the system as the request stands: the message of the INVALID_ARGUMENT refusing it.
  const auto refusal = [&] {
    v1::PurchasingSystem refused;
    const grpc::Status status = f.stub().CreatePurchasingSystem(Lead().get(), create, &refused);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    return status.error_message();
  };
  CHECK(refusal() ==
        "spec.rules.decision_period_working_days: required: LIGHT_TOUCH has no default decision "
        "period");

  spec->mutable_rules()->set_decision_period_working_days(10);
  spec->mutable_rules()->set_extended_decision_period_working_days(8);
  CHECK(refusal() ==
        "spec.rules.extended_decision_period_working_days: must be more than the decision period "
        "of 10 working days, got 8");

  spec->mutable_rules()->set_extended_decision_period_working_days(0);
  CHECK(refusal() ==
        "spec.rules.min_response_period_hours: required: LIGHT_TOUCH has no default response "
        "period");

  spec->mutable_rules()->set_min_response_period_hours(72);
  spec->mutable_validity()->add_extensions()->set_months(12);
  spec->mutable_validity()->add_extensions()->set_months(0);
  CHECK(refusal() == "spec.validity.extensions[1].months: must be at least 1, got 0");

  spec->mutable_validity()->mutable_extensions(1)->set_months(6);
  v1::PurchasingSystem system;
  CHECK_OK(f.stub().CreatePurchasingSystem(Lead().get(), create, &system));
}

TEST_CASE("a system goes LIVE only whole, and an incomplete lot is named by its id",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  auto& stub = f.stub();
  const v1::PurchasingSystem system = DraftSystem(f);
  v1::SetPurchasingSystemStateRequest live;
  live.set_id(system.id());
  live.set_state(v1::PURCHASING_SYSTEM_STATE_LIVE);
  const auto go_live = [&] {
    live.set_idempotency_key(ServiceFixture::Key());
    v1::PurchasingSystem changed;
    return stub.SetPurchasingSystemState(Lead().get(), live, &changed);
  };
  grpc::Status no_lot = go_live();
  CHECK(no_lot.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_lot.error_message() == "lots: a LIVE system needs at least one lot");

  v1::CreateLotRequest lot;
  lot.set_idempotency_key(ServiceFixture::Key());
  lot.set_system_id(system.id());
  *lot.mutable_spec() = ResidentialLotSpec();
  v1::Lot created;
  CHECK_OK(stub.CreateLot(Lead().get(), lot, &created));
  grpc::Status no_criteria = go_live();
  CHECK(no_criteria.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_criteria.error_message() ==
        "lots[\"" + created.id() + "\"].criteria: must not be empty");
}

TEST_CASE("a system's rules are never negative, and its audit interval sets audits' due dates",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const v1::PurchasingSystem system = GetSystem(f, w.system_id);
  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(w.system_id);
  update.set_expected_version(system.version());
  *update.mutable_spec() = SpecOf(system);
  update.set_reason("six-monthly audits");
  v1::PurchasingSystem changed;

  update.mutable_spec()->mutable_rules()->set_audit_interval_months(-6);
  grpc::Status negative = f.stub().UpdatePurchasingSystem(Lead().get(), update, &changed);
  CHECK(negative.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(negative.error_message() ==
        "spec.rules.audit_interval_months: must not be negative (0 is the default), got -6");
  update.mutable_spec()->mutable_rules()->set_audit_interval_months(0);
  update.mutable_spec()->mutable_rules()->set_max_score_adjustment_points(150);
  update.set_idempotency_key(ServiceFixture::Key());
  grpc::Status too_many = f.stub().UpdatePurchasingSystem(Lead().get(), update, &changed);
  CHECK(too_many.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(too_many.error_message().rfind("spec.rules.max_score_adjustment_points:", 0) == 0);

  update.mutable_spec()->mutable_rules()->set_max_score_adjustment_points(0);
  update.mutable_spec()->mutable_rules()->set_audit_interval_months(6);
  update.set_idempotency_key(ServiceFixture::Key());
  CHECK_OK(f.stub().UpdatePurchasingSystem(Lead().get(), update, &changed));
  const std::string membership_id = QualifiedMember(f, w);
  const v1::Membership membership = GetMembership(f, membership_id);
  REQUIRE(membership.qualified_at().seconds() == absl::ToUnixSeconds(At(2026, 6, 1)));
  CHECK(DayText(membership.next_audit_due_on()) == "2026-12-01");  // six months on
}

TEST_CASE("a LIVE PCR 2015 lot keeps its terms and criteria, and its name may change",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  v1::GetLotRequest get;
  get.set_id(w.lot_id);
  v1::Lot lot;
  CHECK_OK(stub.GetLot(Lead().get(), get, &lot));

  v1::UpdateLotRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(w.lot_id);
  update.set_expected_version(lot.version());
  v1::LotSpec* spec = update.mutable_spec();
  spec->set_code(lot.code());
  spec->set_name("Residential children's homes (52 weeks)");
  *spec->mutable_terms() = lot.terms();
  *spec->mutable_default_weights() = lot.default_weights();
  *spec->mutable_needs() = lot.needs();
  *spec->mutable_features() = lot.features();
  update.set_reason("clearer name");
  v1::Lot changed;
  CHECK_OK(stub.UpdateLot(Lead().get(), update, &changed));
  CHECK(changed.name() == "Residential children's homes (52 weeks)");
  CHECK(changed.version() == lot.version() + 1);

  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(changed.version());
  spec->mutable_terms()->mutable_affordability_cap_weekly()->set_pence(600000);
  CHECK(stub.UpdateLot(Lead().get(), update, &changed).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  *spec->mutable_terms() = lot.terms();

  update.set_idempotency_key(ServiceFixture::Key());
  spec->set_preselection_allowed(true);
  grpc::Status filters = stub.UpdateLot(Lead().get(), update, &changed);
  CHECK(filters.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(filters.error_message().rfind("spec.preselection_allowed:", 0) == 0);
  spec->set_preselection_allowed(false);

  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(lot.version());
  CHECK(stub.UpdateLot(Lead().get(), update, &changed).error_code() == grpc::StatusCode::ABORTED);

  v1::UpdateCriterionRequest criterion;
  criterion.set_idempotency_key(ServiceFixture::Key());
  criterion.set_id(w.insurance_id);
  criterion.mutable_spec()->set_code("insurance");
  criterion.mutable_spec()->set_title("Insurance, GBP 10m public liability");
  criterion.mutable_spec()->set_kind(v1::CRITERION_KIND_PASS_FAIL);
  v1::Criterion updated;
  CHECK(stub.UpdateCriterion(Lead().get(), criterion, &updated).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_CASE("a system's state only moves forward, and once CLOSED the system is read-only",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  const v1::PurchasingSystem draft = DraftSystem(f);
  v1::SetPurchasingSystemStateRequest move;
  move.set_idempotency_key(ServiceFixture::Key());
  move.set_id(draft.id());
  move.set_reason("as agreed by the board");
  v1::PurchasingSystem moved;
  grpc::Status unnamed = stub.SetPurchasingSystemState(Lead().get(), move, &moved);
  CHECK(unnamed.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(unnamed.error_message() == "state: required: DRAFT, LIVE or CLOSED");

  move.set_idempotency_key(ServiceFixture::Key());
  move.set_state(v1::PURCHASING_SYSTEM_STATE_CLOSED);
  grpc::Status skipped = stub.SetPurchasingSystemState(Lead().get(), move, &moved);
  CHECK(skipped.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(skipped.error_message() == "purchasing system: cannot move from DRAFT to CLOSED");

  move.set_idempotency_key(ServiceFixture::Key());
  move.set_id(w.system_id);
  CHECK_OK(stub.SetPurchasingSystemState(Lead().get(), move, &moved));
  CHECK(moved.state() == v1::PURCHASING_SYSTEM_STATE_CLOSED);
  move.set_idempotency_key(ServiceFixture::Key());
  move.set_state(v1::PURCHASING_SYSTEM_STATE_LIVE);
  grpc::Status back = stub.SetPurchasingSystemState(Lead().get(), move, &moved);
  CHECK(back.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(back.error_message() == "purchasing system: cannot move from CLOSED to LIVE");

  // Every change to the closed system or its lots is refused, each naming what it tried.
  const auto read_only = [](const grpc::Status& status, const std::string& what) {
    INFO(what);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() ==
          absl::StrCat("purchasing system: ", what, ": a CLOSED system is read-only"));
  };
  v1::CreateLotRequest lot;
  lot.set_idempotency_key(ServiceFixture::Key());
  lot.set_system_id(w.system_id);
  lot.mutable_spec()->set_code("late-lot");
  lot.mutable_spec()->set_name("A lot added too late");
  v1::Lot added;
  read_only(stub.CreateLot(Lead().get(), lot, &added), "cannot add a lot");

  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(w.system_id);
  update.set_expected_version(moved.version());
  *update.mutable_spec() = SpecOf(moved);
  update.set_reason("rename");
  v1::PurchasingSystem changed;
  read_only(stub.UpdatePurchasingSystem(Lead().get(), update, &changed),
            "cannot change its configuration");

  v1::GetLotRequest get;
  get.set_id(w.lot_id);
  v1::Lot existing;
  CHECK_OK(stub.GetLot(Lead().get(), get, &existing));
  v1::UpdateLotRequest rename;
  rename.set_idempotency_key(ServiceFixture::Key());
  rename.set_id(w.lot_id);
  rename.set_expected_version(existing.version());
  rename.mutable_spec()->set_code(existing.code());
  rename.mutable_spec()->set_name("Renamed");
  rename.set_reason("clearer name");
  read_only(stub.UpdateLot(Lead().get(), rename, &added), "cannot change a lot");

  v1::Criterion criterion;
  read_only(stub.CreateCriterion(Lead().get(), WorkforceCriterion(w.system_id), &criterion),
            "cannot change criteria");

  v1::AddParticipatingAuthorityRequest join;
  join.set_idempotency_key(ServiceFixture::Key());
  join.set_system_id(w.system_id);
  join.mutable_authority()->set_authority_id("E10000032");
  join.set_access_agreement_ref("AA-2026-07");
  read_only(stub.AddParticipatingAuthority(Lead().get(), join, &changed),
            "cannot add an authority");

  v1::ExtendPurchasingSystemRequest extend;
  extend.set_idempotency_key(ServiceFixture::Key());
  extend.set_system_id(w.system_id);
  extend.set_reason("the market is still growing");
  read_only(stub.ExtendPurchasingSystem(Lead().get(), extend, &changed),
            "cannot take an extension");
}

TEST_CASE("a draft system's criterion changes with a new version", "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  auto& stub = f.stub();
  const v1::PurchasingSystem system = DraftSystem(f);
  v1::CreateCriterionRequest add = WorkforceCriterion(system.id());
  v1::Criterion criterion;
  CHECK_OK(stub.CreateCriterion(Lead().get(), add, &criterion));
  CHECK(criterion.version() == 1);

  v1::UpdateCriterionRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(criterion.id());
  update.set_expected_version(1);
  *update.mutable_spec() = add.spec();
  update.mutable_spec()->set_title("Workforce and supervision");
  v1::Criterion updated;
  CHECK_OK(stub.UpdateCriterion(Lead().get(), update, &updated));
  CHECK(updated.version() == 2);
  CHECK(updated.title() == "Workforce and supervision");

  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(2);
  update.mutable_spec()->set_weight(0);
  grpc::Status weightless = stub.UpdateCriterion(Lead().get(), update, &updated);
  CHECK(weightless.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(weightless.error_message().rfind("spec.weight:", 0) == 0);

  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(1);
  update.mutable_spec()->set_weight(100);
  CHECK(stub.UpdateCriterion(Lead().get(), update, &updated).error_code() ==
        grpc::StatusCode::ABORTED);
}

TEST_CASE("a pass/fail-only system takes no weighted criterion and no core competency weight",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  auto& stub = f.stub();
  const v1::PurchasingSystem system = DraftSystem(f, v1::QUALIFICATION_MODE_PASS_FAIL_ONLY);
  const std::string kind_rule =
      "spec.kind: must be PASS_FAIL: the purchasing system's qualification is pass/fail only "
      "(PASS_FAIL_ONLY), so no criterion is weighted or scored";

  v1::CreateCriterionRequest add = WorkforceCriterion(system.id());
  v1::Criterion criterion;
  grpc::Status weighted = stub.CreateCriterion(Lead().get(), add, &criterion);
  CHECK(weighted.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(weighted.error_message() == kind_rule);

  add.set_idempotency_key(ServiceFixture::Key());
  add.mutable_spec()->set_code("insurance");
  add.mutable_spec()->set_title("Insurance");
  add.mutable_spec()->set_kind(v1::CRITERION_KIND_PASS_FAIL);
  add.mutable_spec()->set_weight(0);
  CHECK_OK(stub.CreateCriterion(Lead().get(), add, &criterion));

  v1::UpdateCriterionRequest change;
  change.set_idempotency_key(ServiceFixture::Key());
  change.set_id(criterion.id());
  change.set_expected_version(criterion.version());
  *change.mutable_spec() = add.spec();
  change.mutable_spec()->set_kind(v1::CRITERION_KIND_WEIGHTED);
  change.mutable_spec()->set_weight(100);
  v1::Criterion changed;
  weighted = stub.UpdateCriterion(Lead().get(), change, &changed);
  CHECK(weighted.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(weighted.error_message() == kind_rule);

  // A lot's default weights: core competency must be 0, whether the lot is new or changed.
  v1::CreateLotRequest lot_request;
  lot_request.set_idempotency_key(ServiceFixture::Key());
  lot_request.set_system_id(system.id());
  *lot_request.mutable_spec() = ResidentialLotSpec();  // 50/10/10/5/5/20
  v1::Lot lot;
  grpc::Status core = stub.CreateLot(Lead().get(), lot_request, &lot);
  CHECK(core.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(core.error_message() ==
        "spec.default_weights.core_competency: must be 0 when qualification is pass/fail only "
        "(no weighted criteria), got 20");
  lot_request.set_idempotency_key(ServiceFixture::Key());
  lot_request.mutable_spec()->mutable_default_weights()->set_core_competency(0);
  lot_request.mutable_spec()->mutable_default_weights()->set_needs(30);
  CHECK_OK(stub.CreateLot(Lead().get(), lot_request, &lot));

  v1::UpdateLotRequest lot_change;
  lot_change.set_idempotency_key(ServiceFixture::Key());
  lot_change.set_id(lot.id());
  lot_change.set_expected_version(lot.version());
  *lot_change.mutable_spec() = lot_request.spec();
  lot_change.mutable_spec()->mutable_default_weights()->set_core_competency(20);
  lot_change.mutable_spec()->mutable_default_weights()->set_needs(10);
  lot_change.set_reason("score the method statements");
  v1::Lot lot_changed;
  core = stub.UpdateLot(Lead().get(), lot_change, &lot_changed);
  CHECK(core.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(core.error_message() ==
        "spec.default_weights.core_competency: must be 0 when qualification is pass/fail only "
        "(no weighted criteria), got 20");
}

TEST_CASE("a system turns pass/fail only only once no weighted criterion is in force",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  auto& stub = f.stub();
  const v1::PurchasingSystem system = DraftSystem(f, v1::QUALIFICATION_MODE_WEIGHTED);
  v1::CreateCriterionRequest add = WorkforceCriterion(system.id());
  v1::Criterion criterion;
  CHECK_OK(stub.CreateCriterion(Lead().get(), add, &criterion));

  v1::PurchasingSystem changed;
  const grpc::Status refused =
      ChangeQualificationMode(f, system, v1::QUALIFICATION_MODE_PASS_FAIL_ONLY, &changed);
  CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(refused.error_message() ==
        absl::StrCat("spec.qualification_mode: cannot be PASS_FAIL_ONLY while criterion ",
                     criterion.id(),
                     " (workforce) is WEIGHTED: retire it or make it PASS_FAIL first"));

  v1::UpdateCriterionRequest retire;
  retire.set_idempotency_key(ServiceFixture::Key());
  retire.set_id(criterion.id());
  retire.set_expected_version(criterion.version());
  *retire.mutable_spec() = add.spec();
  retire.mutable_spec()->set_retired(true);
  v1::Criterion retired;
  CHECK_OK(stub.UpdateCriterion(Lead().get(), retire, &retired));
  CHECK_OK(ChangeQualificationMode(f, system, v1::QUALIFICATION_MODE_PASS_FAIL_ONLY, &changed));
  CHECK(changed.qualification_mode() == v1::QUALIFICATION_MODE_PASS_FAIL_ONLY);
}

TEST_CASE("a lot is qualification-scored while a weighted criterion in force applies to it",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  auto& stub = f.stub();
  const v1::PurchasingSystem system = DraftSystem(f, v1::QUALIFICATION_MODE_WEIGHTED);
  auto lot = [&](const std::string& code) {
    v1::CreateLotRequest create;
    create.set_idempotency_key(ServiceFixture::Key());
    create.set_system_id(system.id());
    *create.mutable_spec() = ResidentialLotSpec();
    create.mutable_spec()->set_code(code);
    v1::Lot made;
    CHECK_OK(stub.CreateLot(Lead().get(), create, &made));
    return made;
  };
  auto scored = [&](const v1::Lot& of) {
    v1::GetLotRequest get;
    get.set_id(of.id());
    v1::Lot read;
    CHECK_OK(stub.GetLot(Lead().get(), get, &read));
    return read.qualification_scored();
  };
  const v1::Lot homes = lot("RES");
  const v1::Lot respite = lot("RESPITE");
  CHECK_FALSE(homes.qualification_scored());  // no criterion yet

  // Weighted method statements for homes only; respite is pass/fail only (insurance).
  v1::CreateCriterionRequest workforce = WorkforceCriterion(system.id());
  workforce.mutable_spec()->add_lot_ids(homes.id());
  v1::Criterion weighted;
  CHECK_OK(stub.CreateCriterion(Lead().get(), workforce, &weighted));
  v1::CreateCriterionRequest insurance;
  insurance.set_idempotency_key(ServiceFixture::Key());
  insurance.set_system_id(system.id());
  insurance.mutable_spec()->set_code("insurance");
  insurance.mutable_spec()->set_title("Insurance");
  insurance.mutable_spec()->set_kind(v1::CRITERION_KIND_PASS_FAIL);
  v1::Criterion pass_fail;
  CHECK_OK(stub.CreateCriterion(Lead().get(), insurance, &pass_fail));
  CHECK(scored(homes));
  CHECK_FALSE(scored(respite));
  v1::ListLotsRequest list;
  list.set_system_id(system.id());
  v1::ListLotsResponse listed;
  CHECK_OK(stub.ListLots(Lead().get(), list, &listed));
  REQUIRE(listed.lots_size() == 2);
  for (const v1::Lot& each : listed.lots()) {
    CHECK(each.qualification_scored() == (each.id() == homes.id()));
  }

  // A weighted criterion for every lot: a lot added afterwards is scored from the start.
  v1::CreateCriterionRequest outcomes = WorkforceCriterion(system.id());
  outcomes.mutable_spec()->set_code("outcomes");
  outcomes.mutable_spec()->set_title("Outcomes");
  outcomes.mutable_spec()->set_weight(100);
  v1::Criterion for_all;
  CHECK_OK(stub.CreateCriterion(Lead().get(), outcomes, &for_all));
  CHECK(scored(respite));
  const v1::Lot day = lot("DAY");
  CHECK(day.qualification_scored());
  CHECK(scored(day));

  // Retired, it scores no lot any more; homes keep their own.
  v1::UpdateCriterionRequest retire;
  retire.set_idempotency_key(ServiceFixture::Key());
  retire.set_id(for_all.id());
  retire.set_expected_version(for_all.version());
  *retire.mutable_spec() = outcomes.spec();
  retire.mutable_spec()->set_retired(true);
  v1::Criterion retired;
  CHECK_OK(stub.UpdateCriterion(Lead().get(), retire, &retired));
  CHECK(scored(homes));
  CHECK_FALSE(scored(respite));
  CHECK_FALSE(scored(day));
}

}  // namespace dps::qualification::testing
