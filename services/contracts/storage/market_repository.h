// Where market intelligence's facts are kept (the tables of migrations/0005_market.sql), in the
// domain's terms (domain/market.h): the market consumer records what each event says, the
// market use cases read a system's facts back and keep the off-system counts commissioners
// report. PostgreSQL's is pg_market_repository.h.
//
// Every Record* is idempotent by the key of what it records (a referral, invitation, bid,
// decline, round, placement or rating): a second delivery of an event changes nothing, whatever
// the consumer's ledger says. Errors are the database's, as platform/pg/pool.h maps them.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_MARKET_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_MARKET_REPOSITORY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/market.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

// A placement with what links it to its referral and its establishment's ratings.
struct StoredPlacement {
  PlacementFact fact;  // good_or_outstanding is worked out when read, not written
  std::string system_id;
  std::string referral_id;  // empty but for competed awards
  std::string establishment_id;
};

// An establishment's inspection rating. rating: the dps.qualification.v1.Rating name.
struct RatingRecord {
  std::string rating_id;
  std::string establishment_id;
  std::string rating;
  absl::CivilDay inspected_on;
  absl::Time recorded_at;
};

class MarketRepository {
 public:
  virtual ~MarketRepository() = default;

  // --- What the consumer records --------------------------------------------------------------

  // The referral's publication: its lot, authority, region, needs, weights and time (the rest of
  // `referral` is recorded by the calls below).
  virtual absl::Status RecordReferral(const std::string& system_id,
                                      const ReferralFact& referral) = 0;
  // Where the referral stands from `at`; an outcome recorded at a later time is kept instead.
  // final_invited and final_radius_miles matter for kNoSuitableOffer only.
  virtual absl::Status RecordOutcome(const std::string& referral_id, ReferralOutcome outcome,
                                     absl::Time at, int final_invited,
                                     double final_radius_miles) = 0;
  virtual absl::Status RecordInvitation(const std::string& referral_id,
                                        const std::string& invitation_id) = 0;
  // A bid submitted at `at`, or (withdrawn) withdrawn: a withdrawal stays one whichever comes
  // first. Sealed: Referrals counts it only once a close of its referral follows `at`.
  virtual absl::Status RecordBid(const std::string& referral_id, const std::string& bid_id,
                                 bool withdrawn, absl::Time at) = 0;
  // A round of the referral closed at `at`: the bids submitted before it are unsealed.
  virtual absl::Status RecordClosed(const std::string& referral_id, absl::Time at) = 0;
  virtual absl::Status RecordDecline(const std::string& referral_id,
                                     const std::string& invitation_id,
                                     const std::string& reason) = 0;
  virtual absl::Status RecordReopened(const std::string& referral_id, int round) = 0;
  virtual absl::Status RecordPlacement(const StoredPlacement& placement) = 0;
  virtual absl::Status RecordRating(const RatingRecord& rating) = 0;
  // A block contract's places (referral.block.created); its call-offs and void days are not
  // part of `block` here. An ending recorded before it keeps its day.
  virtual absl::Status RecordBlock(const std::string& system_id, const BlockFact& block) = 0;
  // No place of the block is reserved after `last_day` (referral.block.ended).
  virtual absl::Status RecordBlockEnded(const std::string& block_contract_id,
                                        absl::CivilDay last_day) = 0;
  // A call-off into the block (referral.block.called_off); an ending recorded first keeps its day.
  virtual absl::Status RecordBlockCallOff(const std::string& block_contract_id,
                                          const BlockCallOffFact& call_off) = 0;
  // The call-off's last day (referral.block.call_off_ended).
  virtual absl::Status RecordBlockCallOffEnded(const std::string& block_contract_id,
                                               const std::string& call_off_id,
                                               absl::CivilDay ended_on) = 0;

  // --- What reports read ----------------------------------------------------------------------

  // The system's referrals, with their invitations, unsealed live bids, declines, reopened
  // rounds and outcome (placement_started_on is the IPA's: left empty here).
  virtual absl::StatusOr<std::vector<ReferralFact>> Referrals(const std::string& system_id) = 0;
  // The system's placements, each with good_or_outstanding: the establishment's latest rating
  // inspected on or before the award's UTC day is Good or Outstanding.
  virtual absl::StatusOr<std::vector<StoredPlacement>> Placements(const std::string& system_id) = 0;
  virtual absl::StatusOr<std::vector<OffSystemFact>> OffSystem(const std::string& system_id) = 0;
  // The system's blocks whose creation is recorded, each with its recorded call-offs
  // (void_place_days_in_period left 0: a report works it out for its period).
  virtual absl::StatusOr<std::vector<BlockFact>> Blocks(const std::string& system_id) = 0;

  // Replaces the counts of the same authority, lot and period (inserting the new ones).
  virtual absl::Status ReplaceOffSystem(const std::string& system_id,
                                        const std::vector<OffSystemFact>& counts) = 0;
  // Keeps a request's answer with the change (AlreadyExists when the key was answered already:
  // the change must then roll back), as IpaTransaction::RecordResponse.
  virtual absl::Status RecordResponse(const RequestRecord& record) = 0;
};

class MarketUnitOfWork {
 public:
  virtual ~MarketUnitOfWork() = default;
  using Work = std::function<absl::Status(MarketRepository&)>;
  // Runs `work` in a new transaction; commits when it returns OK, else rolls back.
  virtual absl::Status Run(const Work& work) = 0;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_MARKET_REPOSITORY_H_
