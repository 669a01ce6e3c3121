// The audit entry of an event: every state change a service makes is announced by an event
// written through the outbox in the same transaction (platform/events/outbox.h), so the event
// is what the audit log records — who (the envelope's actor), when (its occurred_at), what (its
// type, aggregate and payload), and the request it came in.
//
//   "contracts.ipa.signed" on ipa-1 -> action "ipa.signed", aggregate "ipa" "ipa-1",
//   details_json {"document_sha256":"…","ipa_id":"ipa-1",…} (keys sorted, no whitespace)
//
// Events never carry a child's identity (proto/README.md), so neither do the entries made from
// them. What an event does not carry is not recorded: the free-text reasons (a cancellation's,
// a rejection's) stay with the record itself. A change that announces nothing is recorded too
// (EntryOfUnannouncedChange; platform/work/unit_of_work.h stages it), so every change is in the chain.
#ifndef DPS_PLATFORM_AUDIT_EVENT_ENTRY_H_
#define DPS_PLATFORM_AUDIT_EVENT_ENTRY_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dps/common/v1/common.pb.h"
#include "platform/audit/chain.h"

namespace dps::platform::audit {

// The entry for an event as the outbox holds it, unchained (no service, sequence or hashes: the
// table and the chainer give those). `payload` is a serialised dps.events.v1.EventEnvelope; one
// that is not (a test's) gives an entry of the type and aggregate only. `now` stands in when the
// envelope has no time. Instants are cut to whole microseconds, as PostgreSQL keeps them.
Entry EntryOfEvent(absl::string_view type, absl::string_view aggregate_id,
                   absl::string_view request_id, absl::string_view payload,
                   absl::string_view event_id, absl::Time now);

// The entry of a change that announced no event (a draft referral edited, evaluators assigned,
// an application's answers saved): the action is the RPC's name ("UpdateReferral"), and what
// the RPC answered says which record it changed: the aggregate type from the answer's message
// ("Referral" -> "referral", "OutcomeTask" -> "outcome_task"), its id, its system (system_id,
// or spec.system_id), its placing authority (placing_authority_id, else the caller's authority
// when an officer or commissioner acts), its state. The answer's other fields are not recorded:
// they may hold free text, and the record itself keeps them.
Entry EntryOfUnannouncedChange(absl::string_view method, const dps::common::v1::Actor& actor,
                               absl::string_view request_id, absl::Time now,
                               const google::protobuf::Message& answer);

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_EVENT_ENTRY_H_
