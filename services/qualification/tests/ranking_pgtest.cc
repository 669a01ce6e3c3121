// A lot's ranking at admission (Northamptonshire's open framework), through the service:
// ListMemberships with order_by_score lists the lot's memberships by the qualification score in
// force, ties by the earlier qualification, each with its rank among the lot's QUALIFIED members,
// page by page, for whoever may list them.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"

namespace dps::qualification::testing {
namespace {

v1::ListMembershipsRequest Ranking(const World& w) {
  v1::ListMembershipsRequest request;
  request.set_lot_id(w.lot_id);
  request.set_order_by_score(true);
  return request;
}

// The establishments of a listing, in its order.
std::vector<std::string> EstablishmentsOf(const v1::ListMembershipsResponse& listed) {
  std::vector<std::string> ids;
  for (const v1::Membership& m : listed.memberships()) ids.push_back(m.establishment_id());
  return ids;
}

std::vector<int> RanksOf(const v1::ListMembershipsResponse& listed) {
  std::vector<int> ranks;
  for (const v1::Membership& m : listed.memberships()) ranks.push_back(m.rank());
  return ranks;
}

// Four members of the world's lot, qualified an hour apart: Oak House (the standard provider's)
// at 80, then provider-b's at 90, provider-c's at 70, provider-d's at 90.
struct Members {
  std::string oak;
  std::string b;
  std::string c;
  std::string d;
  std::string oak_membership;
};

Members FourMembers(ServiceFixture& f, const World& w) {
  Members m;
  m.oak = w.establishment_id;
  m.oak_membership = QualifiedMember(f, w);
  f.clock().Advance(absl::Hours(1));
  m.b = ScoredMemberOf(f, w, "provider-b", 90).establishment_id();
  f.clock().Advance(absl::Hours(1));
  m.c = ScoredMemberOf(f, w, "provider-c", 70).establishment_id();
  f.clock().Advance(absl::Hours(1));
  m.d = ScoredMemberOf(f, w, "provider-d", 90).establishment_id();
  return m;
}

TEST_CASE("a lot's members are listed by their score in force, each with its rank") {
  ServiceFixture f(At(2026, 7, 1));
  const World w = SetUp(f);
  const Members m = FourMembers(f, w);
  auto& stub = f.stub();

  // provider-b and provider-d tie at 90: provider-b qualified first.
  v1::ListMembershipsResponse listed;
  CHECK_OK(stub.ListMemberships(Lead().get(), Ranking(w), &listed));
  CHECK(EstablishmentsOf(listed) == std::vector<std::string>{m.b, m.d, m.oak, m.c});
  CHECK(RanksOf(listed) == std::vector<int>{1, 2, 3, 4});
  CHECK(listed.memberships(0).qualification_score() == 90);
  CHECK(listed.page().next_page_token().empty());

  // The same ranking page by page: neither skipped nor repeated.
  v1::ListMembershipsRequest paged = Ranking(w);
  paged.mutable_page()->set_page_size(1);
  std::vector<std::string> walked;
  std::vector<int> ranks;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListMembershipsResponse page;
    CHECK_OK(stub.ListMemberships(Lead().get(), paged, &page));
    REQUIRE(page.memberships_size() == 1);
    walked.push_back(page.memberships(0).establishment_id());
    ranks.push_back(page.memberships(0).rank());
    if (page.page().next_page_token().empty()) break;
    paged.mutable_page()->set_page_token(page.page().next_page_token());
  }
  CHECK(walked == EstablishmentsOf(listed));
  CHECK(ranks == std::vector<int>{1, 2, 3, 4});

