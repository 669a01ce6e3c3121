#include "services/qualification/convert/convert.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"

namespace dps::qualification {
namespace {

absl::CivilDay NextDay(absl::CivilDay day) { return day + 1; }

// Whole months from `start` to `end` (exclusive), or -1 when `end` is not a month boundary.
int WholeMonths(absl::CivilDay start, absl::CivilDay end) {
  int months = static_cast<int>((end.year() - start.year()) * 12 + (end.month() - start.month()));
  if (absl::CivilDay(absl::CivilMonth(start) + months) + (start.day() - 1) != end) return -1;
  return months;
}

// Scheduled entry windows as the domain's closed periods: the days of the validity period outside
// every window. Windows open and close on whole UTC days.
std::vector<ClosedPeriod> ClosedOutsideWindows(const v1::PurchasingSystem& system,
                                               absl::CivilDay start) {
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> open;
  for (const v1::EntryWindow& window : system.entry_windows()) {
    absl::CivilDay first = absl::ToCivilDay(FromTimestamp(window.opens_at()), absl::UTCTimeZone());
    absl::CivilDay last = absl::ToCivilDay(FromTimestamp(window.closes_at()), absl::UTCTimeZone());
    if (last >= first) open.emplace_back(first, last);
  }
  std::sort(open.begin(), open.end());
  std::vector<ClosedPeriod> closed;
  absl::CivilDay from = start;
  for (const auto& [first, last] : open) {
    if (first > from) closed.push_back({from, first - 1});
    from = std::max(from, NextDay(last));
  }
  closed.push_back({from, absl::CivilDay(9999, 12, 31)});
  return closed;
}

CriterionKind ToDomain(v1::CriterionKind kind) {
  return kind == v1::CRITERION_KIND_WEIGHTED ? CriterionKind::kWeighted : CriterionKind::kPassFail;
}

bool AppliesTo(const v1::Criterion& criterion, const std::string& lot_id) {
  if (criterion.retired()) return false;
  if (criterion.lot_ids().empty()) return true;
  return std::find(criterion.lot_ids().begin(), criterion.lot_ids().end(), lot_id) !=
         criterion.lot_ids().end();
}

ApplicationStatus ToDomain(v1::ApplicationState state) {
  switch (state) {
    case v1::APPLICATION_STATE_SUBMITTED:
      return ApplicationStatus::kSubmitted;
    case v1::APPLICATION_STATE_UNDER_EVALUATION:
      return ApplicationStatus::kUnderEvaluation;
    case v1::APPLICATION_STATE_DECIDED:
      return ApplicationStatus::kDecided;
    case v1::APPLICATION_STATE_WITHDRAWN:
      return ApplicationStatus::kWithdrawn;
    default:
      return ApplicationStatus::kDraft;
  }
}

v1::ApplicationState ToApi(ApplicationStatus status) {
  switch (status) {
    case ApplicationStatus::kSubmitted:
      return v1::APPLICATION_STATE_SUBMITTED;
    case ApplicationStatus::kUnderEvaluation:
      return v1::APPLICATION_STATE_UNDER_EVALUATION;
    case ApplicationStatus::kDecided:
      return v1::APPLICATION_STATE_DECIDED;
    case ApplicationStatus::kWithdrawn:
      return v1::APPLICATION_STATE_WITHDRAWN;
    case ApplicationStatus::kDraft:
      break;
  }
  return v1::APPLICATION_STATE_DRAFT;
}

SuspensionCause ToDomain(v1::SuspensionReason reason) {
  switch (reason) {
    case v1::SUSPENSION_REASON_RATING_INADEQUATE:
      return SuspensionCause::kInspectionInadequate;
    case v1::SUSPENSION_REASON_EVIDENCE_EXPIRED:
      return SuspensionCause::kEvidenceExpiry;
    case v1::SUSPENSION_REASON_SAFEGUARDING_ALERT:
      return SuspensionCause::kSafeguardingAlert;
    case v1::SUSPENSION_REASON_AUDIT_FAILED:
      return SuspensionCause::kAuditFailed;
    default:
      return SuspensionCause::kLeadDecision;
  }
}

MembershipState ToDomain(v1::MembershipState state) {
  switch (state) {
    case v1::MEMBERSHIP_STATE_SUSPENDED:
      return MembershipState::kSuspended;
    case v1::MEMBERSHIP_STATE_EXCLUDED:
      return MembershipState::kExcluded;
    default:
      return MembershipState::kQualified;
  }
}

v1::MembershipState ToApi(MembershipState state) {
  switch (state) {
    case MembershipState::kSuspended:
      return v1::MEMBERSHIP_STATE_SUSPENDED;
    case MembershipState::kExcluded:
      return v1::MEMBERSHIP_STATE_EXCLUDED;
    case MembershipState::kQualified:
      break;
  }
  return v1::MEMBERSHIP_STATE_QUALIFIED;
}

dps::common::v1::Actor ActorNamed(const std::string& user) {
  dps::common::v1::Actor actor;
  actor.set_user_id(user);
  return actor;
}

// The names of a CommercialSubmission's fields in the API, for the domain's refusals.
// `submission` is where the request holds it, e.g. "commercial[0]".
CommercialFieldNames RequestNames(std::string submission) {
  return {.submission = std::move(submission),
          .weekly_fee = "ceiling_fee",
          .core_cost_amount = "weekly_amount",
          .rate = "rate"};
}

// Each unit as the API names it; unset is hourly, as every rate was before units were named.
RateUnit ToDomain(v1::RateUnit unit) {
  switch (unit) {
    case v1::RATE_UNIT_WEEKLY:
      return RateUnit::kWeekly;
    case v1::RATE_UNIT_PER_ASSESSMENT:
      return RateUnit::kPerAssessment;
    case v1::RATE_UNIT_PER_SESSION:
      return RateUnit::kPerSession;
    case v1::RATE_UNIT_PER_TEST:
      return RateUnit::kPerTest;
    default:
      return RateUnit::kHourly;
  }
}

v1::RateUnit ToApi(RateUnit unit) {
  switch (unit) {
    case RateUnit::kWeekly:
      return v1::RATE_UNIT_WEEKLY;
    case RateUnit::kPerAssessment:
      return v1::RATE_UNIT_PER_ASSESSMENT;
    case RateUnit::kPerSession:
      return v1::RATE_UNIT_PER_SESSION;
    case RateUnit::kPerTest:
      return v1::RATE_UNIT_PER_TEST;
    case RateUnit::kHourly:
      break;
  }
  return v1::RATE_UNIT_HOURLY;
}

// The API's values and the domain's, in the same order, so each maps by its place.
template <typename From, typename To, size_t N>
To Mapped(From value, const From (&from)[N], const To (&to)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (from[i] == value) return to[i];
  }
  return to[0];  // each table starts with its unspecified value
}

// The categories in the API's order, so each maps by its place.
constexpr v1::CoreCostCategory kApiCategories[] = {
    v1::CORE_COST_CATEGORY_UNSPECIFIED,   v1::CORE_COST_CATEGORY_ASSESSMENT,
    v1::CORE_COST_CATEGORY_PREMISES,      v1::CORE_COST_CATEGORY_VEHICLES,
    v1::CORE_COST_CATEGORY_SUPPLIES,      v1::CORE_COST_CATEGORY_EDUCATION,
    v1::CORE_COST_CATEGORY_CENTRAL_COSTS, v1::CORE_COST_CATEGORY_CORE_STAFFING,
    v1::CORE_COST_CATEGORY_STAFF_COSTS,   v1::CORE_COST_CATEGORY_GENERAL_CHILD_COSTS,
    v1::CORE_COST_CATEGORY_OTHER};
constexpr CoreCostCategory kDomainCategories[] = {
    CoreCostCategory::kUnspecified,  CoreCostCategory::kAssessment,
    CoreCostCategory::kPremises,     CoreCostCategory::kVehicles,
    CoreCostCategory::kSupplies,     CoreCostCategory::kEducation,
    CoreCostCategory::kCentralCosts, CoreCostCategory::kCoreStaffing,
    CoreCostCategory::kStaffCosts,   CoreCostCategory::kGeneralChildCosts,
    CoreCostCategory::kOther};

CoreCostCategory ToDomain(v1::CoreCostCategory category) {
  return Mapped(category, kApiCategories, kDomainCategories);
}

v1::CoreCostCategory ToApi(CoreCostCategory category) {
  return Mapped(category, kDomainCategories, kApiCategories);
}

// The prices the request holds at `path` ("commercial[0]"), named by it in any refusal.
CommercialSubmission ToDomain(const v1::CommercialSubmission& commercial, std::string path) {
  CommercialSubmission out;
  out.weekly_fee_pence = commercial.ceiling_fee().pence();
  // Line by line, in the request's order, so a refusal names the line the provider wrote.
  for (const v1::CoreCostLine& line : commercial.core_costs()) {
    out.core_costs.push_back({.weekly_pence = line.weekly_amount().pence(),
                              .category = ToDomain(line.category()),
                              .label = line.label()});
  }
  for (const v1::AdditionalServiceRate& rate : commercial.rate_card()) {
    out.rate_card.push_back({.code = rate.code(),
                             .unit = ToDomain(rate.unit()),
                             .rate_pence = rate.rate().pence(),
                             .description = rate.description()});
  }
  out.names = RequestNames(std::move(path));
  return out;
}

}  // namespace

