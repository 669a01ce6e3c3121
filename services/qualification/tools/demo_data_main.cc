// dps-demo-data: fills a running qualification service with a small, realistic purchasing
// system through its own API, as its users would: West Sussex leads a DPS (PCR 2015) for
// residential children's homes and fostering with three partner councils; providers grown from
// Ofsted's register apply, are evaluated and qualify; one partner raises an alert.
//
// Every call carries an idempotency key derived from what it does, so running it again (each
// `./dps up` does) returns the records made the first time and changes nothing.
//
//   dps-demo-data --target=127.0.0.1:7101 --data_dir=data
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <map>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/auth/token_minter.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/tls.h"
#include "services/qualification/tools/establishment_generator.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7101", "the qualification service");
ABSL_FLAG(std::string, data_dir, DPS_DATA_DIR, "the repository's data/ folder");
ABSL_FLAG(int, establishments, 24, "how many establishments apply");

namespace {

namespace v1 = ::dps::qualification::v1;
using dps::common::v1::Role;

// Acts as each user through the local identity provider's key (see token_minter.h).
void ActAs(grpc::ClientContext& context, const dps::platform::CallerIdentity& caller) {
  static const dps::platform::auth::TokenMinter* minter = [] {
    absl::StatusOr<dps::platform::auth::TokenMinter> made =
        dps::platform::auth::TokenMinter::FromEnvironment();
    if (!made.ok()) {
      std::cerr << "dps-demo-data: " << made.status().message() << "\n";
      std::exit(2);
    }
    return new dps::platform::auth::TokenMinter(*std::move(made));
  }();
  absl::StatusOr<std::string> token = minter->TokenFor(caller);
  if (!token.ok()) {
    std::cerr << "dps-demo-data: " << token.status().message() << "\n";
    std::exit(2);
  }
  dps::platform::AddBearerToken(context, *token);
}

constexpr char kLead[] = "west-sussex";
constexpr const char* kPartners[] = {"brighton-and-hove", "east-sussex", "surrey"};

class Demo {
 public:
  explicit Demo(std::unique_ptr<v1::QualificationService::Stub> stub) : stub_(std::move(stub)) {}

  // Runs one call as `role` of `organisation`; exits with the server's message on failure.
  template <typename Request, typename Response, typename Method>
  Response Call(Method method, Role role, const std::string& organisation, Request request,
                const std::string& what) {
    grpc::ClientContext context;
    ActAs(context, {.user_id = "demo", .role = role, .organisation_id = organisation});
    Response response;
    grpc::Status status = (stub_.get()->*method)(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "dps-demo-data: " << what << ": " << status.error_message() << "\n";
      std::exit(1);
    }
    return response;
  }

  v1::QualificationService::Stub* stub() { return stub_.get(); }

