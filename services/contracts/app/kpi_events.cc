#include "services/contracts/app/kpi_events.h"

#include <string>
#include <utility>

#include "dps/events/v1/events.pb.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/app/proto_enums.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;

void SetRange(const DateRange& range, ::dps::common::v1::DateRange& out) {
  *out.mutable_start() = platform::ToDate(range.start);
  *out.mutable_end() = platform::ToDate(range.end);
}

}  // namespace

IpaEvent KpiReturnSubmittedEvent(const KpiReturn& kpi_return, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::KpiReturnSubmitted& e = *envelope.mutable_kpi_return_submitted();
  e.set_kpi_return_id(kpi_return.id);
  e.set_ipa_id(kpi_return.ipa_id);
  e.set_establishment_id(kpi_return.establishment_id);
  SetRange(kpi_return.period, *e.mutable_period());
  return EnvelopeEvent(std::move(envelope), kKpiReturnSubmitted, "kpi_return", kpi_return.id,
                       kpi_return.system_id, context);
}

IpaEvent PerformanceReviewRecordedEvent(const PerformanceReview& review,
                                        const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::PerformanceReviewRecorded& e = *envelope.mutable_performance_review_recorded();
  e.set_performance_review_id(review.id);
  e.set_establishment_id(review.establishment_id);
  e.set_rating(ToProto(review.rating));
  e.set_recommended_score_delta(review.recommended_score_delta);
  return EnvelopeEvent(std::move(envelope), kPerformanceReviewRecorded, "performance_review",
                       review.id, review.system_id, context);
}

}  // namespace dps::contracts
