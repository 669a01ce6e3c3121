// What the referral service asks the qualification service: a purchasing system, a lot, a
// membership and its prices, and who is eligible. An interface over the API's messages, so the use
// cases (app/) link no gRPC and can be given a fake register; grpc_qualification_client.h is the
// real one.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_QUALIFICATION_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_QUALIFICATION_CLIENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"

namespace dps::referral {

namespace qv1 = ::dps::qualification::v1;

class QualificationClient {
 public:
  virtual ~QualificationClient() = default;

  virtual absl::StatusOr<qv1::PurchasingSystem> System(const std::string& request_id,
                                                       const std::string& system_id) const = 0;
  virtual absl::StatusOr<qv1::Lot> Lot(const std::string& request_id,
                                       const std::string& lot_id) const = 0;
  virtual absl::StatusOr<qv1::Establishment> Establishment(
      const std::string& request_id, const std::string& establishment_id) const = 0;
  // A membership, in any state, with its prices in force (`commercial`: the ceiling fee and the
  // rate card the establishment tendered for the lot).
  virtual absl::StatusOr<qv1::Membership> Membership(const std::string& request_id,
                                                     const std::string& membership_id) const = 0;
  // The lots the establishment is a member of, in any state.
  virtual absl::StatusOr<std::vector<std::string>> LotsOf(
      const std::string& request_id, const std::string& establishment_id) const = 0;
  // Whether the establishment is a QUALIFIED (so unsuspended) member of the lot.
  virtual absl::StatusOr<bool> QualifiedMember(const std::string& request_id,
                                               const std::string& lot_id,
                                               const std::string& establishment_id) const = 0;
  // Every eligibility rule as it applies to one establishment for `query`.
  virtual absl::StatusOr<qv1::ExplainEligibilityResponse> Explain(
      const std::string& request_id, const qv1::EligibilityQuery& query,
      const std::string& establishment_id) const = 0;
  // The lot's ranking at admission: the establishments of its QUALIFIED members, highest rank
  // first, over as many pages as it takes.
  virtual absl::StatusOr<std::vector<std::string>> Ranking(const std::string& request_id,
                                                           const std::string& lot_id) const = 0;
  // Every establishment eligible for `query`, nearest first, over as many pages as it takes.
  virtual absl::StatusOr<std::vector<qv1::EligibleEstablishment>> Eligible(
      const std::string& request_id, const qv1::EligibilityQuery& query) const = 0;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_QUALIFICATION_CLIENT_H_
