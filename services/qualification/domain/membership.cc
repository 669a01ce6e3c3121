#include "services/qualification/domain/membership.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"

namespace dps::qualification {
namespace {

constexpr absl::string_view kEntity = "membership";

std::string FormatScore(double score) { return absl::StrFormat("%.2f", score); }

void Record(Membership& m, absl::Time at, absl::string_view actor, std::string from, std::string to,
            std::string reason) {
  m.history.push_back(MembershipChange{
      .at = at,
      .actor = std::string(actor),
      .from = std::move(from),
      .to = std::move(to),
      .reason = std::move(reason),
  });
}

// Moves to `to`, recording the change.
void Transition(Membership& m, MembershipState to, absl::Time at, absl::string_view actor,
                std::string reason) {
  Record(m, at, actor, std::string(MembershipStateName(m.state)),
         std::string(MembershipStateName(to)), std::move(reason));
  m.state = to;
}

absl::Status RequireSuspended(const Membership& m, absl::string_view action) {
  if (m.state == MembershipState::kSuspended) return absl::OkStatus();
  return Forbidden(
      kEntity,
      absl::StrCat("cannot ", action, " a", m.state == MembershipState::kExcluded ? "n " : " ",
                   MembershipStateName(m.state), " membership (only a SUSPENDED one)"));
}

// The kind and the one part of an application that concerns `membership` (SubmitPrices,
// SubmitReinstatement): the part must be the membership's establishment and lot.
absl::Status RequireApplicationFor(const Application& application, ApplicationKind kind,
                                   absl::string_view kind_rule, const Membership& membership) {
  if (application.kind != kind) return InvalidField("kind", kind_rule);
  for (size_t i = 0; i < application.parts.size(); ++i) {
    const ApplicationPart& part = application.parts[i];
    if (part.establishment_id != membership.establishment_id ||
        part.lot_code != membership.lot_code) {
      return InvalidField(
          absl::StrCat("parts[", i, "]"),
          absl::StrCat("must be the membership's establishment \"", membership.establishment_id,
                       "\" and lot \"", membership.lot_code, "\""));
    }
  }
  return absl::OkStatus();
}

// Whether `lot` asks `item` of its members: one of its criteria, which are those in force (a
// retired criterion has left the lot).
bool Asks(const Lot& lot, const std::string& item) {
  return std::any_of(lot.criteria.begin(), lot.criteria.end(),
                     [&](const Criterion& c) { return c.code == item; });
}

absl::Status RefuseIfExcluded(const Membership& m, absl::string_view action) {
  if (m.state != MembershipState::kExcluded) return absl::OkStatus();
  return Forbidden(kEntity,
                   absl::StrCat("cannot ", action, " an EXCLUDED membership: exclusion is final"));
}

}  // namespace

absl::string_view MembershipStateName(MembershipState state) {
  switch (state) {
    case MembershipState::kQualified:
      return "QUALIFIED";
    case MembershipState::kSuspended:
      return "SUSPENDED";
    case MembershipState::kExcluded:
      return "EXCLUDED";
  }
  return "UNKNOWN";
}

absl::string_view SuspensionCauseName(SuspensionCause cause) {
  switch (cause) {
    case SuspensionCause::kLeadDecision:
      return "LEAD_DECISION";
    case SuspensionCause::kEvidenceExpiry:
      return "EVIDENCE_EXPIRY";
    case SuspensionCause::kInspectionInadequate:
      return "INSPECTION_INADEQUATE";
    case SuspensionCause::kSafeguardingAlert:
      return "SAFEGUARDING_ALERT";
    case SuspensionCause::kAuditFailed:
      return "AUDIT_FAILED";
  }
  return "UNKNOWN";
}

absl::StatusOr<Membership> Qualify(const ApplicationPart& part, const PurchasingSystem& system,
                                   absl::Time at, absl::string_view actor) {
  if (!part.decision.has_value()) {
    return Forbidden(kEntity, absl::StrCat("cannot qualify establishment \"", part.establishment_id,
                                           "\" in lot \"", part.lot_code,
                                           "\": the application part is not decided"));
  }
  if (!part.decision->qualified) {
    return Forbidden(kEntity,
                     absl::StrCat("cannot qualify establishment \"", part.establishment_id,
                                  "\" in lot \"", part.lot_code, "\": the decision failed it"));
  }
  Membership m;
  m.establishment_id = part.establishment_id;
  m.lot_code = part.lot_code;
  m.state = MembershipState::kQualified;
  m.qualified_at = at;
  m.last_audit_at = at;
  m.next_audit_due = AddMonths(UtcDay(at), system.audit_interval_months);
  m.prices = part.commercial;
  m.prices_valid_from = UtcDay(at);
  m.prices_valid_until = PricesResubmittableFrom(m, system.price_validity_months) - 1;
  if (part.decision->qualification_score.has_value()) {
    m.scores.push_back(ScoreEntry{.at = at,
                                  .score = *part.decision->qualification_score,
                                  .requested_delta = 0,
                                  .reason = "qualification",
                                  .actor = std::string(actor)});
  }
  Record(m, at, actor, "", "QUALIFIED", "application decided: qualified");
  return m;
}

absl::Status CheckMayApply(const Membership& existing) {
  switch (existing.state) {
    case MembershipState::kQualified:
      return Forbidden(kEntity,
                       "cannot apply again: the establishment is already qualified in "
                       "the lot");
    case MembershipState::kSuspended:
      return Forbidden(kEntity,
                       "cannot apply again while SUSPENDED: resubmit the failed items "
                       "in a reinstatement application");
    case MembershipState::kExcluded:
      return Forbidden(kEntity, "cannot apply again: exclusion is final for the system's life");
  }
  return absl::OkStatus();
}

absl::Status Suspend(Membership& membership, SuspensionCause cause, std::vector<std::string> items,
                     std::string reason, absl::Time at, absl::string_view actor,
                     absl::string_view cause_id) {
  if (absl::Status s = RefuseIfExcluded(membership, "suspend"); !s.ok()) return s;
  if (items.empty()) {
    return InvalidField("items", "a suspension must name the items to resubmit");
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty()) return InvalidField(absl::StrCat("items[", i, "]"), "must not be empty");
  }
  if (reason.empty()) return InvalidField("reason", "a suspension needs a reason");
  for (std::string& item : items) {
    // An item failing again while already awaiting resubmission takes the later date: the
    // resubmission must be newer than its latest failure.
    auto existing = std::find_if(membership.failed_items.begin(), membership.failed_items.end(),
                                 [&](const FailedItem& f) { return f.item == item; });
    if (existing != membership.failed_items.end()) {
      existing->since = at;
      existing->cause = cause;
      existing->reason = reason;
      existing->cause_id = std::string(cause_id);
      existing->by = std::string(actor);
      continue;
    }
    membership.failed_items.push_back(FailedItem{.item = std::move(item),
                                                 .cause = cause,
                                                 .reason = reason,
                                                 .since = at,
                                                 .cause_id = std::string(cause_id),
                                                 .by = std::string(actor)});
  }
  Transition(membership, MembershipState::kSuspended, at, actor,
             absl::StrCat(SuspensionCauseName(cause), ": ", reason));
  return absl::OkStatus();
}

