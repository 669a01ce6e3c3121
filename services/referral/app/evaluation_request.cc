#include "services/referral/app/evaluation_request.h"

#include <algorithm>

namespace dps::referral {
namespace {

// The bit of each listed code a bid meets: bit i for entry i of the referral's list.
template <typename Entries, typename CodeOf>
uint64_t BitsMet(const Entries& listed, CodeOf code_of,
                 const google::protobuf::RepeatedPtrField<std::string>& met) {
  uint64_t bits = 0;
  for (int i = 0; i < listed.size() && i < 64; ++i) {
    if (std::find(met.begin(), met.end(), code_of(listed[i])) != met.end()) {
      bits |= uint64_t{1} << i;
    }
  }
  return bits;
}

const std::string& CodeOfMarked(const dps::scoring::v1::MarkedCode& c) { return c.code(); }
const std::string& CodeOfString(const std::string& s) { return s; }

}  // namespace

dps::scoring::v1::EvaluateRequest BuildEvaluateRequest(
    const v1::Referral& referral, const std::vector<v1::Bid>& bids,
    const std::map<std::string, qv1::EligibleEstablishment>& at_close,
    const std::map<std::string, std::vector<int>>& outcome_scores) {
  const v1::ReferralSpec& spec = referral.spec();
  dps::scoring::v1::EvaluateRequest request;
  *request.mutable_weights() = spec.weights();
  *request.mutable_child_location() = spec.location().centroid();
  *request.mutable_needs() = spec.needs();
  *request.mutable_must_have_features() = spec.must_have_features();
  *request.mutable_desirable_features() = spec.desirable_features();
  *request.mutable_discount_rates() = referral.terms().discount_rates();
  int sibling_group = spec.sibling_group_size();
  if (sibling_group == 0 && spec.kind() == v1::REFERRAL_KIND_COHORT) {
    sibling_group = spec.children_size();
  }
  request.set_sibling_group_size(sibling_group);
  request.set_planned_duration_months(spec.planned_duration_months());
  request.set_ceiling_mode(referral.terms().ceiling_mode());
  request.set_price_basis(referral.terms().price_basis());
  *request.mutable_parental_choice() = referral.terms().parental_choice();
  for (const v1::Bid& bid : bids) {
    dps::scoring::v1::Bid& out = *request.add_bids();
    out.set_id(bid.id());
    out.set_core_fee_pence(bid.content().core_fee().pence());
    *out.mutable_additional_services() = bid.content().additional_services();
    out.set_needs_met(BitsMet(spec.needs(), CodeOfMarked, bid.content().needs_met()));
    out.set_must_have_features_met(
        BitsMet(spec.must_have_features(), CodeOfString, bid.content().features_met()));
    out.set_desirable_features_met(
        BitsMet(spec.desirable_features(), CodeOfMarked, bid.content().features_met()));
    *out.mutable_submitted_at() = bid.submitted_at();
    out.set_fee_justification(bid.content().fee_justification());
    auto scores = outcome_scores.find(bid.id());
    if (scores != outcome_scores.end()) {
      for (int score : scores->second) out.add_outcome_scores(score);
    }
    auto establishment = at_close.find(bid.establishment_id());
    if (establishment == at_close.end()) {
      // The engine needs a position and a ceiling even for a bid it will exclude.
      out.set_establishment_latitude(spec.location().centroid().latitude());
      out.set_establishment_longitude(spec.location().centroid().longitude());
      out.set_ceiling_fee_pence(bid.content().core_fee().pence());
      out.set_ineligible_at_close(true);
      out.set_ineligibility_reason(
          "the establishment was not a qualified, unsuspended member of the lot at close");
      continue;
    }
    out.set_establishment_latitude(establishment->second.location().latitude());
    out.set_establishment_longitude(establishment->second.location().longitude());
    out.set_ceiling_fee_pence(establishment->second.ceiling_fee().pence());
    out.set_qualification_score(establishment->second.qualification_score());
  }
  return request;
}

}  // namespace dps::referral
