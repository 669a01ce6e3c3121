// Closing a referral, by its deadline timer or by the answer that leaves nobody to wait for:
// OPEN -> CLOSED (bids unsealed), every unanswered invitation NO_RESPONSE, and its ranking asked
// for (app/ranking.h). Nothing here calls another service, so a close never waits on a peer: it
// is written in the caller's transaction and holds its locks only as long as the writes take.
// The "referral.referral.closed" event is kept with the ranking request and announced when the
// ranking is settled, so it can say how many bids were compliant or why none could be ranked.
#ifndef DPS_SERVICES_REFERRAL_APP_CLOSING_H_
#define DPS_SERVICES_REFERRAL_APP_CLOSING_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/events/v1/events.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/work/unit_of_work.h"
#include "services/referral/app/events.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;

// `referral` is locked by the caller's transaction and OPEN; it is saved CLOSED.
absl::Status CloseReferral(platform::Call& call, v1::Referral& referral,
                           dps::events::v1::CloseCause cause);

// After a decline or a bid: closes `referral` (locked by the caller, OPEN) in the same
// transaction when nobody is left to answer (docs/rules.md section 5: every invitee declined,
// has a bid standing, or is suspended since invitation). Reads only each invitation's state and
// suspension. Returns whether it closed, so the caller asks for the ranking.
absl::StatusOr<bool> CloseIfAllAnswered(platform::Call& call, v1::Referral& referral);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_CLOSING_H_
