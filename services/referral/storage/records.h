// Reading and writing the referral service's records (migration 0001). Every function takes the
// caller's transaction, so a change and its outbox event commit together. Save* bumps the
// record's version; loads with for_update lock the row until the transaction ends, which is how
// two concurrent changes of one referral are serialised.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_RECORDS_H_
#define DPS_SERVICES_REFERRAL_STORAGE_RECORDS_H_

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/pg/documents.h"
#include "services/referral/domain/evaluation.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;

// `lead_authority_id`: the system's lead authority, for the access checks of its admins and
// auditors.
absl::Status InsertReferral(pqxx::work& tx, const v1::Referral& referral,
                            const std::string& lead_authority_id);
// The lead authority recorded at creation.
absl::StatusOr<std::string> LeadAuthorityOf(pqxx::work& tx, const std::string& referral_id);
absl::Status SaveReferral(pqxx::work& tx, v1::Referral& referral);
// NotFound "referral <id>: not found".
absl::Status LoadReferral(pqxx::work& tx, const std::string& id, bool for_update,
                          v1::Referral& referral);

// OPEN referrals whose response deadline is at or before `now`, earliest deadline first.
absl::StatusOr<std::vector<std::string>> OpenReferralsDueBy(pqxx::work& tx, absl::Time now);
// Locks referral `id` when it is still OPEN and no other transaction holds it (FOR UPDATE SKIP
// LOCKED): false when another process, or a last answer, got there first.
absl::StatusOr<bool> ClaimOpenReferral(pqxx::work& tx, const std::string& id);
// Whether `provider_id` has an invitation to `referral_id`.
absl::StatusOr<bool> ProviderInvited(pqxx::work& tx, const std::string& referral_id,
                                     const std::string& provider_id);
// The CLOSED referrals of systems `lead_authority_id` leads with `evaluator_user_id` assigned to
// their outcome answers, by id.
absl::StatusOr<std::vector<std::string>> ClosedReferralsScoredBy(
    pqxx::work& tx, const std::string& lead_authority_id, const std::string& evaluator_user_id);
// Whether `establishment_id` was invited to `referral_id`, and in which round (unset for an
// invitation from before rounds were recorded).
struct InvitationRound {
  bool invited = false;
  std::optional<int> round;
};
absl::StatusOr<InvitationRound> InvitationRoundOf(pqxx::work& tx, const std::string& referral_id,
                                                  const std::string& establishment_id);
// Published referrals in `lot_ids` (published after `published_after` when set) that did not
// invite `establishment_id`: the page after `page.after_id`, by id, one more than the page holds
// when there are more.
absl::StatusOr<std::vector<v1::Referral>> ReferralsMissing(
    pqxx::work& tx, const std::vector<std::string>& lot_ids,
    std::optional<absl::Time> published_after, const std::string& establishment_id,
    const platform::Page& page);
// The invitations of `establishment_id` to OPEN referrals of `lot_id`, each with its referral
// locked, by referral and id.
absl::StatusOr<std::vector<std::string>> OpenInvitationsOf(pqxx::work& tx,
                                                           const std::string& lot_id,
                                                           const std::string& establishment_id);

// Which referrals a list reads; empty fields match everything.
struct ReferralFilter {
  std::string system_id;
  std::string lot_id;
  std::string placing_authority_id;
  std::string lead_authority_id;
  std::vector<std::string> states;  // "OPEN", ...
};

// One page of referrals by id.
absl::Status ListReferrals(pqxx::work& tx, const ReferralFilter& filter, const platform::Page& page,
                           v1::ListReferralsResponse& response);

// Invitations.
absl::Status InsertInvitation(pqxx::work& tx, const v1::Invitation& invitation);
absl::Status SaveInvitation(pqxx::work& tx, v1::Invitation& invitation);
// NotFound "invitation <id>: not found".
absl::Status LoadInvitation(pqxx::work& tx, const std::string& id, bool for_update,
                            v1::Invitation& invitation);
// Every invitation of a referral, by id; locked when `for_update`.
absl::StatusOr<std::vector<v1::Invitation>> InvitationsOf(pqxx::work& tx,
                                                          const std::string& referral_id,
                                                          bool for_update);
