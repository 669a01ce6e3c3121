// Publication, invitations, the provider's inbox and declines through gRPC, beside a real
// qualification service whose register decides who is eligible.
#include <catch2/catch.hpp>

#include "platform/proto/proto_time.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;

v1::Referral Draft(ReferralFixture& f, v1::ReferralSpec spec) {
  v1::CreateReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  *request.mutable_spec() = std::move(spec);
  v1::Referral referral;
  CHECK_OK(f.stub().CreateReferral(Officer().get(), request, &referral));
  return referral;
}

grpc::Status TryPublish(ReferralFixture& f, const v1::Referral& draft,
                        v1::PublishReferralResponse* out) {
  v1::PublishReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_id(draft.id());
  request.set_expected_version(draft.version());
  return f.stub().PublishReferral(Officer().get(), request, out);
}

TEST_CASE("publishing invites every eligible member, and the provider finds it in its inbox") {
  ReferralFixture f(At(2027, 3, 1));
  const std::string membership = QualifiedMember(f.qualification(), f.world());
  const v1::Referral draft = Draft(f, f.Spec());
  // The district's centroid was set from the district.
  CHECK(draft.spec().location().centroid().latitude() == Approx(51.0749));

  v1::PublishReferralResponse published;
  CHECK_OK(TryPublish(f, draft, &published));
  const v1::Referral& referral = published.referral();
  CHECK(referral.state() == v1::REFERRAL_STATE_OPEN);
  CHECK(referral.invited_count() == 1);
  REQUIRE(referral.rounds_size() == 1);
  CHECK(referral.rounds(0).newly_invited() == 1);
  CHECK(referral.terms().regime() == dps::common::v1::REGIME_PCR2015_DPS);
  CHECK(referral.spec().weights().price() == 50);  // the lot's default weights
  REQUIRE(published.new_invitations_size() == 1);
  const v1::Invitation& invitation = published.new_invitations(0);
  CHECK(invitation.establishment_id() == f.world().establishment_id);
  CHECK(invitation.membership_id() == membership);
  CHECK(invitation.state() == v1::INVITATION_STATE_INVITED);
  CHECK(invitation.distance_miles() < 2);  // Horsham: the home is in the child's own district
  CHECK(f.EventCount("referral.referral.published") == 1);
  CHECK(f.EventCount("referral.invitation.created") == 1);

  v1::ListInboxResponse inbox;
  CHECK_OK(f.stub().ListInbox(ProviderUser().get(), v1::ListInboxRequest(), &inbox));
  REQUIRE(inbox.items_size() == 1);
  CHECK(inbox.items(0).referral().id() == referral.id());
  v1::ListInboxRequest open_only;
  open_only.set_open_only(true);
  v1::ListInboxResponse open_inbox;
  CHECK_OK(f.stub().ListInbox(ProviderUser().get(), open_only, &open_inbox));
  CHECK(open_inbox.items_size() == 1);
  CHECK(inbox.items(0).invitation().id() == invitation.id());

  // Opening the referral marks the invitation VIEWED.
  v1::GetReferralRequest get;
  get.set_id(referral.id());
  v1::Referral seen;
  CHECK_OK(f.stub().GetReferral(ProviderUser().get(), get, &seen));
  CHECK_FALSE(seen.has_award());
  v1::ListInvitationsRequest list;
  list.set_referral_id(referral.id());
  v1::ListInvitationsResponse invitations;
  CHECK_OK(f.stub().ListInvitations(Officer().get(), list, &invitations));
  REQUIRE(invitations.invitations_size() == 1);
  CHECK(invitations.invitations(0).state() == v1::INVITATION_STATE_VIEWED);
  CHECK(invitations.invitations(0).has_viewed_at());

  // Another provider cannot tell the referral exists, and its inbox is empty.
  const grpc::Status stranger = f.stub().GetReferral(ProviderUser("provider-b").get(), get, &seen);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  v1::ListInboxRequest asks_for_other;
  asks_for_other.set_provider_id(kProvider);
  v1::ListInboxResponse other_inbox;
  CHECK_OK(f.stub().ListInbox(ProviderUser("provider-b").get(), asks_for_other, &other_inbox));
  CHECK(other_inbox.items_size() == 0);
  // Nor can an authority that is not the referral's.
  const grpc::Status other_authority =
      f.stub().ListInvitations(Officer(kLead).get(), list, &invitations);
  CHECK(other_authority.error_code() == grpc::StatusCode::NOT_FOUND);

  // Published once: a second publication is refused.
  v1::Referral current = referral;
  v1::PublishReferralResponse again;
  const grpc::Status twice = TryPublish(f, current, &again);
  CHECK(twice.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(twice.error_message() == "referral: cannot publish a referral that is OPEN");
}

TEST_CASE("publication checks the whole spec against the lot and the regime, writing nothing") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::PublishReferralResponse out;

  v1::ReferralSpec no_needs = f.Spec();
  no_needs.clear_needs();
  grpc::Status status = TryPublish(f, Draft(f, no_needs), &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "spec.needs: at least one need required");

  v1::ReferralSpec unknown_need = f.Spec();
  unknown_need.mutable_needs(0)->set_code("EQUINE");
  CHECK(TryPublish(f, Draft(f, unknown_need), &out).error_message() ==
        "spec.needs[0]: 'EQUINE' is not one of the lot's needs");

  // PCR 2015: ten days' response period from now (1 March, 10:00).
  v1::ReferralSpec too_soon = f.Spec();
  *too_soon.mutable_response_deadline() = platform::ToTimestamp(At(2027, 3, 11, 9));
  CHECK(TryPublish(f, Draft(f, too_soon), &out).error_message() ==
        "spec.response_deadline: must be at least the purchasing system's response period (240 "
        "hours, 10 days) after now, 2027-03-01T10:00:00Z");

  v1::ReferralSpec filtered = f.Spec();
  filtered.mutable_filters()->add_specialism_codes("CSE");
  CHECK(TryPublish(f, Draft(f, filtered), &out).error_message() ==
        "spec.filters: pre-selection filters are not allowed: under this purchasing system every "
        "member of the lot is invited");

  const v1::Referral stale = Draft(f, f.Spec());
  v1::PublishReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_id(stale.id());
  request.set_expected_version(7);
  status = f.stub().PublishReferral(Officer().get(), request, &out);
  CHECK(status.error_code() == grpc::StatusCode::ABORTED);

  CHECK(f.EventCount("referral.referral.published") == 0);
  CHECK(f.EventCount("referral.invitation.created") == 0);
}

