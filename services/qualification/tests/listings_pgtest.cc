// The register's listings and the extension of a system's period, through the service: which
// systems an authority finds, a system's lots and a provider's establishments page by page, an
// establishment's inspection history, and the optional extensions taken one at a time.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

grpc::StatusCode CodeOf(const grpc::Status& status) { return status.error_code(); }

bool Names(const grpc::Status& status, const std::string& field) {
  return status.error_message().rfind(field + ":", 0) == 0;
}

// The ids of every system the caller lists with this authority filter, one per page.
std::set<std::string> SystemsListed(ServiceFixture& f, const std::string& authority_id) {
  std::set<std::string> ids;
  v1::ListPurchasingSystemsRequest list;
  list.set_authority_id(authority_id);
  list.mutable_page()->set_page_size(1);
  do {
    v1::ListPurchasingSystemsResponse page;
    CHECK_OK(f.stub().ListPurchasingSystems(
        ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(), list, &page));
    REQUIRE(page.systems_size() <= 1);
    for (const v1::PurchasingSystem& system : page.systems()) ids.insert(system.id());
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list.page().page_token().empty());
  return ids;
}

}  // namespace

TEST_CASE("systems are found by the authorities that lead them or take part in them",
          "[qualification][service][listings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World first = SetUp(f);  // led by West Sussex, Brighton taking part
  // A second system, led by Surrey with Kent taking part.
  v1::CreatePurchasingSystemRequest create;
  create.set_idempotency_key(ServiceFixture::Key());
  create.mutable_spec()->set_name("Surrey and Kent fostering DPS");
  create.mutable_spec()->set_regime(dps::common::v1::REGIME_PCR2015_DPS);
  create.mutable_spec()->set_lead_authority_id("surrey");
  create.mutable_spec()->add_authorities()->set_authority_id(kOutsider);
  *create.mutable_spec()->mutable_validity()->mutable_start() = Day(2026, 9, 1);
  *create.mutable_spec()->mutable_validity()->mutable_initial_end() = Day(2029, 8, 31);
  v1::PurchasingSystem second;
  CHECK_OK(f.stub().CreatePurchasingSystem(
      ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, "surrey").get(), create, &second));

  CHECK(SystemsListed(f, kLead) == std::set<std::string>{first.system_id});
  CHECK(SystemsListed(f, kPartner) == std::set<std::string>{first.system_id});
  CHECK(SystemsListed(f, "surrey") == std::set<std::string>{second.id()});
  CHECK(SystemsListed(f, kOutsider) == std::set<std::string>{second.id()});
  CHECK(SystemsListed(f, "") == std::set<std::string>{first.system_id, second.id()});
  CHECK(SystemsListed(f, "east-sussex").empty());

  v1::ListPurchasingSystemsRequest list;
  list.mutable_page()->set_page_token("not-a-token");
  v1::ListPurchasingSystemsResponse page;
  const grpc::Status bad_token = f.stub().ListPurchasingSystems(Lead().get(), list, &page);
  CHECK(CodeOf(bad_token) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(bad_token.error_message().find("page") != std::string::npos);
}

