// A peer that hangs must not stall bids: the qualification service is paused (SIGSTOP: its port
// still accepts connections and nothing answers, so every call to it waits for its deadline),
// then the scoring service. Meanwhile providers keep bidding through the gateway, on the
// referral whose last answer closes it and on another, and an officer widens a referral's radius
// (which asks the register who it reaches) and asks why an establishment was invited; each is
// answered, and no referral service connection sits in a transaction while a peer keeps it
// waiting (a close or ranking that asked a peer under its locks would hold one for the peer's
// whole deadline). Once both peers
// are back, the deadline timer ranks the closed referral and announces its close, once.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/support/suite.h"
#include "tools/api_client/http_client.h"

namespace dps::testing {
namespace {

using api_client::Api;
using api_client::HttpResult;
using dps::common::v1::Role;
using Json = nlohmann::json;

int64_t Count(const std::string& url, const std::string& sql) {
  pqxx::connection db(url);
  pqxx::work tx(db);
  return tx.exec1(sql)[0].as<int64_t>();
}

// The referral service's connections that have been inside one transaction for over a second.
// Every transaction of a bid, a close or a ranking's write takes milliseconds; one held open
// across a call to a paused peer lasts the peer's deadline (5 s for qualification, 10 s for
// scoring).
int64_t LongTransactions(const std::string& url) {
  return Count(url,
               "SELECT count(*) FROM pg_stat_activity WHERE usename = 'dps_referral' "
               "AND xact_start < now() - interval '1 second'");
}

// The demo's OPEN referral of the child aged `age` (dps-demo-referrals).
Json OpenReferral(int port, const std::string& officer, int age) {
  const Json referrals = Api(port, officer, "GET", "/v1/referrals").Json();
  for (const Json& each : referrals["referrals"]) {
    if (each["spec"]["children"][0]["age_years"] == age && each["state"] == "REFERRAL_STATE_OPEN") {
      return each;
    }
  }
  FAIL("the demo has no OPEN referral for a child aged " << age);
  return {};
}

Json PendingInvitations(int port, const std::string& officer, const std::string& referral) {
  const Json all =
      Api(port, officer, "GET", absl::StrCat("/v1/referrals/", referral, "/invitations")).Json();
  Json pending = Json::array();
  for (const Json& each : all["invitations"]) {
    if (each["state"] == "INVITATION_STATE_INVITED" || each["state"] == "INVITATION_STATE_VIEWED") {
      pending.push_back(each);
    }
  }
  return pending;
}

// A bid of the core fee alone (no additional services, so nothing asks the register's rate card),
// meeting the referral's needs from its start date.
HttpResult Bid(int port, const Json& referral, const Json& invitation, const std::string& key) {
  Json content = {{"core_fee", {{"pence", 348000}}},
                  {"earliest_start", referral["spec"]["start_date"]},
                  {"outcomes_answer", "A key worker from the first day and a review every week."}};
  content["needs_met"] = Json::array();
  for (const Json& need : referral["spec"]["needs"]) content["needs_met"].push_back(need["code"]);
  const std::string provider = invitation["provider_id"];
  return Api(port, Suite::Token(Role::ROLE_PROVIDER_USER, provider), "POST",
             absl::StrCat("/v1/invitations/", std::string(invitation["id"]), "/bids"),
             Json{{"content", content}}.dump(), {{"Idempotency-Key", key}});
}

std::string StateOf(int port, const std::string& officer, const std::string& referral) {
  return Api(port, officer, "GET", absl::StrCat("/v1/referrals/", referral)).Json()["state"];
}

TEST_CASE("Bids go through while the qualification and then the scoring service hang") {
  Suite suite({.demo_data = true, .service_env = {"DPS_DEADLINE_INTERVAL=1s"}});
  const int port = suite.gateway_port();
  const std::string& url = suite.db_url();
  const std::string officer = Suite::Token(Role::ROLE_PLACING_OFFICER, "brighton-and-hove");
  // The 15-year-old's referral waits for one answer only, which closes it; the 13-year-old's has
  // every invitation unanswered.
  const Json closing = OpenReferral(port, officer, 15);
  const Json other = OpenReferral(port, officer, 13);
  const std::string closing_id = closing["id"];
  const Json last = PendingInvitations(port, officer, closing_id);
  REQUIRE(last.size() == 1);
  const Json others = PendingInvitations(port, officer, other["id"]);
  REQUIRE(others.size() >= 2);

  suite.Pause("qualification");
  // The last answer closes its referral; the ranking that follows asks the paused register and
  // waits for its deadline, with no transaction open. Meanwhile another referral takes a bid.
  std::future<HttpResult> last_bid =
      std::async(std::launch::async, [&] { return Bid(port, closing, last[0], "stall-last"); });
  // The officer widens the other referral meanwhile: who the wider radius reaches is asked of the
  // paused register before the change's transaction opens, so it holds none either.
  const std::string widen_path =
      absl::StrCat("/v1/referrals/", std::string(other["id"]), ":widenRadius");
  const double radius = other["spec"].value("radius_miles", 20.0);
  std::future<HttpResult> widened = std::async(std::launch::async, [&] {
    return Api(port, officer, "POST", widen_path, Json{{"radius_miles", radius + 10}}.dump(),
               {{"Idempotency-Key", "stall-widen"}});
  });
  // And asks why an establishment was invited: the register explains it between the read's own
  // transactions, never inside one.
  const std::string explain_path = absl::StrCat(
      "/v1/referrals/", std::string(other["id"]),
      ":explainInvitation?establishment_id=", std::string(others[0]["establishment_id"]));
  std::future<HttpResult> explained =
      std::async(std::launch::async, [&] { return Api(port, officer, "GET", explain_path); });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(LongTransactions(url) == 0);
  const HttpResult first_other = Bid(port, other, others[0], "stall-other-1");
  CHECK(first_other.status == 200);
  CHECK(LongTransactions(url) == 0);
  const HttpResult widen = widened.get();
  INFO(widen.body);
  // Answered, either way: widened if the register answered in time, 503 if it did not.
  CHECK((widen.status == 200 || widen.status == 503 || widen.status == 504));
  CHECK(LongTransactions(url) == 0);
  const HttpResult explain = explained.get();
  INFO(explain.body);
  CHECK((explain.status == 200 || explain.status == 503 || explain.status == 504));
  CHECK(LongTransactions(url) == 0);
  const HttpResult closed_by_bid = last_bid.get();
  INFO(closed_by_bid.body);
  CHECK(closed_by_bid.status == 200);
  // Closed and unsealed at once; not yet ranked, and the close not yet announced.
  CHECK(StateOf(port, officer, closing_id) == "REFERRAL_STATE_CLOSED");
  const std::string closed_events = absl::StrCat(
      "SELECT count(*) FROM referral.outbox WHERE event_type = 'referral.referral.closed' "
      "AND aggregate_id = '",
      closing_id, "'");
  CHECK(Count(url, closed_events) == 0);

  // The register back, the engine hung: the timer's ranking now waits on the engine, still with
  // no transaction open, and bids keep going through. The engine is paused before the register
  // resumes: the timer's call to the register is still waiting, and answered the moment it
  // resumes; on a busy machine the register, the timer and the engine can all run before this
  // thread sends its next signal, and the ranking would then settle before the engine was paused.
  suite.Pause("scoring");
  suite.Resume("qualification");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(LongTransactions(url) == 0);
  const HttpResult second_other = Bid(port, other, others[1], "stall-other-2");
  CHECK(second_other.status == 200);
  CHECK(LongTransactions(url) == 0);
  CHECK(Count(url, closed_events) == 0);

  // Both back: the timer ranks the closed referral and announces its close, once.
  suite.Resume("scoring");
  int64_t announced = 0;
  for (int attempt = 0; attempt < 300 && announced == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    announced = Count(url, closed_events);
  }
  CHECK(announced == 1);
  const Json bid = closed_by_bid.Json();
  const Json ranked =
      Api(port, officer, "GET", absl::StrCat("/v1/bids/", std::string(bid["id"]))).Json();
  CHECK(ranked["state"] == "BID_STATE_COMPLIANT");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(Count(url, closed_events) == 1);
  CHECK(Count(url, "SELECT count(*) FROM referral.rankings_due") == 0);
}

}  // namespace
}  // namespace dps::testing
