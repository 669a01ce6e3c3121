// Block contracts: places reserved with one establishment at an agreed weekly fee for a period,
// called off without competition while places are free, and the voids (reserved places nobody
// filled) (domain/block_contract.h).
//
// Where the work happens: CheckBlockContract asks the qualification service what a new block
// depends on (its system and lot, the caller's part in them, the establishment a qualified,
// unsuspended member of the lot) before the change's transaction opens; all of it depends on the
// request alone. BlockContractUseCases then do each change in one transaction, through the
// repository and the events given to them, whoever asks: the handlers, the block timer
// (timers/block_period_timer.h: a block whose period has run out ends on its last day) and the
// contracts stream's consumer (consumers/ipa_events.h: a call-off ends with its agreement).
#ifndef DPS_SERVICES_REFERRAL_APP_BLOCK_CONTRACTS_H_
#define DPS_SERVICES_REFERRAL_APP_BLOCK_CONTRACTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/auth/identity.h"
#include "services/referral/app/events.h"
#include "services/referral/app/placement.h"
#include "services/referral/clients/qualification_client.h"
#include "services/referral/domain/block_contract.h"
#include "services/referral/storage/block_contract_repository.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;
namespace qv1 = ::dps::qualification::v1;

// A new block checked against everything the qualification service knows.
struct CheckedBlock {
  BlockContractSpec spec;
  Placement placement;
  qv1::Establishment establishment;
};

// Checks `request`: the spec (ValidateBlockContract), the system and lot and the caller's part in
// them (PlacementOf), and the establishment, a qualified, unsuspended member of the lot
// (FailedPrecondition otherwise).
absl::StatusOr<CheckedBlock> CheckBlockContract(const QualificationClient& qualification,
                                                const platform::CallerIdentity& caller,
                                                const std::string& request_id,
                                                const v1::CreateBlockContractRequest& request);

// A new call-off as the placing officer wrote it, with its district's centroid.
struct CallOffRequest {
  CallOffSpec spec;
  std::optional<Centroid> centroid;
};

class BlockContractUseCases {
 public:
  BlockContractUseCases(BlockContractRepository& blocks, ReferralEvents& events)
      : blocks_(blocks), events_(events) {}

  // A checked block ACTIVE for `by`'s authority, stored and announced ("referral.block.created").
  absl::StatusOr<StoredBlockContract> Create(const CheckedBlock& checked, const Actor& by);

  // The block, to its own authority's authors, its provider's users, its system's lead authority
  // (admins, auditors) and DPS services; NotFound to anyone else.
  absl::StatusOr<StoredBlockContract> Read(const std::string& id,
                                           const platform::CallerIdentity& caller);

  // Up to `limit` blocks after `after_id` in the caller's reach: an author sees their own
  // authority's, anyone else those of the systems their authority leads.
  absl::StatusOr<std::vector<StoredBlockContract>> List(BlockContractFilter filter,
                                                        const platform::CallerIdentity& caller,
                                                        const std::string& after_id, int limit);

  // A call-off into free places by the authority that reserved them (NotFound for anyone else),
  // announced ("referral.block.called_off").
  absl::StatusOr<BlockCallOff> CallOff(const std::string& block_id, CallOffRequest request,
                                       const Actor& by, absl::Time now);

  // The end of a placement into the block, reported by the authority that reserved it (NotFound
  // for anyone else): the call-off ends on `ended_on` (its places free from the next day) and
  // "referral.block.call_off_ended" says so, from which market intelligence counts the voids.
  absl::StatusOr<BlockCallOff> EndCallOff(const std::string& block_id,
                                          const std::string& call_off_id, absl::CivilDay ended_on,
                                          const Actor& by);

  // The same on the contracts service's word that the placement's agreement ended on `last_day`
  // (at the latest the call-off's planned end) or was cancelled (`last_day` unset: the call-off
  // ends the day before it began). A call-off its authority ended already is left as it is;
  // InvalidArgument for a block or call-off this service does not have (the event can never apply).
  absl::Status EndCallOffForAgreement(const std::string& block_id, const std::string& call_off_id,
                                      std::optional<absl::CivilDay> last_day);

  // ACTIVE -> ENDED by the block's own commissioner (NotFound for anyone else), on `last_day` (the
  // period's last day when unset) with a reason, announced ("referral.block.ended").
  absl::StatusOr<StoredBlockContract> End(const std::string& id,
                                          std::optional<absl::CivilDay> last_day,
                                          const std::string& reason, const Actor& by,
                                          absl::Time now);

  // The blocks the block timer is to end by `today`, and the end of one of them once its period
  // has run out (no one ends it: ended_by stays empty). False when another process, or its
  // commissioner, got there first.
  absl::StatusOr<std::vector<std::string>> DueToEnd(absl::CivilDay today);
  absl::StatusOr<bool> EndWithPeriod(const std::string& id, absl::Time now);

  // The block's voids over `period` (as Read allows it), costed to the penny.
  absl::StatusOr<VoidReport> Voids(const std::string& id, const DateRange& period,
                                   const platform::CallerIdentity& caller, absl::CivilDay today);

 private:
  absl::StatusOr<StoredBlockContract> LoadOwn(const std::string& id, const Actor& by);
  absl::StatusOr<BlockCallOff> EndCallOffAndAnnounce(StoredBlockContract& stored,
                                                     const std::string& call_off_id,
                                                     absl::CivilDay ended_on);
  absl::Status EndAndAnnounce(StoredBlockContract& stored, absl::CivilDay last_day,
                              const std::string& reason, const Actor& by, absl::Time now);

  BlockContractRepository& blocks_;
  ReferralEvents& events_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_APP_BLOCK_CONTRACTS_H_