// A DRAFT PCR 2015 system of West Sussex with Brighton taking part, qualifying by the insurance
// criterion alone (pass/fail), and its residential lot, whose default weights put nothing on core
// competency. Returns the system; `lot_id` is set to the lot's id.
qv1::PurchasingSystem SystemWithoutScores(ReferralFixture& f, std::string& lot_id) {
  using qualification::testing::Day;
  using qualification::testing::Lead;
  auto& stub = f.qualification().stub();
  qv1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  create.mutable_spec()->set_name("SEND placements FPS");
  create.mutable_spec()->set_regime(dps::common::v1::REGIME_PCR2015_DPS);
  create.mutable_spec()->set_lead_authority_id(kLead);
  create.mutable_spec()->add_authorities()->set_authority_id(kPartner);
  *create.mutable_spec()->mutable_validity()->mutable_start() = Day(2026, 9, 1);
  *create.mutable_spec()->mutable_validity()->mutable_initial_end() = Day(2029, 8, 31);
  create.mutable_spec()->set_qualification_mode(qv1::QUALIFICATION_MODE_WEIGHTED);
  qv1::PurchasingSystem system;
  CHECK_OK(stub.CreatePurchasingSystem(Lead().get(), create, &system));

  qv1::CreateCriterionRequest insurance;
  insurance.set_idempotency_key(ServiceFixture::Key());
  insurance.set_system_id(system.id());
  insurance.mutable_spec()->set_code("insurance");
  insurance.mutable_spec()->set_title("Insurance");
  insurance.mutable_spec()->set_kind(qv1::CRITERION_KIND_PASS_FAIL);
  qv1::Criterion criterion;
  CHECK_OK(stub.CreateCriterion(Lead().get(), insurance, &criterion));

  qv1::CreateLotRequest lot_request;
  lot_request.set_idempotency_key(ServiceFixture::Key());
  lot_request.set_system_id(system.id());
  *lot_request.mutable_spec() = qualification::testing::ResidentialLotSpec();
  lot_request.mutable_spec()->mutable_default_weights()->set_core_competency(0);
  lot_request.mutable_spec()->mutable_default_weights()->set_needs(30);
  qv1::Lot lot;
  CHECK_OK(stub.CreateLot(Lead().get(), lot_request, &lot));
  lot_id = lot.id();
  return system;
}