absl::StatusOr<Participant> ToDomainParticipant(const v1::ParticipatingAuthority& authority,
                                                absl::string_view path) {
  Participant out;
  out.authority_id = authority.authority_id();
  switch (authority.body_type()) {
    case v1::BODY_TYPE_UNSPECIFIED:
    case v1::BODY_TYPE_LOCAL_AUTHORITY:
      out.body_type = BodyType::kLocalAuthority;
      break;
    case v1::BODY_TYPE_POLICE:
      out.body_type = BodyType::kPolice;
      break;
    case v1::BODY_TYPE_SCHOOL:
      out.body_type = BodyType::kSchool;
      break;
    case v1::BODY_TYPE_HEALTH:
      out.body_type = BodyType::kHealth;
      break;
    case v1::BODY_TYPE_OTHER_PUBLIC_BODY:
      out.body_type = BodyType::kOtherPublicBody;
      break;
    default:
      return InvalidField(absl::StrCat(path, ".body_type"),
                          absl::StrCat("unknown value ", authority.body_type()));
  }
  out.lot_codes.assign(authority.lot_codes().begin(), authority.lot_codes().end());
  return out;
}

absl::StatusOr<std::vector<Participant>> ParticipantsOf(const v1::PurchasingSystem& system,
                                                        absl::string_view path) {
  std::vector<Participant> out;
  for (int i = 0; i < system.authorities_size(); ++i) {
    absl::StatusOr<Participant> participant =
        ToDomainParticipant(system.authorities(i), absl::StrCat(path, "[", i, "]"));
    if (!participant.ok()) return participant.status();
    out.push_back(*std::move(participant));
  }
  return out;
}

absl::StatusOr<Regime> ToDomainRegime(dps::common::v1::Regime regime, absl::string_view path) {
  switch (regime) {
    case dps::common::v1::REGIME_PCR2015_DPS:
      return Regime::kPcr2015Dps;
    case dps::common::v1::REGIME_LIGHT_TOUCH:
      return Regime::kLightTouch;
    case dps::common::v1::REGIME_PA2023_DYNAMIC_MARKET:
      return Regime::kPa2023DynamicMarket;
    default:
      return InvalidField(path, "required: PCR2015_DPS, LIGHT_TOUCH or PA2023_DYNAMIC_MARKET");
  }
}

absl::StatusOr<SystemState> ToDomainState(v1::PurchasingSystemState state, absl::string_view path) {
  switch (state) {
    case v1::PURCHASING_SYSTEM_STATE_DRAFT:
      return SystemState::kDraft;
    case v1::PURCHASING_SYSTEM_STATE_LIVE:
      return SystemState::kLive;
    case v1::PURCHASING_SYSTEM_STATE_CLOSED:
      return SystemState::kClosed;
    default:
      return InvalidField(path, "required: DRAFT, LIVE or CLOSED");
  }
}

SystemState StateOf(const v1::PurchasingSystem& system) {
  // A stored system always has a state. Were one ever without, it is taken as read-only rather
  // than as a DRAFT anyone could reconfigure.
  absl::StatusOr<SystemState> state = ToDomainState(system.state(), "state");
  return state.ok() ? *state : SystemState::kClosed;
}

QualificationMode QualificationModeOf(const v1::PurchasingSystem& system) {
  return system.qualification_mode() == v1::QUALIFICATION_MODE_PASS_FAIL_ONLY
             ? QualificationMode::kPassFailOnly
             : QualificationMode::kWeighted;
}

absl::StatusOr<Lot> ToDomainLot(const v1::Lot& lot, const std::vector<v1::Criterion>& criteria) {
  Lot out;
  out.code = lot.id();
  out.name = lot.name();
  for (const v1::Criterion& c : criteria) {
    if (!AppliesTo(c, lot.id())) continue;
    out.criteria.push_back({.code = c.id(),
                            .title = c.title(),
                            .kind = ToDomain(c.kind()),
                            .weight = c.kind() == v1::CRITERION_KIND_WEIGHTED ? c.weight() : 0,
                            .version = static_cast<int>(c.version())});
  }
  const v1::LotTerms& terms = lot.terms();
  out.terms.ceiling_mode = terms.ceiling_mode() == dps::common::v1::CEILING_MODE_INDICATIVE
                               ? CeilingMode::kIndicative
                               : CeilingMode::kHard;
  out.terms.sibling_discount_bp = terms.discount_rates().sibling_basis_points();
  out.terms.permanence_discount_bp = terms.discount_rates().permanence_basis_points();
  out.terms.notice_period_days = terms.notice_period_days();
  if (terms.has_affordability_cap_weekly()) {
    out.terms.affordability_cap_pence = terms.affordability_cap_weekly().pence();
  }
  const dps::common::v1::Weights& w = lot.default_weights();
  out.default_weights = {.price = w.price(),
                         .outcomes = w.outcomes(),
                         .needs = w.needs(),
                         .features = w.features(),
                         .location = w.location(),
                         .core_competency = w.core_competency()};
  // Settings of a disabled parental choice are not used; the domain's defaults stand in.
  if (lot.parental_choice().enabled()) {
    out.parental_choice = {.enabled = true,
                           .max_bids = lot.parental_choice().max_bids(),
                           .within_points = lot.parental_choice().within_points()};
  }
  const std::pair<const google::protobuf::RepeatedPtrField<v1::VocabularyTerm>*,
                  std::vector<std::string>*>
      vocabularies[] = {{&lot.needs(), &out.needs},
                        {&lot.features(), &out.features},
                        {&lot.specialisms(), &out.specialisms},
                        {&lot.placement_types(), &out.placement_types},
                        {&lot.additional_services(), &out.additional_services}};
  for (const auto& [terms, codes] : vocabularies) {
    for (const v1::VocabularyTerm& term : *terms) codes->push_back(term.code());
  }
  return out;
}

