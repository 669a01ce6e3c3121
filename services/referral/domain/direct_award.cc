#include "services/referral/domain/direct_award.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/referral/domain/shared.h"

namespace dps::referral {
namespace {

using platform::Forbidden;
using platform::InvalidField;

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

absl::Status CheckRuleAllows(DirectAwardRule rule) {
  if (rule == DirectAwardRule::kNotAllowed) {
    return Forbidden("direct award",
                     "this purchasing system does not allow direct award: never under PCR 2015, "
                     "and a LIGHT_TOUCH or PA2023 system must enable it");
  }
  return absl::OkStatus();
}

absl::Status ValidateNotice(const std::optional<TransparencyNotice>& notice, DirectAwardRule rule,
                            absl::Time now) {
  if (!notice) {
    if (rule == DirectAwardRule::kWithJustificationAndTransparencyNotice) {
      return InvalidField("transparency_notice",
                          "required: this purchasing system publishes a transparency notice "
                          "before a direct award");
    }
    return absl::OkStatus();
  }
  // A notice given where none is required was published all the same, so it is checked and kept.
  if (auto s = RequireReason("transparency_notice.reference", notice->reference); !s.ok()) {
    return s;
  }
  if (!notice->published_at) return InvalidField("transparency_notice.published_at", "required");
  if (*notice->published_at >= now) {
    return InvalidField("transparency_notice.published_at",
                        absl::StrCat("must be before the award is made, ", Iso(now), ", got ",
                                     Iso(*notice->published_at)));
  }
  return absl::OkStatus();
}

absl::Status ValidateServices(const std::vector<AdditionalService>& services) {
  if (services.size() > static_cast<size_t>(kMaxAdditionalServices)) {
    return InvalidField("additional_services", absl::StrCat("at most ", kMaxAdditionalServices,
                                                            " lines, got ", services.size()));
  }
  absl::flat_hash_set<std::string> codes;
  for (size_t i = 0; i < services.size(); ++i) {
    const AdditionalService& service = services[i];
    const std::string at = absl::StrCat("additional_services[", i, "]");
    if (service.code.empty()) return InvalidField(absl::StrCat(at, ".code"), "required");
    if (!codes.insert(service.code).second) {
      return InvalidField(absl::StrCat(at, ".code"),
                          absl::StrCat("'", service.code, "' is listed twice"));
    }
    if (service.units <= 0 || service.units > kMaxServiceUnits) {
      return InvalidField(absl::StrCat(at, ".units"),
                          absl::StrCat("must be 1 to ", kMaxServiceUnits, ", got ", service.units));
    }
    if (auto s = ValidatePence(absl::StrCat(at, ".rate_pence"), service.rate_pence); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view DirectAwardStateName(DirectAwardState state) {
  switch (state) {
    case DirectAwardState::kMade:
      return "MADE";
    case DirectAwardState::kReviewed:
      return "REVIEWED";
  }
  return "UNKNOWN";
}

absl::Status ValidateDirectAward(const DirectAwardSpec& spec, DirectAwardRule rule,
                                 absl::Time now) {
  // A ranked call-off rests on the framework's ranking, not on the regime's direct award.
  const bool ranked = spec.basis == DirectAwardBasis::kRankedCallOff;
  if (!ranked) {
    if (auto s = CheckRuleAllows(rule); !s.ok()) return s;
  }
  if (spec.system_id.empty()) return InvalidField("system_id", "required");
  if (spec.lot_id.empty()) return InvalidField("lot_id", "required");
  if (spec.establishment_id.empty()) return InvalidField("establishment_id", "required");
  if (spec.children.empty()) return InvalidField("children", "at least one child required");
  if (auto s = ValidateChildren("children", spec.children); !s.ok()) return s;
  if (auto s = ValidatePostcodeDistrict("location.postcode_district", spec.postcode_district);
      !s.ok()) {
    return s;
  }
  // The provider reads the justification, so it is held to the rules of any text it reads.
  if (auto s = RequireReason("justification", spec.justification); !s.ok()) return s;
  if (auto s = ValidateText("justification", spec.justification); !s.ok()) return s;
  if (!spec.start_date) return InvalidField("start_date", "required");
  if (!spec.review_on) return InvalidField("review_on", "required");
  // A review on the first day would review nothing; one already past would be overdue when made.
  if (*spec.review_on <= *spec.start_date) {
    return InvalidField("review_on", absl::StrCat("must be after the start date, ",
                                                  absl::FormatCivilTime(*spec.start_date)));
  }
  if (*spec.review_on < DayOf(now)) {
    return InvalidField(
        "review_on", absl::StrCat("must not be before today, ", absl::FormatCivilTime(DayOf(now))));
  }
  if (auto s = ValidateNotice(spec.transparency_notice,
                              ranked ? DirectAwardRule::kWithJustification : rule, now);
      !s.ok()) {
    return s;
  }
  if (spec.planned_duration_months < 0 || spec.planned_duration_months > 240) {
    return InvalidField("planned_duration_months",
                        absl::StrCat("must be 0 to 240, got ", spec.planned_duration_months));
  }
  if (auto s = ValidatePence("core_fee", spec.core_fee_pence); !s.ok()) return s;
  if (auto s = ValidateServices(spec.additional_services); !s.ok()) return s;
  if (spec.incentive) {
    if (auto s = ValidateIncentive("incentive", *spec.incentive); !s.ok()) return s;
    if (*spec.incentive->achieve_by <= *spec.start_date) {
      return InvalidField("incentive.achieve_by", "must be after the start date");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCallOffBasis(const DirectAwardSpec& spec, bool call_off_by_ranking,
                               const std::vector<std::string>& ranking) {
  if (spec.basis == DirectAwardBasis::kRegime) {
    if (!spec.passed_over.empty()) {
      return InvalidField("passed_over", "only a RANKED_CALL_OFF passes over ranked members");
    }
    return absl::OkStatus();
  }
  if (!call_off_by_ranking) {
    return Forbidden("basis",
                     "RANKED_CALL_OFF: this purchasing system does not call off by ranking "
                     "(rules.call_off_by_ranking)");
  }
  const auto awarded = std::find(ranking.begin(), ranking.end(), spec.establishment_id);
  if (awarded == ranking.end()) {
    return Forbidden(
        "establishment_id",
        absl::StrCat(spec.establishment_id, " is not a QUALIFIED member of the lot's ranking"));
  }
  const absl::flat_hash_set<std::string> above(ranking.begin(), awarded);
  absl::flat_hash_set<std::string> named;
  for (size_t i = 0; i < spec.passed_over.size(); ++i) {
    const PassedOver& entry = spec.passed_over[i];
    const std::string at = absl::StrCat("passed_over[", i, "]");
    if (!above.contains(entry.establishment_id)) {
      return InvalidField(
          absl::StrCat(at, ".establishment_id"),
          absl::StrCat(platform::Quote(entry.establishment_id), " is not ranked above ",
                       spec.establishment_id, " in the lot"));
    }
    if (!named.insert(entry.establishment_id).second) {
      return InvalidField(absl::StrCat(at, ".establishment_id"),
                          absl::StrCat(entry.establishment_id, " is listed twice"));
    }
    if (auto s = RequireReason(absl::StrCat(at, ".reason"), entry.reason); !s.ok()) return s;
    if (auto s = ValidateText(absl::StrCat(at, ".reason"), entry.reason); !s.ok()) return s;
  }
  for (auto it = ranking.begin(); it != awarded; ++it) {
    if (!named.contains(*it)) {
      return InvalidField(
          "passed_over",
          absl::StrCat(*it, " is ranked ", (it - ranking.begin()) + 1, ", above ",
                       spec.establishment_id, " (ranked ", (awarded - ranking.begin()) + 1,
                       "): name it with the reason it is passed over"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DirectAward> MakeDirectAward(DirectAwardSpec spec, DirectAwardRule rule,
                                            const Actor& by, absl::Time now) {
  if (auto s = ValidateDirectAward(spec, rule, now); !s.ok()) return s;
  DirectAward award;
  award.spec = std::move(spec);
  award.state = DirectAwardState::kMade;
  award.made_at = now;
  award.made_by = by;
  return award;
}

bool ReviewDue(const DirectAward& award, absl::CivilDay today) {
  return award.state == DirectAwardState::kMade && award.spec.review_on &&
         *award.spec.review_on <= today;
}

absl::Status ReviewDirectAward(DirectAward& award, absl::string_view note, const Actor& by,
                               absl::Time now) {
  if (award.state != DirectAwardState::kMade) {
    return Forbidden("direct award", absl::StrCat("cannot review a direct award that is ",
                                                  DirectAwardStateName(award.state)));
  }
  if (award.spec.review_on && DayOf(now) < *award.spec.review_on) {
    return Forbidden("direct award",
                     absl::StrCat("the review is due on ",
                                  absl::FormatCivilTime(*award.spec.review_on), ", not before"));
  }
  if (auto s = RequireReason("review_note", note); !s.ok()) return s;
  if (auto s = ValidateText("review_note", note); !s.ok()) return s;
  award.state = DirectAwardState::kReviewed;
  award.reviewed_at = now;
  award.reviewed_by = by;
  award.review_note = std::string(note);
  return absl::OkStatus();
}

}  // namespace dps::referral