  // A partner's placing officer reads the same ranking; a provider its own place in it.
  listed.Clear();
  CHECK_OK(stub.ListMemberships(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kPartner).get(),
                                Ranking(w), &listed));
  CHECK(RanksOf(listed) == std::vector<int>{1, 2, 3, 4});
  listed.Clear();
  CHECK_OK(stub.ListMemberships(Provider("provider-c").get(), Ranking(w), &listed));
  CHECK(EstablishmentsOf(listed) == std::vector<std::string>{m.c});
  CHECK(RanksOf(listed) == std::vector<int>{4});
  // Narrowed to one establishment, it keeps its place in the lot.
  v1::ListMembershipsRequest one = Ranking(w);
  one.set_establishment_id(m.oak);
  listed.Clear();
  CHECK_OK(stub.ListMemberships(Lead().get(), one, &listed));
  CHECK(RanksOf(listed) == std::vector<int>{3});
}

TEST_CASE("the ranking counts the lot's QUALIFIED members and follows the score in force") {
  ServiceFixture f(At(2026, 7, 1));
  const World w = SetUp(f);
  const Members m = FourMembers(f, w);
  auto& stub = f.stub();

  // Oak House suspended: listed in its place by score, outside the ranking.
  v1::SuspendMembershipRequest suspend;
  suspend.set_idempotency_key(ServiceFixture::Key());
  suspend.set_system_id(w.system_id);
  suspend.set_establishment_id(m.oak);
  suspend.set_reason(v1::SUSPENSION_REASON_LEAD_AUTHORITY_DECISION);
  suspend.set_detail("Staffing below the registered ratio");
  v1::SuspendMembershipResponse suspended;
  CHECK_OK(stub.SuspendMembership(Lead().get(), suspend, &suspended));
  v1::ListMembershipsResponse listed;
  CHECK_OK(stub.ListMemberships(Lead().get(), Ranking(w), &listed));
  CHECK(EstablishmentsOf(listed) == std::vector<std::string>{m.b, m.d, m.oak, m.c});
  CHECK(RanksOf(listed) == std::vector<int>{1, 2, 0, 3});
  // What a call-off follows: the QUALIFIED members only.
  v1::ListMembershipsRequest qualified = Ranking(w);
  qualified.add_states(v1::MEMBERSHIP_STATE_QUALIFIED);
  listed.Clear();
  CHECK_OK(stub.ListMemberships(Lead().get(), qualified, &listed));
  CHECK(EstablishmentsOf(listed) == std::vector<std::string>{m.b, m.d, m.c});
  CHECK(RanksOf(listed) == std::vector<int>{1, 2, 3});

  // Six months on, provider-b's score adjusted down 5 on a performance review: 85, below
  // provider-d's 90.
  f.clock().Advance(absl::Hours(24 * 190));
  v1::ListMembershipsRequest b_only = qualified;
  b_only.set_establishment_id(m.b);
  v1::ListMembershipsResponse b_listed;
  CHECK_OK(stub.ListMemberships(Lead().get(), b_only, &b_listed));
  REQUIRE(b_listed.memberships_size() == 1);
  v1::AdjustQualificationScoreRequest adjust;
  adjust.set_idempotency_key(ServiceFixture::Key());
  adjust.set_membership_id(b_listed.memberships(0).id());
  adjust.set_delta_points(-5);
  adjust.set_reason("KPI returns late");
  adjust.add_performance_review_ids(RecordReview(f, w.system_id, m.b, "review-b"));
  v1::ScoreAdjustment adjustment;
  CHECK_OK(stub.AdjustQualificationScore(Lead().get(), adjust, &adjustment));
  listed.Clear();
  CHECK_OK(stub.ListMemberships(Lead().get(), qualified, &listed));
  CHECK(EstablishmentsOf(listed) == std::vector<std::string>{m.d, m.b, m.c});
  CHECK(RanksOf(listed) == std::vector<int>{1, 2, 3});
  CHECK(listed.memberships(1).qualification_score() == 85);
}

