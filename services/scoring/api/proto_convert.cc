#include "services/scoring/api/proto_convert.h"

#include <charconv>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dps::scoring {

namespace {

namespace common = ::dps::common::v1;

constexpr int kDefaultPermanenceMinMonths = 9;
constexpr int kDefaultParentalChoiceMaxBids = 3;
constexpr double kDefaultParentalChoiceWithinPoints = 5.0;

absl::Status Required(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
}

GeoPoint FromProto(const common::GeoPoint& point) { return {point.latitude(), point.longitude()}; }

void SetMoney(int64_t pence, common::Money* money) { money->set_pence(pence); }

// The proto's own bounds: 0001-01-01 to 9999-12-31, nanos 0-999999999.
bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() >= -62'135'596'800 && timestamp.seconds() <= 253'402'300'799 &&
         timestamp.nanos() >= 0 && timestamp.nanos() <= 999'999'999;
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

void ToProto(absl::Time time, google::protobuf::Timestamp* timestamp) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp->set_seconds(seconds);
  timestamp->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
}

std::vector<MarkedCode> FromProto(const google::protobuf::RepeatedPtrField<v1::MarkedCode>& codes) {
  std::vector<MarkedCode> result;
  result.reserve(codes.size());
  for (const v1::MarkedCode& code : codes) result.push_back({code.code(), code.marks()});
  return result;
}

absl::StatusOr<Bid> FromProto(const v1::Bid& in, int index) {
  // The field name is built only on an error path: this runs once per bid.
  const auto field = [index](absl::string_view name) {
    return absl::StrCat("bids[", index, "].", name);
  };
  if (!in.has_establishment_location()) return Required(field("establishment_location"));
  if (!in.has_ceiling_fee()) return Required(field("ceiling_fee"));
  if (!in.has_core_fee()) return Required(field("core_fee"));
  if (!in.has_submitted_at()) return Required(field("submitted_at"));
  Bid bid;
  bid.id = in.id();
  bid.establishment_location = FromProto(in.establishment_location());
  bid.ceiling_fee_pence = in.ceiling_fee().pence();
  bid.core_fee_pence = in.core_fee().pence();
  bid.additional_services.reserve(in.additional_services_size());
  for (const v1::AdditionalService& service : in.additional_services()) {
    bid.additional_services.push_back({service.code(), service.units(), service.rate().pence()});
  }
  bid.needs_met.assign(in.needs_met().begin(), in.needs_met().end());
  bid.features_met.assign(in.features_met().begin(), in.features_met().end());
  bid.qualification_score = in.qualification_score();
  bid.outcome_scores.assign(in.outcome_scores().begin(), in.outcome_scores().end());
  if (!IsValidTimestamp(in.submitted_at())) {
    return absl::InvalidArgumentError(field("submitted_at: not a valid timestamp"));
  }
  bid.submitted_at = ToTime(in.submitted_at());
  bid.fee_justification = in.fee_justification();
  bid.ineligible_at_close = in.ineligible_at_close();
  bid.ineligibility_reason = in.ineligibility_reason();
  return bid;
}

common::CeilingMode ToProto(CeilingMode mode) {
  return mode == CeilingMode::kHard ? common::CEILING_MODE_HARD : common::CEILING_MODE_INDICATIVE;
}

common::PriceBasis ToProto(PriceBasis basis) {
  switch (basis) {
    case PriceBasis::kWeekly:
      return common::PRICE_BASIS_WEEKLY;
    case PriceBasis::kMonthly:
      return common::PRICE_BASIS_MONTHLY;
    case PriceBasis::kAnnual:
      return common::PRICE_BASIS_ANNUAL;
  }
  return common::PRICE_BASIS_WEEKLY;
}

v1::ExclusionCode ToProto(ExclusionCode code) {
  switch (code) {
    case ExclusionCode::kMissingMustHaveFeature:
      return v1::EXCLUSION_CODE_MISSING_MUST_HAVE_FEATURE;
    case ExclusionCode::kAboveCeiling:
      return v1::EXCLUSION_CODE_ABOVE_CEILING;
    case ExclusionCode::kAboveIndicativeUnjustified:
      return v1::EXCLUSION_CODE_ABOVE_INDICATIVE_UNJUSTIFIED;
    case ExclusionCode::kNotEligibleAtClose:
      return v1::EXCLUSION_CODE_NOT_ELIGIBLE_AT_CLOSE;
  }
  return v1::EXCLUSION_CODE_UNSPECIFIED;
}

