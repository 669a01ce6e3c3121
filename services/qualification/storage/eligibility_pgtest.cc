// The eligibility query against a real PostgreSQL with PostGIS (label pg).
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/pg/migrations.h"
#include "platform/pg/pool.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_env.h"
#include "services/qualification/storage/eligibility_repository.h"
#include "services/qualification/storage/migrations.h"
#include "services/qualification/storage/register_loader.h"
#include "services/qualification/storage/sql.h"
#include "services/qualification/storage/test_register.h"
#include "services/qualification/tools/establishment_generator.h"

namespace dps::qualification {
namespace {

using tools::Establishment;
using tools::EstablishmentType;

// The brute force the database must equal: haversine with R = 3958.8 miles, written as the
// scoring engine writes it (services/scoring/domain/geo.cc), from the child to the establishment.
double HaversineMiles(double lat_from, double lon_from, double lat_to, double lon_to) {
  constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
  constexpr double kEarthRadiusMiles = 3958.8;
  const double lat1 = lat_from * kRadiansPerDegree;
  const double lat2 = lat_to * kRadiansPerDegree;
  const double sin_half_dlat = std::sin((lat2 - lat1) / 2);
  const double sin_half_dlon = std::sin((lon_to - lon_from) * kRadiansPerDegree / 2);
  const double a = sin_half_dlat * sin_half_dlat +
                   std::cos(lat1) * std::cos(lat2) * sin_half_dlon * sin_half_dlon;
  return 2 * kEarthRadiusMiles * std::asin(std::sqrt(std::min(1.0, a)));
}

// A migrated register in a fresh database.
struct Register : testing::TestRegister {
  void Load(const std::vector<Establishment>& establishments) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
      return LoadGeneratedRegister(tx, establishments, {});
    }) == absl::OkStatus());
    REQUIRE(pool.WithConnection([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec0("ANALYZE");
      return absl::OkStatus();
    }) == absl::OkStatus());
  }

  void Exec(const std::string& sql) {
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
      tx.exec0(sql);
      return absl::OkStatus();
    }) == absl::OkStatus());
  }

  absl::StatusOr<std::vector<EligibleEstablishment>> Find(const EligibilityQuery& q) {
    absl::StatusOr<std::vector<EligibleEstablishment>> out;
    const absl::Status s = pool.InTransaction([&](pqxx::work& tx) {
      out = FindEligible(tx, q);
      return absl::OkStatus();
    });
    REQUIRE(s == absl::OkStatus());
    return out;
  }

  std::vector<std::string> FindIds(const EligibilityQuery& q) {
    absl::StatusOr<std::vector<EligibleEstablishment>> found = Find(q);
    REQUIRE(found.status() == absl::OkStatus());
    std::vector<std::string> ids;
    for (const EligibleEstablishment& e : *found) ids.push_back(e.establishment_id);
    return ids;
  }

  absl::StatusOr<EligibilityPage> Page(const EligibilityQuery& q) {
    absl::StatusOr<EligibilityPage> out;
    const absl::Status s = pool.InTransaction([&](pqxx::work& tx) {
      out = FindEligiblePage(tx, q);
      return absl::OkStatus();
    });
    REQUIRE(s == absl::OkStatus());
    return out;
  }

  int64_t Count(const std::string& sql) {
    int64_t n = 0;
    REQUIRE(pool.InTransaction([&](pqxx::work& tx) {
      n = tx.exec1(sql)[0].as<int64_t>();
      return absl::OkStatus();
    }) == absl::OkStatus());
    return n;
  }

  // The rows of invitable_members that differ from what the source tables say they should be
  // (either way): zero when the triggers have kept it.
  int64_t InvitableDrift() {
    return Count(R"sql(
      WITH expected AS (
        SELECT m.id, m.lot_id, e.id, e.provider_id, e.name, e.type, e.latitude, e.longitude,
               e.min_age, e.max_age, e.genders, e.specialisms, m.ceiling_fee_pence,
               (SELECT ms.score::float8 FROM membership_scores ms WHERE ms.membership_id = m.id
                 ORDER BY ms.effective_at DESC LIMIT 1),
               (SELECT max(ms.effective_at) FROM membership_scores ms
                 WHERE ms.membership_id = m.id)
          FROM memberships m JOIN establishments e ON e.id = m.establishment_id
         WHERE m.state = 'QUALIFIED'),
      actual AS (
        SELECT im.membership_id, im.lot_id, im.establishment_id, im.provider_id, im.name,
               im.type, im.latitude, im.longitude, im.min_age, im.max_age, im.genders,
               im.specialisms, im.ceiling_fee_pence, im.score, im.score_effective_at
          FROM invitable_members im
          JOIN invitable_lots l ON l.lot_key = im.lot_key AND l.lot_id = im.lot_id)
      SELECT count(*) FROM ((SELECT * FROM expected EXCEPT ALL SELECT * FROM actual)
                            UNION ALL
                            (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected)) drift)sql");
  }

  absl::StatusOr<std::vector<IneligibilityReason>> Why(const EligibilityQuery& q,
                                                       const std::string& id) {
    absl::StatusOr<std::vector<IneligibilityReason>> out;
    const absl::Status s = pool.InTransaction([&](pqxx::work& tx) {
      out = WhyNotEligible(tx, q, id);
      return absl::OkStatus();
    });
    REQUIRE(s == absl::OkStatus());
    return out;
  }
};

const tools::GeneratorInput& Input() {
  static const tools::GeneratorInput* input = [] {
    absl::StatusOr<tools::GeneratorInput> loaded = tools::LoadGeneratorInput(DPS_DATA_DIR);
    if (!loaded.ok()) throw std::runtime_error(loaded.status().ToString());
    return new tools::GeneratorInput(*std::move(loaded));
  }();
  return *input;
}

// --- A small hand-made register around a child in central London --------------------------

