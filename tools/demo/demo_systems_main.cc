// dps-demo-systems: loads the five seed purchasing systems (data/systems/*.json) into a running
// suite through the REST gateway only, as their users would, and gives each a working market:
// establishments grown from Ofsted's register apply to its lots and are decided by the lead
// authority, and its placing officers have referrals in every state (draft, open with a bid,
// withdrawn, no suitable offer, closed awaiting outcome scores, evaluated, awarded with the
// agreement drawn up).
//
// Every change carries an idempotency key made from what it does, and every date is counted from
// the system's own creation, so a second run sends the same requests and changes nothing.
// `./dps up` runs it once per data folder (see the dps script).
//
//   dps-demo-systems --gateway_port=8080 --data_dir=data --establishments=250
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/auth/token_minter.h"
#include "tools/api_client/system_loader.h"
#include "tools/demo/demo_plan.h"

ABSL_FLAG(int, gateway_port, 8080, "the REST gateway's port on 127.0.0.1");
ABSL_FLAG(std::string, data_dir, DPS_DATA_DIR, "the repository's data/ folder");
ABSL_FLAG(int, establishments, 250, "establishments in the five systems between them");

namespace {

using dps::api_client::HttpResult;
using dps::api_client::LoadedSystem;
using dps::common::v1::Role;
using dps::demo::DemoSite;
using Json = nlohmann::json;

constexpr char kKeyPrefix[] = "demo-v1-";

// A refusal the demo cannot go on from: what it was doing and what the server said.
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::mutex output_mutex;
void Say(const std::string& line) {
  std::lock_guard<std::mutex> lock(output_mutex);
  std::cout << line << std::endl;
}

class Api {
 public:
  Api(int port, dps::platform::auth::TokenMinter minter, std::string key_prefix)
      : port_(port), minter_(std::move(minter)), key_prefix_(std::move(key_prefix)) {}

  std::string Token(Role role, const std::string& organisation, const std::string& user = "demo") {
    absl::StatusOr<std::string> token = minter_.TokenFor(
        {.user_id = user, .role = role, .organisation_id = organisation}, absl::Hours(2));
    if (!token.ok()) throw Refused(std::string(token.status().message()));
    return *token;
  }

  Json Get(const std::string& token, const std::string& path) {
    HttpResult result;
    for (int attempt = 0; attempt < 50; ++attempt) {
      result = dps::api_client::Api(port_, token, "GET", path);
      if (result.status != 429) break;  // over the caller's rate: wait as a client should
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (result.status != 200) throw Refused(Describe("GET " + path, result));
    return result.Json();
  }

  // A change under the idempotency key `key_prefix_` + `key`.
  HttpResult TryChange(const std::string& token, const std::string& method, const std::string& path,
                       const Json& body, const std::string& key) {
    return dps::api_client::Change(port_, token, method, path, body, key_prefix_ + key);
  }

  Json Post(const std::string& token, const std::string& path, const Json& body,
            const std::string& key) {
    const HttpResult result = TryChange(token, "POST", path, body, key);
    if (result.status != 200) throw Refused(Describe("POST " + path, result));
    return result.Json();
  }

  Json Put(const std::string& token, const std::string& path, const Json& body,
           const std::string& key) {
    const HttpResult result = TryChange(token, "PUT", path, body, key);
    if (result.status != 200) throw Refused(Describe("PUT " + path, result));
    return result.Json();
  }

  int port() const { return port_; }

  static std::string Describe(const std::string& call, const HttpResult& result) {
    return absl::StrCat(call, ": HTTP ", result.status, " ", result.body);
  }

 private:
  int port_;
  dps::platform::auth::TokenMinter minter_;
  std::string key_prefix_;
};

Json Money(int64_t pence) { return {{"pence", std::to_string(pence)}}; }
Json DateJson(absl::CivilDay day) {
  return {{"year", day.year()}, {"month", day.month()}, {"day", day.day()}};
}
std::string Timestamp(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", at, absl::UTCTimeZone());
}
absl::Time ParseTimestamp(const std::string& text) {
  absl::Time at;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &at, &error)) {
    throw Refused("a timestamp the server sent cannot be read: " + text);
  }
  return at;
}

