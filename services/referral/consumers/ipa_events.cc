#include "services/referral/consumers/ipa_events.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/proto/proto_time.h"
#include "platform/work/unit_of_work.h"
#include "services/referral/app/block_contracts.h"
#include "services/referral/storage/pg_block_contract_repository.h"

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
  const platform::CallerIdentity consumer{
      .user_id = kConsumerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
  platform::Call call{
      .tx = tx, .caller = consumer, .request_id = event.request_id, .now = clock.Now()};
  PgBlockContractRepository blocks(tx);
  platform::OutboxEvents events = ReferralOutbox(call);
  return BlockContractUseCases(blocks, events)
      .EndCallOffForAgreement(source.block_contract_id(), source.block_call_off_id(), last_day);
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