constexpr double kChildLat = 51.5;
constexpr double kChildLon = -0.12;

Establishment Home(const std::string& id, double dlat) {
  Establishment e;
  e.establishment_id = id;
  e.provider_id = "PRV-1";
  e.name = "Home " + id;
  e.type = EstablishmentType::kChildrensHome;
  e.inspectorate = "Ofsted";
  e.urn = "9000001";
  e.local_authority = "Camden";
  e.postcode_district = "NW1";
  e.latitude = kChildLat + dlat;  // 0.01 degree of latitude is 0.69 miles
  e.longitude = kChildLon;
  e.min_age = 8;
  e.max_age = 17;
  e.genders = "mixed";
  e.capacity = 4;
  e.specialisms = {"autism", "trauma-informed"};
  e.ceiling_fee_pence = 500000;
  e.qualification_score = 70;
  return e;
}

// Every establishment but the first is ineligible for BaseQuery() for one reason only.
std::vector<Establishment> HandMade() {
  std::vector<Establishment> v;
  v.push_back(Home("EST-A-ok", 0.01));
  v.push_back(Home("EST-B-suspended", 0.02));
  v.push_back(Home("EST-C-excluded", 0.03));
  Establishment ifa = Home("EST-D-other-lot", 0.04);
  ifa.type = EstablishmentType::kIndependentFosteringAgency;
  v.push_back(ifa);
  v.push_back(Home("EST-E-far", 0.5));  // ~34.5 miles
  Establishment older = Home("EST-F-ages-14-17", 0.05);
  older.min_age = 14;
  v.push_back(older);
  Establishment girls = Home("EST-G-female", 0.06);
  girls.genders = "female";
  v.push_back(girls);
  Establishment breaks = Home("EST-H-short-breaks", 0.07);
  breaks.type = EstablishmentType::kShortBreaks;
  v.push_back(breaks);
  Establishment dear = Home("EST-I-dear", 0.08);
  dear.ceiling_fee_pence = 900000;
  v.push_back(dear);
  Establishment narrow = Home("EST-J-autism-only", 0.09);
  narrow.specialisms = {"autism"};
  v.push_back(narrow);
  return v;
}

EligibilityQuery BaseQuery() {
  return {.lot_id = kResidentialLot,
          .latitude = kChildLat,
          .longitude = kChildLon,
          .radius_miles = 20,
          .child_age = 10,
          .child_gender = "male"};
}

void LoadHandMade(Register& r) {
  r.Load(HandMade());
  // The loader spreads states by position; set them here so each row fails one rule only.
  r.Exec("UPDATE memberships SET state = 'QUALIFIED', state_reason = ''");
  r.Exec(
      "UPDATE memberships SET state = 'SUSPENDED', state_reason = 'Ofsted rating Inadequate', "
      "state_since = '2025-06-01T00:00:00Z' WHERE establishment_id = 'EST-B-suspended'");
  r.Exec(
      "UPDATE memberships SET state = 'EXCLUDED', state_reason = 'mandatory exclusion', "
      "state_since = '2025-07-01T00:00:00Z' WHERE establishment_id = 'EST-C-excluded'");
}

TEST_CASE("only qualified members of the lot within the radius matching the child are eligible") {
  Register r;
  LoadHandMade(r);
  EligibilityQuery q = BaseQuery();
  // Nearest first; short breaks are in the residential lot too.
  CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok", "EST-H-short-breaks", "EST-I-dear",
                                                 "EST-J-autism-only"});

  SECTION("the radius") {
    q.radius_miles = 40;
    CHECK(r.FindIds(q).back() == "EST-E-far");
    q.radius_miles = 1;
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok"});
  }
  SECTION("age") {
    q.child_age = 15;
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok", "EST-F-ages-14-17",
                                                   "EST-H-short-breaks", "EST-I-dear",
                                                   "EST-J-autism-only"});
    q.child_age = 18;
    CHECK(r.FindIds(q).empty());
  }
  SECTION("gender") {
    q.child_gender = "female";
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok", "EST-G-female", "EST-H-short-breaks",
                                                   "EST-I-dear", "EST-J-autism-only"});
    q.child_gender = "other";
    CHECK(r.FindIds(q).size() == 4);
  }
  SECTION("placement type") {
    q.provision_type = "short_breaks";
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-H-short-breaks"});
  }
  SECTION("every required specialism must be offered") {
    q.required_specialisms = {"autism"};
    CHECK(r.FindIds(q).size() == 4);
    q.required_specialisms = {"autism", "trauma-informed"};
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok", "EST-H-short-breaks", "EST-I-dear"});
    q.required_specialisms = {"autism", "cse-risk"};
    CHECK(r.FindIds(q).empty());
  }
  SECTION("a specialism is matched by the code rule every lot and establishment is held to") {
    // The SEND acronyms are written in capitals; the query once refused every capital letter.
    r.Exec(
        "UPDATE establishments SET specialisms = '{autism,PMLD}' WHERE id = 'EST-J-autism-only'");
    q.required_specialisms = {"PMLD"};
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-J-autism-only"});
    absl::StatusOr<std::vector<IneligibilityReason>> why = r.Why(q, "EST-A-ok");
    REQUIRE(why.ok());
    REQUIRE(why->size() == 1);
    CHECK(why->front().detail == "does not offer PMLD");
    // Codes are identifiers, compared as written.
    q.required_specialisms = {"pmld"};
    CHECK(r.FindIds(q).empty());
  }
  SECTION("maximum ceiling") {
    q.max_ceiling_pence = 500000;
    CHECK(r.FindIds(q) ==
          std::vector<std::string>{"EST-A-ok", "EST-H-short-breaks", "EST-J-autism-only"});
    q.max_ceiling_pence = 499999;
    CHECK(r.FindIds(q).empty());
  }
  SECTION("other lots") {
    q.lot_id = kFosteringLot;
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-D-other-lot"});
    q.lot_id = kSenLot;
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-H-short-breaks"});
    q.lot_id = "LOT-NONE";
    CHECK(r.FindIds(q).empty());
  }
  SECTION("limit keeps the nearest") {
    q.limit = 2;
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok", "EST-H-short-breaks"});
  }
  SECTION("suspended and excluded members come back once qualified") {
    r.Exec("UPDATE memberships SET state = 'QUALIFIED'");
    CHECK(r.FindIds(q).size() == 6);
  }
}

