#include "services/qualification/domain/purchasing_system.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/codes/codes.h"
#include "platform/weights/weights.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"

namespace dps::qualification {
namespace {

constexpr int kBasisPointsInWhole = 10000;

std::string At(absl::string_view path, absl::string_view field) {
  return path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
}

std::string Index(absl::string_view path, absl::string_view field, size_t i) {
  return absl::StrCat(At(path, field), "[", i, "]");
}

// Codes in a list must be non-empty and unique.
absl::Status ValidateCodes(const std::vector<std::string>& codes, absl::string_view path,
                           absl::string_view field) {
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i].empty()) return InvalidField(Index(path, field, i), "must not be empty");
    if (absl::Status s = platform::CheckCode(Index(path, field, i), codes[i]); !s.ok()) return s;
    if (!seen.insert(codes[i]).second) {
      return InvalidField(Index(path, field, i), absl::StrCat("duplicate code \"", codes[i], "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCriteria(const std::vector<Criterion>& criteria, QualificationMode mode,
                              absl::string_view path) {
  if (criteria.empty()) return InvalidField(At(path, "criteria"), "must not be empty");
  absl::flat_hash_set<absl::string_view> seen;
  int weighted_sum = 0;
  bool any_weighted = false;
  for (size_t i = 0; i < criteria.size(); ++i) {
    const Criterion& c = criteria[i];
    const std::string here = Index(path, "criteria", i);
    if (c.code.empty()) return InvalidField(At(here, "code"), "must not be empty");
    if (!seen.insert(c.code).second) {
      return InvalidField(At(here, "code"), absl::StrCat("duplicate code \"", c.code, "\""));
    }
    if (c.title.empty()) return InvalidField(At(here, "title"), "must not be empty");
    if (c.version < 1) {
      return InvalidField(At(here, "version"), absl::StrCat("must be at least 1, got ", c.version));
    }
    if (absl::Status s = CheckCriterionKind(mode, c.kind, At(here, "kind")); !s.ok()) return s;
    if (c.kind == CriterionKind::kPassFail) {
      if (c.weight != 0) {
        return InvalidField(At(here, "weight"),
                            absl::StrCat("must be 0 for a pass/fail criterion, got ", c.weight));
      }
    } else {
      if (c.weight < 1 || c.weight > 100) {
        return InvalidField(At(here, "weight"),
                            absl::StrCat("must be 1-100 for a weighted criterion, got ", c.weight));
      }
      any_weighted = true;
      weighted_sum += c.weight;
    }
  }
  if (any_weighted && weighted_sum != 100) {
    return InvalidField(
        At(path, "criteria"),
        absl::StrCat("weights of weighted criteria must sum to 100, got ", weighted_sum));
  }
  return absl::OkStatus();
}

absl::Status ValidateTerms(const CommercialTerms& t, absl::string_view path) {
  const std::string here = At(path, "terms");
  for (auto [field, bp] :
       {std::pair<absl::string_view, int>{"sibling_discount_bp", t.sibling_discount_bp},
        {"permanence_discount_bp", t.permanence_discount_bp}}) {
    if (bp < 0 || bp > kBasisPointsInWhole) {
      return InvalidField(At(here, field), absl::StrCat("must be 0-10000 basis points, got ", bp));
    }
  }
  // Discounts add up (docs/rules.md section 6), so together they may not exceed the whole fee.
  if (t.sibling_discount_bp + t.permanence_discount_bp > kBasisPointsInWhole) {
    return InvalidField(At(here, "permanence_discount_bp"),
                        absl::StrCat("sibling and permanence discounts together must not exceed "
                                     "10000 basis points, got ",
                                     t.sibling_discount_bp + t.permanence_discount_bp));
  }
  if (t.notice_period_days < 1) {
    return InvalidField(At(here, "notice_period_days"),
                        absl::StrCat("must be positive, got ", t.notice_period_days));
  }
  if (t.affordability_cap_pence && *t.affordability_cap_pence <= 0) {
    return InvalidField(At(here, "affordability_cap_pence"),
                        absl::StrCat("must be positive, got ", *t.affordability_cap_pence));
  }
  return absl::OkStatus();
}

// The weights rule, with what the lot lets a referral's bids earn: a weight on needs or features
// the lot has no vocabulary for, or on a qualification score a pass/fail-only lot never gives,
// could be earned by no bid.
absl::Status ValidateWeights(const Lot& lot, QualificationMode mode, absl::string_view path) {
  return platform::CheckWeightsEarnable(
      At(path, "default_weights"), lot.default_weights,
      {.needs = !lot.needs.empty(),
       .desirable_features = !lot.features.empty(),
       .qualification_score = mode == QualificationMode::kWeighted && HasWeightedCriteria(lot)},
      "the lot's vocabulary");
}

absl::Status ValidateParentalChoice(const ParentalChoice& p, absl::string_view path) {
  const std::string here = At(path, "parental_choice");
  if (p.max_bids < 1) {
    return InvalidField(At(here, "max_bids"), absl::StrCat("must be at least 1, got ", p.max_bids));
  }
  if (!std::isfinite(p.within_points) || p.within_points < 0) {
    return InvalidField(At(here, "within_points"),
                        absl::StrFormat("must be a number >= 0, got %g", p.within_points));
  }
  return absl::OkStatus();
}

absl::Status ValidateValidity(const ValidityPeriod& v) {
  if (v.initial_months < 1) {
    return InvalidField("validity.initial_months",
                        absl::StrCat("must be at least 1, got ", v.initial_months));
  }
  for (size_t i = 0; i < v.extension_months.size(); ++i) {
    if (v.extension_months[i] < 1) {
      return InvalidField(absl::StrCat("validity.extension_months[", i, "]"),
                          absl::StrCat("must be at least 1, got ", v.extension_months[i]));
    }
  }
  if (v.extensions_taken < 0 || v.extensions_taken > static_cast<int>(v.extension_months.size())) {
    return InvalidField(
        "validity.extensions_taken",
        absl::StrCat("must be 0-", v.extension_months.size(), ", got ", v.extensions_taken));
  }
  return absl::OkStatus();
}

absl::Status ValidateClosedPeriods(const std::vector<ClosedPeriod>& periods) {
  for (size_t i = 0; i < periods.size(); ++i) {
    const std::string here = absl::StrCat("closed_periods[", i, "]");
    if (periods[i].last < periods[i].first) {
      return InvalidField(
          At(here, "last"),
          absl::StrCat("must not be before first (", absl::FormatCivilTime(periods[i].first),
                       "), got ", absl::FormatCivilTime(periods[i].last)));
    }
    for (size_t j = 0; j < i; ++j) {
      if (periods[i].first <= periods[j].last && periods[j].first <= periods[i].last) {
        return InvalidField(here, absl::StrCat("overlaps closed_periods[", j, "]"));
      }
    }
  }
  return absl::OkStatus();
}

// The criterion in `criteria` with `code`, or nullptr.
const Criterion* FindCriterion(const std::vector<Criterion>& criteria, absl::string_view code) {
  for (const Criterion& c : criteria) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace

absl::Status CheckCriterionKind(QualificationMode mode, CriterionKind kind,
                                absl::string_view field) {
  if (mode != QualificationMode::kPassFailOnly || kind != CriterionKind::kWeighted) {
    return absl::OkStatus();
  }
  return InvalidField(field,
                      "must be PASS_FAIL: the purchasing system's qualification is pass/fail only "
                      "(PASS_FAIL_ONLY), so no criterion is weighted or scored");
}

bool HasWeightedCriteria(const Lot& lot) {
  return std::any_of(lot.criteria.begin(), lot.criteria.end(),
                     [](const Criterion& c) { return c.kind == CriterionKind::kWeighted; });
}

absl::Status ValidateLot(const Lot& lot, QualificationMode mode, absl::string_view path) {
  if (lot.code.empty()) return InvalidField(At(path, "code"), "must not be empty");
  if (lot.name.empty()) return InvalidField(At(path, "name"), "must not be empty");
  if (absl::Status s = ValidateCriteria(lot.criteria, mode, path); !s.ok()) return s;
  if (absl::Status s = ValidateTerms(lot.terms, path); !s.ok()) return s;
  if (absl::Status s = ValidateWeights(lot, mode, path); !s.ok()) return s;
  if (absl::Status s = ValidateParentalChoice(lot.parental_choice, path); !s.ok()) return s;
  const std::pair<const std::vector<std::string>*, absl::string_view> vocabularies[] = {
      {&lot.needs, "needs"},
      {&lot.features, "features"},
      {&lot.specialisms, "specialisms"},
      {&lot.placement_types, "placement_types"},
      {&lot.additional_services, "additional_services"},
  };
  for (const auto& [codes, field] : vocabularies) {
    if (absl::Status s = ValidateCodes(*codes, path, field); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Validate(const PurchasingSystem& system) {
  if (system.id.empty()) return InvalidField("id", "must not be empty");
  if (system.lead_authority.empty()) return InvalidField("lead_authority", "must not be empty");
  if (absl::Status s =
          ValidateCodes(system.participating_authorities, "", "participating_authorities");
      !s.ok()) {
    return s;
  }
  if (absl::StatusOr<EffectiveRules> rules = ResolveRegime(system.regime, system.regime_config);
      !rules.ok()) {
    return rules.status();
  }
  if (absl::Status s = ValidateValidity(system.validity); !s.ok()) return s;
  if (absl::Status s = ValidateClosedPeriods(system.closed_periods); !s.ok()) return s;
  absl::flat_hash_set<absl::string_view> codes;
  for (size_t i = 0; i < system.lots.size(); ++i) {
    const std::string here = absl::StrCat("lots[", i, "]");
    if (absl::Status s = ValidateLot(system.lots[i], system.qualification_mode, here); !s.ok()) {
      return s;
    }
    if (!codes.insert(system.lots[i].code).second) {
      return InvalidField(At(here, "code"),
                          absl::StrCat("duplicate lot code \"", system.lots[i].code, "\""));
    }
  }
  return absl::OkStatus();
}

bool HasExpired(const PurchasingSystem& system, absl::Time at) {
  return UtcDay(at) >= ValidUntil(system.validity);
}

absl::Status CheckMayGoLive(const PurchasingSystem& system, absl::Time at) {
  if (!HasExpired(system, at)) return absl::OkStatus();
  // Going LIVE would open to applications and referrals a system the closing timer would close
  // again at its next tick: the lead extends its validity first (UpdatePurchasingSystem).
  return Forbidden("purchasing system",
                   absl::StrCat("cannot go LIVE: its period of validity ended on ",
                                absl::FormatCivilTime(ValidUntil(system.validity) - 1)));
}

absl::CivilDay ValidUntil(const ValidityPeriod& validity) {
  int months = validity.initial_months;
  for (int i = 0; i < validity.extensions_taken; ++i) months += validity.extension_months[i];
  return AddMonths(validity.start, months);
}

absl::CivilDay LatestPossibleEnd(const ValidityPeriod& validity) {
  int months = validity.initial_months;
  for (int m : validity.extension_months) months += m;
  return AddMonths(validity.start, months);
}

absl::Status TakeExtension(PurchasingSystem& system, absl::Time at) {
  if (HasExpired(system, at)) {
    return Forbidden("purchasing system",
                     absl::StrCat("cannot extend: it expired on ",
                                  absl::FormatCivilTime(ValidUntil(system.validity))));
  }
  if (system.validity.extensions_taken >=
      static_cast<int>(system.validity.extension_months.size())) {
    return Forbidden("purchasing system",
                     absl::StrCat("cannot extend: all ", system.validity.extension_months.size(),
                                  " allowed extensions have been taken"));
  }
  ++system.validity.extensions_taken;
  return absl::OkStatus();
}

bool IsWindowOpen(const PurchasingSystem& system, absl::Time at) {
  const absl::CivilDay day = UtcDay(at);
  if (day < system.validity.start || day >= ValidUntil(system.validity)) return false;
  return std::none_of(system.closed_periods.begin(), system.closed_periods.end(),
                      [day](const ClosedPeriod& p) { return p.first <= day && day <= p.last; });
}

absl::Status AddLot(PurchasingSystem& system, Lot lot, absl::Time at) {
  if (HasExpired(system, at)) {
    return Forbidden("purchasing system", "cannot add a lot: the system has expired");
  }
  const std::string here = absl::StrCat("lots[", system.lots.size(), "]");
  if (absl::Status s = ValidateLot(lot, system.qualification_mode, here); !s.ok()) return s;
  if (FindLot(system, lot.code) != nullptr) {
    return InvalidField(At(here, "code"), absl::StrCat("duplicate lot code \"", lot.code, "\""));
  }
  lot.added_at = at;
  system.lots.push_back(std::move(lot));
  return absl::OkStatus();
}

absl::Status AddParticipatingAuthority(PurchasingSystem& system, std::string authority) {
  if (authority.empty()) return InvalidField("authority", "must not be empty");
  if (IsParticipatingAuthority(system, authority)) {
    return InvalidField("authority", absl::StrCat("\"", authority, "\" already participates"));
  }
  system.participating_authorities.push_back(std::move(authority));
  return absl::OkStatus();
}

bool IsParticipatingAuthority(const PurchasingSystem& system, absl::string_view organisation) {
  if (organisation.empty()) return false;
  if (system.lead_authority == organisation) return true;
  return std::find(system.participating_authorities.begin(), system.participating_authorities.end(),
                   organisation) != system.participating_authorities.end();
}

absl::Status ChangeCriteria(PurchasingSystem& system, absl::string_view lot_code,
                            std::vector<Criterion> criteria) {
  absl::StatusOr<EffectiveRules> rules = ResolveRegime(system.regime, system.regime_config);
  if (!rules.ok()) return rules.status();
  if (!rules->conditions_may_change) {
    return Forbidden("purchasing system",
                     absl::StrCat("cannot change criteria: membership conditions are fixed for "
                                  "the life of a ",
                                  RegimeName(system.regime), " system"));
  }
  auto it = std::find_if(system.lots.begin(), system.lots.end(),
                         [lot_code](const Lot& l) { return l.code == lot_code; });
  if (it == system.lots.end()) {
    return absl::NotFoundError(absl::StrCat("lot \"", lot_code, "\" not found"));
  }
  const std::string here = absl::StrCat("lots[", it - system.lots.begin(), "]");
  for (size_t i = 0; i < criteria.size(); ++i) {
    const Criterion* old = FindCriterion(it->criteria, criteria[i].code);
    if (old == nullptr) continue;
    const bool changed = old->title != criteria[i].title || old->kind != criteria[i].kind ||
                         old->weight != criteria[i].weight;
    if (changed && criteria[i].version <= old->version) {
      return InvalidField(absl::StrCat(Index(here, "criteria", i), ".version"),
                          absl::StrCat("a changed criterion needs a version above ", old->version,
                                       ", got ", criteria[i].version));
    }
  }
  Lot changed = *it;
  changed.criteria = std::move(criteria);
  if (absl::Status s = ValidateLot(changed, system.qualification_mode, here); !s.ok()) return s;
  *it = std::move(changed);
  return absl::OkStatus();
}

const Lot* FindLot(const PurchasingSystem& system, absl::string_view code) {
  for (const Lot& lot : system.lots) {
    if (lot.code == code) return &lot;
  }
  return nullptr;
}

absl::Status CheckCriterionDraft(const CriterionDraft& draft, QualificationMode mode,
                                 absl::string_view path) {
  if (draft.code.empty()) return InvalidField(absl::StrCat(path, ".code"), "required");
  if (draft.title.empty()) return InvalidField(absl::StrCat(path, ".title"), "required");
  if (!draft.kind) {
    return InvalidField(absl::StrCat(path, ".kind"), "required: PASS_FAIL or WEIGHTED");
  }
  if (!draft.retired) {
    if (absl::Status s = CheckCriterionKind(mode, *draft.kind, absl::StrCat(path, ".kind"));
        !s.ok()) {
      return s;
    }
  }
  if (*draft.kind == CriterionKind::kWeighted && (draft.weight <= 0 || draft.weight > 100)) {
    return InvalidField(
        absl::StrCat(path, ".weight"),
        absl::StrCat("a weighted criterion's weight must be 1-100, got ", draft.weight));
  }
  if (*draft.kind == CriterionKind::kPassFail && draft.weight != 0) {
    return InvalidField(absl::StrCat(path, ".weight"), "a pass/fail criterion has no weight");
  }
  return absl::OkStatus();
}

absl::Status CheckCriteriaFitMode(QualificationMode mode,
                                  const std::vector<CriterionInForce>& criteria,
                                  absl::string_view field) {
  if (mode != QualificationMode::kPassFailOnly) return absl::OkStatus();
  for (const CriterionInForce& criterion : criteria) {
    if (criterion.retired || criterion.kind != CriterionKind::kWeighted) continue;
    return InvalidField(
        field, absl::StrCat("cannot be PASS_FAIL_ONLY while criterion ", criterion.id, " (",
                            criterion.code, ") is WEIGHTED: retire it or make it PASS_FAIL first"));
  }
  return absl::OkStatus();
}

}  // namespace dps::qualification
