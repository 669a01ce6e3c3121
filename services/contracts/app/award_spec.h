// What an award makes of an IPA: the IPA's terms from the award as the referral service announced
// it (its event: referral.referral.awarded, referral.direct_award.made, referral.block.called_off)
// and the facts of its purchasing system, lot and establishment the qualification service holds.
// The award consumer (consumers/award_events.h) and CreateIpa (create_ipa_use_case.h) both draw up
// an IPA this way, so the agreement is the same whichever of the two made it.
#ifndef DPS_SERVICES_CONTRACTS_APP_AWARD_SPEC_H_
#define DPS_SERVICES_CONTRACTS_APP_AWARD_SPEC_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "dps/events/v1/events.pb.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// What an IPA needs to know of its purchasing system, lot and establishment.
struct AwardFacts {
  std::string lead_authority_id;
  ProvisionType provision_type = ProvisionType::kUnspecified;
  int notice_period_days = 0;                         // the lot's; 0: none set
  std::map<std::string, std::string> service_labels;  // the lot's additional services by code
  // Names as the register holds them (empty when it has none).
  std::map<std::string, std::string> authority_names;  // the system's authorities by id
  std::string provider_name;
  std::string establishment_name;
  std::string establishment_address;  // one line
};

// Where the facts come from (clients/qualification_facts.h asks the qualification service).
class AwardFactsSource {
 public:
  virtual ~AwardFactsSource() = default;
  virtual absl::StatusOr<AwardFacts> FactsOf(const std::string& request_id,
                                             const std::string& system_id,
                                             const std::string& lot_id,
                                             const std::string& establishment_id) const = 0;
};

// Whether `envelope` is one of the three award events, and the ids its facts are asked by.
struct AwardRef {
  std::string system_id;
  std::string lot_id;
  std::string establishment_id;
  std::string placing_authority_id;
};
std::optional<AwardRef> AwardRefOf(const dps::events::v1::EventEnvelope& envelope);

// The IPA an award event makes (its id left empty), from the event and the facts:
//   - the fee converted to weekly pence as the scoring engine converts it (monthly x 12 / 52,
//     annual / 52, half up); a block call-off pays the per-place fee for each place taken;
//   - discounts as awarded; additional services at units x rate, weekly, running to the planned
//     end (the placing authority may shorten them in the draft);
//   - the planned end: the day before start + planned duration in months (block call-offs carry
//     their own); the notice period the lot's (0 leaves fostering its 28 days);
//   - the incentive as the referral set it.
// InvalidArgument, naming the event field, for an event that can never make an IPA.
absl::StatusOr<IpaSpec> SpecFromAward(const dps::events::v1::EventEnvelope& envelope,
                                      const AwardFacts& facts);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_AWARD_SPEC_H_