TEST_CASE("a result carries distance, fee, membership and the score in force at as_of") {
  Register r;
  LoadHandMade(r);
  const std::string membership = LoadedMembershipId(kResidentialLot, "EST-A-ok");
  r.Exec("DELETE FROM membership_scores WHERE membership_id = '" + membership + "'");
  r.Exec(
      "INSERT INTO membership_scores (membership_id, effective_at, score, reason, actor) "
      "VALUES ('" +
      membership +
      "', '2025-01-01T00:00:00Z', 70, 'qualification', 't'), "
      "('" +
      membership + "', '2025-07-01T00:00:00Z', 75.5, 'review', 't')");
  EligibilityQuery q = BaseQuery();
  q.radius_miles = 1;
  const auto at = [&](const char* instant) {
    absl::Time t;
    std::string error;
    REQUIRE(absl::ParseTime(absl::RFC3339_full, instant, &t, &error));
    q.as_of = t;
    absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(q);
    REQUIRE(found.status() == absl::OkStatus());
    REQUIRE(found->size() == 1);
    return (*found)[0];
  };
  const EligibleEstablishment before = at("2025-06-30T23:59:59Z");
  CHECK(before.membership_id == membership);
  CHECK(before.provider_id == "PRV-1");
  CHECK(before.type == "childrens_home");
  CHECK(before.ceiling_fee_pence == 500000);
  CHECK(before.distance_miles == HaversineMiles(kChildLat, kChildLon, kChildLat + 0.01, kChildLon));
  CHECK(before.qualification_score == 70.0);
  CHECK(at("2025-07-01T00:00:00Z").qualification_score == 75.5);
  CHECK(at("2024-12-31T00:00:00Z").qualification_score == std::nullopt);  // not yet qualified

  q.as_of.reset();  // now: the latest score
  absl::StatusOr<std::vector<EligibleEstablishment>> now = r.Find(q);
  REQUIRE(now.status() == absl::OkStatus());
  CHECK((*now)[0].qualification_score == 75.5);
}

TEST_CASE("a pass/fail-only lot has no qualification score") {
  Register r;
  Establishment sa = Home("EST-SA", 0.01);
  sa.type = EstablishmentType::kSupportedAccommodation;
  sa.min_age = 16;
  r.Load({sa});
  EligibilityQuery q = BaseQuery();
  q.lot_id = kSupportedLot;
  q.child_age = 16;
  absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(q);
  REQUIRE(found.status() == absl::OkStatus());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].qualification_score == std::nullopt);
}

TEST_CASE("why an establishment is or is not eligible") {
  Register r;
  LoadHandMade(r);
  EligibilityQuery q = BaseQuery();
  q.required_specialisms = {"autism", "trauma-informed"};
  q.max_ceiling_pence = 600000;
  const auto why = [&](const std::string& id) {
    absl::StatusOr<std::vector<IneligibilityReason>> reasons = r.Why(q, id);
    REQUIRE(reasons.status() == absl::OkStatus());
    return *reasons;
  };
  const auto only = [&](const std::string& id, EligibilityRule rule, const std::string& detail) {
    const std::vector<IneligibilityReason> reasons = why(id);
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].rule == rule);
    CHECK(reasons[0].detail == detail);
  };
  CHECK(why("EST-A-ok").empty());
  only("EST-B-suspended", EligibilityRule::kNotSuspended,
       "suspended since 2025-06-01T00:00:00Z: Ofsted rating Inadequate");
  only("EST-C-excluded", EligibilityRule::kQualified,
       "excluded since 2025-07-01T00:00:00Z: mandatory exclusion");
  only("EST-D-other-lot", EligibilityRule::kMemberOfLot, "not a member of lot LOT-RES");
  only("EST-E-far", EligibilityRule::kWithinRadius,
       "34.55 miles from the child's location; radius 20 miles");
  only("EST-F-ages-14-17", EligibilityRule::kAgeRange, "takes ages 14-17; child 10");
  only("EST-G-female", EligibilityRule::kGender, "takes female; child male");
  only("EST-I-dear", EligibilityRule::kCost, "ceiling fee 900000 pence a week; maximum 600000");
  only("EST-J-autism-only", EligibilityRule::kSpecialism, "does not offer trauma-informed");
  q.provision_type = "childrens_home";
  only("EST-H-short-breaks", EligibilityRule::kProvisionType,
       "is short_breaks; referral asks for childrens_home");
  q.provision_type.reset();
  r.Exec("UPDATE establishments SET placement_types = '{38_week}' WHERE id = 'EST-A-ok'");
  q.placement_types = {"52_week"};
  only("EST-A-ok", EligibilityRule::kPlacementType,
       "offers 38_week; referral asks for one of 52_week");
  only("EST-H-short-breaks", EligibilityRule::kPlacementType,
       "offers no placement type; referral asks for one of 52_week");
  q.placement_types = {"52_week", "38_week"};
  CHECK(why("EST-A-ok").empty());
  q.placement_types.clear();

  SECTION("several reasons at once, in rule order") {
    q.radius_miles = 1;
    q.child_age = 15;
    const std::vector<IneligibilityReason> reasons = why("EST-B-suspended");
    REQUIRE(reasons.size() == 2);
    CHECK(reasons[0].rule == EligibilityRule::kNotSuspended);
    CHECK(reasons[1].rule == EligibilityRule::kWithinRadius);
  }
  SECTION("an unknown establishment") { CHECK(absl::IsNotFound(r.Why(q, "EST-NOPE").status())); }
}

