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
// ActivateIpa (with an actual_start_date too: IpaUseCases::ActivateIpa), GiveNotice, AgreeEnding
// (the children placed come with UpdateIpaDraft), the variations (ProposeVariation, SignVariation,
// RejectVariation, ListVariations; a variation's id is its IPA's and version number,
// domain/variation.h) and the fee uplifts (RequestFeeUplift, DecideFeeUplift, WithdrawFeeUplift,
// ListFeeUplifts) and the publications of awards (ProducePublication, GetPublication,
// ListPublications, MarkPublicationPublished), KPI definitions and returns, and performance
// reviews, and CreateIpa (an IPA asked for by the placing authority rather than made from the
// award's event: app/create_ipa_use_case.h). Every RPC of the service is served.
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
#include "services/contracts/app/create_ipa_use_case.h"
#include "services/contracts/app/fee_uplift_use_cases.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/app/kpi_use_cases.h"
#include "services/contracts/app/publication_use_cases.h"

namespace dps::contracts {

namespace cv1 = ::dps::contracts::v1;

class ContractsService final : public cv1::ContractsService::Service {
 public:
  // The use cases the handlers call, one set per aggregate.
  struct UseCases {
    IpaUseCases& ipas;
    FeeUpliftUseCases& uplifts;
    PublicationUseCases& publications;
    KpiUseCases& kpis;
    CreateIpaUseCase& creation;
  };

  // `pool` holds the idempotency ledger; `cases` does the work.
  ContractsService(platform::PgPool& pool, const platform::Clock& clock,
                   const platform::auth::Authenticator& authenticator, UseCases cases)
      : pool_(pool),
        clock_(clock),
        authenticator_(authenticator),
        cases_(cases.ipas),
        uplifts_(cases.uplifts),
        publications_(cases.publications),
        kpis_(cases.kpis),
        creation_(cases.creation) {}

  grpc::Status CreateIpa(grpc::ServerContext*, const cv1::CreateIpaRequest*, cv1::Ipa*) override;
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
  grpc::Status ProposeVariation(grpc::ServerContext*, const cv1::ProposeVariationRequest*,
                                cv1::Variation*) override;
  grpc::Status SignVariation(grpc::ServerContext*, const cv1::SignVariationRequest*,
                             cv1::Variation*) override;
  grpc::Status RejectVariation(grpc::ServerContext*, const cv1::RejectVariationRequest*,
                               cv1::Variation*) override;
  grpc::Status ListVariations(grpc::ServerContext*, const cv1::ListVariationsRequest*,
                              cv1::ListVariationsResponse*) override;
  grpc::Status RequestFeeUplift(grpc::ServerContext*, const cv1::RequestFeeUpliftRequest*,
                                cv1::FeeUpliftRequest*) override;
  grpc::Status DecideFeeUplift(grpc::ServerContext*, const cv1::DecideFeeUpliftRequest*,
                               cv1::FeeUpliftRequest*) override;
  grpc::Status WithdrawFeeUplift(grpc::ServerContext*, const cv1::WithdrawFeeUpliftRequest*,
                                 cv1::FeeUpliftRequest*) override;
  grpc::Status ListFeeUplifts(grpc::ServerContext*, const cv1::ListFeeUpliftsRequest*,
                              cv1::ListFeeUpliftsResponse*) override;
  grpc::Status ProducePublication(grpc::ServerContext*, const cv1::ProducePublicationRequest*,
                                  cv1::Publication*) override;
  grpc::Status GetPublication(grpc::ServerContext*, const cv1::GetPublicationRequest*,
                              cv1::Publication*) override;
  grpc::Status ListPublications(grpc::ServerContext*, const cv1::ListPublicationsRequest*,
                                cv1::ListPublicationsResponse*) override;
  grpc::Status MarkPublicationPublished(grpc::ServerContext*,
                                        const cv1::MarkPublicationPublishedRequest*,
                                        cv1::Publication*) override;
  grpc::Status SetKpiDefinitions(grpc::ServerContext*, const cv1::SetKpiDefinitionsRequest*,
                                 cv1::KpiDefinitionSet*) override;
  grpc::Status ListKpiDefinitions(grpc::ServerContext*, const cv1::ListKpiDefinitionsRequest*,
                                  cv1::KpiDefinitionSet*) override;
  grpc::Status SubmitKpiReturn(grpc::ServerContext*, const cv1::SubmitKpiReturnRequest*,
                               cv1::KpiReturn*) override;
  grpc::Status ReviewKpiReturn(grpc::ServerContext*, const cv1::ReviewKpiReturnRequest*,
                               cv1::KpiReturn*) override;
  grpc::Status ListKpiReturns(grpc::ServerContext*, const cv1::ListKpiReturnsRequest*,
                              cv1::ListKpiReturnsResponse*) override;
  grpc::Status RecordPerformanceReview(grpc::ServerContext*,
                                       const cv1::RecordPerformanceReviewRequest*,
                                       cv1::PerformanceReview*) override;
  grpc::Status ListPerformanceReviews(grpc::ServerContext*,
                                      const cv1::ListPerformanceReviewsRequest*,
                                      cv1::ListPerformanceReviewsResponse*) override;