bool Applies(const Json& criterion, const std::string& lot_id) {
  const Json ids = criterion.value("lot_ids", Json::array());
  return ids.empty() || std::find(ids.begin(), ids.end(), lot_id) != ids.end();
}

// One system's demo: its members and its officers' referrals.
class SystemDemo {
 public:
  SystemDemo(Api& api, std::string stem, Json config, std::vector<DemoSite> sites)
      : api_(api), stem_(std::move(stem)), config_(std::move(config)), sites_(std::move(sites)) {}

  void Run() {
    lead_ = config_["system"]["spec"].value("lead_authority_id", "");
    absl::StatusOr<LoadedSystem> loaded =
        dps::api_client::LoadSystem(api_.port(), api_.Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead_),
                                    config_, kKeyPrefix + stem_);
    if (!loaded.ok()) throw Refused(std::string(loaded.status().message()));
    system_ = *std::move(loaded);
    system_id_ = system_.system.value("id", "");
    // Dates count from the system's creation, which a replayed request returns unchanged.
    anchor_ = ParseTimestamp(system_.system.value("created_at", ""));
    OpenEntryIfClosed();
    for (const DemoSite& site : sites_) Qualify(site);
    Referrals();
    Say(absl::StrCat(system_.system.value("name", stem_), " (", system_id_, ", led by ", lead_,
                     "): ", sites_.size(), " establishments qualified; referrals ",
                     absl::StrJoin(made_, ", ")));
  }

 private:
  std::string Key(const std::string& what) const { return stem_ + "-" + what; }
  std::string LeadAdmin() { return api_.Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, lead_); }
  std::string Officer() { return api_.Token(Role::ROLE_PLACING_OFFICER, lead_); }

  // Scheduled entry windows: outside them no application can be submitted, so the lead authority
  // opens an interim round for the demo's providers (the light-touch regime lets it).
  void OpenEntryIfClosed() {
    if (system_.system.value("entry_window_mode", "") != "ENTRY_WINDOW_MODE_SCHEDULED") return;
    const std::string path = "/v1/purchasingSystems/" + system_id_;
    const Json current = api_.Get(LeadAdmin(), path);
    const absl::Time now = absl::Now();
    for (const Json& window : current.value("entry_windows", Json::array())) {
      if (ParseTimestamp(window.value("opens_at", "")) <= now &&
          now < ParseTimestamp(window.value("closes_at", ""))) {
        return;
      }
    }
    Json spec;
    for (const char* field :
         {"name", "regime", "lead_authority_id", "authorities", "validity", "entry_window_mode",
          "entry_windows", "qualification_mode", "rules", "other_bodies_may_call_off"}) {
      if (current.contains(field)) spec[field] = current[field];
    }
    spec["entry_windows"].push_back({{"opens_at", Timestamp(anchor_ - absl::Hours(1))},
                                     {"closes_at", Timestamp(anchor_ + absl::Hours(24 * 30))},
                                     {"label", "Interim round"}});
    system_.system = api_.Put(LeadAdmin(), path,
                              {{"expected_version", current["version"]},
                               {"spec", spec},
                               {"reason", "An interim round for the demo's providers"}},
                              Key("interim-window"));
  }

  // The provider registers, describes its establishment, adds evidence and applies; the lead
  // authority has the application evaluated and decides it.
  void Qualify(const DemoSite& site) {
    const std::string provider = api_.Token(Role::ROLE_PROVIDER_USER, site.provider_id);
    // One registration per owner, whichever system its first establishment joins.
    const HttpResult registered =
        api_.TryChange(provider, "POST", "/v1/providers",
                       {{"spec", {{"name", site.provider_name}}}}, "provider-" + site.provider_id);
    if (registered.status != 200 && registered.Json().value("code", "") != "ALREADY_EXISTS") {
      throw Refused(Api::Describe("register provider " + site.provider_id, registered));
    }
    const std::string establishment_id =
        api_.Post(provider, absl::StrCat("/v1/providers/", site.provider_id, "/establishments"),
                  {{"spec", site.establishment_spec}}, Key("establishment-" + site.key))["id"];
    members_[site.lot_code].push_back({&site, establishment_id});

    const std::string lot_id = system_.lots.at(site.lot_code)["id"];
    Json responses = Json::array();
    std::vector<std::string> weighted, pass_fail;
    for (const auto& [code, criterion] : system_.criteria) {
      if (!Applies(criterion, lot_id)) continue;
      (criterion["kind"] == "CRITERION_KIND_WEIGHTED" ? weighted : pass_fail).push_back(code);
      Json response = {{"criterion_id", criterion["id"]},
                       {"establishment_id", establishment_id},
                       {"answer", absl::StrCat("Our approach to ", code, ", with examples.")}};
      if (criterion.value("evidence_required", false)) {
        Json evidence = {{"establishment_id", establishment_id},
                         {"criterion_id", criterion["id"]},
                         {"title", criterion["title"]},
                         {"document_uri", absl::StrCat("docs://", site.provider_id, "/", site.key,
                                                       "/", code, ".pdf")},
                         {"document_sha256", std::string(64, '0')}};
        if (criterion.value("evidence_expires", false)) {
          evidence["expires_on"] = DateJson(absl::ToCivilDay(anchor_, absl::UTCTimeZone()) + 330);
        }
        response["evidence_ids"] = {
            api_.Post(provider, absl::StrCat("/v1/providers/", site.provider_id, "/evidence"),
                      evidence, Key(absl::StrCat("evidence-", site.key, "-", code)))["id"]};
      }
      responses.push_back(response);
    }
    Json commercial = {{"establishment_id", establishment_id},
                       {"lot_id", lot_id},
                       {"ceiling_fee", Money(site.ceiling_pence)}};
    if (!site.rate_card.empty()) commercial["rate_card"] = site.rate_card;
    const std::string application =
        "/v1/applications/" +
        api_.Post(provider, "/v1/applications",
                  {{"system_id", system_id_},
                   {"provider_id", site.provider_id},
                   {"kind", "APPLICATION_KIND_NEW"},
                   {"spec",
                    {{"items", {{{"establishment_id", establishment_id}, {"lot_id", lot_id}}}},
                     {"responses", responses},
                     {"commercial", {commercial}}}}},
                  Key("application-" + site.key))["id"]
            .get<std::string>();
    api_.Post(provider, application + ":submit", Json::object(), Key("submit-" + site.key));

    api_.Post(LeadAdmin(), application + ":assignEvaluators",
              {{"evaluators", {{{"evaluator_user_id", "evaluator-1"}}}}},
              Key("assign-" + site.key));
    const std::string evaluator = api_.Token(Role::ROLE_EVALUATOR, lead_, "evaluator-1");
    for (const std::string& code : weighted) {
      api_.Post(evaluator, application + ":scoreMethodStatement",
                {{"criterion_id", system_.criteria.at(code)["id"]},
                 {"establishment_id", establishment_id},
                 {"score", site.score},
                 {"comment", "Specific, with evidence of practice."}},
                Key(absl::StrCat("score-", site.key, "-", code)));
    }
    for (const std::string& code : pass_fail) {
      api_.Post(LeadAdmin(), application + ":recordCriterionResult",
                {{"result",
                  {{"criterion_id", system_.criteria.at(code)["id"]},
                   {"establishment_id", establishment_id},
                   {"passed", true}}}},
                Key(absl::StrCat("result-", site.key, "-", code)));
    }
    const Json decided =
        api_.Post(LeadAdmin(), application + ":decide", Json::object(), Key("decide-" + site.key));
    for (const Json& decision : decided.value("decisions", Json::array())) {
      if (decision.value("outcome", "") != "ITEM_OUTCOME_QUALIFIED") {
        throw Refused(absl::StrCat(site.key, " was not qualified: ", decision.dump()));
      }
    }
  }

  struct Member {
    const DemoSite* site;
    std::string establishment_id;
  };

  struct Published {
    std::string id;
    std::vector<std::pair<const Member*, std::string>> invitations;  // member, invitation id
  };

  // The lot with the most members (the first on a tie) takes the officers' referrals.
  std::string BusiestLot() const {
    std::string busiest;
    for (const Json& lot : config_["lots"]) {
      const std::string code = lot["spec"].value("code", "");
      const auto found = members_.find(code);
      const size_t count = found == members_.end() ? 0 : found->second.size();
      if (busiest.empty() || count > members_.at(busiest).size()) busiest = code;
    }
    return busiest;
  }

  Json ReferralSpec(const std::string& lot_code, int number) {
    const Json& lot = system_.lots.at(lot_code);
    const double radius = 40;
    const dps::demo::ReferralPlace place = dps::demo::PlaceReferral(sites_, lot_code, radius);
    Json needs = Json::array();
    const Json& vocabulary = lot.value("needs", Json::array());
    for (size_t i = 0; i < vocabulary.size() && i < 2; ++i) {
      needs.push_back({{"code", vocabulary[i]["code"]}, {"marks", 2 - static_cast<int>(i)}});
    }
    Json features = Json::array();
    for (const Json& feature : lot.value("features", Json::array())) {
      features.push_back({{"code", feature["code"]}, {"marks", 1}});
      break;
    }
    const absl::CivilDay today = absl::ToCivilDay(anchor_, absl::UTCTimeZone());
    return {{"system_id", system_id_},
            {"lot_id", lot["id"]},
            {"kind", "REFERRAL_KIND_INDIVIDUAL"},
            {"children",
             {{{"child_key", "child-1"},  // a key within the referral, never a name
               {"age_years", place.age_years},
               {"gender", place.gender}}}},
            {"location", {{"postcode_district", place.postcode_district}}},
            {"needs", needs},
            {"desirable_features", features},
            {"outcomes_sought", {"Settled and in education within a term"}},
            {"description", absl::StrCat("Demo referral ", number, ": a child of ", place.age_years,
                                         " who needs a stable placement near school.")},
            {"start_date", DateJson(today + 28)},
            {"planned_duration_months", 12},
            {"radius_miles", radius},
            // Fourteen days: PCR 2015 asks for ten at least.
            {"response_deadline", Timestamp(anchor_ + absl::Hours(24 * 14))}};
  }

  // The draft as created (a replay answers with the same record, the same version).
  Json Draft(const std::string& lot_code, int number) {
    return api_.Post(Officer(), "/v1/referrals", {{"spec", ReferralSpec(lot_code, number)}},
                     Key(absl::StrCat("referral-", number)));
  }

  Published Publish(const std::string& lot_code, int number) {
    const Json draft = Draft(lot_code, number);
    const std::string id = draft["id"];
    const Json published =
        api_.Post(Officer(), absl::StrCat("/v1/referrals/", id, ":publish"),
                  {{"expected_version", draft["version"]}}, Key(absl::StrCat("publish-", number)));
    Published result{id, {}};
    for (const Json& invitation : published.value("new_invitations", Json::array())) {
      for (const Member& member : members_.at(lot_code)) {
        if (member.establishment_id == invitation.value("establishment_id", "")) {
          result.invitations.emplace_back(&member, invitation["id"]);
        }
      }
    }
    return result;
  }

  // The invitee at `index` bids `fee` a week, meeting every need, and the desirable feature
  // when it `offers_feature`.
  std::string Bid(const Published& referral, size_t index, int number, int64_t fee,
                  bool offers_feature) {
    const auto& [member, invitation] = referral.invitations.at(index);
    const Json spec = ReferralSpec(member->site->lot_code, number);
    Json needs_met = Json::array();
    for (const Json& need : spec["needs"]) needs_met.push_back(need["code"]);
    Json features_met = Json::array();
    if (offers_feature) {
      for (const Json& feature : spec["desirable_features"])
        features_met.push_back(feature["code"]);
    }
    return api_.Post(api_.Token(Role::ROLE_PROVIDER_USER, member->site->provider_id),
                     absl::StrCat("/v1/invitations/", invitation, "/bids"),
                     {{"content",
                       {{"core_fee", Money(fee)},
                        {"needs_met", needs_met},
                        {"features_met", features_met},
                        {"earliest_start", spec["start_date"]},
                        {"outcomes_answer",
                         "A named keyworker from the first day; school "
                         "within a month."}}}},
                     Key(absl::StrCat("bid-", number, "-", index)))["id"];
  }

  void Decline(const Published& referral, size_t index, int number) {
    const auto& [member, invitation] = referral.invitations.at(index);
    api_.Post(api_.Token(Role::ROLE_PROVIDER_USER, member->site->provider_id),
              absl::StrCat("/v1/invitations/", invitation, ":decline"),
              {{"reason", "DECLINE_REASON_NO_CAPACITY"}, {"detail", "No place before spring."}},
              Key(absl::StrCat("decline-", number, "-", index)));
  }

  Json WaitForState(const std::string& id, const std::set<std::string>& states) {
    Json referral;
    for (int attempt = 0; attempt < 300; ++attempt) {
      referral = api_.Get(Officer(), "/v1/referrals/" + id);
      if (states.count(referral.value("state", "")) > 0) return referral;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw Refused(absl::StrCat("referral ", id, " stayed ", referral.value("state", ""),
                               " for 30 s, waiting for ", absl::StrJoin(states, " or ")));
  }

  // Two bids (or as many as there are invitations) and every other invitee declines, so the
  // referral closes at once. Returns the bids.
  std::vector<std::string> AnswerAll(const Published& referral, int number) {
    std::vector<std::string> bids;
    for (size_t i = 0; i < referral.invitations.size(); ++i) {
      if (i < 2) {
        // A little under the member's ceiling, each bidder differently; the first offers the
        // feature.
        const int64_t fee =
            referral.invitations[i].first->site->ceiling_pence - static_cast<int64_t>(i) * 2500;
        bids.push_back(Bid(referral, i, number, fee, i == 0));
      } else {
        Decline(referral, i, number);
      }
    }
    return bids;
  }

  // Scores every outcome answer: 4 for the first and 3 for the rest, or 4 for all when `alike`.
  void ScoreOutcomes(const std::string& id, int number, bool alike = false) {
    const std::string evaluator = api_.Token(Role::ROLE_EVALUATOR, lead_, "outcome-evaluator");
    const Json tasks = api_.Get(evaluator, "/v1/outcomeTasks?pending_only=true&referral_id=" + id);
    int score = 4;
    for (const Json& task : tasks.value("tasks", Json::array())) {
      const std::string bid = task["bid_id"];
      api_.Post(evaluator, absl::StrCat("/v1/bids/", bid, ":scoreOutcomeAnswer"),
                {{"referral_id", id}, {"score", score}, {"comment", "Specific and realistic."}},
                Key(absl::StrCat("outcome-", number, "-", bid)));
      score = alike ? 4 : 3;
    }
  }

  // Referrals in every state a placing officer meets, each one placed by the lead authority's
  // officer in the busiest lot.
  void Referrals() {
    const std::string lot = BusiestLot();
    Draft(lot, 1);
    made_.push_back("draft");

    Published open = Publish(lot, 2);
    if (!open.invitations.empty())
      Bid(open, 0, 2, open.invitations[0].first->site->ceiling_pence, true);
    made_.push_back(absl::StrCat("open (", open.invitations.size(), " invited)"));

    Published withdrawn = Publish(lot, 3);
    api_.Post(Officer(), absl::StrCat("/v1/referrals/", withdrawn.id, ":withdraw"),
              {{"reason", "The child's family found a placement with relatives."}},
              Key("withdraw-3"));
    made_.push_back("withdrawn");

    Published declined = Publish(lot, 4);
    if (!declined.invitations.empty()) {
      for (size_t i = 0; i < declined.invitations.size(); ++i) Decline(declined, i, 4);
      // Closed with no bid to evaluate; the officer records that the market had no offer.
      WaitForState(declined.id, {"REFERRAL_STATE_EVALUATED", "REFERRAL_STATE_CLOSED",
                                 "REFERRAL_STATE_NO_SUITABLE_OFFER"});
      api_.Post(Officer(), absl::StrCat("/v1/referrals/", declined.id, ":declareNoSuitableOffer"),
                {{"reason", "Every invited provider declined: no capacity this term."}},
                Key("no-offer-4"));
      made_.push_back("no suitable offer");
    }

    // Closed, evaluated and awarded: each answered by every invitee, so closed at once.
    for (int number : {5, 6, 7}) {
      Published referral = Publish(lot, number);
      if (referral.invitations.empty()) continue;
      api_.Post(Officer(), absl::StrCat("/v1/referrals/", referral.id, ":assignOutcomeEvaluators"),
                {{"evaluator_user_ids", {"outcome-evaluator"}}},
                Key(absl::StrCat("evaluators-", number)));
      AnswerAll(referral, number);
      // (Each wait also accepts the states after it, which an earlier run may have reached.)
      Json state =
          WaitForState(referral.id, {"REFERRAL_STATE_CLOSED", "REFERRAL_STATE_EVALUATED",
                                     "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE",
                                     "REFERRAL_STATE_NO_SUITABLE_OFFER", "REFERRAL_STATE_AWARDED"});
      if (number == 5) {
        made_.push_back("closed (awaiting outcome scores)");
        continue;
      }
      ScoreOutcomes(referral.id, number);
      state = WaitForState(referral.id,
                           {"REFERRAL_STATE_EVALUATED", "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE",
                            "REFERRAL_STATE_NO_SUITABLE_OFFER", "REFERRAL_STATE_AWARDED"});
      if (number == 6 || state["state"] == "REFERRAL_STATE_NO_SUITABLE_OFFER") {
        made_.push_back(Described(state));
        continue;
      }
      Award(referral.id, state, number);
    }

    if (system_.lots.at(lot).value("parental_choice", Json::object()).value("enabled", false)) {
      ParentalChoice(lot);
    }
  }

  // Where the lot lets the family choose between near-equal bids: the two invitees most alike
  // bid the same fee with the same offer and are scored alike, and the referral waits for the
  // family's choice.
  void ParentalChoice(const std::string& lot) {
    constexpr int kNumber = 8;
    Published referral = Publish(lot, kNumber);
    if (referral.invitations.size() < 2) return;
    api_.Post(Officer(), absl::StrCat("/v1/referrals/", referral.id, ":assignOutcomeEvaluators"),
              {{"evaluator_user_ids", {"outcome-evaluator"}}},
              Key(absl::StrCat("evaluators-", kNumber)));
    std::vector<const DemoSite*> invited;
    for (const auto& [member, invitation] : referral.invitations) invited.push_back(member->site);
    const DemoSite& nearest = *referral.invitations.front().first->site;
    const auto [first, second] = dps::demo::MostAlike(invited, nearest.latitude, nearest.longitude);
    const int64_t fee = std::min(invited[first]->ceiling_pence, invited[second]->ceiling_pence);
    for (size_t i = 0; i < referral.invitations.size(); ++i) {
      if (i == first || i == second) {
        Bid(referral, i, kNumber, fee, true);
      } else {
        Decline(referral, i, kNumber);
      }
    }
    WaitForState(referral.id, {"REFERRAL_STATE_CLOSED", "REFERRAL_STATE_EVALUATED",
                               "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE"});
    ScoreOutcomes(referral.id, kNumber, /*alike=*/true);
    const Json state = WaitForState(
        referral.id, {"REFERRAL_STATE_EVALUATED", "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE"});
    made_.push_back(Described(state));
  }

  static std::string Described(const Json& referral) {
    const std::string state = referral.value("state", "");
    if (state == "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE") return "awaiting the family's choice";
    if (state == "REFERRAL_STATE_EVALUATED") return "evaluated";
    if (state == "REFERRAL_STATE_NO_SUITABLE_OFFER") return "no suitable offer";
    return state;
  }

  // The officer awards the top-ranked bid, or the family's choice where the shortlist is close;
  // above the authority's threshold a commissioner approves.
  void Award(const std::string& id, const Json& referral, int number) {
    const std::string path = "/v1/referrals/" + id;
    if (referral["state"] == "REFERRAL_STATE_AWARDED") {  // by an earlier run
      made_.push_back("awarded (its agreement drawn up as a draft)");
      return;
    }
    std::string bid;
    std::string basis = "AWARD_BASIS_TOP_RANKED";
    if (referral["state"] == "REFERRAL_STATE_AWAITING_PARENTAL_CHOICE") {
      bid = referral["parental_choice"]["shortlist_bid_ids"][0];
      basis = "AWARD_BASIS_PARENTAL_CHOICE";
      api_.Post(Officer(), path + ":recordParentalChoice",
                {{"chosen_bid_id", bid}, {"note", "The family visited and chose this one."}},
                Key(absl::StrCat("choice-", number)));
    } else {
      bid = api_.Get(Officer(), path + "/evaluation")["response"]["bids"][0]["bid_id"];
    }
    const Json awarded = api_.Post(Officer(), path + ":award", {{"bid_id", bid}, {"basis", basis}},
                                   Key(absl::StrCat("award-", number)));
    if (awarded["award"].value("approval", "") == "APPROVAL_STATE_PENDING") {
      api_.Post(api_.Token(Role::ROLE_COMMISSIONER, lead_), path + ":decideAwardApproval",
                {{"approve", true}, {"reason", "Within the placement budget."}},
                Key(absl::StrCat("approval-", number)));
    }
    made_.push_back("awarded (its agreement drawn up as a draft)");
  }

  Api& api_;
  std::string stem_;
  Json config_;
  std::vector<DemoSite> sites_;
  std::string lead_;
  LoadedSystem system_;
  std::string system_id_;
  absl::Time anchor_;
  std::map<std::string, std::vector<Member>> members_;  // lot code -> members, in plan order
  std::vector<std::string> made_;
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  absl::StatusOr<dps::platform::auth::TokenMinter> minter =
      dps::platform::auth::TokenMinter::FromEnvironment();
  if (!minter.ok()) {
    std::cerr << "dps-demo-systems: " << minter.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<dps::qualification::tools::GeneratorInput> input =
      dps::qualification::tools::LoadGeneratorInput(data_dir);
  if (!input.ok()) {
    std::cerr << "dps-demo-systems: " << input.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<dps::qualification::tools::Establishment>> pool =
      dps::qualification::tools::GenerateEstablishments(*input, {.count = 6000, .seed = 2026});
  if (!pool.ok()) {
    std::cerr << "dps-demo-systems: " << pool.status().message() << "\n";
    return 1;
  }

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir + "/systems")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "dps-demo-systems: no systems in " << data_dir << "/systems\n";
    return 1;
  }

  Api api(absl::GetFlag(FLAGS_gateway_port), *std::move(minter), kKeyPrefix);
  std::vector<std::unique_ptr<SystemDemo>> demos;
  std::set<std::string> taken;
  const int per_system = absl::GetFlag(FLAGS_establishments) / static_cast<int>(files.size());
  for (const std::filesystem::path& file : files) {
    absl::StatusOr<Json> config = dps::api_client::ReadSystemConfig(file.string());
    if (!config.ok()) {
      std::cerr << "dps-demo-systems: " << config.status().message() << "\n";
      return 1;
    }
    absl::StatusOr<std::vector<DemoSite>> sites =
        dps::demo::PlanSites(*config, *input, *pool, per_system, taken);
    if (!sites.ok()) {
      std::cerr << "dps-demo-systems: " << file.filename().string() << ": "
                << sites.status().message() << "\n";
      return 1;
    }
    demos.push_back(std::make_unique<SystemDemo>(api, file.stem().string(), *std::move(config),
                                                 *std::move(sites)));
  }

  // The systems load side by side (their callers differ, so each keeps within its own rate).
  std::vector<std::string> failures(demos.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < demos.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        demos[i]->Run();
      } catch (const Refused& refused) {
        failures[i] = refused.what();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  int failed = 0;
  for (size_t i = 0; i < failures.size(); ++i) {
    if (failures[i].empty()) continue;
    std::cerr << "dps-demo-systems: " << files[i].filename().string() << ": " << failures[i]
              << "\n";
    ++failed;
  }
  if (failed > 0) return 1;
  std::cout << "demo systems: the five seed systems loaded with " << per_system * files.size()
            << " establishments from Ofsted's register (Contains Ofsted data (c) Crown copyright)"
            << std::endl;
  return 0;
}
