// Market intelligence end to end below the API, against a real PostgreSQL (label pg): events as
// the referral and qualification services announce them go through the market consumer's
// RecordMarketEvent into PgMarketRepository (replayed, reordered and duplicated where a stream
// may do so), IPAs are stored as the award consumer and the parties would leave them, and each
// report of MarketUseCases is checked against figures worked out by hand below. The child placed
// is named in the IPAs; no report row and no market table holds any of it.
#include <array>
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/events/outbox_migrations.h"
#include "platform/proto/proto_time.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/contracts/api/market_convert.h"
#include "services/contracts/app/document_renderer.h"
#include "services/contracts/app/market_use_cases.h"
#include "services/contracts/consumers/market_events.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/migrations.h"
#include "services/contracts/storage/pg_ipa_repository.h"
#include "services/contracts/storage/pg_market_repository.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
using platform::PgPool;
using platform::testing::TestDatabase;
using testing::Utc;

constexpr char kSystem[] = "sys-1";
constexpr char kLead[] = "la-lead";
constexpr char kWsx[] = "la-wsx";
constexpr char kBh[] = "la-bh";

// Who the placed child is: written into the IPAs, looked for everywhere market data is.
const ChildIdentity kChild{.given_names = "Jamie",
                           .family_name = "Quennell",
                           .preferred_name = "Jay",
                           .date_of_birth = absl::CivilDay(2014, 2, 9),
                           .gender = Gender::kUnspecified,
                           .case_reference = "WSCC-CASE-77123",
                           .home_postcode = "RH12 1XY",
                           .legal_status = "s.31 care order"};
const std::vector<std::string> kChildMarks = {"Jamie",     "Quennell", "2014-02-09",
                                              "WSCC-CASE", "RH12 1XY", "RH12"};

class FixedClock final : public platform::Clock {
 public:
  absl::Time Now() const override { return Utc(2027, 4, 15, 9); }
};

class Directory final : public SystemDirectory {
 public:
  absl::StatusOr<SystemFacts> System(const std::string& id) const override {
    if (id != kSystem) return absl::NotFoundError(absl::StrCat("system ", id, ": not found"));
    return SystemFacts{.id = kSystem, .lead_authority_id = kLead, .authority_ids = {kWsx, kBh}};
  }
};

class Bytes final : public DocumentRenderer {
 public:
  absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                             const IpaVersion& version) const override {
    return absl::StrCat("agreement ", ipa.id, " version ", version.number);
  }
};

Actor As(Role role, const std::string& organisation) { return {"user-1", role, organisation}; }

int event_count = 0;

ev::EventEnvelope Envelope(absl::Time at, const std::string& system = kSystem) {
  ev::EventEnvelope e;
  e.set_event_id(absl::StrCat("00000000-0000-4000-8000-", 100000000000 + ++event_count));
  e.set_system_id(system);
  *e.mutable_occurred_at() = platform::ToTimestamp(at);
  return e;
}

ev::EventEnvelope Published(const std::string& referral, const std::string& authority,
                            const std::string& district, const std::string& need,
                            std::array<int, 6> w, const std::string& system = kSystem) {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 1, 10), system);
  ev::ReferralPublished* p = e.mutable_referral_published();
  p->set_referral_id(referral);
  p->set_lot_id("lot-res");
  p->set_placing_authority_id(authority);
  p->set_postcode_district(district);
  p->add_need_codes(need);
  dps::common::v1::Weights* weights = p->mutable_weights();
  weights->set_price(w[0]);
  weights->set_outcomes(w[1]);
  weights->set_needs(w[2]);
  weights->set_features(w[3]);
  weights->set_location(w[4]);
  weights->set_core_competency(w[5]);
  return e;
}

ev::EventEnvelope Invited(const std::string& referral, const std::string& invitation) {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 1, 10));
  e.mutable_establishment_invited()->set_referral_id(referral);
  e.mutable_establishment_invited()->set_invitation_id(invitation);
  return e;
}

ev::EventEnvelope Bid(const std::string& referral, const std::string& bid, bool withdrawn,
                      absl::Time at = Utc(2027, 3, 3)) {
  ev::EventEnvelope e = Envelope(at);
  if (withdrawn) {
    e.mutable_bid_withdrawn()->set_referral_id(referral);
    e.mutable_bid_withdrawn()->set_bid_id(bid);
  } else {
    e.mutable_bid_submitted()->set_referral_id(referral);
    e.mutable_bid_submitted()->set_bid_id(bid);
  }
  return e;
}

