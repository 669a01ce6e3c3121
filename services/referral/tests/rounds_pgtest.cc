// Rounds after publication through gRPC: the deadline extended, the radius widened (inviting only
// the newly eligible), no suitable offer declared and the referral reopened.
#include <algorithm>
#include <catch2/catch.hpp>

#include "platform/proto/proto_time.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::Lead;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;

constexpr char kOther[] = "provider-b";  // in Brighton, about 20 miles from Horsham

// Lets the world's lot use radius and filters (LIGHT_TOUCH allows the change).
void AllowPreselection(ReferralFixture& f) {
  auto& stub = f.qualification().stub();
  qualification::v1::GetLotRequest get;
  get.set_id(f.world().lot_id);
  qualification::v1::Lot lot;
  CHECK_OK(stub.GetLot(Lead().get(), get, &lot));
  qualification::v1::UpdateLotRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(lot.id());
  update.set_expected_version(lot.version());
  qualification::v1::LotSpec& spec = *update.mutable_spec();
  spec.set_code(lot.code());
  spec.set_name(lot.name());
  *spec.mutable_terms() = lot.terms();
  *spec.mutable_default_weights() = lot.default_weights();
  *spec.mutable_needs() = lot.needs();
  *spec.mutable_features() = lot.features();
  spec.set_preselection_allowed(true);
  update.set_reason("referrals may use a radius");
  qualification::v1::Lot changed;
  CHECK_OK(stub.UpdateLot(Lead().get(), update, &changed));
}

// The world's establishment (Oak House, Horsham) offering `specialisms`, as its provider says:
// the status of the update.
grpc::Status OfferSpecialisms(ReferralFixture& f, std::initializer_list<const char*> specialisms) {
  auto& stub = f.qualification().stub();
  qualification::v1::GetEstablishmentRequest get;
  get.set_id(f.world().establishment_id);
  qualification::v1::Establishment establishment;
  CHECK_OK(stub.GetEstablishment(qualification::testing::Provider().get(), get, &establishment));
  qualification::v1::UpdateEstablishmentRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(establishment.id());
  update.set_expected_version(establishment.version());
  qualification::v1::EstablishmentSpec& spec = *update.mutable_spec();
  spec.set_name(establishment.name());
  *spec.mutable_address() = establishment.address();
  *spec.mutable_location() = establishment.location();
  *spec.mutable_provision_types() = establishment.provision_types();
  spec.set_inspectorate(establishment.inspectorate());
  spec.set_inspectorate_ref(establishment.inspectorate_ref());
  spec.set_age_min_years(establishment.age_min_years());
  spec.set_age_max_years(establishment.age_max_years());
  *spec.mutable_genders_accepted() = establishment.genders_accepted();
  spec.set_registered_places(establishment.registered_places());
  for (const char* code : specialisms) spec.add_specialism_codes(code);
  return stub.UpdateEstablishment(qualification::testing::Provider().get(), update, &establishment);
}

TEST_CASE("a specialism filter invites by the one code rule, capitals included") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  AllowPreselection(f);
  QualifiedMember(f.qualification(), f.world());
  // As the SEND code of practice writes it; the eligibility query once refused any capital.
  CHECK_OK(OfferSpecialisms(f, {"PMLD", "autism"}));
  v1::ReferralSpec spec = f.Spec();
  spec.mutable_filters()->add_specialism_codes("PMLD");
  const v1::PublishReferralResponse published = f.Publish(spec);
  CHECK(published.referral().invited_count() == 1);
  REQUIRE(published.new_invitations_size() == 1);
  CHECK(published.new_invitations(0).establishment_id() == f.world().establishment_id);

  // A code outside the rule is refused when the draft is saved, naming the filter.
  spec.mutable_filters()->add_specialism_codes("P.M.L.D.");
  v1::CreateReferralRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  *create.mutable_spec() = spec;
  v1::Referral draft;
  const grpc::Status refused = f.stub().CreateReferral(Officer().get(), create, &draft);
  CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(refused.error_message() ==
        "spec.filters.specialism_codes[1]: must be a code of 1 to 32 letters, digits, '-' or '_', "
        "got \"P.M.L.D.\"");

  // And so is an establishment's.
  const grpc::Status spaced = OfferSpecialisms(f, {"cse risk"});
  CHECK(spaced.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(spaced.error_message() ==
        "spec.specialism_codes[0]: must be a code of 1 to 32 letters, digits, '-' or '_', got "
        "\"cse risk\"");
}

