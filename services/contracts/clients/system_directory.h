// The publication use cases' SystemDirectory over the qualification service's gRPC API: a
// purchasing system's name, regime, lead authority (with its name) and participating
// authorities, from GetPurchasingSystem, asked as the contracts service itself (its own token,
// a deadline, as QualificationFacts asks: platform/grpc/client.h PrepareServiceCall).
#ifndef DPS_SERVICES_CONTRACTS_CLIENTS_SYSTEM_DIRECTORY_H_
#define DPS_SERVICES_CONTRACTS_CLIENTS_SYSTEM_DIRECTORY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "services/contracts/app/system_directory.h"

namespace dps::contracts {

// The facts publishing needs from the qualification service's PurchasingSystem. The lead
// authority's name is its entry among the participating authorities (empty when it is not
// listed: the writer then publishes its id); a regime this version does not know is
// kUnspecified, which the use cases refuse to publish for.
SystemFacts SystemFactsOf(const dps::qualification::v1::PurchasingSystem& system);

class QualificationSystemDirectory final : public SystemDirectory {
 public:
  QualificationSystemDirectory(std::shared_ptr<grpc::Channel> channel,
                               const platform::auth::ServiceTokens& tokens)
      : stub_(dps::qualification::v1::QualificationService::NewStub(std::move(channel))),
        tokens_(tokens) {}

  // Errors are the qualification service's, prefixed "qualification service: " (NotFound for
  // an unknown system, Unavailable when it cannot be reached, DeadlineExceeded after 5 seconds).
  absl::StatusOr<SystemFacts> System(const std::string& system_id) const override;

 private:
  std::unique_ptr<dps::qualification::v1::QualificationService::Stub> stub_;
  const platform::auth::ServiceTokens& tokens_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_CLIENTS_SYSTEM_DIRECTORY_H_