ev::EventEnvelope Closed(const std::string& referral, absl::Time at = Utc(2027, 3, 4)) {
  ev::EventEnvelope e = Envelope(at);
  e.mutable_referral_closed()->set_referral_id(referral);
  return e;
}

ev::EventEnvelope Declined(const std::string& referral, const std::string& invitation,
                           dps::referral::v1::DeclineReason reason) {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 2));
  e.mutable_invitation_declined()->set_referral_id(referral);
  e.mutable_invitation_declined()->set_invitation_id(invitation);
  e.mutable_invitation_declined()->set_reason(reason);
  return e;
}

ev::EventEnvelope NoOffer(absl::Time at, int invited, double radius) {
  ev::EventEnvelope e = Envelope(at);
  e.mutable_referral_no_suitable_offer()->set_referral_id("r6");
  e.mutable_referral_no_suitable_offer()->set_invited(invited);
  e.mutable_referral_no_suitable_offer()->set_radius_miles(radius);
  return e;
}

ev::EventEnvelope Awarded(const std::string& referral, const std::string& establishment,
                          int64_t price) {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 8, 10));
  ev::ReferralAwarded* a = e.mutable_referral_awarded();
  a->set_referral_id(referral);
  a->set_lot_id("lot-res");
  a->set_placing_authority_id(kWsx);
  a->set_bid_id(absl::StrCat("bid-", referral));
  a->set_establishment_id(establishment);
  a->set_provider_id("acme-care");
  a->mutable_core_fee()->set_pence(price);
  a->mutable_evaluated_weekly_price()->set_pence(price);
  a->mutable_ceiling_fee()->set_pence(160000);
  *a->mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 4, 1));
  a->set_planned_duration_months(12);
  a->set_postcode_district("RH12");
  a->add_need_codes("asd");
  return e;
}

ev::EventEnvelope DirectAward() {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 9, 10));
  ev::DirectAwardMade* d = e.mutable_direct_award_made();
  d->set_direct_award_id("da-1");
  d->set_lot_id("lot-res");
  d->set_placing_authority_id(kBh);
  d->set_establishment_id("est-3");
  d->set_provider_id("bright-homes");
  d->set_price_basis(dps::common::v1::PRICE_BASIS_WEEKLY);
  d->mutable_core_fee()->set_pence(90000);
  *d->mutable_start_date() = platform::ToDate(absl::CivilDay(2027, 4, 1));
  d->set_planned_duration_months(6);
  d->set_postcode_district("BN3");
  return e;
}

ev::EventEnvelope Rating(const std::string& id, const std::string& establishment,
                         dps::qualification::v1::Rating rating, absl::CivilDay inspected) {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 25));
  ev::InspectionRatingChanged* r = e.mutable_inspection_rating_changed();
  r->set_inspection_rating_id(id);
  r->set_establishment_id(establishment);
  r->set_rating(rating);
  *r->mutable_inspected_on() = platform::ToDate(inspected);
  return e;
}

// A migrated contracts schema, the market use cases over it, and the world below.
struct World {
  TestDatabase db;
  PgPool pool{{.url = db.url(), .schema = "contracts", .size = 3}};
  PgMarketUnitOfWork market_uow{pool};
  PgIpaUnitOfWork ipa_uow{pool};
  Directory directory;
  FixedClock clock;
  MarketUseCases cases{market_uow, ipa_uow, directory, clock};

  World() {
    const absl::Status migrated = pool.WithConnection([](pqxx::connection& c) {
      const platform::MigrationSet sets[] = {{"platform", platform::OutboxMigrations()},
                                             {"contracts", ContractsMigrations()}};
      return platform::ApplyMigrations(c, "contracts", sets);
    });
    REQUIRE(migrated == absl::OkStatus());
  }

  absl::Status Record(const ev::EventEnvelope& envelope) {
    return pool.InTransaction([&](pqxx::work& tx) {
      PgMarketRepository market(tx);
      return RecordMarketEvent(envelope, market);
    });
  }

