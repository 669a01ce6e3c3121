#include "services/contracts/domain/kpi.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/errors/errors.h"
#include "platform/text/child_identity.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/ipa_internal.h"

namespace dps::contracts {
namespace {

using internal::DayOf;
using internal::IsOneOf;
using platform::Forbidden;
using platform::InvalidField;
using platform::Quote;

// Text read by someone other than its author: bounded, not blank, and identifying no child.
absl::Status RequireSafeText(absl::string_view field, absl::string_view text, size_t max) {
  if (absl::Status s = RequireText(field, text, max); !s.ok()) return s;
  return platform::RejectChildIdentifiers(field, text);
}

absl::Status ValidateCode(absl::string_view field, absl::string_view code) {
  if (code.empty()) return InvalidField(field, "required");
  bool valid = code.size() <= kMaxKpiCodeLength;
  for (const char c : code) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  }
  if (!valid) {
    return InvalidField(field, absl::StrCat("must be 1 to ", kMaxKpiCodeLength,
                                            " of a-z, 0-9 and '-', got ", Quote(code)));
  }
  return absl::OkStatus();
}

absl::Status ValidateDefinition(const std::string& field, const KpiDefinition& d) {
  if (absl::Status s = ValidateCode(field + ".code", d.code); !s.ok()) return s;
  if (absl::Status s = RequireText(field + ".title", d.title, kMaxNameLength); !s.ok()) return s;
  if (absl::Status s = ValidateLength(field + ".description", d.description, kMaxLongText);
      !s.ok()) {
    return s;
  }
  if (d.value_type == KpiValueType::kUnspecified) {
    return InvalidField(field + ".value_type", "required");
  }
  if (d.period_months < 1 || d.period_months > 12) {
    return InvalidField(field + ".period_months",
                        absl::StrCat("must be 1 to 12, got ", d.period_months));
  }
  if (absl::Status s = ValidateListSize(field + ".provision_types", d.provision_types.size());
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < d.provision_types.size(); ++i) {
    const std::string item = absl::StrCat(field, ".provision_types[", i, "]");
    if (d.provision_types[i] == ProvisionType::kUnspecified) return InvalidField(item, "required");
    if (std::find(d.provision_types.begin(), d.provision_types.begin() + i, d.provision_types[i]) !=
        d.provision_types.begin() + i) {
      return InvalidField(item,
                          absl::StrCat(ProvisionTypeName(d.provision_types[i]), " is given twice"));
    }
  }
  return absl::OkStatus();
}

// The value checked against its definition; `field` is "values[i]".
absl::Status ValidateValue(const std::string& field, const KpiValue& v, const KpiDefinition& d) {
  // Only the field of the type may be set: a text in a COUNT's value would otherwise be kept
  // without the checks a TEXT value gets.
  const bool integer = v.integer_value != 0;
  const bool basis_points = v.basis_points_value != 0;
  const bool yes = v.bool_value;
  const bool text = !v.text_value.empty();
  const std::pair<bool, const char*> others[] = {
      {integer && d.value_type != KpiValueType::kCount, "integer_value"},
      {basis_points && d.value_type != KpiValueType::kPercentage, "basis_points_value"},
      {yes && d.value_type != KpiValueType::kYesNo, "bool_value"},
      {text && d.value_type != KpiValueType::kText, "text_value"}};
  for (const auto& [set, name] : others) {
    if (set) {
      return InvalidField(absl::StrCat(field, ".", name),
                          absl::StrCat("must not be set for ", Quote(d.code), ", a ",
                                       KpiValueTypeName(d.value_type), " KPI"));
    }
  }
  switch (d.value_type) {
    case KpiValueType::kCount:
      if (v.integer_value < 0) {
        return InvalidField(field + ".integer_value",
                            absl::StrCat("must be 0 or more, got ", v.integer_value));
      }
      break;
    case KpiValueType::kPercentage:
      if (v.basis_points_value < 0 || v.basis_points_value > kMaxBasisPoints) {
        return InvalidField(field + ".basis_points_value",
                            absl::StrCat("must be 0 to ", kMaxBasisPoints, " basis points, got ",
                                         v.basis_points_value));
      }
      break;
    case KpiValueType::kText:
      return RequireSafeText(field + ".text_value", v.text_value, kMaxShortText);
    case KpiValueType::kYesNo:
    case KpiValueType::kUnspecified:
      break;
  }
  return absl::OkStatus();
}

// Start not after end.
absl::Status ValidateRange(absl::string_view field, const DateRange& range) {
  if (range.start > range.end) {
    return InvalidField(absl::StrCat(field, ".end"),
                        absl::StrCat("must not be before the start ", FormatDay(range.start),
                                     ", got ", FormatDay(range.end)));
  }
  return absl::OkStatus();
}

// The period of a return: within the placement, and over by today.
absl::Status ValidateReturnPeriod(const Ipa& ipa, const std::optional<DateRange>& period,
                                  absl::CivilDay today) {
  if (!period) return InvalidField("period", "required");
  if (absl::Status s = ValidateRange("period", *period); !s.ok()) return s;
  // The actual start once ACTIVE; before that the agreed start date (a SIGNED IPA whose start
  // date has not come has no period yet, and one that has is still waiting for the timer).
  std::optional<absl::CivilDay> first = ipa.actual_start_date;
  if (!first) first = ipa.terms().start_date;
  if (!first) return Forbidden("ipa", "has no start date");
  if (period->start < *first) {
    return InvalidField("period.start",
                        absl::StrCat("must be on or after the placement's start date, ",
                                     FormatDay(*first), ", got ", FormatDay(period->start)));
  }
  if (period->end > today) {
    return InvalidField("period.end", absl::StrCat("must not be after today, ", FormatDay(today),
                                                   ", got ", FormatDay(period->end)));
  }
  if (ipa.ended_on && period->end > *ipa.ended_on) {
    return InvalidField("period.end",
                        absl::StrCat("must not be after the placement's last day, ",
                                     FormatDay(*ipa.ended_on), ", got ", FormatDay(period->end)));
  }
  return absl::OkStatus();
}

// Every value names an applicable KPI once and is of its type; every applicable KPI is answered.
absl::Status ValidateValues(const Ipa& ipa, const KpiDefinitionSet& definitions,
                            const std::vector<KpiValue>& values) {
  if (values.size() > kMaxKpiDefinitions) {
    return InvalidField(
        "values", absl::StrCat("at most ", kMaxKpiDefinitions, " entries, got ", values.size()));
  }
  absl::flat_hash_set<std::string> answered;
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string field = absl::StrCat("values[", i, "]");
    const KpiValue& value = values[i];
    if (absl::Status s = ValidateCode(field + ".code", value.code); !s.ok()) return s;
    const KpiDefinition* definition = definitions.Find(value.code);
    if (definition == nullptr) {
      return InvalidField(
          field + ".code",
          absl::StrCat(Quote(value.code), " is not a KPI of system ", Quote(ipa.system_id)));
    }
    if (!AppliesTo(*definition, ipa.provision_type)) {
      return InvalidField(field + ".code",
                          absl::StrCat(Quote(value.code), " does not apply to ",
                                       ProvisionTypeName(ipa.provision_type), " placements"));
    }
    if (!answered.insert(value.code).second) {
      return InvalidField(field + ".code", absl::StrCat(Quote(value.code), " is given twice"));
    }
    if (absl::Status s = ValidateValue(field, value, *definition); !s.ok()) return s;
  }
  bool any = false;
  for (const KpiDefinition& definition : definitions.definitions) {
    if (!AppliesTo(definition, ipa.provision_type)) continue;
    any = true;
    if (!answered.contains(definition.code)) {
      return InvalidField("values",
                          absl::StrCat("must answer every KPI of the system for ",
                                       ProvisionTypeName(ipa.provision_type),
                                       " placements: ", Quote(definition.code), " is missing"));
    }
  }
  if (!any) {
    return Forbidden("kpi return",
                     absl::StrCat("system ", Quote(ipa.system_id), " defines no KPI for ",
                                  ProvisionTypeName(ipa.provision_type), " placements"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view ProvisionTypeName(ProvisionType type) {
  switch (type) {
    case ProvisionType::kInmss:
      return "INMSS";
    case ProvisionType::kSpecialistCollege:
      return "SPECIALIST_COLLEGE";
    case ProvisionType::kFostering:
      return "FOSTERING";
    case ProvisionType::kResidentialHome:
      return "RESIDENTIAL_HOME";
    case ProvisionType::kShortBreaks:
      return "SHORT_BREAKS";
    case ProvisionType::kAlternativeEducation:
      return "ALTERNATIVE_EDUCATION";
    case ProvisionType::kSupportedAccommodation:
      return "SUPPORTED_ACCOMMODATION";
    case ProvisionType::kBespokeIntervention:
      return "BESPOKE_INTERVENTION";
    case ProvisionType::kUnspecified:
      break;
  }
  return "PROVISION_TYPE_UNSPECIFIED";
}

std::string FormatRange(const DateRange& range) {
  return absl::StrCat(FormatDay(range.start), " to ", FormatDay(range.end));
}

bool Overlaps(const DateRange& a, const DateRange& b) {
  return a.start <= b.end && b.start <= a.end;
}

absl::string_view KpiValueTypeName(KpiValueType type) {
  switch (type) {
    case KpiValueType::kCount:
      return "COUNT";
    case KpiValueType::kPercentage:
      return "PERCENTAGE";
    case KpiValueType::kYesNo:
      return "YES_NO";
    case KpiValueType::kText:
      return "TEXT";
    case KpiValueType::kUnspecified:
      break;
  }
  return "KPI_VALUE_TYPE_UNSPECIFIED";
}

bool AppliesTo(const KpiDefinition& definition, ProvisionType type) {
  return definition.provision_types.empty() ||
         std::find(definition.provision_types.begin(), definition.provision_types.end(), type) !=
             definition.provision_types.end();
}

const KpiDefinition* KpiDefinitionSet::Find(absl::string_view code) const {
  for (const KpiDefinition& definition : definitions) {
    if (definition.code == code) return &definition;
  }
  return nullptr;
}

absl::Status SetKpiDefinitions(KpiDefinitionSet& set, std::vector<KpiDefinition> definitions,
                               const std::set<std::string>& codes_in_use,
                               absl::string_view lead_authority_id, const Actor& by,
                               absl::Time now) {
  if (by.role != Role::kLeadAuthorityAdmin || lead_authority_id.empty() ||
      by.organisation_id != lead_authority_id) {
    return absl::PermissionDeniedError(
        absl::StrCat("kpi definitions: only a LEAD_AUTHORITY_ADMIN of the lead authority ",
                     Quote(lead_authority_id), " sets the KPIs of system ", Quote(set.system_id),
                     "; the caller is ", RoleName(by.role), " of ", Quote(by.organisation_id)));
  }
  if (definitions.size() > kMaxKpiDefinitions) {
    return InvalidField("definitions", absl::StrCat("at most ", kMaxKpiDefinitions,
                                                    " entries, got ", definitions.size()));
  }
  absl::flat_hash_set<std::string> codes;
  for (size_t i = 0; i < definitions.size(); ++i) {
    const std::string field = absl::StrCat("definitions[", i, "]");
    if (absl::Status s = ValidateDefinition(field, definitions[i]); !s.ok()) return s;
    if (!codes.insert(definitions[i].code).second) {
      return InvalidField(field + ".code",
                          absl::StrCat(Quote(definitions[i].code), " is given twice"));
    }
  }
  for (const std::string& code : codes_in_use) {
    const auto kept = std::find_if(definitions.begin(), definitions.end(),
                                   [&](const KpiDefinition& d) { return d.code == code; });
    if (kept == definitions.end()) {
      return Forbidden(
          "kpi definitions",
          absl::StrCat("code ", Quote(code), " is used by KPI returns and cannot be removed"));
    }
    const KpiDefinition* before = set.Find(code);
    if (before != nullptr && before->value_type != kept->value_type) {
      return Forbidden("kpi definitions",
                       absl::StrCat("code ", Quote(code), " is used by KPI returns as ",
                                    KpiValueTypeName(before->value_type), " and cannot become ",
                                    KpiValueTypeName(kept->value_type)));
    }
  }
  set.definitions = std::move(definitions);
  set.updated_by = by;
  set.updated_at = now;
  return absl::OkStatus();
}

absl::string_view KpiReturnStateName(KpiReturnState state) {
  switch (state) {
    case KpiReturnState::kSubmitted:
      return "SUBMITTED";
    case KpiReturnState::kAccepted:
      return "ACCEPTED";
    case KpiReturnState::kQueried:
      return "QUERIED";
  }
  return "KPI_RETURN_STATE_UNSPECIFIED";
}

absl::StatusOr<KpiReturn> SubmitKpiReturn(const Ipa& ipa, const KpiDefinitionSet& definitions,
                                          const std::optional<KpiReturn>& existing,
                                          absl::string_view return_id, KpiReturnInput input,
                                          const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive, IpaState::kEnded})) {
    return internal::Refuse("submit a KPI return on", ipa.state);
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (*party != Party::kProvider) {
    return absl::PermissionDeniedError("kpi return: only the provider submits a KPI return");
  }
  if (definitions.system_id != ipa.system_id) {
    return absl::InternalError(absl::StrCat("kpi return: the definitions of system ",
                                            Quote(definitions.system_id), " given for IPA ",
                                            Quote(ipa.id), " of system ", Quote(ipa.system_id)));
  }
  const absl::CivilDay today = DayOf(now);
  if (absl::Status s = ValidateReturnPeriod(ipa, input.period, today); !s.ok()) return s;
  if (existing) {
    if (existing->ipa_id != ipa.id || existing->period != *input.period) {
      return absl::InternalError(
          absl::StrCat("kpi return ", Quote(existing->id), " is not of this IPA and period"));
    }
    if (existing->state != KpiReturnState::kQueried) {
      return Forbidden(
          "kpi return",
          absl::StrCat("IPA ", Quote(ipa.id), " has a return for ", FormatRange(*input.period),
                       " already (", Quote(existing->id), ", ", KpiReturnStateName(existing->state),
                       "); only a QUERIED return is submitted again"));
    }
  } else if (absl::Status s = ValidateId("kpi_return_id", return_id); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateValues(ipa, definitions, input.values); !s.ok()) return s;

  KpiReturn out;
  if (existing) {
    out = *existing;
  } else {
    out.id = std::string(return_id);
    out.ipa_id = ipa.id;
    out.system_id = ipa.system_id;
    out.lead_authority_id = ipa.lead_authority_id;
    out.placing_authority_id = ipa.parties.placing_authority_id;
    out.provider_id = ipa.parties.provider_id;
    out.establishment_id = ipa.parties.establishment_id;
    out.provision_type = ipa.provision_type;
    out.period = *input.period;
    out.first_submitted_at = now;
  }
  out.values = std::move(input.values);
  out.state = KpiReturnState::kSubmitted;
  out.submitted_by_user_id = by.user_id;
  out.submitted_at = now;
  ++out.submissions;
  return out;
}

bool MayReadKpiReturn(const KpiReturn& kpi_return, const Actor& actor) {
  switch (actor.role) {
    case Role::kPlacingOfficer:
    case Role::kCommissioner:
      return actor.organisation_id == kpi_return.placing_authority_id;
    case Role::kProviderUser:
      return actor.organisation_id == kpi_return.provider_id;
    case Role::kLeadAuthorityAdmin:
    case Role::kAuditor:
      return !kpi_return.lead_authority_id.empty() &&
             actor.organisation_id == kpi_return.lead_authority_id;
    case Role::kService:
      return true;
    case Role::kEvaluator:
      break;
  }
  return false;
}

absl::Status ReviewKpiReturn(KpiReturn& kpi_return, bool accept, absl::string_view query_note,
                             const Actor& by, absl::Time now) {
  const bool placing_authority =
      (by.role == Role::kPlacingOfficer || by.role == Role::kCommissioner) &&
      by.organisation_id == kpi_return.placing_authority_id;
  const bool lead_authority = by.role == Role::kLeadAuthorityAdmin &&
                              !kpi_return.lead_authority_id.empty() &&
                              by.organisation_id == kpi_return.lead_authority_id;
  if (!placing_authority && !lead_authority) {
    return absl::PermissionDeniedError(absl::StrCat(
        "kpi return: only a PLACING_OFFICER or COMMISSIONER of the placing authority ",
        Quote(kpi_return.placing_authority_id), " or a LEAD_AUTHORITY_ADMIN of the lead authority ",
        Quote(kpi_return.lead_authority_id), " reviews a KPI return; the caller is ",
        RoleName(by.role), " of ", Quote(by.organisation_id)));
  }
  if (kpi_return.state != KpiReturnState::kSubmitted) {
    return Forbidden("kpi return", absl::StrCat("cannot review a KPI return that is ",
                                                KpiReturnStateName(kpi_return.state)));
  }
  if (accept) {
    if (!query_note.empty()) {
      return InvalidField("query_note", "must be empty when the return is accepted");
    }
  } else if (absl::Status s = RequireSafeText("query_note", query_note, kMaxLongText); !s.ok()) {
    return s;
  }
  kpi_return.state = accept ? KpiReturnState::kAccepted : KpiReturnState::kQueried;
  if (!accept) kpi_return.query_note = std::string(query_note);
  kpi_return.reviewed_by = by;
  kpi_return.reviewed_at = now;
  return absl::OkStatus();
}

absl::string_view PerformanceRatingName(PerformanceRating rating) {
  switch (rating) {
    case PerformanceRating::kExceeds:
      return "EXCEEDS";
    case PerformanceRating::kMeets:
      return "MEETS";
    case PerformanceRating::kPartlyMeets:
      return "PARTLY_MEETS";
    case PerformanceRating::kDoesNotMeet:
      return "DOES_NOT_MEET";
    case PerformanceRating::kUnspecified:
      break;
  }
  return "PERFORMANCE_RATING_UNSPECIFIED";
}

absl::StatusOr<PerformanceReview> RecordPerformanceReview(absl::string_view review_id,
                                                          PerformanceReviewInput input,
                                                          absl::string_view lead_authority_id,
                                                          absl::string_view provider_id,
                                                          const std::vector<KpiReturn>& returns,
                                                          const Actor& by, absl::Time now) {
  if (by.role != Role::kLeadAuthorityAdmin || lead_authority_id.empty() ||
      by.organisation_id != lead_authority_id) {
    return absl::PermissionDeniedError(absl::StrCat(
        "performance review: only a LEAD_AUTHORITY_ADMIN of the lead authority ",
        Quote(lead_authority_id), " reviews performance in system ", Quote(input.system_id),
        "; the caller is ", RoleName(by.role), " of ", Quote(by.organisation_id)));
  }
  if (absl::Status s = ValidateId("review_id", review_id); !s.ok()) return s;
  if (absl::Status s = ValidateId("system_id", input.system_id); !s.ok()) return s;
  if (absl::Status s = ValidateId("establishment_id", input.establishment_id); !s.ok()) return s;
  if (provider_id.empty()) {
    return Forbidden("performance review",
                     absl::StrCat("establishment ", Quote(input.establishment_id),
                                  " has no placement in system ", Quote(input.system_id)));
  }
  if (!input.period) return InvalidField("period", "required");
  if (absl::Status s = ValidateRange("period", *input.period); !s.ok()) return s;
  const absl::CivilDay today = DayOf(now);
  if (input.period->end > today) {
    return InvalidField("period.end", absl::StrCat("must not be after today, ", FormatDay(today),
                                                   ", got ", FormatDay(input.period->end)));
  }
  if (input.rating == PerformanceRating::kUnspecified) {
    return InvalidField("rating", "required");
  }
  if (absl::Status s = RequireSafeText("findings", input.findings, kMaxShortText); !s.ok()) {
    return s;
  }
  if (!std::isfinite(input.recommended_score_delta) ||
      std::fabs(input.recommended_score_delta) > kMaxRecommendedScoreDelta) {
    return InvalidField("recommended_score_delta",
                        absl::StrFormat("must be within +/-%g points, got %g",
                                        kMaxRecommendedScoreDelta, input.recommended_score_delta));
  }
  if (absl::Status s = ValidateListSize("kpi_return_ids", input.kpi_return_ids.size()); !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < input.kpi_return_ids.size(); ++i) {
    const std::string field = absl::StrCat("kpi_return_ids[", i, "]");
    const std::string& id = input.kpi_return_ids[i];
    if (absl::Status s = ValidateId(field, id); !s.ok()) return s;
    if (std::find(input.kpi_return_ids.begin(), input.kpi_return_ids.begin() + i, id) !=
        input.kpi_return_ids.begin() + i) {
      return InvalidField(field, absl::StrCat(Quote(id), " is given twice"));
    }
    const auto found = std::find_if(returns.begin(), returns.end(),
                                    [&](const KpiReturn& r) { return r.id == id; });
    if (found == returns.end()) {
      return InvalidField(field, absl::StrCat("no KPI return ", Quote(id)));
    }
    if (found->system_id != input.system_id || found->establishment_id != input.establishment_id) {
      return InvalidField(field, absl::StrCat(Quote(id), " is not a return of establishment ",
                                              Quote(input.establishment_id), " in system ",
                                              Quote(input.system_id)));
    }
    if (found->state != KpiReturnState::kAccepted) {
      return InvalidField(field, absl::StrCat(Quote(id), " is ", KpiReturnStateName(found->state),
                                              ", not ACCEPTED"));
    }
    if (!Overlaps(found->period, *input.period)) {
      return InvalidField(
          field, absl::StrCat(Quote(id), " covers ", FormatRange(found->period),
                              ", outside the review's period ", FormatRange(*input.period)));
    }
  }

  PerformanceReview review;
  review.id = std::string(review_id);
  review.system_id = std::move(input.system_id);
  review.lead_authority_id = std::string(lead_authority_id);
  review.establishment_id = std::move(input.establishment_id);
  review.provider_id = std::string(provider_id);
  review.period = *input.period;
  review.rating = input.rating;
  review.findings = std::move(input.findings);
  review.kpi_return_ids = std::move(input.kpi_return_ids);
  review.recommended_score_delta = input.recommended_score_delta;
  review.reviewed_by = by;
  review.reviewed_at = now;
  return review;
}

}  // namespace dps::contracts