TEST_CASE("a system's lots and a provider's establishments are listed page by page",
          "[qualification][service][listings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();

  v1::CreateLotRequest second_lot;
  second_lot.set_idempotency_key(ServiceFixture::Key());
  second_lot.set_system_id(w.system_id);
  *second_lot.mutable_spec() = ResidentialLotSpec();
  second_lot.mutable_spec()->set_code("RES-2");
  second_lot.mutable_spec()->set_name("Residential, second lot");
  v1::Lot created;
  CHECK_OK(stub.CreateLot(Lead().get(), second_lot, &created));

  std::set<std::string> lots;
  v1::ListLotsRequest list_lots;
  list_lots.set_system_id(w.system_id);
  list_lots.mutable_page()->set_page_size(1);
  int pages = 0;
  do {
    v1::ListLotsResponse page;
    CHECK_OK(stub.ListLots(Provider().get(), list_lots, &page));
    REQUIRE(page.lots_size() == 1);
    CHECK(page.lots(0).system_id() == w.system_id);
    lots.insert(page.lots(0).id());
    ++pages;
    list_lots.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list_lots.page().page_token().empty());
  CHECK(pages == 2);
  CHECK(lots == std::set<std::string>{w.lot_id, created.id()});

  // A system that does not exist has no lots; a list without a system is refused.
  v1::ListLotsRequest unknown;
  unknown.set_system_id("sys-unknown");
  v1::ListLotsResponse none;
  CHECK_OK(stub.ListLots(Lead().get(), unknown, &none));
  CHECK(none.lots_size() == 0);
  const grpc::Status no_system = stub.ListLots(Lead().get(), v1::ListLotsRequest(), &none);
  CHECK(CodeOf(no_system) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_system, "system_id"));

  const std::string elm = NewEstablishment(f, kProvider, "Elm Lodge", 50.8225, -0.1372);
  const std::string other = OtherProvider(f, "provider-b");
  v1::ListEstablishmentsRequest list_own;
  list_own.set_provider_id(kProvider);
  v1::ListEstablishmentsResponse own;
  CHECK_OK(stub.ListEstablishments(Provider().get(), list_own, &own));
  std::set<std::string> own_ids;
  for (const v1::Establishment& e : own.establishments()) {
    CHECK(e.provider_id() == kProvider);
    own_ids.insert(e.id());
  }
  CHECK(own_ids == std::set<std::string>{w.establishment_id, elm});

  // Everyone's, two to a page.
  v1::ListEstablishmentsRequest list_all;
  list_all.mutable_page()->set_page_size(2);
  std::set<std::string> all_ids;
  std::vector<int> page_sizes;
  do {
    v1::ListEstablishmentsResponse page;
    CHECK_OK(stub.ListEstablishments(Lead().get(), list_all, &page));
    page_sizes.push_back(page.establishments_size());
    for (const v1::Establishment& e : page.establishments()) all_ids.insert(e.id());
    list_all.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list_all.page().page_token().empty());
  CHECK(page_sizes == std::vector<int>{2, 1});
  CHECK(all_ids == std::set<std::string>{w.establishment_id, elm, other});
}

TEST_CASE("an establishment's inspection ratings are listed for those who may see them",
          "[qualification][service][listings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  auto& stub = f.stub();
  QualifiedMember(f, w);

  v1::RecordInspectionRatingRequest record;
  record.set_idempotency_key(ServiceFixture::Key());
  record.mutable_rating()->set_establishment_id(w.establishment_id);
  record.mutable_rating()->set_rating(v1::RATING_GOOD);
  *record.mutable_rating()->mutable_inspected_on() = Day(2026, 5, 1);
  v1::InspectionRating good;
  CHECK_OK(stub.RecordInspectionRating(Lead().get(), record, &good));
  f.clock().Advance(absl::Hours(24));
  record.set_idempotency_key(ServiceFixture::Key());
  record.mutable_rating()->set_rating(v1::RATING_OUTSTANDING);
  *record.mutable_rating()->mutable_inspected_on() = Day(2026, 5, 25);
  v1::InspectionRating outstanding;
  CHECK_OK(stub.RecordInspectionRating(Lead().get(), record, &outstanding));

  v1::ListInspectionRatingsRequest list;
  list.set_establishment_id(w.establishment_id);
  v1::ListInspectionRatingsResponse ratings;
  CHECK_OK(stub.ListInspectionRatings(Provider().get(), list, &ratings));
  std::set<std::string> ids;
  for (const v1::InspectionRating& r : ratings.ratings()) {
    CHECK(r.establishment_id() == w.establishment_id);
    ids.insert(r.id());
  }
  CHECK(ids.count(good.id()) == 1);
  CHECK(ids.count(outstanding.id()) == 1);

  // By system: the ratings of its members, not of an establishment that never joined it.
  const std::string elm = NewEstablishment(f, kProvider, "Elm Lodge", 50.8225, -0.1372);
  record.set_idempotency_key(ServiceFixture::Key());
  record.mutable_rating()->set_establishment_id(elm);
  record.mutable_rating()->set_rating(v1::RATING_REQUIRES_IMPROVEMENT);
  v1::InspectionRating elm_rating;  // recorded by the register's import (no lead authority has it)
  CHECK_OK(stub.RecordInspectionRating(ServiceFixture::As(ApiRole::ROLE_SERVICE, "dps").get(),
                                       record, &elm_rating));
  v1::ListInspectionRatingsRequest by_system;
  by_system.set_system_id(w.system_id);
  v1::ListInspectionRatingsResponse of_members;
  CHECK_OK(stub.ListInspectionRatings(Lead().get(), by_system, &of_members));
  std::set<std::string> member_ids;
  for (const v1::InspectionRating& r : of_members.ratings()) member_ids.insert(r.id());
  CHECK(member_ids == std::set<std::string>{good.id(), outstanding.id()});
  by_system.set_establishment_id(elm);
  CHECK_OK(stub.ListInspectionRatings(Lead().get(), by_system, &of_members));
  CHECK(of_members.ratings_size() == 0);
  v1::ListInspectionRatingsRequest of_elm;
  of_elm.set_establishment_id(elm);
  CHECK_OK(stub.ListInspectionRatings(Lead().get(), of_elm, &of_members));
  REQUIRE(of_members.ratings_size() == 1);
  CHECK(of_members.ratings(0).id() == elm_rating.id());

  v1::ListInspectionRatingsRequest neither;
  const grpc::Status no_filter = stub.ListInspectionRatings(Lead().get(), neither, &ratings);
  CHECK(CodeOf(no_filter) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_filter, "establishment_id"));
}