absl::StatusOr<bool> SuspendForExpiredEvidence(Membership& membership,
                                               const std::vector<Answer>& answers, absl::Time at,
                                               absl::string_view actor) {
  const absl::CivilDay today = UtcDay(at);
  std::vector<std::string> expired = ExpiredEvidence(answers, today);
  if (expired.empty()) return false;
  std::string reason = absl::StrCat("evidence expired for ", absl::StrJoin(expired, ", "));
  if (absl::Status s = Suspend(membership, SuspensionCause::kEvidenceExpiry, std::move(expired),
                               std::move(reason), at, actor);
      !s.ok()) {
    return s;
  }
  return true;
}

absl::StatusOr<bool> ApplyInspectionGrade(Membership& membership, InspectionGrade grade,
                                          absl::string_view rating_item, absl::Time at,
                                          absl::string_view actor, absl::string_view rating_id) {
  if (grade != InspectionGrade::kInadequate) return false;
  if (absl::Status s =
          Suspend(membership, SuspensionCause::kInspectionInadequate, {std::string(rating_item)},
                  "inspection rating dropped to Inadequate", at, actor, rating_id);
      !s.ok()) {
    return s;
  }
  return true;
}

absl::StatusOr<std::vector<std::string>> ItemsToResubmit(const Membership& membership,
                                                         const Lot& lot) {
  if (absl::Status s = RequireSuspended(membership, "resubmit the failed items of"); !s.ok()) {
    return s;
  }
  std::vector<std::string> items;
  for (const FailedItem& failed : membership.failed_items) {
    if (Asks(lot, failed.item)) items.push_back(failed.item);
  }
  if (items.empty()) {
    std::vector<std::string> concerns;
    for (const FailedItem& failed : membership.failed_items) concerns.push_back(failed.item);
    return Forbidden(kEntity, absl::StrCat("nothing to resubmit: the suspension is for ",
                                           absl::StrJoin(concerns, ", "),
                                           ", which the lead authority lifts itself"));
  }
  return items;
}

