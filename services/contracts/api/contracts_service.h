// The ContractsService gRPC API (proto/dps/contracts/v1/contracts.proto) over the IPA use cases
// (services/contracts/app). Each handler converts the request (convert.h), calls one use case
// and maps the status; the rules are the domain's, the scoping and access the use cases'.
//
// Changes keep their answer under the request's idempotency key (platform/pg/idempotency.h) in
// the transaction that saves the change (Caller::on_saved), so a retry after a lost reply gets
// the first answer; a repeat is answered from the ledger before anything else is tried, and a
// change that fails is looked up once more in case a repeat of it won a race.
//
// Served: GetIpa, ListIpas, UpdateIpaDraft, IssueIpa, CancelIpa, RenderIpa, SignIpa,
// ActivateIpa, GiveNotice, AgreeEnding (the children placed come with UpdateIpaDraft). Not yet
// (UNIMPLEMENTED, listed in README.md): CreateIpa (IPAs are made from the award events:
// consumers/award_events.h), variations, fee uplifts, publications, KPI returns and performance
// reviews.
#ifndef DPS_SERVICES_CONTRACTS_API_CONTRACTS_SERVICE_H_
#define DPS_SERVICES_CONTRACTS_API_CONTRACTS_SERVICE_H_

#include <functional>
#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "dps/contracts/v1/contracts.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "platform/clock/clock.h"
#include "platform/pg/pool.h"
#include "services/contracts/app/ipa_use_cases.h"

namespace dps::contracts {

namespace cv1 = ::dps::contracts::v1;

class ContractsService final : public cv1::ContractsService::Service {
 public:
  // `pool` holds the idempotency ledger; `cases` does the work.
  ContractsService(platform::PgPool& pool, const platform::Clock& clock,
                   const platform::auth::Authenticator& authenticator, IpaUseCases& cases)
      : pool_(pool), clock_(clock), authenticator_(authenticator), cases_(cases) {}

  grpc::Status GetIpa(grpc::ServerContext*, const cv1::GetIpaRequest*, cv1::Ipa*) override;
  grpc::Status ListIpas(grpc::ServerContext*, const cv1::ListIpasRequest*,
                        cv1::ListIpasResponse*) override;
  grpc::Status UpdateIpaDraft(grpc::ServerContext*, const cv1::UpdateIpaDraftRequest*,
                              cv1::Ipa*) override;
  grpc::Status IssueIpa(grpc::ServerContext*, const cv1::IssueIpaRequest*, cv1::Ipa*) override;
  grpc::Status CancelIpa(grpc::ServerContext*, const cv1::CancelIpaRequest*, cv1::Ipa*) override;
  grpc::Status RenderIpa(grpc::ServerContext*, const cv1::RenderIpaRequest*,
                         cv1::RenderIpaResponse*) override;
  grpc::Status SignIpa(grpc::ServerContext*, const cv1::SignIpaRequest*, cv1::Ipa*) override;
  grpc::Status ActivateIpa(grpc::ServerContext*, const cv1::ActivateIpaRequest*,
                           cv1::Ipa*) override;
  grpc::Status GiveNotice(grpc::ServerContext*, const cv1::GiveNoticeRequest*, cv1::Ipa*) override;
  grpc::Status AgreeEnding(grpc::ServerContext*, const cv1::AgreeEndingRequest*,
                           cv1::Ipa*) override;

 private:
  using Roles = std::initializer_list<dps::common::v1::Role>;
  using Work = std::function<absl::StatusOr<StoredIpa>(const Caller&)>;
  using ReadWork = std::function<absl::Status(const Actor&)>;

  // A change of one IPA answered with the IPA as the caller may see it.
  grpc::Status Change(grpc::ServerContext* context, const char* method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      cv1::Ipa& response, Roles roles, const Work& work) const;
  // A read: the caller and role checked, the request checked, then `work`.
  grpc::Status Read(grpc::ServerContext* context, const google::protobuf::Message& request,
                    Roles roles, const ReadWork& work) const;

  platform::PgPool& pool_;
  const platform::Clock& clock_;
  const platform::auth::Authenticator& authenticator_;
  IpaUseCases& cases_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_API_CONTRACTS_SERVICE_H_
