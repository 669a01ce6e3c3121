// The qualification service over gRPC: every call goes as the referral service itself
// (ROLE_SERVICE), carries the request id it serves and a deadline, and a failure comes back with
// its code, said to be the qualification service's.
#ifndef DPS_SERVICES_REFERRAL_CLIENTS_GRPC_QUALIFICATION_CLIENT_H_
#define DPS_SERVICES_REFERRAL_CLIENTS_GRPC_QUALIFICATION_CLIENT_H_

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "services/referral/clients/qualification_client.h"

namespace dps::referral {

class GrpcQualificationClient final : public QualificationClient {
 public:
  GrpcQualificationClient(std::shared_ptr<grpc::Channel> channel,
                          const platform::auth::ServiceTokens& tokens)
      : stub_(qv1::QualificationService::NewStub(channel)), tokens_(tokens) {}

  // Ranking lists the lot's memberships with order_by_score, page by page.

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

#endif  // DPS_SERVICES_REFERRAL_CLIENTS_GRPC_QUALIFICATION_CLIENT_H_
