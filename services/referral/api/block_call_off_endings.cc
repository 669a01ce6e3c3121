#include "services/referral/api/block_call_off_endings.h"

#include <utility>

#include "services/referral/api/closer.h"
#include "services/referral/api/convert.h"
#include "services/referral/storage/records.h"

namespace dps::referral {

absl::StatusOr<v1::BlockCallOff> EndCallOffAndAnnounce(platform::Call& call,
                                                       v1::BlockContract& stored,
                                                       BlockContract& block,
                                                       const std::string& call_off_id,
                                                       absl::CivilDay ended_on) {
  if (absl::Status s = EndCallOff(block, call_off_id, ended_on); !s.ok()) return s;
  ApplyToApi(block, stored);
  if (absl::Status s = SaveBlockContract(call.tx, stored); !s.ok()) return s;
  v1::BlockCallOff ended;
  for (const v1::BlockCallOff& call_off : stored.call_offs()) {
    if (call_off.id() == call_off_id) ended = call_off;
  }
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_block_call_off_ended();
  event.set_call_off_id(ended.id());
  event.set_block_contract_id(stored.id());
  event.set_placing_authority_id(stored.placing_authority_id());
  *event.mutable_ended_on() = ended.ended_on();
  event.set_places_freed(ended.children_size());
  if (absl::Status s = platform::Announce(call, kReferralStream, "referral.block.call_off_ended",
                                          "block_contract", stored.id(), stored.system_id(),
                                          std::move(envelope));
      !s.ok()) {
    return s;
  }
  return ended;
}

}  // namespace dps::referral