  // The IPA of an award as the parties leave it: issued and signed, then (active) started on
  // 1 April 2027. Its weekly cost is `price`; the child is named in it.
  void StoreIpa(const std::string& id, IpaSource source, const std::string& authority,
                int64_t price, bool active) {
    IpaSpec spec = testing::ValidSpec();
    spec.id = id;
    spec.system_id = kSystem;
    spec.lead_authority_id = kLead;
    spec.lot_id = "lot-res";
    spec.source = std::move(source);
    spec.parties = {authority, "acme-care", "est"};
    spec.provision_type = ProvisionType::kResidentialHome;
    spec.terms.costs.core_weekly_fee_pence = price;
    spec.terms.costs.discounts.clear();
    spec.terms.costs.additional_services.clear();
    spec.terms.notice_period_days = 28;
    absl::StatusOr<Ipa> ipa = CreateIpa(spec, testing::Service(), Utc(2027, 3, 10));
    REQUIRE(ipa.ok());
    ipa->children = {kChild};
    const Bytes bytes;
    RecordingRenderer renderer(bytes);
    if (active) {
      const Actor officer = As(Role::kPlacingOfficer, authority);
      REQUIRE(Issue(*ipa, renderer, officer, Utc(2027, 3, 11)) == absl::OkStatus());
      const std::string hash = ipa->awaiting_signatures()->document_sha256;
      REQUIRE(testing::SignAs(*ipa, officer, hash, Utc(2027, 3, 12)).ok());
      REQUIRE(
          testing::SignAs(*ipa, As(Role::kProviderUser, "acme-care"), hash, Utc(2027, 3, 12)).ok());
      REQUIRE(Activate(*ipa, Utc(2027, 4, 1, 0, 5)).ok());
    }
    REQUIRE(ipa_uow
                .Run([&](IpaTransaction& tx) {
                  return tx.ipas().Insert(*ipa, renderer.rendered()).status();
                })
                .ok());
  }

  // Six referrals of sys-1 (r1-r5 West Sussex's in RH, r6 Brighton's in BN) and one of another
  // system; r1-r5 awarded, r6 without a suitable offer after a reopened round; a direct award
  // for Brighton; ratings of the establishments.
  void Build() {
    using dps::referral::v1::DECLINE_REASON_LOCATION;
    using dps::referral::v1::DECLINE_REASON_NO_CAPACITY;
    using dps::referral::v1::DECLINE_REASON_PRICE;
    const std::array<int, 6> a = {40, 20, 20, 10, 5, 5};
    const std::array<int, 6> b = {30, 30, 20, 10, 5, 5};
    std::vector<ev::EventEnvelope> events = {
        Published("r1", kWsx, "RH12", "asd", a),         Published("r2", kWsx, "RH12", "asd", a),
        Published("r3", kWsx, "RH12", "asd", a),         Published("r4", kWsx, "RH13", "asd", b),
        Published("r5", kWsx, "RH13", "asd", b),         Published("r6", kBh, "BN1", "semh", b),
        Published("rx", kWsx, "RH12", "asd", a, "sys-2")};
    for (const char* id : {"inv-1a", "inv-1b", "inv-1c"}) events.push_back(Invited("r1", id));
    events.push_back(Invited("r1", "inv-1a"));  // the same invitation announced twice
    for (const char* r : {"r2", "r3", "r4", "r5"}) {
      events.push_back(Invited(r, absl::StrCat("inv-", r)));
      events.push_back(Bid(r, absl::StrCat("bid-", r), false));
    }
    events.push_back(Invited("r6", "inv-6a"));
    events.push_back(Invited("r6", "inv-6b"));
    events.push_back(Bid("r1", "bid-r1", false));
    events.push_back(Bid("r1", "bid-1b", true));  // the withdrawal delivered before the bid
    events.push_back(Bid("r1", "bid-1b", false));
    for (const char* r : {"r1", "r2", "r3", "r4", "r5", "r6"}) events.push_back(Closed(r));
    events.push_back(Declined("r1", "inv-1c", DECLINE_REASON_NO_CAPACITY));
    events.push_back(Declined("r6", "inv-6a", DECLINE_REASON_PRICE));
    events.push_back(Declined("r6", "inv-6b", DECLINE_REASON_LOCATION));
    const ev::EventEnvelope first_no_offer = NoOffer(Utc(2027, 3, 5), 0, 20);
    events.push_back(first_no_offer);
    ev::EventEnvelope reopened = Envelope(Utc(2027, 3, 6));
    reopened.mutable_referral_reopened()->set_referral_id("r6");
    reopened.mutable_referral_reopened()->set_round(2);
    events.push_back(reopened);
    events.push_back(NoOffer(Utc(2027, 3, 10), 2, 30));
    events.push_back(first_no_offer);  // an older outcome redelivered late changes nothing
    const int64_t prices[] = {100000, 110000, 120000, 130000, 150000};
    for (int i = 0; i < 5; ++i) {
      events.push_back(Awarded(absl::StrCat("r", i + 1), i < 3 ? "est-1" : "est-2", prices[i]));
    }
    events.push_back(Awarded("r1", "est-1", 100000));  // a replayed award
    events.push_back(DirectAward());
    using dps::qualification::v1::RATING_GOOD;
    using dps::qualification::v1::RATING_INADEQUATE;
    using dps::qualification::v1::RATING_REQUIRES_IMPROVEMENT;
    events.push_back(Rating("rat-1", "est-1", RATING_GOOD, absl::CivilDay(2026, 11, 1)));
    // Inspected after the awards: the awards keep the rating in force when they were made.
    events.push_back(Rating("rat-2", "est-1", RATING_INADEQUATE, absl::CivilDay(2027, 3, 20)));
    events.push_back(
        Rating("rat-3", "est-2", RATING_REQUIRES_IMPROVEMENT, absl::CivilDay(2026, 10, 1)));
    for (const ev::EventEnvelope& e : events) REQUIRE(Record(e) == absl::OkStatus());

    for (int i = 0; i < 5; ++i) {
      const std::string r = absl::StrCat("r", i + 1);
      StoreIpa(absl::StrCat("ipa-", r), {SourceKind::kAward, r, absl::StrCat("bid-", r)}, kWsx,
               prices[i], /*active=*/i < 4);
    }
    StoreIpa("ipa-da-1", {.kind = SourceKind::kDirectAward, .direct_award_id = "da-1"}, kBh, 90000,
             true);
  }

