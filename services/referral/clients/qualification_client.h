// What the referral service asks the qualification service: a purchasing system, a lot, a
// membership and its prices, and who is eligible. Every call goes as the referral service itself
// (ROLE_SERVICE), carries the request id it serves and a deadline, and a failure comes back with
// its code, said to be the qualification service's.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_QUALIFICATION_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_QUALIFICATION_CLIENT_H_

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/auth/authenticator.h"

namespace dps::referral {

namespace qv1 = ::dps::qualification::v1;

class QualificationClient {
 public:
  QualificationClient(std::shared_ptr<grpc::Channel> channel,
                      const platform::auth::ServiceTokens& tokens)
      : stub_(qv1::QualificationService::NewStub(channel)), tokens_(tokens) {}

  absl::StatusOr<qv1::PurchasingSystem> System(const std::string& request_id,
                                               const std::string& system_id) const;
  absl::StatusOr<qv1::Lot> Lot(const std::string& request_id, const std::string& lot_id) const;
  absl::StatusOr<qv1::Establishment> Establishment(const std::string& request_id,
                                                   const std::string& establishment_id) const;
  // A membership, in any state, with its prices in force (`commercial`: the ceiling fee and the
  // rate card the establishment tendered for the lot).
  absl::StatusOr<qv1::Membership> Membership(const std::string& request_id,
                                             const std::string& membership_id) const;
  // The lots the establishment is a member of, in any state.
  absl::StatusOr<std::vector<std::string>> LotsOf(const std::string& request_id,
                                                  const std::string& establishment_id) const;
  // Whether the establishment is a QUALIFIED (so unsuspended) member of the lot.
  absl::StatusOr<bool> QualifiedMember(const std::string& request_id, const std::string& lot_id,
                                       const std::string& establishment_id) const;
  // Every eligibility rule as it applies to one establishment for `query`.
  absl::StatusOr<qv1::ExplainEligibilityResponse> Explain(
      const std::string& request_id, const qv1::EligibilityQuery& query,
      const std::string& establishment_id) const;
  // The lot's ranking at admission: the establishments of its QUALIFIED members, highest rank
  // first (ListMemberships with order_by_score), over as many pages as it takes.
  absl::StatusOr<std::vector<std::string>> Ranking(const std::string& request_id,
                                                   const std::string& lot_id) const;
  // Every establishment eligible for `query`, nearest first, over as many pages as it takes.
  absl::StatusOr<std::vector<qv1::EligibleEstablishment>> Eligible(
      const std::string& request_id, const qv1::EligibilityQuery& query) const;

 private:
  // Deadline, request id and this service's token on an outgoing call.
  void Prepare(const std::string& request_id, grpc::ClientContext& context) const;
  // `request`'s memberships over as many pages as it takes, each given to `take` in order.
  absl::Status EachMembership(const std::string& request_id, qv1::ListMembershipsRequest request,
                              const std::function<void(const qv1::Membership&)>& take) const;

  std::unique_ptr<qv1::QualificationService::Stub> stub_;
  const platform::auth::ServiceTokens& tokens_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_QUALIFICATION_CLIENT_H_
