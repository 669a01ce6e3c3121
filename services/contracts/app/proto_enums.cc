#include "services/contracts/app/proto_enums.h"

namespace dps::contracts {

namespace cv1 = ::dps::contracts::v1;

cv1::Party ToProto(Party party) {
  switch (party) {
    case Party::kPlacingAuthority:
      return cv1::PARTY_PLACING_AUTHORITY;
    case Party::kProvider:
      return cv1::PARTY_PROVIDER;
    case Party::kUnspecified:
      break;
  }
  return cv1::PARTY_UNSPECIFIED;
}

cv1::EndingBasis ToProto(EndingBasis basis) {
  switch (basis) {
    case EndingBasis::kNoticeByAuthority:
      return cv1::ENDING_BASIS_NOTICE_BY_AUTHORITY;
    case EndingBasis::kNoticeByProvider:
      return cv1::ENDING_BASIS_NOTICE_BY_PROVIDER;
    case EndingBasis::kMutualAgreement:
      return cv1::ENDING_BASIS_MUTUAL_AGREEMENT;
    case EndingBasis::kImmediateSafeguarding:
      return cv1::ENDING_BASIS_IMMEDIATE_SAFEGUARDING;
  }
  return cv1::ENDING_BASIS_UNSPECIFIED;
}

cv1::EndReason ToProto(EndReason reason) {
  switch (reason) {
    case EndReason::kOutcomesAchieved:
      return cv1::END_REASON_OUTCOMES_ACHIEVED;
    case EndReason::kStepDown:
      return cv1::END_REASON_STEP_DOWN;
    case EndReason::kReturnedHome:
      return cv1::END_REASON_RETURNED_HOME;
    case EndReason::kPlacementBreakdown:
      return cv1::END_REASON_PLACEMENT_BREAKDOWN;
    case EndReason::kNeedsNotMet:
      return cv1::END_REASON_NEEDS_NOT_MET;
    case EndReason::kSafeguarding:
      return cv1::END_REASON_SAFEGUARDING;
    case EndReason::kProviderClosure:
      return cv1::END_REASON_PROVIDER_CLOSURE;
    case EndReason::kAgedOut:
      return cv1::END_REASON_AGED_OUT;
    case EndReason::kOther:
      return cv1::END_REASON_OTHER;
    case EndReason::kUnspecified:
      break;
  }
  return cv1::END_REASON_UNSPECIFIED;
}

cv1::VariationKind ToProto(VariationKind kind) {
  switch (kind) {
    case VariationKind::kAdditionalServices:
      return cv1::VARIATION_KIND_ADDITIONAL_SERVICES;
    case VariationKind::kFeeUplift:
      return cv1::VARIATION_KIND_FEE_UPLIFT;
    case VariationKind::kDates:
      return cv1::VARIATION_KIND_DATES;
    case VariationKind::kContactsOrDocuments:
      return cv1::VARIATION_KIND_CONTACTS_OR_DOCUMENTS;
    case VariationKind::kOther:
      return cv1::VARIATION_KIND_OTHER;
    case VariationKind::kUnspecified:
      break;
  }
  return cv1::VARIATION_KIND_UNSPECIFIED;
}

cv1::UpliftState ToProto(UpliftState state) {
  switch (state) {
    case UpliftState::kRequested:
      return cv1::UPLIFT_STATE_REQUESTED;
    case UpliftState::kApproved:
      return cv1::UPLIFT_STATE_APPROVED;
    case UpliftState::kPartlyApproved:
      return cv1::UPLIFT_STATE_PARTLY_APPROVED;
    case UpliftState::kRefused:
      return cv1::UPLIFT_STATE_REFUSED;
    case UpliftState::kWithdrawn:
      return cv1::UPLIFT_STATE_WITHDRAWN;
  }
  return cv1::UPLIFT_STATE_UNSPECIFIED;
}

cv1::PublicationKind ToProto(PublicationKind kind) {
  switch (kind) {
    case PublicationKind::kQuarterly:
      return cv1::PUBLICATION_KIND_QUARTERLY;
    case PublicationKind::kContractAwardNotice:
      return cv1::PUBLICATION_KIND_CONTRACT_AWARD_NOTICE;
    case PublicationKind::kContractDetailsNotice:
      return cv1::PUBLICATION_KIND_CONTRACT_DETAILS_NOTICE;
    case PublicationKind::kUnspecified:
      break;
  }
  return cv1::PUBLICATION_KIND_UNSPECIFIED;
}

cv1::IpaSource ToProto(const IpaSource& source) {
  cv1::IpaSource out;
  switch (source.kind) {
    case SourceKind::kAward:
      out.set_kind(cv1::IPA_SOURCE_KIND_AWARD);
      break;
    case SourceKind::kDirectAward:
      out.set_kind(cv1::IPA_SOURCE_KIND_DIRECT_AWARD);
      break;
    case SourceKind::kBlockCallOff:
      out.set_kind(cv1::IPA_SOURCE_KIND_BLOCK_CALL_OFF);
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

cv1::KpiValueType ToProto(KpiValueType type) {
  switch (type) {
    case KpiValueType::kCount:
      return cv1::KPI_VALUE_TYPE_COUNT;
    case KpiValueType::kPercentage:
      return cv1::KPI_VALUE_TYPE_PERCENTAGE;
    case KpiValueType::kYesNo:
      return cv1::KPI_VALUE_TYPE_YES_NO;
    case KpiValueType::kText:
      return cv1::KPI_VALUE_TYPE_TEXT;
    case KpiValueType::kUnspecified:
      break;
  }
  return cv1::KPI_VALUE_TYPE_UNSPECIFIED;
}

cv1::KpiReturnState ToProto(KpiReturnState state) {
  switch (state) {
    case KpiReturnState::kSubmitted:
      return cv1::KPI_RETURN_STATE_SUBMITTED;
    case KpiReturnState::kAccepted:
      return cv1::KPI_RETURN_STATE_ACCEPTED;
    case KpiReturnState::kQueried:
      return cv1::KPI_RETURN_STATE_QUERIED;
  }
  return cv1::KPI_RETURN_STATE_UNSPECIFIED;
}

cv1::PerformanceRating ToProto(PerformanceRating rating) {
  switch (rating) {
    case PerformanceRating::kExceeds:
      return cv1::PERFORMANCE_RATING_EXCEEDS;
    case PerformanceRating::kMeets:
      return cv1::PERFORMANCE_RATING_MEETS;
    case PerformanceRating::kPartlyMeets:
      return cv1::PERFORMANCE_RATING_PARTLY_MEETS;
    case PerformanceRating::kDoesNotMeet:
      return cv1::PERFORMANCE_RATING_DOES_NOT_MEET;
    case PerformanceRating::kUnspecified:
      break;
  }
  return cv1::PERFORMANCE_RATING_UNSPECIFIED;
}

}  // namespace dps::contracts
