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

// The proto's own bounds: 0001-01-01 to 9999-12-31, nanos 0-999999999.
bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() >= -62'135'596'800 && timestamp.seconds() <= 253'402'300'799 &&
         timestamp.nanos() >= 0 && timestamp.nanos() <= 999'999'999;
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
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
  if (!in.has_establishment_latitude()) return Required(field("establishment_latitude"));
  if (!in.has_establishment_longitude()) return Required(field("establishment_longitude"));
  if (!in.has_ceiling_fee_pence()) return Required(field("ceiling_fee_pence"));
  if (!in.has_core_fee_pence()) return Required(field("core_fee_pence"));
  if (!in.has_submitted_at()) return Required(field("submitted_at"));
  if (!IsValidTimestamp(in.submitted_at())) {
    return absl::InvalidArgumentError(field("submitted_at: not a valid timestamp"));
  }
  Bid bid;
  bid.id = in.id();
  bid.establishment_location = {in.establishment_latitude(), in.establishment_longitude()};
  bid.ceiling_fee_pence = in.ceiling_fee_pence();
  bid.core_fee_pence = in.core_fee_pence();
  for (const v1::AdditionalService& service : in.additional_services()) {
    bid.additional_services.push_back({service.units(), service.rate_pence()});
  }
  // The engine checks the claims against the lists (ValidateCompetition).
  bid.needs_met = in.needs_met();
  bid.must_have_met = in.must_have_features_met();
  bid.desirable_met = in.desirable_features_met();
  bid.qualification_score = in.qualification_score();
  bid.outcome_scores.assign(in.outcome_scores().begin(), in.outcome_scores().end());
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

void FillPrice(const Competition& competition, const Bid& bid, const ScoredBid& scored,
               v1::EvaluatedPrice* out) {
  const EvaluatedPrice& price = scored.price;
  out->set_quoted_core_fee_pence(bid.core_fee_pence);
  out->set_core_weekly_fee_pence(price.core_weekly_pence);
  out->set_sibling_discount_basis_points(price.sibling_basis_points);
  out->set_permanence_discount_basis_points(price.permanence_basis_points);
  out->set_discount_pence(price.discount_pence);
  for (const AdditionalServiceCost& cost : price.additional_services) {
    v1::AdditionalServiceCost* line = out->add_additional_services();
    line->set_period_cost_pence(cost.period_cost_pence);
    line->set_weekly_cost_pence(cost.weekly_cost_pence);
  }
  out->set_additional_services_weekly_pence(price.additional_services_weekly_pence);
  out->set_evaluated_weekly_price_pence(price.evaluated_weekly_pence);
  out->set_quoted_ceiling_fee_pence(bid.ceiling_fee_pence);
  out->set_ceiling_weekly_fee_pence(scored.ceiling_weekly_pence);
  out->set_fee_above_ceiling(scored.fee_above_ceiling);
  out->set_fee_justified(competition.ceiling_mode == CeilingMode::kIndicative &&
                         scored.fee_above_ceiling && scored.compliant);
}

void FillScores(const Competition& competition, const Evaluation& evaluation,
                const ScoredBid& scored, v1::ScoreBreakdown* out) {
  const Weights& w = competition.weights;
  const Bid& bid = competition.bids[scored.bid_index];
  const CriterionPoints& points = scored.points;

  out->set_price_points(points.price);
  out->set_price_weight(w.price);
  out->set_evaluated_weekly_price_pence(scored.price.evaluated_weekly_pence);
  out->set_lowest_evaluated_weekly_price_pence(evaluation.lowest_evaluated_weekly_pence);

  out->set_outcomes_points(points.outcomes);
  out->set_outcomes_weight(w.outcomes);
  out->mutable_evaluator_scores()->Add(bid.outcome_scores.begin(), bid.outcome_scores.end());
  out->set_outcomes_mean_score(scored.outcome_mean);
  out->set_outcomes_pending(scored.outcomes_pending);

  out->set_needs_points(points.needs);
  out->set_needs_weight(w.needs);
  out->set_needs_marks_met(scored.needs_marks_met);
  out->set_needs_marks_total(evaluation.needs_marks_total);
  out->set_needs_met(bid.needs_met);

  out->set_features_points(points.features);
  out->set_features_weight(w.features);
  out->set_features_marks_met(scored.desirable_marks_met);
  out->set_features_marks_total(evaluation.desirable_marks_total);
  out->set_desirable_features_met(bid.desirable_met);

  out->set_location_points(points.location);
  out->set_location_weight(w.location);
  out->set_miles(scored.miles);
  // At most half the Earth's circumference, about 1.25 million hundredths: an int32.
  out->set_miles_hundredths(static_cast<int32_t>(scored.miles_hundredths));
  out->set_band(scored.band);

  out->set_core_competency_points(points.core_competency);
  out->set_core_competency_weight(w.core_competency);
  out->set_qualification_score(bid.qualification_score);

  out->set_total(scored.total);
  out->set_total_quality(scored.total_quality);
}

}  // namespace

void ToProto(const Weights& weights, common::Weights* out) {
  out->set_price(weights.price);
  out->set_outcomes(weights.outcomes);
  out->set_needs(weights.needs);
  out->set_features(weights.features);
  out->set_location(weights.location);
  out->set_core_competency(weights.core_competency);
}

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
    out->set_rank(scored.rank);
    out->set_in_parental_choice(scored.in_parental_choice);
    FillPrice(competition, bid, scored, out->mutable_price());
    if (scored.compliant) FillScores(competition, evaluation, scored, out->mutable_scores());
    if (scored.compliant && scored.outcomes_pending && competition.weights.outcomes > 0) {
      response->add_bids_awaiting_outcome_scores(bid.id);
    }
  }
  response->set_ranking_status(evaluation.ranking_final ? v1::RANKING_STATUS_FINAL
                                                        : v1::RANKING_STATUS_PROVISIONAL);
  if (evaluation.has_lowest_price) {
    response->set_lowest_evaluated_weekly_price_pence(evaluation.lowest_evaluated_weekly_pence);
  }
  for (size_t index : evaluation.parental_choice) {
    response->add_parental_choice_bid_ids(competition.bids[evaluation.bids[index].bid_index].id);
  }
  response->set_parental_choice_required(evaluation.parental_choice_required);
  response->set_compliant_bid_count(evaluation.compliant_count);
  response->set_excluded_bid_count(static_cast<int>(evaluation.bids.size()) -
                                   evaluation.compliant_count);
  ToProto(competition.weights, response->mutable_weights());
  response->set_price_basis(ToProto(competition.price_basis));
  response->set_ceiling_mode(ToProto(competition.ceiling_mode));
}

}  // namespace dps::scoring