void FillPrice(const Competition& competition, const Bid& bid, const EvaluatedPrice& price,
               v1::EvaluatedPrice* out) {
  out->set_price_basis(ToProto(competition.price_basis));
  SetMoney(bid.core_fee_pence, out->mutable_quoted_core_fee());
  SetMoney(price.core_weekly_pence, out->mutable_core_weekly_fee());
  out->set_sibling_discount_basis_points(price.sibling_basis_points);
  out->set_permanence_discount_basis_points(price.permanence_basis_points);
  SetMoney(price.discount_pence, out->mutable_discount());
  for (size_t i = 0; i < bid.additional_services.size(); ++i) {
    const AdditionalService& service = bid.additional_services[i];
    v1::AdditionalServiceCost* line = out->add_additional_services();
    line->set_code(service.code);
    line->set_units(service.units);
    SetMoney(service.rate_pence, line->mutable_rate());
    SetMoney(price.additional_services[i].period_cost_pence, line->mutable_period_cost());
    SetMoney(price.additional_services[i].weekly_cost_pence, line->mutable_weekly_cost());
  }
  SetMoney(price.additional_services_weekly_pence, out->mutable_additional_services_weekly());
  SetMoney(price.evaluated_weekly_pence, out->mutable_evaluated_weekly_price());
}

// The codes of `list` whose bit is set in `mask`, in the referral's order. Assigning into Add()
// copies each code once, with no temporary string.
template <typename List, typename CodeOf>
void AddCodesMet(const List& list, uint64_t mask, CodeOf code_of,
                 google::protobuf::RepeatedPtrField<std::string>* out) {
  for (; mask != 0; mask &= mask - 1) out->Add()->assign(code_of(list[__builtin_ctzll(mask)]));
}

void FillScores(const Competition& competition, const Evaluation& evaluation,
                const ScoredBid& scored, v1::ScoreBreakdown* out) {
  const Weights& w = competition.weights;
  const Bid& bid = competition.bids[scored.bid_index];
  const auto code_of = [](const MarkedCode& marked) -> const std::string& { return marked.code; };

  v1::PriceScore* price = out->mutable_price();
  price->set_weight(w.price);
  SetMoney(scored.price.evaluated_weekly_pence, price->mutable_evaluated_weekly_price());
  SetMoney(evaluation.lowest_evaluated_weekly_pence,
           price->mutable_lowest_evaluated_weekly_price());
  price->set_points(scored.points.price);

  v1::OutcomesScore* outcomes = out->mutable_outcomes();
  outcomes->set_weight(w.outcomes);
  outcomes->mutable_evaluator_scores()->Add(bid.outcome_scores.begin(), bid.outcome_scores.end());
  outcomes->set_mean_score(scored.outcome_mean);
  outcomes->set_pending(scored.outcomes_pending);
  outcomes->set_points(scored.points.outcomes);

  v1::MarksScore* needs = out->mutable_needs();
  needs->set_weight(w.needs);
  needs->set_marks_met(scored.needs_marks_met);
  needs->set_marks_total(evaluation.needs_marks_total);
  AddCodesMet(competition.needs, scored.needs_met_mask, code_of, needs->mutable_codes_met());
  needs->set_points(scored.points.needs);

  v1::MarksScore* features = out->mutable_features();
  features->set_weight(w.features);
  features->set_marks_met(scored.desirable_marks_met);
  features->set_marks_total(evaluation.desirable_marks_total);
  AddCodesMet(competition.desirable_features, scored.desirable_met_mask, code_of,
              features->mutable_codes_met());
  features->set_points(scored.points.features);

  v1::LocationScore* location = out->mutable_location();
  location->set_weight(w.location);
  location->set_miles(scored.miles);
  // At most half the Earth's circumference, about 1.25 million hundredths: an int32.
  location->set_miles_hundredths(static_cast<int32_t>(scored.miles_hundredths));
  location->set_band(scored.band);
  location->set_points(scored.points.location);

  v1::CoreCompetencyScore* core = out->mutable_core_competency();
  core->set_weight(w.core_competency);
  core->set_qualification_score(bid.qualification_score);
  core->set_points(scored.points.core_competency);

  out->set_total(scored.total);
  out->set_total_quality(scored.total_quality);
}

}  // namespace

std::string FormatPoints(double points) {
  // Same digits as printf("%.2f") (both round the exact binary value), several times faster;
  // this runs nine times per bid.
  char buffer[48];
  const std::to_chars_result end =
      std::to_chars(buffer, buffer + sizeof(buffer), points, std::chars_format::fixed, 2);
  return std::string(buffer, end.ptr);
}