absl::StatusOr<PurchasingSystem> ToDomainSystem(const v1::PurchasingSystem& system,
                                                const std::vector<v1::Lot>& lots,
                                                const std::vector<v1::Criterion>& criteria) {
  PurchasingSystem out;
  out.id = system.id();
  out.name = system.name();
  absl::StatusOr<Regime> regime = ToDomainRegime(system.regime(), "spec.regime");
  if (!regime.ok()) return regime.status();
  out.regime = *regime;
  out.qualification_mode = QualificationModeOf(system);
  const v1::SystemRules& rules = system.rules();
  // Each rule's 0 means the default; below 0 means nothing.
  const std::pair<const char*, int32_t> counts[] = {
      {"decision_period_working_days", rules.decision_period_working_days()},
      {"extended_decision_period_working_days", rules.extended_decision_period_working_days()},
      {"min_response_period_hours", rules.min_response_period_hours()},
      {"score_adjustment_interval_months", rules.score_adjustment_interval_months()},
      {"audit_interval_months", rules.audit_interval_months()},
      {"condition_change_notice_days", rules.condition_change_notice_days()},
      {"evidence_expiry_warning_days", rules.evidence_expiry_warning_days()},
      {"price_validity_months", rules.price_validity_months()},
  };
  for (const auto& [name, value] : counts) {
    if (value < 0) {
      return InvalidField(absl::StrCat("spec.rules.", name),
                          absl::StrCat("must not be negative (0 is the default), got ", value));
    }
  }
  if (!(rules.max_score_adjustment_points() >= 0 && rules.max_score_adjustment_points() <= 100)) {
    return InvalidField("spec.rules.max_score_adjustment_points",
                        absl::StrCat("must be between 0 (the default) and 100, got ",
                                     rules.max_score_adjustment_points()));
  }
  if (rules.decision_period_working_days() != 0) {
    out.regime_config.decision_working_days = rules.decision_period_working_days();
  }
  if (rules.extended_decision_period_working_days() != 0) {
    out.regime_config.extended_decision_working_days =
        rules.extended_decision_period_working_days();
  }
  if (rules.min_response_period_hours() != 0) {
    out.regime_config.min_response_period = absl::Hours(rules.min_response_period_hours());
  }
  out.regime_config.conditions_may_change = rules.condition_change_notice_days() > 0;
  out.regime_config.call_off_by_ranking = rules.call_off_by_ranking();
  if (rules.price_validity_months() > 0) out.price_validity_months = rules.price_validity_months();
  out.audit_interval_months = AuditIntervalMonths(rules);
  if (rules.evidence_expiry_warning_days() > 0) {
    out.evidence_expiry_warning_days = rules.evidence_expiry_warning_days();
  }
  for (const v1::Lot& lot : lots) {
    if (lot.preselection_allowed()) out.regime_config.filters_exclude = true;
  }
  out.lead_authority = system.lead_authority_id();
  for (const v1::ParticipatingAuthority& a : system.authorities()) {
    if (a.authority_id() != system.lead_authority_id()) {
      out.participating_authorities.push_back(a.authority_id());
    }
  }
  const v1::PeriodOfValidity& validity = system.validity();
  absl::StatusOr<std::optional<absl::CivilDay>> start =
      FromDate(validity.start(), "spec.validity.start");
  if (!start.ok()) return start.status();
  absl::StatusOr<std::optional<absl::CivilDay>> end =
      FromDate(validity.initial_end(), "spec.validity.initial_end");
  if (!end.ok()) return end.status();
  if (!start->has_value()) return InvalidField("spec.validity.start", "required");
  if (!end->has_value()) return InvalidField("spec.validity.initial_end", "required");
  out.validity.start = **start;
  out.validity.initial_months = WholeMonths(**start, NextDay(**end));
  if (out.validity.initial_months <= 0) {
    return InvalidField("spec.validity.initial_end",
                        "must be the day before a whole number of months after the start");
  }
  for (int i = 0; i < validity.extensions_size(); ++i) {
    const v1::Extension& extension = validity.extensions(i);
    out.validity.extension_months.push_back(extension.months());
    if (extension.exercised()) {
      if (out.validity.extensions_taken != i) {
        return InvalidField(absl::StrCat("spec.validity.extensions[", i, "].exercised"),
                            "extensions are taken in order");
      }
      ++out.validity.extensions_taken;
    }
  }
  if (system.entry_window_mode() == v1::ENTRY_WINDOW_MODE_SCHEDULED) {
    out.closed_periods = ClosedOutsideWindows(system, out.validity.start);
  }
  for (const v1::Lot& lot : lots) {
    absl::StatusOr<Lot> domain = ToDomainLot(lot, criteria);
    if (!domain.ok()) return domain.status();
    out.lots.push_back(*std::move(domain));
  }
  return out;
}

namespace {

// Lead admins, evaluators and auditors act for the system whose lead authority they belong to.
Caller CallerIn(const platform::CallerIdentity& caller, const std::string& system_id,
                const std::string& lead_authority_id) {
  Caller out;
  out.organisation_id = caller.organisation_id;
  out.user_id = caller.user_id;
  switch (caller.role) {
    case dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN:
      out.role = Role::kLeadAdmin;
      break;
    case dps::common::v1::ROLE_EVALUATOR:
      out.role = Role::kEvaluator;
      break;
    case dps::common::v1::ROLE_COMMISSIONER:
      out.role = Role::kCommissioner;
      break;
    case dps::common::v1::ROLE_PROVIDER_USER:
      out.role = Role::kProviderUser;
      break;
    case dps::common::v1::ROLE_AUDITOR:
      out.role = Role::kAuditor;
      break;
    default:
      out.role = Role::kPlacingOfficer;
      break;
  }
  if (caller.organisation_id == lead_authority_id) out.system_id = system_id;
  return out;
}

}  // namespace

Caller ToDomainCaller(const platform::CallerIdentity& caller, const v1::PurchasingSystem& system) {
  return CallerIn(caller, system.id(), system.lead_authority_id());
}

Caller ToDomainCaller(const platform::CallerIdentity& caller, const PurchasingSystem& system) {
  return CallerIn(caller, system.id, system.lead_authority);
}