std::vector<std::string> ItemsTheLeadLifts(const Membership& membership, const Lot& lot) {
  std::vector<std::string> items;
  for (const FailedItem& failed : membership.failed_items) {
    if (failed.cause == SuspensionCause::kLeadDecision ||
        failed.cause == SuspensionCause::kSafeguardingAlert || !Asks(lot, failed.item)) {
      items.push_back(failed.item);
    }
  }
  return items;
}

absl::Status SubmitReinstatement(Application& application, const PurchasingSystem& system,
                                 const Membership& membership, absl::Time at,
                                 absl::string_view actor) {
  if (absl::Status s = RequireApplicationFor(
          application, ApplicationKind::kReinstatement,
          "only a reinstatement resubmits a membership's failed items", membership);
      !s.ok()) {
    return s;
  }
  const Lot* lot = FindLot(system, membership.lot_code);
  if (lot == nullptr) {
    return absl::NotFoundError(absl::StrCat("membership: no lot \"", membership.lot_code, "\""));
  }
  absl::StatusOr<std::vector<std::string>> items = ItemsToResubmit(membership, *lot);
  if (!items.ok()) return items.status();
  std::vector<std::string> answered;
  for (size_t i = 0; i < application.parts.size(); ++i) {
    const std::vector<Answer>& answers = application.parts[i].answers;
    for (size_t j = 0; j < answers.size(); ++j) {
      if (std::find(items->begin(), items->end(), answers[j].criterion_code) == items->end()) {
        return InvalidField(
            absl::StrCat("parts[", i, "].answers[", j, "].criterion_code"),
            absl::StrCat("\"", answers[j].criterion_code,
                         "\" is not a failed item of the membership: resubmit only ",
                         absl::StrJoin(*items, ", ")));
      }
      answered.push_back(answers[j].criterion_code);
    }
  }
  std::vector<std::string> missing;
  for (const std::string& item : *items) {
    if (std::find(answered.begin(), answered.end(), item) == answered.end()) {
      missing.push_back(item);
    }
  }
  if (!missing.empty()) {
    return Forbidden("application",
                     absl::StrCat("cannot submit the reinstatement without the failed items ",
                                  absl::StrJoin(missing, ", ")));
  }
  return Submit(application, system, at, actor);
}

absl::Status Reinstate(Membership& membership, const std::vector<PassedItem>& passed, absl::Time at,
                       absl::string_view actor) {
  if (absl::Status s = RequireSuspended(membership, "reinstate"); !s.ok()) return s;
  std::vector<std::string> missing;
  for (const FailedItem& failed : membership.failed_items) {
    const bool resubmitted = std::any_of(passed.begin(), passed.end(), [&](const PassedItem& p) {
      return p.item == failed.item && p.passed_at > failed.since && p.passed_at <= at;
    });
    if (!resubmitted) missing.push_back(failed.item);
  }
  if (!missing.empty()) {
    return Forbidden(kEntity, absl::StrCat("cannot reinstate: no passing resubmission since the "
                                           "suspension for ",
                                           absl::StrJoin(missing, ", ")));
  }
  std::vector<std::string> items;
  for (const FailedItem& f : membership.failed_items) items.push_back(f.item);
  membership.failed_items.clear();
  Transition(membership, MembershipState::kQualified, at, actor,
             absl::StrCat("resubmitted and passed: ", absl::StrJoin(items, ", ")));
  return absl::OkStatus();
}