TEST_CASE("the placement-type filter keeps the establishments offering a type asked for") {
  Register r;
  LoadHandMade(r);
  r.Exec("UPDATE establishments SET placement_types = '{38_week}' WHERE id = 'EST-A-ok'");
  r.Exec("UPDATE establishments SET placement_types = '{52_week,38_week}' WHERE id = 'EST-I-dear'");
  EligibilityQuery q = BaseQuery();
  q.placement_types = {"52_week"};
  CHECK(r.FindIds(q) == std::vector<std::string>{"EST-I-dear"});
  q.placement_types = {"38_week", "52_week"};
  CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok", "EST-I-dear"});
  q.placement_types = {"short_breaks_only"};
  CHECK(r.FindIds(q).empty());
  q.placement_types.clear();
  CHECK(r.FindIds(q).size() == 4);  // no filter: every type

  SECTION("a type that is not a code is refused, naming it") {
    q.placement_types = {"52_week", "52 weeks"};
    absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(q);
    CHECK(absl::IsInvalidArgument(found.status()));
    CHECK(found.status().message().rfind("placement_types[1]: must be a code", 0) == 0);
  }
}

// --- invitable_members follows the source tables through its triggers ------------------------

TEST_CASE("the eligible set follows changes to memberships, scores and establishments") {
  Register r;
  LoadHandMade(r);
  EligibilityQuery q = BaseQuery();
  const std::vector<std::string> before = r.FindIds(q);
  REQUIRE(before == std::vector<std::string>{"EST-A-ok", "EST-H-short-breaks", "EST-I-dear",
                                             "EST-J-autism-only"});
  const std::string a = LoadedMembershipId(kResidentialLot, "EST-A-ok");
  const auto score_now = [&](const EligibilityQuery& query) {
    absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(query);
    REQUIRE(found.status() == absl::OkStatus());
    REQUIRE(!found->empty());
    REQUIRE((*found)[0].establishment_id == "EST-A-ok");
    return (*found)[0].qualification_score;
  };

  SECTION("a suspended member disappears, and comes back when reinstated") {
    r.Exec(
        "UPDATE memberships SET state = 'SUSPENDED', state_since = now(), "
        "state_reason = 'evidence expired' WHERE id = '" +
        a + "'");
    CHECK(r.FindIds(q) ==
          std::vector<std::string>{"EST-H-short-breaks", "EST-I-dear", "EST-J-autism-only"});
    r.Exec(
        "UPDATE memberships SET state = 'QUALIFIED', state_since = now(), state_reason = '' "
        "WHERE id = '" +
        a + "'");
    CHECK(r.FindIds(q) == before);
    // And the long-suspended one, reinstated, with its score.
    r.Exec("UPDATE memberships SET state = 'QUALIFIED' WHERE establishment_id = 'EST-B-suspended'");
    CHECK(r.FindIds(q)[1] == "EST-B-suspended");
  }
  SECTION("an excluded member never returns, whatever else changes") {
    r.Exec(
        "UPDATE memberships SET state = 'EXCLUDED', state_reason = 'mandatory exclusion' "
        "WHERE id = '" +
        a + "'");
    r.Exec(
        "INSERT INTO membership_scores (membership_id, effective_at, score, reason, actor) "
        "VALUES ('" +
        a + "', now() - interval '1 day', 80, 'review', 't')");
    r.Exec("UPDATE memberships SET ceiling_fee_pence = 400000 WHERE id = '" + a + "'");
    r.Exec(
        "UPDATE establishments SET latitude = latitude + 0.001, name = 'Renamed' "
        "WHERE id = 'EST-A-ok'");
    CHECK(r.FindIds(q) ==
          std::vector<std::string>{"EST-H-short-breaks", "EST-I-dear", "EST-J-autism-only"});
    CHECK(r.Count("SELECT count(*) FROM invitable_members WHERE establishment_id = "
                  "'EST-C-excluded' OR establishment_id = 'EST-A-ok'") == 0);
  }
  SECTION("a score adjustment is in force from its effective time") {
    r.Exec("DELETE FROM membership_scores WHERE membership_id = '" + a + "'");
    CHECK(score_now(q) == std::nullopt);
    r.Exec(
        "INSERT INTO membership_scores (membership_id, effective_at, score, reason, actor) "
        "VALUES ('" +
        a + "', '2025-01-01T00:00:00Z', 70, 'qualification', 't')");
    CHECK(score_now(q) == 70.0);
    r.Exec(
        "INSERT INTO membership_scores (membership_id, effective_at, score, requested_delta, "
        "reason, actor) VALUES ('" +
        a +
        "', now() - interval '1 hour', 74.25, 4.25, "
        "'six-monthly review', 't')");
    CHECK(score_now(q) == 74.25);
    // An adjustment recorded ahead of its effective time: not yet in force now, in force at an
    // as_of after it (the stored latest row), and the history answers for an as_of before.
    r.Exec(
        "INSERT INTO membership_scores (membership_id, effective_at, score, requested_delta, "
        "reason, actor) VALUES ('" +
        a +
        "', now() + interval '30 days', 60, -14.25, "
        "'six-monthly review', 't')");
    CHECK(score_now(q) == 74.25);
    EligibilityQuery later = q;
    later.as_of = absl::Now() + absl::Hours(24 * 31);
    CHECK(score_now(later) == 60.0);
    EligibilityQuery earlier = q;
    earlier.as_of = absl::FromUnixSeconds(1735776000);  // 2025-01-02
    CHECK(score_now(earlier) == 70.0);
    // Corrected, then withdrawn: the row before it is in force again.
    r.Exec("UPDATE membership_scores SET score = 61 WHERE membership_id = '" + a +
           "' AND effective_at > now()");
    CHECK(score_now(later) == 61.0);
    r.Exec("DELETE FROM membership_scores WHERE membership_id = '" + a +
           "' AND effective_at > now()");
    CHECK(score_now(later) == 74.25);
  }
  SECTION("a moved establishment has its new distance") {
    r.Exec("UPDATE establishments SET latitude = 51.6, longitude = -0.1 WHERE id = 'EST-A-ok'");
    absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(q);
    REQUIRE(found.status() == absl::OkStatus());
    REQUIRE(found->size() == 4);
    CHECK(found->back().establishment_id == "EST-A-ok");  // now the farthest
    CHECK(found->back().latitude == 51.6);
    CHECK(found->back().distance_miles == HaversineMiles(kChildLat, kChildLon, 51.6, -0.1));
    r.Exec("UPDATE establishments SET latitude = 52.5 WHERE id = 'EST-A-ok'");  // ~69 miles
    CHECK(r.FindIds(q) ==
          std::vector<std::string>{"EST-H-short-breaks", "EST-I-dear", "EST-J-autism-only"});
  }
  SECTION("the establishment's own rules and the member's fee") {
    r.Exec("UPDATE establishments SET min_age = 11 WHERE id = 'EST-A-ok'");
    CHECK(r.FindIds(q).front() == "EST-H-short-breaks");
    r.Exec("UPDATE establishments SET min_age = 8, genders = '{female}' WHERE id = 'EST-A-ok'");
    CHECK(r.FindIds(q).front() == "EST-H-short-breaks");
    q.child_gender = "female";
    CHECK(r.FindIds(q).front() == "EST-A-ok");
    q.required_specialisms = {"cse-risk"};
    CHECK(r.FindIds(q).empty());
    r.Exec("UPDATE establishments SET specialisms = '{cse-risk}' WHERE id = 'EST-A-ok'");
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok"});
    q.max_ceiling_pence = 450000;
    CHECK(r.FindIds(q).empty());
    r.Exec("UPDATE memberships SET ceiling_fee_pence = 450000 WHERE id = '" + a + "'");
    CHECK(r.FindIds(q) == std::vector<std::string>{"EST-A-ok"});
  }
  SECTION("a new member appears and a removed one disappears") {
    r.Exec(
        "INSERT INTO establishments (id, provider_id, name, type, inspectorate, "
        "postcode_district, latitude, longitude, min_age, max_age, genders, capacity) VALUES "
        "('EST-Z-new', 'PRV-1', 'New home', 'childrens_home', 'Ofsted', 'NW1', 51.5, -0.12, "
        "8, 17, '{male,female}', 3)");
    CHECK(r.FindIds(q) == before);  // not yet a member
    r.Exec(
        "INSERT INTO memberships (id, establishment_id, lot_id, state, state_since, "
        "qualified_at, ceiling_fee_pence) VALUES ('M-Z', 'EST-Z-new', 'LOT-RES', 'QUALIFIED', "
        "now(), now(), 300000)");
    CHECK(r.FindIds(q).front() == "EST-Z-new");
    r.Exec("DELETE FROM memberships WHERE id = 'M-Z'");
    CHECK(r.FindIds(q) == before);
  }
  CHECK(r.InvitableDrift() == 0);
}