absl::StatusOr<Application> ToDomainApplication(const v1::Application& application,
                                                const PurchasingSystem& system,
                                                const EvidenceById& evidence) {
  Application out;
  out.id = application.id();
  out.system_id = application.system_id();
  out.provider_id = application.provider_id();
  switch (application.kind()) {
    case v1::APPLICATION_KIND_PRICE_RESUBMISSION:
      out.kind = ApplicationKind::kPriceResubmission;
      break;
    case v1::APPLICATION_KIND_REINSTATEMENT:
      out.kind = ApplicationKind::kReinstatement;
      break;
    default:  // NEW and REAPPLICATION
      out.kind = ApplicationKind::kAdmission;
      break;
  }
  out.status = ToDomain(application.state());
  if (application.has_submitted_at()) out.submitted_at = FromTimestamp(application.submitted_at());
  absl::StatusOr<std::optional<absl::CivilDay>> due =
      FromDate(application.decision_due_on(), "decision_due_on");
  if (!due.ok()) return due.status();
  out.decision_deadline = *due;
  out.extension_reason = application.decision_extension_reason();
  for (const dps::common::v1::HistoryEntry& entry : application.history()) {
    out.history.push_back({.at = FromTimestamp(entry.at()), .actor = entry.actor().user_id()});
  }
  for (int i = 0; i < application.items_size(); ++i) {
    const v1::ApplicationItem& item = application.items(i);
    ApplicationPart part;
    part.establishment_id = item.establishment_id();
    part.lot_code = item.lot_id();
    const Lot* lot = FindLot(system, item.lot_id());
    for (const v1::CriterionResponse& response : application.responses()) {
      if (!response.establishment_id().empty() &&
          response.establishment_id() != item.establishment_id()) {
        continue;
      }
      if (lot != nullptr &&
          std::none_of(lot->criteria.begin(), lot->criteria.end(),
                       [&](const Criterion& c) { return c.code == response.criterion_id(); })) {
        continue;
      }
      Answer answer;
      answer.criterion_code = response.criterion_id();
      answer.response = response.answer();
      for (const Criterion& c : lot == nullptr ? std::vector<Criterion>{} : lot->criteria) {
        if (c.code == response.criterion_id()) answer.criterion_version = c.version;
      }
      // The earliest expiry among the answer's evidence is when the answer stops holding.
      for (const std::string& evidence_id : response.evidence_ids()) {
        if (answer.evidence_ref.empty()) answer.evidence_ref = evidence_id;
        for (const v1::Evidence& e : evidence) {
          if (e.id() != evidence_id || e.expires_on().year() == 0) continue;
          absl::CivilDay expires(e.expires_on().year(), e.expires_on().month(),
                                 e.expires_on().day());
          if (!answer.evidence_expires || expires < *answer.evidence_expires) {
            answer.evidence_expires = expires;
          }
        }
      }
      part.answers.push_back(std::move(answer));
    }
    // The application holds its prices apart from its items: a part's are the submission for
    // its establishment and lot, named by where the application holds it.
    part.commercial = {.absent = true, .names = RequestNames("commercial")};
    for (int j = 0; j < application.commercial_size(); ++j) {
      const v1::CommercialSubmission& commercial = application.commercial(j);
      if (commercial.establishment_id() == item.establishment_id() &&
          commercial.lot_id() == item.lot_id()) {
        part.commercial = ToDomain(commercial, absl::StrCat("commercial[", j, "]"));
      }
    }
    for (const v1::MethodStatementScore& score : application.scores()) {
      if (score.establishment_id() != item.establishment_id()) continue;
      part.assessments.push_back({.criterion_code = score.criterion_id(),
                                  .score = score.score(),
                                  .reason = score.comment(),
                                  .evaluator = score.evaluator_user_id(),
                                  .at = FromTimestamp(score.scored_at())});
    }
    for (const v1::CriterionResult& result : application.criterion_results()) {
      if (result.establishment_id() != item.establishment_id()) continue;
      if (lot != nullptr &&
          std::none_of(lot->criteria.begin(), lot->criteria.end(), [&](const Criterion& c) {
            return c.code == result.criterion_id() && c.kind == CriterionKind::kPassFail;
          })) {
        continue;
      }
      part.assessments.push_back({.criterion_code = result.criterion_id(),
                                  .passed = result.passed(),
                                  .reason = result.reason()});
    }
    out.parts.push_back(std::move(part));
  }
  return out;
}

void UpdateFromDomain(const Application& domain, v1::Application& application) {
  application.set_state(ToApi(domain.status));
  if (domain.submitted_at) *application.mutable_submitted_at() = ToTimestamp(*domain.submitted_at);
  if (domain.decision_deadline) {
    *application.mutable_decision_due_on() = ToDate(*domain.decision_deadline);
  }
  application.set_decision_extension_reason(domain.extension_reason);
  for (size_t i = application.history_size(); i < domain.history.size(); ++i) {
    const ApplicationEvent& event = domain.history[i];
    dps::common::v1::HistoryEntry* entry = application.add_history();
    *entry->mutable_at() = ToTimestamp(event.at);
    *entry->mutable_actor() = ActorNamed(event.actor);
    entry->set_from_state(std::string(ApplicationStatusName(event.from)));
    entry->set_to_state(std::string(ApplicationStatusName(event.to)));
    entry->set_reason(event.reason);
  }
  if (domain.status != ApplicationStatus::kDecided) return;
  application.clear_decisions();
  for (const ApplicationPart& part : domain.parts) {
    if (!part.decision) continue;
    const PartDecision& decision = *part.decision;
    application.mutable_decided_at()->CopyFrom(ToTimestamp(decision.decided_at));
    v1::ItemDecision* item = application.add_decisions();
    item->set_establishment_id(part.establishment_id);
    item->set_lot_id(part.lot_code);
    item->set_outcome(decision.qualified ? v1::ITEM_OUTCOME_QUALIFIED : v1::ITEM_OUTCOME_REJECTED);
    item->set_qualification_score(decision.qualification_score.value_or(0));
    std::string reasons;
    for (const CriterionResult& result : decision.results) {
      bool recorded = false;
      for (v1::CriterionResult& existing : *application.mutable_criterion_results()) {
        if (existing.criterion_id() == result.criterion_code &&
            existing.establishment_id() == part.establishment_id) {
          existing.set_passed(result.passed);
          existing.set_reason(result.reason);
          if (result.score) existing.set_score(*result.score);
          recorded = true;
        }
      }
      if (!recorded) {
        v1::CriterionResult* added = application.add_criterion_results();
        added->set_criterion_id(result.criterion_code);
        added->set_establishment_id(part.establishment_id);
        added->set_passed(result.passed);
        added->set_reason(result.reason);
        if (result.score) added->set_score(*result.score);
      }
      if (!result.passed) {
        absl::StrAppend(&reasons, reasons.empty() ? "" : "; ", result.criterion_code, ": ",
                        result.reason);
      }
    }
    item->set_reason(reasons.empty() ? decision.reason : reasons);
  }
}

absl::Status RenameField(absl::Status status, absl::string_view domain_field,
                         absl::string_view api_field) {
  const absl::string_view message = status.message();
  if (!absl::StartsWith(message, domain_field) || message.size() == domain_field.size()) {
    return status;
  }
  const char next = message[domain_field.size()];
  if (next != ':' && next != '.' && next != '[') return status;
  return absl::Status(status.code(), absl::StrCat(api_field, message.substr(domain_field.size())));
}

namespace {

// Reads "[<n>]" at the start of `text`, leaving `text` after it.
std::optional<size_t> ConsumeIndex(absl::string_view& text) {
  if (!absl::ConsumePrefix(&text, "[")) return std::nullopt;
  const size_t close = text.find(']');
  size_t index = 0;
  if (close == absl::string_view::npos || !absl::SimpleAtoi(text.substr(0, close), &index)) {
    return std::nullopt;
  }
  text.remove_prefix(close + 1);
  return index;
}

// Which of the record's responses answer `j` of part `i` was made from: the responses the
// conversion gave the part are those of its establishment (or of the whole provider) to one of
// its lot's criteria, in the record's order; the answer's criterion picks them out, and an answer
// repeating a criterion is the same repeat among them.
std::optional<size_t> ResponseOf(const v1::Application& record, const Application& domain, size_t i,
                                 size_t j) {
  if (i >= domain.parts.size() || j >= domain.parts[i].answers.size()) return std::nullopt;
  const ApplicationPart& part = domain.parts[i];
  const std::string& code = part.answers[j].criterion_code;
  size_t repeat = 0;
  for (size_t earlier = 0; earlier < j; ++earlier) {
    if (part.answers[earlier].criterion_code == code) ++repeat;
  }
  for (int k = 0; k < record.responses_size(); ++k) {
    const v1::CriterionResponse& response = record.responses(k);
    if (response.criterion_id() != code) continue;
    if (!response.establishment_id().empty() &&
        response.establishment_id() != part.establishment_id) {
      continue;
    }
    if (repeat == 0) return static_cast<size_t>(k);
    --repeat;
  }
  return std::nullopt;
}

}  // namespace