// The state of each invitation of a referral and whether its establishment is suspended since,
// all the close rule reads (AnswerOf, ShouldClose): from the state column and the suspended flag
// alone, no record parsed and nothing locked. The caller holds the referral's lock, which every
// answer takes first, so no answer lands unseen.
struct InvitationStanding {
  v1::InvitationState state = v1::INVITATION_STATE_UNSPECIFIED;
  bool suspended = false;
};
absl::StatusOr<std::vector<InvitationStanding>> StandingsOf(pqxx::work& tx,
                                                            const std::string& referral_id);
// One page of a referral's invitations in the given states (empty: all), by id.
absl::Status ListInvitations(pqxx::work& tx, const std::string& referral_id,
                             const std::vector<std::string>& states, const platform::Page& page,
                             v1::ListInvitationsResponse& response);

// One page of a provider's inbox by invitation id: its invitations with their referrals.
struct InboxFilter {
  std::string provider_id;
  std::string establishment_id;     // empty: every establishment of the provider
  std::vector<std::string> states;  // invitation states; empty: all
  bool open_only = false;           // only referrals still OPEN
};
absl::Status ListInbox(pqxx::work& tx, const InboxFilter& filter, const platform::Page& page,
                       v1::ListInboxResponse& response);

// Bids.
absl::Status InsertBid(pqxx::work& tx, const v1::Bid& bid);
absl::Status SaveBid(pqxx::work& tx, v1::Bid& bid);
// NotFound "bid <id>: not found".
absl::Status LoadBid(pqxx::work& tx, const std::string& id, bool for_update, v1::Bid& bid);
// One page of a referral's bids, of one provider when `provider_id` is set, in the given states
// (empty: all), by id.
absl::Status ListBids(pqxx::work& tx, const std::string& referral_id,
                      const std::string& provider_id, const std::vector<std::string>& states,
                      const platform::Page& page, v1::ListBidsResponse& response);

// The bids still in the competition (every state but WITHDRAWN), by id, locked.
absl::StatusOr<std::vector<v1::Bid>> StandingBidsOf(pqxx::work& tx, const std::string& referral_id);

// The referral's latest evaluation, replacing any earlier one.
absl::Status SaveEvaluation(pqxx::work& tx, const v1::Evaluation& evaluation);
// NotFound "evaluation of referral <id>: not found" before the first ranking.
absl::Status LoadEvaluation(pqxx::work& tx, const std::string& referral_id,
                            v1::Evaluation& evaluation);

// Outcome scores: every score of the referral's bids, by bid id.
absl::StatusOr<std::map<std::string, std::vector<OutcomeScore>>> OutcomeScoresOf(
    pqxx::work& tx, const std::string& referral_id);
// Writes one bid's scores as the domain left them (each evaluator's latest).
absl::Status SaveOutcomeScores(pqxx::work& tx, const std::string& referral_id,
                               const std::string& bid_id, const std::vector<OutcomeScore>& scores);

// Direct awards: storage/direct_award_repository.h.

// Block contracts: storage/block_contract_repository.h.

// "OPEN" for REFERRAL_STATE_OPEN: the state column's spelling.
std::string StateColumn(v1::ReferralState state);
// "INVITED" for INVITATION_STATE_INVITED.
std::string StateColumn(v1::InvitationState state);
// "SUBMITTED" for BID_STATE_SUBMITTED.
std::string StateColumn(v1::BidState state);

// The state columns a list request's `states` filter names; InvalidArgument "states[i]: must be a
// state" for UNSPECIFIED or an unknown number.
template <typename State>
absl::StatusOr<std::vector<std::string>> StateFilter(
    const google::protobuf::RepeatedField<int>& states) {
  const google::protobuf::EnumDescriptor* names = google::protobuf::GetEnumDescriptor<State>();
  std::vector<std::string> out;
  for (int i = 0; i < states.size(); ++i) {
    if (states[i] == 0 || names->FindValueByNumber(states[i]) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("states[", i, "]: must be a state"));
    }
    out.push_back(StateColumn(static_cast<State>(states[i])));
  }
  return out;
}

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_RECORDS_H_