TEST_CASE("a score added while the membership is being reinstated is not lost") {
  // Without the locks in refresh_invitable_members, the score's transaction would read the
  // membership as still SUSPENDED and write nothing, while the reinstatement's row, written before
  // the score existed, would carry the old score.
  Register r;
  LoadHandMade(r);
  const std::string b = LoadedMembershipId(kResidentialLot, "EST-B-suspended");
  std::promise<void> reinstated;
  std::atomic<bool> reinstatement_committing = false;
  std::atomic<bool> score_waited = false;
  std::thread reinstate([&] {
    CHECK(r.pool.InTransaction([&](pqxx::work& tx) {
      tx.exec0("UPDATE memberships SET state = 'QUALIFIED' WHERE id = '" + b + "'");
      reinstated.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      reinstatement_committing = true;  // the commit follows the return
      return absl::OkStatus();
    }) == absl::OkStatus());
  });
  reinstated.get_future().wait();
  CHECK(r.pool.InTransaction([&](pqxx::work& tx) {
    tx.exec0(
        "INSERT INTO membership_scores (membership_id, effective_at, score, reason, actor) "
        "VALUES ('" +
        b + "', now(), 90, 'review', 't')");
    score_waited = reinstatement_committing.load();
    return absl::OkStatus();
  }) == absl::OkStatus());
  reinstate.join();
  CHECK(score_waited);
  CHECK(r.InvitableDrift() == 0);
  absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(BaseQuery());
  REQUIRE(found.status() == absl::OkStatus());
  REQUIRE(found->size() >= 2);
  CHECK((*found)[1].establishment_id == "EST-B-suspended");
  CHECK((*found)[1].qualification_score == 90.0);
}

// --- Paging -----------------------------------------------------------------------------------