  int Count(const std::string& sql) {
    int n = -1;
    const absl::Status read = pool.WithConnection([&](pqxx::connection& c) {
      n = pqxx::nontransaction(c).exec1(sql)[0].as<int>();
      return absl::OkStatus();
    });
    REQUIRE(read.ok());
    return n;
  }
};

const Actor kLeadAdmin = As(Role::kLeadAuthorityAdmin, kLead);

MarketQuery Query(MarketDimensions group_by = {}) {
  return {.system_id = kSystem, .filter = {}, .group_by = std::move(group_by)};
}

TEST_CASE("cost benchmarks of the hand-computed world") {
  World w;
  w.Build();
  absl::StatusOr<std::vector<CostBenchmarkRow>> rows = w.cases.CostBenchmarks(Query(), kLeadAdmin);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  const CostBenchmarkRow& all = (*rows)[0];
  // Weekly prices 90000 (the direct award), 100000, 110000, 120000, 130000, 150000.
  CHECK(all.placements == 6);
  CHECK_FALSE(all.suppressed);
  CHECK(*all.lower_quartile_weekly_pence == 102500);  // rank 1.25
  CHECK(*all.median_weekly_pence == 115000);          // rank 2.5
  CHECK(*all.upper_quartile_weekly_pence == 127500);  // rank 3.75
  CHECK(*all.mean_weekly_pence == 116667);            // 700000 / 6
  CHECK(*all.mean_ceiling_weekly_pence == 160000);    // the five competed awards'

  rows = w.cases.CostBenchmarks(Query({MarketDimension::kRegion, MarketDimension::kProvisionType}),
                                kLeadAdmin);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].key.region == "BN");
  CHECK((*rows)[0].suppressed);
  CHECK_FALSE((*rows)[0].mean_weekly_pence);
  CHECK((*rows)[1].key.region == "RH");
  CHECK((*rows)[1].key.provision_type == ProvisionType::kResidentialHome);
  CHECK(*(*rows)[1].median_weekly_pence == 120000);
  CHECK(*(*rows)[1].mean_weekly_pence == 122000);  // 610000 / 5
}

