// The events of KPI returns and performance reviews (dps.events.v1, stream dps.contracts), built
// from the aggregate as saved and wrapped in its EventEnvelope like the IPA's (ipa_events.h).
// They name the return or review, its IPA or establishment, the period and the rating; never a
// value, a note or the findings (free text stays with the record, and no event carries the
// child's identity).
//
//   IpaEvent e = KpiReturnSubmittedEvent(kpi_return, {.actor = provider, .now = now});
//   e.type == "contracts.kpi_return.submitted"
#ifndef DPS_SERVICES_CONTRACTS_APP_KPI_EVENTS_H_
#define DPS_SERVICES_CONTRACTS_APP_KPI_EVENTS_H_

#include "services/contracts/app/ipa_events.h"
#include "services/contracts/domain/kpi.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

inline constexpr char kKpiReturnSubmitted[] = "contracts.kpi_return.submitted";
inline constexpr char kPerformanceReviewRecorded[] = "contracts.performance_review.recorded";

// A provider submitted the return, first or again after a query (aggregate "kpi_return").
IpaEvent KpiReturnSubmittedEvent(const KpiReturn& kpi_return, const EventContext& context);
// The lead authority recorded the review: input to the 6-monthly score adjustment (aggregate
// "performance_review").
IpaEvent PerformanceReviewRecordedEvent(const PerformanceReview& review,
                                        const EventContext& context);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_KPI_EVENTS_H_
