#include "services/contracts/api/convert.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/app/proto_enums.h"
#include "services/contracts/domain/costs.h"
#include "services/contracts/domain/variation.h"

namespace dps::contracts {
namespace {

namespace qv1 = ::dps::qualification::v1;

using platform::FromDate;
using platform::InvalidField;
using platform::ToDate;
using platform::ToTimestamp;

std::string At(absl::string_view field, absl::string_view member) {
  return absl::StrCat(field, ".", member);
}

std::string At(absl::string_view field, int index, absl::string_view member) {
  return absl::StrCat(field, "[", index, "].", member);
}

absl::Status UnknownValue(absl::string_view field, int value) {
  return InvalidField(field, absl::StrCat("unknown value ", value));
}

// --- Domain to API ---------------------------------------------------------------------------

common::ProvisionType ToProto(ProvisionType type) {
  switch (type) {
    case ProvisionType::kInmss:
      return common::PROVISION_TYPE_INMSS;
    case ProvisionType::kSpecialistCollege:
      return common::PROVISION_TYPE_SPECIALIST_COLLEGE;
    case ProvisionType::kFostering:
      return common::PROVISION_TYPE_FOSTERING;
    case ProvisionType::kResidentialHome:
      return common::PROVISION_TYPE_RESIDENTIAL_HOME;
    case ProvisionType::kShortBreaks:
      return common::PROVISION_TYPE_SHORT_BREAKS;
    case ProvisionType::kAlternativeEducation:
      return common::PROVISION_TYPE_ALTERNATIVE_EDUCATION;
    case ProvisionType::kSupportedAccommodation:
      return common::PROVISION_TYPE_SUPPORTED_ACCOMMODATION;
    case ProvisionType::kBespokeIntervention:
      return common::PROVISION_TYPE_BESPOKE_INTERVENTION;
    case ProvisionType::kUnspecified:
      break;
  }
  return common::PROVISION_TYPE_UNSPECIFIED;
}

cv1::DiscountKind ToProto(DiscountKind kind) {
  switch (kind) {
    case DiscountKind::kSibling:
      return cv1::DISCOUNT_KIND_SIBLING;
    case DiscountKind::kPermanence:
      return cv1::DISCOUNT_KIND_PERMANENCE;
    case DiscountKind::kUnspecified:
      break;
  }
  return cv1::DISCOUNT_KIND_UNSPECIFIED;
}

cv1::AllowanceFrequency ToProto(AllowanceFrequency frequency) {
  switch (frequency) {
    case AllowanceFrequency::kWeekly:
      return cv1::ALLOWANCE_FREQUENCY_WEEKLY;
    case AllowanceFrequency::kAnnual:
      return cv1::ALLOWANCE_FREQUENCY_ANNUAL;
    case AllowanceFrequency::kOneOff:
      return cv1::ALLOWANCE_FREQUENCY_ONE_OFF;
    case AllowanceFrequency::kUnspecified:
      break;
  }
  return cv1::ALLOWANCE_FREQUENCY_UNSPECIFIED;
}

common::Role ToProto(Role role) {
  switch (role) {
    case Role::kLeadAuthorityAdmin:
      return common::ROLE_LEAD_AUTHORITY_ADMIN;
    case Role::kEvaluator:
      return common::ROLE_EVALUATOR;
    case Role::kPlacingOfficer:
      return common::ROLE_PLACING_OFFICER;
    case Role::kCommissioner:
      return common::ROLE_COMMISSIONER;
    case Role::kProviderUser:
      return common::ROLE_PROVIDER_USER;
    case Role::kAuditor:
      return common::ROLE_AUDITOR;
    case Role::kService:
      return common::ROLE_SERVICE;
  }
  return common::ROLE_UNSPECIFIED;
}

void SetMoney(int64_t pence, common::Money* out) { out->set_pence(pence); }

// What one discount takes off the core weekly fee: costs.h's own arithmetic on the core fee with
// that discount alone, so it is rounded (half up) exactly as the domain rounds. costs.h rounds
// the discounts' total once, so the amounts of two discounts may add up to a penny more or less
// than the total taken off.
int64_t DiscountPence(int64_t core_weekly_fee_pence, const Discount& discount) {
  IpaTerms alone;  // no additional services: WeeklyCostOfTerms reads no date
  alone.costs.core_weekly_fee_pence = core_weekly_fee_pence;
  alone.costs.discounts = {discount};
  return WeeklyCostOfTerms(alone, absl::CivilDay()).discount_pence;
}

// total_weekly_fee: see IpaToProto in the header.
int64_t TotalWeeklyFee(const Ipa& ipa, absl::CivilDay today) {
  const absl::CivilDay day = ipa.ended_on ? std::min(today, *ipa.ended_on) : today;
  if (absl::StatusOr<WeeklyCost> cost = WeeklyCostOn(ipa, day); cost.ok()) {
    return cost->total_pence;
  }
  const IpaTerms& terms = ipa.terms();
  if (terms.start_date) {
    return WeeklyCostOfTerms(terms, std::max(day, *terms.start_date)).total_pence;
  }
  // WeeklyCostOfTerms places a service without its own start date at the placement's start.
  IpaTerms undated = terms;
  undated.costs.additional_services.clear();
  return WeeklyCostOfTerms(undated, day).total_pence;
}

void TermsToProto(const IpaTerms& terms, cv1::IpaTerms* out) {
  for (const std::string& purpose : terms.purposes) out->add_purposes(purpose);
  if (terms.start_date) *out->mutable_start_date() = ToDate(*terms.start_date);
  if (terms.planned_end_date) *out->mutable_planned_end_date() = ToDate(*terms.planned_end_date);
  for (const KeyContact& contact : terms.contacts) {
    cv1::KeyContact* c = out->add_contacts();
    c->set_party(ToProto(contact.party));
    c->set_role(contact.role);
    c->set_name(contact.name);
    c->set_email(contact.email);
    c->set_phone(contact.phone);
  }

  const Costs& costs = terms.costs;
  cv1::Costs* c = out->mutable_costs();
  c->set_price_basis(common::PRICE_BASIS_WEEKLY);
  SetMoney(costs.core_weekly_fee_pence, c->mutable_core_fee());
  SetMoney(costs.core_weekly_fee_pence, c->mutable_core_weekly_fee());
  for (const Discount& discount : costs.discounts) {
    cv1::Discount* d = c->add_discounts();
    d->set_kind(ToProto(discount.kind));
    d->set_basis_points(discount.basis_points);
    SetMoney(DiscountPence(costs.core_weekly_fee_pence, discount), d->mutable_weekly_amount());
  }
  for (const AdditionalService& service : costs.additional_services) {
    cv1::IpaAdditionalService* s = c->add_additional_services();
    s->set_code(service.code);
    s->set_description(service.description);
    s->set_unit(qv1::RATE_UNIT_WEEKLY);
    s->set_units(1);
    SetMoney(service.weekly_pence, s->mutable_rate());
    SetMoney(service.weekly_pence, s->mutable_weekly_cost());
    if (service.start_date) *s->mutable_start_date() = ToDate(*service.start_date);
    if (service.end_date) *s->mutable_end_date() = ToDate(*service.end_date);
  }
  for (const Allowance& allowance : costs.allowances) {
    cv1::ChildAllowance* a = c->add_allowances();
    a->set_kind(allowance.kind);
    SetMoney(allowance.amount_pence, a->mutable_amount());
    a->set_frequency(ToProto(allowance.frequency));
    a->set_included_in_fee(allowance.included_in_fee);
  }
  c->set_payment_terms(costs.payment_terms);

  if (terms.incentive) {
    cv1::IpaIncentive* i = out->mutable_incentive();
    i->set_description(terms.incentive->description);
    SetMoney(terms.incentive->premium_pence, i->mutable_premium());
    if (terms.incentive->achieve_by)
      *i->mutable_achieve_by() = ToDate(*terms.incentive->achieve_by);
  }
  out->set_notice_period_days(terms.notice_period_days);
  out->set_variation_template_id(terms.variation_template_id);
  for (const ContractDocument& document : terms.documents) {
    cv1::ContractDocument* d = out->add_documents();
    d->set_title(document.title);
    d->set_uri(document.uri);
    d->set_sha256(document.sha256);
  }
  for (const Signatory& signatory : terms.signatories) {
    cv1::Signatory* s = out->add_signatories();
    s->set_party(ToProto(signatory.party));
    s->set_user_id(signatory.user_id);
    s->set_name(signatory.name);
    s->set_position(signatory.position);
  }
}

void SignatureToProto(const Signature& signature, cv1::Signature* s) {
  s->set_party(ToProto(signature.party));
  s->set_user_id(signature.user_id);
  s->set_name(signature.name);
  s->set_position(signature.position);
  *s->mutable_signed_at() = ToTimestamp(signature.signed_at);
  s->set_document_sha256(signature.document_sha256);
  s->set_version_number(signature.version_number);
}

void VersionToProto(const std::string& ipa_id, const IpaVersion& version, cv1::IpaVersion* out) {
  out->set_version_number(version.number);
  if (version.origin == VersionOrigin::kVariation) {
    out->set_variation_id(VariationId(ipa_id, version.number));
  }
  out->set_document_sha256(version.document_sha256);
  out->set_byte_length(version.byte_length);
  // A version is rendered when it is made (issued, reissued or proposed).
  *out->mutable_rendered_at() = ToTimestamp(version.proposed_at);
  for (const Signature& signature : version.signatures) {
    SignatureToProto(signature, out->add_signatures());
  }
}

void EndingToProto(const Ipa& ipa, cv1::Ending* out) {
  if (ipa.ending) {
    const Ending& ending = *ipa.ending;
    out->set_basis(ToProto(ending.basis));
    out->set_reason(ToProto(ending.reason));
    out->set_detail(ending.detail);
    out->set_given_by(ToProto(ending.given_by));
    if (ending.notice_given_on) *out->mutable_notice_given_on() = ToDate(*ending.notice_given_on);
    *out->mutable_end_date() = ToDate(ending.end_date);
    out->set_scheduled(ipa.state != IpaState::kEnded);
  }
  if (ipa.authority_agreement) {
    *out->mutable_authority_agreed_end_date() = ToDate(ipa.authority_agreement->end_date);
  }
  if (ipa.provider_agreement) {
    *out->mutable_provider_agreed_end_date() = ToDate(ipa.provider_agreement->end_date);
  }
}

void ActorToProto(const Actor& actor, common::Actor* out) {
  out->set_user_id(actor.user_id);
  out->set_role(common::Role_Name(ToProto(actor.role)));
  out->set_organisation_id(actor.organisation_id);
}

void HistoryToProto(const HistoryEntry& entry, common::HistoryEntry* out) {
  *out->mutable_at() = ToTimestamp(entry.at);
  if (entry.actor) {
    common::Actor* actor = out->mutable_actor();
    actor->set_user_id(entry.actor->user_id);
    actor->set_role(common::Role_Name(ToProto(entry.actor->role)));
    actor->set_organisation_id(entry.actor->organisation_id);
  }
  out->set_from_state(cv1::IpaState_Name(StateToProto(entry.from)));
  out->set_to_state(cv1::IpaState_Name(StateToProto(entry.to)));
  out->set_reason(entry.what);
}

// --- API to domain ---------------------------------------------------------------------------

absl::StatusOr<Party> PartyFromProto(int value, absl::string_view field) {
  switch (value) {
    case cv1::PARTY_UNSPECIFIED:
      return Party::kUnspecified;
    case cv1::PARTY_PLACING_AUTHORITY:
      return Party::kPlacingAuthority;
    case cv1::PARTY_PROVIDER:
      return Party::kProvider;
    default:
      return UnknownValue(field, value);
  }
}

absl::StatusOr<DiscountKind> DiscountKindFromProto(int value, absl::string_view field) {
  switch (value) {
    case cv1::DISCOUNT_KIND_UNSPECIFIED:
      return DiscountKind::kUnspecified;
    case cv1::DISCOUNT_KIND_SIBLING:
      return DiscountKind::kSibling;
    case cv1::DISCOUNT_KIND_PERMANENCE:
      return DiscountKind::kPermanence;
    default:
      return UnknownValue(field, value);
  }
}

absl::StatusOr<AllowanceFrequency> FrequencyFromProto(int value, absl::string_view field) {
  switch (value) {
    case cv1::ALLOWANCE_FREQUENCY_UNSPECIFIED:
      return AllowanceFrequency::kUnspecified;
    case cv1::ALLOWANCE_FREQUENCY_WEEKLY:
      return AllowanceFrequency::kWeekly;
    case cv1::ALLOWANCE_FREQUENCY_ANNUAL:
      return AllowanceFrequency::kAnnual;
    case cv1::ALLOWANCE_FREQUENCY_ONE_OFF:
      return AllowanceFrequency::kOneOff;
    default:
      return UnknownValue(field, value);
  }
}

absl::StatusOr<IpaState> StateFromProto(int value, absl::string_view field) {
  switch (value) {
    case cv1::IPA_STATE_DRAFT:
      return IpaState::kDraft;
    case cv1::IPA_STATE_ISSUED:
      return IpaState::kIssued;
    case cv1::IPA_STATE_SIGNED:
      return IpaState::kSigned;
    case cv1::IPA_STATE_ACTIVE:
      return IpaState::kActive;
    case cv1::IPA_STATE_ENDED:
      return IpaState::kEnded;
    case cv1::IPA_STATE_CANCELLED:
      return IpaState::kCancelled;
    case cv1::IPA_STATE_UNSPECIFIED:
      return InvalidField(field, "IPA_STATE_UNSPECIFIED is not a state");
    default:
      return UnknownValue(field, value);
  }
}

// "per assessment", "per session", "per test": a rate for a piece of work.
absl::string_view RatePer(qv1::RateUnit unit) {
  switch (unit) {
    case qv1::RATE_UNIT_PER_ASSESSMENT:
      return "per assessment";
    case qv1::RATE_UNIT_PER_SESSION:
      return "per session";
    default:
      return "per test";
  }
}

// The weekly cost of a service as sent: see TermsFromProto in the header.
absl::StatusOr<int64_t> ServiceWeeklyPence(const cv1::IpaAdditionalService& service,
                                           absl::string_view field) {
  if (service.weekly_cost().pence() != 0) return service.weekly_cost().pence();
  switch (service.unit()) {
    case qv1::RATE_UNIT_UNSPECIFIED:
    case qv1::RATE_UNIT_WEEKLY:
      break;
    case qv1::RATE_UNIT_HOURLY:
      return InvalidField(At(field, "unit"), "only weekly rates are taken here: send weekly_cost");
    // A piece of work (an assessment, a session, a test) has no weekly equivalent: the agreement
    // holds what it costs a week, which the parties work out from how often it is done.
    case qv1::RATE_UNIT_PER_ASSESSMENT:
    case qv1::RATE_UNIT_PER_SESSION:
    case qv1::RATE_UNIT_PER_TEST:
      return InvalidField(At(field, "unit"),
                          absl::StrCat("a rate ", RatePer(service.unit()),
                                       " has no weekly equivalent: send weekly_cost"));
    default:
      return UnknownValue(At(field, "unit"), service.unit());
  }
  if (service.units() != 0 && service.units() != 1) {
    return InvalidField(At(field, "units"), absl::StrCat("a weekly rate is for 1 unit a week, got ",
                                                         service.units(), ": send weekly_cost"));
  }
  return service.rate().pence();
}

absl::Status CostsFromProto(const cv1::Costs& costs, absl::string_view field, Costs& out) {
  switch (costs.price_basis()) {
    case common::PRICE_BASIS_UNSPECIFIED:
    case common::PRICE_BASIS_WEEKLY:
      break;
    case common::PRICE_BASIS_MONTHLY:
    case common::PRICE_BASIS_ANNUAL:
      return InvalidField(At(field, "price_basis"), "only weekly fees are taken here");
    default:
      return UnknownValue(At(field, "price_basis"), costs.price_basis());
  }
  out.core_weekly_fee_pence = costs.core_fee().pence();
  const std::string discounts = At(field, "discounts");
  for (int i = 0; i < costs.discounts_size(); ++i) {
    const cv1::Discount& discount = costs.discounts(i);
    absl::StatusOr<DiscountKind> kind =
        DiscountKindFromProto(discount.kind(), At(discounts, i, "kind"));
    if (!kind.ok()) return kind.status();
    out.discounts.push_back({*kind, discount.basis_points()});
  }
  const std::string services = At(field, "additional_services");
  for (int i = 0; i < costs.additional_services_size(); ++i) {
    const cv1::IpaAdditionalService& service = costs.additional_services(i);
    const std::string at = absl::StrCat(services, "[", i, "]");
    absl::StatusOr<int64_t> weekly = ServiceWeeklyPence(service, at);
    if (!weekly.ok()) return weekly.status();
    auto start = FromDate(service.start_date(), At(at, "start_date"));
    if (!start.ok()) return start.status();
    auto end = FromDate(service.end_date(), At(at, "end_date"));
    if (!end.ok()) return end.status();
    out.additional_services.push_back(
        {service.code(), service.description(), *weekly, *start, *end});
  }
  const std::string allowances = At(field, "allowances");
  for (int i = 0; i < costs.allowances_size(); ++i) {
    const cv1::ChildAllowance& allowance = costs.allowances(i);
    absl::StatusOr<AllowanceFrequency> frequency =
        FrequencyFromProto(allowance.frequency(), At(allowances, i, "frequency"));
    if (!frequency.ok()) return frequency.status();
    out.allowances.push_back(
        {allowance.kind(), allowance.amount().pence(), *frequency, allowance.included_in_fee()});
  }
  out.payment_terms = costs.payment_terms();
  return absl::OkStatus();
}

absl::StatusOr<IpaTerms> UncheckedTermsFromProto(const cv1::IpaTerms& terms) {
  constexpr absl::string_view kField = "terms";
  IpaTerms out;
  out.purposes.assign(terms.purposes().begin(), terms.purposes().end());
  auto start = FromDate(terms.start_date(), At(kField, "start_date"));
  if (!start.ok()) return start.status();
  out.start_date = *start;
  auto planned_end = FromDate(terms.planned_end_date(), At(kField, "planned_end_date"));
  if (!planned_end.ok()) return planned_end.status();
  out.planned_end_date = *planned_end;

  const std::string contacts = At(kField, "contacts");
  for (int i = 0; i < terms.contacts_size(); ++i) {
    const cv1::KeyContact& contact = terms.contacts(i);
    absl::StatusOr<Party> party = PartyFromProto(contact.party(), At(contacts, i, "party"));
    if (!party.ok()) return party.status();
    out.contacts.push_back(
        {*party, contact.role(), contact.name(), contact.email(), contact.phone()});
  }

  if (auto s = CostsFromProto(terms.costs(), At(kField, "costs"), out.costs); !s.ok()) return s;

  if (terms.has_incentive()) {
    const cv1::IpaIncentive& incentive = terms.incentive();
    auto achieve_by = FromDate(incentive.achieve_by(), At(kField, "incentive.achieve_by"));
    if (!achieve_by.ok()) return achieve_by.status();
    out.incentive = Incentive{incentive.description(), incentive.premium().pence(), *achieve_by};
  }
  out.notice_period_days = terms.notice_period_days();
  out.variation_template_id = terms.variation_template_id();
  for (const cv1::ContractDocument& document : terms.documents()) {
    out.documents.push_back({document.title(), document.uri(), document.sha256()});
  }
  const std::string signatories = At(kField, "signatories");
  for (int i = 0; i < terms.signatories_size(); ++i) {
    const cv1::Signatory& signatory = terms.signatories(i);
    absl::StatusOr<Party> party = PartyFromProto(signatory.party(), At(signatories, i, "party"));
    if (!party.ok()) return party.status();
    out.signatories.push_back(
        {*party, signatory.user_id(), signatory.name(), signatory.position()});
  }
  return out;
}

}  // namespace

void IpaToProto(const Ipa& ipa, int64_t version, absl::CivilDay today, bool children_visible,
                cv1::Ipa* out) {
  out->Clear();
  out->set_id(ipa.id);
  out->set_system_id(ipa.system_id);
  out->set_lot_id(ipa.lot_id);
  SourceToProto(ipa.source, out->mutable_source());
  // The domain holds the organisations' ids only; their names are the qualification service's.
  out->mutable_placing_authority()->set_id(ipa.parties.placing_authority_id);
  out->mutable_placing_authority()->set_name(ipa.parties.placing_authority_name);
  out->mutable_provider()->set_id(ipa.parties.provider_id);
  out->mutable_provider()->set_name(ipa.parties.provider_name);
  out->mutable_establishment()->set_id(ipa.parties.establishment_id);
  out->mutable_establishment()->set_name(ipa.parties.establishment_name);
  if (!ipa.parties.establishment_address.empty()) {
    out->mutable_establishment()->mutable_address()->add_lines(ipa.parties.establishment_address);
  }
  out->set_provision_type(ToProto(ipa.provision_type));
  out->set_children_redacted(!children_visible);
  if (children_visible) {
    for (const ChildIdentity& child : ipa.children) {
      cv1::ChildIdentity& c = *out->add_children();
      c.set_given_names(child.given_names);
      c.set_family_name(child.family_name);
      c.set_preferred_name(child.preferred_name);
      if (child.date_of_birth) *c.mutable_date_of_birth() = ToDate(*child.date_of_birth);
      c.set_gender(static_cast<dps::common::v1::Gender>(child.gender));
      c.set_case_reference(child.case_reference);
      c.set_home_postcode(child.home_postcode);
      c.set_legal_status(child.legal_status);
    }
  }

  TermsToProto(ipa.terms(), out->mutable_terms());
  out->mutable_terms()->mutable_costs()->mutable_total_weekly_fee()->set_pence(
      TotalWeeklyFee(ipa, today));

  out->set_state(StateToProto(ipa.state));
  out->set_current_version_number(ipa.current_version_number);
  for (const IpaVersion& v : ipa.versions) VersionToProto(ipa.id, v, out->add_versions());
  if (ipa.ending || ipa.authority_agreement || ipa.provider_agreement) {
    EndingToProto(ipa, out->mutable_ending());
  }
  if (ipa.actual_start_date) *out->mutable_actual_start_date() = ToDate(*ipa.actual_start_date);
  if (ipa.ended_on) *out->mutable_ended_on() = ToDate(*ipa.ended_on);
  *out->mutable_created_at() = ToTimestamp(ipa.created_at);
  out->set_version(version);
  for (const HistoryEntry& entry : ipa.history) HistoryToProto(entry, out->add_history());
}

static_assert(static_cast<int>(Gender::kOther) == dps::common::v1::GENDER_OTHER);
static_assert(static_cast<int>(EndReason::kOther) == cv1::END_REASON_OTHER);

absl::StatusOr<EndReason> EndReasonFromProto(int reason, absl::string_view field) {
  if (!cv1::EndReason_IsValid(reason)) {
    return InvalidField(field, absl::StrCat("unknown value ", reason));
  }
  return static_cast<EndReason>(reason);
}

absl::StatusOr<std::vector<ChildIdentity>> ChildrenFromProto(
    const google::protobuf::RepeatedPtrField<cv1::ChildIdentity>& children) {
  std::vector<ChildIdentity> out;
  for (int i = 0; i < children.size(); ++i) {
    const cv1::ChildIdentity& c = children[i];
    const std::string at = absl::StrCat("children[", i, "]");
    if (!dps::common::v1::Gender_IsValid(c.gender())) {
      return InvalidField(at + ".gender", absl::StrCat("unknown value ", c.gender()));
    }
    absl::StatusOr<std::optional<absl::CivilDay>> born =
        FromDate(c.date_of_birth(), at + ".date_of_birth");
    if (!born.ok()) return born.status();
    out.push_back({.given_names = c.given_names(),
                   .family_name = c.family_name(),
                   .preferred_name = c.preferred_name(),
                   .date_of_birth = *born,
                   .gender = static_cast<Gender>(c.gender()),
                   .case_reference = c.case_reference(),
                   .home_postcode = c.home_postcode(),
                   .legal_status = c.legal_status()});
  }
  return out;
}

absl::StatusOr<IpaTerms> TermsFromProto(const cv1::IpaTerms& terms) {
  absl::StatusOr<IpaTerms> out = UncheckedTermsFromProto(terms);
  if (!out.ok()) return out.status();
  if (auto s = ValidateTerms("terms", *out); !s.ok()) return s;
  return out;
}

absl::StatusOr<IpaSource> SourceFromProto(const cv1::IpaSource& source) {
  IpaSource out;
  switch (source.kind()) {
    case cv1::IPA_SOURCE_KIND_UNSPECIFIED:
      out.kind = SourceKind::kUnspecified;
      break;
    case cv1::IPA_SOURCE_KIND_AWARD:
      out.kind = SourceKind::kAward;
      break;
    case cv1::IPA_SOURCE_KIND_DIRECT_AWARD:
      out.kind = SourceKind::kDirectAward;
      break;
    case cv1::IPA_SOURCE_KIND_BLOCK_CALL_OFF:
      out.kind = SourceKind::kBlockCallOff;
      break;
    default:
      return UnknownValue("source.kind", source.kind());
  }
  out.referral_id = source.referral_id();
  out.bid_id = source.bid_id();
  out.direct_award_id = source.direct_award_id();
  out.block_contract_id = source.block_contract_id();
  out.block_call_off_id = source.block_call_off_id();
  if (auto s = ValidateSource("source", out); !s.ok()) return s;
  return out;
}

void SourceToProto(const IpaSource& source, cv1::IpaSource* out) { *out = ToProto(source); }

absl::StatusOr<std::vector<IpaState>> StatesFromProto(
    const google::protobuf::RepeatedField<int>& states) {
  std::vector<IpaState> out;
  out.reserve(states.size());
  for (int i = 0; i < states.size(); ++i) {
    absl::StatusOr<IpaState> state = StateFromProto(states.Get(i), absl::StrCat("states[", i, "]"));
    if (!state.ok()) return state.status();
    out.push_back(*state);
  }
  return out;
}

cv1::IpaState StateToProto(IpaState state) {
  switch (state) {
    case IpaState::kDraft:
      return cv1::IPA_STATE_DRAFT;
    case IpaState::kIssued:
      return cv1::IPA_STATE_ISSUED;
    case IpaState::kSigned:
      return cv1::IPA_STATE_SIGNED;
    case IpaState::kActive:
      return cv1::IPA_STATE_ACTIVE;
    case IpaState::kEnded:
      return cv1::IPA_STATE_ENDED;
    case IpaState::kCancelled:
      return cv1::IPA_STATE_CANCELLED;
  }
  return cv1::IPA_STATE_UNSPECIFIED;
}

absl::StatusOr<ProvisionType> ProvisionTypeFromProto(int provision_type) {
  switch (provision_type) {
    case common::PROVISION_TYPE_UNSPECIFIED:
      return ProvisionType::kUnspecified;
    case common::PROVISION_TYPE_INMSS:
      return ProvisionType::kInmss;
    case common::PROVISION_TYPE_SPECIALIST_COLLEGE:
      return ProvisionType::kSpecialistCollege;
    case common::PROVISION_TYPE_FOSTERING:
      return ProvisionType::kFostering;
    case common::PROVISION_TYPE_RESIDENTIAL_HOME:
      return ProvisionType::kResidentialHome;
    case common::PROVISION_TYPE_SHORT_BREAKS:
      return ProvisionType::kShortBreaks;
    case common::PROVISION_TYPE_ALTERNATIVE_EDUCATION:
      return ProvisionType::kAlternativeEducation;
    case common::PROVISION_TYPE_SUPPORTED_ACCOMMODATION:
      return ProvisionType::kSupportedAccommodation;
    case common::PROVISION_TYPE_BESPOKE_INTERVENTION:
      return ProvisionType::kBespokeIntervention;
    default:
      return UnknownValue("provision_type", provision_type);
  }
}

absl::StatusOr<Actor> ActorOf(const platform::CallerIdentity& caller) {
  Actor actor{caller.user_id, Role::kService, caller.organisation_id};
  switch (caller.role) {
    case common::ROLE_LEAD_AUTHORITY_ADMIN:
      actor.role = Role::kLeadAuthorityAdmin;
      break;
    case common::ROLE_EVALUATOR:
      actor.role = Role::kEvaluator;
      break;
    case common::ROLE_PLACING_OFFICER:
      actor.role = Role::kPlacingOfficer;
      break;
    case common::ROLE_COMMISSIONER:
      actor.role = Role::kCommissioner;
      break;
    case common::ROLE_PROVIDER_USER:
      actor.role = Role::kProviderUser;
      break;
    case common::ROLE_AUDITOR:
      actor.role = Role::kAuditor;
      break;
    case common::ROLE_SERVICE:
      actor.role = Role::kService;
      break;
    default:
      return absl::PermissionDeniedError("role: not recognised");
  }
  return actor;
}

void VariationToProto(const Ipa& ipa, const IpaVersion& version, cv1::Variation* out) {
  out->Clear();
  out->set_id(VariationId(ipa.id, version.number));
  out->set_ipa_id(ipa.id);
  out->set_kind(ToProto(version.variation_kind));
  out->set_reason(version.reason);
  TermsToProto(version.terms, out->mutable_terms());
  *out->mutable_effective_from() = ToDate(version.effective_from);
  switch (version.state) {
    case VersionState::kAwaitingSignatures:
      out->set_state(cv1::VARIATION_STATE_PROPOSED);
      break;
    case VersionState::kInForce:
    case VersionState::kSuperseded:  // signed, then replaced by a later version
      out->set_state(cv1::VARIATION_STATE_SIGNED);
      break;
    case VersionState::kRejected:
      out->set_state(cv1::VARIATION_STATE_REJECTED);
      break;
    case VersionState::kWithdrawn:
      out->set_state(cv1::VARIATION_STATE_WITHDRAWN);
      break;
  }
  out->set_proposed_by(ToProto(version.proposed_by));
  out->set_version_number(version.number);
  out->set_document_sha256(version.document_sha256);
  for (const Signature& signature : version.signatures) {
    SignatureToProto(signature, out->add_signatures());
  }
  out->set_fee_uplift_id(version.fee_uplift_id);
  out->set_rejection_reason(version.rejection_reason);
  *out->mutable_proposed_at() = ToTimestamp(version.proposed_at);
}

absl::StatusOr<VariationKind> VariationKindFromProto(int kind, absl::string_view field) {
  switch (kind) {
    case cv1::VARIATION_KIND_UNSPECIFIED:
      return VariationKind::kUnspecified;
    case cv1::VARIATION_KIND_ADDITIONAL_SERVICES:
      return VariationKind::kAdditionalServices;
    case cv1::VARIATION_KIND_FEE_UPLIFT:
      return VariationKind::kFeeUplift;
    case cv1::VARIATION_KIND_DATES:
      return VariationKind::kDates;
    case cv1::VARIATION_KIND_CONTACTS_OR_DOCUMENTS:
      return VariationKind::kContactsOrDocuments;
    case cv1::VARIATION_KIND_OTHER:
      return VariationKind::kOther;
    default:
      return UnknownValue(field, kind);
  }
}

absl::StatusOr<VariationInput> VariationFromProto(const cv1::ProposeVariationRequest& request) {
  VariationInput out;
  absl::StatusOr<VariationKind> kind = VariationKindFromProto(request.kind(), "kind");
  if (!kind.ok()) return kind.status();
  out.kind = *kind;
  out.reason = request.reason();
  absl::StatusOr<IpaTerms> terms = TermsFromProto(request.terms());
  if (!terms.ok()) return terms.status();
  out.terms = *std::move(terms);
  absl::StatusOr<std::optional<absl::CivilDay>> from =
      FromDate(request.effective_from(), "effective_from");
  if (!from.ok()) return from.status();
  out.effective_from = *from;
  return out;
}

void UpliftToProto(const FeeUplift& uplift, cv1::FeeUpliftRequest* out) {
  out->Clear();
  out->set_id(uplift.id);
  out->set_ipa_id(uplift.ipa_id);
  out->set_provider_id(uplift.provider_id);
  out->set_placing_authority_id(uplift.placing_authority_id);
  out->mutable_current_core_fee()->set_pence(uplift.current_core_fee_pence);
  out->mutable_requested_core_fee()->set_pence(uplift.requested_core_fee_pence);
  *out->mutable_effective_from() = ToDate(uplift.effective_from);
  out->set_justification(uplift.justification);
  for (const CostPressure& pressure : uplift.cost_pressures) {
    cv1::CostPressure* p = out->add_cost_pressures();
    qv1::CoreCostCategory category = qv1::CORE_COST_CATEGORY_UNSPECIFIED;
    qv1::CoreCostCategory_Parse(absl::StrCat("CORE_COST_CATEGORY_", pressure.category), &category);
    p->set_category(category);
    p->set_description(pressure.description);
    p->mutable_weekly_increase()->set_pence(pressure.weekly_increase_pence);
  }
  out->set_state(ToProto(uplift.state));
  if (uplift.variation_version_number > 0) {
    out->mutable_approved_core_fee()->set_pence(uplift.approved_core_fee_pence);
    out->set_variation_id(VariationId(uplift.ipa_id, uplift.variation_version_number));
  }
  out->set_decision_reason(uplift.decision_reason);
  if (uplift.decided_by) ActorToProto(*uplift.decided_by, out->mutable_decided_by());
  *out->mutable_requested_at() = ToTimestamp(uplift.requested_at);
  if (uplift.decided_at) *out->mutable_decided_at() = ToTimestamp(*uplift.decided_at);
}

absl::StatusOr<UpliftRequestInput> UpliftRequestFromProto(
    const cv1::RequestFeeUpliftRequest& request) {
  UpliftRequestInput out;
  out.requested_core_fee_pence = request.requested_core_fee().pence();
  absl::StatusOr<std::optional<absl::CivilDay>> from =
      FromDate(request.effective_from(), "effective_from");
  if (!from.ok()) return from.status();
  out.effective_from = *from;
  out.justification = request.justification();
  for (int i = 0; i < request.cost_pressures_size(); ++i) {
    const cv1::CostPressure& pressure = request.cost_pressures(i);
    const int category = pressure.category();
    if (!qv1::CoreCostCategory_IsValid(category)) {
      return UnknownValue(At("cost_pressures", i, "category"), category);
    }
    std::string name;
    if (category != qv1::CORE_COST_CATEGORY_UNSPECIFIED) {
      // The domain keeps the name without its prefix: "CORE_STAFFING".
      name = qv1::CoreCostCategory_Name(static_cast<qv1::CoreCostCategory>(category))
                 .substr(sizeof("CORE_COST_CATEGORY_") - 1);
    }
    out.cost_pressures.push_back(
        {std::move(name), pressure.description(), pressure.weekly_increase().pence()});
  }
  return out;
}

absl::StatusOr<UpliftState> UpliftStateFromProto(int value, absl::string_view field) {
  switch (value) {
    case cv1::UPLIFT_STATE_REQUESTED:
      return UpliftState::kRequested;
    case cv1::UPLIFT_STATE_APPROVED:
      return UpliftState::kApproved;
    case cv1::UPLIFT_STATE_PARTLY_APPROVED:
      return UpliftState::kPartlyApproved;
    case cv1::UPLIFT_STATE_REFUSED:
      return UpliftState::kRefused;
    case cv1::UPLIFT_STATE_WITHDRAWN:
      return UpliftState::kWithdrawn;
    case cv1::UPLIFT_STATE_UNSPECIFIED:
      return InvalidField(field, "required");
    default:
      return UnknownValue(field, value);
  }
}

absl::StatusOr<UpliftDecision> UpliftDecisionFromProto(const cv1::DecideFeeUpliftRequest& request) {
  absl::StatusOr<UpliftState> outcome = UpliftStateFromProto(request.decision(), "decision");
  if (!outcome.ok()) return outcome.status();
  return UpliftDecision{.outcome = *outcome,
                        .approved_core_fee_pence = request.approved_core_fee().pence(),
                        .reason = request.reason()};
}

absl::StatusOr<std::vector<UpliftState>> UpliftStatesFromProto(
    const google::protobuf::RepeatedField<int>& states) {
  std::vector<UpliftState> out;
  out.reserve(states.size());
  for (int i = 0; i < states.size(); ++i) {
    absl::StatusOr<UpliftState> state =
        UpliftStateFromProto(states.Get(i), absl::StrCat("states[", i, "]"));
    if (!state.ok()) return state.status();
    out.push_back(*state);
  }
  return out;
}

void PublicationToProto(const Publication& publication, const std::string& package,
                        cv1::Publication* out) {
  out->Clear();
  out->set_id(publication.id);
  out->set_system_id(publication.system_id);
  out->set_kind(ToProto(publication.kind));
  if (publication.quarter) {
    out->mutable_quarter()->set_year(publication.quarter->year);
    out->mutable_quarter()->set_quarter(publication.quarter->quarter);
  }
  out->set_ipa_id(publication.ipa_id);
  out->set_award_count(publication.award_count);
  out->mutable_total_annual_value()->set_pence(publication.total_annual_value_pence);
  if (publication.publish_by) *out->mutable_publish_by() = ToDate(*publication.publish_by);
  out->set_release_package_json(package);
  out->set_sha256(publication.sha256);
  out->set_state(publication.state == PublicationState::kPublished
                     ? cv1::PUBLICATION_STATE_PUBLISHED
                     : cv1::PUBLICATION_STATE_PRODUCED);
  *out->mutable_produced_at() = ToTimestamp(publication.produced_at);
  if (publication.published_at) {
    *out->mutable_published_at() = ToTimestamp(*publication.published_at);
  }
  out->set_external_reference(publication.external_reference);
}

absl::StatusOr<PublicationKind> PublicationKindFromProto(int kind, absl::string_view field) {
  switch (kind) {
    case cv1::PUBLICATION_KIND_QUARTERLY:
      return PublicationKind::kQuarterly;
    case cv1::PUBLICATION_KIND_CONTRACT_AWARD_NOTICE:
      return PublicationKind::kContractAwardNotice;
    case cv1::PUBLICATION_KIND_CONTRACT_DETAILS_NOTICE:
      return PublicationKind::kContractDetailsNotice;
    case cv1::PUBLICATION_KIND_UNSPECIFIED:
      return InvalidField(field, "required");
    default:
      return UnknownValue(field, kind);
  }
}

std::optional<Quarter> QuarterFromProto(const cv1::ProducePublicationRequest& request) {
  if (!request.has_quarter()) return std::nullopt;
  return Quarter{request.quarter().year(), request.quarter().quarter()};
}

absl::StatusOr<std::vector<KpiDefinition>> KpiDefinitionsFromProto(
    const google::protobuf::RepeatedPtrField<cv1::KpiDefinition>& definitions) {
  std::vector<KpiDefinition> out;
  out.reserve(definitions.size());
  for (int i = 0; i < definitions.size(); ++i) {
    const cv1::KpiDefinition& d = definitions.Get(i);
    KpiDefinition definition;
    definition.code = d.code();
    definition.title = d.title();
    definition.description = d.description();
    switch (d.value_type()) {
      case cv1::KPI_VALUE_TYPE_UNSPECIFIED:
        definition.value_type = KpiValueType::kUnspecified;
        break;
      case cv1::KPI_VALUE_TYPE_COUNT:
        definition.value_type = KpiValueType::kCount;
        break;
      case cv1::KPI_VALUE_TYPE_PERCENTAGE:
        definition.value_type = KpiValueType::kPercentage;
        break;
      case cv1::KPI_VALUE_TYPE_YES_NO:
        definition.value_type = KpiValueType::kYesNo;
        break;
      case cv1::KPI_VALUE_TYPE_TEXT:
        definition.value_type = KpiValueType::kText;
        break;
      default:
        return UnknownValue(At("definitions", i, "value_type"), d.value_type());
    }
    definition.period_months = d.period_months();
    for (int j = 0; j < d.provision_types_size(); ++j) {
      absl::StatusOr<ProvisionType> type = ProvisionTypeFromProto(d.provision_types(j));
      if (!type.ok()) {
        return UnknownValue(absl::StrCat(At("definitions", i, "provision_types"), "[", j, "]"),
                            d.provision_types(j));
      }
      definition.provision_types.push_back(*type);
    }
    out.push_back(std::move(definition));
  }
  return out;
}

void KpiDefinitionSetToProto(const KpiDefinitionSet& set, cv1::KpiDefinitionSet* out) {
  out->Clear();
  out->set_system_id(set.system_id);
  for (const KpiDefinition& definition : set.definitions) {
    cv1::KpiDefinition* d = out->add_definitions();
    d->set_code(definition.code);
    d->set_title(definition.title);
    d->set_description(definition.description);
    d->set_value_type(ToProto(definition.value_type));
    d->set_period_months(definition.period_months);
    for (ProvisionType type : definition.provision_types) d->add_provision_types(ToProto(type));
  }
}

absl::StatusOr<std::optional<DateRange>> DateRangeFromProto(const common::DateRange& range,
                                                            absl::string_view field) {
  absl::StatusOr<std::optional<absl::CivilDay>> start = FromDate(range.start(), At(field, "start"));
  if (!start.ok()) return start.status();
  absl::StatusOr<std::optional<absl::CivilDay>> end = FromDate(range.end(), At(field, "end"));
  if (!end.ok()) return end.status();
  if (!*start && !*end) return std::nullopt;
  if (!*start) return InvalidField(At(field, "start"), "required");
  if (!*end) return InvalidField(At(field, "end"), "required");
  return DateRange{**start, **end};
}

absl::StatusOr<KpiReturnInput> KpiReturnFromProto(const cv1::SubmitKpiReturnRequest& request) {
  KpiReturnInput out;
  absl::StatusOr<std::optional<DateRange>> period = DateRangeFromProto(request.period(), "period");
  if (!period.ok()) return period.status();
  out.period = *period;
  for (const cv1::KpiValue& v : request.values()) {
    out.values.push_back({.code = v.code(),
                          .integer_value = v.integer_value(),
                          .basis_points_value = v.basis_points_value(),
                          .bool_value = v.bool_value(),
                          .text_value = v.text_value()});
  }
  return out;
}

void KpiReturnToProto(const KpiReturn& r, cv1::KpiReturn* out) {
  out->Clear();
  out->set_id(r.id);
  out->set_ipa_id(r.ipa_id);
  out->set_provider_id(r.provider_id);
  out->set_establishment_id(r.establishment_id);
  *out->mutable_period()->mutable_start() = ToDate(r.period.start);
  *out->mutable_period()->mutable_end() = ToDate(r.period.end);
  for (const KpiValue& v : r.values) {
    cv1::KpiValue* value = out->add_values();
    value->set_code(v.code);
    value->set_integer_value(v.integer_value);
    value->set_basis_points_value(v.basis_points_value);
    value->set_bool_value(v.bool_value);
    value->set_text_value(v.text_value);
  }
  out->set_state(ToProto(r.state));
  out->set_query_note(r.query_note);
  *out->mutable_submitted_at() = ToTimestamp(r.submitted_at);
}

absl::StatusOr<PerformanceReviewInput> PerformanceReviewFromProto(
    const cv1::RecordPerformanceReviewRequest& request) {
  PerformanceReviewInput out;
  out.system_id = request.system_id();
  out.establishment_id = request.establishment_id();
  absl::StatusOr<std::optional<DateRange>> period = DateRangeFromProto(request.period(), "period");
  if (!period.ok()) return period.status();
  out.period = *period;
  switch (request.rating()) {
    case cv1::PERFORMANCE_RATING_UNSPECIFIED:
      out.rating = PerformanceRating::kUnspecified;
      break;
    case cv1::PERFORMANCE_RATING_EXCEEDS:
      out.rating = PerformanceRating::kExceeds;
      break;
    case cv1::PERFORMANCE_RATING_MEETS:
      out.rating = PerformanceRating::kMeets;
      break;
    case cv1::PERFORMANCE_RATING_PARTLY_MEETS:
      out.rating = PerformanceRating::kPartlyMeets;
      break;
    case cv1::PERFORMANCE_RATING_DOES_NOT_MEET:
      out.rating = PerformanceRating::kDoesNotMeet;
      break;
    default:
      return UnknownValue("rating", request.rating());
  }
  out.findings = request.findings();
  out.kpi_return_ids.assign(request.kpi_return_ids().begin(), request.kpi_return_ids().end());
  out.recommended_score_delta = request.recommended_score_delta();
  return out;
}

void PerformanceReviewToProto(const PerformanceReview& review, cv1::PerformanceReview* out) {
  out->Clear();
  out->set_id(review.id);
  out->set_system_id(review.system_id);
  out->set_establishment_id(review.establishment_id);
  out->set_provider_id(review.provider_id);
  *out->mutable_period()->mutable_start() = ToDate(review.period.start);
  *out->mutable_period()->mutable_end() = ToDate(review.period.end);
  out->set_rating(ToProto(review.rating));
  out->set_findings(review.findings);
  for (const std::string& id : review.kpi_return_ids) out->add_kpi_return_ids(id);
  out->set_recommended_score_delta(review.recommended_score_delta);
  out->set_score_adjustment_id(review.score_adjustment_id);
  ActorToProto(review.reviewed_by, out->mutable_reviewed_by());
  *out->mutable_reviewed_at() = ToTimestamp(review.reviewed_at);
}

}  // namespace dps::contracts