absl::Status ApplicationInRequestTerms(absl::Status status, const v1::Application& record,
                                       const Application& domain) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  absl::string_view rest = status.message();
  if (!absl::ConsumePrefix(&rest, "parts")) return status;
  auto renamed = [&](absl::string_view path, absl::string_view after) {
    return absl::Status(status.code(), absl::StrCat(path, after));
  };
  const std::optional<size_t> part = ConsumeIndex(rest);
  if (!part) return rest.empty() || rest[0] == ':' ? renamed("items", rest) : status;
  if (*part >= static_cast<size_t>(record.items_size())) return status;
  const std::string item = absl::StrCat("items[", *part, "]");
  if (absl::ConsumePrefix(&rest, ".answers")) {
    const std::optional<size_t> answer = ConsumeIndex(rest);
    if (!answer) return renamed("responses", rest);
    const std::optional<size_t> response = ResponseOf(record, domain, *part, *answer);
    if (!response) return status;
    const std::string at = absl::StrCat("responses[", *response, "]");
    for (absl::string_view field : {".criterion_code", ".criterion_version"}) {
      if (absl::ConsumePrefix(&rest, field)) return renamed(at + ".criterion_id", rest);
    }
    if (absl::ConsumePrefix(&rest, ".evidence_expires")) {
      return renamed(at + ".evidence_ids", rest);
    }
    return renamed(at, rest);
  }
  if (absl::ConsumePrefix(&rest, ".lot_code")) return renamed(item + ".lot_id", rest);
  if (absl::ConsumePrefix(&rest, ".commercial")) return renamed("commercial", rest);
  // "parts[1]: repeats parts[0] (...)": the other part is an item too.
  return renamed(item, absl::StrReplaceAll(rest, {{"repeats parts[", "repeats items["}}));
}

absl::StatusOr<Evidence> ToDomainEvidence(const v1::Evidence& evidence) {
  absl::StatusOr<std::optional<absl::CivilDay>> issued =
      FromDate(evidence.issued_on(), "issued_on");
  if (!issued.ok()) return issued.status();
  absl::StatusOr<std::optional<absl::CivilDay>> expires =
      FromDate(evidence.expires_on(), "expires_on");
  if (!expires.ok()) return expires.status();
  EvidenceState state = EvidenceState::kValid;  // VALID or EXPIRING
  if (evidence.state() == v1::EVIDENCE_STATE_EXPIRED) state = EvidenceState::kExpired;
  if (evidence.state() == v1::EVIDENCE_STATE_SUPERSEDED) state = EvidenceState::kSuperseded;
  return Evidence{.id = evidence.id(),
                  .provider_id = evidence.provider_id(),
                  .establishment_id = evidence.establishment_id(),
                  .criterion_id = evidence.criterion_id(),
                  .title = evidence.title(),
                  .document_uri = evidence.document_uri(),
                  .document_sha256 = evidence.document_sha256(),
                  .issued_on = *issued,
                  .expires_on = *expires,
                  .state = state,
                  .added_at = FromTimestamp(evidence.added_at())};
}

v1::Evidence ToApiEvidence(const Evidence& evidence) {
  v1::Evidence out;
  out.set_id(evidence.id);
  out.set_provider_id(evidence.provider_id);
  out.set_establishment_id(evidence.establishment_id);
  out.set_criterion_id(evidence.criterion_id);
  out.set_title(evidence.title);
  out.set_document_uri(evidence.document_uri);
  out.set_document_sha256(evidence.document_sha256);
  if (evidence.issued_on) *out.mutable_issued_on() = ToDate(*evidence.issued_on);
  if (evidence.expires_on) *out.mutable_expires_on() = ToDate(*evidence.expires_on);
  switch (evidence.state) {
    case EvidenceState::kValid:
      out.set_state(v1::EVIDENCE_STATE_VALID);
      break;
    case EvidenceState::kExpired:
      out.set_state(v1::EVIDENCE_STATE_EXPIRED);
      break;
    case EvidenceState::kSuperseded:
      out.set_state(v1::EVIDENCE_STATE_SUPERSEDED);
      break;
  }
  *out.mutable_added_at() = ToTimestamp(evidence.added_at);
  return out;
}

namespace {

// The record a suspension names as its cause, by its reason.
std::string CauseIdOf(const v1::Suspension& suspension) {
  switch (suspension.reason()) {
    case v1::SUSPENSION_REASON_SAFEGUARDING_ALERT:
      return suspension.alert_id();
    case v1::SUSPENSION_REASON_RATING_INADEQUATE:
      return suspension.inspection_rating_id();
    case v1::SUSPENSION_REASON_EVIDENCE_EXPIRED:
      return suspension.evidence_id();
    case v1::SUSPENSION_REASON_AUDIT_FAILED:
      return suspension.audit_id();
    default:
      return "";
  }
}

void SetCauseId(const FailedItem& item, v1::Suspension& suspension) {
  switch (item.cause) {
    case SuspensionCause::kSafeguardingAlert:
      suspension.set_alert_id(item.cause_id);
      break;
    case SuspensionCause::kInspectionInadequate:
      suspension.set_inspection_rating_id(item.cause_id);
      break;
    case SuspensionCause::kEvidenceExpiry:
      suspension.set_evidence_id(item.cause_id);
      break;
    case SuspensionCause::kAuditFailed:
      suspension.set_audit_id(item.cause_id);
      break;
    case SuspensionCause::kLeadDecision:
      break;
  }
}

}  // namespace

absl::StatusOr<Membership> ToDomainMembership(const v1::Membership& membership,
                                              std::vector<ScoreEntry> scores,
                                              std::optional<absl::Time> last_audited_at) {
  Membership out{.id = membership.id(),
                 .system_id = membership.system_id(),
                 .lot_code = membership.lot_id(),
                 .establishment_id = membership.establishment_id(),
                 .provider_id = membership.provider_id(),
                 .application_id = membership.application_id(),
                 .state = ToDomain(membership.state()),
                 .qualified_at = FromTimestamp(membership.qualified_at()),
                 .version = membership.version()};
  out.last_audit_at = last_audited_at.value_or(out.qualified_at);
  const PurchasingSystem defaults;
  absl::StatusOr<std::optional<absl::CivilDay>> due =
      FromDate(membership.next_audit_due_on(), "next_audit_due_on");
  if (!due.ok()) return due.status();
  out.next_audit_due =
      due->value_or(AddMonths(UtcDay(out.last_audit_at), defaults.audit_interval_months));
  const v1::CommercialSubmission& commercial = membership.commercial();
  out.prices = ToDomain(commercial, "commercial");
  absl::StatusOr<std::optional<absl::CivilDay>> from =
      FromDate(commercial.valid_from(), "commercial.valid_from");
  if (!from.ok()) return from.status();
  out.prices_valid_from = from->value_or(UtcDay(out.qualified_at));
  absl::StatusOr<std::optional<absl::CivilDay>> until =
      FromDate(commercial.valid_until(), "commercial.valid_until");
  if (!until.ok()) return until.status();
  out.prices_valid_until =
      until->value_or(PricesResubmittableFrom(out, defaults.price_validity_months) - 1);
  out.scores = std::move(scores);
  if (membership.state() == v1::MEMBERSHIP_STATE_SUSPENDED) {
    for (const v1::Suspension& suspension : membership.suspensions()) {
      for (const std::string& item : suspension.failed_criterion_ids()) {
        out.failed_items.push_back({.item = item,
                                    .cause = ToDomain(suspension.reason()),
                                    .reason = suspension.detail(),
                                    .since = FromTimestamp(suspension.suspended_at()),
                                    .cause_id = CauseIdOf(suspension),
                                    .by = suspension.suspended_by().user_id()});
      }
    }
  }
  for (const dps::common::v1::HistoryEntry& entry : membership.history()) {
    out.history.push_back({.at = FromTimestamp(entry.at()),
                           .actor = entry.actor().user_id(),
                           .from = entry.from_state(),
                           .to = entry.to_state(),
                           .reason = entry.reason()});
  }
  return out;
}