TEST_CASE("a ranking is asked of one lot, by those who may list its members") {
  ServiceFixture f(At(2026, 7, 1));
  const World w = SetUp(f);
  QualifiedMember(f, w);
  ScoredMemberOf(f, w, "provider-b", 90);
  auto& stub = f.stub();

  v1::ListMembershipsRequest no_lot = Ranking(w);
  no_lot.clear_lot_id();
  no_lot.set_system_id(w.system_id);
  v1::ListMembershipsResponse listed;
  grpc::Status status = stub.ListMemberships(Lead().get(), no_lot, &listed);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "lot_id: required with order_by_score: a ranking is per lot");

  // An authority outside the system is refused the lot, as in id order.
  status = stub.ListMemberships(ServiceFixture::As(ApiRole::ROLE_PLACING_OFFICER, kOutsider).get(),
                                Ranking(w), &listed);
  CHECK(status.error_code() == grpc::StatusCode::PERMISSION_DENIED);

  // A token of the id-ordered list does not page the ranking.
  v1::ListMembershipsRequest by_id = Ranking(w);
  by_id.set_order_by_score(false);
  by_id.mutable_page()->set_page_size(1);
  CHECK_OK(stub.ListMemberships(Lead().get(), by_id, &listed));
  REQUIRE_FALSE(listed.page().next_page_token().empty());
  v1::ListMembershipsRequest carried = Ranking(w);
  carried.mutable_page()->set_page_size(1);
  carried.mutable_page()->set_page_token(listed.page().next_page_token());
  status = stub.ListMemberships(Lead().get(), carried, &listed);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() ==
        "page.page_token: given for a different filter; ask for the first page again");

  // A token of the ranking whose position was tampered with (the filter's fingerprint kept).
  v1::ListMembershipsRequest ranked = Ranking(w);
  ranked.mutable_page()->set_page_size(1);
  listed.Clear();
  CHECK_OK(stub.ListMemberships(Lead().get(), ranked, &listed));
  std::string bytes;
  REQUIRE(absl::WebSafeBase64Unescape(listed.page().next_page_token(), &bytes));
  const size_t position = bytes.find("90.00|");
  REQUIRE(position != std::string::npos);
  std::string forged;
  absl::WebSafeBase64Escape(bytes.substr(0, position) + "best|ever|", &forged);
  ranked.mutable_page()->set_page_token(forged);
  status = stub.ListMemberships(Lead().get(), ranked, &listed);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "page.page_token: not a token this list gave");
}

// The world's system (of `regime`) set to call off by ranking, as its lead authority asks.
grpc::Status CallOffByRanking(ServiceFixture& f, dps::common::v1::Regime regime,
                              v1::PurchasingSystem& changed) {
  const World w = SetUp(f, v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN, regime);
  const v1::PurchasingSystem system = GetSystem(f, w.system_id);
  v1::UpdatePurchasingSystemRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(system.id());
  update.set_expected_version(system.version());
  *update.mutable_spec() = SpecOf(system);
  update.mutable_spec()->mutable_rules()->set_call_off_by_ranking(true);
  update.set_reason("call-offs follow each lot's ranking at admission");
  return f.stub().UpdatePurchasingSystem(Lead().get(), update, &changed);
}

TEST_CASE("only a light-touch system calls off from its lots' ranking") {
  ServiceFixture f(At(2026, 7, 1));
  v1::PurchasingSystem changed;
  SECTION("light touch: Northamptonshire's open framework") {
    CHECK_OK(CallOffByRanking(f, dps::common::v1::REGIME_LIGHT_TOUCH, changed));
    CHECK(changed.rules().call_off_by_ranking());
  }
  SECTION("PCR 2015: every placement by competition among the members (reg. 34)") {
    const grpc::Status status = CallOffByRanking(f, dps::common::v1::REGIME_PCR2015_DPS, changed);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(status.error_message() ==
          "spec.rules.call_off_by_ranking: PCR2015_DPS awards placements by competition among "
          "the members, never from a lot's ranking (LIGHT_TOUCH only)");
  }
}

}  // namespace
}  // namespace dps::qualification::testing