TEST_CASE("competition, unmet demand and weights of the hand-computed world") {
  World w;
  w.Build();
  absl::StatusOr<std::vector<CompetitionRow>> competition =
      w.cases.CompetitionMetrics(Query(), kLeadAdmin);
  REQUIRE(competition.ok());
  REQUIRE(competition->size() == 1);
  const CompetitionRow& c = (*competition)[0];
  CHECK(c.referrals_published == 6);  // sys-2's is not this system's
  CHECK(c.invitations == 9);          // r1 3 (one announced twice), r2-r5 1 each, r6 2
  CHECK(c.bids == 5);                 // r1's withdrawn bid does not count
  CHECK(c.bids_per_referral == Approx(5.0 / 6));
  CHECK(c.declines == std::map<std::string, int>{{"DECLINE_REASON_LOCATION", 1},
                                                 {"DECLINE_REASON_NO_CAPACITY", 1},
                                                 {"DECLINE_REASON_PRICE", 1}});
  CHECK(c.awarded == 5);
  CHECK(c.no_suitable_offer == 1);
  CHECK(c.no_offer_rate == Approx(1.0 / 6));
  CHECK(c.reopened == 1);
  CHECK(c.median_days_referral_to_placement == Approx(31));  // 1 March to 1 April, r1-r4
  CHECK(c.direct_awards == 1);
  CHECK(c.block_call_offs == 0);

  // A bid of a round not closed yet is sealed: no count says it is there until the close.
  REQUIRE(w.Record(Bid("r5", "bid-late", false, Utc(2027, 3, 20))).ok());
  CHECK((*w.cases.CompetitionMetrics(Query(), kLeadAdmin))[0].bids == 5);
  REQUIRE(w.Record(Closed("r5", Utc(2027, 3, 21))).ok());
  CHECK((*w.cases.CompetitionMetrics(Query(), kLeadAdmin))[0].bids == 6);

  absl::StatusOr<std::vector<UnmetDemandRow>> unmet =
      w.cases.UnmetDemand(Query({MarketDimension::kRegion, MarketDimension::kNeed}), kLeadAdmin);
  REQUIRE(unmet.ok());
  REQUIRE(unmet->size() == 2);
  const UnmetDemandRow& bn = (*unmet)[0];
  CHECK(bn.key.region == "BN");
  CHECK(bn.key.need_code == "semh");
  CHECK(bn.referrals == 1);
  CHECK(bn.no_suitable_offer == 1);
  CHECK(bn.with_no_invitee == 0);  // the last round invited two
  CHECK(bn.mean_final_radius_miles == Approx(30));
  CHECK(bn.declines.size() == 2);
  CHECK((*unmet)[1].key.region == "RH");
  CHECK((*unmet)[1].no_suitable_offer == 0);

  absl::StatusOr<std::vector<WeightProfileRow>> weights =
      w.cases.WeightProfiles(Query(), kLeadAdmin);
  REQUIRE(weights.ok());
  REQUIRE(weights->size() == 1);
  CHECK((*weights)[0].referrals == 6);
  CHECK((*weights)[0].mean_price == Approx(35));                            // (3 x 40 + 3 x 30) / 6
  CHECK((*weights)[0].most_common == MarketWeights{30, 30, 20, 10, 5, 5});  // 3 each: smaller
}

TEST_CASE("placement quality and off-system placements") {
  World w;
  w.Build();
  const DateRange q1{absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 3, 31)};
  const MarketCaller commissioner{.actor = As(Role::kCommissioner, kWsx)};
  absl::StatusOr<int> recorded = w.cases.ReportOffSystemPlacements(
      kSystem, "", {{"lot-res", "", q1, 4, 300000}}, commissioner);
  REQUIRE(recorded.ok());
  CHECK(*recorded == 1);
  // The same lot and period again replaces the count.
  recorded =
      w.cases.ReportOffSystemPlacements(kSystem, kWsx, {{"lot-res", "", q1, 3, {}}}, commissioner);
  REQUIRE(recorded.ok());
  CHECK(w.Count("SELECT placements FROM market_off_system") == 3);

  absl::StatusOr<std::vector<PlacementQualityRow>> rows =
      w.cases.PlacementQuality(Query(), kLeadAdmin);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].placements_on_system == 6);
  CHECK((*rows)[0].placements_off_system == 3);
  CHECK((*rows)[0].share_on_system == Approx(6.0 / 9));
  // est-1's three awards were made under Good; est-2's under Requires improvement; est-3 has
  // no rating.
  CHECK((*rows)[0].placements_good_or_outstanding == 3);
  CHECK((*rows)[0].share_good_or_outstanding == Approx(0.5));
}

TEST_CASE("spend and savings per authority, today 15 April 2027") {
  World w;
  w.Build();
  absl::StatusOr<std::vector<SpendRow>> rows =
      w.cases.SpendAndSavings(Query({MarketDimension::kAuthority}), kLeadAdmin);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].key.authority_id == kBh);
  CHECK((*rows)[0].suppressed);  // one placement
  CHECK_FALSE((*rows)[0].spend_in_period_pence);
  const SpendRow& wsx = (*rows)[1];
  CHECK(wsx.placements == 5);
  CHECK(wsx.active_placements == 4);
  CHECK(*wsx.committed_weekly_pence == 460000);  // 100000 + 110000 + 120000 + 130000
  // 1 to 15 April, 15 days each: 214286 + 235714 + 257143 + 278571 (each rounded once).
  CHECK(*wsx.spend_in_period_pence == 985714);
  CHECK(*wsx.savings_against_ceiling_weekly_pence == 190000);  // 160000 x 5 - 610000
  // (60000 + 50000 + 40000 + 30000) x 15 / 7 = 385714.29; r5 has not started.
  CHECK(*wsx.savings_against_ceiling_in_period_pence == 385714);
  CHECK(*wsx.uplifts_approved_weekly_pence == 0);

  MarketQuery april = Query();
  april.filter.period = DateRange{absl::CivilDay(2027, 4, 10), absl::CivilDay(2027, 4, 30)};
  rows = w.cases.SpendAndSavings(april, As(Role::kCommissioner, kWsx));
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  // 10 to 15 April (today): spend to the 15th less spend to the 9th, each rounded as the IPA
  // rounds it: (214286 - 128571) + (235714 - 141429) + (257143 - 154286) + (278571 - 167143).
  CHECK(*(*rows)[0].spend_in_period_pence == 394285);
}

