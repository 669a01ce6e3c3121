#include "services/contracts/app/ipa_events.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/app/proto_enums.h"
#include "services/contracts/domain/costs.h"
#include "services/contracts/domain/variation.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
namespace cv = ::dps::contracts::v1;

// An event about `ipa` itself, or (`aggregate_type`, `aggregate_id`) one of its fee uplifts.
IpaEvent Wrap(const Ipa& ipa, const char* type, ev::EventEnvelope envelope,
              const EventContext& context, const char* aggregate_type = "ipa",
              const std::string* aggregate_id = nullptr) {
  return EnvelopeEvent(std::move(envelope), type, aggregate_type,
                       aggregate_id != nullptr ? *aggregate_id : ipa.id, ipa.system_id, context);
}

}  // namespace

IpaEvent EnvelopeEvent(ev::EventEnvelope envelope, const char* type,
                       absl::string_view aggregate_type, const std::string& aggregate_id,
                       const std::string& system_id, const EventContext& context) {
  envelope.set_type(type);
  envelope.set_aggregate_type(std::string(aggregate_type));
  envelope.set_aggregate_id(aggregate_id);
  *envelope.mutable_occurred_at() = platform::ToTimestamp(context.now);
  envelope.set_request_id(context.request_id);
  envelope.mutable_actor()->set_user_id(context.actor.user_id);
  envelope.mutable_actor()->set_role(absl::StrCat("ROLE_", RoleName(context.actor.role)));
  envelope.mutable_actor()->set_organisation_id(context.actor.organisation_id);
  envelope.set_schema_version(1);
  envelope.set_system_id(system_id);
  return {.type = type,
          .aggregate_id = aggregate_id,
          .request_id = context.request_id,
          .payload = envelope.SerializeAsString()};
}

IpaEvent IpaCreatedEvent(const Ipa& ipa, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaCreated& e = *envelope.mutable_ipa_created();
  e.set_ipa_id(ipa.id);
  *e.mutable_source() = ToProto(ipa.source);
  e.set_lot_id(ipa.lot_id);
  e.set_placing_authority_id(ipa.parties.placing_authority_id);
  e.set_provider_id(ipa.parties.provider_id);
  e.set_establishment_id(ipa.parties.establishment_id);
  return Wrap(ipa, kIpaCreated, std::move(envelope), context);
}

IpaEvent IpaIssuedEvent(const Ipa& ipa, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaIssued& e = *envelope.mutable_ipa_issued();
  e.set_ipa_id(ipa.id);
  if (const IpaVersion* version = ipa.awaiting_signatures()) {
    e.set_version_number(version->number);
    e.set_document_sha256(version->document_sha256);
  }
  return Wrap(ipa, kIpaIssued, std::move(envelope), context);
}

IpaEvent IpaSignedEvent(const Ipa& ipa, Party party, int version_number,
                        const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaSigned& e = *envelope.mutable_ipa_signed();
  e.set_ipa_id(ipa.id);
  e.set_party(ToProto(party));
  e.set_version_number(version_number);
  if (version_number >= 1 && version_number <= static_cast<int>(ipa.versions.size())) {
    const IpaVersion& version = ipa.versions[version_number - 1];
    e.set_document_sha256(version.document_sha256);
    e.set_fully_signed(version.state == VersionState::kInForce ||
                       version.state == VersionState::kSuperseded);
  }
  return Wrap(ipa, kIpaSigned, std::move(envelope), context);
}

IpaEvent IpaActivatedEvent(const Ipa& ipa, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaActivated& e = *envelope.mutable_ipa_activated();
  e.set_ipa_id(ipa.id);
  *e.mutable_source() = ToProto(ipa.source);
  e.set_lot_id(ipa.lot_id);
  e.set_placing_authority_id(ipa.parties.placing_authority_id);
  e.set_establishment_id(ipa.parties.establishment_id);
  if (ipa.actual_start_date) {
    *e.mutable_actual_start_date() = platform::ToDate(*ipa.actual_start_date);
    if (absl::StatusOr<WeeklyCost> cost = WeeklyCostOn(ipa, *ipa.actual_start_date); cost.ok()) {
      e.mutable_total_weekly_fee()->set_pence(cost->total_pence);
    }
  }
  return Wrap(ipa, kIpaActivated, std::move(envelope), context);
}

IpaEvent IpaEndedEvent(const Ipa& ipa, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaEnded& e = *envelope.mutable_ipa_ended();
  e.set_ipa_id(ipa.id);
  *e.mutable_source() = ToProto(ipa.source);
  if (ipa.ending) {
    e.set_basis(ToProto(ipa.ending->basis));
    e.set_reason(ToProto(ipa.ending->reason));
  }
  if (ipa.ended_on) *e.mutable_ended_on() = platform::ToDate(*ipa.ended_on);
  return Wrap(ipa, kIpaEnded, std::move(envelope), context);
}