TEST_CASE("pages walk the whole result in order, without skipping or repeating") {
  Register r;
  std::vector<Establishment> homes = HandMade();
  // Ties on distance, ordered by id across page boundaries.
  for (const char* id : {"EST-T-1", "EST-T-2", "EST-T-3"}) homes.push_back(Home(id, 0.015));
  r.Load(homes);
  r.Exec("UPDATE memberships SET state = 'QUALIFIED', state_reason = ''");
  EligibilityQuery q = BaseQuery();
  const std::vector<std::string> whole = r.FindIds(q);
  REQUIRE(whole == std::vector<std::string>{
                       "EST-A-ok", "EST-T-1", "EST-T-2", "EST-T-3", "EST-B-suspended",
                       "EST-C-excluded", "EST-H-short-breaks", "EST-I-dear", "EST-J-autism-only"});
  for (int size : {1, 2, 3, 8, 9, 10}) {
    INFO("page size " << size);
    EligibilityQuery paged = q;
    paged.limit = size;
    std::vector<std::string> walked;
    int pages = 0;
    do {
      absl::StatusOr<EligibilityPage> page = r.Page(paged);
      REQUIRE(page.status() == absl::OkStatus());
      REQUIRE(page->establishments.size() <= static_cast<size_t>(size));
      for (const EligibleEstablishment& e : page->establishments) {
        walked.push_back(e.establishment_id);
      }
      paged.page_token = page->next_page_token;
      ++pages;
    } while (!paged.page_token.empty());
    CHECK(walked == whole);
    CHECK(pages == (static_cast<int>(whole.size()) + size - 1) / size);
  }
  SECTION("a member suspended between pages is not returned; others keep their places") {
    EligibilityQuery paged = q;
    paged.limit = 2;
    absl::StatusOr<EligibilityPage> first = r.Page(paged);
    REQUIRE(first.status() == absl::OkStatus());
    r.Exec("UPDATE memberships SET state = 'SUSPENDED' WHERE establishment_id = 'EST-T-2'");
    paged.page_token = first->next_page_token;
    absl::StatusOr<EligibilityPage> second = r.Page(paged);
    REQUIRE(second.status() == absl::OkStatus());
    REQUIRE(second->establishments.size() == 2);
    CHECK(second->establishments[0].establishment_id == "EST-T-3");
    CHECK(second->establishments[1].establishment_id == "EST-B-suspended");
  }
  SECTION("a token that was not issued is rejected") {
    q.page_token = "not-a-token";
    CHECK(r.Page(q).status() ==
          absl::InvalidArgumentError("page_token: not a token of this query"));
  }
}

// --- The bounding box, where longitude wraps and meridians meet -----------------------------

TEST_CASE("the index box holds every member within the radius at the antimeridian and the poles") {
  Register r;
  std::vector<Establishment> places;
  const std::vector<std::pair<double, double>> points = {
      {0, 179.9},   {0, -179.9}, {0.2, 180},     {-0.2, -180}, {89.9, 0},    {89.9, 180},
      {89.95, -90}, {-89.9, 45}, {-89.95, -135}, {60, 179.5},  {60, -179.5}, {0, 0}};
  for (size_t i = 0; i < points.size(); ++i) {
    Establishment e = Home(absl::StrCat("EST-P-", i), 0);
    e.latitude = points[i].first;
    e.longitude = points[i].second;
    places.push_back(e);
  }
  r.Load(places);
  r.Exec("UPDATE memberships SET state = 'QUALIFIED', state_reason = ''");
  const std::vector<std::pair<double, double>> centres = {
      {0, 180}, {0, -179.95}, {89.95, 10}, {90, 0}, {-90, 0}, {-89.95, 170}, {60, 180}, {0, 0.01}};
  for (const auto& [lat, lon] : centres) {
    for (double radius : {5.0, 20.0, 60.0, 500.0}) {
      EligibilityQuery q = BaseQuery();
      q.latitude = lat;
      q.longitude = lon;
      q.radius_miles = radius;
      std::vector<std::pair<double, std::string>> expected;
      for (const Establishment& e : places) {
        const double miles = HaversineMiles(lat, lon, e.latitude, e.longitude);
        if (miles <= radius) expected.push_back({miles, e.establishment_id});
      }
      std::sort(expected.begin(), expected.end());
      std::vector<std::string> ids;
      for (const auto& [miles, id] : expected) ids.push_back(id);
      INFO(lat << "," << lon << " r=" << radius);
      CHECK(r.FindIds(q) == ids);
    }
  }
}

// Every field and rule of validation, with the message the caller sees.
TEST_CASE("a bad query is rejected before it reaches the database, naming field and rule") {
  Register r;
  const std::vector<std::pair<std::function<void(EligibilityQuery&)>, std::string>> cases = {
      {[](EligibilityQuery& q) { q.lot_id = ""; }, "lot_id: must not be empty"},
      {[](EligibilityQuery& q) { q.latitude = 90.5; },
       "latitude: must be between -90 and 90, got 90.5"},
      {[](EligibilityQuery& q) { q.latitude = -91; },
       "latitude: must be between -90 and 90, got -91"},
      {[](EligibilityQuery& q) { q.latitude = std::nan(""); },
       "latitude: must be between -90 and 90, got nan"},
      {[](EligibilityQuery& q) { q.longitude = 180.25; },
       "longitude: must be between -180 and 180, got 180.25"},
      {[](EligibilityQuery& q) { q.radius_miles = -3; },
       "radius_miles: must be between 0 (exclusive) and 500, got -3"},
      {[](EligibilityQuery& q) { q.radius_miles = 0; },
       "radius_miles: must be between 0 (exclusive) and 500, got 0"},
      {[](EligibilityQuery& q) { q.radius_miles = 500.5; },
       "radius_miles: must be between 0 (exclusive) and 500, got 500.5"},
      {[](EligibilityQuery& q) { q.child_age = -1; },
       "child_age: must be between 0 and 25, got -1"},
      {[](EligibilityQuery& q) { q.child_age = 26; },
       "child_age: must be between 0 and 25, got 26"},
      {[](EligibilityQuery& q) { q.child_gender = "boy"; },
       "child_gender: must be female, male or other, got \"boy\""},
      {[](EligibilityQuery& q) { q.provision_type = "Children's home"; },
       "provision_type: must be a code of 1 to 32 letters, digits, '-' or '_', got \"Children's "
       "home\""},
      {[](EligibilityQuery& q) {
         q.required_specialisms = {"autism", "a,b"};
       },
       "required_specialisms[1]: must be a code of 1 to 32 letters, digits, '-' or '_', got "
       "\"a,b\""},
      {[](EligibilityQuery& q) { q.max_ceiling_pence = -1; },
       "max_ceiling_pence: must not be negative, got -1"},
      {[](EligibilityQuery& q) { q.limit = 0; }, "limit: must be between 1 and 10000, got 0"},
      {[](EligibilityQuery& q) { q.limit = 10001; },
       "limit: must be between 1 and 10000, got 10001"},
      {[](EligibilityQuery& q) { q.page_token = "EST-A-ok"; },
       "page_token: not a token of this query"},
  };
  CHECK(ValidateEligibilityQuery(BaseQuery()) == absl::OkStatus());
  for (const auto& [spoil, message] : cases) {
    EligibilityQuery q = BaseQuery();
    spoil(q);
    INFO(message);
    CHECK(ValidateEligibilityQuery(q) == absl::InvalidArgumentError(message));
    CHECK(r.Find(q).status() == absl::InvalidArgumentError(message));
    CHECK(r.Why(q, "EST-A-ok").status() == absl::InvalidArgumentError(message));
  }
  // The edges that are allowed.
  EligibilityQuery edge = BaseQuery();
  edge.latitude = -90;
  edge.longitude = 180;
  edge.radius_miles = 500;
  edge.child_age = 25;
  CHECK(r.Find(edge).status() == absl::OkStatus());
}

