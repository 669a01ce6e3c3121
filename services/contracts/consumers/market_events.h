// The market consumer: market intelligence's read models (storage/market_repository.h) kept from
// the events other services announce, once each however often an event is delivered (the
// consumer's ledger, platform/events/consumer.h, and each record's own key both say so).
//
// On dps.referral (group contracts-market): referrals published, invitations, bids submitted and
// withdrawn (sealed: counted only once a close of their round follows), closes, declines with
// their reason, no suitable offer (its round's invitees and radius),
// reopened rounds, withdrawals, awards (price, ceiling, needs, place), direct awards and block
// call-offs. On dps.qualification (group contracts-market-ratings): each establishment's
// inspection ratings (qualification.establishment.rating_changed), so a placement's rating is the
// one in force at its award, not today's. Other events are skipped.
//
// What is recorded of a referral or placement: its ids, lot, placing authority, need codes, the
// postcode area of its district ("RH" of "RH12"), weights, times and money. Nothing of a child.
#ifndef DPS_SERVICES_CONTRACTS_CONSUMERS_MARKET_EVENTS_H_
#define DPS_SERVICES_CONTRACTS_CONSUMERS_MARKET_EVENTS_H_

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "dps/events/v1/events.pb.h"
#include "platform/events/consumer.h"
#include "services/contracts/storage/market_repository.h"

namespace dps::contracts {

// The market consumer's groups.
inline constexpr char kMarketGroup[] = "contracts-market";                 // dps.referral
inline constexpr char kMarketRatingsGroup[] = "contracts-market-ratings";  // dps.qualification

// Records what `envelope` says for market intelligence; OK, recording nothing, for an event it
// does not use. InvalidArgument naming the field for an event that can never be recorded.
absl::Status RecordMarketEvent(const dps::events::v1::EventEnvelope& envelope,
                               MarketRepository& market);

// The EventHandler of both groups: RecordMarketEvent in the consumer's transaction.
absl::Status ApplyMarketEvent(pqxx::work& tx, const platform::StreamEvent& event);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_CONSUMERS_MARKET_EVENTS_H_
