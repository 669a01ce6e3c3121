#include "services/scoring/bench/bench_data.h"

#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "services/scoring/api/proto_convert.h"
#include "services/scoring/domain/testing.h"

namespace dps::scoring::bench {

Competition BenchCompetition(int bid_count) {
  std::mt19937 rng(42);
  Competition competition = testing::WorkedExample();
  competition.needs = {{"N1", 2}, {"N2", 1}, {"N3", 1}, {"N4", 3}, {"N5", 1}, {"N6", 2}};
  competition.must_have_features = {"wheelchair-access", "ground-floor"};
  competition.desirable_features = {
      {"halal-diet", 1}, {"eal-support", 1}, {"pets", 1}, {"sensory-room", 2}};
  competition.discount_rates = {500, 500, 9};
  competition.sibling_group_size = 2;
  competition.planned_duration_months = 12;
  competition.bids.clear();
  std::uniform_int_distribution<int> coin(0, 1);
  std::uniform_int_distribution<int> offset(-1000, 1000);
  for (int b = 0; b < bid_count; ++b) {
    Bid bid;
    bid.id = absl::StrFormat("7c9e6679-7425-40de-944b-%012d", b);
    bid.establishment_location = {51.1092 + offset(rng) / 1000.0, -0.1872 + offset(rng) / 1000.0};
    bid.ceiling_fee_pence = 450'000;
    bid.core_fee_pence = 300'000 + offset(rng) * 100;
    bid.additional_services = {{10, 3'000}};  // one-to-one hours
    for (size_t i = 0; i < competition.needs.size(); ++i) {
      if (coin(rng)) bid.needs_met |= uint64_t{1} << i;
    }
    bid.must_have_met = 0b11;
    for (size_t i = 0; i < competition.desirable_features.size(); ++i) {
      if (coin(rng)) bid.desirable_met |= uint64_t{1} << i;
    }
    bid.qualification_score = 50 + offset(rng) / 40.0;
    bid.outcome_scores = {3 + coin(rng), 4};
    bid.submitted_at = testing::At(b % 600);
    competition.bids.push_back(std::move(bid));
  }
  return competition;
}

v1::EvaluateRequest BenchRequest(int bid_count) {
  const Competition competition = BenchCompetition(bid_count);
  v1::EvaluateRequest request;
  ToProto(competition.weights, request.mutable_weights());
  request.mutable_child_location()->set_latitude(competition.child_location.latitude);
  request.mutable_child_location()->set_longitude(competition.child_location.longitude);
  for (const MarkedCode& need : competition.needs) {
    auto* out = request.add_needs();
    out->set_code(need.code);
    out->set_marks(need.marks);
  }
  for (const std::string& code : competition.must_have_features) {
    request.add_must_have_features(code);
  }
  for (const MarkedCode& feature : competition.desirable_features) {
    auto* out = request.add_desirable_features();
    out->set_code(feature.code);
    out->set_marks(feature.marks);
  }
  request.mutable_discount_rates()->set_sibling_basis_points(500);
  request.mutable_discount_rates()->set_permanence_basis_points(500);
  request.set_sibling_group_size(2);
  request.set_planned_duration_months(12);
  request.set_ceiling_mode(dps::common::v1::CEILING_MODE_HARD);
  request.mutable_parental_choice()->set_enabled(true);
  for (const Bid& bid : competition.bids) {
    v1::Bid* out = request.add_bids();
    out->set_id(bid.id);
    out->set_establishment_latitude(bid.establishment_location.latitude);
    out->set_establishment_longitude(bid.establishment_location.longitude);
    out->set_ceiling_fee_pence(bid.ceiling_fee_pence);
    out->set_core_fee_pence(bid.core_fee_pence);
    for (const AdditionalService& service : bid.additional_services) {
      auto* line = out->add_additional_services();
      line->set_code("one-to-one-hours");
      line->set_units(service.units);
      line->set_rate_pence(service.rate_pence);
    }
    out->set_needs_met(bid.needs_met);
    out->set_must_have_features_met(bid.must_have_met);
    out->set_desirable_features_met(bid.desirable_met);
    out->set_qualification_score(bid.qualification_score);
    for (int score : bid.outcome_scores) out->add_outcome_scores(score);
    out->mutable_submitted_at()->set_seconds(absl::ToUnixSeconds(bid.submitted_at));
  }
  return request;
}

google::protobuf::ArenaOptions ClientArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 * 1024;
  options.max_block_size = 256 * 1024;
  return options;
}

}  // namespace dps::scoring::bench
