#include "services/referral/consumers/ipa_events.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/work/unit_of_work.h"
#include "platform/proto/proto_time.h"
#include "services/referral/app/block_endings.h"
#include "services/referral/convert/convert.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

namespace cv1 = ::dps::contracts::v1;

// Who ends a call-off on the contracts service's word.
constexpr char kConsumerUser[] = "ipa-endings";

// Ends call-off `source` of its block on `last_day`, or on the day before it started when
// `last_day` is unset (the placement never began).
absl::Status EndCallOffOf(pqxx::work& tx, const platform::StreamEvent& event,
                          const cv1::IpaSource& source, std::optional<absl::CivilDay> last_day,
                          const platform::Clock& clock) {
  v1::BlockContract stored;
  if (absl::Status s = LoadBlockContract(tx, source.block_contract_id(), true, stored); !s.ok()) {
    if (absl::IsNotFound(s)) return absl::InvalidArgumentError(std::string(s.message()));
    return s;
  }
  absl::StatusOr<BlockContract> block = ToDomain(stored);
  if (!block.ok()) return block.status();
  const auto call_off =
      std::find_if(block->call_offs.begin(), block->call_offs.end(),
                   [&](const BlockCallOff& c) { return c.id == source.block_call_off_id(); });
  if (call_off == block->call_offs.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block contract ", stored.id(), " has no call-off ", source.block_call_off_id()));
  }
  if (call_off->ended_on) return absl::OkStatus();  // the authority said so first
  const absl::CivilDay ended_on =
      last_day ? std::min(*last_day, call_off->planned_end_date) : call_off->start_date - 1;
  const platform::CallerIdentity consumer{
      .user_id = kConsumerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  platform::Call call{
      .tx = tx, .caller = consumer, .request_id = event.request_id, .now = clock.Now()};
  return EndCallOffAndAnnounce(call, stored, *block, source.block_call_off_id(), ended_on).status();
}

}  // namespace

absl::Status ApplyIpaEvent(pqxx::work& tx, const platform::StreamEvent& event,
                           const platform::Clock& clock) {
  dps::events::v1::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.event_id, " (", event.type, "): payload does not parse"));
  }
  switch (envelope.payload_case()) {
    case dps::events::v1::EventEnvelope::kIpaEnded: {
      const auto& ended = envelope.ipa_ended();
      if (ended.source().kind() != cv1::IPA_SOURCE_KIND_BLOCK_CALL_OFF) return absl::OkStatus();
      absl::StatusOr<std::optional<absl::CivilDay>> last_day =
          platform::FromDate(ended.ended_on(), "ended_on");
      if (!last_day.ok()) return last_day.status();
      if (!last_day->has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("event ", event.event_id, ": ended_on: required"));
      }
      return EndCallOffOf(tx, event, ended.source(), *last_day, clock);
    }
    case dps::events::v1::EventEnvelope::kIpaCancelled: {
      const auto& cancelled = envelope.ipa_cancelled();
      if (cancelled.source().kind() != cv1::IPA_SOURCE_KIND_BLOCK_CALL_OFF) {
        return absl::OkStatus();
      }
      return EndCallOffOf(tx, event, cancelled.source(), std::nullopt, clock);
    }
    default:
      return absl::OkStatus();
  }
}

}  // namespace dps::referral
