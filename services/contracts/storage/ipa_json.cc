#include "services/contracts/storage/ipa_json.h"

#include <array>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/storage/record_json.h"

namespace dps::contracts::storage {
namespace {

using nlohmann::json;
using namespace record;  // NOLINT: the shared pieces of every stored document

// One enum's stored names, in both directions.
template <typename E, size_t N>
struct Names {
  std::array<std::pair<E, const char*>, N> entries;

  const char* Of(E value) const {
    for (const auto& [e, name] : entries) {
      if (e == value) return name;
    }
    throw BadRecord("an enum value without a stored name");
  }
  E Parse(absl::string_view name) const {
    for (const auto& [e, n] : entries) {
      if (name == n) return e;
    }
    throw BadRecord(absl::StrCat("unknown name \"", name, "\""));
  }
};
template <typename E, typename... P>
constexpr auto MakeNames(P... entries) {
  return Names<E, sizeof...(P)>{{entries...}};
}

constexpr auto kIpaStates = MakeNames<IpaState>(
    std::pair{IpaState::kDraft, "DRAFT"}, std::pair{IpaState::kIssued, "ISSUED"},
    std::pair{IpaState::kSigned, "SIGNED"}, std::pair{IpaState::kActive, "ACTIVE"},
    std::pair{IpaState::kEnded, "ENDED"}, std::pair{IpaState::kCancelled, "CANCELLED"});
constexpr auto kVersionStates =
    MakeNames<VersionState>(std::pair{VersionState::kAwaitingSignatures, "AWAITING_SIGNATURES"},
                            std::pair{VersionState::kInForce, "IN_FORCE"},
                            std::pair{VersionState::kSuperseded, "SUPERSEDED"},
                            std::pair{VersionState::kRejected, "REJECTED"},
                            std::pair{VersionState::kWithdrawn, "WITHDRAWN"});
constexpr auto kParties = MakeNames<Party>(std::pair{Party::kUnspecified, "UNSPECIFIED"},
                                           std::pair{Party::kPlacingAuthority, "PLACING_AUTHORITY"},
                                           std::pair{Party::kProvider, "PROVIDER"});
constexpr auto kGenders = MakeNames<Gender>(
    std::pair{Gender::kUnspecified, "UNSPECIFIED"}, std::pair{Gender::kMale, "MALE"},
    std::pair{Gender::kFemale, "FEMALE"}, std::pair{Gender::kOther, "OTHER"});
constexpr auto kSourceKinds = MakeNames<SourceKind>(
    std::pair{SourceKind::kUnspecified, "UNSPECIFIED"}, std::pair{SourceKind::kAward, "AWARD"},
    std::pair{SourceKind::kDirectAward, "DIRECT_AWARD"},
    std::pair{SourceKind::kBlockCallOff, "BLOCK_CALL_OFF"});
constexpr auto kProvisionTypes = MakeNames<ProvisionType>(
    std::pair{ProvisionType::kUnspecified, "UNSPECIFIED"},
    std::pair{ProvisionType::kInmss, "INMSS"},
    std::pair{ProvisionType::kSpecialistCollege, "SPECIALIST_COLLEGE"},
    std::pair{ProvisionType::kFostering, "FOSTERING"},
    std::pair{ProvisionType::kResidentialHome, "RESIDENTIAL_HOME"},
    std::pair{ProvisionType::kShortBreaks, "SHORT_BREAKS"},
    std::pair{ProvisionType::kAlternativeEducation, "ALTERNATIVE_EDUCATION"},
    std::pair{ProvisionType::kSupportedAccommodation, "SUPPORTED_ACCOMMODATION"},
    std::pair{ProvisionType::kBespokeIntervention, "BESPOKE_INTERVENTION"});
constexpr auto kDiscountKinds =
    MakeNames<DiscountKind>(std::pair{DiscountKind::kUnspecified, "UNSPECIFIED"},
                            std::pair{DiscountKind::kSibling, "SIBLING"},
                            std::pair{DiscountKind::kPermanence, "PERMANENCE"});
constexpr auto kFrequencies =
    MakeNames<AllowanceFrequency>(std::pair{AllowanceFrequency::kUnspecified, "UNSPECIFIED"},
                                  std::pair{AllowanceFrequency::kWeekly, "WEEKLY"},
                                  std::pair{AllowanceFrequency::kAnnual, "ANNUAL"},
                                  std::pair{AllowanceFrequency::kOneOff, "ONE_OFF"});
constexpr auto kOrigins = MakeNames<VersionOrigin>(
    std::pair{VersionOrigin::kIssue, "ISSUE"}, std::pair{VersionOrigin::kReissue, "REISSUE"},
    std::pair{VersionOrigin::kVariation, "VARIATION"});
constexpr auto kVariationKinds = MakeNames<VariationKind>(
    std::pair{VariationKind::kUnspecified, "UNSPECIFIED"},
    std::pair{VariationKind::kAdditionalServices, "ADDITIONAL_SERVICES"},
    std::pair{VariationKind::kFeeUplift, "FEE_UPLIFT"}, std::pair{VariationKind::kDates, "DATES"},
    std::pair{VariationKind::kContactsOrDocuments, "CONTACTS_OR_DOCUMENTS"},
    std::pair{VariationKind::kOther, "OTHER"});
constexpr auto kUpliftStates = MakeNames<UpliftState>(
    std::pair{UpliftState::kRequested, "REQUESTED"}, std::pair{UpliftState::kApproved, "APPROVED"},
    std::pair{UpliftState::kPartlyApproved, "PARTLY_APPROVED"},
    std::pair{UpliftState::kRefused, "REFUSED"}, std::pair{UpliftState::kWithdrawn, "WITHDRAWN"});
constexpr auto kEndingBases = MakeNames<EndingBasis>(
    std::pair{EndingBasis::kNoticeByAuthority, "NOTICE_BY_AUTHORITY"},
    std::pair{EndingBasis::kNoticeByProvider, "NOTICE_BY_PROVIDER"},
    std::pair{EndingBasis::kMutualAgreement, "MUTUAL_AGREEMENT"},
    std::pair{EndingBasis::kImmediateSafeguarding, "IMMEDIATE_SAFEGUARDING"});
constexpr auto kEndReasons = MakeNames<EndReason>(
    std::pair{EndReason::kUnspecified, "UNSPECIFIED"},
    std::pair{EndReason::kOutcomesAchieved, "OUTCOMES_ACHIEVED"},
    std::pair{EndReason::kStepDown, "STEP_DOWN"},
    std::pair{EndReason::kReturnedHome, "RETURNED_HOME"},
    std::pair{EndReason::kPlacementBreakdown, "PLACEMENT_BREAKDOWN"},
    std::pair{EndReason::kNeedsNotMet, "NEEDS_NOT_MET"},
    std::pair{EndReason::kSafeguarding, "SAFEGUARDING"},
    std::pair{EndReason::kProviderClosure, "PROVIDER_CLOSURE"},
    std::pair{EndReason::kAgedOut, "AGED_OUT"}, std::pair{EndReason::kOther, "OTHER"});

// --- terms -----------------------------------------------------------------------------------

json ContactToJson(const KeyContact& c) {
  json j = {{"party", kParties.Of(c.party)}};
  PutStr(j, "role", c.role);
  PutStr(j, "name", c.name);
  PutStr(j, "email", c.email);
  PutStr(j, "phone", c.phone);
  return j;
}
KeyContact ContactFromJson(const json& j) {
  return {kParties.Parse(j.at("party").get<std::string>()), Str(j, "role"), Str(j, "name"),
          Str(j, "email"), Str(j, "phone")};
}

json CostsToJson(const Costs& costs) {
  json j = {{"core_weekly_fee_pence", costs.core_weekly_fee_pence},
            {"discounts", json::array()},
            {"additional_services", json::array()},
            {"allowances", json::array()}};
  for (const Discount& d : costs.discounts) {
    j["discounts"].push_back(
        {{"kind", kDiscountKinds.Of(d.kind)}, {"basis_points", d.basis_points}});
  }
  for (const AdditionalService& s : costs.additional_services) {
    json service = {{"code", s.code}, {"weekly_pence", s.weekly_pence}};
    PutStr(service, "description", s.description);
    PutDay(service, "start_date", s.start_date);
    PutDay(service, "end_date", s.end_date);
    j["additional_services"].push_back(std::move(service));
  }
  for (const Allowance& a : costs.allowances) {
    j["allowances"].push_back({{"kind", a.kind},
                               {"amount_pence", a.amount_pence},
                               {"frequency", kFrequencies.Of(a.frequency)},
                               {"included_in_fee", a.included_in_fee}});
  }
  PutStr(j, "payment_terms", costs.payment_terms);
  return j;
}

Costs CostsFromJson(const json& j) {
  Costs costs;
  costs.core_weekly_fee_pence = j.at("core_weekly_fee_pence").get<int64_t>();
  for (const json& d : j.at("discounts")) {
    costs.discounts.push_back(
        {kDiscountKinds.Parse(d.at("kind").get<std::string>()), d.at("basis_points").get<int>()});
  }
  for (const json& s : j.at("additional_services")) {
    costs.additional_services.push_back({s.at("code").get<std::string>(), Str(s, "description"),
                                         s.at("weekly_pence").get<int64_t>(),
                                         OptDay(s, "start_date"), OptDay(s, "end_date")});
  }
  for (const json& a : j.at("allowances")) {
    costs.allowances.push_back({a.at("kind").get<std::string>(),
                                a.at("amount_pence").get<int64_t>(),
                                kFrequencies.Parse(a.at("frequency").get<std::string>()),
                                a.at("included_in_fee").get<bool>()});
  }
  costs.payment_terms = Str(j, "payment_terms");
  return costs;
}

IpaTerms TermsFrom(const json& j) {
  IpaTerms terms;
  terms.purposes = j.at("purposes").get<std::vector<std::string>>();
  terms.start_date = OptDay(j, "start_date");
  terms.planned_end_date = OptDay(j, "planned_end_date");
  for (const json& c : j.at("contacts")) terms.contacts.push_back(ContactFromJson(c));
  terms.costs = CostsFromJson(j.at("costs"));
  if (j.contains("incentive")) {
    const json& i = j.at("incentive");
    terms.incentive = Incentive{Str(i, "description"), i.at("premium_pence").get<int64_t>(),
                                OptDay(i, "achieve_by")};
  }
  terms.notice_period_days = j.at("notice_period_days").get<int>();
  terms.variation_template_id = Str(j, "variation_template_id");
  for (const json& d : j.at("documents")) {
    terms.documents.push_back({Str(d, "title"), Str(d, "uri"), Str(d, "sha256")});
  }
  for (const json& s : j.at("signatories")) {
    terms.signatories.push_back({kParties.Parse(s.at("party").get<std::string>()),
                                 Str(s, "user_id"), Str(s, "name"), Str(s, "position")});
  }
  return terms;
}

// --- the IPA ---------------------------------------------------------------------------------

json AgreementToJson(const EndingAgreement& a) {
  json j = {{"end_date", Day(a.end_date)},
            {"reason", kEndReasons.Of(a.reason)},
            {"user_id", a.user_id},
            {"agreed_at", FormatInstant(a.agreed_at)}};
  PutStr(j, "detail", a.detail);
  return j;
}
EndingAgreement AgreementFromJson(const json& j) {
  return {ReadDay(j.at("end_date")), kEndReasons.Parse(j.at("reason").get<std::string>()),
          Str(j, "detail"), j.at("user_id").get<std::string>(), ReadInstant(j.at("agreed_at"))};
}

json EndingToJson(const Ending& e) {
  json j = {{"basis", kEndingBases.Of(e.basis)},
            {"reason", kEndReasons.Of(e.reason)},
            {"given_by", kParties.Of(e.given_by)},
            {"end_date", Day(e.end_date)},
            {"recorded_by_user_id", e.recorded_by_user_id},
            {"recorded_at", FormatInstant(e.recorded_at)}};
  PutStr(j, "detail", e.detail);
  PutDay(j, "notice_given_on", e.notice_given_on);
  return j;
}
Ending EndingFromJson(const json& j) {
  Ending e;
  e.basis = kEndingBases.Parse(j.at("basis").get<std::string>());
  e.reason = kEndReasons.Parse(j.at("reason").get<std::string>());
  e.detail = Str(j, "detail");
  e.given_by = kParties.Parse(j.at("given_by").get<std::string>());
  e.notice_given_on = OptDay(j, "notice_given_on");
  e.end_date = ReadDay(j.at("end_date"));
  e.recorded_by_user_id = j.at("recorded_by_user_id").get<std::string>();
  e.recorded_at = ReadInstant(j.at("recorded_at"));
  return e;
}

}  // namespace

std::string FormatInstant(absl::Time at) {
  return absl::FormatTime(absl::RFC3339_full, at, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseInstant(absl::string_view text) {
  absl::Time at;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, absl::UTCTimeZone(), &at, &error)) {
    return absl::InternalError(absl::StrCat("bad instant \"", text, "\": ", error));
  }
  return at;
}

json TermsToJson(const IpaTerms& terms) {
  json j = {{"purposes", terms.purposes},        {"contacts", json::array()},
            {"costs", CostsToJson(terms.costs)}, {"notice_period_days", terms.notice_period_days},
            {"documents", json::array()},        {"signatories", json::array()}};
  PutDay(j, "start_date", terms.start_date);
  PutDay(j, "planned_end_date", terms.planned_end_date);
  for (const KeyContact& c : terms.contacts) j["contacts"].push_back(ContactToJson(c));
  if (terms.incentive) {
    json i = {{"premium_pence", terms.incentive->premium_pence}};
    PutStr(i, "description", terms.incentive->description);
    PutDay(i, "achieve_by", terms.incentive->achieve_by);
    j["incentive"] = std::move(i);
  }
  PutStr(j, "variation_template_id", terms.variation_template_id);
  for (const ContractDocument& d : terms.documents) {
    j["documents"].push_back({{"title", d.title}, {"uri", d.uri}, {"sha256", d.sha256}});
  }
  for (const Signatory& s : terms.signatories) {
    json signatory = {{"party", kParties.Of(s.party)}};
    PutStr(signatory, "user_id", s.user_id);
    PutStr(signatory, "name", s.name);
    PutStr(signatory, "position", s.position);
    j["signatories"].push_back(std::move(signatory));
  }
  return j;
}

absl::StatusOr<IpaTerms> TermsFromJson(const json& j) {
  IpaTerms terms;
  if (absl::Status s = Reading("terms", [&] { terms = TermsFrom(j); }); !s.ok()) return s;
  return terms;
}

json IpaToJson(const Ipa& ipa) {
  json j = {{"id", ipa.id},
            {"system_id", ipa.system_id},
            {"lead_authority_id", ipa.lead_authority_id},
            {"lot_id", ipa.lot_id},
            {"provision_type", kProvisionTypes.Of(ipa.provision_type)},
            {"state", kIpaStates.Of(ipa.state)},
            {"draft", TermsToJson(ipa.draft)},
            {"current_version_number", ipa.current_version_number},
            {"awarded_at", FormatInstant(ipa.awarded_at)},
            {"created_at", FormatInstant(ipa.created_at)},
            {"history", json::array()}};
  json source = {{"kind", kSourceKinds.Of(ipa.source.kind)}};
  PutStr(source, "referral_id", ipa.source.referral_id);
  PutStr(source, "bid_id", ipa.source.bid_id);
  PutStr(source, "direct_award_id", ipa.source.direct_award_id);
  PutStr(source, "block_contract_id", ipa.source.block_contract_id);
  PutStr(source, "block_call_off_id", ipa.source.block_call_off_id);
  if (ipa.source.ranked_call_off) source["ranked_call_off"] = true;
  j["source"] = std::move(source);
  j["parties"] = {{"placing_authority_id", ipa.parties.placing_authority_id},
                  {"provider_id", ipa.parties.provider_id},
                  {"establishment_id", ipa.parties.establishment_id}};
  PutStr(j["parties"], "placing_authority_name", ipa.parties.placing_authority_name);
  PutStr(j["parties"], "provider_name", ipa.parties.provider_name);
  PutStr(j["parties"], "establishment_name", ipa.parties.establishment_name);
  PutStr(j["parties"], "establishment_address", ipa.parties.establishment_address);
  if (ipa.ending) j["ending"] = EndingToJson(*ipa.ending);
  if (ipa.authority_agreement) j["authority_agreement"] = AgreementToJson(*ipa.authority_agreement);
  if (ipa.provider_agreement) j["provider_agreement"] = AgreementToJson(*ipa.provider_agreement);
  PutDay(j, "actual_start_date", ipa.actual_start_date);
  // Written only when true, so a record from before the field reads as the timer's start.
  if (ipa.actual_start_recorded) j["actual_start_recorded"] = true;
  PutDay(j, "ended_on", ipa.ended_on);
  PutStr(j, "cancellation_reason", ipa.cancellation_reason);
  if (!ipa.children.empty()) {
    json children = json::array();
    for (const ChildIdentity& c : ipa.children) {
      json child = {{"given_names", c.given_names},
                    {"family_name", c.family_name},
                    {"gender", kGenders.Of(c.gender)}};
      PutStr(child, "preferred_name", c.preferred_name);
      PutDay(child, "date_of_birth", c.date_of_birth);
      PutStr(child, "case_reference", c.case_reference);
      PutStr(child, "home_postcode", c.home_postcode);
      PutStr(child, "legal_status", c.legal_status);
      children.push_back(std::move(child));
    }
    j["children"] = std::move(children);
  }
  for (const HistoryEntry& h : ipa.history) {
    json entry = {{"at", FormatInstant(h.at)},
                  {"from", kIpaStates.Of(h.from)},
                  {"to", kIpaStates.Of(h.to)},
                  {"what", h.what}};
    if (h.actor) entry["actor"] = ActorToJson(*h.actor);
    j["history"].push_back(std::move(entry));
  }
  return j;
}

absl::Status IpaFromJson(const json& j, Ipa& ipa) {
  return Reading("ipa", [&] {
    ipa.id = j.at("id").get<std::string>();
    ipa.system_id = Str(j, "system_id");
    ipa.lead_authority_id = Str(j, "lead_authority_id");
    ipa.lot_id = Str(j, "lot_id");
    const json& source = j.at("source");
    ipa.source = {kSourceKinds.Parse(source.at("kind").get<std::string>()),
                  Str(source, "referral_id"),
                  Str(source, "bid_id"),
                  Str(source, "direct_award_id"),
                  Str(source, "block_contract_id"),
                  Str(source, "block_call_off_id"),
                  source.value("ranked_call_off", false)};
    const json& parties = j.at("parties");
    ipa.parties = {Str(parties, "placing_authority_id"), Str(parties, "provider_id"),
                   Str(parties, "establishment_id"),     Str(parties, "placing_authority_name"),
                   Str(parties, "provider_name"),        Str(parties, "establishment_name"),
                   Str(parties, "establishment_address")};
    ipa.provision_type = kProvisionTypes.Parse(j.at("provision_type").get<std::string>());
    ipa.state = kIpaStates.Parse(j.at("state").get<std::string>());
    ipa.draft = TermsFrom(j.at("draft"));
    ipa.current_version_number = j.at("current_version_number").get<int>();
    ipa.ending.reset();
    if (j.contains("ending")) ipa.ending = EndingFromJson(j.at("ending"));
    ipa.authority_agreement.reset();
    if (j.contains("authority_agreement")) {
      ipa.authority_agreement = AgreementFromJson(j.at("authority_agreement"));
    }
    ipa.provider_agreement.reset();
    if (j.contains("provider_agreement")) {
      ipa.provider_agreement = AgreementFromJson(j.at("provider_agreement"));
    }
    ipa.actual_start_date = OptDay(j, "actual_start_date");
    ipa.actual_start_recorded = j.value("actual_start_recorded", false);
    ipa.ended_on = OptDay(j, "ended_on");
    ipa.cancellation_reason = Str(j, "cancellation_reason");
    ipa.children.clear();
    if (j.contains("children")) {
      for (const json& c : j.at("children")) {
        ipa.children.push_back({.given_names = Str(c, "given_names"),
                                .family_name = Str(c, "family_name"),
                                .preferred_name = Str(c, "preferred_name"),
                                .date_of_birth = OptDay(c, "date_of_birth"),
                                .gender = kGenders.Parse(c.at("gender").get<std::string>()),
                                .case_reference = Str(c, "case_reference"),
                                .home_postcode = Str(c, "home_postcode"),
                                .legal_status = Str(c, "legal_status")});
      }
    }
    ipa.created_at = ReadInstant(j.at("created_at"));
    // IPAs stored before the award's time was kept: their creation stands in.
    ipa.awarded_at = j.contains("awarded_at") ? ReadInstant(j.at("awarded_at")) : ipa.created_at;
    ipa.history.clear();
    for (const json& h : j.at("history")) {
      HistoryEntry entry;
      entry.at = ReadInstant(h.at("at"));
      if (h.contains("actor")) entry.actor = ActorFromJson(h.at("actor"));
      entry.from = kIpaStates.Parse(h.at("from").get<std::string>());
      entry.to = kIpaStates.Parse(h.at("to").get<std::string>());
      entry.what = h.at("what").get<std::string>();
      ipa.history.push_back(std::move(entry));
    }
  });
}

json VersionToJson(const IpaVersion& v) {
  json j = {{"origin", kOrigins.Of(v.origin)},
            {"variation_kind", kVariationKinds.Of(v.variation_kind)},
            {"proposed_by", kParties.Of(v.proposed_by)},
            {"proposed_at", FormatInstant(v.proposed_at)}};
  PutStr(j, "reason", v.reason);
  PutStr(j, "proposed_by_user_id", v.proposed_by_user_id);
  PutStr(j, "fee_uplift_id", v.fee_uplift_id);
  PutInstant(j, "in_force_at", v.in_force_at);
  PutInstant(j, "closed_at", v.closed_at);
  PutStr(j, "rejection_reason", v.rejection_reason);
  return j;
}

absl::Status VersionFromJson(const json& j, IpaVersion& v) {
  return Reading("ipa version", [&] {
    v.origin = kOrigins.Parse(j.at("origin").get<std::string>());
    v.variation_kind = kVariationKinds.Parse(j.at("variation_kind").get<std::string>());
    v.reason = Str(j, "reason");
    v.proposed_by = kParties.Parse(j.at("proposed_by").get<std::string>());
    v.proposed_by_user_id = Str(j, "proposed_by_user_id");
    v.proposed_at = ReadInstant(j.at("proposed_at"));
    v.fee_uplift_id = Str(j, "fee_uplift_id");
    v.in_force_at = OptInstant(j, "in_force_at");
    v.closed_at = OptInstant(j, "closed_at");
    v.rejection_reason = Str(j, "rejection_reason");
  });
}

json UpliftToJson(const FeeUplift& u) {
  json j = {{"id", u.id},
            {"ipa_id", u.ipa_id},
            {"provider_id", u.provider_id},
            {"placing_authority_id", u.placing_authority_id},
            {"lead_authority_id", u.lead_authority_id},
            {"current_core_fee_pence", u.current_core_fee_pence},
            {"requested_core_fee_pence", u.requested_core_fee_pence},
            {"effective_from", Day(u.effective_from)},
            {"justification", u.justification},
            {"cost_pressures", json::array()},
            {"state", kUpliftStates.Of(u.state)},
            {"requested_by_user_id", u.requested_by_user_id},
            {"requested_at", FormatInstant(u.requested_at)},
            {"approved_core_fee_pence", u.approved_core_fee_pence},
            {"variation_version_number", u.variation_version_number}};
  for (const CostPressure& p : u.cost_pressures) {
    json pressure = {{"category", p.category}, {"weekly_increase_pence", p.weekly_increase_pence}};
    PutStr(pressure, "description", p.description);
    j["cost_pressures"].push_back(std::move(pressure));
  }
  PutStr(j, "decision_reason", u.decision_reason);
  if (u.decided_by) j["decided_by"] = ActorToJson(*u.decided_by);
  PutInstant(j, "decided_at", u.decided_at);
  return j;
}

absl::StatusOr<FeeUplift> UpliftFromJson(const json& j) {
  FeeUplift u;
  absl::Status s = Reading("fee uplift", [&] {
    u.id = j.at("id").get<std::string>();
    u.ipa_id = j.at("ipa_id").get<std::string>();
    u.provider_id = Str(j, "provider_id");
    u.placing_authority_id = Str(j, "placing_authority_id");
    u.lead_authority_id = Str(j, "lead_authority_id");
    u.current_core_fee_pence = j.at("current_core_fee_pence").get<int64_t>();
    u.requested_core_fee_pence = j.at("requested_core_fee_pence").get<int64_t>();
    u.effective_from = ReadDay(j.at("effective_from"));
    u.justification = Str(j, "justification");
    for (const json& p : j.at("cost_pressures")) {
      u.cost_pressures.push_back({p.at("category").get<std::string>(), Str(p, "description"),
                                  p.at("weekly_increase_pence").get<int64_t>()});
    }
    u.state = kUpliftStates.Parse(j.at("state").get<std::string>());
    u.requested_by_user_id = Str(j, "requested_by_user_id");
    u.requested_at = ReadInstant(j.at("requested_at"));
    u.approved_core_fee_pence = j.at("approved_core_fee_pence").get<int64_t>();
    u.decision_reason = Str(j, "decision_reason");
    if (j.contains("decided_by")) u.decided_by = ActorFromJson(j.at("decided_by"));
    u.decided_at = OptInstant(j, "decided_at");
    u.variation_version_number = j.at("variation_version_number").get<int>();
  });
  if (!s.ok()) return s;
  return u;
}

absl::StatusOr<IpaState> ParseIpaState(absl::string_view name) {
  IpaState state{};
  if (auto s = Reading("ipa state", [&] { state = kIpaStates.Parse(name); }); !s.ok()) return s;
  return state;
}

absl::StatusOr<VersionState> ParseVersionState(absl::string_view name) {
  VersionState state{};
  if (auto s = Reading("version state", [&] { state = kVersionStates.Parse(name); }); !s.ok()) {
    return s;
  }
  return state;
}

absl::StatusOr<Party> ParseParty(absl::string_view name) {
  Party party{};
  if (auto s = Reading("party", [&] { party = kParties.Parse(name); }); !s.ok()) return s;
  return party;
}

}  // namespace dps::contracts::storage