 private:
  using Roles = std::initializer_list<dps::common::v1::Role>;
  using Work = std::function<absl::StatusOr<StoredIpa>(const Caller&)>;
  using UpliftWork = std::function<absl::StatusOr<StoredUplift>(const Caller&)>;
  using PublicationWork =
      std::function<absl::StatusOr<StoredPublication>(const PublicationCaller&)>;
  using ReadWork = std::function<absl::Status(const Actor&)>;
  // The response as it stands, with the request's idempotency key, for the saving transaction
  // to keep (RecordResponse).
  using Record = std::function<RequestRecord()>;
  // Sets the caller's hook that writes the response from what was saved, then records it.
  using Answer = std::function<void(Caller&, const Actor&, const Record&)>;
  using ChangeWork = std::function<absl::Status(const Caller&)>;

  // Any change: the caller authorised and the request checked, a repeat answered from the
  // ledger, then `work`, whose saved result `answer` turns into the response kept with it.
  grpc::Status Change(grpc::ServerContext* context, const char* method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      google::protobuf::Message& response, Roles roles, const Answer& answer,
                      const ChangeWork& work) const;
  // A change of one IPA answered with the IPA as the caller may see it.
  grpc::Status Change(grpc::ServerContext* context, const char* method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      cv1::Ipa& response, Roles roles, const Work& work) const;
  // A change of one IPA answered with its version `which` returns, as a variation (by either
  // party).
  grpc::Status ChangeVariation(grpc::ServerContext* context, const char* method,
                               const std::string& idempotency_key,
                               const google::protobuf::Message& request, cv1::Variation& response,
                               const std::function<int(const Ipa&)>& which, const Work& work) const;
  // A change of a fee uplift answered with the uplift.
  grpc::Status ChangeUplift(grpc::ServerContext* context, const char* method,
                            const std::string& idempotency_key,
                            const google::protobuf::Message& request,
                            cv1::FeeUpliftRequest& response, Roles roles,
                            const UpliftWork& work) const;
  // Keeps the response, once the hook of `work` has written it, with the change in `tx`.
  using Keep = std::function<absl::Status(IpaTransaction&)>;
  // Sets the KPI caller's hook for what it saves (which writes the response, then keeps it) and
  // calls one KPI use case.
  using KpiWork = std::function<absl::Status(KpiCaller&, const Keep&)>;
  grpc::Status ChangeKpi(grpc::ServerContext* context, const char* method,
                         const std::string& idempotency_key,
                         const google::protobuf::Message& request,
                         google::protobuf::Message& response, Roles roles,
                         const KpiWork& work) const;
  // A change of a publication answered with it, its package included.
  grpc::Status ChangePublication(grpc::ServerContext* context, const char* method,
                                 const std::string& idempotency_key,
                                 const google::protobuf::Message& request,
                                 cv1::Publication& response, Roles roles,
                                 const PublicationWork& work) const;
  // A read: the caller and role checked, the request checked, then `work`.
  grpc::Status Read(grpc::ServerContext* context, const google::protobuf::Message& request,
                    Roles roles, const ReadWork& work) const;

  platform::PgPool& pool_;
  const platform::Clock& clock_;
  const platform::auth::Authenticator& authenticator_;
  IpaUseCases& cases_;
  FeeUpliftUseCases& uplifts_;
  PublicationUseCases& publications_;
  KpiUseCases& kpis_;
  CreateIpaUseCase& creation_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_API_CONTRACTS_SERVICE_H_
