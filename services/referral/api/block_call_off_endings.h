// The end of a placement into a block contract, whoever reports it: the placing authority
// (EndBlockCallOff) or the contracts service, whose agreement for the placement ended or was
// cancelled (consumers/ipa_events.h). The call-off ends on its last day (the domain's EndCallOff:
// its places are free from the next day), the block is saved, and the end is announced as
// referral.block.call_off_ended, from which market intelligence counts the block's voids.
#ifndef DPS_SERVICES_REFERRAL_API_BLOCK_CALL_OFF_ENDINGS_H_
#define DPS_SERVICES_REFERRAL_API_BLOCK_CALL_OFF_ENDINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/grpc/calls.h"
#include "services/referral/domain/block_contract.h"

namespace dps::referral {

// `stored` is the block as loaded for a change (locked), `block` its domain reading. Returns the
// call-off as ended.
absl::StatusOr<v1::BlockCallOff> EndCallOffAndAnnounce(platform::Call& call,
                                                       v1::BlockContract& stored,
                                                       BlockContract& block,
                                                       const std::string& call_off_id,
                                                       absl::CivilDay ended_on);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_API_BLOCK_CALL_OFF_ENDINGS_H_
