#include "services/referral/app/block_endings.h"

#include <utility>

#include "platform/auth/identity.h"
#include "services/referral/app/closing.h"
#include "services/referral/convert/convert.h"
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

absl::Status EndBlockAndAnnounce(platform::Call& call, v1::BlockContract& stored,
                                 BlockContract& block, absl::CivilDay last_day,
                                 const std::string& reason) {
  const bool by_a_person = call.caller.role != dps::common::v1::ROLE_SERVICE;
  if (absl::Status s = EndBlockContract(block, last_day, reason,
                                        by_a_person ? call.caller.user_id : "", call.now);
      !s.ok()) {
    return s;
  }
  ApplyToApi(block, stored);
  if (by_a_person) *stored.mutable_ended_by() = platform::ActorOf(call.caller);
  if (absl::Status s = SaveBlockContract(call.tx, stored); !s.ok()) return s;
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_block_contract_ended();
  event.set_block_contract_id(stored.id());
  event.set_lot_id(stored.lot_id());
  event.set_placing_authority_id(stored.placing_authority_id());
  event.set_establishment_id(stored.establishment_id());
  *event.mutable_last_day() = stored.ended_on();
  event.set_ended_early(*block.ended_on < *block.spec.period.end);
  return platform::Announce(call, kReferralStream, "referral.block.ended", "block_contract",
                            stored.id(), stored.system_id(), std::move(envelope));
}

}  // namespace dps::referral