absl::Status Exclude(Membership& membership, std::string reason, absl::Time at,
                     absl::string_view actor) {
  if (absl::Status s = RefuseIfExcluded(membership, "exclude"); !s.ok()) return s;
  if (reason.empty()) return InvalidField("reason", "an exclusion needs a reason");
  membership.failed_items.clear();
  Transition(membership, MembershipState::kExcluded, at, actor, std::move(reason));
  return absl::OkStatus();
}

bool IsInvitable(const Membership& membership) {
  return membership.state == MembershipState::kQualified;
}

absl::Status RecordAudit(Membership& membership, absl::Time at, absl::string_view actor,
                         std::string note, int interval_months) {
  if (absl::Status s = RefuseIfExcluded(membership, "audit"); !s.ok()) return s;
  const std::string previous = absl::FormatCivilTime(UtcDay(membership.last_audit_at));
  membership.last_audit_at = at;
  membership.next_audit_due = AddMonths(UtcDay(at), interval_months);
  Record(membership, at, actor, previous, absl::FormatCivilTime(UtcDay(at)), std::move(note));
  return absl::OkStatus();
}

absl::CivilDay PricesResubmittableFrom(const Membership& membership, int validity_months) {
  return AddMonths(membership.prices_valid_from, validity_months);
}

absl::Status CheckMayResubmitPrices(const Membership& membership, int validity_months,
                                    absl::Time at) {
  if (absl::Status s = RefuseIfExcluded(membership, "resubmit prices for"); !s.ok()) return s;
  const absl::CivilDay from = PricesResubmittableFrom(membership, validity_months);
  if (UtcDay(at) < from) {
    return Forbidden(kEntity,
                     absl::StrCat("cannot resubmit prices before ", absl::FormatCivilTime(from),
                                  ": prices hold for ", validity_months, " months"));
  }
  return absl::OkStatus();
}

absl::Status SubmitPrices(Application& application, const PurchasingSystem& system,
                          const Membership& membership, absl::Time at, absl::string_view actor) {
  if (absl::Status s = RequireApplicationFor(
          application, ApplicationKind::kPriceResubmission,
          "only a price resubmission is submitted with its membership", membership);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckMayResubmitPrices(membership, system.price_validity_months, at);
      !s.ok()) {
    return s;
  }
  return Submit(application, system, at, actor);
}

absl::Status ResubmitPrices(Membership& membership, const Lot& lot, int validity_months,
                            CommercialSubmission prices, absl::Time at, absl::string_view actor) {
  if (absl::Status s = CheckMayResubmitPrices(membership, validity_months, at); !s.ok()) return s;
  if (lot.code != membership.lot_code) {
    return InvalidField("lot", absl::StrCat("membership is in lot \"", membership.lot_code,
                                            "\", not \"", lot.code, "\""));
  }
  if (absl::Status s = ValidateCommercialSubmission(lot, prices, "prices"); !s.ok()) return s;
  const std::string before = absl::StrCat(membership.prices.weekly_fee_pence);
  const std::string after = absl::StrCat(prices.weekly_fee_pence);
  membership.prices = std::move(prices);
  membership.prices_valid_from = UtcDay(at);
  membership.prices_valid_until = PricesResubmittableFrom(membership, validity_months) - 1;
  Record(membership, at, actor, before, after,
         absl::StrCat("prices resubmitted after ", validity_months, " months"));
  return absl::OkStatus();
}

