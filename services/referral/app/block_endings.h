// The ends of block contracts and of the placements into them.
//
// The end of a placement into a block contract, whoever reports it: the placing authority
// (EndBlockCallOff) or the contracts service, whose agreement for the placement ended or was
// cancelled (consumers/ipa_events.h). The call-off ends on its last day (the domain's EndCallOff:
// its places are free from the next day), the block is saved, and the end is announced as
// referral.block.call_off_ended, from which market intelligence counts the block's voids.
#ifndef DPS_SERVICES_REFERRAL_APP_BLOCK_ENDINGS_H_
#define DPS_SERVICES_REFERRAL_APP_BLOCK_ENDINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/work/unit_of_work.h"
#include "services/referral/domain/block_contract.h"

namespace dps::referral {

// `stored` is the block as loaded for a change (locked), `block` its domain reading. Returns the
// call-off as ended.
absl::StatusOr<v1::BlockCallOff> EndCallOffAndAnnounce(platform::Call& call,
                                                       v1::BlockContract& stored,
                                                       BlockContract& block,
                                                       const std::string& call_off_id,
                                                       absl::CivilDay ended_on);

// The end of a block contract, whoever ends it: its commissioner (EndBlockContract, early or on
// the period's last day, with a reason) or the block timer once the period has run out
// (timers/block_period_timer.h; no one ends it then, so ended_by stays unset). The domain's
// EndBlockContract, the block saved, and referral.block.ended announced (ended_early when the
// last day is before the period's). `stored` and `block` as above; `stored` is left as saved.
absl::Status EndBlockAndAnnounce(platform::Call& call, v1::BlockContract& stored,
                                 BlockContract& block, absl::CivilDay last_day,
                                 const std::string& reason);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_BLOCK_ENDINGS_H_