v1::Membership ToApiMembership(const Membership& membership) {
  v1::Membership out;
  out.set_id(membership.id);
  out.set_system_id(membership.system_id);
  out.set_lot_id(membership.lot_code);
  out.set_establishment_id(membership.establishment_id);
  out.set_provider_id(membership.provider_id);
  out.set_state(ToApi(membership.state));
  *out.mutable_qualified_at() = ToTimestamp(membership.qualified_at);
  out.set_application_id(membership.application_id);
  if (!membership.scores.empty()) {
    out.set_base_qualification_score(membership.scores.front().score);
    out.set_qualification_score(membership.scores.back().score);
  }
  v1::CommercialSubmission& prices = *out.mutable_commercial();
  prices.set_establishment_id(membership.establishment_id);
  prices.set_lot_id(membership.lot_code);
  prices.mutable_ceiling_fee()->set_pence(membership.prices.weekly_fee_pence);
  for (const CoreCostLine& line : membership.prices.core_costs) {
    v1::CoreCostLine& to = *prices.add_core_costs();
    to.set_category(ToApi(line.category));
    to.set_label(line.label);
    to.mutable_weekly_amount()->set_pence(line.weekly_pence);
  }
  for (const RateCardLine& line : membership.prices.rate_card) {
    v1::AdditionalServiceRate& to = *prices.add_rate_card();
    to.set_code(line.code);
    to.set_description(line.description);
    to.set_unit(ToApi(line.unit));
    to.mutable_rate()->set_pence(line.rate_pence);
  }
  *prices.mutable_valid_from() = ToDate(membership.prices_valid_from);
  *prices.mutable_valid_until() = ToDate(membership.prices_valid_until);
  for (const FailedItem& item : membership.failed_items) {
    v1::Suspension* suspension = out.add_suspensions();
    suspension->set_reason(ToApi(item.cause));
    suspension->set_detail(item.reason);
    suspension->add_failed_criterion_ids(item.item);
    *suspension->mutable_suspended_at() = ToTimestamp(item.since);
    SetCauseId(item, *suspension);
    if (!item.by.empty()) *suspension->mutable_suspended_by() = ActorNamed(item.by);
  }
  *out.mutable_next_audit_due_on() = ToDate(membership.next_audit_due);
  out.set_version(membership.version);
  for (const MembershipChange& change : membership.history) {
    dps::common::v1::HistoryEntry* entry = out.add_history();
    *entry->mutable_at() = ToTimestamp(change.at);
    *entry->mutable_actor() = ActorNamed(change.actor);
    entry->set_from_state(change.from);
    entry->set_to_state(change.to);
    entry->set_reason(change.reason);
  }
  return out;
}

namespace {

PostalAddress ToDomain(const dps::common::v1::PostalAddress& address) {
  return {.lines = {address.lines().begin(), address.lines().end()},
          .town = address.town(),
          .postcode = address.postcode()};
}

dps::common::v1::PostalAddress ToApi(const PostalAddress& address) {
  dps::common::v1::PostalAddress out;
  for (const std::string& line : address.lines) out.add_lines(line);
  out.set_town(address.town);
  out.set_postcode(address.postcode);
  return out;
}

std::vector<Contact> ToDomain(const google::protobuf::RepeatedPtrField<v1::Contact>& contacts) {
  std::vector<Contact> out;
  for (const v1::Contact& c : contacts) {
    out.push_back({.name = c.name(), .role = c.role(), .email = c.email(), .phone = c.phone()});
  }
  return out;
}

void ToApi(const std::vector<Contact>& contacts,
           google::protobuf::RepeatedPtrField<v1::Contact>& out) {
  for (const Contact& c : contacts) {
    v1::Contact& to = *out.Add();
    to.set_name(c.name);
    to.set_role(c.role);
    to.set_email(c.email);
    to.set_phone(c.phone);
  }
}

}  // namespace

Provider ToDomainProvider(const v1::Provider& provider) {
  return {.id = provider.id(),
          .details = {.name = provider.name(),
                      .companies_house_number = provider.companies_house_number(),
                      .registered_address = ToDomain(provider.registered_address()),
                      .contacts = ToDomain(provider.contacts())},
          .version = provider.version(),
          .registered_at = FromTimestamp(provider.created_at())};
}

v1::Provider ToApiProvider(const Provider& provider) {
  v1::Provider out;
  out.set_id(provider.id);
  out.set_name(provider.details.name);
  out.set_companies_house_number(provider.details.companies_house_number);
  *out.mutable_registered_address() = ToApi(provider.details.registered_address);
  ToApi(provider.details.contacts, *out.mutable_contacts());
  out.set_version(provider.version);
  *out.mutable_created_at() = ToTimestamp(provider.registered_at);
  return out;
}

ProviderDetails ToDomainDetails(const v1::ProviderSpec& spec) {
  return {.name = spec.name(),
          .companies_house_number = spec.companies_house_number(),
          .registered_address = ToDomain(spec.registered_address()),
          .contacts = ToDomain(spec.contacts())};
}

namespace {

constexpr dps::common::v1::ProvisionType kApiProvisionTypes[] = {
    dps::common::v1::PROVISION_TYPE_UNSPECIFIED,
    dps::common::v1::PROVISION_TYPE_INMSS,
    dps::common::v1::PROVISION_TYPE_SPECIALIST_COLLEGE,
    dps::common::v1::PROVISION_TYPE_FOSTERING,
    dps::common::v1::PROVISION_TYPE_RESIDENTIAL_HOME,
    dps::common::v1::PROVISION_TYPE_SHORT_BREAKS,
    dps::common::v1::PROVISION_TYPE_ALTERNATIVE_EDUCATION,
    dps::common::v1::PROVISION_TYPE_SUPPORTED_ACCOMMODATION,
    dps::common::v1::PROVISION_TYPE_BESPOKE_INTERVENTION};
constexpr ProvisionType kDomainProvisionTypes[] = {
    ProvisionType::kUnspecified,          ProvisionType::kInmss,
    ProvisionType::kSpecialistCollege,    ProvisionType::kFostering,
    ProvisionType::kResidentialHome,      ProvisionType::kShortBreaks,
    ProvisionType::kAlternativeEducation, ProvisionType::kSupportedAccommodation,
    ProvisionType::kBespokeIntervention};
constexpr dps::common::v1::Gender kApiGenders[] = {
    dps::common::v1::GENDER_UNSPECIFIED, dps::common::v1::GENDER_MALE,
    dps::common::v1::GENDER_FEMALE, dps::common::v1::GENDER_OTHER};
constexpr Gender kDomainGenders[] = {Gender::kUnspecified, Gender::kMale, Gender::kFemale,
                                     Gender::kOther};

}  // namespace

// The details an establishment's spec or record holds: the record's editable part is the spec's,
// field for field. (Outside the unnamed namespace, so its calls see every overload of ToDomain.)
template <typename Message>
EstablishmentDetails DetailsOf(const Message& spec) {
  EstablishmentDetails details{
      .name = spec.name(),
      .address = ToDomain(spec.address()),
      .latitude = spec.location().latitude(),
      .longitude = spec.location().longitude(),
      .inspectorate = ToDomain(spec.inspectorate()),
      .inspectorate_ref = spec.inspectorate_ref(),
      .dfe_number = spec.dfe_number(),
      .age_min_years = spec.age_min_years(),
      .age_max_years = spec.age_max_years(),
      .specialism_codes = {spec.specialism_codes().begin(), spec.specialism_codes().end()},
      .placement_type_codes = {spec.placement_type_codes().begin(),
                               spec.placement_type_codes().end()},
      .registered_places = spec.registered_places(),
      .contacts = ToDomain(spec.contacts())};
  for (int type : spec.provision_types()) {
    details.provision_types.push_back(Mapped(static_cast<dps::common::v1::ProvisionType>(type),
                                             kApiProvisionTypes, kDomainProvisionTypes));
  }
  for (int gender : spec.genders_accepted()) {
    details.genders_accepted.push_back(
        Mapped(static_cast<dps::common::v1::Gender>(gender), kApiGenders, kDomainGenders));
  }
  return details;
}