// --- Against a brute force over generated data ----------------------------------------------

struct Expected {
  std::string id;
  double miles;
  bool operator==(const Expected&) const = default;
};

TEST_CASE("eligibility equals a brute-force haversine over 3,000 generated establishments") {
  Register r;
  absl::StatusOr<std::vector<Establishment>> generated =
      tools::GenerateEstablishments(Input(), {.count = 3000, .seed = 7});
  REQUIRE(generated.status() == absl::OkStatus());
  r.Load(*generated);

  // The memberships as loaded (lot, establishment) -> (state, fee), read without any spatial SQL.
  std::map<std::pair<std::string, std::string>, std::pair<std::string, int64_t>> memberships;
  REQUIRE(r.pool.InTransaction([&](pqxx::work& tx) {
    for (const auto& row :
         tx.exec("SELECT lot_id, establishment_id, state, ceiling_fee_pence FROM memberships")) {
      memberships[{row[0].as<std::string>(), row[1].as<std::string>()}] = {row[2].as<std::string>(),
                                                                           row[3].as<int64_t>()};
    }
    return absl::OkStatus();
  }) == absl::OkStatus());
  int suspended_or_excluded = 0;
  for (const auto& [key, value] : memberships) suspended_or_excluded += value.first != "QUALIFIED";
  REQUIRE(suspended_or_excluded > 100);  // the comparison below covers them

  const auto brute_force = [&](const EligibilityQuery& q) {
    std::vector<Expected> out;
    for (const Establishment& e : *generated) {
      auto m = memberships.find({q.lot_id, e.establishment_id});
      if (m == memberships.end() || m->second.first != "QUALIFIED") continue;
      const double miles = HaversineMiles(q.latitude, q.longitude, e.latitude, e.longitude);
      if (miles > q.radius_miles) continue;
      if (q.child_age < e.min_age || q.child_age > e.max_age) continue;
      if (e.genders != "mixed" && e.genders != q.child_gender) continue;
      if (q.provision_type && *q.provision_type != tools::EstablishmentTypeName(e.type)) continue;
      const bool has_all = std::all_of(
          q.required_specialisms.begin(), q.required_specialisms.end(), [&](const auto& s) {
            return std::find(e.specialisms.begin(), e.specialisms.end(), s) != e.specialisms.end();
          });
      if (!has_all) continue;
      if (q.max_ceiling_pence && m->second.second > *q.max_ceiling_pence) continue;
      out.push_back({e.establishment_id, miles});
    }
    std::sort(out.begin(), out.end(), [](const Expected& a, const Expected& b) {
      return std::tie(a.miles, a.id) < std::tie(b.miles, b.id);
    });
    return out;
  };
  const auto compare = [&](const EligibilityQuery& q) {
    absl::StatusOr<std::vector<EligibleEstablishment>> found = r.Find(q);
    REQUIRE(found.status() == absl::OkStatus());
    std::vector<Expected> got;
    for (const EligibleEstablishment& e : *found)
      got.push_back({e.establishment_id, e.distance_miles});
    const std::vector<Expected> expected = brute_force(q);
    INFO(q.lot_id << " at " << q.latitude << "," << q.longitude << " r=" << q.radius_miles
                  << " age " << q.child_age << " " << q.child_gender);
    // Same rows, same order, and the same doubles: the SQL haversine is the C++ one.
    REQUIRE(got.size() == expected.size());
    CHECK(got == expected);
    // And walked in pages, which are read in rings round the child: the same again.
    EligibilityQuery paged = q;
    paged.limit = 53;
    std::vector<Expected> walked;
    do {
      absl::StatusOr<EligibilityPage> page = r.Page(paged);
      REQUIRE(page.status() == absl::OkStatus());
      for (const EligibleEstablishment& e : page->establishments) {
        walked.push_back({e.establishment_id, e.distance_miles});
      }
      paged.page_token = page->next_page_token;
    } while (!paged.page_token.empty());
    CHECK(walked == expected);
    return expected.size();
  };

  const auto compare_many = [&] {
    std::mt19937_64 random(11);
    std::uniform_real_distribution<double> lat(50.6, 54.8), lon(-3.5, 1.5);
    const std::vector<std::string> lots = {kResidentialLot, kFosteringLot, kSenLot, kSupportedLot};
    const std::vector<std::string> genders = {"female", "male", "other"};
    size_t total = 0;
    for (int i = 0; i < 60; ++i) {
      EligibilityQuery q;
      q.lot_id = lots[i % lots.size()];
      q.latitude = lat(random);
      q.longitude = lon(random);
      q.radius_miles = std::vector<double>{5, 20, 40, 60, 150}[i % 5];
      q.child_age = q.lot_id == kSupportedLot ? 16 : static_cast<int>(random() % 18);
      q.child_gender = genders[i % 3];
      if (i % 7 == 0) q.required_specialisms = {"autism"};
      if (i % 11 == 0) q.max_ceiling_pence = 600000;
      if (i % 13 == 0) q.provision_type = "short_breaks";
      total += compare(q);
    }
    return total;
  };
  CHECK(compare_many() > 1000);  // the points were not all in empty places

  SECTION("after changes made through the source tables") {
    // The same changes to the database and to the brute force's copy of the register: moves,
    // suspensions and reinstatements, fees, age ranges. The triggers must keep up with them all.
    REQUIRE(r.pool.InTransaction([&](pqxx::work& tx) {
      for (size_t i = 0; i < generated->size(); i += 13) {
        Establishment& e = (*generated)[i];
        e.latitude += 0.05 * static_cast<double>(i % 5) - 0.1;
        e.longitude -= 0.07;
        e.max_age = std::max(e.min_age, e.max_age - 2);
        tx.exec_params0(
            "UPDATE establishments SET latitude = $2, longitude = $3, max_age = $4 WHERE id = $1",
            e.establishment_id, absl::StrFormat("%.17g", e.latitude),
            absl::StrFormat("%.17g", e.longitude), e.max_age);
      }
      int n = 0;
      for (auto& [key, value] : memberships) {
        const std::string id = LoadedMembershipId(key.first, key.second);
        if (n % 17 == 0 && value.first != "EXCLUDED") {
          value.first = value.first == "QUALIFIED" ? "SUSPENDED" : "QUALIFIED";
          tx.exec_params0("UPDATE memberships SET state = $2 WHERE id = $1", id, value.first);
        } else if (n % 19 == 0) {
          value.second += 150000;
          tx.exec_params0("UPDATE memberships SET ceiling_fee_pence = $2 WHERE id = $1", id,
                          value.second);
        }
        ++n;
      }
      return absl::OkStatus();
    }) == absl::OkStatus());
    CHECK(r.InvitableDrift() == 0);
    CHECK(compare_many() > 1000);
  }

  SECTION("on the edge of the radius") {
    // Radius exactly the distance to an establishment: it is in (<=). One ulp less: it is out.
    for (int i = 0; i < 40; ++i) {
      const Establishment& e = (*generated)[(i * 97) % generated->size()];
      EligibilityQuery q;
      q.lot_id = memberships.contains({kResidentialLot, e.establishment_id}) ? kResidentialLot
                 : memberships.contains({kSenLot, e.establishment_id})       ? kSenLot
                 : memberships.contains({kFosteringLot, e.establishment_id}) ? kFosteringLot
                                                                             : kSupportedLot;
      q.latitude = e.latitude + 0.1 + 0.01 * (i % 7);
      q.longitude = e.longitude - 0.2 + 0.013 * (i % 5);
      q.child_age = e.min_age;
      q.child_gender = e.genders == "mixed" ? "other" : e.genders;
      const double d = HaversineMiles(q.latitude, q.longitude, e.latitude, e.longitude);
      q.radius_miles = d;
      compare(q);
      q.radius_miles = std::nextafter(d, 0.0);
      compare(q);
      q.radius_miles = std::nextafter(d, 1000.0);
      compare(q);
    }
  }
  SECTION("WhyNotEligible agrees with FindEligible") {
    EligibilityQuery q{.lot_id = kResidentialLot,
                       .latitude = 52.48,
                       .longitude = -1.9,
                       .radius_miles = 40,
                       .child_age = 12,
                       .child_gender = "female"};
    std::set<std::string> eligible;
    for (const std::string& id : r.FindIds(q)) eligible.insert(id);
    REQUIRE(!eligible.empty());
    for (size_t i = 0; i < generated->size(); i += 10) {
      const std::string& id = (*generated)[i].establishment_id;
      absl::StatusOr<std::vector<IneligibilityReason>> reasons = r.Why(q, id);
      REQUIRE(reasons.status() == absl::OkStatus());
      INFO(id);
      CHECK(reasons->empty() == eligible.contains(id));
    }
  }
}

