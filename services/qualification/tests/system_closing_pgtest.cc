// A purchasing system's life through gRPC against a real PostgreSQL: going LIVE and closing,
// each announced in the outbox, and the closing timer that closes a LIVE system at the end of
// its period of validity and the extensions exercised, across a restart (timers/system_closing.h).
#include <catch2/catch.hpp>
#include <string>

#include "services/qualification/tests/service_fixture.h"
#include "services/qualification/tests/world.h"
#include "services/qualification/timers/system_closing.h"

namespace dps::qualification::testing {
namespace {

// Runs a closing timer (a new one: as a restarted process would) once at `at`.
int CloseAt(ServiceFixture& f, absl::Time at) {
  f.clock().Set(at);
  SystemClosingTimer timer(f.pool(), f.clock());
  absl::StatusOr<int> closed = timer.RunOnce();
  REQUIRE(closed.ok());
  return *closed;
}

// The lead authority takes the system's first extension, for `reason`.
grpc::Status Extend(ServiceFixture& f, const World& w, const std::string& reason,
                    v1::PurchasingSystem* extended) {
  v1::ExtendPurchasingSystemRequest extend;
  extend.set_idempotency_key(ServiceFixture::Key());
  extend.set_system_id(w.system_id);
  extend.set_extension_index(0);
  extend.set_reason(reason);
  return f.stub().ExtendPurchasingSystem(Lead().get(), extend, extended);
}

}  // namespace

TEST_CASE("a LIVE system closes by itself on the first tick after its period ends, once",
          "[qualification][service][closing]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);  // valid 1 April 2026 to 31 March 2029, one extension of 24 months
  CHECK(f.EventCount("qualification.system.live") == 1);
  const dps::events::v1::EventEnvelope live = f.LastEvent("qualification.system.live");
  CHECK(live.purchasing_system_state_changed().previous_state() ==
        v1::PURCHASING_SYSTEM_STATE_DRAFT);
  CHECK(live.purchasing_system_state_changed().state() == v1::PURCHASING_SYSTEM_STATE_LIVE);

  // The last valid day: nothing is due.
  CHECK(CloseAt(f, At(2029, 3, 31, 23)) == 0);
  CHECK(GetSystem(f, w.system_id).state() == v1::PURCHASING_SYSTEM_STATE_LIVE);
  // The process restarts; the next tick is past the end.
  CHECK(CloseAt(f, At(2029, 4, 2, 3)) == 1);
  CHECK(CloseAt(f, At(2029, 4, 2, 4)) == 0);

  const v1::PurchasingSystem closed = GetSystem(f, w.system_id);
  CHECK(closed.state() == v1::PURCHASING_SYSTEM_STATE_CLOSED);
  const dps::common::v1::HistoryEntry& entry = closed.history(closed.history_size() - 1);
  CHECK(entry.from_state() == "PURCHASING_SYSTEM_STATE_LIVE");
  CHECK(entry.to_state() == "PURCHASING_SYSTEM_STATE_CLOSED");
  CHECK(entry.reason() == "period of validity ended on 2029-03-31");
  CHECK(f.EventCount("qualification.system.closed") == 1);
  const dps::events::v1::EventEnvelope envelope = f.LastEvent("qualification.system.closed");
  const dps::events::v1::PurchasingSystemStateChanged& event =
      envelope.purchasing_system_state_changed();
  CHECK(event.previous_state() == v1::PURCHASING_SYSTEM_STATE_LIVE);
  CHECK(event.state() == v1::PURCHASING_SYSTEM_STATE_CLOSED);
  CHECK(event.reason() == "period of validity ended on 2029-03-31");
  CHECK(DayText(event.period_end()) == "2029-03-31");

  // Closed, it takes no extension.
  v1::PurchasingSystem extended;
  CHECK(Extend(f, w, "too late", &extended).error_code() == grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_CASE("an extension exercised moves the day the system closes",
          "[qualification][service][closing]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  f.clock().Set(At(2029, 2, 1));
  v1::PurchasingSystem extended;
  CHECK_OK(Extend(f, w, "the market is still growing", &extended));
  CHECK(DayText(extended.validity().current_end()) == "2031-03-31");

  CHECK(CloseAt(f, At(2029, 4, 2)) == 0);
  CHECK(GetSystem(f, w.system_id).state() == v1::PURCHASING_SYSTEM_STATE_LIVE);
  CHECK(CloseAt(f, At(2031, 3, 31, 23)) == 0);
  CHECK(CloseAt(f, At(2031, 4, 1, 0)) == 1);
  CHECK(GetSystem(f, w.system_id).state() == v1::PURCHASING_SYSTEM_STATE_CLOSED);
  CHECK(DayText(f.LastEvent("qualification.system.closed")
                    .purchasing_system_state_changed()
                    .period_end()) == "2031-03-31");
}

TEST_CASE("closing by the lead authority is announced, and the timer then has nothing to do",
          "[qualification][service][closing]") {
  ServiceFixture f(At(2026, 6, 1));
  const World w = SetUp(f);
  v1::SetPurchasingSystemStateRequest close;
  close.set_idempotency_key(ServiceFixture::Key());
  close.set_id(w.system_id);
  close.set_state(v1::PURCHASING_SYSTEM_STATE_CLOSED);
  close.set_reason("replaced by the 2027 dynamic market");
  v1::PurchasingSystem closed;
  CHECK_OK(f.stub().SetPurchasingSystemState(Lead().get(), close, &closed));
  CHECK(closed.state() == v1::PURCHASING_SYSTEM_STATE_CLOSED);
  CHECK(f.EventCount("qualification.system.closed") == 1);
  const dps::events::v1::EventEnvelope envelope = f.LastEvent("qualification.system.closed");
  const dps::events::v1::PurchasingSystemStateChanged& event =
      envelope.purchasing_system_state_changed();
  CHECK(event.previous_state() == v1::PURCHASING_SYSTEM_STATE_LIVE);
  CHECK(event.reason() == "replaced by the 2027 dynamic market");
  CHECK(DayText(event.period_end()) == "2029-03-31");
  CHECK(CloseAt(f, At(2029, 4, 2)) == 0);
  CHECK(f.EventCount("qualification.system.closed") == 1);
}

}  // namespace dps::qualification::testing
