// The QualificationService gRPC API over the domain (services/qualification/domain) and the
// register (services/qualification/storage).
//
// Each handler is a thin translation: who is calling (platform/grpc/caller.h), whether their role
// and organisation may, then one transaction that loads the records, runs the domain rule,
// writes the records and their outbox events, and (for changes) records the idempotency key with
// the response. The handlers are grouped by area in the *_handlers.cc files beside this one.
//
// Every RPC of dps.qualification.v1.QualificationService is served here.
#ifndef DPS_SERVICES_QUALIFICATION_API_QUALIFICATION_SERVICE_H_
#define DPS_SERVICES_QUALIFICATION_API_QUALIFICATION_SERVICE_H_

#include <functional>
#include <initializer_list>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dps/events/v1/events.pb.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/clock/clock.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/calls.h"
#include "platform/pg/pool.h"
#include "services/qualification/app/announce.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;
using ApiRole = dps::common::v1::Role;

class QualificationService final : public v1::QualificationService::Service {
 public:
  QualificationService(platform::PgPool& pool, const platform::Clock& clock,
                       const platform::auth::Authenticator& authenticator)
      : calls_(pool, clock, authenticator) {}

  // Purchasing systems, lots and criteria (system_handlers.cc).
  grpc::Status CreatePurchasingSystem(grpc::ServerContext*,
                                      const v1::CreatePurchasingSystemRequest*,
                                      v1::PurchasingSystem*) override;
  grpc::Status GetPurchasingSystem(grpc::ServerContext*, const v1::GetPurchasingSystemRequest*,
                                   v1::PurchasingSystem*) override;
  grpc::Status ListPurchasingSystems(grpc::ServerContext*, const v1::ListPurchasingSystemsRequest*,
                                     v1::ListPurchasingSystemsResponse*) override;
  grpc::Status SetPurchasingSystemState(grpc::ServerContext*,
                                        const v1::SetPurchasingSystemStateRequest*,
                                        v1::PurchasingSystem*) override;
  grpc::Status AddParticipatingAuthority(grpc::ServerContext*,
                                         const v1::AddParticipatingAuthorityRequest*,
                                         v1::PurchasingSystem*) override;
  grpc::Status ExtendPurchasingSystem(grpc::ServerContext*,
                                      const v1::ExtendPurchasingSystemRequest*,
                                      v1::PurchasingSystem*) override;
  grpc::Status CreateLot(grpc::ServerContext*, const v1::CreateLotRequest*, v1::Lot*) override;
  grpc::Status GetLot(grpc::ServerContext*, const v1::GetLotRequest*, v1::Lot*) override;
  grpc::Status ListLots(grpc::ServerContext*, const v1::ListLotsRequest*,
                        v1::ListLotsResponse*) override;
  grpc::Status CreateCriterion(grpc::ServerContext*, const v1::CreateCriterionRequest*,
                               v1::Criterion*) override;
  grpc::Status ListCriteria(grpc::ServerContext*, const v1::ListCriteriaRequest*,
                            v1::ListCriteriaResponse*) override;
  grpc::Status UpdatePurchasingSystem(grpc::ServerContext*,
                                      const v1::UpdatePurchasingSystemRequest*,
                                      v1::PurchasingSystem*) override;
  grpc::Status UpdateLot(grpc::ServerContext*, const v1::UpdateLotRequest*, v1::Lot*) override;
  grpc::Status UpdateCriterion(grpc::ServerContext*, const v1::UpdateCriterionRequest*,
                               v1::Criterion*) override;

  // Providers, establishments and evidence (register_handlers.cc).
  grpc::Status RegisterProvider(grpc::ServerContext*, const v1::RegisterProviderRequest*,
                                v1::Provider*) override;
  grpc::Status GetProvider(grpc::ServerContext*, const v1::GetProviderRequest*,
                           v1::Provider*) override;
  grpc::Status CreateEstablishment(grpc::ServerContext*, const v1::CreateEstablishmentRequest*,
                                   v1::Establishment*) override;
  grpc::Status GetEstablishment(grpc::ServerContext*, const v1::GetEstablishmentRequest*,
                                v1::Establishment*) override;
  grpc::Status ListEstablishments(grpc::ServerContext*, const v1::ListEstablishmentsRequest*,
                                  v1::ListEstablishmentsResponse*) override;
  grpc::Status AddEvidence(grpc::ServerContext*, const v1::AddEvidenceRequest*,
                           v1::Evidence*) override;
  grpc::Status ListEvidence(grpc::ServerContext*, const v1::ListEvidenceRequest*,
                            v1::ListEvidenceResponse*) override;

  // Applications (application_handlers.cc).
  grpc::Status CreateApplication(grpc::ServerContext*, const v1::CreateApplicationRequest*,
                                 v1::Application*) override;
  grpc::Status GetApplication(grpc::ServerContext*, const v1::GetApplicationRequest*,
                              v1::Application*) override;
  grpc::Status SubmitApplication(grpc::ServerContext*, const v1::SubmitApplicationRequest*,
                                 v1::Application*) override;
  grpc::Status WithdrawApplication(grpc::ServerContext*, const v1::WithdrawApplicationRequest*,
                                   v1::Application*) override;
  grpc::Status AssignEvaluators(grpc::ServerContext*, const v1::AssignEvaluatorsRequest*,
                                v1::Application*) override;
  grpc::Status ScoreMethodStatement(grpc::ServerContext*, const v1::ScoreMethodStatementRequest*,
                                    v1::Application*) override;
  grpc::Status RecordCriterionResult(grpc::ServerContext*, const v1::RecordCriterionResultRequest*,
                                     v1::Application*) override;
  grpc::Status ExtendDecisionPeriod(grpc::ServerContext*, const v1::ExtendDecisionPeriodRequest*,
                                    v1::Application*) override;
  grpc::Status DecideApplication(grpc::ServerContext*, const v1::DecideApplicationRequest*,
                                 v1::Application*) override;

