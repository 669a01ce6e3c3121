// The award consumer's AwardFactsSource over the qualification service's gRPC API: the system
// (who leads it, its authorities' names), the lot (its provision types, notice period and
// additional services), the establishment (its name, address and the provision types it offers)
// and its provider (its name), asked as the contracts service itself.
#ifndef DPS_SERVICES_CONTRACTS_CLIENTS_QUALIFICATION_FACTS_H_
#define DPS_SERVICES_CONTRACTS_CLIENTS_QUALIFICATION_FACTS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "services/contracts/consumers/award_events.h"

namespace dps::contracts {

// The provision type of a placement: the first of the lot's provision types that the
// establishment offers, else the lot's first (an establishment registered for none of them was
// still admitted to the lot), else, for a lot that names none, the establishment's first.
// Unspecified when neither names one (the domain then refuses the IPA).
ProvisionType PlacementProvisionType(const dps::qualification::v1::Lot& lot,
                                     const dps::qualification::v1::Establishment& establishment);

class QualificationFacts final : public AwardFactsSource {
 public:
  QualificationFacts(std::shared_ptr<grpc::Channel> channel,
                     const platform::auth::ServiceTokens& tokens)
      : stub_(dps::qualification::v1::QualificationService::NewStub(std::move(channel))),
        tokens_(tokens) {}

  absl::StatusOr<AwardFacts> FactsOf(const std::string& request_id, const std::string& system_id,
                                     const std::string& lot_id,
                                     const std::string& establishment_id) const override;

 private:
  using Stub = dps::qualification::v1::QualificationService::Stub;
  std::unique_ptr<Stub> stub_;
  const platform::auth::ServiceTokens& tokens_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_CLIENTS_QUALIFICATION_FACTS_H_