 private:
  std::unique_ptr<v1::QualificationService::Stub> stub_;
};

dps::common::v1::Date Day(int y, int m, int d) {
  dps::common::v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string Key(const std::string& what) { return "demo-v1-" + what; }

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using Stub = v1::QualificationService::Stub;
  Demo demo(v1::QualificationService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_target), dps::platform::ToolChannelCredentials("dps-demo-data"))));
  const Role lead_admin = dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN;

  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(Key("system"));
  v1::PurchasingSystemSpec* spec = create.mutable_spec();
  spec->set_name("Children's placements DPS (demo)");
  spec->set_regime(dps::common::v1::REGIME_PCR2015_DPS);
  spec->set_lead_authority_id(kLead);
  for (const char* partner : kPartners) spec->add_authorities()->set_authority_id(partner);
  *spec->mutable_validity()->mutable_start() = Day(2026, 4, 1);
  *spec->mutable_validity()->mutable_initial_end() = Day(2029, 3, 31);
  spec->mutable_validity()->add_extensions()->set_months(24);
  spec->mutable_validity()->add_extensions()->set_months(24);
  spec->set_entry_window_mode(v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN);
  spec->set_qualification_mode(v1::QUALIFICATION_MODE_WEIGHTED);
  const v1::PurchasingSystem system =
      demo.Call<v1::CreatePurchasingSystemRequest, v1::PurchasingSystem>(
          &Stub::CreatePurchasingSystem, lead_admin, kLead, create, "create the purchasing system");

  auto lot = [&](const std::string& code, const std::string& name, int64_t cap_pence,
                 dps::common::v1::CeilingMode mode) {
    v1::CreateLotRequest request;
    request.set_idempotency_key(Key("lot-" + code));
    request.set_system_id(system.id());
    v1::LotSpec* lot = request.mutable_spec();
    lot->set_code(code);
    lot->set_name(name);
    lot->mutable_terms()->set_ceiling_mode(mode);
    lot->mutable_terms()->set_notice_period_days(28);
    lot->mutable_terms()->mutable_affordability_cap_weekly()->set_pence(cap_pence);
    lot->mutable_terms()->mutable_discount_rates()->set_sibling_basis_points(500);
    lot->mutable_terms()->mutable_discount_rates()->set_permanence_basis_points(300);
    dps::common::v1::Weights* w = lot->mutable_default_weights();
    w->set_price(50);
    w->set_outcomes(10);
    w->set_needs(10);
    w->set_features(5);
    w->set_location(5);
    w->set_core_competency(20);
    for (const char* need : {"ASD", "SEMH", "CSE-risk", "learning-disability"}) {
      lot->add_needs()->set_code(need);
    }
    for (const char* feature : {"solo-placement", "wheelchair-access", "education-on-site"}) {
      lot->add_features()->set_code(feature);
    }
    return demo.Call<v1::CreateLotRequest, v1::Lot>(&Stub::CreateLot, lead_admin, kLead, request,
                                                    "create lot " + code);
  };
  const v1::Lot homes =
      lot("RES", "Residential children's homes", 900000, dps::common::v1::CEILING_MODE_HARD);
  const v1::Lot fostering = lot("IFA", "Independent fostering agencies", 150000,
                                dps::common::v1::CEILING_MODE_INDICATIVE);

  std::map<std::string, std::string> criteria;  // code -> id
  auto criterion = [&](const std::string& code, const std::string& title, v1::CriterionKind kind,
                       int weight, v1::CriterionCategory category, bool expires) {
    v1::CreateCriterionRequest request;
    request.set_idempotency_key(Key("criterion-" + code));
    request.set_system_id(system.id());
    v1::CriterionSpec* c = request.mutable_spec();
    c->set_code(code);
    c->set_title(title);
    c->set_kind(kind);
    c->set_weight(weight);
    c->set_category(category);
    c->set_evidence_required(expires);
    c->set_evidence_expires(expires);
    criteria[code] =
        demo.Call<v1::CreateCriterionRequest, v1::Criterion>(&Stub::CreateCriterion, lead_admin,
                                                             kLead, request, "criterion " + code)
            .id();
  };
  criterion("insurance", "Insurance cover", v1::CRITERION_KIND_PASS_FAIL, 0,
            v1::CRITERION_CATEGORY_INSURANCE, true);
  criterion("ofsted-rating", "Ofsted rating Requires Improvement or better",
            v1::CRITERION_KIND_PASS_FAIL, 0, v1::CRITERION_CATEGORY_INSPECTION_RATING, false);
  criterion("safeguarding", "Safeguarding policy and training", v1::CRITERION_KIND_PASS_FAIL, 0,
            v1::CRITERION_CATEGORY_SAFEGUARDING, false);
  criterion("workforce", "Method statement: workforce", v1::CRITERION_KIND_WEIGHTED, 50,
            v1::CRITERION_CATEGORY_METHOD_STATEMENT_WORKFORCE, false);
  criterion("outcomes", "Method statement: outcomes framework", v1::CRITERION_KIND_WEIGHTED, 50,
            v1::CRITERION_CATEGORY_METHOD_STATEMENT_OUTCOMES, false);

  if (system.state() == v1::PURCHASING_SYSTEM_STATE_DRAFT) {
    v1::SetPurchasingSystemStateRequest live;
    live.set_idempotency_key(Key("live"));
    live.set_id(system.id());
    live.set_state(v1::PURCHASING_SYSTEM_STATE_LIVE);
    live.set_reason("contract notice published");
    demo.Call<v1::SetPurchasingSystemStateRequest, v1::PurchasingSystem>(
        &Stub::SetPurchasingSystemState, lead_admin, kLead, live, "open the system");
  }

  absl::StatusOr<dps::qualification::tools::GeneratorInput> input =
      dps::qualification::tools::LoadGeneratorInput(absl::GetFlag(FLAGS_data_dir));
  if (!input.ok()) {
    std::cerr << "dps-demo-data: " << input.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<dps::qualification::tools::Establishment>> generated =
      dps::qualification::tools::GenerateEstablishments(*input, {.count = 400, .seed = 2026});
  if (!generated.ok()) {
    std::cerr << "dps-demo-data: " << generated.status().message() << "\n";
    return 1;
  }

  int qualified = 0;
  std::string first_establishment;
  for (const auto& g : *generated) {
    if (qualified == absl::GetFlag(FLAGS_establishments)) break;
    const bool home = g.type == dps::qualification::tools::EstablishmentType::kChildrensHome;
    const bool ifa =
        g.type == dps::qualification::tools::EstablishmentType::kIndependentFosteringAgency;
    if (!home && !ifa) continue;
    const std::string provider_id = absl::AsciiStrToLower(g.provider_id);
    const Role provider_user = dps::common::v1::ROLE_PROVIDER_USER;
    const std::string id = absl::AsciiStrToLower(g.establishment_id);

    v1::RegisterProviderRequest provider;
    provider.set_idempotency_key(Key("provider-" + provider_id));
    // The same request for every establishment of an owner, so its key replays the first.
    provider.mutable_spec()->set_name(absl::StrCat("Care provider ", g.provider_id));
    grpc::ClientContext probe;
    ActAs(probe, {.user_id = "demo", .role = provider_user, .organisation_id = provider_id});
    v1::Provider registered;
    // A provider already registered under another key (several establishments share an owner).
    grpc::Status status = demo.stub()->RegisterProvider(&probe, provider, &registered);
    if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      std::cerr << "dps-demo-data: register provider: " << status.error_message() << "\n";
      return 1;
    }

    v1::CreateEstablishmentRequest establishment;
    establishment.set_idempotency_key(Key("establishment-" + id));
    establishment.set_provider_id(provider_id);
    v1::EstablishmentSpec* e = establishment.mutable_spec();
    e->set_name(g.name);
    e->mutable_address()->set_postcode(absl::StrCat(g.postcode_district, " 1AA"));
    e->mutable_address()->set_town(g.local_authority);
    e->mutable_location()->set_latitude(g.latitude);
    e->mutable_location()->set_longitude(g.longitude);
    e->add_provision_types(home ? dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME
                                : dps::common::v1::PROVISION_TYPE_FOSTERING);
    e->set_inspectorate(v1::INSPECTORATE_OFSTED);
    e->set_inspectorate_ref(g.urn);
    e->set_age_min_years(g.min_age);
    e->set_age_max_years(g.max_age);
    if (g.genders == "male") e->add_genders_accepted(dps::common::v1::GENDER_MALE);
    if (g.genders == "female") e->add_genders_accepted(dps::common::v1::GENDER_FEMALE);
    e->set_registered_places(g.capacity);
    for (const std::string& s : g.specialisms) e->add_specialism_codes(s);
    const v1::Establishment created = demo.Call<v1::CreateEstablishmentRequest, v1::Establishment>(
        &Stub::CreateEstablishment, provider_user, provider_id, establishment,
        "create establishment " + id);
    if (first_establishment.empty()) first_establishment = created.id();

    v1::AddEvidenceRequest evidence;
    evidence.set_idempotency_key(Key("evidence-" + id));
    evidence.set_provider_id(provider_id);
    evidence.set_establishment_id(created.id());
    evidence.set_criterion_id(criteria["insurance"]);
    evidence.set_title("Employer's and public liability certificate");
    evidence.set_document_uri(absl::StrCat("docs://", provider_id, "/", id, "/insurance.pdf"));
    evidence.set_document_sha256(std::string(64, '0'));
    *evidence.mutable_expires_on() = Day(2027, 8, 31);
    const v1::Evidence added = demo.Call<v1::AddEvidenceRequest, v1::Evidence>(
        &Stub::AddEvidence, provider_user, provider_id, evidence, "add evidence " + id);

    const v1::Lot& lot_applied = home ? homes : fostering;
    v1::CreateApplicationRequest application;
    application.set_idempotency_key(Key("application-" + id));
    application.set_system_id(system.id());
    application.set_provider_id(provider_id);
    v1::ApplicationItem* item = application.mutable_spec()->add_items();
    item->set_establishment_id(created.id());
    item->set_lot_id(lot_applied.id());
    for (const auto& [code, criterion_id] : criteria) {
      v1::CriterionResponse* r = application.mutable_spec()->add_responses();
      r->set_criterion_id(criterion_id);
      r->set_establishment_id(created.id());
      r->set_answer(absl::StrCat("Our approach to ", code, "."));
      if (code == "insurance") r->add_evidence_ids(added.id());
    }
    v1::CommercialSubmission* commercial = application.mutable_spec()->add_commercial();
    commercial->set_establishment_id(created.id());
    commercial->set_lot_id(lot_applied.id());
    commercial->mutable_ceiling_fee()->set_pence(
        std::min<int64_t>(g.ceiling_fee_pence, home ? 900000 : 150000));
    v1::Application draft = demo.Call<v1::CreateApplicationRequest, v1::Application>(
        &Stub::CreateApplication, provider_user, provider_id, application,
        "create application " + id);

    v1::SubmitApplicationRequest submit;
    submit.set_idempotency_key(Key("submit-" + id));
    submit.set_id(draft.id());
    demo.Call<v1::SubmitApplicationRequest, v1::Application>(
        &Stub::SubmitApplication, provider_user, provider_id, submit, "submit " + id);
    v1::AssignEvaluatorsRequest assign;
    assign.set_idempotency_key(Key("assign-" + id));
    assign.set_application_id(draft.id());
    assign.add_evaluators()->set_evaluator_user_id("evaluator-1");
    demo.Call<v1::AssignEvaluatorsRequest, v1::Application>(&Stub::AssignEvaluators, lead_admin,
                                                            kLead, assign, "assign " + id);
    for (const char* code : {"workforce", "outcomes"}) {
      v1::ScoreMethodStatementRequest score;
      score.set_idempotency_key(Key(absl::StrCat("score-", code, "-", id)));
      score.set_application_id(draft.id());
      score.set_criterion_id(criteria[code]);
      score.set_establishment_id(created.id());
      score.set_score(std::clamp(g.qualification_score, 0, 100));
      grpc::ClientContext context;
      ActAs(context, {.user_id = "evaluator-1",
                      .role = dps::common::v1::ROLE_EVALUATOR,
                      .organisation_id = kLead});
      v1::Application scored;
      grpc::Status scored_status = demo.stub()->ScoreMethodStatement(&context, score, &scored);
      if (!scored_status.ok()) {
        std::cerr << "dps-demo-data: score " << id << ": " << scored_status.error_message() << "\n";
        return 1;
      }
    }
    for (const char* code : {"insurance", "ofsted-rating", "safeguarding"}) {
      v1::RecordCriterionResultRequest result;
      result.set_idempotency_key(Key(absl::StrCat("result-", code, "-", id)));
      result.set_application_id(draft.id());
      result.mutable_result()->set_criterion_id(criteria[code]);
      result.mutable_result()->set_establishment_id(created.id());
      result.mutable_result()->set_passed(true);
      demo.Call<v1::RecordCriterionResultRequest, v1::Application>(
          &Stub::RecordCriterionResult, lead_admin, kLead, result, "record result " + id);
    }
    v1::DecideApplicationRequest decide;
    decide.set_idempotency_key(Key("decide-" + id));
    decide.set_application_id(draft.id());
    demo.Call<v1::DecideApplicationRequest, v1::Application>(&Stub::DecideApplication, lead_admin,
                                                             kLead, decide, "decide " + id);
    ++qualified;
  }

  if (!first_establishment.empty()) {
    v1::RaiseSafeguardingAlertRequest alert;
    alert.set_idempotency_key(Key("alert-1"));
    alert.set_system_id(system.id());
    alert.set_establishment_id(first_establishment);
    alert.set_severity(v1::ALERT_SEVERITY_MEDIUM);
    alert.set_category("staffing");
    alert.set_summary("Agency staff covering most night shifts for three weeks.");
    demo.Call<v1::RaiseSafeguardingAlertRequest, v1::SafeguardingAlert>(
        &Stub::RaiseSafeguardingAlert, dps::common::v1::ROLE_PLACING_OFFICER, kPartners[0], alert,
        "raise an alert");
  }
  std::cout << "demo data: purchasing system " << system.id() << " with " << qualified
            << " qualified establishments in lots RES and IFA\n";
  return 0;
}