EstablishmentDetails ToDomainDetails(const v1::EstablishmentSpec& spec) { return DetailsOf(spec); }

Establishment ToDomainEstablishment(const v1::Establishment& establishment) {
  return {.id = establishment.id(),
          .provider_id = establishment.provider_id(),
          .details = DetailsOf(establishment),
          .version = establishment.version()};
}

v1::Establishment ToApiEstablishment(const Establishment& establishment) {
  const EstablishmentDetails& d = establishment.details;
  v1::Establishment out;
  out.set_id(establishment.id);
  out.set_provider_id(establishment.provider_id);
  out.set_name(d.name);
  *out.mutable_address() = ToApi(d.address);
  out.mutable_location()->set_latitude(d.latitude);
  out.mutable_location()->set_longitude(d.longitude);
  for (ProvisionType type : d.provision_types) {
    out.add_provision_types(Mapped(type, kDomainProvisionTypes, kApiProvisionTypes));
  }
  out.set_inspectorate(ToApi(d.inspectorate));
  out.set_inspectorate_ref(d.inspectorate_ref);
  out.set_dfe_number(d.dfe_number);
  out.set_age_min_years(d.age_min_years);
  out.set_age_max_years(d.age_max_years);
  for (Gender gender : d.genders_accepted) {
    out.add_genders_accepted(Mapped(gender, kDomainGenders, kApiGenders));
  }
  for (const std::string& code : d.specialism_codes) out.add_specialism_codes(code);
  for (const std::string& code : d.placement_type_codes) out.add_placement_type_codes(code);
  out.set_registered_places(d.registered_places);
  ToApi(d.contacts, *out.mutable_contacts());
  out.set_version(establishment.version);
  return out;
}

int AuditIntervalMonths(const v1::SystemRules& rules) {
  return rules.audit_interval_months() > 0 ? rules.audit_interval_months()
                                           : PurchasingSystem{}.audit_interval_months;
}

AlertSeverity ToDomain(v1::AlertSeverity severity) {
  switch (severity) {
    case v1::ALERT_SEVERITY_MEDIUM:
      return AlertSeverity::kMedium;
    case v1::ALERT_SEVERITY_HIGH:
      return AlertSeverity::kHigh;
    case v1::ALERT_SEVERITY_SERIOUS:
      return AlertSeverity::kSerious;
    default:
      return AlertSeverity::kLow;
  }
}

v1::AlertSeverity ToApi(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::kMedium:
      return v1::ALERT_SEVERITY_MEDIUM;
    case AlertSeverity::kHigh:
      return v1::ALERT_SEVERITY_HIGH;
    case AlertSeverity::kSerious:
      return v1::ALERT_SEVERITY_SERIOUS;
    case AlertSeverity::kLow:
      break;
  }
  return v1::ALERT_SEVERITY_LOW;
}

v1::AlertStatus ToApi(AlertStatus status) {
  switch (status) {
    case AlertStatus::kUnderReview:
      return v1::ALERT_STATUS_UNDER_INVESTIGATION;
    case AlertStatus::kClosed:
      return v1::ALERT_STATUS_CLOSED;
    case AlertStatus::kOpen:
      break;
  }
  return v1::ALERT_STATUS_OPEN;
}

v1::SuspensionReason ToApi(SuspensionCause cause) {
  switch (cause) {
    case SuspensionCause::kEvidenceExpiry:
      return v1::SUSPENSION_REASON_EVIDENCE_EXPIRED;
    case SuspensionCause::kInspectionInadequate:
      return v1::SUSPENSION_REASON_RATING_INADEQUATE;
    case SuspensionCause::kSafeguardingAlert:
      return v1::SUSPENSION_REASON_SAFEGUARDING_ALERT;
    case SuspensionCause::kAuditFailed:
      return v1::SUSPENSION_REASON_AUDIT_FAILED;
    case SuspensionCause::kLeadDecision:
      break;
  }
  return v1::SUSPENSION_REASON_LEAD_AUTHORITY_DECISION;
}

InspectionGrade ToDomainGrade(v1::Rating rating) {
  switch (rating) {
    case v1::RATING_OUTSTANDING:
      return InspectionGrade::kOutstanding;
    case v1::RATING_REQUIRES_IMPROVEMENT:
      return InspectionGrade::kRequiresImprovement;
    case v1::RATING_INADEQUATE:
      return InspectionGrade::kInadequate;
    default:
      return InspectionGrade::kGood;
  }
}

Alert ToDomainAlert(const v1::SafeguardingAlert& alert) {
  Alert out;
  out.id = alert.id();
  out.system_id = alert.system_id();
  out.establishment_id = alert.establishment_id();
  out.provider_id = alert.provider_id();
  out.raised_by_authority = alert.raised_by_authority_id();
  out.severity = ToDomain(alert.severity());
  switch (alert.status()) {
    case v1::ALERT_STATUS_UNDER_INVESTIGATION:
      out.status = AlertStatus::kUnderReview;
      break;
    case v1::ALERT_STATUS_CLOSED:
      out.status = AlertStatus::kClosed;
      break;
    default:
      out.status = AlertStatus::kOpen;
      break;
  }
  out.category = alert.category();
  out.summary = alert.summary();
  out.raised_at = FromTimestamp(alert.raised_at());
  for (const dps::common::v1::HistoryEntry& entry : alert.history()) {
    out.history.push_back({.at = FromTimestamp(entry.at()),
                           .user_id = entry.actor().user_id(),
                           .organisation_id = entry.actor().organisation_id(),
                           .role = entry.actor().role(),
                           .from = entry.from_state(),
                           .to = entry.to_state(),
                           .reason = entry.reason()});
  }
  return out;
}

v1::SafeguardingAlert ToApiAlert(const Alert& alert) {
  v1::SafeguardingAlert out;
  out.set_id(alert.id);
  out.set_system_id(alert.system_id);
  out.set_establishment_id(alert.establishment_id);
  out.set_provider_id(alert.provider_id);
  out.set_raised_by_authority_id(alert.raised_by_authority);
  out.set_severity(ToApi(alert.severity));
  out.set_status(ToApi(alert.status));
  out.set_category(alert.category);
  out.set_summary(alert.summary);
  *out.mutable_raised_at() = ToTimestamp(alert.raised_at);
  for (const AlertChange& change : alert.history) {
    dps::common::v1::HistoryEntry& entry = *out.add_history();
    *entry.mutable_at() = ToTimestamp(change.at);
    entry.mutable_actor()->set_user_id(change.user_id);
    entry.mutable_actor()->set_role(change.role);
    entry.mutable_actor()->set_organisation_id(change.organisation_id);
    entry.set_from_state(change.from);
    entry.set_to_state(change.to);
    entry.set_reason(change.reason);
  }
  return out;
}

namespace {

AuditState ToDomain(v1::AuditState state) {
  switch (state) {
    case v1::AUDIT_STATE_PASSED:
      return AuditState::kPassed;
    case v1::AUDIT_STATE_FAILED:
      return AuditState::kFailed;
    default:
      return AuditState::kScheduled;
  }
}

v1::AuditState ToApi(AuditState state) {
  switch (state) {
    case AuditState::kPassed:
      return v1::AUDIT_STATE_PASSED;
    case AuditState::kFailed:
      return v1::AUDIT_STATE_FAILED;
    case AuditState::kScheduled:
      break;
  }
  return v1::AUDIT_STATE_SCHEDULED;
}

}  // namespace

