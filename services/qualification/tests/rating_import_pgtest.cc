// Inspection rating imports through gRPC against a real PostgreSQL (issue #13): the suspension an
// Inadequate rating causes names the rating, a reference several establishments share rates every
// one of them, and an older file imported after a newer one leaves the newer inspection current.
#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

// The standard establishment's Ofsted reference (world.cc).
constexpr char kUrn[] = "SC123456";

v1::ImportInspectionRatingsRequest ImportOf(v1::Rating rating,
                                            const dps::common::v1::Date& inspected_on) {
  v1::ImportInspectionRatingsRequest import;
  import.set_idempotency_key(ServiceFixture::Key());
  v1::InspectionRatingRow* row = import.add_rows();
  row->set_inspectorate(v1::INSPECTORATE_OFSTED);
  row->set_inspectorate_ref(kUrn);
  row->set_rating(rating);
  *row->mutable_inspected_on() = inspected_on;
  return import;
}

v1::ImportInspectionRatingsResponse Import(ServiceFixture& f,
                                           const v1::ImportInspectionRatingsRequest& import) {
  v1::ImportInspectionRatingsResponse response;
  CHECK_OK(f.stub().ImportInspectionRatings(Lead().get(), import, &response));
  REQUIRE(response.results_size() == import.rows_size());
  return response;
}

// Every rating recorded for the establishment, as its lead authority lists them.
v1::ListInspectionRatingsResponse RatingsOf(ServiceFixture& f,
                                            const std::string& establishment_id) {
  v1::ListInspectionRatingsRequest list;
  list.set_establishment_id(establishment_id);
  v1::ListInspectionRatingsResponse ratings;
  CHECK_OK(f.stub().ListInspectionRatings(Lead().get(), list, &ratings));
  return ratings;
}

// Another establishment of the standard provider, registered under `inspectorate_ref`.
std::string EstablishmentWithRef(ServiceFixture& f, const std::string& name,
                                 const std::string& inspectorate_ref) {
  v1::CreateEstablishmentRequest establishment;
  establishment.set_idempotency_key(ServiceFixture::Key());
  establishment.set_provider_id(kProvider);
  v1::EstablishmentSpec* spec = establishment.mutable_spec();
  spec->set_name(name);
  spec->mutable_address()->set_postcode("RH13 5AA");
  spec->mutable_location()->set_latitude(51.0590);
  spec->mutable_location()->set_longitude(-0.3200);
  spec->add_provision_types(dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME);
  spec->set_inspectorate(v1::INSPECTORATE_OFSTED);
  spec->set_inspectorate_ref(inspectorate_ref);
  spec->set_age_min_years(8);
  spec->set_age_max_years(17);
  spec->set_registered_places(3);
  v1::Establishment created;
  CHECK_OK(f.stub().CreateEstablishment(Provider().get(), establishment, &created));
  return created.id();
}

// The establishment qualified in the standard lot at £4,000 a week: returns the membership id.
std::string QualifiedMemberFor(ServiceFixture& f, const World& w,
                               const std::string& establishment_id) {
  World other = w;
  other.establishment_id = establishment_id;
  other.evidence_id =
      AddEvidence(f, establishment_id, w.insurance_id, "Employer's liability", Day(2027, 3, 31));
  v1::Application application;
  CHECK_OK(
      f.stub().CreateApplication(Provider().get(), ApplicationFor(other, 400000), &application));
  CHECK_OK(Submit(f, application.id(), &application));
  return Qualify(f, other, application.id());
}

