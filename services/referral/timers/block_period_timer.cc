#include "services/referral/timers/block_period_timer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/log/log.h"
#include "platform/service/runtime.h"
#include "services/referral/app/block_endings.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/block_contract.h"
#include "services/referral/storage/records.h"
#include "services/referral/timers/due_items.h"

namespace dps::referral {
namespace {

constexpr char kTimerUser[] = "block-timer";
constexpr char kReason[] = "its period ran out";

}  // namespace

int BlockPeriodTimer::RunOnce() {
  metrics_.Ran();
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  std::vector<std::string> due;
  absl::Status listed = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> ids = BlocksPastTheirPeriod(tx, today);
    if (!ids.ok()) return ids.status();
    due = *std::move(ids);
    return absl::OkStatus();
  });
  if (!listed.ok()) {
    platform::Log(platform::LogLevel::kError, "block timer could not list block contracts",
                  {{"error", listed.ToString()}});
    metrics_.Failed();
    return 0;
  }
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
      metrics_, "block contract could not end with its period", "block_contract_id");
}

void BlockPeriodTimer::Run(std::stop_token stop, absl::Duration interval) {
  while (!stop.stop_requested()) {
    const int ended = RunOnce();
    if (ended > 0) {
      platform::Log(platform::LogLevel::kInfo, "block contracts ended with their period",
                    {{"count", absl::StrCat(ended)}});
    }
    platform::RunEvery(stop, interval);
  }
}

}  // namespace dps::referral
