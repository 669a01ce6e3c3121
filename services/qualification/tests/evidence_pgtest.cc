// QualificationService through gRPC against PostgreSQL: a provider's evidence listed by system,
// expiry date and state, with evidence inside the warning period shown as EXPIRING.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// The ids and states the provider's evidence list answers for `request`.
std::set<std::pair<std::string, v1::EvidenceState>> Listed(ServiceFixture& f,
                                                           v1::ListEvidenceRequest request) {
  request.set_provider_id(kProvider);
  v1::ListEvidenceResponse response;
  CHECK_OK(f.stub().ListEvidence(Provider().get(), request, &response));
  std::set<std::pair<std::string, v1::EvidenceState>> listed;
  for (const v1::Evidence& e : response.evidence()) listed.insert({e.id(), e.state()});
  return listed;
}

TEST_CASE("evidence lists by system, expiry date and state, and near its expiry it is EXPIRING",
          "[qualification][service]") {
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f);  // the standard evidence is valid up to 31 March 2027
  // Evidence for another criterion, which no application cites: no renewal of the standard one.
  const std::string later =
      AddEvidence(f, w.establishment_id, w.rating_id, "Ofsted report 2026", Day(2028, 3, 31));
  v1::Application draft;
  CHECK_OK(f.stub().CreateApplication(Provider().get(), ApplicationFor(w, 400000), &draft));
  v1::Application submitted;
  CHECK_OK(Submit(f, draft.id(), &submitted));
  Qualify(f, w, draft.id());  // the membership rests on the standard evidence

  using Listing = std::set<std::pair<std::string, v1::EvidenceState>>;
  const auto valid = v1::EVIDENCE_STATE_VALID;

  SECTION("all of it, then the system's: what its membership rests on or its applications cite") {
    CHECK(Listed(f, {}) == Listing{{w.evidence_id, valid}, {later, valid}});
    v1::ListEvidenceRequest request;
    request.set_system_id(w.system_id);
    CHECK(Listed(f, request) == Listing{{w.evidence_id, valid}});
  }

  SECTION("expiring before a date") {
    v1::ListEvidenceRequest request;
    *request.mutable_expires_before() = Day(2027, 4, 1);
    CHECK(Listed(f, request) == Listing{{w.evidence_id, valid}});
    *request.mutable_expires_before() = Day(2027, 3, 31);  // before, not on
    CHECK(Listed(f, request).empty());
  }

  SECTION("inside the warning period (30 days by default) it is EXPIRING, then EXPIRED") {
    f.clock().Set(At(2027, 3, 1));  // 30 days before 31 March: not yet
    CHECK(Listed(f, {}) == Listing{{w.evidence_id, valid}, {later, valid}});
    f.clock().Set(At(2027, 3, 2));
    CHECK(Listed(f, {}) == Listing{{w.evidence_id, v1::EVIDENCE_STATE_EXPIRING}, {later, valid}});
    v1::ListEvidenceRequest expiring;
    expiring.add_states(v1::EVIDENCE_STATE_EXPIRING);
    CHECK(Listed(f, expiring) == Listing{{w.evidence_id, v1::EVIDENCE_STATE_EXPIRING}});
    v1::ListEvidenceRequest still_valid;
    still_valid.add_states(v1::EVIDENCE_STATE_VALID);
    CHECK(Listed(f, still_valid) == Listing{{later, valid}});

    ExpireEvidence(f, At(2027, 4, 1, 3));
    v1::ListEvidenceRequest expired;
    expired.add_states(v1::EVIDENCE_STATE_EXPIRED);
    CHECK(Listed(f, expired) == Listing{{w.evidence_id, v1::EVIDENCE_STATE_EXPIRED}});
  }

  SECTION("a system's own warning period, for the list of that system") {
    const v1::PurchasingSystem system = GetSystem(f, w.system_id);
    v1::UpdatePurchasingSystemRequest update;
    update.set_idempotency_key(ServiceFixture::Key());
    update.set_id(w.system_id);
    update.set_expected_version(system.version());
    *update.mutable_spec() = SpecOf(system);
    update.mutable_spec()->mutable_rules()->set_evidence_expiry_warning_days(60);
    update.set_reason("two months' notice of expiring evidence");
    v1::PurchasingSystem changed;
    CHECK_OK(f.stub().UpdatePurchasingSystem(Lead().get(), update, &changed));

    f.clock().Set(At(2027, 2, 1));  // 58 days before 31 March
    v1::ListEvidenceRequest request;
    request.set_system_id(w.system_id);
    CHECK(Listed(f, request) == Listing{{w.evidence_id, v1::EVIDENCE_STATE_EXPIRING}});
    CHECK(Listed(f, {}) == Listing{{w.evidence_id, valid}, {later, valid}});  // 30 days
  }

  SECTION("a bad filter names the field") {
    v1::ListEvidenceRequest request;
    request.set_provider_id(kProvider);
    request.add_states(v1::EVIDENCE_STATE_UNSPECIFIED);
    v1::ListEvidenceResponse response;
    grpc::Status status = f.stub().ListEvidence(Provider().get(), request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "states[0]: must be VALID, EXPIRING, EXPIRED or SUPERSEDED");
    request.clear_states();
    *request.mutable_expires_before() = Day(2027, 2, 30);
    status = f.stub().ListEvidence(Provider().get(), request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("expires_before:", 0) == 0);
    request.clear_expires_before();
    request.set_system_id("no-such-system");
    CHECK(f.stub().ListEvidence(Provider().get(), request, &response).error_code() ==
          grpc::StatusCode::NOT_FOUND);
  }

  SECTION("authority staff read the evidence of a system they lead, and no other") {
    v1::ListEvidenceRequest request;
    request.set_provider_id(kProvider);
    v1::ListEvidenceResponse response;
    grpc::Status status = f.stub().ListEvidence(Lead().get(), request, &response);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message().rfind("system_id: required for authority staff", 0) == 0);
    request.set_system_id(w.system_id);
    CHECK_OK(f.stub().ListEvidence(Lead().get(), request, &response));
    CHECK_FALSE(response.evidence().empty());
    for (const ApiRole role :
         {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_EVALUATOR, ApiRole::ROLE_AUDITOR}) {
      INFO(dps::common::v1::Role_Name(role));
      CHECK(f.stub()
                .ListEvidence(ServiceFixture::As(role, kOutsider).get(), request, &response)
                .error_code() == grpc::StatusCode::PERMISSION_DENIED);
    }
    CHECK(f.stub().ListEvidence(Provider("provider-b").get(), request, &response).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_CASE("evidence renewed before it runs out takes over, and the member is not suspended",
          "[qualification][service]") {
  ServiceFixture f(At(2027, 1, 4));
  const World w = SetUp(f);  // the standard evidence is valid up to 31 March 2027
  const std::string membership_id = QualifiedMember(f, w);

  // Evidence that runs out sooner is no renewal: it supersedes nothing.
  const std::string shorter = AddEvidence(f, w.establishment_id, w.insurance_id,
                                          "Employer's liability, short cover", Day(2027, 2, 28));
  using Listing = std::set<std::pair<std::string, v1::EvidenceState>>;
  const auto valid = v1::EVIDENCE_STATE_VALID;
  CHECK(Listed(f, {}) == Listing{{w.evidence_id, valid}, {shorter, valid}});

  f.clock().Set(At(2027, 3, 1));
  const std::string renewed = AddEvidence(f, w.establishment_id, w.insurance_id,
                                          "Employer's liability 2027-28", Day(2028, 3, 31));
  CHECK(Listed(f, {}) == Listing{{w.evidence_id, v1::EVIDENCE_STATE_SUPERSEDED},
                                 {shorter, v1::EVIDENCE_STATE_SUPERSEDED},
                                 {renewed, valid}});

  // The old certificate's expiry passes without a suspension; the renewed one's does not.
  CHECK(ExpireEvidence(f, At(2027, 4, 1, 3)) == 0);
  CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  CHECK(ExpireEvidence(f, At(2028, 4, 1, 3)) == 1);
  const v1::Membership membership = GetMembership(f, membership_id);
  CHECK(membership.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(membership.suspensions_size() == 1);
  CHECK(membership.suspensions(0).failed_criterion_ids(0) == w.insurance_id);
}

TEST_CASE("an answer cites only the applicant's own evidence, for its criterion and establishment",
          "[qualification][service]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string elm = OtherProvider(f, "provider-b");
  v1::AddEvidenceRequest theirs;
  theirs.set_idempotency_key(ServiceFixture::Key());
  theirs.set_provider_id("provider-b");
  theirs.set_establishment_id(elm);
  theirs.set_criterion_id(w.insurance_id);
  theirs.set_title("Beta Care employer's liability");
  theirs.set_document_uri("docs://provider-b/el.pdf");
  theirs.set_document_sha256(std::string(64, 'c'));
  *theirs.mutable_expires_on() = Day(2027, 3, 31);
  v1::Evidence their_evidence;
  CHECK_OK(f.stub().AddEvidence(Provider("provider-b").get(), theirs, &their_evidence));

  // ApplicationFor cites the standard evidence in its first answer (the insurance criterion).
  const auto refused = [&](const v1::CreateApplicationRequest& request) {
    v1::Application draft;
    const grpc::Status status = f.stub().CreateApplication(Provider().get(), request, &draft);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    return status.error_message();
  };
  v1::CreateApplicationRequest request = ApplicationFor(w, 400000);
  REQUIRE(request.spec().responses(0).criterion_id() == w.insurance_id);

  request.mutable_spec()->mutable_responses(0)->set_evidence_ids(0, their_evidence.id());
  CHECK(refused(request) == absl::StrCat("spec.responses[0].evidence_ids[0]: no evidence ",
                                         their_evidence.id(), " of provider provider-a"));
  request.mutable_spec()->mutable_responses(0)->set_evidence_ids(0, "evi-no-such");
  CHECK(refused(request) ==
        "spec.responses[0].evidence_ids[0]: no evidence evi-no-such of provider provider-a");

  request = ApplicationFor(w, 400000);
  request.mutable_spec()->mutable_responses(1)->add_evidence_ids(w.evidence_id);  // rating
  CHECK(refused(request) == absl::StrCat("spec.responses[1].evidence_ids[0]: evidence ",
                                         w.evidence_id, " is for criterion ", w.insurance_id,
                                         ", not ", w.rating_id));

  // The provider's own evidence, but of its other establishment.
  const std::string ash = NewEstablishment(f, kProvider, "Ash House", 51.05, -0.33);
  v1::AddEvidenceRequest ash_evidence = theirs;
  ash_evidence.set_idempotency_key(ServiceFixture::Key());
  ash_evidence.set_provider_id(kProvider);
  ash_evidence.set_establishment_id(ash);
  v1::Evidence ash_added;
  CHECK_OK(f.stub().AddEvidence(Provider().get(), ash_evidence, &ash_added));
  request = ApplicationFor(w, 400000);
  request.mutable_spec()->mutable_responses(0)->set_evidence_ids(0, ash_added.id());
  CHECK(refused(request) == absl::StrCat("spec.responses[0].evidence_ids[0]: evidence ",
                                         ash_added.id(), " is of establishment ", ash, ", not ",
                                         w.establishment_id));

  v1::Application draft;
  CHECK_OK(f.stub().CreateApplication(Provider().get(), ApplicationFor(w, 400000), &draft));
}

}  // namespace
}  // namespace dps::qualification::testing
