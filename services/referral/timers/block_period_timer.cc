#include "services/referral/timers/block_period_timer.h"

#include <string>
#include <vector>

#include "services/referral/app/block_contracts.h"
#include "services/referral/storage/pg_block_contract_repository.h"
#include "services/referral/timers/due_items.h"

namespace dps::referral {
namespace {

constexpr char kTimerUser[] = "block-timer";
const platform::TimerLog kLog{.done = "block contracts ended with their period",
                              .failed = "block timer could not list block contracts"};

}  // namespace

absl::StatusOr<platform::TimerTick> BlockPeriodTimer::Tick() {
  const absl::Time now = clock_.Now();
  const platform::CallerIdentity timer{
      .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  // The use cases in the transaction `tx`, acting as the timer.
  const auto in = [&](pqxx::work& tx, const auto& use) {
    platform::Call call{.tx = tx, .caller = timer, .request_id = "", .now = now};
    PgBlockContractRepository blocks(tx);
    platform::OutboxEvents events = ReferralOutbox(call);
    BlockContractUseCases use_cases(blocks, events);
    return use(use_cases);
  };
  std::vector<std::string> due;
  absl::Status listed = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    return in(tx, [&](BlockContractUseCases& use_cases) -> absl::Status {
      absl::StatusOr<std::vector<std::string>> ids =
          use_cases.DueToEnd(absl::ToCivilDay(now, absl::UTCTimeZone()));
      if (!ids.ok()) return ids.status();
      due = *std::move(ids);
      return absl::OkStatus();
    });
  });
  if (!listed.ok()) return listed;
  return HandleEachDue(
      pool_, due,
      [&](pqxx::work& tx, const std::string& id) -> absl::StatusOr<bool> {
        return in(
            tx, [&](BlockContractUseCases& use_cases) { return use_cases.EndWithPeriod(id, now); });
      },
      "block contract could not end with its period", "block_contract_id");
}

int BlockPeriodTimer::RunOnce() {
  absl::StatusOr<platform::TimerTick> tick =
      platform::RunTimerTick(metrics_, kLog, [&] { return Tick(); });
  return tick.ok() ? tick->done : 0;
}

void BlockPeriodTimer::Run(std::stop_token stop, absl::Duration interval) {
  platform::RunTimer(stop, interval, metrics_, kLog, [&] { return Tick(); });
}

}  // namespace dps::referral
