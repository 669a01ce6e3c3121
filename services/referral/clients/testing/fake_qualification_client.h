// A register in memory for the use cases' pure tests: the systems, lots and eligible
// establishments a test puts in (an establishment's eligibility explained as eligible exactly when
// it is among them), NOT_FOUND for anything else, and `down` to answer every call UNAVAILABLE as
// a register that cannot be reached would. It counts the eligibility searches, so
// a test can tell that a refused spec cost none.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_TESTING_FAKE_QUALIFICATION_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_TESTING_FAKE_QUALIFICATION_CLIENT_H_

#include <map>
#include <string>
#include <vector>

#include "services/referral/clients/qualification_client.h"

namespace dps::referral::testing {

class FakeQualificationClient final : public QualificationClient {
 public:
  std::map<std::string, qv1::PurchasingSystem> systems;
  std::map<std::string, qv1::Lot> lots;
  std::map<std::string, qv1::Establishment> establishments;
  std::vector<qv1::EligibleEstablishment> eligible;
  bool down = false;
  mutable int searches = 0;

  absl::StatusOr<qv1::PurchasingSystem> System(const std::string& request_id,
                                               const std::string& system_id) const override;
  absl::StatusOr<qv1::Lot> Lot(const std::string& request_id,
                               const std::string& lot_id) const override;
  absl::StatusOr<qv1::Establishment> Establishment(
      const std::string& request_id, const std::string& establishment_id) const override;
  absl::StatusOr<qv1::Membership> Membership(const std::string& request_id,
                                             const std::string& membership_id) const override;
  absl::StatusOr<std::vector<std::string>> LotsOf(
      const std::string& request_id, const std::string& establishment_id) const override;
  absl::StatusOr<bool> QualifiedMember(const std::string& request_id, const std::string& lot_id,
                                       const std::string& establishment_id) const override;
  absl::StatusOr<qv1::ExplainEligibilityResponse> Explain(
      const std::string& request_id, const qv1::EligibilityQuery& query,
      const std::string& establishment_id) const override;
  absl::StatusOr<std::vector<std::string>> Ranking(const std::string& request_id,
                                                   const std::string& lot_id) const override;
  absl::StatusOr<std::vector<qv1::EligibleEstablishment>> Eligible(
      const std::string& request_id, const qv1::EligibilityQuery& query) const override;
};

// The register most use-case tests start from: West Sussex leads a LIVE system "system-1" under
// `regime` with one open lot "lot-homes" (code HOMES, priced weekly) that Brighton and Hove takes
// part in; "establishment-7" of "provider-3" is an eligible, qualified member.
FakeQualificationClient OneLotRegister(dps::common::v1::Regime regime);

}  // namespace dps::referral::testing

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_TESTING_FAKE_QUALIFICATION_CLIENT_H_
