#include "services/referral/clients/grpc_qualification_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/auth/identity.h"
#include "platform/grpc/client.h"
#include "platform/grpc/status.h"

namespace dps::referral {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(5);

absl::Status Failed(const grpc::Status& status) {
  const absl::Status cause = platform::FromGrpcStatus(status);
  return absl::Status(cause.code(), absl::StrCat("qualification service: ", cause.message()));
}

}  // namespace

void GrpcQualificationClient::Prepare(const std::string& request_id,
                                      grpc::ClientContext& context) const {
  platform::PrepareServiceCall(request_id, kTimeout, tokens_, &context);
}

absl::StatusOr<qv1::PurchasingSystem> GrpcQualificationClient::System(
    const std::string& request_id, const std::string& system_id) const {
  grpc::ClientContext context;
  Prepare(request_id, context);
  qv1::GetPurchasingSystemRequest request;
  request.set_id(system_id);
  qv1::PurchasingSystem system;
  grpc::Status status = stub_->GetPurchasingSystem(&context, request, &system);
  if (!status.ok()) return Failed(status);
  return system;
}

absl::StatusOr<qv1::Lot> GrpcQualificationClient::Lot(const std::string& request_id,
                                                      const std::string& lot_id) const {
  grpc::ClientContext context;
  Prepare(request_id, context);
  qv1::GetLotRequest request;
  request.set_id(lot_id);
  qv1::Lot lot;
  grpc::Status status = stub_->GetLot(&context, request, &lot);
  if (!status.ok()) return Failed(status);
  return lot;
}

absl::StatusOr<qv1::Establishment> GrpcQualificationClient::Establishment(
    const std::string& request_id, const std::string& establishment_id) const {
  grpc::ClientContext context;
  Prepare(request_id, context);
  qv1::GetEstablishmentRequest request;
  request.set_id(establishment_id);
  qv1::Establishment establishment;
  grpc::Status status = stub_->GetEstablishment(&context, request, &establishment);
  if (!status.ok()) return Failed(status);
  return establishment;
}

absl::StatusOr<qv1::Membership> GrpcQualificationClient::Membership(
    const std::string& request_id, const std::string& membership_id) const {
  grpc::ClientContext context;
  Prepare(request_id, context);
  qv1::GetMembershipRequest request;
  request.set_id(membership_id);
  qv1::Membership membership;
  grpc::Status status = stub_->GetMembership(&context, request, &membership);
  if (!status.ok()) return Failed(status);
  return membership;
}

absl::StatusOr<std::vector<std::string>> GrpcQualificationClient::LotsOf(
    const std::string& request_id, const std::string& establishment_id) const {
  std::vector<std::string> lots;
  qv1::ListMembershipsRequest request;
  request.set_establishment_id(establishment_id);
  absl::Status listed =
      EachMembership(request_id, std::move(request),
                     [&](const qv1::Membership& m) { lots.push_back(m.lot_id()); });
  if (!listed.ok()) return listed;
  return lots;
}

absl::StatusOr<bool> GrpcQualificationClient::QualifiedMember(
    const std::string& request_id, const std::string& lot_id,
    const std::string& establishment_id) const {
  grpc::ClientContext context;
  Prepare(request_id, context);
  qv1::ListMembershipsRequest request;
  request.set_lot_id(lot_id);
  request.set_establishment_id(establishment_id);
  request.add_states(qv1::MEMBERSHIP_STATE_QUALIFIED);
  qv1::ListMembershipsResponse response;
  grpc::Status status = stub_->ListMemberships(&context, request, &response);
  if (!status.ok()) return Failed(status);
  return response.memberships_size() > 0;
}

absl::StatusOr<std::vector<std::string>> GrpcQualificationClient::Ranking(
    const std::string& request_id, const std::string& lot_id) const {
  std::vector<std::string> ranking;
  qv1::ListMembershipsRequest request;
  request.set_lot_id(lot_id);
  request.set_order_by_score(true);
  request.add_states(qv1::MEMBERSHIP_STATE_QUALIFIED);
  absl::Status listed =
      EachMembership(request_id, std::move(request),
                     [&](const qv1::Membership& m) { ranking.push_back(m.establishment_id()); });
  if (!listed.ok()) return listed;
  return ranking;
}

absl::Status GrpcQualificationClient::EachMembership(
    const std::string& request_id, qv1::ListMembershipsRequest request,
    const std::function<void(const qv1::Membership&)>& take) const {
  request.mutable_page()->set_page_size(500);
  for (;;) {
    grpc::ClientContext context;
    Prepare(request_id, context);
    qv1::ListMembershipsResponse page;
    grpc::Status status = stub_->ListMemberships(&context, request, &page);
    if (!status.ok()) return Failed(status);
    for (const qv1::Membership& membership : page.memberships()) take(membership);
    if (page.page().next_page_token().empty()) return absl::OkStatus();
    request.mutable_page()->set_page_token(page.page().next_page_token());
  }
}

absl::StatusOr<qv1::ExplainEligibilityResponse> GrpcQualificationClient::Explain(
    const std::string& request_id, const qv1::EligibilityQuery& query,
    const std::string& establishment_id) const {
  grpc::ClientContext context;
  Prepare(request_id, context);
  qv1::ExplainEligibilityRequest request;
  *request.mutable_query() = query;
  request.set_establishment_id(establishment_id);
  qv1::ExplainEligibilityResponse response;
  grpc::Status status = stub_->ExplainEligibility(&context, request, &response);
  if (!status.ok()) return Failed(status);
  return response;
}

absl::StatusOr<std::vector<qv1::EligibleEstablishment>> GrpcQualificationClient::Eligible(
    const std::string& request_id, const qv1::EligibilityQuery& query) const {
  std::vector<qv1::EligibleEstablishment> eligible;
  qv1::FindEligibleEstablishmentsRequest request;
  *request.mutable_query() = query;
  request.mutable_page()->set_page_size(500);
  for (;;) {
    grpc::ClientContext context;
    Prepare(request_id, context);
    qv1::FindEligibleEstablishmentsResponse page;
    grpc::Status status = stub_->FindEligibleEstablishments(&context, request, &page);
    if (!status.ok()) return Failed(status);
    for (qv1::EligibleEstablishment& e : *page.mutable_establishments()) {
      eligible.push_back(std::move(e));
    }
    if (page.page().next_page_token().empty()) return eligible;
    request.mutable_page()->set_page_token(page.page().next_page_token());
  }
}

}  // namespace dps::referral
