#include "services/referral/api/referral_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/grpc/client.h"
#include "platform/grpc/proto_time.h"
#include "platform/grpc/status.h"
#include "services/referral/api/convert.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr absl::Duration kQualificationTimeout = absl::Seconds(5);

// A failure of the qualification service, passed on with its code and said to be its.
absl::Status FromQualification(const grpc::Status& status) {
  const absl::Status cause = platform::FromGrpcStatus(status);
  return absl::Status(cause.code(), absl::StrCat("qualification service: ", cause.message()));
}

// The qualification service is asked as the referral service itself.
void PrepareQualificationCall(const Call& call, grpc::ClientContext& context) {
  platform::PrepareClientContext(call.request_id, kQualificationTimeout, &context);
  platform::AddCallerMetadata(context, {.user_id = "referral-service",
                                        .role = dps::common::v1::ROLE_SERVICE,
                                        .organisation_id = "dps"});
}

}  // namespace

ReferralService::ReferralService(platform::PgPool& pool, const platform::Clock& clock,
                                 std::shared_ptr<grpc::Channel> qualification)
    : calls_(pool, clock), qualification_(qv1::QualificationService::NewStub(qualification)) {}

absl::StatusOr<ReferralService::Placement> ReferralService::PlacementOf(
    const Call& call, const v1::ReferralSpec& spec) {
  if (spec.system_id().empty()) return platform::InvalidField("spec.system_id", "required");
  if (spec.lot_id().empty()) return platform::InvalidField("spec.lot_id", "required");
  Placement placement;
  {
    grpc::ClientContext context;
    PrepareQualificationCall(call, context);
    qv1::GetPurchasingSystemRequest request;
    request.set_id(spec.system_id());
    grpc::Status status = qualification_->GetPurchasingSystem(&context, request, &placement.system);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      return platform::InvalidField(
          "spec.system_id",
          absl::StrCat("purchasing system '", spec.system_id(), "' does not exist"));
    }
    if (!status.ok()) return FromQualification(status);
  }
  absl::StatusOr<qv1::Lot> lot = LotOf(call, spec.lot_id());
  if ((!lot.ok() && lot.status().code() == absl::StatusCode::kNotFound) ||
      (lot.ok() && lot->system_id() != spec.system_id())) {
    return platform::InvalidField(
        "spec.lot_id", absl::StrCat("lot '", spec.lot_id(), "' is not a lot of purchasing system '",
                                    spec.system_id(), "'"));
  }
  if (!lot.ok()) return lot.status();
  placement.lot = *std::move(lot);
  const qv1::PurchasingSystem& system = placement.system;
  const bool takes_part =
      system.lead_authority_id() == call.caller.organisation_id ||
      std::any_of(system.authorities().begin(), system.authorities().end(),
                  [&](const auto& a) { return a.authority_id() == call.caller.organisation_id; });
  if (!takes_part) {
    return absl::PermissionDeniedError(absl::StrCat("organisation ", call.caller.organisation_id,
                                                    " takes no part in purchasing system ",
                                                    system.id()));
  }
  return placement;
}

absl::StatusOr<qv1::Lot> ReferralService::LotOf(const Call& call, const std::string& lot_id) {
  grpc::ClientContext context;
  PrepareQualificationCall(call, context);
  qv1::GetLotRequest request;
  request.set_id(lot_id);
  qv1::Lot lot;
  grpc::Status status = qualification_->GetLot(&context, request, &lot);
  if (!status.ok()) return FromQualification(status);
  return lot;
}

absl::StatusOr<std::vector<qv1::EligibleEstablishment>> ReferralService::FindEligible(
    const Call& call, const qv1::EligibilityQuery& query) {
  std::vector<qv1::EligibleEstablishment> eligible;
  qv1::FindEligibleEstablishmentsRequest request;
  *request.mutable_query() = query;
  request.mutable_page()->set_page_size(500);
  for (;;) {
    grpc::ClientContext context;
    PrepareQualificationCall(call, context);
    qv1::FindEligibleEstablishmentsResponse page;
    grpc::Status status = qualification_->FindEligibleEstablishments(&context, request, &page);
    if (!status.ok()) return FromQualification(status);
    for (qv1::EligibleEstablishment& e : *page.mutable_establishments()) {
      eligible.push_back(std::move(e));
    }
    if (page.page().next_page_token().empty()) return eligible;
    request.mutable_page()->set_page_token(page.page().next_page_token());
  }
}

}  // namespace dps::referral