IpaEvent IpaCancelledEvent(const Ipa& ipa, IpaState previous, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaCancelled& e = *envelope.mutable_ipa_cancelled();
  e.set_ipa_id(ipa.id);
  *e.mutable_source() = ToProto(ipa.source);
  e.set_previous_state(previous == IpaState::kIssued ? cv::IPA_STATE_ISSUED : cv::IPA_STATE_DRAFT);
  return Wrap(ipa, kIpaCancelled, std::move(envelope), context);
}

IpaEvent IpaNoticeGivenEvent(const Ipa& ipa, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaNoticeGiven& e = *envelope.mutable_ipa_notice_given();
  e.set_ipa_id(ipa.id);
  if (ipa.ending) {
    e.set_basis(ToProto(ipa.ending->basis));
    e.set_reason(ToProto(ipa.ending->reason));
    *e.mutable_end_date() = platform::ToDate(ipa.ending->end_date);
  }
  return Wrap(ipa, kIpaNoticeGiven, std::move(envelope), context);
}

IpaEvent IpaVariedEvent(const Ipa& ipa, int version_number, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::IpaVaried& e = *envelope.mutable_ipa_varied();
  e.set_ipa_id(ipa.id);
  e.set_variation_id(VariationId(ipa.id, version_number));
  e.set_version_number(version_number);
  if (version_number >= 1 && version_number <= static_cast<int>(ipa.versions.size())) {
    const IpaVersion& version = ipa.versions[version_number - 1];
    e.set_kind(ToProto(version.variation_kind));
    *e.mutable_effective_from() = platform::ToDate(version.effective_from);
    // Before: the previous version's terms on the day the variation takes effect.
    if (version_number >= 2) {
      const IpaVersion& previous = ipa.versions[version_number - 2];
      e.mutable_previous_total_weekly_fee()->set_pence(
          WeeklyCostOfTerms(previous.terms, version.effective_from).total_pence);
    }
    e.mutable_total_weekly_fee()->set_pence(
        WeeklyCostOfTerms(version.terms, version.effective_from).total_pence);
  }
  return Wrap(ipa, kIpaVaried, std::move(envelope), context);
}

IpaEvent UpliftRequestedEvent(const FeeUplift& uplift, const Ipa& ipa,
                              const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::FeeUpliftRequested& e = *envelope.mutable_fee_uplift_requested();
  e.set_uplift_id(uplift.id);
  e.set_ipa_id(uplift.ipa_id);
  e.set_provider_id(uplift.provider_id);
  e.set_placing_authority_id(uplift.placing_authority_id);
  e.mutable_current_core_fee()->set_pence(uplift.current_core_fee_pence);
  e.mutable_requested_core_fee()->set_pence(uplift.requested_core_fee_pence);
  *e.mutable_effective_from() = platform::ToDate(uplift.effective_from);
  return Wrap(ipa, kUpliftRequested, std::move(envelope), context, "fee_uplift", &uplift.id);
}

IpaEvent UpliftDecidedEvent(const FeeUplift& uplift, const Ipa& ipa, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::FeeUpliftDecided& e = *envelope.mutable_fee_uplift_decided();
  e.set_uplift_id(uplift.id);
  e.set_ipa_id(uplift.ipa_id);
  e.set_decision(ToProto(uplift.state));
  if (uplift.variation_version_number > 0) {
    e.mutable_approved_core_fee()->set_pence(uplift.approved_core_fee_pence);
    e.set_variation_id(VariationId(uplift.ipa_id, uplift.variation_version_number));
  }
  return Wrap(ipa, kUpliftDecided, std::move(envelope), context, "fee_uplift", &uplift.id);
}

platform::audit::Entry AuditEntryOf(const UnannouncedChange& change, const EventContext& context) {
  platform::audit::Entry entry;
  entry.recorded_at = context.now;
  entry.actor_user_id = context.actor.user_id;
  entry.actor_role = absl::StrCat("ROLE_", RoleName(context.actor.role));
  entry.actor_organisation_id = context.actor.organisation_id;
  entry.request_id = context.request_id;
  entry.action = change.action;
  entry.aggregate_type = change.aggregate_type;
  entry.aggregate_id = change.aggregate_id;
  entry.system_id = change.system_id;
  entry.authority_id = change.authority_id;
  entry.from_state = change.from_state;
  entry.to_state = change.to_state;
  // A std::map's keys come sorted, and dump() adds no whitespace: the canonical form.
  entry.details_json = nlohmann::json(change.details).dump();
  return entry;
}

}  // namespace dps::contracts