std::vector<AuditFinding> ToDomainFindings(
    const google::protobuf::RepeatedPtrField<v1::CriterionResult>& results) {
  std::vector<AuditFinding> findings;
  for (const v1::CriterionResult& result : results) {
    findings.push_back({.criterion_id = result.criterion_id(),
                        .establishment_id = result.establishment_id(),
                        .passed = result.passed(),
                        .score = result.score(),
                        .reason = result.reason()});
  }
  return findings;
}

absl::StatusOr<Audit> ToDomainAudit(const v1::Audit& audit, std::string provider_id) {
  absl::StatusOr<std::optional<absl::CivilDay>> due = FromDate(audit.due_on(), "due_on");
  if (!due.ok()) return due.status();
  if (!due->has_value()) return absl::InvalidArgumentError("due_on: required");
  Audit out{.id = audit.id(),
            .system_id = audit.system_id(),
            .establishment_id = audit.establishment_id(),
            .provider_id = std::move(provider_id),
            .due_on = **due,
            .state = ToDomain(audit.state()),
            .findings = ToDomainFindings(audit.results()),
            .summary = audit.summary(),
            .auditor = {.user_id = audit.auditor().user_id(),
                        .role = audit.auditor().role(),
                        .organisation_id = audit.auditor().organisation_id()}};
  if (audit.has_completed_at()) out.completed_at = FromTimestamp(audit.completed_at());
  return out;
}

v1::Audit ToApiAudit(const Audit& audit) {
  v1::Audit out;
  out.set_id(audit.id);
  out.set_system_id(audit.system_id);
  out.set_establishment_id(audit.establishment_id);
  *out.mutable_due_on() = ToDate(audit.due_on);
  out.set_state(ToApi(audit.state));
  for (const AuditFinding& finding : audit.findings) {
    v1::CriterionResult& result = *out.add_results();
    result.set_criterion_id(finding.criterion_id);
    result.set_establishment_id(finding.establishment_id);
    result.set_passed(finding.passed);
    result.set_score(finding.score);
    result.set_reason(finding.reason);
  }
  out.set_summary(audit.summary);
  if (audit.completed_at) *out.mutable_completed_at() = ToTimestamp(*audit.completed_at);
  if (!audit.auditor.user_id.empty()) {
    out.mutable_auditor()->set_user_id(audit.auditor.user_id);
    out.mutable_auditor()->set_role(audit.auditor.role);
    out.mutable_auditor()->set_organisation_id(audit.auditor.organisation_id);
  }
  return out;
}

Inspectorate ToDomain(v1::Inspectorate inspectorate) {
  switch (inspectorate) {
    case v1::INSPECTORATE_OFSTED:
      return Inspectorate::kOfsted;
    case v1::INSPECTORATE_ISI:
      return Inspectorate::kIsi;
    case v1::INSPECTORATE_CQC:
      return Inspectorate::kCqc;
    case v1::INSPECTORATE_ESTYN:
      return Inspectorate::kEstyn;
    case v1::INSPECTORATE_NONE:
      return Inspectorate::kNone;
    default:
      return Inspectorate::kUnspecified;
  }
}

v1::Inspectorate ToApi(Inspectorate inspectorate) {
  switch (inspectorate) {
    case Inspectorate::kOfsted:
      return v1::INSPECTORATE_OFSTED;
    case Inspectorate::kIsi:
      return v1::INSPECTORATE_ISI;
    case Inspectorate::kCqc:
      return v1::INSPECTORATE_CQC;
    case Inspectorate::kEstyn:
      return v1::INSPECTORATE_ESTYN;
    case Inspectorate::kNone:
      return v1::INSPECTORATE_NONE;
    case Inspectorate::kUnspecified:
      break;
  }
  return v1::INSPECTORATE_UNSPECIFIED;
}

Judgement ToDomainJudgement(v1::Rating rating) {
  switch (rating) {
    case v1::RATING_OUTSTANDING:
      return Judgement::kOutstanding;
    case v1::RATING_GOOD:
      return Judgement::kGood;
    case v1::RATING_REQUIRES_IMPROVEMENT:
      return Judgement::kRequiresImprovement;
    case v1::RATING_INADEQUATE:
      return Judgement::kInadequate;
    case v1::RATING_NOT_YET_INSPECTED:
      return Judgement::kNotYetInspected;
    case v1::RATING_NO_OVERALL_JUDGEMENT:
      return Judgement::kNoOverallJudgement;
    default:
      return Judgement::kUnspecified;
  }
}

v1::Rating ToApi(Judgement judgement) {
  switch (judgement) {
    case Judgement::kOutstanding:
      return v1::RATING_OUTSTANDING;
    case Judgement::kGood:
      return v1::RATING_GOOD;
    case Judgement::kRequiresImprovement:
      return v1::RATING_REQUIRES_IMPROVEMENT;
    case Judgement::kInadequate:
      return v1::RATING_INADEQUATE;
    case Judgement::kNotYetInspected:
      return v1::RATING_NOT_YET_INSPECTED;
    case Judgement::kNoOverallJudgement:
      return v1::RATING_NO_OVERALL_JUDGEMENT;
    case Judgement::kUnspecified:
      break;
  }
  return v1::RATING_UNSPECIFIED;
}

namespace {

// The outcome's fields, from a rating or a row alike.
template <typename Message>
absl::StatusOr<InspectionOutcome> OutcomeOf(const Message& message) {
  absl::StatusOr<std::optional<absl::CivilDay>> inspected =
      FromDate(message.inspected_on(), "inspected_on");
  if (!inspected.ok()) return inspected.status();
  absl::StatusOr<std::optional<absl::CivilDay>> published =
      FromDate(message.published_on(), "published_on");
  if (!published.ok()) return published.status();
  return InspectionOutcome{.inspectorate = qualification::ToDomain(message.inspectorate()),
                           .judgement = ToDomainJudgement(message.rating()),
                           .grade_text = message.grade_text(),
                           .inspected_on = *inspected,
                           .published_on = *published,
                           .report_url = message.report_url()};
}

}  // namespace

RatingSource ToDomain(v1::RatingSource source) {
  return source == v1::RATING_SOURCE_MANUAL ? RatingSource::kManual : RatingSource::kBulkImport;
}

absl::StatusOr<InspectionOutcome> ToDomainOutcome(const v1::InspectionRatingRow& row) {
  return OutcomeOf(row);
}

absl::StatusOr<InspectionRating> ToDomainRating(const v1::InspectionRating& rating) {
  absl::StatusOr<InspectionOutcome> outcome = OutcomeOf(rating);
  if (!outcome.ok()) return outcome.status();
  return InspectionRating{.id = rating.id(),
                          .establishment_id = rating.establishment_id(),
                          .outcome = *std::move(outcome),
                          .source = ToDomain(rating.source()),
                          .recorded_at = FromTimestamp(rating.recorded_at())};
}

v1::InspectionRating ToApiRating(const InspectionRating& rating) {
  v1::InspectionRating out;
  out.set_id(rating.id);
  out.set_establishment_id(rating.establishment_id);
  out.set_inspectorate(ToApi(rating.outcome.inspectorate));
  out.set_rating(ToApi(rating.outcome.judgement));
  out.set_grade_text(rating.outcome.grade_text);
  if (rating.outcome.inspected_on)
    *out.mutable_inspected_on() = ToDate(*rating.outcome.inspected_on);
  if (rating.outcome.published_on)
    *out.mutable_published_on() = ToDate(*rating.outcome.published_on);
  out.set_report_url(rating.outcome.report_url);
  out.set_source(rating.source == RatingSource::kManual ? v1::RATING_SOURCE_MANUAL
                                                        : v1::RATING_SOURCE_BULK_IMPORT);
  *out.mutable_recorded_at() = ToTimestamp(rating.recorded_at);
  return out;
}

}  // namespace dps::qualification
