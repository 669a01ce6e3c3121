#include "services/contracts/app/ipa_events.h"

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/grpc/proto_time.h"
#include "services/contracts/domain/costs.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
namespace cv = ::dps::contracts::v1;

cv::IpaSource ToProto(const IpaSource& source) {
  cv::IpaSource out;
  switch (source.kind) {
    case SourceKind::kAward:
      out.set_kind(cv::IPA_SOURCE_KIND_AWARD);
      break;
    case SourceKind::kDirectAward:
      out.set_kind(cv::IPA_SOURCE_KIND_DIRECT_AWARD);
      break;
    case SourceKind::kBlockCallOff:
      out.set_kind(cv::IPA_SOURCE_KIND_BLOCK_CALL_OFF);
      break;
    case SourceKind::kUnspecified:
      break;
  }
  out.set_referral_id(source.referral_id);
  out.set_bid_id(source.bid_id);
  out.set_direct_award_id(source.direct_award_id);
  out.set_block_contract_id(source.block_contract_id);
  out.set_block_call_off_id(source.block_call_off_id);
  return out;
}

cv::Party ToProto(Party party) {
  switch (party) {
    case Party::kPlacingAuthority:
      return cv::PARTY_PLACING_AUTHORITY;
    case Party::kProvider:
      return cv::PARTY_PROVIDER;
    case Party::kUnspecified:
      break;
  }
  return cv::PARTY_UNSPECIFIED;
}

cv::EndingBasis ToProto(EndingBasis basis) {
  switch (basis) {
    case EndingBasis::kNoticeByAuthority:
      return cv::ENDING_BASIS_NOTICE_BY_AUTHORITY;
    case EndingBasis::kNoticeByProvider:
      return cv::ENDING_BASIS_NOTICE_BY_PROVIDER;
    case EndingBasis::kMutualAgreement:
      return cv::ENDING_BASIS_MUTUAL_AGREEMENT;
    case EndingBasis::kImmediateSafeguarding:
      return cv::ENDING_BASIS_IMMEDIATE_SAFEGUARDING;
  }
  return cv::ENDING_BASIS_UNSPECIFIED;
}

// The domain's EndReason values are the proto's, in the same order.
cv::EndReason ToProto(EndReason reason) { return static_cast<cv::EndReason>(reason); }
static_assert(static_cast<int>(EndReason::kOther) == cv::END_REASON_OTHER);

IpaEvent Wrap(const Ipa& ipa, const char* type, ev::EventEnvelope envelope,
              const EventContext& context) {
  envelope.set_type(type);
  envelope.set_aggregate_type("ipa");
  envelope.set_aggregate_id(ipa.id);
  *envelope.mutable_occurred_at() = platform::ToTimestamp(context.now);
  envelope.set_request_id(context.request_id);
  envelope.mutable_actor()->set_user_id(context.actor.user_id);
  envelope.mutable_actor()->set_role(absl::StrCat("ROLE_", RoleName(context.actor.role)));
  envelope.mutable_actor()->set_organisation_id(context.actor.organisation_id);
  envelope.set_schema_version(1);
  envelope.set_system_id(ipa.system_id);
  return {.type = type,
          .aggregate_id = ipa.id,
          .request_id = context.request_id,
          .payload = envelope.SerializeAsString()};
}

}  // namespace

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

}  // namespace dps::contracts