TEST_CASE(
    "the period's optional extensions are taken in order, by the lead authority, with a "
    "reason",
    "[qualification][service][listings]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);  // 2026-04-01 to 2029-03-31, one extension of 24 months
  auto& stub = f.stub();
  CHECK(DayText(GetSystem(f, w.system_id).validity().current_end()) == "2029-03-31");

  v1::ExtendPurchasingSystemRequest extend;
  extend.set_idempotency_key(ServiceFixture::Key());
  extend.set_system_id(w.system_id);
  extend.set_extension_index(0);
  v1::PurchasingSystem extended;
  const grpc::Status no_reason = stub.ExtendPurchasingSystem(Lead().get(), extend, &extended);
  CHECK(CodeOf(no_reason) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Names(no_reason, "reason"));

  extend.set_reason("demand for places still growing");
  extend.set_extension_index(1);
  extend.set_idempotency_key(ServiceFixture::Key());
  const grpc::Status out_of_turn = stub.ExtendPurchasingSystem(Lead().get(), extend, &extended);
  CHECK(CodeOf(out_of_turn) == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(out_of_turn.error_message() == "extension_index: the next extension to take is 0, got 1");

  extend.set_extension_index(0);
  extend.set_idempotency_key(ServiceFixture::Key());
  CHECK(CodeOf(stub.ExtendPurchasingSystem(
            ServiceFixture::As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kPartner).get(), extend,
            &extended)) == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(CodeOf(stub.ExtendPurchasingSystem(
            ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kLead).get(), extend, &extended)) ==
        grpc::StatusCode::PERMISSION_DENIED);

  CHECK_OK(stub.ExtendPurchasingSystem(Lead().get(), extend, &extended));
  REQUIRE(extended.validity().extensions_size() == 1);
  CHECK(extended.validity().extensions(0).exercised());
  CHECK(DayText(extended.validity().current_end()) == "2031-03-31");
  CHECK(DayText(GetSystem(f, w.system_id).validity().current_end()) == "2031-03-31");

  // None left: the one extension is taken.
  extend.set_extension_index(1);
  extend.set_idempotency_key(ServiceFixture::Key());
  CHECK(CodeOf(stub.ExtendPurchasingSystem(Lead().get(), extend, &extended)) ==
        grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace dps::qualification::testing
