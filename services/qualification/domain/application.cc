#include "services/qualification/domain/application.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "platform/codes/codes.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/regime.h"
#include "services/qualification/domain/working_days.h"

namespace dps::qualification {
namespace {

constexpr absl::string_view kEntity = "application";

const Criterion* FindCriterion(const Lot& lot, absl::string_view code) {
  for (const Criterion& c : lot.criteria) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

template <typename T>
const T* FindByCriterion(const std::vector<T>& items, absl::string_view code) {
  for (const T& item : items) {
    if (item.criterion_code == code) return &item;
  }
  return nullptr;
}

// A price resubmission and a reinstatement concern a member, who is already admitted: one part,
// its membership's, and no entry window (windows are for joining).
bool ConcernsMembership(ApplicationKind kind) { return kind != ApplicationKind::kAdmission; }

bool IsExpired(const Answer& answer, absl::CivilDay day) {
  return answer.evidence_expires.has_value() && *answer.evidence_expires < day;
}

void Record(Application& application, absl::Time at, absl::string_view actor, ApplicationStatus to,
            std::string reason) {
  application.history.push_back(ApplicationEvent{
      .at = at,
      .actor = std::string(actor),
      .from = application.status,
      .to = to,
      .reason = std::move(reason),
  });
  application.status = to;
}

absl::Status RequireStatus(const Application& application, ApplicationStatus wanted,
                           absl::string_view action) {
  if (application.status == wanted) return absl::OkStatus();
  return Forbidden(kEntity,
                   absl::StrCat("cannot ", action, " a ", ApplicationStatusName(application.status),
                                " application (must be ", ApplicationStatusName(wanted), ")"));
}

// Checks each answer of the part; with `every_criterion`, also that every criterion of the lot is
// answered (a reinstatement answers its failed items only, which SubmitReinstatement checks).
absl::Status ValidateAnswers(const Lot& lot, const ApplicationPart& part, absl::string_view path,
                             absl::CivilDay today, bool every_criterion) {
  for (size_t i = 0; i < part.answers.size(); ++i) {
    const Answer& a = part.answers[i];
    const std::string here = absl::StrCat(path, ".answers[", i, "]");
    const Criterion* criterion = FindCriterion(lot, a.criterion_code);
    if (criterion == nullptr) {
      return InvalidField(
          absl::StrCat(here, ".criterion_code"),
          absl::StrCat("lot \"", lot.code, "\" has no criterion \"", a.criterion_code, "\""));
    }
    if (FindByCriterion(part.answers, a.criterion_code) != &a) {
      return InvalidField(absl::StrCat(here, ".criterion_code"),
                          absl::StrCat("criterion \"", a.criterion_code, "\" answered twice"));
    }
    if (a.criterion_version != criterion->version) {
      return InvalidField(absl::StrCat(here, ".criterion_version"),
                          absl::StrCat("criterion \"", a.criterion_code, "\" is at version ",
                                       criterion->version, ", got ", a.criterion_version));
    }
    if (a.response.empty() && a.evidence_ref.empty()) {
      return InvalidField(here, "must give a response or an evidence reference");
    }
    if (IsExpired(a, today)) {
      return InvalidField(
          absl::StrCat(here, ".evidence_expires"),
          absl::StrCat("evidence expired on ", absl::FormatCivilTime(*a.evidence_expires),
                       ", before submission on ", absl::FormatCivilTime(today)));
    }
  }
  if (!every_criterion) return absl::OkStatus();
  for (const Criterion& c : lot.criteria) {
    if (FindByCriterion(part.answers, c.code) == nullptr) {
      return InvalidField(absl::StrCat(path, ".answers"),
                          absl::StrCat("criterion \"", c.code, "\" is not answered"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateCommercialSubmission(const Lot& lot, const CommercialSubmission& c,
                                          absl::string_view path) {
  const CommercialFieldNames& names = c.names;
  const std::string here = names.submission.empty() ? std::string(path) : names.submission;
  const std::string fee = absl::StrCat(here, ".", names.weekly_fee);
  if (c.weekly_fee_pence <= 0) {
    return InvalidField(fee, absl::StrCat("must be positive, got ", c.weekly_fee_pence));
  }
  if (lot.terms.affordability_cap_pence &&
      c.weekly_fee_pence > *lot.terms.affordability_cap_pence) {
    return InvalidField(fee,
                        absl::StrCat(c.weekly_fee_pence, " exceeds the lot's affordability cap of ",
                                     *lot.terms.affordability_cap_pence));
  }
  // The schedule explains the fee; one that does not add up explains nothing. Every line is
  // checked first, so a line below zero is named even where another makes up for it, and the sum
  // is kept at most the fee as it grows, so it cannot overflow.
  const std::string schedule = absl::StrCat(here, ".core_costs");
  for (size_t i = 0; i < c.core_costs.size(); ++i) {
    if (c.core_costs[i].weekly_pence < 0) {
      return InvalidField(absl::StrCat(schedule, "[", i, "].", names.core_cost_amount),
                          absl::StrCat("must not be negative, got ", c.core_costs[i].weekly_pence));
    }
  }
  const std::string must_add_up =
      absl::StrCat("lines must add up to ", names.weekly_fee, " ", c.weekly_fee_pence, ", got ");
  int64_t sum = 0;
  for (const CoreCostLine& line : c.core_costs) {
    if (line.weekly_pence > c.weekly_fee_pence - sum) {
      return InvalidField(schedule, absl::StrCat(must_add_up, "more"));
    }
    sum += line.weekly_pence;
  }
  if (!c.core_costs.empty() && sum != c.weekly_fee_pence) {
    return InvalidField(schedule, absl::StrCat(must_add_up, sum));
  }
  absl::flat_hash_set<absl::string_view> codes;
  for (size_t i = 0; i < c.rate_card.size(); ++i) {
    const RateCardLine& line = c.rate_card[i];
    const std::string at = absl::StrCat(here, ".rate_card[", i, "]");
    // A rate is bid against by its code (a bid's additional services name the lot's codes), so
    // it follows the one rule every code of the product does.
    if (absl::Status s = platform::CheckCode(absl::StrCat(at, ".code"), line.code); !s.ok()) {
      return s;
    }
    if (!codes.insert(line.code).second) {
      return InvalidField(absl::StrCat(at, ".code"),
                          absl::StrCat("duplicate code \"", line.code, "\""));
    }
    if (line.rate_pence <= 0) {
      return InvalidField(absl::StrCat(at, ".", names.rate),
                          absl::StrCat("must be positive, got ", line.rate_pence));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status ValidateParts(const Application& application, const PurchasingSystem& system,
                           absl::CivilDay today) {
  if (application.parts.empty()) {
    return InvalidField("parts", "must name at least one establishment and lot");
  }
  const bool prices_only = application.kind == ApplicationKind::kPriceResubmission;
  const bool reinstating = application.kind == ApplicationKind::kReinstatement;
  if (ConcernsMembership(application.kind) && application.parts.size() != 1) {
    return InvalidField("parts",
                        absl::StrCat(prices_only ? "a price resubmission" : "a reinstatement",
                                     " has exactly one part, got ", application.parts.size()));
  }
  for (size_t i = 0; i < application.parts.size(); ++i) {
    const ApplicationPart& part = application.parts[i];
    const std::string here = absl::StrCat("parts[", i, "]");
    if (part.establishment_id.empty()) {
      return InvalidField(absl::StrCat(here, ".establishment_id"), "must not be empty");
    }
    const Lot* lot = FindLot(system, part.lot_code);
    if (lot == nullptr) {
      return InvalidField(
          absl::StrCat(here, ".lot_code"),
          absl::StrCat("system \"", system.id, "\" has no lot \"", part.lot_code, "\""));
    }
    for (size_t j = 0; j < i; ++j) {
      if (application.parts[j].establishment_id == part.establishment_id &&
          application.parts[j].lot_code == part.lot_code) {
        return InvalidField(
            here, absl::StrCat("repeats parts[", j, "] (establishment \"", part.establishment_id,
                               "\", lot \"", part.lot_code, "\")"));
      }
    }
    if (prices_only && !part.answers.empty()) {
      return InvalidField(absl::StrCat(here, ".answers"),
                          "a price resubmission answers no criteria: the member is admitted");
    }
    if (!prices_only) {
      if (absl::Status s = ValidateAnswers(*lot, part, here, today, !reinstating); !s.ok()) {
        return s;
      }
    }
    if (reinstating) {
      const CommercialSubmission& c = part.commercial;
      if (c.weekly_fee_pence != 0 || !c.core_costs.empty() || !c.rate_card.empty()) {
        return InvalidField(absl::StrCat(here, ".commercial"),
                            "a reinstatement carries no prices: the membership's stay in force");
      }
      continue;
    }
    if (part.commercial.absent) {
      const std::string& named = part.commercial.names.submission;
      return InvalidField(named.empty() ? absl::StrCat(here, ".commercial") : named,
                          absl::StrCat("required for establishment \"", part.establishment_id,
                                       "\" in lot \"", part.lot_code, "\""));
    }
    if (absl::Status s =
            ValidateCommercialSubmission(*lot, part.commercial, absl::StrCat(here, ".commercial"));
        !s.ok())
      return s;
  }
  return absl::OkStatus();
}

ApplicationPart* FindPart(Application& application, absl::string_view establishment_id,
                          absl::string_view lot_code) {
  for (ApplicationPart& part : application.parts) {
    if (part.establishment_id == establishment_id && part.lot_code == lot_code) return &part;
  }
  return nullptr;
}

bool AwaitingDecision(ApplicationStatus status) {
  return status == ApplicationStatus::kSubmitted || status == ApplicationStatus::kUnderEvaluation;
}

}  // namespace

absl::string_view ApplicationStatusName(ApplicationStatus status) {
  switch (status) {
    case ApplicationStatus::kDraft:
      return "DRAFT";
    case ApplicationStatus::kSubmitted:
      return "SUBMITTED";
    case ApplicationStatus::kUnderEvaluation:
      return "UNDER_EVALUATION";
    case ApplicationStatus::kDecided:
      return "DECIDED";
    case ApplicationStatus::kWithdrawn:
      return "WITHDRAWN";
  }
  return "UNKNOWN";
}

absl::Status Submit(Application& application, const PurchasingSystem& system, absl::Time at,
                    absl::string_view actor) {
  if (absl::Status s = RequireStatus(application, ApplicationStatus::kDraft, "submit"); !s.ok()) {
    return s;
  }
  if (application.system_id != system.id) {
    return InvalidField("system_id", absl::StrCat("application is for \"", application.system_id,
                                                  "\", not \"", system.id, "\""));
  }
  const absl::CivilDay today = UtcDay(at);
  if (!ConcernsMembership(application.kind) && !IsWindowOpen(system, at)) {
    return Forbidden(kEntity, absl::StrCat("cannot submit: the entry window is closed on ",
                                           absl::FormatCivilTime(today)));
  }
  if (absl::Status s = ValidateParts(application, system, today); !s.ok()) return s;
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(system.regime, system.regime_config);
  if (!rules.ok()) return rules.status();
  absl::StatusOr<absl::CivilDay> deadline = AddWorkingDays(today, rules->decision_working_days);
  if (!deadline.ok()) return deadline.status();

  application.submitted_at = at;
  application.decision_deadline = *deadline;
  Record(application, at, actor, ApplicationStatus::kSubmitted, "");
  return absl::OkStatus();
}

absl::Status StartEvaluation(Application& application, absl::Time at, absl::string_view actor) {
  if (absl::Status s =
          RequireStatus(application, ApplicationStatus::kSubmitted, "start evaluating");
      !s.ok()) {
    return s;
  }
  if (application.kind == ApplicationKind::kPriceResubmission) {
    return Forbidden(kEntity,
                     "a price resubmission has no criteria to evaluate: the lead authority "
                     "decides it directly");
  }
  Record(application, at, actor, ApplicationStatus::kUnderEvaluation, "");
  return absl::OkStatus();
}

std::vector<const Criterion*> CriteriaAsked(ApplicationKind kind, const Lot& lot,
                                            const ApplicationPart& part) {
  std::vector<const Criterion*> asked;
  if (kind == ApplicationKind::kPriceResubmission) return asked;
  for (const Criterion& c : lot.criteria) {
    if (kind == ApplicationKind::kReinstatement &&
        FindByCriterion(part.answers, c.code) == nullptr) {
      continue;
    }
    asked.push_back(&c);
  }
  return asked;
}

absl::Status RecordAssessment(Application& application, const PurchasingSystem& system,
                              absl::string_view establishment_id, absl::string_view lot_code,
                              Assessment assessment) {
  if (absl::Status s = RequireStatus(application, ApplicationStatus::kUnderEvaluation, "assess");
      !s.ok()) {
    return s;
  }
  ApplicationPart* part = FindPart(application, establishment_id, lot_code);
  const Lot* lot = FindLot(system, lot_code);
  if (part == nullptr || lot == nullptr) {
    return absl::NotFoundError(absl::StrCat("application: no part for establishment \"",
                                            establishment_id, "\" and lot \"", lot_code, "\""));
  }
  const Criterion* criterion = FindCriterion(*lot, assessment.criterion_code);
  if (criterion == nullptr) {
    return absl::NotFoundError(absl::StrCat("application: lot \"", lot_code,
                                            "\" has no criterion \"", assessment.criterion_code,
                                            "\""));
  }
  const std::vector<const Criterion*> asked = CriteriaAsked(application.kind, *lot, *part);
  if (std::find(asked.begin(), asked.end(), criterion) == asked.end()) {
    return absl::NotFoundError(absl::StrCat(
        "application: the part for establishment \"", establishment_id, "\" and lot \"", lot_code,
        "\" does not resubmit criterion \"", assessment.criterion_code, "\""));
  }
  if (assessment.evaluator.empty()) return InvalidField("evaluator", "must not be empty");
  if (criterion->kind == CriterionKind::kPassFail) {
    if (!assessment.passed.has_value() || assessment.score.has_value()) {
      return InvalidField("passed", absl::StrCat("criterion \"", criterion->code,
                                                 "\" is pass/fail: give passed, not a score"));
    }
    if (!*assessment.passed && assessment.reason.empty()) {
      return InvalidField("reason", "a failed criterion needs a reason the applicant can read");
    }
  } else {
    if (!assessment.score.has_value() || assessment.passed.has_value()) {
      return InvalidField("score", absl::StrCat("criterion \"", criterion->code,
                                                "\" is weighted: give a score, not passed"));
    }
    if (*assessment.score < 0 || *assessment.score > 100) {
      return InvalidField("score", absl::StrCat("must be 0-100, got ", *assessment.score));
    }
  }
  auto existing = std::find_if(
      part->assessments.begin(), part->assessments.end(),
      [&](const Assessment& a) { return a.criterion_code == assessment.criterion_code; });
  if (existing != part->assessments.end()) {
    *existing = std::move(assessment);
  } else {
    part->assessments.push_back(std::move(assessment));
  }
  return absl::OkStatus();
}

absl::StatusOr<double> QualificationScore(const Lot& lot, const ApplicationPart& part) {
  if (!HasWeightedCriteria(lot)) {
    return Forbidden(
        kEntity,
        absl::StrCat("lot \"", lot.code, "\" is pass/fail only: there is no qualification score"));
  }
  int64_t weighted = 0;  // Σ weight × score: at most 100 × 100.
  for (const Criterion& c : lot.criteria) {
    if (c.kind != CriterionKind::kWeighted) continue;
    const Assessment* a = FindByCriterion(part.assessments, c.code);
    if (a == nullptr || !a->score.has_value()) {
      return Forbidden(kEntity, absl::StrCat("criterion \"", c.code, "\" has no score yet"));
    }
    weighted += static_cast<int64_t>(c.weight) * *a->score;
  }
  return static_cast<double>(weighted) / 100.0;
}

absl::Status Decide(Application& application, const PurchasingSystem& system, absl::Time at,
                    absl::string_view actor) {
  if (absl::Status s = RequireStatus(application, ApplicationStatus::kUnderEvaluation, "decide");
      !s.ok()) {
    return s;
  }
  const absl::CivilDay today = UtcDay(at);
  std::vector<PartDecision> decisions;
  for (size_t i = 0; i < application.parts.size(); ++i) {
    const ApplicationPart& part = application.parts[i];
    const Lot* lot = FindLot(system, part.lot_code);
    if (lot == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("application: parts[", i, "]: no lot \"", part.lot_code, "\""));
    }
    PartDecision decision;
    decision.qualified = true;
    decision.decided_at = at;
    decision.decided_by = std::string(actor);
    for (const Criterion* c : CriteriaAsked(application.kind, *lot, part)) {
      const Assessment* a = FindByCriterion(part.assessments, c->code);
      if (a == nullptr) {
        return Forbidden(kEntity, absl::StrCat("cannot decide: parts[", i, "] criterion \"",
                                               c->code, "\" has not been assessed"));
      }
      CriterionResult result;
      result.criterion_code = c->code;
      result.kind = c->kind;
      result.reason = a->reason;
      if (c->kind == CriterionKind::kWeighted) {
        result.passed = true;
        result.score = a->score;
      } else {
        result.passed = a->passed.value_or(false);
        const Answer* answer = FindByCriterion(part.answers, c->code);
        if (answer != nullptr && IsExpired(*answer, today)) {
          result.passed = false;
          result.reason = absl::StrCat("evidence expired on ",
                                       absl::FormatCivilTime(*answer->evidence_expires));
        }
        decision.qualified = decision.qualified && result.passed;
      }
      decision.results.push_back(std::move(result));
    }
    // A reinstatement leaves the membership's score as it is (see Decide in the header).
    if (application.kind == ApplicationKind::kAdmission && HasWeightedCriteria(*lot)) {
      absl::StatusOr<double> score = QualificationScore(*lot, part);
      if (!score.ok()) return score.status();
      decision.qualification_score = *score;
    }
    decisions.push_back(std::move(decision));
  }
  for (size_t i = 0; i < decisions.size(); ++i) {
    application.parts[i].decision = std::move(decisions[i]);
  }
  Record(application, at, actor, ApplicationStatus::kDecided, "");
  return absl::OkStatus();
}

absl::Status DecidePrices(Application& application, bool accepted, std::string reason,
                          absl::Time at, absl::string_view actor) {
  if (application.kind != ApplicationKind::kPriceResubmission) {
    return Forbidden(kEntity, "only a price resubmission is decided on its prices alone");
  }
  if (absl::Status s = RequireStatus(application, ApplicationStatus::kSubmitted, "decide");
      !s.ok()) {
    return s;
  }
  if (!accepted && reason.empty()) {
    return InvalidField("reason", "rejected prices need a reason the applicant can read");
  }
  PartDecision decision;
  decision.qualified = accepted;
  decision.decided_at = at;
  decision.decided_by = std::string(actor);
  decision.reason = std::move(reason);
  application.parts.front().decision = std::move(decision);
  Record(application, at, actor, ApplicationStatus::kDecided, "");
  return absl::OkStatus();
}

absl::Status ExtendDecisionDeadline(Application& application, const PurchasingSystem& system,
                                    std::string reason, absl::Time at, absl::string_view actor) {
  if (!AwaitingDecision(application.status) || !application.submitted_at ||
      !application.decision_deadline) {
    return Forbidden(kEntity,
                     absl::StrCat("cannot extend the decision deadline of a ",
                                  ApplicationStatusName(application.status), " application"));
  }
  if (reason.empty()) {
    return InvalidField("reason", "extending the decision deadline needs a recorded reason");
  }
  if (!application.extension_reason.empty()) {
    return Forbidden(kEntity, "the decision deadline can be extended only once");
  }
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(system.regime, system.regime_config);
  if (!rules.ok()) return rules.status();
  if (!rules->extended_decision_working_days) {
    return Forbidden(kEntity, absl::StrCat("this ", RegimeName(system.regime),
                                           " system allows no extension of the decision deadline"));
  }
  if (UtcDay(at) > *application.decision_deadline) {
    return Forbidden(kEntity, absl::StrCat("cannot extend: the deadline of ",
                                           absl::FormatCivilTime(*application.decision_deadline),
                                           " has passed"));
  }
  // Counted from submission, so the extended period can never run past the regime's limit.
  absl::StatusOr<absl::CivilDay> deadline =
      AddWorkingDays(UtcDay(*application.submitted_at), *rules->extended_decision_working_days);
  if (!deadline.ok()) return deadline.status();
  application.decision_deadline = *deadline;
  application.extension_reason = reason;
  Record(application, at, actor, application.status,
         absl::StrCat("decision deadline extended to ", absl::FormatCivilTime(*deadline), ": ",
                      reason));
  return absl::OkStatus();
}

absl::Status Withdraw(Application& application, absl::Time at, absl::string_view actor,
                      std::string reason) {
  if (application.status != ApplicationStatus::kDraft && !AwaitingDecision(application.status)) {
    return Forbidden(kEntity,
                     absl::StrCat("cannot withdraw a ", ApplicationStatusName(application.status),
                                  " application"));
  }
  Record(application, at, actor, ApplicationStatus::kWithdrawn, std::move(reason));
  return absl::OkStatus();
}

bool IsDecisionOverdue(const Application& application, absl::Time at) {
  return AwaitingDecision(application.status) && application.decision_deadline.has_value() &&
         UtcDay(at) > *application.decision_deadline;
}

std::vector<std::string> ExpiredEvidence(const std::vector<Answer>& answers, absl::CivilDay today) {
  std::vector<std::string> codes;
  for (const Answer& a : answers) {
    if (IsExpired(a, today)) codes.push_back(a.criterion_code);
  }
  return codes;
}

ReusePlan PlanReuse(const Lot& lot, const ApplicationPart& previous, absl::CivilDay today) {
  ReusePlan plan;
  for (const Criterion& c : lot.criteria) {
    const Answer* answer = FindByCriterion(previous.answers, c.code);
    std::optional<AnswerNeeded> why;
    if (answer == nullptr) {
      why = AnswerNeeded::kNotAnsweredBefore;
    } else if (answer->criterion_version != c.version) {
      why = AnswerNeeded::kCriterionChanged;
    } else if (IsExpired(*answer, today)) {
      why = AnswerNeeded::kEvidenceExpired;
    } else if (previous.decision.has_value()) {
      const CriterionResult* result = FindByCriterion(previous.decision->results, c.code);
      if (result != nullptr && !result->passed) why = AnswerNeeded::kFailedBefore;
    }
    if (why) {
      plan.needed.push_back(NeededAnswer{.criterion_code = c.code, .why = *why});
    } else {
      plan.reusable.push_back(*answer);
    }
  }
  return plan;
}

}  // namespace dps::qualification