TEST_CASE("an open referral's deadline is extended with a reason, and the timer keeps to it") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  const std::string id = f.Publish(f.Spec()).referral().id();
  v1::ExtendResponseDeadlineRequest extend;
  extend.set_idempotency_key(ServiceFixture::Key());
  extend.set_id(id);
  v1::Referral out;
  CHECK(f.stub().ExtendResponseDeadline(Officer().get(), extend, &out).error_message() ==
        "response_deadline: required");
  *extend.mutable_response_deadline() = platform::ToTimestamp(At(2027, 3, 20, 17));
  CHECK(f.stub().ExtendResponseDeadline(Officer().get(), extend, &out).error_message() ==
        "reason: required");
  extend.set_reason("providers asked for the weekend");
  CHECK_OK(f.stub().ExtendResponseDeadline(Officer().get(), extend, &out));
  CHECK(platform::FromTimestamp(out.spec().response_deadline()) == At(2027, 3, 20, 17));

  f.qualification().clock().Set(At(2027, 3, 15, 17));  // the old deadline
  CHECK(f.timer().RunOnce() == 0);
  f.qualification().clock().Set(At(2027, 3, 20, 17));
  CHECK(f.timer().RunOnce() == 1);
}

TEST_CASE("under PCR 2015 everyone was invited, so the radius cannot be widened") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::WidenRadiusRequest widen;
  widen.set_idempotency_key(ServiceFixture::Key());
  widen.set_id(f.Publish(f.Spec()).referral().id());
  widen.set_radius_miles(60);
  v1::PublishReferralResponse out;
  const grpc::Status refused = f.stub().WidenRadius(Officer().get(), widen, &out);
  CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(refused.error_message() ==
        "referral: every member of the lot was invited: under this purchasing system the radius "
        "does not exclude anyone");
}

TEST_CASE("widening the radius invites only the newly eligible, in a round of their own") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  AllowPreselection(f);
  QualifiedMember(f.qualification(), f.world());
  const std::string far =
      qualification::testing::GetMembership(f.qualification(),
                                            QualifiedMemberOf(f.qualification(), f.world(), kOther))
          .establishment_id();
  v1::ReferralSpec spec = f.Spec();
  spec.set_radius_miles(5);
  const v1::PublishReferralResponse published = f.Publish(spec);
  REQUIRE(published.new_invitations_size() == 1);
  CHECK(published.new_invitations(0).provider_id() == kProvider);

  // The provider left out can see why: Brighton is beyond five miles.
  v1::ExplainInvitationRequest explain;
  explain.set_referral_id(published.referral().id());
  explain.set_establishment_id(far);
  v1::ExplainInvitationResponse why;
  CHECK_OK(f.stub().ExplainInvitation(ProviderUser(kOther).get(), explain, &why));
  CHECK_FALSE(why.invited());
  CHECK(why.distance_miles() > 5);
  const auto radius = std::find_if(why.checks().begin(), why.checks().end(), [](const auto& c) {
    return c.rule() == qualification::v1::ELIGIBILITY_RULE_WITHIN_RADIUS;
  });
  REQUIRE(radius != why.checks().end());
  CHECK_FALSE(radius->passed());
  // Another provider cannot ask about this establishment.
  const grpc::Status stranger = f.stub().ExplainInvitation(ProviderUser().get(), explain, &why);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);

  // The provider finds the referral it missed, with the rule it failed and nothing of the child.
  v1::ListMissedReferralsRequest missed_request;
  missed_request.set_establishment_id(far);
  v1::ListMissedReferralsResponse missed;
  CHECK_OK(f.stub().ListMissedReferrals(ProviderUser(kOther).get(), missed_request, &missed));
  REQUIRE(missed.referrals_size() == 1);
  CHECK(missed.referrals(0).referral_id() == published.referral().id());
  CHECK(missed.referrals(0).failed_rules_size() == 1);
  CHECK(missed.referrals(0).failed_rules(0) == qualification::v1::ELIGIBILITY_RULE_WITHIN_RADIUS);
  CHECK(f.stub().ListMissedReferrals(ProviderUser().get(), missed_request, &missed).error_code() ==
        grpc::StatusCode::NOT_FOUND);

  v1::WidenRadiusRequest widen;
  widen.set_idempotency_key(ServiceFixture::Key());
  widen.set_id(published.referral().id());
  widen.set_radius_miles(4);
  v1::PublishReferralResponse widened;
  CHECK(f.stub().WidenRadius(Officer().get(), widen, &widened).error_message() ==
        "radius_miles: must be greater than the current radius (5 miles), got 4");
  widen.set_idempotency_key(ServiceFixture::Key());
  widen.set_radius_miles(30);
  CHECK_OK(f.stub().WidenRadius(Officer().get(), widen, &widened));
  REQUIRE(widened.new_invitations_size() == 1);
  CHECK(widened.new_invitations(0).provider_id() == kOther);
  CHECK(widened.new_invitations(0).round() == 2);
  CHECK(widened.referral().rounds_size() == 2);
  CHECK(widened.referral().invited_count() == 2);
  CHECK(f.EventCount("referral.invitation.created") == 2);

  CHECK_OK(f.stub().ExplainInvitation(Officer().get(), explain, &why));
  CHECK(why.invited());
  CHECK(why.round() == 2);
  v1::ListMissedReferralsResponse none;
  CHECK_OK(f.stub().ListMissedReferrals(ProviderUser(kOther).get(), missed_request, &none));
  CHECK(none.referrals_size() == 0);
}

