// Rounds of invitations, shared by publication, widening the radius and reopening: the
// establishments a round's facts found eligible (app/placement.h, asked before the transaction)
// invited, stored and announced, and the referral saved with its new round. Each works on the
// stored records in the caller's transaction.
#ifndef DPS_SERVICES_REFERRAL_APP_ROUNDS_H_
#define DPS_SERVICES_REFERRAL_APP_ROUNDS_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/work/unit_of_work.h"
#include "services/referral/app/placement.h"
#include "services/referral/domain/referral.h"

namespace dps::referral {

// "referral.referral.published", with the referral's lot, location, needs, weights and count.
absl::Status AnnouncePublished(platform::Call& call, const v1::Referral& referral);

// The establishments the round's facts found eligible that the referral has not invited yet
// (read under the change's lock), as invitations in the referral's current round.
absl::StatusOr<std::vector<v1::Invitation>> InviteNewlyEligible(platform::Call& call,
                                                                const RoundFacts& facts,
                                                                const v1::Referral& referral,
                                                                const Referral& domain);

// Each invitation stored and announced ("referral.invitation.created").
absl::Status StoreAndAnnounce(platform::Call& call, const v1::Referral& referral,
                              const std::vector<v1::Invitation>& invitations);

// After a widening or a reopening: the referral saved with its new round, and the round's
// invitations numbered, stored, announced and returned.
absl::Status FinishRound(platform::Call& call, const Referral& referral,
                         std::vector<v1::Invitation>& invitations, v1::Referral& stored,
                         v1::PublishReferralResponse& response);

// At a reopening: every invitation left NO_RESPONSE last round may answer in the new one;
// declines stand.
absl::Status ReopenUnansweredInvitations(pqxx::work& tx, const std::string& referral_id);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_ROUNDS_H_