ev::EventEnvelope BlockCreated() {
  ev::EventEnvelope e = Envelope(Utc(2027, 2, 20, 10));
  ev::BlockContractCreated* b = e.mutable_block_contract_created();
  b->set_block_contract_id("block-w");
  b->set_lot_id("lot-res");
  b->set_placing_authority_id(kWsx);
  b->set_establishment_id("est-1");
  b->set_provider_id("acme-care");
  b->set_places(2);
  b->mutable_weekly_fee_per_place()->set_pence(80000);
  *b->mutable_period()->mutable_start() = platform::ToDate(absl::CivilDay(2027, 3, 1));
  *b->mutable_period()->mutable_end() = platform::ToDate(absl::CivilDay(2027, 12, 31));
  return e;
}

ev::EventEnvelope CalledOff(const std::string& id, absl::CivilDay start) {
  ev::EventEnvelope e = Envelope(Utc(2027, 3, 1, 10));
  ev::BlockCallOffMade* c = e.mutable_block_call_off_made();
  c->set_call_off_id(id);
  c->set_block_contract_id("block-w");
  c->set_lot_id("lot-res");
  c->set_placing_authority_id(kWsx);
  c->set_establishment_id("est-1");
  c->set_provider_id("acme-care");
  c->mutable_weekly_fee_per_place()->set_pence(80000);
  c->set_children(1);
  *c->mutable_start_date() = platform::ToDate(start);
  *c->mutable_planned_end_date() = platform::ToDate(absl::CivilDay(2027, 6, 30));
  c->set_postcode_district("RH12");
  return e;
}

TEST_CASE("block void cost from the block events, today 15 April 2027") {
  World w;
  w.Build();
  // West Sussex reserves 2 places at 80,000 a place-week from 1 March 2027 and ends the block on
  // 10 April. c1 fills one place 8 to 20 March, c2 one from 1 April. Delivered out of order and
  // twice: the block's ending before its creation, c1's ending before its call-off.
  ev::EventEnvelope ended = Envelope(Utc(2027, 4, 10, 10));
  ended.mutable_block_contract_ended()->set_block_contract_id("block-w");
  ended.mutable_block_contract_ended()->set_placing_authority_id(kWsx);
  *ended.mutable_block_contract_ended()->mutable_last_day() =
      platform::ToDate(absl::CivilDay(2027, 4, 10));
  ev::EventEnvelope c1_ended = Envelope(Utc(2027, 3, 20, 10));
  c1_ended.mutable_block_call_off_ended()->set_call_off_id("c1");
  c1_ended.mutable_block_call_off_ended()->set_block_contract_id("block-w");
  *c1_ended.mutable_block_call_off_ended()->mutable_ended_on() =
      platform::ToDate(absl::CivilDay(2027, 3, 20));
  for (const ev::EventEnvelope& e :
       {ended, BlockCreated(), c1_ended, CalledOff("c1", absl::CivilDay(2027, 3, 8)),
        CalledOff("c2", absl::CivilDay(2027, 4, 1)), BlockCreated(), c1_ended}) {
    REQUIRE(w.Record(e) == absl::OkStatus());
  }
  // A block without places is refused, naming the field.
  ev::EventEnvelope empty = BlockCreated();
  empty.mutable_block_contract_created()->set_places(0);
  CHECK(w.Record(empty).message() == "places: must be 1 to 1000, got 0");

  absl::StatusOr<std::vector<SpendRow>> rows =
      w.cases.SpendAndSavings(Query({MarketDimension::kAuthority}), kLeadAdmin);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK_FALSE((*rows)[0].block_void_cost_in_period_pence);  // Brighton's: withheld, no block
  const SpendRow& wsx = (*rows)[1];
  CHECK(wsx.placements == 7);  // five awards and the two call-offs
  // No period: the block's first day to today, within its days: 1 March to 10 April, 41 days x 2
  // places = 82 place-days; filled 13 (c1, 8-20 March) + 10 (c2, 1-10 April) = 23; void 59.
  // 59 x 80,000 / 7 = 674,285.71 -> 674,286.
  CHECK(*wsx.block_void_cost_in_period_pence == 674286);

  MarketQuery april = Query();
  april.filter.period = DateRange{absl::CivilDay(2027, 4, 10), absl::CivilDay(2027, 4, 30)};
  rows = w.cases.SpendAndSavings(april, As(Role::kCommissioner, kWsx));
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  // 10 April alone is a day of the block: 2 reserved, 1 filled; 80,000 / 7 = 11,428.57.
  CHECK(*(*rows)[0].block_void_cost_in_period_pence == 11429);
}

