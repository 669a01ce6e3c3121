// CreateIpa: a DRAFT IPA asked for by the placing authority for an award, rather than waiting
// for the award's event (consumers/award_events.h). An IPA whose event was dead-lettered (the
// lot unknown to the qualification service when it came, say) is made this way once the cause is
// mended; an IPA asked for before its event arrives is the one the event then finds.
//
// Where the work happens: the award is read from the referral service and the facts of its lot
// and establishment from the qualification service first, with no transaction, connection or
// lock held; then IpaUseCases::CreateIpaFromAward's one transaction, idempotent on the source,
// so the award consumer and this request make one IPA between them, drawn up by the same rule
// (app/award_spec.h).
#ifndef DPS_SERVICES_CONTRACTS_APP_CREATE_IPA_USE_CASE_H_
#define DPS_SERVICES_CONTRACTS_APP_CREATE_IPA_USE_CASE_H_

#include <string>

#include "absl/status/statusor.h"
#include "dps/events/v1/events.pb.h"
#include "services/contracts/app/award_spec.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// An award as the referral service holds it, in the shape of the event that announced it
// (clients/referral_awards.h reads it over the referral service's API).
class AwardLookup {
 public:
  virtual ~AwardLookup() = default;
  // NotFound for an award the referral service does not have; FailedPrecondition for a referral
  // that is not awarded (or whose award waits for approval).
  virtual absl::StatusOr<dps::events::v1::EventEnvelope> AwardOf(const std::string& request_id,
                                                                 const IpaSource& source) const = 0;
};

class CreateIpaUseCase final {
 public:
  CreateIpaUseCase(IpaUseCases& ipas, const AwardLookup& awards, const AwardFactsSource& facts)
      : ipas_(ipas), awards_(awards), facts_(facts) {}

  // The IPA of `source` (source.kind and its ids, ValidateSource; ranked_call_off is the
  // award's, never the caller's), made when none exists (created) or the one that does. A
  // placing officer or commissioner only for their own authority's award (another's is NotFound,
  // as reading it would be); a DPS service for any. InvalidArgument naming source.bid_id when
  // the referral was awarded to another bid.
  absl::StatusOr<CreateResult> CreateIpa(const IpaSource& source, const Caller& caller) const;

 private:
  IpaUseCases& ipas_;
  const AwardLookup& awards_;
  const AwardFactsSource& facts_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_CREATE_IPA_USE_CASE_H_