TEST_CASE("no suitable offer is declared with a reason, and reopening asks again") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  const v1::PublishReferralResponse published = f.Publish(f.Spec());
  const std::string id = published.referral().id();
  f.qualification().clock().Set(At(2027, 3, 15, 17));
  REQUIRE(f.timer().RunOnce() == 1);  // nobody answered: EVALUATED with nothing to award

  v1::DeclareNoSuitableOfferRequest declare;
  declare.set_idempotency_key(ServiceFixture::Key());
  declare.set_id(id);
  v1::Referral out;
  CHECK(f.stub().DeclareNoSuitableOffer(Officer().get(), declare, &out).error_message() ==
        "reason: required");
  declare.set_reason("no provider could take a sibling placement");
  CHECK_OK(f.stub().DeclareNoSuitableOffer(Officer().get(), declare, &out));
  CHECK(out.state() == v1::REFERRAL_STATE_NO_SUITABLE_OFFER);
  CHECK(f.EventCount("referral.referral.no_suitable_offer") == 1);

  v1::ReopenReferralRequest reopen;
  reopen.set_idempotency_key(ServiceFixture::Key());
  reopen.set_id(id);
  reopen.set_radius_miles(30);
  *reopen.mutable_response_deadline() = platform::ToTimestamp(At(2027, 3, 18, 17));
  v1::PublishReferralResponse reopened;
  CHECK(f.stub().ReopenReferral(Officer().get(), reopen, &reopened).error_message() ==
        "response_deadline: must be at least the purchasing system's response period (240 hours, "
        "10 days) after now, 2027-03-15T17:00:00Z");
  reopen.set_idempotency_key(ServiceFixture::Key());
  *reopen.mutable_response_deadline() = platform::ToTimestamp(At(2027, 3, 26, 17));
  CHECK_OK(f.stub().ReopenReferral(Officer().get(), reopen, &reopened));
  CHECK(reopened.referral().state() == v1::REFERRAL_STATE_OPEN);
  CHECK(reopened.referral().rounds_size() == 2);
  CHECK(reopened.new_invitations_size() == 0);  // everyone eligible was invited already
  CHECK(f.EventCount("referral.referral.reopened") == 1);

  // The member that did not answer may answer this time.
  const v1::Bid bid = f.Bid(kProvider, published.new_invitations(0).id(), 395000);
  CHECK(bid.state() == v1::BID_STATE_SUBMITTED);
}

}  // namespace
}  // namespace dps::referral::testing