TEST_CASE("who may read market intelligence") {
  World w;
  w.Build();
  // A commissioner and a placing officer see their own authority's figures only.
  for (Role role : {Role::kCommissioner, Role::kPlacingOfficer}) {
    absl::StatusOr<std::vector<CostBenchmarkRow>> own =
        w.cases.CostBenchmarks(Query(), As(role, kWsx));
    REQUIRE(own.ok());
    REQUIRE(own->size() == 1);
    CHECK((*own)[0].placements == 5);
  }
  MarketQuery other = Query();
  other.filter.authority_ids = {kBh};
  CHECK(w.cases.CostBenchmarks(other, As(Role::kCommissioner, kWsx)).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.cases.CostBenchmarks(Query(), As(Role::kCommissioner, "la-elsewhere")).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.cases.CostBenchmarks(Query(), As(Role::kProviderUser, "acme-care")).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.cases.UnmetDemand(Query(), As(Role::kEvaluator, kLead)).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.cases.WeightProfiles(Query(), As(Role::kLeadAuthorityAdmin, kWsx)).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.cases.SpendAndSavings(Query(), As(Role::kAuditor, kLead)).ok());
  CHECK(w.cases.CompetitionMetrics(Query(), testing::Service()).ok());
  MarketQuery unknown = Query();
  unknown.system_id = "sys-9";
  CHECK(w.cases.PlacementQuality(unknown, kLeadAdmin).status().code() ==
        absl::StatusCode::kNotFound);
  unknown.system_id = "";
  const absl::Status missing = w.cases.CostBenchmarks(unknown, kLeadAdmin).status();
  CHECK(missing.code() == absl::StatusCode::kInvalidArgument);
  CHECK(missing.message() == "scope.system_id: required");
}

