#include "services/scoring/bench/columnar.h"

namespace dps::scoring::bench {

ColumnarBids ToColumns(const v1::EvaluateRequest& request) {
  ColumnarBids out;
  for (const v1::Bid& bid : request.bids()) {
    out.add_id(bid.id());
    out.add_establishment_latitude(bid.establishment_latitude());
    out.add_establishment_longitude(bid.establishment_longitude());
    out.add_ceiling_fee_pence(bid.ceiling_fee_pence());
    out.add_core_fee_pence(bid.core_fee_pence());
    out.add_needs_met(bid.needs_met());
    out.add_must_have_features_met(bid.must_have_features_met());
    out.add_desirable_features_met(bid.desirable_features_met());
    out.add_qualification_score(bid.qualification_score());
    out.add_submitted_at_seconds(bid.submitted_at().seconds());
    out.add_fee_justification(bid.fee_justification());
    out.add_ineligible_at_close(bid.ineligible_at_close());
    out.add_ineligibility_reason(bid.ineligibility_reason());
    out.add_additional_service_count(bid.additional_services_size());
    for (const v1::AdditionalService& service : bid.additional_services()) {
      out.add_additional_service_code(service.code());
      out.add_additional_service_units(service.units());
      out.add_additional_service_rate_pence(service.rate_pence());
    }
    out.add_outcome_score_count(bid.outcome_scores_size());
    for (int score : bid.outcome_scores()) out.add_outcome_scores(score);
  }
  return out;
}

ColumnarScoredBids ToColumns(const v1::EvaluateResponse& response) {
  ColumnarScoredBids out;
  for (const v1::ScoredBid& bid : response.bids()) {
    out.add_bid_id(bid.bid_id());
    out.add_compliant(bid.compliant());
    out.add_rank(bid.rank());
    out.add_in_parental_choice(bid.in_parental_choice());
    const v1::EvaluatedPrice& price = bid.price();
    out.add_quoted_core_fee_pence(price.quoted_core_fee_pence());
    out.add_core_weekly_fee_pence(price.core_weekly_fee_pence());
    out.add_sibling_discount_basis_points(price.sibling_discount_basis_points());
    out.add_permanence_discount_basis_points(price.permanence_discount_basis_points());
    out.add_discount_pence(price.discount_pence());
    out.add_additional_service_count(price.additional_services_size());
    for (const v1::AdditionalServiceCost& cost : price.additional_services()) {
      out.add_additional_service_period_cost_pence(cost.period_cost_pence());
      out.add_additional_service_weekly_cost_pence(cost.weekly_cost_pence());
    }
    out.add_additional_services_weekly_pence(price.additional_services_weekly_pence());
    out.add_evaluated_weekly_price_pence(price.evaluated_weekly_price_pence());
    out.add_quoted_ceiling_fee_pence(price.quoted_ceiling_fee_pence());
    out.add_ceiling_weekly_fee_pence(price.ceiling_weekly_fee_pence());
    out.add_fee_above_ceiling(price.fee_above_ceiling());
    out.add_fee_justified(price.fee_justified());
    const v1::ScoreBreakdown& scores = bid.scores();
    out.add_price_points(scores.price_points());
    out.add_outcomes_points(scores.outcomes_points());
    out.add_evaluator_score_count(scores.evaluator_scores_size());
    for (int score : scores.evaluator_scores()) out.add_evaluator_scores(score);
    out.add_outcomes_mean_score(scores.outcomes_mean_score());
    out.add_outcomes_pending(scores.outcomes_pending());
    out.add_needs_points(scores.needs_points());
    out.add_needs_marks_met(scores.needs_marks_met());
    out.add_needs_met(scores.needs_met());
    out.add_features_points(scores.features_points());
    out.add_features_marks_met(scores.features_marks_met());
    out.add_desirable_features_met(scores.desirable_features_met());
    out.add_location_points(scores.location_points());
    out.add_miles(scores.miles());
    out.add_miles_hundredths(scores.miles_hundredths());
    out.add_band(scores.band());
    out.add_core_competency_points(scores.core_competency_points());
    out.add_qualification_score(scores.qualification_score());
    out.add_total(scores.total());
    out.add_total_quality(scores.total_quality());
  }
  return out;
}

}  // namespace dps::scoring::bench
