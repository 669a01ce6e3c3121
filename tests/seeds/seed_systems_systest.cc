// The five council systems of the seed documents, each loaded from its configuration file in
// data/systems/ and run end to end through the REST gateway alone, in front of every real
// service process: providers apply and are decided, a referral is published to the right
// establishments, providers bid or decline, evaluators score, the ranking (with the family's
// choice where it applies), the award (with a commissioner's approval above the authority's
// threshold), the placement agreement completed, issued, downloaded and signed by both parties,
// varied or uplifted, and the quarter's OCDS export asked for. Each system also shows what makes
// it different. A second test case runs the three scenarios that cross councils: a safeguarding
// alert one council raises and the others see, the suspension it leads to during a live
// competition, and an Ofsted file import that suspends an establishment.
//
// One suite serves every system (starting one costs half a minute on a small machine): it is a
// function-local static, so each SECTION below re-enters the test case with the same processes
// and database, and a failure in one system's section does not stop the others.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/crypto/sha256.h"
#include "tests/support/suite.h"
#include "tools/api_client/http_client.h"
#include "tools/api_client/system_loader.h"

namespace dps::testing {

using api_client::Api;
using api_client::Change;
using api_client::HttpResult;
using api_client::LoadedSystem;
using api_client::LoadSystem;
using api_client::ReadSystemConfig;

namespace {

using dps::common::v1::Role;
using Json = nlohmann::json;

Suite& SharedSuite() {
  // A generous rate: the test is one caller per role making calls as fast as it can. The
  // services' clock can be moved (the last section lets a deadline and a quarter pass), and the
  // deadline timer looks every second.
  static Suite suite({.gateway_env = {"DPS_GATEWAY_RATE=1000", "DPS_GATEWAY_BURST=2000"},
                      .service_env = {"DPS_DEADLINE_INTERVAL=1s"},
                      .movable_clock = true});
  return suite;
}

// Loads a system from its file; `key_prefix` sets it apart from other loads of the same file.
LoadedSystem Load(const std::string& file, const std::string& lead,
                  const std::string& key_prefix = "seed-") {
  absl::StatusOr<Json> config =
      ReadSystemConfig(absl::StrCat(DPS_SOURCE_DIR, "/data/systems/", file));
  REQUIRE(config.ok());
  absl::StatusOr<LoadedSystem> loaded =
      LoadSystem(SharedSuite().gateway_port(), Suite::Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead),
                 *config, key_prefix + file);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded->system.value("state", "") == "PURCHASING_SYSTEM_STATE_LIVE");
  return *std::move(loaded);
}

// ---------------------------------------------------------------------------------------------
// Calls, each one an integrator's HTTP request.

int Port() { return SharedSuite().gateway_port(); }

std::string NextKey() {
  static int key = 0;
  return absl::StrCat("seed-call-", ++key);
}

Json Get(const std::string& token, const std::string& path) {
  const HttpResult result = Api(Port(), token, "GET", path);
  INFO("GET " << path << " -> " << result.status << " " << result.body);
  REQUIRE(result.status == 200);
  return result.Json();
}

HttpResult Try(const std::string& token, const std::string& method, const std::string& path,
               const Json& body = Json::object()) {
  return Change(Port(), token, method, path, body, NextKey());
}

Json Post(const std::string& token, const std::string& path, const Json& body = Json::object()) {
  const HttpResult result = Try(token, "POST", path, body);
  INFO("POST " << path << " " << body.dump() << " -> " << result.status << " " << result.body);
  REQUIRE(result.status == 200);
  return result.Json();
}

Json Put(const std::string& token, const std::string& path, const Json& body) {
  const HttpResult result = Try(token, "PUT", path, body);
  INFO("PUT " << path << " " << body.dump() << " -> " << result.status << " " << result.body);
  REQUIRE(result.status == 200);
  return result.Json();
}

std::string Token(Role role, const std::string& organisation, const std::string& user = "") {
  return Suite::Token(role, organisation, user);
}

Json Money(int64_t pence) { return {{"pence", std::to_string(pence)}}; }
int64_t Pence(const Json& money) { return std::stoll(money.value("pence", "0")); }

Json DateJson(absl::CivilDay day) {
  return {{"year", day.year()}, {"month", day.month()}, {"day", day.day()}};
}
absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }
std::string Timestamp(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", at, absl::UTCTimeZone());
}

// Polls `read` until `done` holds (events travel between services within a second or two).
Json WaitFor(const std::function<Json()>& read, const std::function<bool(const Json&)>& done,
             const std::string& what) {
  Json last;
  for (int attempt = 0; attempt < 300; ++attempt) {
    last = read();
    if (done(last)) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO("waited 30 s for " << what << "; last: " << last.dump());
  FAIL("never happened");
  return last;
}

// ---------------------------------------------------------------------------------------------
// Qualification: a provider registers, describes an establishment, applies for lots, and the
// lead authority evaluates and decides.

struct Site {
  std::string provider;  // the provider's organisation id (its users' token organisation)
  std::string name;
  std::string postcode;  // full postcode of the establishment (never a child's)
  double latitude = 0;
  double longitude = 0;
  std::vector<std::string> provision_types;
  std::vector<std::string> lots;  // lot codes applied for
  int64_t ceiling_pence = 0;      // the weekly ceiling (or indicative) fee in every lot
  int score = 70;                 // every method statement's score
  std::vector<std::string> specialisms;
  std::vector<std::string> placement_types;
  std::string inspectorate = "INSPECTORATE_OFSTED";
  int age_min = 5;
  int age_max = 18;
  Json rate_card = Json::array();
};

struct Member {
  std::string provider_id;
  std::string establishment_id;
  std::string application_id;
  std::set<std::string> asked;              // the codes of the criteria answered
  std::map<std::string, Json> memberships;  // lot code -> Membership
};

bool Applies(const Json& criterion, const std::string& lot_id) {
  const Json ids = criterion.value("lot_ids", Json::array());
  return ids.empty() || std::find(ids.begin(), ids.end(), lot_id) != ids.end();
}

// The provider's side: registered, the establishment described, evidence added, and a DRAFT
// application for the site's lots answering every criterion that applies to them.
Member Draft(const LoadedSystem& system, const Site& site) {
  const std::string provider_token = Token(Role::ROLE_PROVIDER_USER, site.provider);
  Member member;
  const HttpResult registered =
      Try(provider_token, "POST", "/v1/providers", {{"spec", {{"name", site.provider + " Ltd"}}}});
  if (registered.status == 200) {
    member.provider_id = registered.Json()["id"];
  } else {
    INFO(registered.body);
    REQUIRE(registered.Json().value("code", "") == "ALREADY_EXISTS");
    member.provider_id = site.provider;
  }
  Json spec = {{"name", site.name},
               {"address", {{"postcode", site.postcode}, {"lines", {"1 High Street"}}}},
               {"location", {{"latitude", site.latitude}, {"longitude", site.longitude}}},
               {"provision_types", site.provision_types},
               {"inspectorate", site.inspectorate},
               {"age_min_years", site.age_min},
               {"age_max_years", site.age_max},
               {"registered_places", 6},
               {"specialism_codes", site.specialisms},
               {"placement_type_codes", site.placement_types}};
  if (site.inspectorate != "INSPECTORATE_NONE")
    spec["inspectorate_ref"] = "SC" + site.name.substr(0, 3);
  member.establishment_id =
      Post(provider_token, absl::StrCat("/v1/providers/", member.provider_id, "/establishments"),
           {{"spec", spec}})["id"];

  std::vector<std::string> lot_ids;
  for (const std::string& code : site.lots) lot_ids.push_back(system.lots.at(code)["id"]);
  Json items = Json::array(), responses = Json::array(), commercial = Json::array();
  std::set<std::string>& asked = member.asked;
  for (const std::string& lot_id : lot_ids) {
    items.push_back({{"establishment_id", member.establishment_id}, {"lot_id", lot_id}});
    Json submission = {{"establishment_id", member.establishment_id},
                       {"lot_id", lot_id},
                       {"ceiling_fee", Money(site.ceiling_pence)}};
    if (!site.rate_card.empty()) submission["rate_card"] = site.rate_card;
    commercial.push_back(submission);
    for (const auto& [code, criterion] : system.criteria) {
      if (Applies(criterion, lot_id)) asked.insert(code);
    }
  }
  for (const std::string& code : asked) {
    const Json& criterion = system.criteria.at(code);
    Json response = {{"criterion_id", criterion["id"]},
                     {"establishment_id", member.establishment_id},
                     {"answer", absl::StrCat("Our approach to ", code, ", with examples.")}};
    if (criterion.value("evidence_required", false)) {
      Json evidence = {{"establishment_id", member.establishment_id},
                       {"criterion_id", criterion["id"]},
                       {"title", criterion["title"]},
                       {"document_uri", absl::StrCat("docs://", site.provider, "/", code, ".pdf")},
                       {"document_sha256", std::string(64, 'a')}};
      if (criterion.value("evidence_expires", false)) {
        evidence["expires_on"] = DateJson(Today() + 300);
      }
      response["evidence_ids"] = {
          Post(provider_token, absl::StrCat("/v1/providers/", member.provider_id, "/evidence"),
               evidence)["id"]};
    }
    responses.push_back(response);
  }
  const Json draft =
      Post(provider_token, "/v1/applications",
           {{"system_id", system.system["id"]},
            {"provider_id", member.provider_id},
            {"kind", "APPLICATION_KIND_NEW"},
            {"spec", {{"items", items}, {"responses", responses}, {"commercial", commercial}}}});
  member.application_id = draft["id"];
  return member;
}

// Submits the draft, and the lead authority has it evaluated (pass/fail findings, method
// statements scored by its evaluator) and decides it.
Member SubmitAndDecide(const LoadedSystem& system, const Site& site, Member member) {
  const std::set<std::string>& asked = member.asked;
  const std::string application = "/v1/applications/" + member.application_id;
  Post(Token(Role::ROLE_PROVIDER_USER, site.provider), application + ":submit");

  const std::string lead = system.system["lead_authority_id"];
  const std::string lead_token = Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead);
  // Evaluators assigned move the application UNDER_EVALUATION, where findings are recorded (a
  // pass/fail-only system's evaluator has only pass/fail findings to make).
  Post(lead_token, application + ":assignEvaluators",
       {{"evaluators", {{{"evaluator_user_id", "evaluator-1"}}}}});
  const std::string evaluator = Token(Role::ROLE_EVALUATOR, lead, "evaluator-1");
  for (const std::string& code : asked) {
    const Json& criterion = system.criteria.at(code);
    if (criterion["kind"] == "CRITERION_KIND_WEIGHTED") {
      Post(evaluator, application + ":scoreMethodStatement",
           {{"criterion_id", criterion["id"]},
            {"establishment_id", member.establishment_id},
            {"score", site.score},
            {"comment", "Clear and specific."}});
    } else {
      Post(lead_token, application + ":recordCriterionResult",
           {{"result",
             {{"criterion_id", criterion["id"]},
              {"establishment_id", member.establishment_id},
              {"passed", true}}}});
    }
  }
  const Json decided = Post(lead_token, application + ":decide");
  CHECK(decided["state"] == "APPLICATION_STATE_DECIDED");
  for (const Json& decision : decided["decisions"]) {
    INFO(decision.dump());
    CHECK(decision["outcome"] == "ITEM_OUTCOME_QUALIFIED");
    for (const auto& [code, lot] : system.lots) {
      if (lot["id"] == decision["lot_id"] && decision.contains("membership_id")) {
        member.memberships[code] =
            Get(lead_token, "/v1/memberships/" + decision["membership_id"].get<std::string>());
      }
    }
  }
  REQUIRE(member.memberships.size() == site.lots.size());
  return member;
}