TEST_CASE("off-system reports: who, what, and once per idempotency key") {
  World w;
  const DateRange q1{absl::CivilDay(2027, 1, 1), absl::CivilDay(2027, 3, 31)};
  const std::vector<OffSystemFact> counts = {{"lot-res", "", q1, 2, {}}};
  auto code = [&](const MarketCaller& caller, const std::string& system = kSystem,
                  const std::string& authority = "") {
    return w.cases.ReportOffSystemPlacements(system, authority, counts, caller).status().code();
  };
  CHECK(code({.actor = As(Role::kPlacingOfficer, kWsx)}) == absl::StatusCode::kPermissionDenied);
  CHECK(code({.actor = kLeadAdmin}) == absl::StatusCode::kPermissionDenied);
  CHECK(code({.actor = As(Role::kCommissioner, kWsx)}, kSystem, kBh) ==
        absl::StatusCode::kPermissionDenied);
  CHECK(code({.actor = As(Role::kCommissioner, "la-elsewhere")}) ==
        absl::StatusCode::kPermissionDenied);
  CHECK(code({.actor = As(Role::kCommissioner, kWsx)}, "") == absl::StatusCode::kInvalidArgument);
  CHECK(code({.actor = As(Role::kCommissioner, kWsx)}, "sys-9") == absl::StatusCode::kNotFound);
  const absl::Status bad = w.cases
                               .ReportOffSystemPlacements(kSystem, "", {{"", "", q1, 2, {}}},
                                                          {.actor = As(Role::kCommissioner, kWsx)})
                               .status();
  CHECK(bad.message() == "counts[0].lot_id: required");
  CHECK(w.Count("SELECT count(*) FROM market_off_system") == 0);

  // The API's hook keeps the answer with the counts; a second first request with the same key
  // loses the race for it, and its counts roll back with it.
  auto keeping = [](int placements_seen) {
    return MarketCaller{.actor = As(Role::kCommissioner, kWsx),
                        .on_saved = [=](MarketRepository& market) {
                          return market.RecordResponse({.scope = "la-wsx/ReportOffSystemPlacements",
                                                        .key = "key-1",
                                                        .request_digest = "digest",
                                                        .response = absl::StrCat(placements_seen)});
                        }};
  };
  REQUIRE(w.cases.ReportOffSystemPlacements(kSystem, "", counts, keeping(2)).ok());
  const std::vector<OffSystemFact> more = {{"lot-res", "", q1, 7, {}}};
  CHECK(w.cases.ReportOffSystemPlacements(kSystem, "", more, keeping(7)).status().code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(w.Count("SELECT placements FROM market_off_system") == 2);
}

TEST_CASE("events the market cannot record are refused naming the field") {
  World w;
  ev::EventEnvelope no_time = Published("r1", kWsx, "RH12", "asd", {100, 0, 0, 0, 0, 0});
  no_time.clear_occurred_at();
  CHECK(w.Record(no_time).message() == "occurred_at: required");
  ev::EventEnvelope no_day =
      Rating("rat-1", "est-1", dps::qualification::v1::RATING_GOOD, absl::CivilDay(2026, 1, 1));
  no_day.mutable_inspection_rating_changed()->clear_inspected_on();
  CHECK(w.Record(no_day).message() == "inspected_on: required");
  ev::EventEnvelope no_duration = Awarded("r1", "est-1", 100000);
  no_duration.mutable_referral_awarded()->set_planned_duration_months(0);
  CHECK(w.Record(no_duration).code() == absl::StatusCode::kInvalidArgument);
  ev::EventEnvelope negative = Awarded("r1", "est-1", 100000);
  negative.mutable_referral_awarded()->mutable_evaluated_weekly_price()->set_pence(-1);
  CHECK(w.Record(negative).message() == "evaluated_weekly_price: must not be negative");
  // Events market intelligence has no use for, and an empty envelope, record nothing.
  ev::EventEnvelope evaluated = Envelope(Utc(2027, 3, 4));
  evaluated.mutable_referral_evaluated()->set_referral_id("r1");
  CHECK(w.Record(evaluated).ok());
  CHECK(w.Record(ev::EventEnvelope()).ok());
  CHECK(w.Count("SELECT count(*) FROM market_placements") == 0);
  CHECK(w.Count("SELECT count(*) FROM market_referral_outcomes") == 0);
}

// Each row of a report as the API answers it.
template <typename Rows, typename Response>
void AddAll(const absl::StatusOr<Rows>& rows, Response& out) {
  REQUIRE(rows.ok());
  for (const auto& row : *rows) MarketRowToProto(row, out.add_rows());
}

// What the done-when of issue #12 asks: the child's identity is in no market intelligence row.
TEST_CASE("the child's identity is absent from every report row and market table") {
  World w;
  w.Build();
  REQUIRE(w.Count("SELECT count(*) FROM ipas WHERE doc::text LIKE '%Quennell%'") == 6);
  std::string all;
  for (const MarketDimensions& by :
       {MarketDimensions{},
        MarketDimensions{MarketDimension::kLot, MarketDimension::kRegion, MarketDimension::kNeed,
                         MarketDimension::kAuthority, MarketDimension::kProvisionType,
                         MarketDimension::kQuarter}}) {
    const MarketQuery q = Query(by);
    mv1::GetCostBenchmarksResponse cost;
    AddAll(w.cases.CostBenchmarks(q, kLeadAdmin), cost);
    mv1::GetCompetitionMetricsResponse competition;
    AddAll(w.cases.CompetitionMetrics(q, kLeadAdmin), competition);
    mv1::GetUnmetDemandResponse unmet;
    AddAll(w.cases.UnmetDemand(q, kLeadAdmin), unmet);
    mv1::GetPlacementQualityResponse quality;
    AddAll(w.cases.PlacementQuality(q, kLeadAdmin), quality);
    mv1::GetSpendAndSavingsResponse spend;
    AddAll(w.cases.SpendAndSavings(q, kLeadAdmin), spend);
    mv1::GetWeightProfilesResponse weights;
    AddAll(w.cases.WeightProfiles(q, kLeadAdmin), weights);
    CHECK(cost.rows_size() > 0);
    CHECK(spend.rows_size() > 0);
    absl::StrAppend(&all, cost.DebugString(), competition.DebugString(), unmet.DebugString(),
                    quality.DebugString(), spend.DebugString(), weights.DebugString());
  }
  CHECK(all.find("region: \"RH\"") != std::string::npos);  // the rows are there to look in
  for (const std::string& mark : kChildMarks) {
    INFO(mark);
    CHECK(all.find(mark) == std::string::npos);
    for (const char* table : {"market_referrals", "market_referral_outcomes", "market_invitations",
                              "market_bids", "market_declines", "market_reopens",
                              "market_placements", "market_ratings", "market_off_system"}) {
      INFO(table);
      CHECK(w.Count(absl::StrCat("SELECT count(*) FROM ", table, " t WHERE t::text LIKE '%", mark,
                                 "%'")) == 0);
    }
  }
}

}  // namespace
}  // namespace dps::contracts