absl::Status AdjustScore(Membership& membership, double delta, std::string reason, absl::Time at,
                         absl::string_view actor, const ScoreAdjustmentPolicy& policy) {
  if (!std::isfinite(policy.max_points) || policy.max_points <= 0) {
    return InvalidField("policy.max_points",
                        absl::StrFormat("must be a positive number, got %g", policy.max_points));
  }
  if (policy.min_months_between < 1) {
    return InvalidField("policy.min_months_between",
                        absl::StrCat("must be at least 1, got ", policy.min_months_between));
  }
  if (absl::Status s = RefuseIfExcluded(membership, "adjust the score of"); !s.ok()) return s;
  if (membership.scores.empty()) {
    return Forbidden(kEntity,
                     "cannot adjust the score: the lot qualifies pass/fail only and has "
                     "no qualification score");
  }
  if (!std::isfinite(delta) || std::fabs(delta) > policy.max_points) {
    return InvalidField(
        "delta", absl::StrFormat("must be within +/-%g points, got %g", policy.max_points, delta));
  }
  if (delta == 0) return InvalidField("delta", "must not be 0: record no adjustment instead");
  if (reason.empty()) return InvalidField("reason", "a score adjustment needs a reason");
  const ScoreEntry& last = membership.scores.back();
  const absl::CivilDay next = AddMonths(UtcDay(last.at), policy.min_months_between);
  if (UtcDay(at) < next) {
    return Forbidden(
        kEntity,
        absl::StrCat("cannot adjust the score before ", absl::FormatCivilTime(next),
                     ": at most one adjustment every ", policy.min_months_between, " months"));
  }
  const double score = std::clamp(last.score + delta, 0.0, 100.0);
  Record(membership, at, actor, FormatScore(last.score), FormatScore(score), reason);
  membership.scores.push_back(ScoreEntry{.at = at,
                                         .score = score,
                                         .requested_delta = delta,
                                         .reason = std::move(reason),
                                         .actor = std::string(actor)});
  return absl::OkStatus();
}

absl::Status CheckCitedReviews(absl::string_view system_id, absl::string_view establishment_id,
                               const std::vector<std::string>& cited,
                               const std::vector<RecordedReview>& recorded) {
  if (cited.empty()) {
    return InvalidField("performance_review_ids",
                        "an adjustment rests on at least one performance review");
  }
  for (size_t i = 0; i < cited.size(); ++i) {
    const std::string field = absl::StrCat("performance_review_ids[", i, "]");
    const std::string& id = cited[i];
    if (std::find(cited.begin(), cited.begin() + i, id) != cited.begin() + i) {
      return InvalidField(field, absl::StrCat(platform::Quote(id), " is cited twice"));
    }
    auto review = std::find_if(recorded.begin(), recorded.end(),
                               [&](const RecordedReview& r) { return r.id == id; });
    if (review == recorded.end()) {
      return InvalidField(
          field, absl::StrCat(platform::Quote(id), " is not a recorded performance review"));
    }
    if (review->system_id != system_id) {
      return InvalidField(
          field, absl::StrCat(platform::Quote(id), " is a review in another purchasing system"));
    }
    if (review->establishment_id != establishment_id) {
      return InvalidField(
          field, absl::StrCat(platform::Quote(id), " is a review of another establishment"));
    }
    if (!review->cited_by_adjustment.empty()) {
      return InvalidField(
          field, absl::StrCat(platform::Quote(id), " was already cited by score adjustment ",
                              review->cited_by_adjustment));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<double> ScoreAt(const Membership& membership, absl::Time at) {
  if (membership.scores.empty()) {
    return absl::NotFoundError("membership: the lot has no qualification score");
  }
  // Entries are in time order (AdjustScore refuses to go back), so the last one at or before
  // `at` is the one in force.
  auto after = std::upper_bound(membership.scores.begin(), membership.scores.end(), at,
                                [](absl::Time t, const ScoreEntry& e) { return t < e.at; });
  if (after == membership.scores.begin()) {
    return absl::NotFoundError(absl::StrCat("membership: no score in force at ",
                                            absl::FormatTime(at, absl::UTCTimeZone()),
                                            ", before qualification"));
  }
  return std::prev(after)->score;
}

}  // namespace dps::qualification
