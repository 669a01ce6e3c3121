// Two instances of each stateful service (qualification, referral, contracts) on one database and
// one Redis, as a cluster runs them: the timers of both race for the same work and the consumers
// of both share their groups. The five demo systems are loaded through the gateway; then the
// services' clock is moved past every open referral's response deadline, and later past the
// demo's evidence's last valid day. Each thing must happen once, and nothing be lost: every
// referral closed once, every piece of evidence expired once, every event applied by each of its
// consumer groups, one agreement per award.
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/support/suite.h"

namespace dps::testing {
namespace {

int64_t Count(const std::string& url, const std::string& sql) {
  pqxx::connection db(url);
  pqxx::work tx(db);
  return tx.exec1(sql)[0].as<int64_t>();
}

// Polls until `sql` counts what `expected_sql` counts (timers tick every second; events take a
// moment to travel). Returns the count.
int64_t WaitUntilEqual(const std::string& url, const std::string& sql,
                       const std::string& expected_sql) {
  int64_t got = -1, expected = -2;
  for (int attempt = 0; attempt < 600; ++attempt) {
    got = Count(url, sql);
    expected = Count(url, expected_sql);
    if (got == expected) return got;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(sql << " counted " << got << "; " << expected_sql << " counted " << expected);
  FAIL("the counts never met in 60 s");
  return got;
}

// How many aggregates of `schema`'s outbox have more than one event of `type`.
std::string Repeated(const std::string& schema, const std::string& type) {
  return absl::StrCat("SELECT count(*) FROM (SELECT aggregate_id FROM ", schema,
                      ".outbox WHERE event_type = '", type,
                      "' GROUP BY aggregate_id HAVING count(*) > 1) repeated");
}

// Events of `stream` written by `schema` against the events of it `group` has applied.
void EveryEventAppliedOnce(const std::string& url, const std::string& schema,
                           const std::string& stream, const std::string& consumer_schema,
                           const std::string& group) {
  INFO(group << " on " << stream);
  const int64_t applied = WaitUntilEqual(
      url,
      absl::StrCat("SELECT count(*) FROM ", consumer_schema,
                   ".processed_events WHERE consumer_group = '", group, "'"),
      absl::StrCat("SELECT count(*) FROM ", schema, ".outbox WHERE stream = '", stream, "'"));
  CHECK(applied > 0);
}

TEST_CASE("Two instances of each stateful service close, expire and apply each thing once") {
  Suite suite({.service_env = {"DPS_DEADLINE_INTERVAL=1s", "DPS_EVIDENCE_EXPIRY_INTERVAL=1s",
                               "DPS_IPA_TIMER_INTERVAL=1s", "DPS_SYSTEM_CLOSING_INTERVAL=1s"},
               .movable_clock = true,
               .replicas = 2});
  const std::string& url = suite.db_url();
  suite.RunTool({absl::StrCat(DPS_BINARY_DIR, "/tools/demo/dps-demo-systems"),
                 absl::StrCat("--gateway_port=", suite.gateway_port()),
                 absl::StrCat("--data_dir=", DPS_SOURCE_DIR, "/data")});

  // The demo leaves one referral OPEN in each system, its deadline 14 days on. Fifteen days
  // later the two referral services' deadline timers have closed each, once.
  const int64_t open = Count(url, "SELECT count(*) FROM referral.referrals WHERE state = 'OPEN'");
  CHECK(open == 5);
  suite.MoveClock(absl::Hours(24 * 15));
  WaitUntilEqual(url, "SELECT count(*) FROM referral.referrals WHERE state = 'OPEN'", "SELECT 0");
  // The closed event is announced when the ranking settles, a moment after the close commits
  // (app/ranking.h), so it is waited for; once there, it is there once per referral.
  WaitUntilEqual(url,
                 "SELECT count(DISTINCT aggregate_id) FROM referral.outbox "
                 "WHERE event_type = 'referral.referral.closed'",
                 "SELECT count(*) FROM referral.referrals WHERE state NOT IN "
                 "('DRAFT', 'OPEN', 'WITHDRAWN')");
  CHECK(Count(url, Repeated("referral", "referral.referral.closed")) == 0);
  WaitUntilEqual(url, "SELECT count(*) FROM referral.rankings_due", "SELECT 0");

  // The demo's evidence runs out 330 days after its system was set up: past that, the two
  // qualification services' expiry timers have expired each piece once, suspending what rests
  // on it.
  const int64_t expiring =
      Count(url, "SELECT count(*) FROM qualification.evidence WHERE expires_on IS NOT NULL");
  REQUIRE(expiring > 0);
  suite.MoveClock(absl::Hours(24 * 335));
  WaitUntilEqual(url,
                 "SELECT count(*) FROM qualification.evidence "
                 "WHERE expires_on IS NOT NULL AND state = 'EXPIRED'",
                 "SELECT count(*) FROM qualification.evidence WHERE expires_on IS NOT NULL");
  CHECK(Count(url, Repeated("qualification", "qualification.evidence.expired")) == 0);
  CHECK(Count(url,
              "SELECT count(*) FROM qualification.outbox "
              "WHERE event_type = 'qualification.evidence.expired'") == expiring);
  CHECK(Count(url, "SELECT count(*) FROM qualification.memberships WHERE state = 'SUSPENDED'") > 0);

  // Every event reaches each group that consumes it, once (processed_events keeps one row per
  // group and event), whichever instance took it.
  EveryEventAppliedOnce(url, "qualification", "dps.qualification", "referral",
                        "referral-membership");
  EveryEventAppliedOnce(url, "qualification", "dps.qualification", "contracts",
                        "contracts-market-ratings");
  EveryEventAppliedOnce(url, "referral", "dps.referral", "contracts", "contracts-awards");
  EveryEventAppliedOnce(url, "referral", "dps.referral", "contracts", "contracts-market");
  // One agreement per award, however many award consumers read the event.
  CHECK(Count(url, "SELECT count(*) FROM contracts.ipas") ==
        Count(url, "SELECT count(*) FROM referral.referrals WHERE state = 'AWARDED'"));
  CHECK(Count(url, "SELECT count(*) FROM contracts.ipas") > 0);
}

}  // namespace
}  // namespace dps::testing