TEST_CASE("the eligibility query uses the spatial index") {
  Register r;
  absl::StatusOr<std::vector<Establishment>> generated =
      tools::GenerateEstablishments(Input(), {.count = 3000, .seed = 7});
  REQUIRE(generated.status() == absl::OkStatus());
  r.Load(*generated);
  std::string plan;
  REQUIRE(r.pool.InTransaction([&](pqxx::work& tx) {
    // Prepares the statement on this connection and applies the settings, as every call does;
    // then the plan of that very statement.
    absl::StatusOr<std::vector<EligibleEstablishment>> found = FindEligible(tx, BaseQuery());
    REQUIRE(found.status() == absl::OkStatus());
    for (const auto& row : tx.exec(absl::StrCat(
             "EXPLAIN EXECUTE ", sql::kFindEligibleName,
             "('LOT-RES', 51.5, -0.12, 20, '{(-0.6,51.2),(0.4,51.8)}', 10, 2, NULL, '', NULL, "
             "NULL, NULL, NULL, NULL, 100, '')"))) {
      plan += row[0].as<std::string>() + "\n";
    }
    return absl::OkStatus();
  }) == absl::OkStatus());
  INFO(plan);
  CHECK(plan.find("invitable_members_lot_position") != std::string::npos);
  CHECK(plan.find("Seq Scan on invitable_members") == std::string::npos);
}

}  // namespace
}  // namespace dps::qualification