Member Apply(const LoadedSystem& system, const Site& site) {
  return SubmitAndDecide(system, site, Draft(system, site));
}

// Scheduled entry windows: whether one is open at `at`.
bool InAWindow(const Json& system, absl::Time at) {
  for (const Json& window : system["entry_windows"]) {
    absl::Time opens, closes;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, window.value("opens_at", ""), &opens, &error) &&
        absl::ParseTime(absl::RFC3339_full, window.value("closes_at", ""), &closes, &error) &&
        opens <= at && at < closes) {
      return true;
    }
  }
  return false;
}

// The lead authority opens an extra entry window from now for a week (the light-touch regime
// lets it change the windows of a LIVE system), as it would for a late round.
void OpenInterimWindow(LoadedSystem& system, absl::Time now) {
  const std::string lead = system.system["lead_authority_id"];
  const std::string path = "/v1/purchasingSystems/" + system.system["id"].get<std::string>();
  const Json current = Get(Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead), path);
  Json spec;
  for (const char* field :
       {"name", "regime", "lead_authority_id", "authorities", "validity", "entry_window_mode",
        "entry_windows", "qualification_mode", "rules", "other_bodies_may_call_off"}) {
    spec[field] = current[field];
  }
  spec["entry_windows"].push_back({{"opens_at", Timestamp(now - absl::Hours(1))},
                                   {"closes_at", Timestamp(now + absl::Hours(24 * 7))},
                                   {"label", "Interim round"}});
  system.system = Put(Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead), path,
                      {{"expected_version", current["version"]},
                       {"spec", spec},
                       {"reason", "An interim round for providers who missed the last window"}});
}

// ---------------------------------------------------------------------------------------------
// Referrals: drafted and published by a placing officer, answered by the invited providers.

struct Published {
  Json referral;
  std::map<std::string, std::string> invitation_by_establishment;
};

Published Publish(const std::string& officer, const Json& spec) {
  const Json draft = Post(officer, "/v1/referrals", {{"spec", spec}});
  const Json published =
      Post(officer, absl::StrCat("/v1/referrals/", draft["id"].get<std::string>(), ":publish"),
           {{"expected_version", draft["version"]}});
  Published result{published["referral"], {}};
  CHECK(result.referral["state"] == "REFERRAL_STATE_OPEN");
  for (const Json& invitation : published["new_invitations"]) {
    result.invitation_by_establishment[invitation["establishment_id"]] = invitation["id"];
  }
  return result;
}

std::string Bid(const Member& member, const Published& referral, const Json& content) {
  const std::string invitation = referral.invitation_by_establishment.at(member.establishment_id);
  return Post(Token(Role::ROLE_PROVIDER_USER, member.provider_id),
              absl::StrCat("/v1/invitations/", invitation, "/bids"), {{"content", content}})["id"];
}

void Decline(const Member& member, const Published& referral, const std::string& reason,
             const std::string& detail) {
  const std::string invitation = referral.invitation_by_establishment.at(member.establishment_id);
  Post(Token(Role::ROLE_PROVIDER_USER, member.provider_id),
       absl::StrCat("/v1/invitations/", invitation, ":decline"),
       {{"reason", reason}, {"detail", detail}});
}

Json ReferralOf(const std::string& token, const std::string& id) {
  return Get(token, "/v1/referrals/" + id);
}

Json WaitForState(const std::string& token, const std::string& id,
                  const std::set<std::string>& states) {
  return WaitFor(
      [&] { return ReferralOf(token, id); },
      [&](const Json& referral) { return states.count(referral.value("state", "")) > 0; },
      "referral " + id + " to reach one of the states");
}

// The lead authority's evaluator scores every outcomes answer of the referral, blind.
void ScoreOutcomes(const std::string& lead, const std::string& referral_id,
                   const std::map<std::string, int>& score_by_bid) {
  const std::string evaluator = Token(Role::ROLE_EVALUATOR, lead, "outcome-evaluator");
  const Json tasks =
      Get(evaluator, absl::StrCat("/v1/outcomeTasks?pending_only=true&referral_id=", referral_id));
  CHECK(tasks["tasks"].size() == score_by_bid.size());
  for (const Json& task : tasks["tasks"]) {
    CHECK_FALSE(task.contains("provider_id"));  // blind to who answered
    const std::string bid = task["bid_id"];
    Post(evaluator, absl::StrCat("/v1/bids/", bid, ":scoreOutcomeAnswer"),
         {{"referral_id", referral_id},
          {"score", score_by_bid.at(bid)},
          {"comment", "Specific about the first month."}});
  }
}

// ---------------------------------------------------------------------------------------------
// The agreement: drawn up from the award's event, completed, issued, downloaded and signed.

Json WaitForIpa(const std::string& officer, const std::string& field, const std::string& id) {
  const Json listed = WaitFor([&] { return Get(officer, "/v1/ipas"); },
                              [&](const Json& list) {
                                for (const Json& ipa : list.value("ipas", Json::array())) {
                                  if (ipa["source"].value(field, "") == id) return true;
                                }
                                return false;
                              },
                              "the IPA of " + id);
  for (const Json& ipa : listed["ipas"]) {
    if (ipa["source"].value(field, "") == id) return ipa;
  }
  return {};
}

// CreateIpa (POST /v1/ipas) for an award whose event has made its IPA: that IPA again, read from
// the referral service by the contracts service, not a second one.
void CreateIpaFindsIt(const std::string& officer, const Json& source, const Json& ipa) {
  const Json again = Post(officer, "/v1/ipas", {{"source", source}});
  CHECK(again["id"] == ipa["id"]);
  CHECK(again["source"] == ipa["source"]);
  for (const auto& [field, value] : source.items()) CHECK(ipa["source"][field] == value);
  const Json listed = Get(officer, absl::StrCat("/v1/ipas?page.page_size=100&establishment_id=",
                                                ipa["establishment"]["id"].get<std::string>()));
  int same_source = 0;
  for (const Json& each : listed["ipas"]) same_source += each["source"] == ipa["source"] ? 1 : 0;
  CHECK(same_source == 1);
}

// Completes, issues and has both parties sign; returns the signed IPA.
Json IssueAndSign(const std::string& officer, const std::string& provider, const Json& draft,
                  const std::string& purpose) {
  const std::string path = "/v1/ipas/" + draft["id"].get<std::string>();
  Json terms = draft["terms"];
  terms["purposes"] = {purpose};
  terms["documents"] = {{{"title", "Terms and conditions"},
                         {"uri", "https://example.org/terms.pdf"},
                         {"sha256", platform::Sha256Hex("Terms and conditions")}}};
  const Json updated = Put(officer, path,
                           {{"expected_version", draft["version"]},
                            {"terms", terms},
                            {"children",
                             {{{"given_names", "Sam"},
                               {"family_name", "Example"},
                               {"date_of_birth", DateJson(Today() - 13 * 365)},
                               {"home_postcode", "BN1 4GH"},
                               {"legal_status", "s.20 accommodation"}}}}});
  const Json issued = Post(officer, path + ":issue", {{"expected_version", updated["version"]}});
  CHECK(issued["state"] == "IPA_STATE_ISSUED");
  // Each party downloads the PDF and signs the hash of what it read.
  const HttpResult document = Api(Port(), provider, "GET", path + "/document");
  REQUIRE(document.status == 200);
  CHECK(document.Header("content-type") == "application/pdf");
  const std::string hash = platform::Sha256Hex(document.body);
  CHECK(hash == issued["versions"][0]["document_sha256"]);
  Post(provider, path + ":sign",
       {{"document_sha256", hash},
        {"signatory_name", "Ali Khan"},
        {"signatory_position", "Registered manager"}});
  const Json signed_ipa = Post(officer, path + ":sign",
                               {{"document_sha256", hash},
                                {"signatory_name", "Sam Patel"},
                                {"signatory_position", "Head of Placements"}});
  CHECK(signed_ipa["state"] == "IPA_STATE_SIGNED");
  CHECK(signed_ipa["versions"][0]["signatures"].size() == 2);
  return signed_ipa;
}

// The officer proposes a variation of a signed IPA to `terms`, and both parties sign the hash of
// its new version: in force, as version 2.
void VaryAndSign(const std::string& officer, const std::string& provider, const Json& signed_ipa,
                 const std::string& kind, const std::string& reason, const Json& terms,
                 const Json& effective_from) {
  const std::string ipa_path = "/v1/ipas/" + signed_ipa["id"].get<std::string>();
  const Json variation = Post(officer, ipa_path + "/variations",
                              {{"expected_version", signed_ipa["version"]},
                               {"kind", kind},
                               {"reason", reason},
                               {"terms", terms},
                               {"effective_from", effective_from}});
  const std::string variation_path = "/v1/variations/" + variation["id"].get<std::string>();
  Post(provider, variation_path + ":sign",
       {{"document_sha256", variation["document_sha256"]},
        {"signatory_name", "Ali Khan"},
        {"signatory_position", "Registered manager"}});
  const Json varied = Post(officer, variation_path + ":sign",
                           {{"document_sha256", variation["document_sha256"]},
                            {"signatory_name", "Sam Patel"},
                            {"signatory_position", "Head of Placements"}});
  CHECK(varied["state"] == "VARIATION_STATE_SIGNED");
  CHECK(Get(officer, ipa_path)["current_version_number"] == 2);
}

// A variation adding `document` to the contract's documents (an EHC plan's review, a court
// order), from the placement's start, when version 1 takes effect.
void AddDocumentAndSign(const std::string& officer, const std::string& provider,
                        const Json& signed_ipa, const std::string& document) {
  Json terms = signed_ipa["terms"];
  terms["documents"].push_back({{"title", document},
                                {"uri", "https://example.org/documents/2.pdf"},
                                {"sha256", platform::Sha256Hex(document)}});
  VaryAndSign(officer, provider, signed_ipa, "VARIATION_KIND_CONTACTS_OR_DOCUMENTS",
              "A document that now forms part of the contract", terms,
              signed_ipa["terms"]["start_date"]);
  const Json ipa = Get(officer, "/v1/ipas/" + signed_ipa["id"].get<std::string>());
  CHECK(ipa["terms"]["documents"].size() == terms["documents"].size());
}

