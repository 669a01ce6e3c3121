// The award consumer: a DRAFT IPA for every award the referral service announces
// (referral.referral.awarded, referral.direct_award.made, referral.block.called_off on the
// dps.referral stream), made once however often the event is delivered or replayed: the event's
// ledger entry (platform/events/consumer.h) and the IPA's unique source key both say so.
//
// The IPA is drawn up from the event as app/award_spec.h says. What the event does not carry (the
// lot's provision type and notice period, the names of its additional services, who leads the
// system) the consumer asks the qualification service in Prepare, before the transaction that
// applies the event opens, and keeps in a cache the handler reads: no call to another service is
// made holding a connection or a lock.
#ifndef DPS_SERVICES_CONTRACTS_CONSUMERS_AWARD_EVENTS_H_
#define DPS_SERVICES_CONTRACTS_CONSUMERS_AWARD_EVENTS_H_

#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "dps/events/v1/events.pb.h"
#include "platform/clock/clock.h"
#include "platform/events/consumer.h"
#include "services/contracts/app/award_spec.h"
#include "services/contracts/app/document_renderer.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// The consumer group of the contracts service on dps.referral.
inline constexpr char kAwardGroup[] = "contracts-awards";

class AwardConsumer final {
 public:
  AwardConsumer(const AwardFactsSource& facts, const DocumentRenderer& renderer,
                const platform::Clock& clock, std::function<std::string()> new_id)
      : facts_(facts), renderer_(renderer), clock_(clock), new_id_(std::move(new_id)) {}

  // The EventPreparer: asks for the facts of an award event not yet known.
  absl::Status Prepare(const platform::StreamEvent& event);
  // The EventHandler: makes the IPA in the consumer's transaction. Events of other types are
  // skipped; an award whose facts were not prepared is Unavailable (retried).
  absl::Status Apply(pqxx::work& tx, const platform::StreamEvent& event);

 private:
  std::string CacheKey(const AwardRef& ref) const;

  const AwardFactsSource& facts_;
  const DocumentRenderer& renderer_;
  const platform::Clock& clock_;
  std::function<std::string()> new_id_;
  absl::Mutex mu_;
  // A few hundred lots and establishments at most; facts change rarely and an IPA keeps what it
  // was made with, so entries live as long as the process.
  std::map<std::string, AwardFacts> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_CONSUMERS_AWARD_EVENTS_H_
