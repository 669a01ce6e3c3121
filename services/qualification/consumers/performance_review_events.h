// The qualification service's reading of the contracts stream (dps.contracts): every performance
// review the lead authority records there (contracts.performance_review.recorded) is recorded in
// the register, where a score adjustment of the establishment's membership may cite it
// (app/score_adjustment.h) and ListPerformanceReviews shows what awaits one.
//
// Applied by a platform StreamConsumer in the transaction that records the event as processed; a
// review is recorded once however often it is delivered, and however often it is announced (the
// review's id is the table's key). Other contracts events are applied as nothing.
#ifndef DPS_SERVICES_QUALIFICATION_CONSUMERS_PERFORMANCE_REVIEW_EVENTS_H_
#define DPS_SERVICES_QUALIFICATION_CONSUMERS_PERFORMANCE_REVIEW_EVENTS_H_

#include <optional>
#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/events/consumer.h"

namespace dps::qualification {

// The stream the contracts service announces on, and the group qualification reads it as.
inline constexpr char kContractsStream[] = "dps.contracts";
inline constexpr char kPerformanceReviewGroup[] = "qualification-performance-reviews";

// The review a delivered event announces, as the register keeps it: the envelope's system and
// time and actor, the payload's review, establishment, rating and recommended change. nullopt for
// an event of another type. InvalidArgument (dead-lettered), naming what is wrong, for a payload
// that does not parse or a review event without its ids or time.
absl::StatusOr<std::optional<dps::qualification::v1::RecordedPerformanceReview>> ReviewOf(
    const platform::StreamEvent& event);

// The consumer's EventHandler: records the review of a contracts.performance_review.recorded
// event in `tx`.
absl::Status ApplyPerformanceReviewEvent(pqxx::work& tx, const platform::StreamEvent& event);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_CONSUMERS_PERFORMANCE_REVIEW_EVENTS_H_