// The quarterly OCDS 1.1 export of awards, asked of the lead authority. A quarter is produced
// once it has ended (with 30 days to publish after), and the services' clock has not moved yet:
// so this quarter's export, which would hold the awards just made, is refused as not yet due,
// and the last quarter's as having no awards (every award here was made today). The last
// section moves the clock past the quarter's end and produces each; the package's schema is
// tested in the contracts service (services/contracts/tests/ and the publication use cases).
void QuarterlyExportRefused(const LoadedSystem& system) {
  const std::string lead =
      Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, system.system["lead_authority_id"]);
  const std::string system_id = system.system["id"];
  const std::string path = absl::StrCat("/v1/purchasingSystems/", system_id, "/publications");
  const absl::CivilDay today = Today();
  const int quarter = (today.month() - 1) / 3 + 1;
  const HttpResult current = Try(lead, "POST", path,
                                 {{"kind", "PUBLICATION_KIND_QUARTERLY"},
                                  {"quarter", {{"year", today.year()}, {"quarter", quarter}}},
                                  {"ocid_prefix", "ocds-test01"}});
  INFO(current.body);
  CHECK(current.status == 409);
  CHECK(current.Json().value("detail", "").find("has not ended yet") != std::string::npos);

  const int last_year = quarter == 1 ? today.year() - 1 : today.year();
  const int last_quarter = quarter == 1 ? 4 : quarter - 1;
  const HttpResult last = Try(lead, "POST", path,
                              {{"kind", "PUBLICATION_KIND_QUARTERLY"},
                               {"quarter", {{"year", last_year}, {"quarter", last_quarter}}},
                               {"ocid_prefix", "ocds-test01"}});
  INFO(last.body);
  CHECK(last.status == 409);
  CHECK(last.Json().value("detail", "").find(system_id + " made no awards in") !=
        std::string::npos);
}

// ---------------------------------------------------------------------------------------------