absl::StatusOr<Competition> FromProto(const v1::EvaluateRequest& request) {
  Competition competition;
  if (request.has_weights()) {
    const common::Weights& w = request.weights();
    competition.weights = {w.price(),    w.outcomes(), w.needs(),
                           w.features(), w.location(), w.core_competency()};
  }
  if (!request.has_child_location()) return Required("child_location");
  competition.child_location = FromProto(request.child_location());
  competition.needs = FromProto(request.needs());
  competition.must_have_features.assign(request.must_have_features().begin(),
                                        request.must_have_features().end());
  competition.desirable_features = FromProto(request.desirable_features());

  const common::DiscountRates& rates = request.discount_rates();
  competition.discount_rates = {rates.sibling_basis_points(), rates.permanence_basis_points(),
                                rates.permanence_min_months() == 0 ? kDefaultPermanenceMinMonths
                                                                   : rates.permanence_min_months()};
  // proto3 cannot tell 0 from unset; one child is the only meaningful reading of 0.
  competition.sibling_group_size =
      request.sibling_group_size() == 0 ? 1 : request.sibling_group_size();
  competition.planned_duration_months = request.planned_duration_months();

  switch (request.ceiling_mode()) {
    case common::CEILING_MODE_HARD:
      competition.ceiling_mode = CeilingMode::kHard;
      break;
    case common::CEILING_MODE_INDICATIVE:
      competition.ceiling_mode = CeilingMode::kIndicative;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("ceiling_mode: must be CEILING_MODE_HARD or CEILING_MODE_INDICATIVE, got ",
                       request.ceiling_mode()));
  }
  switch (request.price_basis()) {
    case common::PRICE_BASIS_UNSPECIFIED:
    case common::PRICE_BASIS_WEEKLY:
      competition.price_basis = PriceBasis::kWeekly;
      break;
    case common::PRICE_BASIS_MONTHLY:
      competition.price_basis = PriceBasis::kMonthly;
      break;
    case common::PRICE_BASIS_ANNUAL:
      competition.price_basis = PriceBasis::kAnnual;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("price_basis: must be a PriceBasis value, got ", request.price_basis()));
  }

  const common::ParentalChoiceSettings& choice = request.parental_choice();
  competition.parental_choice.enabled = choice.enabled();
  competition.parental_choice.max_bids =
      choice.max_bids() == 0 ? kDefaultParentalChoiceMaxBids : choice.max_bids();
  competition.parental_choice.within_points =
      choice.within_points() == 0 ? kDefaultParentalChoiceWithinPoints : choice.within_points();

  competition.bids.reserve(request.bids_size());
  for (int i = 0; i < request.bids_size(); ++i) {
    absl::StatusOr<Bid> bid = FromProto(request.bids(i), i);
    if (!bid.ok()) return bid.status();
    competition.bids.push_back(*std::move(bid));
  }
  return competition;
}

void ToProto(const Competition& competition, const Evaluation& evaluation,
             v1::EvaluateResponse* response) {
  response->Clear();
  response->mutable_bids()->Reserve(static_cast<int>(evaluation.bids.size()));
  for (const ScoredBid& scored : evaluation.bids) {
    const Bid& bid = competition.bids[scored.bid_index];
    v1::ScoredBid* out = response->add_bids();
    out->set_bid_id(bid.id);
    out->set_compliant(scored.compliant);
    for (const ExclusionReason& reason : scored.exclusion_reasons) {
      v1::ExclusionReason* reason_out = out->add_exclusion_reasons();
      reason_out->set_code(ToProto(reason.code));
      reason_out->set_detail(reason.detail);
    }
    FillPrice(competition, bid, scored.price, out->mutable_evaluated_price());

    v1::CeilingCheck* ceiling = out->mutable_ceiling_check();
    ceiling->set_mode(ToProto(competition.ceiling_mode));
    SetMoney(bid.ceiling_fee_pence, ceiling->mutable_quoted_ceiling_fee());
    SetMoney(scored.ceiling_weekly_pence, ceiling->mutable_ceiling_weekly_fee());
    ceiling->set_fee_above_ceiling(scored.fee_above_ceiling);
    ceiling->set_justified(competition.ceiling_mode == CeilingMode::kIndicative &&
                           scored.fee_above_ceiling && scored.compliant);

    if (scored.compliant) FillScores(competition, evaluation, scored, out->mutable_scores());
    out->set_rank(scored.rank);
    out->set_in_parental_choice(scored.in_parental_choice);
    ToProto(bid.submitted_at, out->mutable_submitted_at());
    if (scored.compliant && scored.outcomes_pending && competition.weights.outcomes > 0) {
      response->add_bids_awaiting_outcome_scores(bid.id);
    }
  }
  response->set_ranking_status(evaluation.ranking_final ? v1::RANKING_STATUS_FINAL
                                                        : v1::RANKING_STATUS_PROVISIONAL);
  if (evaluation.has_lowest_price) {
    SetMoney(evaluation.lowest_evaluated_weekly_pence,
             response->mutable_lowest_evaluated_weekly_price());
  }
  for (size_t index : evaluation.parental_choice) {
    response->add_parental_choice_bid_ids(competition.bids[evaluation.bids[index].bid_index].id);
  }
  response->set_parental_choice_required(evaluation.parental_choice_required);
  response->set_compliant_bid_count(evaluation.compliant_count);
  response->set_excluded_bid_count(static_cast<int>(evaluation.bids.size()) -
                                   evaluation.compliant_count);
}

}  // namespace dps::scoring
