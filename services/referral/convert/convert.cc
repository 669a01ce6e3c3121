#include "services/referral/convert/convert.h"

#include <iterator>
#include <map>

#include "absl/strings/str_cat.h"
#include "platform/auth/identity.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"

namespace dps::referral {
namespace {

using platform::FromDate;
using platform::FromTimestamp;
using platform::InvalidField;
using platform::ToTimestamp;

std::optional<absl::Time> OptionalTime(bool present, const google::protobuf::Timestamp& at) {
  if (!present) return std::nullopt;
  return FromTimestamp(at);
}

Weights ToDomainWeights(const dps::common::v1::Weights& w) {
  return {w.price(), w.outcomes(), w.needs(), w.features(), w.location(), w.core_competency()};
}

dps::common::v1::Weights ToApiWeights(const Weights& w) {
  dps::common::v1::Weights out;
  out.set_price(w.price);
  out.set_outcomes(w.outcomes);
  out.set_needs(w.needs);
  out.set_features(w.features);
  out.set_location(w.location);
  out.set_core_competency(w.core_competency);
  return out;
}

Filters ToDomainFilters(const dps::qualification::v1::PreselectionFilters& f) {
  Filters out;
  out.placement_type_codes = {f.placement_type_codes().begin(), f.placement_type_codes().end()};
  out.specialism_codes = {f.specialism_codes().begin(), f.specialism_codes().end()};
  out.provision_types = {f.provision_types().begin(), f.provision_types().end()};
  if (f.has_max_ceiling_fee()) out.max_ceiling_fee_pence = f.max_ceiling_fee().pence();
  return out;
}

dps::qualification::v1::PreselectionFilters ToApiFilters(const Filters& f) {
  dps::qualification::v1::PreselectionFilters out;
  for (const std::string& code : f.placement_type_codes) out.add_placement_type_codes(code);
  for (const std::string& code : f.specialism_codes) out.add_specialism_codes(code);
  for (int type : f.provision_types) {
    out.add_provision_types(static_cast<dps::common::v1::ProvisionType>(type));
  }
  if (f.max_ceiling_fee_pence) out.mutable_max_ceiling_fee()->set_pence(*f.max_ceiling_fee_pence);
  return out;
}

std::vector<MarkedCode> ToDomainCodes(
    const google::protobuf::RepeatedPtrField<dps::scoring::v1::MarkedCode>& codes) {
  std::vector<MarkedCode> out;
  for (const auto& c : codes) out.push_back({c.code(), c.marks()});
  return out;
}

absl::StatusOr<Gender> ToDomainGender(dps::common::v1::Gender gender, absl::string_view field) {
  switch (gender) {
    case dps::common::v1::GENDER_MALE:
      return Gender::kMale;
    case dps::common::v1::GENDER_FEMALE:
      return Gender::kFemale;
    case dps::common::v1::GENDER_OTHER:
      return Gender::kOther;
    default:
      return InvalidField(field, "required: MALE, FEMALE or OTHER");
  }
}

absl::StatusOr<std::vector<Child>> ToDomainChildren(
    const google::protobuf::RepeatedPtrField<v1::ChildProfile>& children, absl::string_view field) {
  std::vector<Child> out;
  for (int i = 0; i < children.size(); ++i) {
    const v1::ChildProfile& child = children[i];
    absl::StatusOr<Gender> gender =
        ToDomainGender(child.gender(), absl::StrCat(field, "[", i, "].gender"));
    if (!gender.ok()) return gender.status();
    out.push_back({child.child_key(), child.age_years(), *gender});
  }
  return out;
}

absl::StatusOr<Incentive> ToDomainIncentive(const v1::Incentive& incentive,
                                            absl::string_view field) {
  absl::StatusOr<std::optional<absl::CivilDay>> achieve_by =
      FromDate(incentive.achieve_by(), absl::StrCat(field, ".achieve_by"));
  if (!achieve_by.ok()) return achieve_by.status();
  return Incentive{incentive.description(), incentive.premium().pence(), *achieve_by};
}

std::vector<AdditionalService> ToDomainServices(
    const google::protobuf::RepeatedPtrField<dps::scoring::v1::AdditionalService>& services) {
  std::vector<AdditionalService> out;
  for (const auto& service : services) {
    out.push_back({service.code(), service.units(), service.rate_pence()});
  }
  return out;
}

v1::ChildProfile ToApiChild(const Child& child) {
  v1::ChildProfile out;
  out.set_child_key(child.key);
  out.set_age_years(child.age_years);
  out.set_gender(child.gender == Gender::kMale     ? dps::common::v1::GENDER_MALE
                 : child.gender == Gender::kFemale ? dps::common::v1::GENDER_FEMALE
                                                   : dps::common::v1::GENDER_OTHER);
  return out;
}

// A day the API may leave unset, as the domain reads it.
absl::Status ReadDay(const dps::common::v1::Date& date, absl::string_view field,
                     std::optional<absl::CivilDay>& out) {
  absl::StatusOr<std::optional<absl::CivilDay>> day = FromDate(date, field);
  if (!day.ok()) return day.status();
  out = *day;
  return absl::OkStatus();
}

void SetServices(const std::vector<AdditionalService>& services,
                 google::protobuf::RepeatedPtrField<dps::scoring::v1::AdditionalService>& out) {
  out.Clear();
  for (const AdditionalService& service : services) {
    dps::scoring::v1::AdditionalService& s = *out.Add();
    s.set_code(service.code);
    s.set_units(service.units);
    s.set_rate_pence(service.rate_pence);
  }
}

ReferralState ToDomainState(v1::ReferralState state) {
  switch (state) {
    case v1::REFERRAL_STATE_OPEN:
      return ReferralState::kOpen;
    case v1::REFERRAL_STATE_CLOSED:
      return ReferralState::kClosed;
    case v1::REFERRAL_STATE_EVALUATED:
      return ReferralState::kEvaluated;
    case v1::REFERRAL_STATE_AWAITING_PARENTAL_CHOICE:
      return ReferralState::kAwaitingParentalChoice;
    case v1::REFERRAL_STATE_AWARDED:
      return ReferralState::kAwarded;
    case v1::REFERRAL_STATE_WITHDRAWN:
      return ReferralState::kWithdrawn;
    case v1::REFERRAL_STATE_NO_SUITABLE_OFFER:
      return ReferralState::kNoSuitableOffer;
    default:
      return ReferralState::kDraft;
  }
}

v1::InvitationState ToApiInvitationState(InvitationState state) {
  switch (state) {
    case InvitationState::kInvited:
      return v1::INVITATION_STATE_INVITED;
    case InvitationState::kViewed:
      return v1::INVITATION_STATE_VIEWED;
    case InvitationState::kDeclined:
      return v1::INVITATION_STATE_DECLINED;
    case InvitationState::kBid:
      return v1::INVITATION_STATE_BID;
    case InvitationState::kNoResponse:
      return v1::INVITATION_STATE_NO_RESPONSE;
    case InvitationState::kCancelled:
      return v1::INVITATION_STATE_CANCELLED;
  }
  return v1::INVITATION_STATE_UNSPECIFIED;
}

// The API's decline reasons in the domain's order (UNSPECIFIED has none).
constexpr DeclineReason kDeclineReasons[] = {DeclineReason::kNoCapacity,
                                             DeclineReason::kCannotMeetNeeds,
                                             DeclineReason::kMatchingRisk,
                                             DeclineReason::kStartDate,
                                             DeclineReason::kLocation,
                                             DeclineReason::kPrice,
                                             DeclineReason::kInsufficientInformation,
                                             DeclineReason::kOther};

AwardBasis ToDomainBasis(v1::AwardBasis basis) {
  switch (basis) {
    case v1::AWARD_BASIS_PARENTAL_CHOICE:
      return AwardBasis::kParentalChoice;
    case v1::AWARD_BASIS_OFFICER_CHOICE:
      return AwardBasis::kOfficerChoice;
    default:
      return AwardBasis::kTopRanked;
  }
}

v1::AwardBasis ToApiBasis(AwardBasis basis) {
  switch (basis) {
    case AwardBasis::kTopRanked:
      return v1::AWARD_BASIS_TOP_RANKED;
    case AwardBasis::kParentalChoice:
      return v1::AWARD_BASIS_PARENTAL_CHOICE;
    case AwardBasis::kOfficerChoice:
      return v1::AWARD_BASIS_OFFICER_CHOICE;
  }
  return v1::AWARD_BASIS_UNSPECIFIED;
}

Approval ToDomainApproval(v1::ApprovalState approval) {
  switch (approval) {
    case v1::APPROVAL_STATE_PENDING:
      return Approval::kPending;
    case v1::APPROVAL_STATE_APPROVED:
      return Approval::kApproved;
    case v1::APPROVAL_STATE_REFUSED:
      return Approval::kRefused;
    default:
      return Approval::kNotRequired;
  }
}

v1::ApprovalState ToApiApproval(Approval approval) {
  switch (approval) {
    case Approval::kNotRequired:
      return v1::APPROVAL_STATE_NOT_REQUIRED;
    case Approval::kPending:
      return v1::APPROVAL_STATE_PENDING;
    case Approval::kApproved:
      return v1::APPROVAL_STATE_APPROVED;
    case Approval::kRefused:
      return v1::APPROVAL_STATE_REFUSED;
  }
  return v1::APPROVAL_STATE_UNSPECIFIED;
}

}  // namespace

InvitationState ToDomainInvitationState(v1::InvitationState state) {
  switch (state) {
    case v1::INVITATION_STATE_VIEWED:
      return InvitationState::kViewed;
    case v1::INVITATION_STATE_DECLINED:
      return InvitationState::kDeclined;
    case v1::INVITATION_STATE_BID:
      return InvitationState::kBid;
    case v1::INVITATION_STATE_NO_RESPONSE:
      return InvitationState::kNoResponse;
    case v1::INVITATION_STATE_CANCELLED:
      return InvitationState::kCancelled;
    default:
      return InvitationState::kInvited;
  }
}

LotRules LotRulesOf(const ::dps::qualification::v1::PurchasingSystem& system,
                    const ::dps::qualification::v1::Lot& lot) {
  namespace qv1 = ::dps::qualification::v1;
  LotRules rules;
  for (const qv1::VocabularyTerm& term : lot.needs()) rules.needs.push_back(term.code());
  for (const qv1::VocabularyTerm& term : lot.features()) rules.features.push_back(term.code());
  rules.default_weights = ToDomainWeights(lot.default_weights());
  rules.filters_may_exclude = lot.preselection_allowed();
  const int hours = system.rules().min_response_period_hours();
  rules.min_response_period = MinResponsePeriod(
      hours > 0 ? std::optional<absl::Duration>(absl::Hours(hours)) : std::nullopt);
  // Per lot: a lot with no weighted criterion gives its members no score to carry, whatever
  // the system's mode.
  rules.qualification_scored =
      system.qualification_mode() != qv1::QUALIFICATION_MODE_PASS_FAIL_ONLY &&
      lot.qualification_scored();
  return rules;
}

absl::StatusOr<DeclineReason> ToDomainDeclineReason(v1::DeclineReason reason) {
  if (reason <= v1::DECLINE_REASON_UNSPECIFIED || reason > v1::DECLINE_REASON_OTHER) {
    return InvalidField("reason", "required: one of the decline reasons");
  }
  return kDeclineReasons[reason - 1];
}

v1::DeclineReason ToApiDeclineReason(DeclineReason reason) {
  for (int i = 0; i < static_cast<int>(std::size(kDeclineReasons)); ++i) {
    if (kDeclineReasons[i] == reason) return static_cast<v1::DeclineReason>(i + 1);
  }
  return v1::DECLINE_REASON_UNSPECIFIED;
}

absl::StatusOr<Invitation> ToDomain(const v1::Invitation& invitation) {
  Invitation out;
  out.state = ToDomainInvitationState(invitation.state());
  out.round = invitation.round();
  out.viewed_at = OptionalTime(invitation.has_viewed_at(), invitation.viewed_at());
  if (invitation.has_decline()) {
    absl::StatusOr<DeclineReason> reason = ToDomainDeclineReason(invitation.decline().reason());
    if (!reason.ok()) return reason.status();
    out.decline = Decline{*reason, invitation.decline().detail(),
                          FromTimestamp(invitation.decline().declined_at())};
  }
  out.suspended = invitation.suspended();
  return out;
}

void ApplyToApi(const Invitation& invitation, v1::Invitation& out) {
  out.set_state(ToApiInvitationState(invitation.state));
  if (invitation.viewed_at) *out.mutable_viewed_at() = ToTimestamp(*invitation.viewed_at);
  if (invitation.decline) {
    v1::Decline& decline = *out.mutable_decline();
    decline.set_reason(ToApiDeclineReason(invitation.decline->reason));
    decline.set_detail(invitation.decline->detail);
    *decline.mutable_declined_at() = ToTimestamp(invitation.decline->declined_at);
  }
  out.set_suspended(invitation.suspended);
}

absl::StatusOr<BidContent> ToDomainContent(const v1::BidContent& content) {
  BidContent out;
  out.core_fee_pence = content.core_fee().pence();
  out.additional_services = ToDomainServices(content.additional_services());
  out.needs_met = {content.needs_met().begin(), content.needs_met().end()};
  out.features_met = {content.features_met().begin(), content.features_met().end()};
  out.outcomes_answer = content.outcomes_answer();
  absl::StatusOr<std::optional<absl::CivilDay>> earliest =
      FromDate(content.earliest_start(), "content.earliest_start");
  if (!earliest.ok()) return earliest.status();
  out.earliest_start = *earliest;
  out.fee_justification = content.fee_justification();
  return out;
}

BidState ToDomainState(v1::BidState state) {
  switch (state) {
    case v1::BID_STATE_WITHDRAWN:
      return BidState::kWithdrawn;
    case v1::BID_STATE_EXCLUDED:
      return BidState::kExcluded;
    case v1::BID_STATE_COMPLIANT:
      return BidState::kCompliant;
    case v1::BID_STATE_AWARDED:
      return BidState::kAwarded;
    case v1::BID_STATE_NOT_AWARDED:
      return BidState::kNotAwarded;
    default:
      return BidState::kSubmitted;
  }
}

v1::BidState ToApiState(BidState state) {
  switch (state) {
    case BidState::kSubmitted:
      return v1::BID_STATE_SUBMITTED;
    case BidState::kWithdrawn:
      return v1::BID_STATE_WITHDRAWN;
    case BidState::kExcluded:
      return v1::BID_STATE_EXCLUDED;
    case BidState::kCompliant:
      return v1::BID_STATE_COMPLIANT;
    case BidState::kAwarded:
      return v1::BID_STATE_AWARDED;
    case BidState::kNotAwarded:
      return v1::BID_STATE_NOT_AWARDED;
  }
  return v1::BID_STATE_UNSPECIFIED;
}

namespace {

v1::BidContent ToApiContent(const BidContent& content) {
  v1::BidContent out;
  out.mutable_core_fee()->set_pence(content.core_fee_pence);
  SetServices(content.additional_services, *out.mutable_additional_services());
  for (const std::string& code : content.needs_met) out.add_needs_met(code);
  for (const std::string& code : content.features_met) out.add_features_met(code);
  out.set_outcomes_answer(content.outcomes_answer);
  if (content.earliest_start)
    *out.mutable_earliest_start() = platform::ToDate(*content.earliest_start);
  out.set_fee_justification(content.fee_justification);
  return out;
}

}  // namespace

absl::StatusOr<Bid> ToDomain(const v1::Bid& bid) {
  Bid out;
  out.state = ToDomainState(bid.state());
  absl::StatusOr<BidContent> content = ToDomainContent(bid.content());
  if (!content.ok()) return content.status();
  out.content = *std::move(content);
  out.submitted_at = FromTimestamp(bid.submitted_at());
  out.amended_at = OptionalTime(bid.has_amended_at(), bid.amended_at());
  out.withdrawn_at = OptionalTime(bid.has_withdrawn_at(), bid.withdrawn_at());
  return out;
}

void ApplyToApi(const Bid& bid, v1::Bid& out) {
  out.set_state(ToApiState(bid.state));
  *out.mutable_content() = ToApiContent(bid.content);
  *out.mutable_submitted_at() = ToTimestamp(bid.submitted_at);
  if (bid.amended_at) *out.mutable_amended_at() = ToTimestamp(*bid.amended_at);
  if (bid.withdrawn_at) *out.mutable_withdrawn_at() = ToTimestamp(*bid.withdrawn_at);
}

absl::StatusOr<DirectAwardSpec> ToDomainDirectAward(const v1::MakeDirectAwardRequest& request) {
  DirectAwardSpec out;
  out.basis = request.basis() == v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF
                  ? DirectAwardBasis::kRankedCallOff
                  : DirectAwardBasis::kRegime;
  for (const v1::PassedOverMember& member : request.passed_over()) {
    out.passed_over.push_back({member.establishment_id(), member.reason()});
  }
  out.system_id = request.system_id();
  out.lot_id = request.lot_id();
  out.establishment_id = request.establishment_id();
  absl::StatusOr<std::vector<Child>> children = ToDomainChildren(request.children(), "children");
  if (!children.ok()) return children.status();
  out.children = *std::move(children);
  out.postcode_district = request.location().postcode_district();
  out.justification = request.justification();
  absl::StatusOr<std::optional<absl::CivilDay>> review_on =
      FromDate(request.review_on(), "review_on");
  if (!review_on.ok()) return review_on.status();
  out.review_on = *review_on;
  if (request.has_transparency_notice()) {
    out.transparency_notice =
        TransparencyNotice{request.transparency_notice().reference(),
                           OptionalTime(request.transparency_notice().has_published_at(),
                                        request.transparency_notice().published_at())};
  }
  absl::StatusOr<std::optional<absl::CivilDay>> start =
      FromDate(request.start_date(), "start_date");
  if (!start.ok()) return start.status();
  out.start_date = *start;
  out.planned_duration_months = request.planned_duration_months();
  out.core_fee_pence = request.core_fee().pence();
  out.additional_services = ToDomainServices(request.additional_services());
  if (request.has_incentive()) {
    absl::StatusOr<Incentive> incentive = ToDomainIncentive(request.incentive(), "incentive");
    if (!incentive.ok()) return incentive.status();
    out.incentive = *std::move(incentive);
  }
  return out;
}

v1::DirectAward ToApi(const DirectAward& award) {
  const DirectAwardSpec& spec = award.spec;
  v1::DirectAward out;
  out.set_id(award.id);
  out.set_basis(spec.basis == DirectAwardBasis::kRankedCallOff
                    ? v1::DIRECT_AWARD_BASIS_RANKED_CALL_OFF
                    : v1::DIRECT_AWARD_BASIS_REGIME);
  for (const PassedOver& member : spec.passed_over) {
    v1::PassedOverMember* passed = out.add_passed_over();
    passed->set_establishment_id(member.establishment_id);
    passed->set_reason(member.reason);
  }
  out.set_system_id(spec.system_id);
  out.set_lot_id(spec.lot_id);
  out.set_placing_authority_id(award.placing_authority_id);
  out.set_establishment_id(spec.establishment_id);
  out.set_provider_id(award.provider_id);
  for (const Child& child : spec.children) *out.add_children() = ToApiChild(child);
  out.mutable_location()->set_postcode_district(spec.postcode_district);
  if (award.centroid) {
    out.mutable_location()->mutable_centroid()->set_latitude(award.centroid->latitude);
    out.mutable_location()->mutable_centroid()->set_longitude(award.centroid->longitude);
  }
  out.set_justification(spec.justification);
  if (spec.review_on) *out.mutable_review_on() = platform::ToDate(*spec.review_on);
  if (spec.transparency_notice) {
    out.mutable_transparency_notice()->set_reference(spec.transparency_notice->reference);
    if (spec.transparency_notice->published_at) {
      *out.mutable_transparency_notice()->mutable_published_at() =
          ToTimestamp(*spec.transparency_notice->published_at);
    }
  }
  if (spec.start_date) *out.mutable_start_date() = platform::ToDate(*spec.start_date);
  out.set_planned_duration_months(spec.planned_duration_months);
  out.mutable_core_fee()->set_pence(spec.core_fee_pence);
  SetServices(spec.additional_services, *out.mutable_additional_services());
  if (spec.incentive) {
    out.mutable_incentive()->set_description(spec.incentive->description);
    out.mutable_incentive()->mutable_premium()->set_pence(spec.incentive->premium_pence);
    if (spec.incentive->achieve_by) {
      *out.mutable_incentive()->mutable_achieve_by() =
          platform::ToDate(*spec.incentive->achieve_by);
    }
  }
  out.set_state(award.state == DirectAwardState::kMade ? v1::DIRECT_AWARD_STATE_MADE
                                                       : v1::DIRECT_AWARD_STATE_REVIEWED);
  dps::common::v1::PriceBasis basis = dps::common::v1::PRICE_BASIS_UNSPECIFIED;
  dps::common::v1::PriceBasis_Parse(award.price_basis, &basis);
  out.set_price_basis(basis);
  *out.mutable_made_at() = ToTimestamp(award.made_at);
  *out.mutable_made_by() = ToApiActor(award.made_by);
  if (award.reviewed_at) {
    *out.mutable_reviewed_at() = ToTimestamp(*award.reviewed_at);
    *out.mutable_reviewed_by() = ToApiActor(award.reviewed_by);
  }
  out.set_review_note(award.review_note);
  return out;
}

absl::StatusOr<DirectAward> ToDomain(const v1::DirectAward& stored) {
  v1::MakeDirectAwardRequest as_made;
  as_made.set_basis(stored.basis());
  *as_made.mutable_passed_over() = stored.passed_over();
  as_made.set_system_id(stored.system_id());
  as_made.set_lot_id(stored.lot_id());
  as_made.set_establishment_id(stored.establishment_id());
  *as_made.mutable_children() = stored.children();
  *as_made.mutable_location() = stored.location();
  as_made.set_justification(stored.justification());
  *as_made.mutable_review_on() = stored.review_on();
  if (stored.has_transparency_notice()) {
    *as_made.mutable_transparency_notice() = stored.transparency_notice();
  }
  *as_made.mutable_start_date() = stored.start_date();
  as_made.set_planned_duration_months(stored.planned_duration_months());
  *as_made.mutable_core_fee() = stored.core_fee();
  *as_made.mutable_additional_services() = stored.additional_services();
  if (stored.has_incentive()) *as_made.mutable_incentive() = stored.incentive();
  absl::StatusOr<DirectAwardSpec> spec = ToDomainDirectAward(as_made);
  if (!spec.ok()) return spec.status();
  DirectAward award;
  award.id = stored.id();
  award.placing_authority_id = stored.placing_authority_id();
  award.provider_id = stored.provider_id();
  award.spec = *std::move(spec);
  if (stored.location().has_centroid()) {
    award.centroid = Centroid{.latitude = stored.location().centroid().latitude(),
                              .longitude = stored.location().centroid().longitude()};
  }
  award.price_basis = dps::common::v1::PriceBasis_Name(stored.price_basis());
  award.state = stored.state() == v1::DIRECT_AWARD_STATE_REVIEWED ? DirectAwardState::kReviewed
                                                                  : DirectAwardState::kMade;
  award.made_at = FromTimestamp(stored.made_at());
  award.made_by = ToDomainActor(stored.made_by());
  if (stored.has_reviewed_at()) {
    award.reviewed_at = FromTimestamp(stored.reviewed_at());
    award.reviewed_by = ToDomainActor(stored.reviewed_by());
  }
  award.review_note = stored.review_note();
  return award;
}

absl::StatusOr<BlockContractSpec> ToDomainBlockSpec(const v1::CreateBlockContractRequest& request) {
  BlockContractSpec out;
  out.system_id = request.system_id();
  out.lot_id = request.lot_id();
  out.establishment_id = request.establishment_id();
  out.places = request.places();
  out.weekly_fee_per_place_pence = request.weekly_fee_per_place().pence();
  if (absl::Status s = ReadDay(request.period().start(), "period.start", out.period.start);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadDay(request.period().end(), "period.end", out.period.end); !s.ok()) {
    return s;
  }
  out.terms = request.terms();
  return out;
}

absl::StatusOr<CallOffSpec> ToDomainCallOff(const v1::CallOffBlockContractRequest& request) {
  CallOffSpec out;
  absl::StatusOr<std::vector<Child>> children = ToDomainChildren(request.children(), "children");
  if (!children.ok()) return children.status();
  out.children = *std::move(children);
  out.postcode_district = request.location().postcode_district();
  if (absl::Status s = ReadDay(request.start_date(), "start_date", out.start_date); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ReadDay(request.planned_end_date(), "planned_end_date", out.planned_end_date);
      !s.ok()) {
    return s;
  }
  return out;
}

absl::StatusOr<BlockContract> ToDomain(const v1::BlockContract& block) {
  BlockContract out;
  out.id = block.id();
  out.placing_authority_id = block.placing_authority_id();
  out.provider_id = block.provider_id();
  out.spec.system_id = block.system_id();
  out.spec.lot_id = block.lot_id();
  out.spec.establishment_id = block.establishment_id();
  out.spec.places = block.places();
  out.spec.weekly_fee_per_place_pence = block.weekly_fee_per_place().pence();
  if (absl::Status s = ReadDay(block.period().start(), "period.start", out.spec.period.start);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadDay(block.period().end(), "period.end", out.spec.period.end); !s.ok()) {
    return s;
  }
  out.spec.terms = block.terms();
  out.state = block.state() == v1::BLOCK_CONTRACT_STATE_ENDED ? BlockContractState::kEnded
                                                              : BlockContractState::kActive;
  if (absl::Status s = ReadDay(block.ended_on(), "ended_on", out.ended_on); !s.ok()) return s;
  out.end_reason = block.end_reason();
  if (block.has_ended_at()) out.ended_at = FromTimestamp(block.ended_at());
  out.ended_by = ToDomainActor(block.ended_by());
  for (const v1::BlockCallOff& stored : block.call_offs()) {
    BlockCallOff call_off;
    call_off.id = stored.id();
    absl::StatusOr<std::vector<Child>> children = ToDomainChildren(stored.children(), "children");
    if (!children.ok()) return children.status();
    call_off.children = *std::move(children);
    call_off.postcode_district = stored.location().postcode_district();
    std::optional<absl::CivilDay> start, planned_end;
    if (absl::Status s = ReadDay(stored.start_date(), "start_date", start); !s.ok()) return s;
    if (absl::Status s = ReadDay(stored.planned_end_date(), "planned_end_date", planned_end);
        !s.ok()) {
      return s;
    }
    if (!start || !planned_end) return absl::InternalError("stored call-off without its dates");
    call_off.start_date = *start;
    call_off.planned_end_date = *planned_end;
    if (absl::Status s = ReadDay(stored.ended_on(), "ended_on", call_off.ended_on); !s.ok()) {
      return s;
    }
    if (stored.location().has_centroid()) {
      call_off.centroid = Centroid{.latitude = stored.location().centroid().latitude(),
                                   .longitude = stored.location().centroid().longitude()};
    }
    call_off.made_at = FromTimestamp(stored.made_at());
    call_off.made_by = ToDomainActor(stored.made_by());
    out.call_offs.push_back(std::move(call_off));
  }
  return out;
}

v1::BlockCallOff ToApi(const BlockCallOff& call_off, const std::string& block_contract_id) {
  v1::BlockCallOff out;
  out.set_id(call_off.id);
  out.set_block_contract_id(block_contract_id);
  for (const Child& child : call_off.children) *out.add_children() = ToApiChild(child);
  out.mutable_location()->set_postcode_district(call_off.postcode_district);
  if (call_off.centroid) {
    out.mutable_location()->mutable_centroid()->set_latitude(call_off.centroid->latitude);
    out.mutable_location()->mutable_centroid()->set_longitude(call_off.centroid->longitude);
  }
  *out.mutable_start_date() = platform::ToDate(call_off.start_date);
  *out.mutable_planned_end_date() = platform::ToDate(call_off.planned_end_date);
  if (call_off.ended_on) *out.mutable_ended_on() = platform::ToDate(*call_off.ended_on);
  *out.mutable_made_at() = ToTimestamp(call_off.made_at);
  *out.mutable_made_by() = ToApiActor(call_off.made_by);
  return out;
}

v1::BlockContract ToApi(const BlockContract& block) {
  v1::BlockContract out;
  out.set_id(block.id);
  out.set_system_id(block.spec.system_id);
  out.set_lot_id(block.spec.lot_id);
  out.set_placing_authority_id(block.placing_authority_id);
  out.set_establishment_id(block.spec.establishment_id);
  out.set_provider_id(block.provider_id);
  out.set_places(block.spec.places);
  out.mutable_weekly_fee_per_place()->set_pence(block.spec.weekly_fee_per_place_pence);
  if (block.spec.period.start) {
    *out.mutable_period()->mutable_start() = platform::ToDate(*block.spec.period.start);
  }
  if (block.spec.period.end) {
    *out.mutable_period()->mutable_end() = platform::ToDate(*block.spec.period.end);
  }
  out.set_terms(block.spec.terms);
  out.set_state(block.state == BlockContractState::kEnded ? v1::BLOCK_CONTRACT_STATE_ENDED
                                                          : v1::BLOCK_CONTRACT_STATE_ACTIVE);
  for (const BlockCallOff& call_off : block.call_offs) {
    *out.add_call_offs() = ToApi(call_off, block.id);
  }
  if (block.ended_on) *out.mutable_ended_on() = platform::ToDate(*block.ended_on);
  out.set_end_reason(block.end_reason);
  if (block.ended_at) *out.mutable_ended_at() = ToTimestamp(*block.ended_at);
  if (!block.ended_by.user_id.empty()) *out.mutable_ended_by() = ToApiActor(block.ended_by);
  return out;
}

Standing StandingOf(const dps::scoring::v1::ScoredBid& scored) {
  const dps::scoring::v1::ScoreBreakdown& s = scored.scores();
  Standing standing;
  standing.bid_id = scored.bid_id();
  standing.rank = scored.compliant() ? scored.rank() : 0;
  standing.points = {
      s.price_points(),    s.outcomes_points(),        s.needs_points(), s.features_points(),
      s.location_points(), s.core_competency_points(), s.total()};
  standing.evaluated_weekly_price_pence = scored.price().evaluated_weekly_price_pence();
  standing.distance_miles = s.miles();
  for (const dps::scoring::v1::ExclusionReason& reason : scored.exclusion_reasons()) {
    standing.exclusion_reasons.push_back(reason.detail());
  }
  return standing;
}

v1::CriterionPoints ToApiPoints(const CriterionPoints& p) {
  v1::CriterionPoints out;
  out.set_price(p.price);
  out.set_outcomes(p.outcomes);
  out.set_needs(p.needs);
  out.set_features(p.features);
  out.set_location(p.location);
  out.set_core_competency(p.core_competency);
  out.set_total(p.total);
  return out;
}

v1::ReferralState ToApiState(ReferralState state) {
  switch (state) {
    case ReferralState::kDraft:
      return v1::REFERRAL_STATE_DRAFT;
    case ReferralState::kOpen:
      return v1::REFERRAL_STATE_OPEN;
    case ReferralState::kClosed:
      return v1::REFERRAL_STATE_CLOSED;
    case ReferralState::kEvaluated:
      return v1::REFERRAL_STATE_EVALUATED;
    case ReferralState::kAwaitingParentalChoice:
      return v1::REFERRAL_STATE_AWAITING_PARENTAL_CHOICE;
    case ReferralState::kAwarded:
      return v1::REFERRAL_STATE_AWARDED;
    case ReferralState::kWithdrawn:
      return v1::REFERRAL_STATE_WITHDRAWN;
    case ReferralState::kNoSuitableOffer:
      return v1::REFERRAL_STATE_NO_SUITABLE_OFFER;
  }
  return v1::REFERRAL_STATE_UNSPECIFIED;
}

absl::StatusOr<ReferralSpec> ToDomainSpec(const v1::ReferralSpec& spec) {
  ReferralSpec out;
  out.system_id = spec.system_id();
  out.lot_id = spec.lot_id();
  switch (spec.kind()) {
    case v1::REFERRAL_KIND_INDIVIDUAL:
      out.kind = ReferralKind::kIndividual;
      break;
    case v1::REFERRAL_KIND_COHORT:
      out.kind = ReferralKind::kCohort;
      break;
    default:
      return InvalidField("spec.kind", "required: INDIVIDUAL or COHORT");
  }
  absl::StatusOr<std::vector<Child>> children = ToDomainChildren(spec.children(), "spec.children");
  if (!children.ok()) return children.status();
  out.children = *std::move(children);
  out.postcode_district = spec.location().postcode_district();
  out.needs = ToDomainCodes(spec.needs());
  out.must_have_features = {spec.must_have_features().begin(), spec.must_have_features().end()};
  out.desirable_features = ToDomainCodes(spec.desirable_features());
  out.outcomes_sought = {spec.outcomes_sought().begin(), spec.outcomes_sought().end()};
  out.description = spec.description();
  absl::StatusOr<std::optional<absl::CivilDay>> start =
      FromDate(spec.start_date(), "spec.start_date");
  if (!start.ok()) return start.status();
  out.start_date = *start;
  out.planned_duration_months = spec.planned_duration_months();
  out.sibling_group_size = spec.sibling_group_size();
  out.radius_miles = spec.radius_miles();
  out.filters = ToDomainFilters(spec.filters());
  out.response_deadline = OptionalTime(spec.has_response_deadline(), spec.response_deadline());
  if (spec.has_weights()) out.weights = ToDomainWeights(spec.weights());
  if (spec.has_incentive()) {
    absl::StatusOr<Incentive> incentive = ToDomainIncentive(spec.incentive(), "spec.incentive");
    if (!incentive.ok()) return incentive.status();
    out.incentive = *std::move(incentive);
  }
  return out;
}

absl::StatusOr<Referral> ToDomain(const v1::Referral& referral) {
  Referral out;
  out.id = referral.id();
  out.placing_authority_id = referral.placing_authority_id();
  absl::StatusOr<ReferralSpec> spec = ToDomainSpec(referral.spec());
  if (!spec.ok()) return spec.status();
  out.spec = *std::move(spec);
  out.state = ToDomainState(referral.state());
  for (const v1::ReferralRound& round : referral.rounds()) {
    out.rounds.push_back({round.round(), round.radius_miles(), FromTimestamp(round.started_at()),
                          FromTimestamp(round.response_deadline()), round.newly_invited()});
  }
  out.published_at = OptionalTime(referral.has_published_at(), referral.published_at());
  out.closed_at = OptionalTime(referral.has_closed_at(), referral.closed_at());
  out.evaluated_at = OptionalTime(referral.has_evaluated_at(), referral.evaluated_at());
  if (referral.has_parental_choice()) {
    const v1::ParentalChoice& choice = referral.parental_choice();
    out.parental_choice =
        ParentalChoice{{choice.shortlist_bid_ids().begin(), choice.shortlist_bid_ids().end()},
                       choice.chosen_bid_id(),
                       choice.note(),
                       OptionalTime(choice.has_recorded_at(), choice.recorded_at())};
  }
  if (referral.has_award()) {
    const v1::Award& award = referral.award();
    out.award = Award{award.bid_id(),
                      ToDomainBasis(award.basis()),
                      award.reason(),
                      award.evaluated_weekly_price().pence(),
                      ToDomainApproval(award.approval()),
                      award.awarded_by().user_id(),
                      FromTimestamp(award.awarded_at()),
                      award.approval_decided_by().user_id(),
                      award.approval_reason()};
  }
  out.no_suitable_offer_reason = referral.no_suitable_offer_reason();
  out.ranking_refused_reason = referral.ranking_refused_reason();
  out.withdrawal_reason = referral.withdrawal_reason();
  out.outcome_evaluator_user_ids = {referral.outcome_evaluator_user_ids().begin(),
                                    referral.outcome_evaluator_user_ids().end()};
  // The history is only ever appended to: ApplyToApi writes the entries beyond those stored.
  out.history.resize(referral.history_size());
  return out;
}

Actor ActorFrom(const platform::CallerIdentity& caller) {
  return ToDomainActor(platform::ActorOf(caller));
}

Actor ToDomainActor(const dps::common::v1::Actor& actor) {
  return {
      .user_id = actor.user_id(), .role = actor.role(), .organisation_id = actor.organisation_id()};
}

dps::common::v1::Actor ToApiActor(const Actor& actor) {
  dps::common::v1::Actor out;
  out.set_user_id(actor.user_id);
  out.set_role(actor.role);
  out.set_organisation_id(actor.organisation_id);
  return out;
}

void ApplyToApi(const Referral& referral, v1::Referral& out) {
  out.set_state(ToApiState(referral.state));
  v1::ReferralSpec& spec = *out.mutable_spec();
  if (referral.spec.weights) *spec.mutable_weights() = ToApiWeights(*referral.spec.weights);
  spec.set_radius_miles(referral.spec.radius_miles);
  if (referral.spec.response_deadline) {
    *spec.mutable_response_deadline() = ToTimestamp(*referral.spec.response_deadline);
  }
  if (!referral.spec.filters.empty()) {
    *spec.mutable_filters() = ToApiFilters(referral.spec.filters);
  } else {
    spec.clear_filters();
  }
  out.clear_rounds();
  for (const Round& round : referral.rounds) {
    v1::ReferralRound& r = *out.add_rounds();
    r.set_round(round.number);
    r.set_radius_miles(round.radius_miles);
    *r.mutable_started_at() = ToTimestamp(round.started_at);
    *r.mutable_response_deadline() = ToTimestamp(round.response_deadline);
    r.set_newly_invited(round.newly_invited);
  }
  auto set_time = [](const std::optional<absl::Time>& at, google::protobuf::Timestamp* field,
                     auto clear) {
    if (at) {
      *field = ToTimestamp(*at);
    } else {
      clear();
    }
  };
  set_time(referral.published_at, out.mutable_published_at(), [&] { out.clear_published_at(); });
  set_time(referral.closed_at, out.mutable_closed_at(), [&] { out.clear_closed_at(); });
  set_time(referral.evaluated_at, out.mutable_evaluated_at(), [&] { out.clear_evaluated_at(); });
  if (referral.parental_choice) {
    v1::ParentalChoice& choice = *out.mutable_parental_choice();
    choice.clear_shortlist_bid_ids();
    for (const std::string& id : referral.parental_choice->shortlist_bid_ids) {
      choice.add_shortlist_bid_ids(id);
    }
    choice.set_chosen_bid_id(referral.parental_choice->chosen_bid_id);
    choice.set_note(referral.parental_choice->note);
    if (referral.parental_choice->recorded_at) {
      *choice.mutable_recorded_at() = ToTimestamp(*referral.parental_choice->recorded_at);
    }
  } else {
    out.clear_parental_choice();
  }
  if (referral.award) {
    const Award& award = *referral.award;
    v1::Award& a = *out.mutable_award();
    a.set_bid_id(award.bid_id);
    a.set_basis(ToApiBasis(award.basis));
    a.set_reason(award.reason);
    a.mutable_evaluated_weekly_price()->set_pence(award.evaluated_weekly_price_pence);
    a.set_approval(ToApiApproval(award.approval));
    a.mutable_awarded_by()->set_user_id(award.awarded_by);
    *a.mutable_awarded_at() = ToTimestamp(award.awarded_at);
    a.mutable_approval_decided_by()->set_user_id(award.approval_decided_by);
    a.set_approval_reason(award.approval_reason);
  } else {
    out.clear_award();
  }
  out.set_no_suitable_offer_reason(referral.no_suitable_offer_reason);
  out.set_ranking_refused_reason(referral.ranking_refused_reason);
  out.set_withdrawal_reason(referral.withdrawal_reason);
  out.clear_outcome_evaluator_user_ids();
  for (const std::string& id : referral.outcome_evaluator_user_ids) {
    out.add_outcome_evaluator_user_ids(id);
  }
  for (size_t i = out.history_size(); i < referral.history.size(); ++i) {
    const HistoryEntry& entry = referral.history[i];
    dps::common::v1::HistoryEntry& h = *out.add_history();
    *h.mutable_at() = ToTimestamp(entry.at);
    h.set_from_state(std::string(ReferralStateName(entry.from)));
    h.set_to_state(std::string(ReferralStateName(entry.to)));
    h.set_reason(entry.reason);
    *h.mutable_actor() = ToApiActor(entry.actor);
  }
}

}  // namespace dps::referral