TEST_CASE("The five seed systems run end to end through the REST API") {
  const absl::Time now = absl::Now();

  SECTION("000 South East: light touch, radius, weighted qualification, parental choice") {
    const LoadedSystem system = Load("000_south_east.json", "west-sussex");
    CHECK(system.system["regime"] == "REGIME_LIGHT_TOUCH");
    CHECK(system.system["authorities"].size() == 7);
    CHECK(system.lots.size() == 3);
    const Json res = system.lots.at("RES");
    CHECK(res["default_weights"]["core_competency"] == 20);
    CHECK(res["parental_choice"]["within_points"] == 5.0);

    // Four homes near Horsham and Brighton, one far off in Essex.
    const std::vector<std::string> home = {"PROVISION_TYPE_RESIDENTIAL_HOME"};
    const Member oak = Apply(system, {.provider = "se-oakfield-care",
                                      .name = "Oakfield House",
                                      .postcode = "RH13 5AA",
                                      .latitude = 51.0629,
                                      .longitude = -0.3259,
                                      .provision_types = home,
                                      .lots = {"RES"},
                                      .ceiling_pence = 480000,
                                      .score = 80,
                                      .age_min = 8,
                                      .age_max = 17});
    const Member downs = Apply(system, {.provider = "se-downs-homes",
                                        .name = "Downs View",
                                        .postcode = "BN1 6AA",
                                        .latitude = 50.8225,
                                        .longitude = -0.1372,
                                        .provision_types = home,
                                        .lots = {"RES"},
                                        .ceiling_pence = 450000,
                                        .score = 60,
                                        .age_min = 8,
                                        .age_max = 17});
    const Member weald = Apply(system, {.provider = "se-weald-care",
                                        .name = "Weald Lodge",
                                        .postcode = "RH10 1AA",
                                        .latitude = 51.1100,
                                        .longitude = -0.1900,
                                        .provision_types = home,
                                        .lots = {"RES"},
                                        .ceiling_pence = 500000,
                                        .score = 70});
    const Member essex = Apply(system, {.provider = "se-essex-homes",
                                        .name = "Chelmer House",
                                        .postcode = "CM1 1AA",
                                        .latitude = 51.7457,
                                        .longitude = 0.4667,
                                        .provision_types = home,
                                        .lots = {"RES"},
                                        .ceiling_pence = 470000,
                                        .score = 90});
    // The weighted qualification score is carried to referrals as core competency.
    CHECK(oak.memberships.at("RES")["qualification_score"] == 80.0);

    // An affordability cap per lot: a ceiling above it is refused at decision.
    // (Checked on the lot's terms; the application path is exercised by the qualification tests.)
    CHECK(Pence(res["terms"]["affordability_cap_weekly"]) == 800000);

    const std::string officer = Token(Role::ROLE_PLACING_OFFICER, "brighton-and-hove");
    const Published referral = Publish(
        officer,
        {{"system_id", system.system["id"]},
         {"lot_id", res["id"]},
         {"kind", "REFERRAL_KIND_INDIVIDUAL"},
         {"children", {{{"child_key", "child-1"}, {"age_years", 13}, {"gender", "GENDER_MALE"}}}},
         {"location", {{"postcode_district", "RH12"}}},
         {"needs", {{{"code", "ASD"}, {"marks", 2}}, {{"code", "SEMH"}, {"marks", 1}}}},
         {"desirable_features", {{{"code", "education-on-site"}, {"marks", 1}}}},
         {"outcomes_sought", {"Back in full-time education within a term"}},
         {"description", "A calm home for a boy of 13 with autism who needs routine."},
         {"start_date", DateJson(Today() + 28)},
         {"planned_duration_months", 12},
         {"radius_miles", 40},
         {"response_deadline", Timestamp(now + absl::Hours(24 * 5))}});
    const std::string id = referral.referral["id"];
    // Light touch: the radius excludes the home 60 miles off; every home within it is invited.
    CHECK(referral.invitation_by_establishment.size() == 3);
    CHECK(referral.invitation_by_establishment.count(essex.establishment_id) == 0);
    const Json why =
        Get(officer, absl::StrCat("/v1/referrals/", id,
                                  ":explainInvitation?establishment_id=", essex.establishment_id));
    CHECK_FALSE(why.value("invited", true));

    Post(officer, absl::StrCat("/v1/referrals/", id, ":assignOutcomeEvaluators"),
         {{"evaluator_user_ids", {"outcome-evaluator"}}});
    // The provider finds the anonymised referral in its inbox.
    const Json inbox =
        Get(Token(Role::ROLE_PROVIDER_USER, oak.provider_id), "/v1/inbox?open_only=true");
    REQUIRE(inbox["items"].size() == 1);
    CHECK(inbox["items"][0]["referral"]["spec"]["location"]["postcode_district"] == "RH12");

    const std::string oak_bid =
        Bid(oak, referral,
            {{"core_fee", Money(480000)},
             {"needs_met", {"ASD", "SEMH"}},
             {"features_met", {"education-on-site"}},
             {"earliest_start", DateJson(Today() + 28)},
             {"outcomes_answer", "A keyworker every day; school within a month."}});
    // Sealed until close: the officer cannot read the bids.
    CHECK(Api(Port(), officer, "GET", absl::StrCat("/v1/referrals/", id, "/bids")).status == 403);
    const std::string downs_bid =
        Bid(downs, referral,
            {{"core_fee", Money(440000)},
             {"needs_met", {"ASD", "SEMH"}},
             {"features_met", {"education-on-site"}},
             {"earliest_start", DateJson(Today() + 28)},
             {"outcomes_answer", "Structured days and a school place nearby."}});
    Decline(weald, referral, "DECLINE_REASON_NO_CAPACITY", "No bed before the spring.");
    // Every invitee has answered: closed at once, scored, awaiting the outcome scores.
    WaitForState(officer, id, {"REFERRAL_STATE_CLOSED"});
    ScoreOutcomes("west-sussex", id, {{oak_bid, 4}, {downs_bid, 4}});
    // Near-equal top bids (within 5 points, at most 3): the family chooses.
    const Json waiting = WaitForState(
        officer, id, {"REFERRAL_STATE_AWAITING_PARENTAL_CHOICE", "REFERRAL_STATE_EVALUATED"});
    REQUIRE(waiting["state"] == "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE");
    const Json evaluation = Get(officer, absl::StrCat("/v1/referrals/", id, "/evaluation"));
    INFO(evaluation.dump());
    const Json& ranked = evaluation["response"]["bids"];
    REQUIRE(ranked.size() == 2);
    CHECK(evaluation["request"]["weights"]["core_competency"] == 20);
    CHECK(waiting["parental_choice"]["shortlist_bid_ids"].size() == 2);
    Post(officer, absl::StrCat("/v1/referrals/", id, ":recordParentalChoice"),
         {{"chosen_bid_id", oak_bid},
          {"note", "The family visited both and chose the nearer home."}});
    // £4,800 a week, £4,560 after the permanence discount, is above Brighton and Hove's £4,500
    // threshold (the evaluated price is what the threshold is held against): a commissioner
    // approves.
    const Json awarded = Post(officer, absl::StrCat("/v1/referrals/", id, ":award"),
                              {{"bid_id", oak_bid}, {"basis", "AWARD_BASIS_PARENTAL_CHOICE"}});
    CHECK(awarded["award"]["approval"] == "APPROVAL_STATE_PENDING");
    const Json approved = Post(Token(Role::ROLE_COMMISSIONER, "brighton-and-hove"),
                               absl::StrCat("/v1/referrals/", id, ":decideAwardApproval"),
                               {{"approve", true}, {"reason", "Within the placement budget."}});
    CHECK(approved["state"] == "REFERRAL_STATE_AWARDED");
    CHECK(approved["award"]["approval"] == "APPROVAL_STATE_APPROVED");
    // The other bidder is told its points and the winner's, per criterion.
    const Json feedback = Get(Token(Role::ROLE_PROVIDER_USER, downs.provider_id),
                              absl::StrCat("/v1/bids/", downs_bid, "/feedback"));
    CHECK(feedback["outcome"] == "BID_OUTCOME_NOT_AWARDED");
    CHECK(feedback["winner_points"]["core_competency"] == 16.0);

    const Json draft = WaitForIpa(officer, "referral_id", id);
    CHECK(draft["state"] == "IPA_STATE_DRAFT");
    CHECK(draft["terms"]["notice_period_days"] == 28);
    CreateIpaFindsIt(officer,
                     {{"kind", "IPA_SOURCE_KIND_AWARD"}, {"referral_id", id}, {"bid_id", oak_bid}},
                     draft);
    const std::string oak_token = Token(Role::ROLE_PROVIDER_USER, oak.provider_id);
    const Json signed_ipa =
        IssueAndSign(officer, oak_token, draft, "A calm home within reach of school in Horsham");

    // A variation (an additional service for a term), signed by both as version 2. The agreement
    // holds weekly figures: ten hours at £30 is a weekly rate of £300.
    Json terms = signed_ipa["terms"];
    terms["costs"]["additional_services"] = {
        {{"code", "1-1-support"},
         {"description", "One-to-one support after school, 10 hours a week"},
         {"unit", "RATE_UNIT_WEEKLY"},
         {"units", "1"},
         {"rate", Money(30000)},
         {"start_date", DateJson(Today() + 28)},
         {"end_date", DateJson(Today() + 28 + 90)}}};
    VaryAndSign(officer, oak_token, signed_ipa, "VARIATION_KIND_ADDITIONAL_SERVICES",
                "Support after school for the first term", terms, DateJson(Today() + 28));

    QuarterlyExportRefused(system);
  }

  SECTION("001 North West: pass/fail only, indicative prices, placement-type lots, windows") {
    LoadedSystem system = Load("001_north_west.json", "cheshire-east");
    CHECK(system.system["regime"] == "REGIME_LIGHT_TOUCH");
    CHECK(system.system["qualification_mode"] == "QUALIFICATION_MODE_PASS_FAIL_ONLY");
    CHECK(system.system["authorities"].size() == 23);
    REQUIRE(system.lots.size() == 3);
    for (const auto& [code, lot] : system.lots) {
      CHECK(lot["default_weights"]["core_competency"] == 0);  // no quality score to carry
      CHECK(lot["terms"]["ceiling_mode"] == "CEILING_MODE_INDICATIVE");
    }
    CHECK(system.lots.at("38-WEEK")["placement_types"][0]["code"] == "38-week");
    for (const auto& [code, criterion] : system.criteria) {
      CHECK(criterion["kind"] == "CRITERION_KIND_PASS_FAIL");
    }

    const std::vector<std::string> school = {"PROVISION_TYPE_INMSS"};
    const Site mersey = {.provider = "nw-mersey-schools",
                         .name = "Mersey Bank School",
                         .postcode = "L21 4AA",
                         .latitude = 53.4700,
                         .longitude = -2.9900,
                         .provision_types = school,
                         .lots = {"52-WEEK"},
                         .ceiling_pence = 520000,
                         .specialisms = {"semh", "communication-interaction"},
                         .placement_types = {"52-week"}};
    // Entry is open only in the scheduled windows: outside them a submission is refused.
    Member first = Draft(system, mersey);
    if (!InAWindow(system.system, now)) {
      const HttpResult refused = Try(Token(Role::ROLE_PROVIDER_USER, mersey.provider), "POST",
                                     "/v1/applications/" + first.application_id + ":submit");
      INFO(refused.body);
      CHECK(refused.Json().value("code", "") == "FAILED_PRECONDITION");
      OpenInterimWindow(system, now);
    }
    const Member mersey_member = SubmitAndDecide(system, mersey, first);
    // Pass/fail only: no qualification score.
    CHECK(mersey_member.memberships.at("52-WEEK")["qualification_score"] == 0.0);
    const Member pennine = Apply(system, {.provider = "nw-pennine-education",
                                          .name = "Pennine Heights College",
                                          .postcode = "WN1 2AA",
                                          .latitude = 53.5511,
                                          .longitude = -2.6300,
                                          .provision_types = school,
                                          .lots = {"52-WEEK"},
                                          .ceiling_pence = 480000,
                                          .specialisms = {"semh", "cognition-learning"},
                                          .placement_types = {"52-week"}});
    // A school for cognition and learning only: outside the referral's specialism filter.
    const Member wirral = Apply(system, {.provider = "nw-wirral-learning",
                                         .name = "Wirral Learning Centre",
                                         .postcode = "CH41 1AA",
                                         .latitude = 53.3900,
                                         .longitude = -3.0200,
                                         .provision_types = school,
                                         .lots = {"52-WEEK"},
                                         .ceiling_pence = 450000,
                                         .specialisms = {"cognition-learning"},
                                         .placement_types = {"52-week"}});

    // Sefton sets its own referral criteria: pre-selection by specialism and placement type.
    const std::string officer = Token(Role::ROLE_PLACING_OFFICER, "sefton");
    const Json lot = system.lots.at("52-WEEK");
    const Published referral = Publish(
        officer,
        {{"system_id", system.system["id"]},
         {"lot_id", lot["id"]},
         {"kind", "REFERRAL_KIND_INDIVIDUAL"},
         {"children", {{{"child_key", "child-1"}, {"age_years", 12}, {"gender", "GENDER_FEMALE"}}}},
         {"location", {{"postcode_district", "L20"}}},
         {"needs", {{{"code", "SEMH"}, {"marks", 2}}, {{"code", "SLCN"}, {"marks", 1}}}},
         {"desirable_features", {{{"code", "therapy-on-site"}, {"marks", 1}}}},
         {"outcomes_sought", {"Attends every day and joins in with her class"}},
         {"description", "A girl of 12 with an EHC plan for social, emotional and mental health."},
         {"start_date", DateJson(Today() + 35)},
         {"planned_duration_months", 24},
         {"radius_miles", 30},
         {"filters", {{"specialism_codes", {"semh"}}, {"placement_type_codes", {"52-week"}}}},
         {"response_deadline", Timestamp(now + absl::Hours(24 * 3))}});
    const std::string id = referral.referral["id"];
    CHECK(referral.invitation_by_establishment.size() == 2);
    CHECK(referral.invitation_by_establishment.count(wirral.establishment_id) == 0);
    Post(officer, absl::StrCat("/v1/referrals/", id, ":assignOutcomeEvaluators"),
         {{"evaluator_user_ids", {"outcome-evaluator"}}});
    // Indicative prices: above the indicative fee needs a written justification.
    const std::string mersey_bid = Bid(
        mersey_member, referral,
        {{"core_fee", Money(545000)},
         {"needs_met", {"SEMH", "SLCN"}},
         {"features_met", {"therapy-on-site"}},
         {"fee_justification", "Speech and language therapy twice a week, not in our core offer."},
         {"earliest_start", DateJson(Today() + 35)},
         {"outcomes_answer", "A key adult at the gate each morning; therapy in class."}});
    const std::string pennine_bid = Bid(pennine, referral,
                                        {{"core_fee", Money(500000)},
                                         {"needs_met", {"SEMH"}},
                                         {"earliest_start", DateJson(Today() + 35)},
                                         {"outcomes_answer", "Small classes."}});
    WaitForState(officer, id, {"REFERRAL_STATE_CLOSED", "REFERRAL_STATE_EVALUATED"});
    // The unjustified bid above its indicative price is excluded, with the reason.
    const Json bids = Get(officer, absl::StrCat("/v1/referrals/", id, "/bids"));
    for (const Json& bid : bids["bids"]) {
      INFO(bid.dump());
      if (bid["id"] == pennine_bid) {
        CHECK(bid["state"] == "BID_STATE_EXCLUDED");
        CHECK(bid["evaluation"]["exclusion_reasons"][0]["code"] ==
              "EXCLUSION_CODE_ABOVE_INDICATIVE_UNJUSTIFIED");
      } else {
        CHECK(bid["state"] == "BID_STATE_COMPLIANT");
      }
    }
    ScoreOutcomes("cheshire-east", id, {{mersey_bid, 4}});
    WaitForState(officer, id, {"REFERRAL_STATE_EVALUATED"});
    const Json evaluation = Get(officer, absl::StrCat("/v1/referrals/", id, "/evaluation"));
    CHECK(evaluation["response"]["weights"]["core_competency"] == 0);
    const Json awarded = Post(officer, absl::StrCat("/v1/referrals/", id, ":award"),
                              {{"bid_id", mersey_bid}, {"basis", "AWARD_BASIS_TOP_RANKED"}});
    CHECK(awarded["state"] == "REFERRAL_STATE_AWARDED");
    CHECK(awarded["award"]["approval"] == "APPROVAL_STATE_NOT_REQUIRED");
    const Json draft = WaitForIpa(officer, "referral_id", id);
    const std::string mersey_token = Token(Role::ROLE_PROVIDER_USER, mersey_member.provider_id);
    const Json mersey_ipa =
        IssueAndSign(officer, mersey_token, draft, "A 52-week place meeting her EHC plan");
    AddDocumentAndSign(officer, mersey_token, mersey_ipa, "EHC plan after its annual review");

    // In an extreme emergency, a direct award (light touch allows it, with a justification and a
    // review date); it becomes an agreement like any award.
    const Json direct = Post(
        officer, "/v1/directAwards",
        {{"system_id", system.system["id"]},
         {"lot_id", lot["id"]},
         {"establishment_id", wirral.establishment_id},
         {"children", {{{"child_key", "child-1"}, {"age_years", 9}, {"gender", "GENDER_MALE"}}}},
         {"location", {{"postcode_district", "L20"}}},
         {"justification", "Placement broke down overnight; a school place is needed by Monday."},
         {"review_on", DateJson(Today() + 56)},
         {"start_date", DateJson(Today() + 3)},
         {"planned_duration_months", 3},
         {"core_fee", Money(450000)}});
    CHECK(direct["state"] == "DIRECT_AWARD_STATE_MADE");
    const Json direct_ipa = WaitForIpa(officer, "direct_award_id", direct["id"]);
    CHECK(direct_ipa["state"] == "IPA_STATE_DRAFT");
    CreateIpaFindsIt(officer,
                     {{"kind", "IPA_SOURCE_KIND_DIRECT_AWARD"}, {"direct_award_id", direct["id"]}},
                     direct_ipa);

    QuarterlyExportRefused(system);
  }

  SECTION("002 West Sussex CPOSS: PCR 2015, four categories, term plus extensions, fee uplifts") {
    const LoadedSystem system = Load("002_west_sussex_cposs.json", "west-sussex");
    CHECK(system.system["regime"] == "REGIME_PCR2015_DPS");
    CHECK(system.lots.size() == 4);
    const std::string lead = Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex");
    const std::string system_path =
        "/v1/purchasingSystems/" + system.system["id"].get<std::string>();
    // An initial term of three years, then the first of two extensions of two years.
    CHECK(system.system["validity"]["current_end"] == DateJson(absl::CivilDay(2029, 2, 28)));
    const Json extended =
        Post(lead, system_path + ":extend",
             {{"extension_index", 0},
              {"reason", "Approved by the Executive Director (report of February)"}});
    CHECK(extended["validity"]["current_end"] == DateJson(absl::CivilDay(2031, 2, 28)));
    CHECK(extended["validity"]["extensions"][0]["exercised"] == true);

    const Json ifa = system.lots.at("CAT3-IFA");
    const std::vector<std::string> agency = {"PROVISION_TYPE_FOSTERING"};
    const Member horsham = Apply(system, {.provider = "ws-horsham-fostering",
                                          .name = "Horsham Family Placements",
                                          .postcode = "RH12 1AA",
                                          .latitude = 51.0650,
                                          .longitude = -0.3300,
                                          .provision_types = agency,
                                          .lots = {"CAT3-IFA"},
                                          .ceiling_pence = 110000,
                                          .score = 75,
                                          .age_min = 0});
    const Member coast = Apply(system, {.provider = "ws-coastal-foster",
                                        .name = "Coastal Foster Care",
                                        .postcode = "BN1 3AA",
                                        .latitude = 50.8300,
                                        .longitude = -0.1400,
                                        .provision_types = agency,
                                        .lots = {"CAT3-IFA"},
                                        .ceiling_pence = 105000,
                                        .score = 65,
                                        .age_min = 0});
    // Far off in Southampton: under PCR 2015 it is invited all the same.
    const Member solent = Apply(system, {.provider = "ws-solent-families",
                                         .name = "Solent Families",
                                         .postcode = "SO14 1AA",
                                         .latitude = 50.9078,
                                         .longitude = -1.3966,
                                         .provision_types = agency,
                                         .lots = {"CAT3-IFA"},
                                         .ceiling_pence = 100000,
                                         .score = 70,
                                         .age_min = 0});

    const std::string officer = Token(Role::ROLE_PLACING_OFFICER, "west-sussex");
    Json spec = {
        {"system_id", system.system["id"]},
        {"lot_id", ifa["id"]},
        {"kind", "REFERRAL_KIND_INDIVIDUAL"},
        {"children", {{{"child_key", "child-1"}, {"age_years", 7}, {"gender", "GENDER_FEMALE"}}}},
        {"location", {{"postcode_district", "RH12"}}},
        {"needs", {{{"code", "trauma"}, {"marks", 2}}, {{"code", "SEMH"}, {"marks", 1}}}},
        {"desirable_features", {{{"code", "eal-support"}, {"marks", 1}}}},
        {"outcomes_sought", {"Settles at her school in Horsham"}},
        {"description", "A girl of 7 who needs a patient, experienced foster family."},
        {"start_date", DateJson(Today() + 21)},
        {"planned_duration_months", 12},
        {"radius_miles", 10},
        {"response_deadline", Timestamp(now + absl::Hours(24 * 3))}};
    // PCR 2015: at least 10 days to respond.
    const Json early = Post(officer, "/v1/referrals", {{"spec", spec}});
    const HttpResult refused = Try(
        officer, "POST", absl::StrCat("/v1/referrals/", early["id"].get<std::string>(), ":publish"),
        {{"expected_version", early["version"]}});
    INFO(refused.body);
    CHECK(refused.status == 400);
    CHECK(refused.Json().value("detail", "").find("response_deadline") != std::string::npos);
    spec["response_deadline"] = Timestamp(now + absl::Hours(24 * 11));
    const Published referral = Publish(officer, spec);
    const std::string id = referral.referral["id"];
    // Every member of the lot is invited, whatever the radius.
    CHECK(referral.invitation_by_establishment.size() == 3);
    CHECK(referral.invitation_by_establishment.count(solent.establishment_id) == 1);
    Post(officer, absl::StrCat("/v1/referrals/", id, ":assignOutcomeEvaluators"),
         {{"evaluator_user_ids", {"outcome-evaluator"}}});
    const std::string horsham_bid =
        Bid(horsham, referral,
            {{"core_fee", Money(98000)},
             {"needs_met", {"trauma", "SEMH"}},
             {"features_met", {"eal-support"}},
             {"earliest_start", DateJson(Today() + 21)},
             {"outcomes_answer", "Carers trained in therapeutic parenting."}});
    const std::string coast_bid = Bid(coast, referral,
                                      {{"core_fee", Money(99000)},
                                       {"needs_met", {"SEMH"}},
                                       {"earliest_start", DateJson(Today() + 21)},
                                       {"outcomes_answer", "A family near the sea."}});
    Decline(solent, referral, "DECLINE_REASON_LOCATION", "Too far from her school.");
    WaitForState(officer, id, {"REFERRAL_STATE_CLOSED"});
    ScoreOutcomes("west-sussex", id, {{horsham_bid, 5}, {coast_bid, 2}});
    const Json evaluated = WaitForState(officer, id, {"REFERRAL_STATE_EVALUATED"});
    const Json awarded = Post(officer, absl::StrCat("/v1/referrals/", id, ":award"),
                              {{"bid_id", horsham_bid}, {"basis", "AWARD_BASIS_TOP_RANKED"}});
    CHECK(awarded["state"] == "REFERRAL_STATE_AWARDED");
    const Json draft = WaitForIpa(officer, "referral_id", id);
    const std::string provider = Token(Role::ROLE_PROVIDER_USER, horsham.provider_id);
    const Json signed_ipa =
        IssueAndSign(officer, provider, draft, "A foster family near her school");

    // An annual fee uplift is the provider's request, with its justification and cost pressures;
    // no inflation is built in. The council approves part of it, and both sign the variation.
    const std::string ipa_path = "/v1/ipas/" + signed_ipa["id"].get<std::string>();
    const HttpResult uplift =
        Try(provider, "POST", ipa_path + "/feeUplifts",
            {{"requested_core_fee", Money(103000)},
             {"effective_from", DateJson(Today() + 60)},
             {"justification", "Carers' fees rose with the national minimum allowance."},
             {"cost_pressures",
              {{{"category", "CORE_COST_CATEGORY_STAFF_COSTS"},
                {"description", "Carer allowances"},
                {"weekly_increase", Money(5000)}}}}});
    INFO(uplift.body);
    REQUIRE(uplift.status == 200);
    CHECK(uplift.Json()["state"] == "UPLIFT_STATE_REQUESTED");
    const Json decided =
        Post(Token(Role::ROLE_COMMISSIONER, "west-sussex"),
             "/v1/feeUplifts/" + uplift.Json()["id"].get<std::string>() + ":decide",
             {{"decision", "UPLIFT_STATE_PARTLY_APPROVED"},
              {"approved_core_fee", Money(101000)},
              {"reason", "The allowance rise, not the whole request."}});
    CHECK(decided["state"] == "UPLIFT_STATE_PARTLY_APPROVED");
    const Json variations = Get(officer, ipa_path + "/variations");
    REQUIRE(variations["variations"].size() == 1);
    const Json& variation = variations["variations"][0];
    CHECK(variation["kind"] == "VARIATION_KIND_FEE_UPLIFT");
    const std::string variation_path = "/v1/variations/" + variation["id"].get<std::string>();
    Post(provider, variation_path + ":sign",
         {{"document_sha256", variation["document_sha256"]},
          {"signatory_name", "Ali Khan"},
          {"signatory_position", "Registered manager"}});
    Post(officer, variation_path + ":sign",
         {{"document_sha256", variation["document_sha256"]},
          {"signatory_name", "Sam Patel"},
          {"signatory_position", "Head of Placements"}});
    const Json uplifted = Get(officer, ipa_path);
    CHECK(uplifted["current_version_number"] == 2);
    CHECK(Pence(uplifted["terms"]["costs"]["core_fee"]) == 101000);

    // The share of placements from Good or Outstanding providers, and sourced on the system, is
    // what the council reports (market intelligence); here the export of the quarter's awards.
    QuarterlyExportRefused(system);
    (void)evaluated;
  }

  SECTION("003 West London: hard ceilings, discounts, rate card, human choice, blocks, alerts") {
    const LoadedSystem system = Load("003_west_london.json", "barnet");
    CHECK(system.system["regime"] == "REGIME_LIGHT_TOUCH");
    // Nine boroughs named at set-up, two more by access agreement.
    CHECK(system.system["authorities"].size() == 11);
    int by_agreement = 0;
    for (const Json& authority : system.system["authorities"]) {
      by_agreement += authority.value("by_access_agreement", false) ? 1 : 0;
    }
    CHECK(by_agreement == 2);
    const Json ifa = system.lots.at("IFA");
    CHECK(ifa["terms"]["ceiling_mode"] == "CEILING_MODE_HARD");
    CHECK(ifa["terms"]["discount_rates"]["sibling_basis_points"] == 500);
    CHECK(ifa["terms"]["discount_rates"]["permanence_basis_points"] == 500);
    CHECK(system.lots.at("RES")["terms"]["discount_rates"]["permanence_basis_points"] == 300);

    const std::vector<std::string> agency = {"PROVISION_TYPE_FOSTERING"};
    const Json rate_card = {{{"code", "1-1-support"},
                             {"description", "Additional carer support"},
                             {"unit", "RATE_UNIT_HOURLY"},
                             {"rate", Money(2500)}}};
    const Member harrow = Apply(system, {.provider = "wl-harrow-fostering",
                                         .name = "Harrow Hill Fostering",
                                         .postcode = "HA1 2AA",
                                         .latitude = 51.5800,
                                         .longitude = -0.3400,
                                         .provision_types = agency,
                                         .lots = {"IFA"},
                                         .ceiling_pence = 90000,
                                         .score = 70,
                                         .age_min = 0,
                                         .rate_card = rate_card});
    const Member ealing = Apply(system, {.provider = "wl-ealing-families",
                                         .name = "Ealing Families",
                                         .postcode = "W5 2AA",
                                         .latitude = 51.5122,
                                         .longitude = -0.3040,
                                         .provision_types = agency,
                                         .lots = {"IFA"},
                                         .ceiling_pence = 85000,
                                         .score = 80,
                                         .age_min = 0,
                                         .rate_card = rate_card});
    const Member hounslow = Apply(system, {.provider = "wl-hounslow-care",
                                           .name = "Hounslow Care Fostering",
                                           .postcode = "TW3 1AA",
                                           .latitude = 51.4687,
                                           .longitude = -0.3633,
                                           .provision_types = agency,
                                           .lots = {"IFA"},
                                           .ceiling_pence = 88000,
                                           .score = 60,
                                           .age_min = 0});
    const Member brent = Apply(system, {.provider = "wl-brent-homes",
                                        .name = "Brent Foster Homes",
                                        .postcode = "HA0 1AA",
                                        .latitude = 51.5501,
                                        .longitude = -0.3047,
                                        .provision_types = agency,
                                        .lots = {"IFA"},
                                        .ceiling_pence = 80000,
                                        .age_min = 0});

    // One borough's safeguarding alert is seen by every borough; a suspended agency gets no
    // referrals from any of them.
    const std::string system_path =
        "/v1/purchasingSystems/" + system.system["id"].get<std::string>();
    const Json alert =
        Post(Token(Role::ROLE_PLACING_OFFICER, "harrow"), system_path + "/safeguardingAlerts",
             {{"establishment_id", brent.establishment_id},
              {"severity", "ALERT_SEVERITY_HIGH"},
              {"category", "supervision"},
              {"summary", "Carers left children unsupervised overnight."}});
    const Json seen =
        Get(Token(Role::ROLE_PLACING_OFFICER, "ealing"), system_path + "/safeguardingAlerts");
    bool found = false;
    for (const Json& each : seen["alerts"]) found |= each["id"] == alert["id"];
    CHECK(found);
    // Only a SERIOUS alert suspends: the lead authority escalates Harrow's first.
    const Json suspend{{"system_id", system.system["id"]},
                       {"establishment_id", brent.establishment_id},
                       {"reason", "SUSPENSION_REASON_SAFEGUARDING_ALERT"},
                       {"detail", "Suspended while the alert is investigated."},
                       {"alert_id", alert["id"]}};
    const std::string barnet = Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, "barnet");
    CHECK(Try(barnet, "POST", "/v1/memberships:suspend", suspend).status == 409);
    Post(barnet, absl::StrCat("/v1/safeguardingAlerts/", alert["id"].get<std::string>(), ":update"),
         {{"severity", "ALERT_SEVERITY_SERIOUS"}, {"note", "A second night unsupervised."}});
    const Json suspended = Post(barnet, "/v1/memberships:suspend", suspend);
    REQUIRE(suspended["memberships"].size() == 1);
    CHECK(suspended["memberships"][0]["suspensions"][0]["alert_id"] == alert["id"]);

    // Barking and Dagenham, which joined by access agreement, refers two siblings for a
    // permanent placement: both discounts apply to the core fee.
    const std::string officer = Token(Role::ROLE_PLACING_OFFICER, "barking-and-dagenham");
    const Published referral = Publish(
        officer,
        {{"system_id", system.system["id"]},
         {"lot_id", ifa["id"]},
         {"kind", "REFERRAL_KIND_COHORT"},
         {"children",
          {{{"child_key", "child-1"}, {"age_years", 8}, {"gender", "GENDER_MALE"}},
           {{"child_key", "child-2"}, {"age_years", 10}, {"gender", "GENDER_FEMALE"}}}},
         {"location", {{"postcode_district", "RM8"}}},
         {"sibling_group_size", 2},
         {"needs", {{{"code", "trauma"}, {"marks", 1}}}},
         {"desirable_features", {{{"code", "eal-support"}, {"marks", 1}}}},
         {"outcomes_sought", {"The siblings stay together and keep their school"}},
         {"description", "A brother and sister, 8 and 10, to be placed together long term."},
         {"start_date", DateJson(Today() + 14)},
         {"planned_duration_months", 12},
         {"radius_miles", 25},
         {"response_deadline", Timestamp(now + absl::Hours(48))}});
    const std::string id = referral.referral["id"];
    CHECK(referral.invitation_by_establishment.size() == 3);
    CHECK(referral.invitation_by_establishment.count(brent.establishment_id) == 0);  // suspended
    Post(officer, absl::StrCat("/v1/referrals/", id, ":assignOutcomeEvaluators"),
         {{"evaluator_user_ids", {"outcome-evaluator"}}});
    // Above its own ceiling: excluded (hard ceilings; a bid may go lower, never higher).
    const std::string harrow_bid = Bid(harrow, referral,
                                       {{"core_fee", Money(95000)},
                                        {"needs_met", {"trauma"}},
                                        {"earliest_start", DateJson(Today() + 14)},
                                        {"outcomes_answer", "Two experienced carers."}});
    const std::string ealing_bid =
        Bid(ealing, referral,
            {{"core_fee", Money(84000)},
             {"additional_services",
              {{{"code", "1-1-support"}, {"units", "10"}, {"rate_pence", "2500"}}}},
             {"needs_met", {"trauma"}},
             {"features_met", {"eal-support"}},
             {"earliest_start", DateJson(Today() + 14)},
             {"outcomes_answer", "Carers who speak both children's languages; the same school."}});
    const std::string hounslow_bid = Bid(hounslow, referral,
                                         {{"core_fee", Money(82000)},
                                          {"needs_met", {"trauma"}},
                                          {"earliest_start", DateJson(Today() + 14)},
                                          {"outcomes_answer", "A large family home."}});
    WaitForState(officer, id, {"REFERRAL_STATE_CLOSED"});
    ScoreOutcomes("barnet", id, {{ealing_bid, 5}, {hounslow_bid, 3}});
    WaitForState(officer, id, {"REFERRAL_STATE_EVALUATED"});
    const Json evaluation = Get(officer, absl::StrCat("/v1/referrals/", id, "/evaluation"));
    INFO(evaluation.dump());
    std::string second;
    for (const Json& bid : evaluation["response"]["bids"]) {
      if (bid["bid_id"] == harrow_bid) {
        CHECK_FALSE(bid["compliant"].get<bool>());
        CHECK(bid["exclusion_reasons"][0]["code"] == "EXCLUSION_CODE_ABOVE_CEILING");
      }
      if (bid["bid_id"] == ealing_bid) {
        // 5% sibling + 5% permanence = 10% off the core fee only, then the rate card's hours.
        const Json& price = bid["price"];
        CHECK(price["sibling_discount_basis_points"] == 500);
        CHECK(price["permanence_discount_basis_points"] == 500);
        CHECK(price["discount_pence"] == "8400");
        CHECK(price["evaluated_weekly_price_pence"] == std::to_string(84000 - 8400 + 25000));
      }
      if (bid.value("rank", 0) == 2) second = bid["bid_id"];
    }
    CHECK(evaluation["response"]["parental_choice_required"] == false);
    // A human choice between compliant bids: the second-ranked, with the officer's reason.
    REQUIRE_FALSE(second.empty());
    const Json awarded = Post(officer, absl::StrCat("/v1/referrals/", id, ":award"),
                              {{"bid_id", second},
                               {"basis", "AWARD_BASIS_OFFICER_CHOICE"},
                               {"reason", "The social worker's best match for the siblings."}});
    CHECK(awarded["state"] == "REFERRAL_STATE_AWARDED");
    const Json draft = WaitForIpa(officer, "referral_id", id);
    CHECK(draft["terms"]["notice_period_days"] == 28);  // the IFA notice period
    CHECK(draft["terms"]["costs"]["discounts"].size() == 2);
    const std::string winner = second == ealing_bid ? ealing.provider_id : hounslow.provider_id;
    const std::string winner_token = Token(Role::ROLE_PROVIDER_USER, winner);
    const Json siblings_ipa =
        IssueAndSign(officer, winner_token, draft, "A long-term home for the siblings together");
    AddDocumentAndSign(officer, winner_token, siblings_ipa, "Contact arrangements with parents");

    // A block contract: places reserved with an agency, then a placement called off into it
    // without competition, which becomes an agreement.
    const Json block =
        Post(Token(Role::ROLE_COMMISSIONER, "barking-and-dagenham"), "/v1/blockContracts",
             {{"system_id", system.system["id"]},
              {"lot_id", ifa["id"]},
              {"establishment_id", hounslow.establishment_id},
              {"places", 2},
              {"weekly_fee_per_place", Money(80000)},
              {"period", {{"start", DateJson(Today())}, {"end", DateJson(Today() + 364)}}},
              {"terms", "Voids paid at half rate after the first week."}});
    const Json call_off = Post(
        officer, "/v1/blockContracts/" + block["id"].get<std::string>() + ":callOff",
        {{"children", {{{"child_key", "child-1"}, {"age_years", 14}, {"gender", "GENDER_FEMALE"}}}},
         {"location", {{"postcode_district", "RM8"}}},
         {"start_date", DateJson(Today() + 7)},
         {"planned_end_date", DateJson(Today() + 180)}});
    const Json block_ipa = WaitForIpa(officer, "block_call_off_id", call_off["id"]);
    CHECK(block_ipa["state"] == "IPA_STATE_DRAFT");
    CreateIpaFindsIt(officer,
                     {{"kind", "IPA_SOURCE_KIND_BLOCK_CALL_OFF"},
                      {"block_contract_id", block["id"]},
                      {"block_call_off_id", call_off["id"]}},
                     block_ipa);

    QuarterlyExportRefused(system);
  }

  SECTION("004 Northamptonshire: interventions ranked per lot, yearly re-opening, other bodies") {
    LoadedSystem system = Load("004_northamptonshire.json", "northamptonshire");
    CHECK(system.system["other_bodies_may_call_off"] == true);
    CHECK(system.system["rules"]["call_off_by_ranking"] == true);
    CHECK(system.system["entry_window_mode"] == "ENTRY_WINDOW_MODE_SCHEDULED");
    const Json assessments = system.lots.at("ASSESSMENTS");
    CHECK(assessments["provision_types"][0] == "PROVISION_TYPE_BESPOKE_INTERVENTION");

    // Psychologists: no inspectorate, priced per assessment.
    auto psychologist = [](const std::string& provider, const std::string& name, double latitude,
                           int score, int64_t fee) {
      return Site{.provider = provider,
                  .name = name,
                  .postcode = "NN1 1AA",
                  .latitude = latitude,
                  .longitude = -0.8900,
                  .provision_types = {"PROVISION_TYPE_BESPOKE_INTERVENTION"},
                  .lots = {"ASSESSMENTS"},
                  .ceiling_pence = fee,
                  .score = score,
                  .inspectorate = "INSPECTORATE_NONE",
                  .age_min = 0,
                  .rate_card = {{{"code", "psych-assessment"},
                                 {"description", "Psychological assessment and court report"},
                                 {"unit", "RATE_UNIT_PER_ASSESSMENT"},
                                 {"rate", Money(fee)}}}};
    };
    const Site first_site =
        psychologist("nn-clarke-psychology", "Clarke Psychology", 52.24, 60, 150000);
    Member clarke = Draft(system, first_site);
    if (!InAWindow(system.system, now)) {
      // Re-opened once a year: between windows a submission is refused.
      const HttpResult refused = Try(Token(Role::ROLE_PROVIDER_USER, first_site.provider), "POST",
                                     "/v1/applications/" + clarke.application_id + ":submit");
      INFO(refused.body);
      CHECK(refused.Json().value("code", "") == "FAILED_PRECONDITION");
      OpenInterimWindow(system, now);
    }
    clarke = SubmitAndDecide(system, first_site, clarke);
    const Member nene =
        Apply(system, psychologist("nn-nene-assessments", "Nene Assessments", 52.25, 90, 140000));
    const Member shire = Apply(
        system, psychologist("nn-shire-family", "Shire Family Psychology", 52.26, 75, 130000));

    // Scored and ranked per lot at admission: the qualification scores in force order them.
    const std::string lead = Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, "northamptonshire");
    CHECK(nene.memberships.at("ASSESSMENTS")["qualification_score"] == 90.0);
    CHECK(shire.memberships.at("ASSESSMENTS")["qualification_score"] == 75.0);
    CHECK(clarke.memberships.at("ASSESSMENTS")["qualification_score"] == 60.0);
    const HttpResult ranking = Api(Port(), lead, "GET",
                                   absl::StrCat("/v1/memberships?order_by_score=true&lot_id=",
                                                assessments["id"].get<std::string>()));
    INFO(ranking.body);
    REQUIRE(ranking.status == 200);
    const Json ranked = ranking.Json()["memberships"];
    REQUIRE(ranked.size() == 3);
    CHECK(ranked[0]["establishment_id"] == nene.establishment_id);
    CHECK(ranked[0]["rank"] == 1);
    CHECK(ranked[1]["establishment_id"] == shire.establishment_id);
    CHECK(ranked[1]["rank"] == 2);
    CHECK(ranked[2]["establishment_id"] == clarke.establishment_id);
    CHECK(ranked[2]["rank"] == 3);

    // A call-off from the ranking: the second-ranked, the first passed over with its reason.
    const std::string officer = Token(Role::ROLE_PLACING_OFFICER, "northamptonshire");
    Json call_off = {
        {"system_id", system.system["id"]},
        {"lot_id", assessments["id"]},
        {"establishment_id", clarke.establishment_id},
        {"basis", "DIRECT_AWARD_BASIS_RANKED_CALL_OFF"},
        {"passed_over",
         {{{"establishment_id", nene.establishment_id}, {"reason", "No capacity before March."}}}},
        {"children", {{{"child_key", "child-1"}, {"age_years", 12}, {"gender", "GENDER_FEMALE"}}}},
        {"location", {{"postcode_district", "NN2"}}},
        {"justification", "A cognitive assessment ordered by the school, called off the ranking."},
        {"review_on", DateJson(Today() + 60)},
        {"start_date", DateJson(Today() + 5)},
        {"planned_duration_months", 1},
        {"core_fee", Money(150000)}};
    // Calling off the third passes over the second as well: each one above must be named.
    const HttpResult unnamed = Try(officer, "POST", "/v1/directAwards", call_off);
    INFO(unnamed.body);
    CHECK(unnamed.status == 400);
    CHECK(unnamed.Json()["errors"][0]["pointer"] == "/passed_over");
    call_off["establishment_id"] = shire.establishment_id;
    call_off["core_fee"] = Money(130000);
    const Json called_off = Post(officer, "/v1/directAwards", call_off);
    CHECK(called_off["state"] == "DIRECT_AWARD_STATE_MADE");
    CHECK(called_off["basis"] == "DIRECT_AWARD_BASIS_RANKED_CALL_OFF");
    CHECK(called_off["passed_over"][0]["establishment_id"] == nene.establishment_id);
    const Json call_off_ipa = WaitForIpa(officer, "direct_award_id", called_off["id"]);
    CHECK(call_off_ipa["state"] == "IPA_STATE_DRAFT");

    // A mini-competition for an assessment for court.
    const Published referral = Publish(
        officer,
        {{"system_id", system.system["id"]},
         {"lot_id", assessments["id"]},
         {"kind", "REFERRAL_KIND_INDIVIDUAL"},
         {"children", {{{"child_key", "child-1"}, {"age_years", 9}, {"gender", "GENDER_MALE"}}}},
         {"location", {{"postcode_district", "NN3"}}},
         {"needs",
          {{{"code", "court-mandated"}, {"marks", 2}}, {{"code", "family-work"}, {"marks", 1}}}},
         {"desirable_features", {{{"code", "court-report"}, {"marks", 1}}}},
         {"outcomes_sought", {"A report the court can rely on within six weeks"}},
         {"description", "A psychological assessment of a boy of 9 and his parents, for court."},
         {"start_date", DateJson(Today() + 10)},
         {"planned_duration_months", 2},
         {"radius_miles", 30},
         {"response_deadline", Timestamp(now + absl::Hours(48))}});
    const std::string id = referral.referral["id"];
    CHECK(referral.invitation_by_establishment.size() == 3);
    Post(officer, absl::StrCat("/v1/referrals/", id, ":assignOutcomeEvaluators"),
         {{"evaluator_user_ids", {"outcome-evaluator"}}});
    const std::string nene_bid =
        Bid(nene, referral,
            {{"core_fee", Money(135000)},
             {"needs_met", {"court-mandated", "family-work"}},
             {"features_met", {"court-report"}},
             {"earliest_start", DateJson(Today() + 10)},
             {"outcomes_answer", "Report within five weeks; HCPC psychologist."}});
    const std::string shire_bid = Bid(shire, referral,
                                      {{"core_fee", Money(125000)},
                                       {"needs_met", {"court-mandated"}},
                                       {"earliest_start", DateJson(Today() + 10)},
                                       {"outcomes_answer", "Report within six weeks."}});
    Decline(clarke, referral, "DECLINE_REASON_NO_CAPACITY", "Fully booked until the new year.");
    WaitForState(officer, id, {"REFERRAL_STATE_CLOSED"});
    ScoreOutcomes("northamptonshire", id, {{nene_bid, 5}, {shire_bid, 3}});
    const Json evaluated = WaitForState(officer, id, {"REFERRAL_STATE_EVALUATED"});
    const Json evaluation = Get(officer, absl::StrCat("/v1/referrals/", id, "/evaluation"));
    const std::string top = evaluation["response"]["bids"][0]["bid_id"];
    const Json awarded = Post(officer, absl::StrCat("/v1/referrals/", id, ":award"),
                              {{"bid_id", top}, {"basis", "AWARD_BASIS_TOP_RANKED"}});
    CHECK(awarded["state"] == "REFERRAL_STATE_AWARDED");
    const Json draft = WaitForIpa(officer, "referral_id", id);
    CHECK(draft["provision_type"] == "PROVISION_TYPE_BESPOKE_INTERVENTION");
    const std::string assessor =
        Token(Role::ROLE_PROVIDER_USER, top == nene_bid ? nene.provider_id : shire.provider_id);
    const Json assessment_ipa =
        IssueAndSign(officer, assessor, draft, "A psychological assessment for the family court");
    AddDocumentAndSign(officer, assessor, assessment_ipa, "The court's letter of instruction");

    QuarterlyExportRefused(system);
    (void)evaluated;
  }

  // Last: it moves the services' clock forward for the rest of this test case.
  SECTION("Time passes: deadlines close a referral in each system, and each quarter is published") {
    // In each system (its load replays: the same system and members as its section), one more
    // referral from the same officer to the same lot and place; one invitee bids, the others
    // never answer. Eleven days to answer: PCR 2015's ten at least.
    struct Late {
      std::string file, lead, officer, lot, district, need, feature;
      int age;
      std::string gender;
      int radius;
    };
    const std::vector<Late> lates = {
        {"000_south_east.json", "west-sussex", "brighton-and-hove", "RES", "RH12", "SEMH",
         "education-on-site", 14, "GENDER_MALE", 40},
        {"001_north_west.json", "cheshire-east", "sefton", "52-WEEK", "L20", "SEMH",
         "therapy-on-site", 12, "GENDER_FEMALE", 40},
        {"002_west_sussex_cposs.json", "west-sussex", "west-sussex", "CAT3-IFA", "RH12", "trauma",
         "eal-support", 7, "GENDER_FEMALE", 10},
        {"003_west_london.json", "barnet", "barking-and-dagenham", "IFA", "RM8", "trauma",
         "eal-support", 9, "GENDER_MALE", 25},
        {"004_northamptonshire.json", "northamptonshire", "northamptonshire", "ASSESSMENTS", "NN3",
         "family-work", "court-report", 9, "GENDER_MALE", 30}};
    std::vector<std::pair<std::string, std::string>> open;  // officer token, referral id
    for (const Late& late : lates) {
      INFO(late.file);
      const LoadedSystem system = Load(late.file, late.lead);
      const std::string officer = Token(Role::ROLE_PLACING_OFFICER, late.officer);
      const Published referral = Publish(
          officer,
          {{"system_id", system.system["id"]},
           {"lot_id", system.lots.at(late.lot)["id"]},
           {"kind", "REFERRAL_KIND_INDIVIDUAL"},
           {"children",
            {{{"child_key", "child-1"}, {"age_years", late.age}, {"gender", late.gender}}}},
           {"location", {{"postcode_district", late.district}}},
           {"needs", {{{"code", late.need}, {"marks", 2}}}},
           {"desirable_features", {{{"code", late.feature}, {"marks", 1}}}},
           {"outcomes_sought", {"Settled, and in school or in work with the court"}},
           {"description", "A child who needs a placement near home, answered by one provider."},
           {"start_date", DateJson(Today() + 30)},
           {"planned_duration_months", 6},
           {"radius_miles", late.radius},
           {"response_deadline", Timestamp(now + absl::Hours(24 * 11))}});
      const std::string id = referral.referral["id"];
      REQUIRE(referral.invitation_by_establishment.size() >= 2);
      const Json invitations = Get(officer, absl::StrCat("/v1/referrals/", id, "/invitations"));
      const Json& first = invitations["invitations"][0];
      // £700 a week (or a unit): under every ceiling the sections' members tendered.
      Post(Token(Role::ROLE_PROVIDER_USER, first["provider_id"]),
           absl::StrCat("/v1/invitations/", first["id"].get<std::string>(), "/bids"),
           {{"content",
             {{"core_fee", Money(70000)},
              {"needs_met", {late.need}},
              {"earliest_start", DateJson(Today() + 30)},
              {"outcomes_answer", "Someone the child already knows, from the first day."}}}});
      CHECK(ReferralOf(officer, id)["state"] == "REFERRAL_STATE_OPEN");
      open.emplace_back(officer, id);
    }

    // Twelve days on, every deadline has passed: the server's timer closes each referral by
    // itself, the unanswered invitations NO_RESPONSE.
    SharedSuite().MoveClock(absl::Hours(24 * 12));
    for (const auto& [officer, id] : open) {
      const Json closed = WaitForState(officer, id,
                                       {"REFERRAL_STATE_CLOSED", "REFERRAL_STATE_EVALUATED",
                                        "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE"});
      INFO(closed.dump());
      CHECK(closed["closed_at"] > closed["spec"]["response_deadline"]);
      const Json after = Get(officer, absl::StrCat("/v1/referrals/", id, "/invitations"));
      int bids = 0, no_response = 0;
      for (const Json& invitation : after["invitations"]) {
        bids += invitation["state"] == "INVITATION_STATE_BID" ? 1 : 0;
        no_response += invitation["state"] == "INVITATION_STATE_NO_RESPONSE" ? 1 : 0;
      }
      CHECK(bids == 1);
      CHECK(no_response == static_cast<int>(after["invitations"].size()) - 1);
    }

    // Past the quarter's end, each system's quarter of awards is published as one OCDS release
    // package: every award the sections above made, competitive, direct and call-off.
    const absl::CivilDay today = Today();
    const int quarter = (today.month() - 1) / 3 + 1;
    const absl::CivilDay next_quarter = quarter == 4
                                            ? absl::CivilDay(today.year() + 1, 1, 1)
                                            : absl::CivilDay(today.year(), quarter * 3 + 1, 1);
    SharedSuite().MoveClock(absl::Hours(24) *
                            std::max<int64_t>(13, next_quarter - today + 1));  // never back
    for (const Late& late : lates) {
      INFO(late.file);
      const std::string& lead = late.lead;
      const LoadedSystem loaded = Load(late.file, lead);
      const std::string system_id = loaded.system["id"];
      const Json produced = Post(Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead),
                                 absl::StrCat("/v1/purchasingSystems/", system_id, "/publications"),
                                 {{"kind", "PUBLICATION_KIND_QUARTERLY"},
                                  {"quarter", {{"year", today.year()}, {"quarter", quarter}}},
                                  {"ocid_prefix", "ocds-test01"}});
      CHECK(produced["state"] == "PUBLICATION_STATE_PRODUCED");
      CHECK(produced["publish_by"] == DateJson(next_quarter + 29));
      std::string package_text;
      REQUIRE(absl::Base64Unescape(produced.value("release_package_json", ""), &package_text));
      CHECK(platform::Sha256Hex(package_text) == produced["sha256"]);
      const Json package = Json::parse(package_text);
      const int awards = produced["award_count"];
      // Each section made one award at least; the referrals above have none yet.
      CHECK(awards >= 1);
      int awarded_releases = 0;
      for (const Json& release : package["releases"]) {
        CHECK(release["ocid"].get<std::string>().rfind("ocds-test01-", 0) == 0);
        awarded_releases += release.contains("awards") ? 1 : 0;
      }
      CHECK(awarded_releases == awards);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Three scenarios that cross councils, on a South East system of their own: an establishment
// suspended during a live competition because of one council's safeguarding alert, which the
// other councils see; and an Ofsted file whose Inadequate rating suspends another.

TEST_CASE("Councils share what they learn of an establishment, and a competition honours it") {
  const absl::Time now = absl::Now();
  const LoadedSystem system = Load("000_south_east.json", "west-sussex", "cross-council-");
  const std::string system_id = system.system["id"];
  const std::string system_path = "/v1/purchasingSystems/" + system_id;
  const Json res = system.lots.at("RES");
  const std::vector<std::string> home = {"PROVISION_TYPE_RESIDENTIAL_HOME"};
  auto site = [&](const std::string& provider, const std::string& name, double latitude) {
    return Site{.provider = provider,
                .name = name,
                .postcode = "RH13 5AA",
                .latitude = latitude,
                .longitude = -0.3259,
                .provision_types = home,
                .lots = {"RES"},
                .ceiling_pence = 480000,
                .score = 70};
  };
  // Draft() gives each an Ofsted reference "SC" + the first three letters of its name.
  const Member xylo = Apply(system, site("cc-xylo-care", "Xylo House", 51.0629));
  const Member quill = Apply(system, site("cc-quill-homes", "Quill Lodge", 51.0700));
  const Member yarrow = Apply(system, site("cc-yarrow-care", "Yarrow Court", 51.0800));
  const std::string lead = Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex");

  // Surrey refers a boy; all three homes are invited, and Xylo bids.
  const std::string surrey = Token(Role::ROLE_PLACING_OFFICER, "surrey");
  const Published referral = Publish(
      surrey,
      {{"system_id", system_id},
       {"lot_id", res["id"]},
       {"kind", "REFERRAL_KIND_INDIVIDUAL"},
       {"children", {{{"child_key", "child-1"}, {"age_years", 13}, {"gender", "GENDER_MALE"}}}},
       {"location", {{"postcode_district", "RH12"}}},
       {"needs", {{{"code", "ASD"}, {"marks", 1}}}},
       // No outcome answers to score: the ranking is final when the referral closes.
       {"weights",
        {{"price", 50},
         {"outcomes", 0},
         {"needs", 20},
         {"features", 5},
         {"location", 5},
         {"core_competency", 20}}},
       {"desirable_features", {{{"code", "education-on-site"}, {"marks", 1}}}},
       {"description", "A calm home for a boy of 13 with autism."},
       {"start_date", DateJson(Today() + 28)},
       {"planned_duration_months", 12},
       {"radius_miles", 40},
       {"response_deadline", Timestamp(now + absl::Hours(24 * 5))}});
  const std::string id = referral.referral["id"];
  REQUIRE(referral.invitation_by_establishment.size() == 3);
  const std::string xylo_bid = Bid(xylo, referral,
                                   {{"core_fee", Money(400000)},
                                    {"needs_met", {"ASD"}},
                                    {"features_met", {"education-on-site"}},
                                    {"earliest_start", DateJson(Today() + 28)}});

  // Kent raises a safeguarding alert about Xylo; Medway's officer and Essex's commissioner see
  // it, the provider does not.
  const Json alert =
      Post(Token(Role::ROLE_PLACING_OFFICER, "kent"), system_path + "/safeguardingAlerts",
           {{"establishment_id", xylo.establishment_id},
            {"severity", "ALERT_SEVERITY_SERIOUS"},
            {"category", "supervision"},
            {"summary", "A child went missing overnight and was not reported."}});
  for (const std::string& reader :
       {Token(Role::ROLE_PLACING_OFFICER, "medway"), Token(Role::ROLE_COMMISSIONER, "essex")}) {
    const Json seen = Get(reader, system_path + "/safeguardingAlerts");
    bool found = false;
    for (const Json& each : seen["alerts"]) found |= each["id"] == alert["id"];
    CHECK(found);
  }
  CHECK(Api(Port(), Token(Role::ROLE_PROVIDER_USER, xylo.provider_id), "GET",
            system_path + "/safeguardingAlerts")
            .status == 403);

  // The lead authority suspends Xylo citing the alert, while Surrey's competition is open.
  const Json suspended = Post(lead, "/v1/memberships:suspend",
                              {{"system_id", system_id},
                               {"establishment_id", xylo.establishment_id},
                               {"reason", "SUSPENSION_REASON_SAFEGUARDING_ALERT"},
                               {"detail", "Suspended while Kent's alert is investigated."},
                               {"alert_id", alert["id"]}});
  REQUIRE(suspended["memberships"].size() == 1);
  CHECK(suspended["memberships"][0]["state"] == "MEMBERSHIP_STATE_SUSPENDED");
  // The referral service hears of it from the qualification service's events: Surrey sees the
  // invitation marked, and Xylo may not bid again.
  WaitFor([&] { return Get(surrey, absl::StrCat("/v1/referrals/", id, "/invitations")); },
          [&](const Json& list) {
            for (const Json& invitation : list.value("invitations", Json::array())) {
              if (invitation["establishment_id"] == xylo.establishment_id) {
                return invitation.value("suspended", false);
              }
            }
            return false;
          },
          "Xylo's invitation to be marked suspended");

  // The others answer, which closes the competition: Xylo's bid is excluded, not ranked.
  const std::string quill_bid = Bid(quill, referral,
                                    {{"core_fee", Money(450000)},
                                     {"needs_met", {"ASD"}},
                                     {"earliest_start", DateJson(Today() + 28)}});
  Decline(yarrow, referral, "DECLINE_REASON_NO_CAPACITY", "No bed before the spring.");
  WaitForState(surrey, id, {"REFERRAL_STATE_EVALUATED", "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE"});
  const Json evaluation = Get(surrey, absl::StrCat("/v1/referrals/", id, "/evaluation"));
  INFO(evaluation.dump());
  bool xylo_seen = false;
  for (const Json& bid : evaluation["response"]["bids"]) {
    if (bid["bid_id"] == xylo_bid) {
      xylo_seen = true;
      CHECK(bid["compliant"] == false);
      CHECK(bid["exclusion_reasons"][0]["code"] == "EXCLUSION_CODE_NOT_ELIGIBLE_AT_CLOSE");
    } else {
      CHECK(bid["bid_id"] == quill_bid);
      CHECK(bid["rank"] == 1);
    }
  }
  CHECK(xylo_seen);

  // West Sussex imports Ofsted's latest file: Yarrow Court is now Inadequate, which suspends it
  // in every lot at once, naming the rating.
  const Json imported = Post(lead, "/v1/inspectionRatings:import",
                             {{"rows",
                               {{{"inspectorate", "INSPECTORATE_OFSTED"},
                                 {"inspectorate_ref", "SCYar"},
                                 {"rating", "RATING_INADEQUATE"},
                                 {"grade_text", "Inadequate"},
                                 {"inspected_on", DateJson(Today() - 20)},
                                 {"published_on", DateJson(Today() - 2)}},
                                {{"inspectorate", "INSPECTORATE_OFSTED"},
                                 {"inspectorate_ref", "SC-NOT-OURS"},
                                 {"rating", "RATING_GOOD"},
                                 {"inspected_on", DateJson(Today() - 20)},
                                 {"published_on", DateJson(Today() - 2)}}}}});
  INFO(imported.dump());
  REQUIRE(imported["results"].size() == 2);
  const Json& row = imported["results"][0];
  CHECK(row["outcome"] == "IMPORT_ROW_OUTCOME_RECORDED");
  CHECK(row["triggered_suspension"] == true);
  CHECK(imported["results"][1]["outcome"] == "IMPORT_ROW_OUTCOME_UNKNOWN_REF");
  const Json membership =
      Get(lead, "/v1/memberships/" + yarrow.memberships.at("RES")["id"].get<std::string>());
  CHECK(membership["state"] == "MEMBERSHIP_STATE_SUSPENDED");
  REQUIRE(membership["suspensions"].size() == 1);
  CHECK(membership["suspensions"][0]["reason"] == "SUSPENSION_REASON_RATING_INADEQUATE");
  CHECK(membership["suspensions"][0]["inspection_rating_id"] == row["inspection_rating_id"]);

  // Medway's next referral goes to the one home neither council has reason to stop.
  const Published next = Publish(
      Token(Role::ROLE_PLACING_OFFICER, "medway"),
      {{"system_id", system_id},
       {"lot_id", res["id"]},
       {"kind", "REFERRAL_KIND_INDIVIDUAL"},
       {"children", {{{"child_key", "child-1"}, {"age_years", 12}, {"gender", "GENDER_FEMALE"}}}},
       {"location", {{"postcode_district", "RH12"}}},
       {"needs", {{{"code", "SEMH"}, {"marks", 1}}}},
       {"desirable_features", {{{"code", "education-on-site"}, {"marks", 1}}}},
       {"description", "A girl of 12 who needs a stable home near her school."},
       {"outcomes_sought", {"Settled at school within a term"}},
       {"start_date", DateJson(Today() + 21)},
       {"planned_duration_months", 6},
       {"radius_miles", 40},
       {"response_deadline", Timestamp(now + absl::Hours(24 * 5))}});
  CHECK(next.invitation_by_establishment.size() == 1);
  CHECK(next.invitation_by_establishment.count(quill.establishment_id) == 1);
}

}  // namespace
}  // namespace dps::testing