TEST_CASE("the suspension an Inadequate rating causes names the rating recorded",
          "[qualification][service][ratings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);

  const v1::ImportInspectionRatingsResponse response =
      Import(f, ImportOf(v1::RATING_INADEQUATE, Day(2026, 5, 20)));
  const v1::ImportRowResult& result = response.results(0);
  CHECK(result.outcome() == v1::IMPORT_ROW_OUTCOME_RECORDED);
  CHECK(result.triggered_suspension());
  REQUIRE_FALSE(result.inspection_rating_id().empty());

  const v1::Membership suspended = GetMembership(f, membership_id);
  REQUIRE(suspended.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
  REQUIRE(suspended.suspensions_size() == 1);
  CHECK(suspended.suspensions(0).reason() == v1::SUSPENSION_REASON_RATING_INADEQUATE);
  CHECK(suspended.suspensions(0).inspection_rating_id() == result.inspection_rating_id());
  CHECK(suspended.current_rating().id() == result.inspection_rating_id());
  // The change of rating announced names the same record. (The suspension's own event,
  // MembershipSuspended, carries no rating.)
  CHECK(f.LastEvent("qualification.establishment.rating_changed")
            .inspection_rating_changed()
            .inspection_rating_id() == result.inspection_rating_id());
  CHECK(f.EventCount("qualification.membership.suspended") == 1);
}

TEST_CASE("a reference several establishments share rates each one the caller may rate",
          "[qualification][service][ratings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string first_membership = QualifiedMember(f, w);
  // The provider's second site, registered with Ofsted under the same URN, also a member; and a
  // third under it that is a member of no system of the lead authority's.
  const std::string second_site = EstablishmentWithRef(f, "Oak House Annexe", kUrn);
  const std::string second_membership = QualifiedMemberFor(f, w, second_site);
  const std::string third_site = EstablishmentWithRef(f, "Oak House Cottage", kUrn);

  const v1::ImportInspectionRatingsResponse response =
      Import(f, ImportOf(v1::RATING_INADEQUATE, Day(2026, 5, 20)));
  const v1::ImportRowResult& result = response.results(0);
  CHECK(result.outcome() == v1::IMPORT_ROW_OUTCOME_RECORDED);
  CHECK(result.triggered_suspension());
  CHECK(response.recorded() == 2);
  CHECK(response.suspensions() == 2);
  INFO(result.detail());
  CHECK(result.detail().rfind("applied to the 2 establishments with this reference: ", 0) == 0);

  // Each its own rating record and its own suspension naming it.
  const v1::ListInspectionRatingsResponse first_ratings = RatingsOf(f, w.establishment_id);
  const v1::ListInspectionRatingsResponse second_ratings = RatingsOf(f, second_site);
  REQUIRE(first_ratings.ratings_size() == 1);
  REQUIRE(second_ratings.ratings_size() == 1);
  CHECK(first_ratings.ratings(0).id() != second_ratings.ratings(0).id());
  CHECK(second_ratings.ratings(0).rating() == v1::RATING_INADEQUATE);
  CHECK(RatingsOf(f, third_site).ratings_size() == 0);
  // The row's id is the first establishment's, in id order.
  CHECK(result.inspection_rating_id() == (w.establishment_id < second_site
                                              ? first_ratings.ratings(0).id()
                                              : second_ratings.ratings(0).id()));
  for (const auto& [membership_id, rating_id] :
       {std::pair(first_membership, first_ratings.ratings(0).id()),
        std::pair(second_membership, second_ratings.ratings(0).id())}) {
    const v1::Membership membership = GetMembership(f, membership_id);
    CHECK(membership.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
    REQUIRE(membership.suspensions_size() == 1);
    CHECK(membership.suspensions(0).inspection_rating_id() == rating_id);
    CHECK(membership.current_rating().id() == rating_id);
  }
  CHECK(f.EventCount("qualification.establishment.rating_changed") == 2);
  CHECK(f.EventCount("qualification.membership.suspended") == 2);

  // The same file again changes nothing for either.
  const v1::ImportInspectionRatingsResponse again =
      Import(f, ImportOf(v1::RATING_INADEQUATE, Day(2026, 5, 20)));
  CHECK(again.results(0).outcome() == v1::IMPORT_ROW_OUTCOME_UNCHANGED);
  CHECK(again.recorded() == 0);
  CHECK(again.suspensions() == 0);
  CHECK(f.EventCount("qualification.establishment.rating_changed") == 2);
}

TEST_CASE("an older rating file imported after a newer one leaves the newer inspection current",
          "[qualification][service][ratings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  const std::string membership_id = QualifiedMember(f, w);
  const std::string older_than = "older than the inspection of 2026-03-02 already recorded";

  SECTION("an older Inadequate neither replaces a newer Good nor suspends") {
    const v1::ImportInspectionRatingsResponse newer =
        Import(f, ImportOf(v1::RATING_GOOD, Day(2026, 3, 2)));
    REQUIRE(newer.results(0).outcome() == v1::IMPORT_ROW_OUTCOME_RECORDED);
    const std::string good_id = newer.results(0).inspection_rating_id();

    const v1::ImportInspectionRatingsResponse older =
        Import(f, ImportOf(v1::RATING_INADEQUATE, Day(2025, 11, 20)));
    const v1::ImportRowResult& result = older.results(0);
    CHECK(result.outcome() == v1::IMPORT_ROW_OUTCOME_UNCHANGED);
    CHECK(result.detail() == "inspected on 2025-11-20, " + older_than);
    CHECK(result.inspection_rating_id().empty());
    CHECK_FALSE(result.triggered_suspension());
    CHECK(older.recorded() == 0);
    CHECK(older.suspensions() == 0);

    const v1::Membership membership = GetMembership(f, membership_id);
    CHECK(membership.state() == v1::MEMBERSHIP_STATE_QUALIFIED);
    CHECK(membership.current_rating().id() == good_id);
    CHECK(membership.current_rating().rating() == v1::RATING_GOOD);
    const v1::ListInspectionRatingsResponse ratings = RatingsOf(f, w.establishment_id);
    REQUIRE(ratings.ratings_size() == 1);
    CHECK(ratings.ratings(0).id() == good_id);
    CHECK(f.EventCount("qualification.establishment.rating_changed") == 1);
    CHECK(f.EventCount("qualification.membership.suspended") == 0);
  }

  SECTION("an older Good does not replace a newer Inadequate, whose suspension stands") {
    const v1::ImportInspectionRatingsResponse newer =
        Import(f, ImportOf(v1::RATING_INADEQUATE, Day(2026, 3, 2)));
    REQUIRE(newer.results(0).triggered_suspension());
    const std::string inadequate_id = newer.results(0).inspection_rating_id();

    const v1::ImportInspectionRatingsResponse older =
        Import(f, ImportOf(v1::RATING_GOOD, Day(2025, 11, 20)));
    CHECK(older.results(0).outcome() == v1::IMPORT_ROW_OUTCOME_UNCHANGED);
    CHECK(older.results(0).detail() == "inspected on 2025-11-20, " + older_than);

    const v1::Membership membership = GetMembership(f, membership_id);
    CHECK(membership.state() == v1::MEMBERSHIP_STATE_SUSPENDED);
    CHECK(membership.current_rating().id() == inadequate_id);
    CHECK(membership.current_rating().rating() == v1::RATING_INADEQUATE);
    CHECK(RatingsOf(f, w.establishment_id).ratings_size() == 1);
    CHECK(f.EventCount("qualification.establishment.rating_changed") == 1);
  }

  SECTION("an undated row (not yet inspected) does not replace a dated inspection") {
    Import(f, ImportOf(v1::RATING_GOOD, Day(2026, 3, 2)));
    v1::ImportInspectionRatingsRequest undated = ImportOf(v1::RATING_NOT_YET_INSPECTED, {});
    const v1::ImportInspectionRatingsResponse response = Import(f, undated);
    CHECK(response.results(0).outcome() == v1::IMPORT_ROW_OUTCOME_UNCHANGED);
    CHECK(response.results(0).detail() == "not dated, so " + older_than);
    CHECK(GetMembership(f, membership_id).current_rating().rating() == v1::RATING_GOOD);
  }

  SECTION("entered by hand, an older report is refused naming the field") {
    Import(f, ImportOf(v1::RATING_GOOD, Day(2026, 3, 2)));
    v1::RecordInspectionRatingRequest record;
    record.set_idempotency_key(ServiceFixture::Key());
    record.mutable_rating()->set_establishment_id(w.establishment_id);
    record.mutable_rating()->set_rating(v1::RATING_INADEQUATE);
    *record.mutable_rating()->mutable_inspected_on() = Day(2025, 11, 20);
    v1::InspectionRating recorded;
    const grpc::Status refused = f.stub().RecordInspectionRating(Lead().get(), record, &recorded);
    CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(refused.error_message().rfind(
              "rating.inspected_on: inspected on 2025-11-20, " + older_than, 0) == 0);
    CHECK(GetMembership(f, membership_id).state() == v1::MEMBERSHIP_STATE_QUALIFIED);
  }

  SECTION("a newer inspection still replaces it") {
    Import(f, ImportOf(v1::RATING_GOOD, Day(2026, 3, 2)));
    f.clock().Set(At(2026, 9, 1));
    const v1::ImportInspectionRatingsResponse newer =
        Import(f, ImportOf(v1::RATING_INADEQUATE, Day(2026, 8, 25)));
    CHECK(newer.results(0).outcome() == v1::IMPORT_ROW_OUTCOME_RECORDED);
    CHECK(newer.results(0).triggered_suspension());
    CHECK(GetMembership(f, membership_id).current_rating().rating() == v1::RATING_INADEQUATE);
  }
}

}  // namespace
}  // namespace dps::qualification::testing
