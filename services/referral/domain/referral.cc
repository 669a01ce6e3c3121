#include "services/referral/domain/referral.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "platform/codes/codes.h"
#include "platform/errors/errors.h"
#include "platform/weights/weights.h"
#include "services/referral/domain/shared.h"

namespace dps::referral {
namespace {

using platform::Forbidden;
using platform::InvalidField;

bool IsOneOf(ReferralState state, std::initializer_list<ReferralState> states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

absl::Status Refuse(absl::string_view action, ReferralState state) {
  return Forbidden("referral", absl::StrCat("cannot ", action, " a referral that is ",
                                            ReferralStateName(state)));
}

void Move(Referral& referral, ReferralState to, const Actor& by, absl::string_view reason,
          absl::Time now) {
  referral.history.push_back({now, by, referral.state, to, std::string(reason)});
  referral.state = to;
}

// Codes present, each by the code rule (platform/codes/codes.h), unique and at most
// kMaxCodesPerList; `code_of` reads the code of one entry.
template <typename Entry, typename CodeOf>
absl::Status ValidateCodes(absl::string_view field, const std::vector<Entry>& entries,
                           CodeOf code_of, absl::flat_hash_set<std::string>& seen) {
  if (entries.size() > static_cast<size_t>(kMaxCodesPerList)) {
    return InvalidField(field,
                        absl::StrCat("at most ", kMaxCodesPerList, " codes, got ", entries.size()));
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& code = code_of(entries[i]);
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (code.empty()) return InvalidField(at, "code required");
    if (auto s = platform::CheckCode(at, code); !s.ok()) return s;
    if (!seen.insert(code).second) {
      return InvalidField(at, absl::StrCat("'", code, "' is listed twice"));
    }
  }
  return absl::OkStatus();
}

const std::string& CodeOfMarked(const MarkedCode& m) { return m.code; }
const std::string& CodeOfString(const std::string& s) { return s; }

absl::Status ValidateMarks(absl::string_view field, const std::vector<MarkedCode>& codes) {
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i].marks < 1 || codes[i].marks > 100) {
      return InvalidField(absl::StrCat(field, "[", i, "].marks"),
                          absl::StrCat("must be 1 to 100, got ", codes[i].marks));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateKindAndChildren(const ReferralSpec& spec) {
  if (spec.kind == ReferralKind::kIndividual && spec.children.size() > 1) {
    return InvalidField("spec.children",
                        absl::StrCat("an INDIVIDUAL referral is for one child, got ",
                                     spec.children.size(), "; use COHORT for several"));
  }
  if (spec.kind == ReferralKind::kCohort && spec.children.size() == 1) {
    return InvalidField("spec.children", "a COHORT referral is for two or more children, got 1");
  }
  if (auto s = ValidateChildren("spec.children", spec.children); !s.ok()) return s;
  if (spec.sibling_group_size < 0) {
    return InvalidField("spec.sibling_group_size",
                        absl::StrCat("must not be negative, got ", spec.sibling_group_size));
  }
  if (spec.kind == ReferralKind::kIndividual && spec.sibling_group_size > 1) {
    return InvalidField("spec.sibling_group_size",
                        "an INDIVIDUAL referral places one child; use COHORT for a sibling group");
  }
  if (spec.kind == ReferralKind::kCohort && !spec.children.empty() &&
      (spec.sibling_group_size == 1 ||
       spec.sibling_group_size > static_cast<int>(spec.children.size()))) {
    return InvalidField("spec.sibling_group_size",
                        absl::StrCat("must be 2 to the number of children (", spec.children.size(),
                                     "), or 0 for all of them; got ", spec.sibling_group_size));
  }
  return absl::OkStatus();
}

absl::Status ValidateFilters(const Filters& filters) {
  absl::flat_hash_set<std::string> placement_types, specialisms;
  if (auto s = ValidateCodes("spec.filters.placement_type_codes", filters.placement_type_codes,
                             CodeOfString, placement_types);
      !s.ok()) {
    return s;
  }
  if (auto s = ValidateCodes("spec.filters.specialism_codes", filters.specialism_codes,
                             CodeOfString, specialisms);
      !s.ok()) {
    return s;
  }
  if (filters.max_ceiling_fee_pence && *filters.max_ceiling_fee_pence <= 0) {
    return InvalidField("spec.filters.max_ceiling_fee",
                        absl::StrCat("must be positive, got ", *filters.max_ceiling_fee_pence));
  }
  return absl::OkStatus();
}

// Every code of `codes` is one of `allowed`.
template <typename Entry, typename CodeOf>
absl::Status CheckFromLot(absl::string_view field, const std::vector<Entry>& codes, CodeOf code_of,
                          const std::vector<std::string>& allowed, absl::string_view lot_list) {
  for (size_t i = 0; i < codes.size(); ++i) {
    const std::string& code = code_of(codes[i]);
    if (std::find(allowed.begin(), allowed.end(), code) == allowed.end()) {
      return InvalidField(absl::StrCat(field, "[", i, "]"),
                          absl::StrCat("'", code, "' is not one of the lot's ", lot_list));
    }
  }
  return absl::OkStatus();
}

absl::Time StartOfDay(absl::CivilDay day) { return absl::FromCivil(day, absl::UTCTimeZone()); }

// In hours, as systems configure it ("72 hours"), with days beside a PCR-length period
// ("240 hours, 10 days").
std::string DescribePeriod(absl::Duration period) {
  const int64_t hours = absl::ToInt64Hours(period);
  if (hours >= 24 * 7 && hours % 24 == 0) {
    return absl::StrCat(hours, " hours, ", hours / 24, " days");
  }
  return absl::StrCat(hours, hours == 1 ? " hour" : " hours");
}

// The deadline leaves at least the response period after `now`.
absl::Status CheckResponsePeriod(absl::string_view field, absl::Time deadline, const LotRules& lot,
                                 absl::Time now) {
  if (deadline < now + lot.min_response_period) {
    return InvalidField(
        field, absl::StrCat("must be at least the purchasing system's response "
                            "period (",
                            DescribePeriod(lot.min_response_period), ") after now, ",
                            absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now, absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

absl::Status CheckRadius(absl::string_view field, double radius, double current) {
  if (!std::isfinite(radius) || radius <= current) {
    return InvalidField(field, absl::StrFormat("must be greater than the current radius (%g "
                                               "miles), got %g",
                                               current, radius));
  }
  return absl::OkStatus();
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <typename T>
bool IsSubset(const std::vector<T>& small, const std::vector<T>& large) {
  return std::all_of(small.begin(), small.end(), [&](const T& v) {
    return std::find(large.begin(), large.end(), v) != large.end();
  });
}

}  // namespace

absl::string_view ReferralStateName(ReferralState state) {
  switch (state) {
    case ReferralState::kDraft:
      return "DRAFT";
    case ReferralState::kOpen:
      return "OPEN";
    case ReferralState::kClosed:
      return "CLOSED";
    case ReferralState::kEvaluated:
      return "EVALUATED";
    case ReferralState::kAwaitingParentalChoice:
      return "AWAITING_PARENTAL_CHOICE";
    case ReferralState::kAwarded:
      return "AWARDED";
    case ReferralState::kWithdrawn:
      return "WITHDRAWN";
    case ReferralState::kNoSuitableOffer:
      return "NO_SUITABLE_OFFER";
  }
  return "UNKNOWN";
}

absl::string_view ApprovalName(Approval approval) {
  switch (approval) {
    case Approval::kNotRequired:
      return "NOT_REQUIRED";
    case Approval::kPending:
      return "PENDING";
    case Approval::kApproved:
      return "APPROVED";
    case Approval::kRefused:
      return "REFUSED";
  }
  return "UNKNOWN";
}

bool Filters::empty() const {
  return placement_type_codes.empty() && specialism_codes.empty() && provision_types.empty() &&
         !max_ceiling_fee_pence;
}

bool Relaxes(const Filters& new_filters, const Filters& old_filters) {
  // "At least one of" lists relax by growing (or being dropped); "every one of" lists by
  // shrinking; the fee cap by rising (or being dropped).
  const bool placement_types =
      new_filters.placement_type_codes.empty() ||
      (!old_filters.placement_type_codes.empty() &&
       IsSubset(old_filters.placement_type_codes, new_filters.placement_type_codes));
  const bool provision_types = new_filters.provision_types.empty() ||
                               (!old_filters.provision_types.empty() &&
                                IsSubset(old_filters.provision_types, new_filters.provision_types));
  const bool specialisms = IsSubset(new_filters.specialism_codes, old_filters.specialism_codes);
  const bool fee = !new_filters.max_ceiling_fee_pence ||
                   (old_filters.max_ceiling_fee_pence &&
                    *new_filters.max_ceiling_fee_pence >= *old_filters.max_ceiling_fee_pence);
  return placement_types && provision_types && specialisms && fee;
}

int EffectiveSiblingGroupSize(const ReferralSpec& spec) {
  if (spec.sibling_group_size > 0) return spec.sibling_group_size;
  if (spec.kind == ReferralKind::kCohort) return static_cast<int>(spec.children.size());
  return 1;
}

absl::Time Referral::response_deadline() const {
  if (!rounds.empty()) return rounds.back().response_deadline;
  return spec.response_deadline.value_or(absl::InfinitePast());
}

double Referral::radius_miles() const {
  return rounds.empty() ? spec.radius_miles : rounds.back().radius_miles;
}

absl::Status ValidateSpec(const ReferralSpec& spec) {
  if (auto s = ValidateKindAndChildren(spec); !s.ok()) return s;
  if (!spec.postcode_district.empty()) {
    if (auto s =
            ValidatePostcodeDistrict("spec.location.postcode_district", spec.postcode_district);
        !s.ok()) {
      return s;
    }
  }
  absl::flat_hash_set<std::string> needs, features;
  if (auto s = ValidateCodes("spec.needs", spec.needs, CodeOfMarked, needs); !s.ok()) return s;
  if (auto s = ValidateMarks("spec.needs", spec.needs); !s.ok()) return s;
  // A feature is either a must-have or desirable, never both.
  if (auto s =
          ValidateCodes("spec.must_have_features", spec.must_have_features, CodeOfString, features);
      !s.ok()) {
    return s;
  }
  if (auto s =
          ValidateCodes("spec.desirable_features", spec.desirable_features, CodeOfMarked, features);
      !s.ok()) {
    return s;
  }
  if (auto s = ValidateMarks("spec.desirable_features", spec.desirable_features); !s.ok()) return s;
  for (size_t i = 0; i < spec.outcomes_sought.size(); ++i) {
    const std::string field = absl::StrCat("spec.outcomes_sought[", i, "]");
    if (auto s = RequireReason(field, spec.outcomes_sought[i]); !s.ok()) return s;
    if (auto s = ValidateText(field, spec.outcomes_sought[i]); !s.ok()) return s;
  }
  if (auto s = ValidateText("spec.description", spec.description); !s.ok()) return s;
  if (spec.planned_duration_months < 0 || spec.planned_duration_months > 240) {
    return InvalidField("spec.planned_duration_months",
                        absl::StrCat("must be 0 to 240, got ", spec.planned_duration_months));
  }
  if (!std::isfinite(spec.radius_miles) || spec.radius_miles < 0 || spec.radius_miles > 1000) {
    return InvalidField(
        "spec.radius_miles",
        absl::StrFormat("must be 0 (no radius) to 1000, got %g", spec.radius_miles));
  }
  if (auto s = ValidateFilters(spec.filters); !s.ok()) return s;
  if (spec.weights) {
    if (auto s = platform::CheckWeights("spec.weights", *spec.weights); !s.ok()) return s;
  }
  if (spec.incentive) {
    if (auto s = ValidateIncentive("spec.incentive", *spec.incentive); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Duration MinResponsePeriod(std::optional<absl::Duration> configured) {
  return configured.value_or(absl::Hours(24 * 10));
}

absl::Status CheckWeightsForLot(const ReferralSpec& spec, const LotRules& lot) {
  if (!spec.weights) return absl::OkStatus();
  return platform::CheckWeightsEarnable("spec.weights", *spec.weights,
                                        {.qualification_score = lot.qualification_scored},
                                        "the referral");
}

absl::Status CheckPublishable(const ReferralSpec& spec, const LotRules& lot, absl::Time now) {
  if (auto s = ValidateSpec(spec); !s.ok()) return s;
  if (spec.system_id.empty()) return InvalidField("spec.system_id", "required");
  if (spec.lot_id.empty()) return InvalidField("spec.lot_id", "required");
  if (spec.children.empty()) return InvalidField("spec.children", "at least one child required");
  if (spec.postcode_district.empty()) {
    return InvalidField("spec.location.postcode_district", "required");
  }
  if (spec.needs.empty()) return InvalidField("spec.needs", "at least one need required");
  if (!spec.start_date) return InvalidField("spec.start_date", "required");
  if (!spec.response_deadline) return InvalidField("spec.response_deadline", "required");
  if (auto s = CheckFromLot("spec.needs", spec.needs, CodeOfMarked, lot.needs, "needs"); !s.ok()) {
    return s;
  }
  if (auto s = CheckFromLot("spec.must_have_features", spec.must_have_features, CodeOfString,
                            lot.features, "features");
      !s.ok()) {
    return s;
  }
  if (auto s = CheckFromLot("spec.desirable_features", spec.desirable_features, CodeOfMarked,
                            lot.features, "features");
      !s.ok()) {
    return s;
  }
  if (auto s = CheckWeightsForLot(spec, lot); !s.ok()) return s;
  if (!lot.filters_may_exclude && !spec.filters.empty()) {
    return InvalidField("spec.filters",
                        "pre-selection filters are not allowed: under this purchasing system "
                        "every member of the lot is invited");
  }
  if (auto s = CheckResponsePeriod("spec.response_deadline", *spec.response_deadline, lot, now);
      !s.ok()) {
    return s;
  }
  if (*spec.response_deadline >= StartOfDay(*spec.start_date)) {
    return InvalidField("spec.response_deadline",
                        "must be before the placement's start date, so the competition closes "
                        "before the placement begins");
  }
  if (spec.incentive && *spec.incentive->achieve_by <= *spec.start_date) {
    return InvalidField("spec.incentive.achieve_by", "must be after the start date");
  }
  return absl::OkStatus();
}

absl::Status CreateDraft(Referral& referral, ReferralSpec spec, const Actor& by, absl::Time now) {
  if (auto s = ValidateSpec(spec); !s.ok()) return s;
  if (spec.system_id.empty()) return InvalidField("spec.system_id", "required");
  if (spec.lot_id.empty()) return InvalidField("spec.lot_id", "required");
  referral.spec = std::move(spec);
  referral.state = ReferralState::kDraft;
  referral.history.push_back({now, by, ReferralState::kDraft, ReferralState::kDraft, "created"});
  return absl::OkStatus();
}

absl::Status UpdateDraft(Referral& referral, ReferralSpec spec) {
  if (referral.state != ReferralState::kDraft) return Refuse("change", referral.state);
  if (auto s = ValidateSpec(spec); !s.ok()) return s;
  if (spec.system_id.empty()) return InvalidField("spec.system_id", "required");
  if (spec.lot_id.empty()) return InvalidField("spec.lot_id", "required");
  referral.spec = std::move(spec);
  return absl::OkStatus();
}

absl::Status Publish(Referral& referral, const LotRules& lot, int invited, const Actor& by,
                     absl::Time now) {
  if (referral.state != ReferralState::kDraft) return Refuse("publish", referral.state);
  if (auto s = CheckPublishable(referral.spec, lot, now); !s.ok()) return s;
  if (invited <= 0) {
    return Forbidden("referral",
                     "no establishment is eligible: widen the radius or relax the filters "
                     "before publishing");
  }
  // The weights rule again, now with what the referral lets a bid earn, so the engine never
  // refuses at close what was published.
  const Weights weights = referral.spec.weights.value_or(lot.default_weights);
  if (auto s = platform::CheckWeightsEarnable(
          "spec.weights", weights,
          {.needs = !referral.spec.needs.empty(),
           .desirable_features = !referral.spec.desirable_features.empty(),
           .outcomes = !referral.spec.outcomes_sought.empty(),
           .qualification_score = lot.qualification_scored},
          "the referral");
      !s.ok()) {
    return s;
  }
  referral.spec.weights = weights;
  referral.rounds = {
      {1, referral.spec.radius_miles, now, *referral.spec.response_deadline, invited}};
  referral.published_at = now;
  Move(referral, ReferralState::kOpen, by, "published", now);
  return absl::OkStatus();
}

absl::Status ExtendDeadline(Referral& referral, absl::Time new_deadline, absl::string_view reason,
                            const Actor& by, absl::Time now) {
  if (referral.state != ReferralState::kOpen)
    return Refuse("extend the deadline of", referral.state);
  if (now >= referral.response_deadline()) {
    return Forbidden("referral", "the response deadline has passed; the referral is closing");
  }
  if (new_deadline <= referral.response_deadline()) {
    return InvalidField("response_deadline", "must be later than the current response deadline");
  }
  if (referral.spec.start_date && new_deadline >= StartOfDay(*referral.spec.start_date)) {
    return InvalidField("response_deadline", "must be before the placement's start date");
  }
  if (auto s = RequireReason("reason", reason); !s.ok()) return s;
  referral.rounds.back().response_deadline = new_deadline;
  referral.spec.response_deadline = new_deadline;
  referral.history.push_back(
      {now, by, referral.state, referral.state, absl::StrCat("deadline extended: ", reason)});
  return absl::OkStatus();
}

absl::Status WidenRadius(Referral& referral, double radius_miles,
                         std::optional<absl::Time> new_deadline, const LotRules& lot,
                         int newly_invited, const Actor& by, absl::Time now) {
  if (referral.state != ReferralState::kOpen) return Refuse("widen the radius of", referral.state);
  if (now >= referral.response_deadline()) {
    return Forbidden("referral", "the response deadline has passed; the referral is closing");
  }
  if (!lot.filters_may_exclude) {
    return Forbidden("referral",
                     "every member of the lot was invited: under this purchasing system the "
                     "radius does not exclude anyone");
  }
  if (auto s = CheckRadius("radius_miles", radius_miles, referral.radius_miles()); !s.ok()) {
    return s;
  }
  const absl::Time deadline = new_deadline.value_or(referral.response_deadline());
  if (deadline < referral.response_deadline()) {
    return InvalidField("response_deadline", "must not be earlier than the current one");
  }
  if (auto s = CheckResponsePeriod(new_deadline ? "response_deadline" : "radius_miles", deadline,
                                   lot, now);
      !s.ok()) {
    if (!new_deadline) {
      return InvalidField("response_deadline",
                          "required: the current deadline leaves the newly invited less than the "
                          "purchasing system's response period");
    }
    return s;
  }
  if (referral.spec.start_date && deadline >= StartOfDay(*referral.spec.start_date)) {
    return InvalidField("response_deadline", "must be before the placement's start date");
  }
  // Earlier invitees keep their invitations; they simply get the later deadline too.
  referral.rounds.push_back(
      {static_cast<int>(referral.rounds.size()) + 1, radius_miles, now, deadline, newly_invited});
  referral.spec.radius_miles = radius_miles;
  referral.spec.response_deadline = deadline;
  referral.history.push_back({now, by, referral.state, referral.state,
                              absl::StrFormat("radius widened to %g miles: %d more invited",
                                              radius_miles, newly_invited)});
  return absl::OkStatus();
}

bool ShouldClose(const Referral& referral, const std::vector<InvitationAnswer>& invitations,
                 absl::Time now) {
  if (referral.state != ReferralState::kOpen) return false;
  if (now >= referral.response_deadline()) return true;
  // Close early when nobody is left to wait for: every invitee has answered or has been
  // suspended since (and so may not bid).
  for (const InvitationAnswer& invitation : invitations) {
    if (!invitation.answered && !invitation.suspended) return false;
  }
  return !invitations.empty();
}

absl::Status Close(Referral& referral, absl::string_view reason, absl::Time now) {
  if (referral.state != ReferralState::kOpen) return Refuse("close", referral.state);
  referral.closed_at = now;
  Move(referral, ReferralState::kClosed, {}, reason, now);
  return absl::OkStatus();
}

bool RankingMayYetSucceed(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return false;
    default:
      return true;
  }
}

absl::Status RecordRankingRefused(Referral& referral, absl::string_view reason, absl::Time now) {
  if (referral.state != ReferralState::kClosed) {
    return Refuse("record a refused ranking for", referral.state);
  }
  referral.ranking_refused_reason = std::string(reason);
  referral.history.push_back({now, Actor{}, referral.state, referral.state,
                              absl::StrCat("the bids could not be ranked: ", reason)});
  return absl::OkStatus();
}

absl::Status RecordRanking(Referral& referral, const RankingResult& ranking, absl::Time now) {
  if (referral.state != ReferralState::kClosed) return Refuse("rank", referral.state);
  if (!ranking.final) return absl::OkStatus();
  referral.evaluated_at = now;
  if (ranking.parental_choice_required) {
    if (ranking.parental_choice_bid_ids.size() < 2) {
      return absl::InternalError("parental choice required with fewer than two bids");
    }
    referral.parental_choice = ParentalChoice{ranking.parental_choice_bid_ids, "", "", {}};
    Move(referral, ReferralState::kAwaitingParentalChoice, {}, "ranking final", now);
  } else {
    Move(referral, ReferralState::kEvaluated, {}, "ranking final", now);
  }
  return absl::OkStatus();
}

absl::Status RecordParentalChoice(Referral& referral, absl::string_view chosen_bid_id,
                                  absl::string_view note, const Actor& by, absl::Time now) {
  if (referral.state != ReferralState::kAwaitingParentalChoice || !referral.parental_choice) {
    return Refuse("record a parental choice for", referral.state);
  }
  const std::vector<std::string>& shortlist = referral.parental_choice->shortlist_bid_ids;
  if (!Contains(shortlist, std::string(chosen_bid_id))) {
    return InvalidField("chosen_bid_id", absl::StrCat("must be one of the shortlist (",
                                                      absl::StrJoin(shortlist, ", "), "), got '",
                                                      chosen_bid_id, "'"));
  }
  if (auto s = ValidateText("note", note); !s.ok()) return s;
  referral.parental_choice->chosen_bid_id = std::string(chosen_bid_id);
  referral.parental_choice->note = std::string(note);
  referral.parental_choice->recorded_at = now;
  Move(referral, ReferralState::kEvaluated, by, "parental choice recorded", now);
  return absl::OkStatus();
}

absl::Status AwardBid(Referral& referral, const AwardRequest& request,
                      const AwardCandidate& candidate,
                      std::optional<int64_t> approval_threshold_pence, bool caller_is_commissioner,
                      const Actor& by, absl::Time now) {
  if (referral.state == ReferralState::kAwaitingParentalChoice) {
    return Forbidden("referral", "the family's choice among the shortlist must be recorded first");
  }
  if (referral.state != ReferralState::kEvaluated) return Refuse("award", referral.state);
  if (referral.award && referral.award->approval == Approval::kPending) {
    return Forbidden("referral", "an award already awaits a commissioner's approval");
  }
  if (request.bid_id.empty()) return InvalidField("bid_id", "required");
  if (candidate.bid_id != request.bid_id) {
    return absl::InternalError("award candidate is not the requested bid");
  }
  if (candidate.rank < 1) {
    return Forbidden("bid", "only a compliant, ranked bid can be awarded");
  }
  switch (request.basis) {
    case AwardBasis::kTopRanked:
      if (candidate.rank != 1) {
        return InvalidField("basis",
                            absl::StrCat("TOP_RANKED names the rank-1 bid; this bid is "
                                         "ranked ",
                                         candidate.rank, " (use OFFICER_CHOICE with a reason)"));
      }
      break;
    case AwardBasis::kParentalChoice:
      if (!referral.parental_choice || referral.parental_choice->chosen_bid_id.empty()) {
        return InvalidField("basis", "PARENTAL_CHOICE needs a recorded parental choice");
      }
      if (referral.parental_choice->chosen_bid_id != request.bid_id) {
        return InvalidField("bid_id", absl::StrCat("the family chose bid '",
                                                   referral.parental_choice->chosen_bid_id, "'"));
      }
      break;
    case AwardBasis::kOfficerChoice:
      if (auto s = RequireReason("reason", request.reason); !s.ok()) {
        return InvalidField("reason", "required for OFFICER_CHOICE");
      }
      break;
  }
  if (auto s = ValidateText("reason", request.reason); !s.ok()) return s;
  Award award{request.bid_id,
              request.basis,
              request.reason,
              candidate.evaluated_weekly_price_pence,
              Approval::kNotRequired,
              by.user_id,
              now,
              "",
              ""};
  const bool above_threshold = approval_threshold_pence &&
                               candidate.evaluated_weekly_price_pence > *approval_threshold_pence;
  if (above_threshold && caller_is_commissioner) {
    award.approval = Approval::kApproved;
    award.approval_decided_by = by.user_id;
    award.approval_reason = "awarded by a commissioner";
  } else if (above_threshold) {
    award.approval = Approval::kPending;
  }
  referral.award = std::move(award);
  if (referral.award->approval == Approval::kPending) {
    referral.history.push_back(
        {now, by, referral.state, referral.state, "award awaits a commissioner's approval"});
  } else {
    Move(referral, ReferralState::kAwarded, by, "awarded", now);
  }
  return absl::OkStatus();
}

absl::Status DecideApproval(Referral& referral, bool approve, absl::string_view reason,
                            const Actor& by, absl::Time now) {
  if (referral.state != ReferralState::kEvaluated || !referral.award ||
      referral.award->approval != Approval::kPending) {
    return Forbidden("referral", "no award awaits approval");
  }
  if (!approve) {
    if (auto s = RequireReason("reason", reason); !s.ok()) {
      return InvalidField("reason", "required when refusing an award");
    }
  }
  if (auto s = ValidateText("reason", reason); !s.ok()) return s;
  referral.award->approval = approve ? Approval::kApproved : Approval::kRefused;
  referral.award->approval_decided_by = by.user_id;
  referral.award->approval_reason = std::string(reason);
  if (approve) {
    Move(referral, ReferralState::kAwarded, by, "award approved", now);
  } else {
    referral.history.push_back(
        {now, by, referral.state, referral.state, absl::StrCat("award refused: ", reason)});
  }
  return absl::OkStatus();
}

absl::Status DeclareNoSuitableOffer(Referral& referral, absl::string_view reason, const Actor& by,
                                    absl::Time now) {
  if (!IsOneOf(referral.state, {ReferralState::kClosed, ReferralState::kEvaluated})) {
    return Refuse("declare no suitable offer for", referral.state);
  }
  if (referral.award && referral.award->approval == Approval::kPending) {
    return Forbidden("referral", "an award awaits a commissioner's approval");
  }
  if (auto s = RequireReason("reason", reason); !s.ok()) return s;
  referral.no_suitable_offer_reason = std::string(reason);
  Move(referral, ReferralState::kNoSuitableOffer, by, reason, now);
  return absl::OkStatus();
}

absl::Status Reopen(Referral& referral, double radius_miles, absl::Time new_deadline,
                    std::optional<Filters> filters, const LotRules& lot, int newly_invited,
                    const Actor& by, absl::Time now) {
  if (referral.state != ReferralState::kNoSuitableOffer) return Refuse("reopen", referral.state);
  if (lot.filters_may_exclude) {
    if (auto s = CheckRadius("radius_miles", radius_miles, referral.radius_miles()); !s.ok()) {
      return s;
    }
  } else if (radius_miles != referral.radius_miles()) {
    return InvalidField("radius_miles",
                        "every member of the lot was invited: under this purchasing system the "
                        "radius does not exclude anyone, so it cannot be widened");
  }
  if (filters) {
    if (!lot.filters_may_exclude && !filters->empty()) {
      return InvalidField("filters", "pre-selection filters are not allowed in this system");
    }
    if (!Relaxes(*filters, referral.spec.filters)) {
      return InvalidField("filters",
                          "may be relaxed, never tightened, so every earlier invitee stays "
                          "eligible");
    }
  }
  if (auto s = CheckResponsePeriod("response_deadline", new_deadline, lot, now); !s.ok()) return s;
  referral.rounds.push_back({static_cast<int>(referral.rounds.size()) + 1, radius_miles, now,
                             new_deadline, newly_invited});
  referral.spec.radius_miles = radius_miles;
  referral.spec.response_deadline = new_deadline;
  if (filters) referral.spec.filters = *std::move(filters);
  referral.closed_at.reset();
  referral.evaluated_at.reset();
  referral.parental_choice.reset();
  referral.award.reset();
  referral.no_suitable_offer_reason.clear();
  referral.ranking_refused_reason.clear();
  Move(referral, ReferralState::kOpen, by,
       absl::StrFormat("reopened at %g miles: %d more invited", radius_miles, newly_invited), now);
  return absl::OkStatus();
}

absl::Status Withdraw(Referral& referral, absl::string_view reason, const Actor& by,
                      absl::Time now) {
  if (!IsOneOf(referral.state,
               {ReferralState::kDraft, ReferralState::kOpen, ReferralState::kClosed,
                ReferralState::kEvaluated, ReferralState::kAwaitingParentalChoice})) {
    return Refuse("withdraw", referral.state);
  }
  if (auto s = RequireReason("reason", reason); !s.ok()) return s;
  referral.withdrawal_reason = std::string(reason);
  if (referral.award && referral.award->approval == Approval::kPending) {
    referral.award->approval = Approval::kRefused;
    referral.award->approval_reason = "the referral was withdrawn";
  }
  Move(referral, ReferralState::kWithdrawn, by, reason, now);
  return absl::OkStatus();
}

}  // namespace dps::referral
