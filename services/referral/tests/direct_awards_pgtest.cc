// Direct awards through gRPC: an emergency placement without competition, where the regime
// allows it, with the register's word that the establishment can take the child.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "platform/proto/proto_time.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::ServiceFixture;

v1::MakeDirectAwardRequest Request(ReferralFixture& f) {
  v1::MakeDirectAwardRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  request.set_system_id(f.world().system_id);
  request.set_lot_id(f.world().lot_id);
  request.set_establishment_id(f.world().establishment_id);
  v1::ChildProfile& child = *request.add_children();
  child.set_child_key("child-1");
  child.set_age_years(14);
  child.set_gender(dps::common::v1::GENDER_FEMALE);
  request.mutable_location()->set_postcode_district("rh12");
  request.set_justification("Placement broke down overnight; the child needs a bed tonight.");
  *request.mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *request.mutable_review_on() = platform::ToDate(absl::CivilDay(2027, 3, 29));
  request.set_planned_duration_months(3);
  request.mutable_core_fee()->set_pence(450000);
  return request;
}

TEST_CASE("under PCR 2015 there is no direct award") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  v1::DirectAward out;
  const grpc::Status refused = f.stub().MakeDirectAward(Officer().get(), Request(f), &out);
  CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(refused.error_message() ==
        "direct award: this purchasing system does not allow direct award: never under PCR 2015, "
        "and a LIGHT_TOUCH or PA2023 system must enable it");
}

TEST_CASE("a light-touch system's officer places a child directly, and it is reported apart") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  QualifiedMember(f.qualification(), f.world());
  v1::DirectAward award;
  CHECK_OK(f.stub().MakeDirectAward(Officer().get(), Request(f), &award));
  CHECK(award.state() == v1::DIRECT_AWARD_STATE_MADE);
  CHECK(award.placing_authority_id() == kPartner);
  CHECK(award.provider_id() == kProvider);
  CHECK(award.location().postcode_district() == "RH12");
  CHECK(award.location().centroid().latitude() == Approx(51.0749));
  CHECK(award.made_by().user_id() == "officer-1");
  CHECK(f.EventCount("referral.direct_award.made") == 1);

  v1::GetDirectAwardRequest get;
  get.set_id(award.id());
  v1::DirectAward read;
  CHECK_OK(f.stub().GetDirectAward(ProviderUser().get(), get, &read));
  CHECK(read.id() == award.id());
  CHECK_OK(f.stub().GetDirectAward(As(ApiRole::ROLE_AUDITOR, kLead).get(), get, &read));
  const grpc::Status stranger =
      f.stub().GetDirectAward(ProviderUser("provider-b").get(), get, &read);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  const grpc::Status other_authority = f.stub().GetDirectAward(Officer(kLead).get(), get, &read);
  CHECK(other_authority.error_code() == grpc::StatusCode::NOT_FOUND);

  v1::ListDirectAwardsRequest due;
  due.set_review_due_only(true);
  v1::ListDirectAwardsResponse listed;
  CHECK_OK(f.stub().ListDirectAwards(Officer().get(), due, &listed));
  CHECK(listed.direct_awards_size() == 0);
  f.qualification().clock().Set(At(2027, 3, 29));
  CHECK_OK(f.stub().ListDirectAwards(Officer().get(), due, &listed));
  CHECK(listed.direct_awards_size() == 1);
}

TEST_CASE("a direct award needs its reasons and an establishment that can take the child") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  QualifiedMember(f.qualification(), f.world());
  v1::DirectAward out;
  v1::MakeDirectAwardRequest no_reason = Request(f);
  no_reason.clear_justification();
  grpc::Status status = f.stub().MakeDirectAward(Officer().get(), no_reason, &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "justification: required");

  v1::MakeDirectAwardRequest full_postcode = Request(f);
  full_postcode.mutable_location()->set_postcode_district("RH12 1AB");
  CHECK(f.stub().MakeDirectAward(Officer().get(), full_postcode, &out).error_message() ==
        "location.postcode_district: must be the postcode district only (e.g. \"RH12\"), never "
        "a full postcode: a child's full postcode does not leave the placing authority");

  // The home takes ages 8 to 17.
  v1::MakeDirectAwardRequest too_old = Request(f);
  too_old.mutable_children(0)->set_age_years(19);
  status = f.stub().MakeDirectAward(Officer().get(), too_old, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(status.error_message().rfind(
            "establishment: " + f.world().establishment_id + " cannot take this placement: ", 0) ==
        0);
  CHECK(f.EventCount("referral.direct_award.made") == 0);
}