TEST_CASE("on a pass/fail-only system a referral puts no weight on core competency") {
  using qualification::testing::Lead;
  ReferralFixture f(At(2027, 3, 1));
  std::string lot_id;
  const qv1::PurchasingSystem system = SystemWithoutScores(f, lot_id);
  v1::ReferralSpec spec = f.Spec();
  spec.set_system_id(system.id());
  spec.set_lot_id(lot_id);
  dps::common::v1::Weights& weights = *spec.mutable_weights();
  weights.set_price(50);
  weights.set_outcomes(10);
  weights.set_needs(10);
  weights.set_features(5);
  weights.set_location(5);
  weights.set_core_competency(20);
  const std::string rule =
      "spec.weights.core_competency: must be 0 when qualification is pass/fail only (no weighted "
      "criteria), got 20";
  // The system qualifies WEIGHTED, but this lot asks only pass/fail criteria: its members carry
  // no score, so a weight on core competency is refused already.
  v1::CreateReferralRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  *create.mutable_spec() = spec;
  v1::Referral created;
  grpc::Status status = f.stub().CreateReferral(Officer().get(), create, &created);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == rule);
  weights.set_core_competency(0);
  weights.set_needs(30);
  const v1::Referral drafted_before = Draft(f, spec);
  weights.set_core_competency(20);
  weights.set_needs(10);

  // The North West model: the system turns pass/fail only, then goes LIVE.
  qv1::PurchasingSystem changed;
  CHECK_OK(qualification::testing::ChangeQualificationMode(
      f.qualification(), system, qv1::QUALIFICATION_MODE_PASS_FAIL_ONLY, &changed));
  qv1::SetPurchasingSystemStateRequest live;
  live.set_idempotency_key(ServiceFixture::Key());
  live.set_id(system.id());
  live.set_state(qv1::PURCHASING_SYSTEM_STATE_LIVE);
  CHECK_OK(f.qualification().stub().SetPurchasingSystemState(Lead().get(), live, &changed));

  create.set_idempotency_key(ServiceFixture::Key());
  *create.mutable_spec() = spec;
  status = f.stub().CreateReferral(Officer().get(), create, &created);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == rule);

  // Saving the draft again on its lot asks nothing of the lot (no remote call under the draft's
  // lock), so it is kept; publication checks the weights against the lot and refuses it.
  v1::UpdateReferralRequest resave;
  resave.set_idempotency_key(ServiceFixture::Key());
  resave.set_id(drafted_before.id());
  resave.set_expected_version(drafted_before.version());
  *resave.mutable_spec() = spec;
  v1::Referral resaved;
  CHECK_OK(f.stub().UpdateReferral(Officer().get(), resave, &resaved));

  v1::PublishReferralResponse out;
  status = TryPublish(f, resaved, &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == rule);
  CHECK(f.Read(drafted_before.id()).state() == v1::REFERRAL_STATE_DRAFT);
  CHECK(f.EventCount("referral.referral.published") == 0);

  // Without the weight the draft is saved; publication then asks who is eligible (nobody has
  // qualified in this lot yet).
  weights.set_core_competency(0);
  weights.set_needs(30);
  *resave.mutable_spec() = spec;
  resave.set_idempotency_key(ServiceFixture::Key());
  resave.set_expected_version(resaved.version());
  CHECK_OK(f.stub().UpdateReferral(Officer().get(), resave, &resaved));
  status = TryPublish(f, resaved, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(status.error_message().find("no establishment is eligible") != std::string::npos);
}

TEST_CASE("a referral nobody is eligible for stays a draft") {
  ReferralFixture f(At(2027, 3, 1));  // no member has qualified yet
  const v1::Referral draft = Draft(f, f.Spec());
  v1::PublishReferralResponse out;
  const grpc::Status status = TryPublish(f, draft, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(status.error_message() ==
        "referral: no establishment is eligible: widen the radius or relax the filters before "
        "publishing");
  v1::GetReferralRequest get;
  get.set_id(draft.id());
  v1::Referral read;
  CHECK_OK(f.stub().GetReferral(Officer().get(), get, &read));
  CHECK(read.state() == v1::REFERRAL_STATE_DRAFT);
  CHECK(read.version() == draft.version());
}

TEST_CASE("a provider declines its invitation with a reason, once, and only its own") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  QualifiedMemberOf(f.qualification(), f.world(), "provider-b");  // keeps the referral open
  v1::PublishReferralResponse published;
  CHECK_OK(TryPublish(f, Draft(f, f.Spec()), &published));
  REQUIRE(published.new_invitations_size() == 2);
  const std::string invitation_id = InvitationOf(published, kProvider).id();

  v1::DeclineInvitationRequest decline;
  decline.set_idempotency_key(ServiceFixture::Key());
  decline.set_invitation_id(invitation_id);
  v1::Invitation out;
  CHECK(f.stub().DeclineInvitation(ProviderUser().get(), decline, &out).error_message() ==
        "reason: required: one of the decline reasons");
  decline.set_reason(v1::DECLINE_REASON_OTHER);
  CHECK(f.stub().DeclineInvitation(ProviderUser().get(), decline, &out).error_message() ==
        "detail: required when the reason is OTHER");
  decline.set_reason(v1::DECLINE_REASON_NO_CAPACITY);
  const grpc::Status stranger =
      f.stub().DeclineInvitation(ProviderUser("provider-b").get(), decline, &out);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(f.EventCount("referral.invitation.declined") == 0);

  CHECK_OK(f.stub().DeclineInvitation(ProviderUser().get(), decline, &out));
  CHECK(out.state() == v1::INVITATION_STATE_DECLINED);
  CHECK(out.decline().reason() == v1::DECLINE_REASON_NO_CAPACITY);
  CHECK(f.EventCount("referral.invitation.declined") == 1);

  decline.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status twice = f.stub().DeclineInvitation(ProviderUser().get(), decline, &out);
  CHECK(twice.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(twice.error_message() == "invitation: cannot decline an invitation that is DECLINED");

  v1::GetReferralRequest get;
  get.set_id(published.referral().id());
  v1::Referral read;
  CHECK_OK(f.stub().GetReferral(Officer().get(), get, &read));
  CHECK(read.declined_count() == 1);
}

}  // namespace
}  // namespace dps::referral::testing
