// The events the IPA use cases announce (dps.events.v1, stream dps.contracts), each built from the
// IPA as it stands after the change and wrapped in its EventEnvelope. Events never carry the
// child's identity (contracts.proto): they name the IPA, its source and its parties.
//
//   IpaEvent e = IpaIssuedEvent(ipa, {.actor = officer, .request_id = "r-1", .now = now});
//   e.type == "contracts.ipa.issued"
#ifndef DPS_SERVICES_CONTRACTS_APP_IPA_EVENTS_H_
#define DPS_SERVICES_CONTRACTS_APP_IPA_EVENTS_H_

#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dps/events/v1/events.pb.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

inline constexpr char kIpaCreated[] = "contracts.ipa.created";
inline constexpr char kIpaIssued[] = "contracts.ipa.issued";
inline constexpr char kIpaSigned[] = "contracts.ipa.signed";
inline constexpr char kIpaActivated[] = "contracts.ipa.activated";
inline constexpr char kIpaEnded[] = "contracts.ipa.ended";
inline constexpr char kIpaCancelled[] = "contracts.ipa.cancelled";
inline constexpr char kIpaNoticeGiven[] = "contracts.ipa.notice_given";
inline constexpr char kIpaVaried[] = "contracts.ipa.varied";
inline constexpr char kUpliftRequested[] = "contracts.uplift.requested";
inline constexpr char kUpliftDecided[] = "contracts.uplift.decided";

// Who caused an event, and when (the envelope's actor, request_id and occurred_at). The timer
// and the award consumer act as the contracts service itself (Role::kService).
struct EventContext {
  Actor actor;
  std::string request_id;
  absl::Time now;
};

// `envelope` (its payload set) completed with the event's type, what changed (`aggregate_type`
// and `aggregate_id`), when, who, the request and the purchasing system, ready for the outbox.
IpaEvent EnvelopeEvent(dps::events::v1::EventEnvelope envelope, const char* type,
                       absl::string_view aggregate_type, const std::string& aggregate_id,
                       const std::string& system_id, const EventContext& context);

IpaEvent IpaCreatedEvent(const Ipa& ipa, const EventContext& context);
// The version awaiting signatures was rendered (version 1 on issue).
IpaEvent IpaIssuedEvent(const Ipa& ipa, const EventContext& context);
// `party` signed `version_number`; fully_signed when both parties have.
IpaEvent IpaSignedEvent(const Ipa& ipa, Party party, int version_number,
                        const EventContext& context);
IpaEvent IpaActivatedEvent(const Ipa& ipa, const EventContext& context);
IpaEvent IpaEndedEvent(const Ipa& ipa, const EventContext& context);
// An ending was scheduled, by notice or by both parties' agreement (the detail is not carried).
IpaEvent IpaNoticeGivenEvent(const Ipa& ipa, const EventContext& context);
// Cancelled from `previous` (DRAFT or ISSUED); the reason is not carried.
IpaEvent IpaCancelledEvent(const Ipa& ipa, IpaState previous, const EventContext& context);
// Variation `version_number` is in force (both parties signed it): its kind and effective date,
// and the total weekly fee on that date before and after it.
IpaEvent IpaVariedEvent(const Ipa& ipa, int version_number, const EventContext& context);
// A provider asked for a fee uplift on `ipa` (the justification and cost pressures are not
// carried: they stay with the request).
IpaEvent UpliftRequestedEvent(const FeeUplift& uplift, const Ipa& ipa, const EventContext& context);
// A commissioner decided it; an approval names the variation it proposed.
IpaEvent UpliftDecidedEvent(const FeeUplift& uplift, const Ipa& ipa, const EventContext& context);

// A change no event announces: still written to the audit log, with the change. Like events,
// it carries no free-text reason and names records by id, so no child's identity reaches the log.
struct UnannouncedChange {
  std::string action;          // "ipa.draft_updated"
  std::string aggregate_type;  // "ipa"
  std::string aggregate_id;
  std::string system_id;
  std::string authority_id;  // the placing authority concerned
  std::string from_state;
  std::string to_state;
  std::map<std::string, std::string> details;  // written as canonical JSON (keys sorted)
};

// Its audit entry, by whom and when `context` says (the entry id is made when it is written).
platform::audit::Entry AuditEntryOf(const UnannouncedChange& change, const EventContext& context);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_IPA_EVENTS_H_