TEST_CASE("a direct award is reviewed by its authority on or after its review date") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  QualifiedMember(f.qualification(), f.world());
  v1::DirectAward award;
  CHECK_OK(f.stub().MakeDirectAward(Officer().get(), Request(f), &award));

  v1::ReviewDirectAwardRequest review;
  review.set_idempotency_key(ServiceFixture::Key());
  review.set_id(award.id());
  review.set_review_note("Settled; school place found; the placement continues to June.");
  v1::DirectAward reviewed;
  const grpc::Status early = f.stub().ReviewDirectAward(Officer().get(), review, &reviewed);
  CHECK(early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(early.error_message() == "direct award: the review is due on 2027-03-29, not before");

  f.qualification().clock().Set(At(2027, 3, 29));
  review.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status stranger = f.stub().ReviewDirectAward(Officer(kLead).get(), review, &reviewed);
  CHECK(stranger.error_code() == grpc::StatusCode::NOT_FOUND);
  review.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status provider = f.stub().ReviewDirectAward(ProviderUser().get(), review, &reviewed);
  CHECK(provider.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  review.set_idempotency_key(ServiceFixture::Key());
  review.clear_review_note();
  const grpc::Status silent = f.stub().ReviewDirectAward(Officer().get(), review, &reviewed);
  CHECK(silent.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(silent.error_message().rfind("review_note:", 0) == 0);

  review.set_idempotency_key(ServiceFixture::Key());
  review.set_review_note("Settled; school place found; the placement continues to June.");
  CHECK_OK(f.stub().ReviewDirectAward(Officer().get(), review, &reviewed));
  CHECK(reviewed.state() == v1::DIRECT_AWARD_STATE_REVIEWED);
  CHECK(reviewed.review_note() == review.review_note());
  CHECK(reviewed.reviewed_by().user_id() == "officer-1");
  CHECK(platform::FromTimestamp(reviewed.reviewed_at()) == At(2027, 3, 29));
  CHECK(f.EventCount("referral.direct_award.reviewed") == 1);

  // Reviewed: no longer due, and reviewed once.
  v1::ListDirectAwardsRequest due;
  due.set_review_due_only(true);
  v1::ListDirectAwardsResponse listed;
  CHECK_OK(f.stub().ListDirectAwards(Officer().get(), due, &listed));
  CHECK(listed.direct_awards_size() == 0);
  v1::GetDirectAwardRequest get;
  get.set_id(award.id());
  v1::DirectAward read;
  CHECK_OK(f.stub().GetDirectAward(Officer().get(), get, &read));
  CHECK(read.state() == v1::DIRECT_AWARD_STATE_REVIEWED);
  review.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status twice = f.stub().ReviewDirectAward(Officer().get(), review, &reviewed);
  CHECK(twice.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace

TEST_CASE("an authority places directly only in the lots it takes part in") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  QualifiedMember(f.qualification(), f.world());
  qualification::testing::AddLot(f.qualification(), f.world(), "FOS");
  qualification::testing::TakesPartIn(f.qualification(), f.world(), kPartner, {"FOS"});
  v1::DirectAward out;
  const grpc::Status refused = f.stub().MakeDirectAward(Officer().get(), Request(f), &out);
  CHECK(refused.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(refused.error_message() ==
        "authority brighton does not take part in lot RES of purchasing "
        "system " +
            f.world().system_id + " (it calls off FOS)");
  CHECK(f.EventCount("referral.direct_award.made") == 0);
}

namespace {

// The world's system set to call off by ranking (Northamptonshire's open framework).
void CallsOffByRanking(ReferralFixture& f) {
  using qualification::testing::GetSystem;
  using qualification::testing::Lead;
  using qualification::testing::SpecOf;
  const qualification::v1::PurchasingSystem system =
      GetSystem(f.qualification(), f.world().system_id);
  qualification::v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(system.id());
  update.set_expected_version(system.version());
  *update.mutable_spec() = SpecOf(system);
  update.mutable_spec()->mutable_rules()->set_call_off_by_ranking(true);
  update.set_reason("call-offs follow each lot's ranking at admission");
  qualification::v1::PurchasingSystem changed;
  CHECK_OK(f.qualification().stub().UpdatePurchasingSystem(Lead().get(), update, &changed));
}

// A ranked call-off of the world's establishment (Oak House, scored 80), passing over `passed`.
v1::MakeDirectAwardRequest RankedRequest(ReferralFixture& f,
                                         const std::vector<std::string>& passed) {
  v1::MakeDirectAwardRequest request = Request(f);
  request.set_basis(v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF);
  request.set_justification("Oak House is the highest-ranked home with a bed this week.");
  for (const std::string& establishment : passed) {
    v1::PassedOverMember* member = request.add_passed_over();
    member->set_establishment_id(establishment);
    member->set_reason("No bed before the start date");
  }
  return request;
}

}  // namespace

TEST_CASE("a ranked call-off goes down the lot's ranking, naming each member passed over") {
  ReferralFixture f(At(2027, 3, 1), dps::common::v1::REGIME_LIGHT_TOUCH);
  QualifiedMember(f.qualification(), f.world());  // Oak House, 80
  const std::string elm =
      qualification::testing::ScoredMemberOf(f.qualification(), f.world(), "provider-b", 90)
          .establishment_id();
  v1::DirectAward award;

  SECTION("only where the system calls off by ranking") {
    const grpc::Status refused =
        f.stub().MakeDirectAward(Officer().get(), RankedRequest(f, {elm}), &award);
    CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(refused.error_message() ==
          "basis: RANKED_CALL_OFF: this purchasing system does not call off by ranking "
          "(rules.call_off_by_ranking)");
  }

  SECTION("made, kept and announced with its basis") {
    CallsOffByRanking(f);
    CHECK_OK(f.stub().MakeDirectAward(Officer().get(), RankedRequest(f, {elm}), &award));
    CHECK(award.basis() == v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF);
    REQUIRE(award.passed_over_size() == 1);
    CHECK(award.passed_over(0).establishment_id() == elm);
    CHECK(award.passed_over(0).reason() == "No bed before the start date");
    v1::GetDirectAwardRequest get;
    get.set_id(award.id());
    v1::DirectAward read;
    CHECK_OK(f.stub().GetDirectAward(Officer().get(), get, &read));
    CHECK(read.SerializeAsString() == award.SerializeAsString());
    v1::ListDirectAwardsResponse listed;
    CHECK_OK(f.stub().ListDirectAwards(Officer().get(), v1::ListDirectAwardsRequest(), &listed));
    REQUIRE(listed.direct_awards_size() == 1);
    CHECK(listed.direct_awards(0).basis() == v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF);
    CHECK(listed.direct_awards(0).passed_over_size() == 1);
    CHECK(f.LastEvent("referral.direct_award.made").direct_award_made().basis() ==
          v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF);

    // The regime's direct award says so too.
    v1::DirectAward regime;
    CHECK_OK(f.stub().MakeDirectAward(Officer().get(), Request(f), &regime));
    CHECK(regime.basis() == v1::DIRECT_AWARD_BASIS_REGIME);
    CHECK(f.LastEvent("referral.direct_award.made").direct_award_made().basis() ==
          v1::DIRECT_AWARD_BASIS_REGIME);
  }

  SECTION("every higher-ranked member passed over, and no one else") {
    CallsOffByRanking(f);
    grpc::Status status = f.stub().MakeDirectAward(Officer().get(), RankedRequest(f, {}), &award);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "passed_over: " + elm + " is ranked 1, above " +
                                        f.world().establishment_id +
                                        " (ranked 2): name it with the reason it is passed over");

    status = f.stub().MakeDirectAward(Officer().get(),
                                      RankedRequest(f, {elm, f.world().establishment_id}), &award);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "passed_over[1].establishment_id: \"" +
                                        f.world().establishment_id + "\" is not ranked above " +
                                        f.world().establishment_id + " in the lot");

    v1::MakeDirectAwardRequest no_reason = RankedRequest(f, {elm});
    no_reason.mutable_passed_over(0)->clear_reason();
    status = f.stub().MakeDirectAward(Officer().get(), no_reason, &award);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() == "passed_over[0].reason: required");

    v1::MakeDirectAwardRequest regime = RankedRequest(f, {elm});
    regime.set_basis(v1::DIRECT_AWARD_BASIS_REGIME);
    status = f.stub().MakeDirectAward(Officer().get(), regime, &award);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "passed_over: only a RANKED_CALL_OFF passes over ranked members");

    // An establishment that is no QUALIFIED member of the lot is not in its ranking.
    v1::MakeDirectAwardRequest stranger = RankedRequest(f, {});
    stranger.set_establishment_id("establishment-nowhere");
    status = f.stub().MakeDirectAward(Officer().get(), stranger, &award);
    CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    CHECK(status.error_message() ==
          "establishment_id: establishment-nowhere is not a QUALIFIED member of the lot's "
          "ranking");
    CHECK(f.EventCount("referral.direct_award.made") == 0);
  }
}

}  // namespace dps::referral::testing
