#include "services/referral/timers/block_period_timer.h"

#include <string>
#include <vector>

#include "services/referral/app/block_endings.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/block_contract.h"
#include "services/referral/storage/records.h"
#include "services/referral/timers/due_items.h"

namespace dps::referral {
namespace {

constexpr char kTimerUser[] = "block-timer";
constexpr char kReason[] = "its period ran out";
const platform::TimerLog kLog{.done = "block contracts ended with their period",
                              .failed = "block timer could not list block contracts"};

}  // namespace

absl::StatusOr<platform::TimerTick> BlockPeriodTimer::Tick() {
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  std::vector<std::string> due;
  absl::Status listed = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> ids = BlocksPastTheirPeriod(tx, today);
    if (!ids.ok()) return ids.status();
    due = *std::move(ids);
    return absl::OkStatus();
  });
  if (!listed.ok()) return listed;
  const platform::CallerIdentity timer{
      .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  return HandleEachDue(
      pool_, due,
      [&](pqxx::work& tx, const std::string& id) -> absl::StatusOr<bool> {
        // Another process, or its commissioner, may have ended it since the list was read.
        absl::StatusOr<bool> claimed = ClaimActiveBlock(tx, id);
        if (!claimed.ok() || !*claimed) return claimed;
        v1::BlockContract stored;
        if (absl::Status s = LoadBlockContract(tx, id, true, stored); !s.ok()) return s;
        absl::StatusOr<BlockContract> block = ToDomain(stored);
        if (!block.ok()) return block.status();
        if (!BlockPeriodOver(*block, today)) return false;
        platform::Call call{.tx = tx, .caller = timer, .request_id = "", .now = now};
        if (absl::Status s =
                EndBlockAndAnnounce(call, stored, *block, *block->spec.period.end, kReason);
            !s.ok()) {
          return s;
        }
        return true;
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