  // Membership, score adjustments and the reviews they cite (membership_handlers.cc).
  grpc::Status GetMembership(grpc::ServerContext*, const v1::GetMembershipRequest*,
                             v1::Membership*) override;
  grpc::Status ListMemberships(grpc::ServerContext*, const v1::ListMembershipsRequest*,
                               v1::ListMembershipsResponse*) override;
  grpc::Status SuspendMembership(grpc::ServerContext*, const v1::SuspendMembershipRequest*,
                                 v1::SuspendMembershipResponse*) override;
  grpc::Status ReinstateMembership(grpc::ServerContext*, const v1::ReinstateMembershipRequest*,
                                   v1::Membership*) override;
  grpc::Status ExcludeMembership(grpc::ServerContext*, const v1::ExcludeMembershipRequest*,
                                 v1::Membership*) override;
  grpc::Status AdjustQualificationScore(grpc::ServerContext*,
                                        const v1::AdjustQualificationScoreRequest*,
                                        v1::ScoreAdjustment*) override;
  // The performance reviews recorded from the contracts stream, which adjustments cite.
  grpc::Status ListPerformanceReviews(grpc::ServerContext*,
                                      const v1::ListPerformanceReviewsRequest*,
                                      v1::ListPerformanceReviewsResponse*) override;

  // Inspection ratings and safeguarding alerts (oversight_handlers.cc).
  grpc::Status RecordInspectionRating(grpc::ServerContext*,
                                      const v1::RecordInspectionRatingRequest*,
                                      v1::InspectionRating*) override;
  grpc::Status ImportInspectionRatings(grpc::ServerContext*,
                                       const v1::ImportInspectionRatingsRequest*,
                                       v1::ImportInspectionRatingsResponse*) override;
  grpc::Status ListInspectionRatings(grpc::ServerContext*, const v1::ListInspectionRatingsRequest*,
                                     v1::ListInspectionRatingsResponse*) override;
  grpc::Status RaiseSafeguardingAlert(grpc::ServerContext*,
                                      const v1::RaiseSafeguardingAlertRequest*,
                                      v1::SafeguardingAlert*) override;
  grpc::Status UpdateSafeguardingAlert(grpc::ServerContext*,
                                       const v1::UpdateSafeguardingAlertRequest*,
                                       v1::SafeguardingAlert*) override;
  grpc::Status GetSafeguardingAlert(grpc::ServerContext*, const v1::GetSafeguardingAlertRequest*,
                                    v1::SafeguardingAlert*) override;
  grpc::Status ListSafeguardingAlerts(grpc::ServerContext*,
                                      const v1::ListSafeguardingAlertsRequest*,
                                      v1::ListSafeguardingAlertsResponse*) override;

  // Work lists (list_handlers.cc).
  grpc::Status ListApplications(grpc::ServerContext*, const v1::ListApplicationsRequest*,
                                v1::ListApplicationsResponse*) override;
  grpc::Status ListEvaluationTasks(grpc::ServerContext*, const v1::ListEvaluationTasksRequest*,
                                   v1::ListEvaluationTasksResponse*) override;
  grpc::Status ListProviders(grpc::ServerContext*, const v1::ListProvidersRequest*,
                             v1::ListProvidersResponse*) override;
  grpc::Status ListScoreAdjustments(grpc::ServerContext*, const v1::ListScoreAdjustmentsRequest*,
                                    v1::ListScoreAdjustmentsResponse*) override;

  // A provider's changes to its own records (update_handlers.cc).
  grpc::Status UpdateApplication(grpc::ServerContext*, const v1::UpdateApplicationRequest*,
                                 v1::Application*) override;
  grpc::Status UpdateProvider(grpc::ServerContext*, const v1::UpdateProviderRequest*,
                              v1::Provider*) override;
  grpc::Status UpdateEstablishment(grpc::ServerContext*, const v1::UpdateEstablishmentRequest*,
                                   v1::Establishment*) override;

  // Audits (audit_handlers.cc).
  grpc::Status ScheduleAudit(grpc::ServerContext*, const v1::ScheduleAuditRequest*,
                             v1::Audit*) override;
  grpc::Status RecordAuditResult(grpc::ServerContext*, const v1::RecordAuditResultRequest*,
                                 v1::Audit*) override;
  grpc::Status ListAudits(grpc::ServerContext*, const v1::ListAuditsRequest*,
                          v1::ListAuditsResponse*) override;

  // Eligibility (eligibility_handlers.cc).
  grpc::Status FindEligibleEstablishments(grpc::ServerContext*,
                                          const v1::FindEligibleEstablishmentsRequest*,
                                          v1::FindEligibleEstablishmentsResponse*) override;
  grpc::Status ExplainEligibility(grpc::ServerContext*, const v1::ExplainEligibilityRequest*,
                                  v1::ExplainEligibilityResponse*) override;

 private:
  using Body = platform::CallRunner::Body;

  grpc::Status Change(grpc::ServerContext* context, absl::string_view method,
                      const std::string& idempotency_key, const google::protobuf::Message& request,
                      google::protobuf::Message& response, std::initializer_list<ApiRole> roles,
                      const Body& body) {
    return calls_.Change(context, method, idempotency_key, request, response, roles, body);
  }
  grpc::Status Read(grpc::ServerContext* context, const google::protobuf::Message& request,
                    std::initializer_list<ApiRole> roles, const Body& body) {
    return calls_.Read(context, request, roles, body);
  }

  platform::CallRunner calls_;
};

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_API_QUALIFICATION_SERVICE_H_
