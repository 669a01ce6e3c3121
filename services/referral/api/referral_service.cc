#include "services/referral/api/referral_service.h"

#include <algorithm>

#include "absl/strings/ascii.h"
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

using ApiRole = dps::common::v1::Role;
using platform::Call;

constexpr auto kAuthors = {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER};
constexpr auto kReaders = {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
                           ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR};
constexpr absl::Duration kQualificationTimeout = absl::Seconds(5);

bool Authors(const platform::CallerIdentity& caller) {
  return caller.role == ApiRole::ROLE_PLACING_OFFICER || caller.role == ApiRole::ROLE_COMMISSIONER;
}

// Placing officers and commissioners act for their own authority's referrals; lead-authority
// admins and auditors for every referral of a system their authority leads. Anyone else is told
// the referral does not exist, since its existence is itself something to keep.
absl::Status RequireReader(Call& call, const v1::Referral& referral) {
  if (Authors(call.caller)) {
    if (call.caller.organisation_id == referral.placing_authority_id()) return absl::OkStatus();
  } else {
    absl::StatusOr<std::string> lead = LeadAuthorityOf(call.tx, referral.id());
    if (!lead.ok()) return lead.status();
    if (call.caller.organisation_id == *lead) return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("referral ", referral.id(), ": not found"));
}

absl::Status RequireAuthor(Call& call, const v1::Referral& referral) {
  if (call.caller.organisation_id == referral.placing_authority_id()) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("referral ", referral.id(), ": not found"));
}

// A failure of the qualification service, passed on with its code and said to be its.
absl::Status FromQualification(const grpc::Status& status) {
  const absl::Status cause = platform::FromGrpcStatus(status);
  return absl::Status(cause.code(), absl::StrCat("qualification service: ", cause.message()));
}

// The district as authors type it ("rh12 ") in the form the domain checks ("RH12").
void NormaliseDistrict(v1::ReferralSpec& spec) {
  std::string district(absl::StripAsciiWhitespace(spec.location().postcode_district()));
  absl::AsciiStrToUpper(&district);
  spec.mutable_location()->set_postcode_district(district);
}

// The spec as the domain reads it, checked as a draft.
absl::StatusOr<ReferralSpec> CheckedDraft(const v1::ReferralSpec& spec) {
  absl::StatusOr<ReferralSpec> domain = ToDomainSpec(spec);
  if (!domain.ok()) return domain.status();
  if (absl::Status s = ValidateSpec(*domain); !s.ok()) return s;
  return domain;
}

}  // namespace

ReferralService::ReferralService(platform::PgPool& pool, const platform::Clock& clock,
                                 std::shared_ptr<grpc::Channel> qualification)
    : calls_(pool, clock), qualification_(qv1::QualificationService::NewStub(qualification)) {}

absl::StatusOr<ReferralService::Placement> ReferralService::PlacementOf(
    const Call& call, const v1::ReferralSpec& spec) {
  if (spec.system_id().empty()) return platform::InvalidField("spec.system_id", "required");
  if (spec.lot_id().empty()) return platform::InvalidField("spec.lot_id", "required");
  const platform::CallerIdentity self{
      .user_id = "referral-service", .role = ApiRole::ROLE_SERVICE, .organisation_id = "dps"};
  Placement placement;
  {
    grpc::ClientContext context;
    platform::PrepareClientContext(call.request_id, kQualificationTimeout, &context);
    platform::AddCallerMetadata(context, self);
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
  {
    grpc::ClientContext context;
    platform::PrepareClientContext(call.request_id, kQualificationTimeout, &context);
    platform::AddCallerMetadata(context, self);
    qv1::GetLotRequest request;
    request.set_id(spec.lot_id());
    grpc::Status status = qualification_->GetLot(&context, request, &placement.lot);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
        (status.ok() && placement.lot.system_id() != spec.system_id())) {
      return platform::InvalidField(
          "spec.lot_id",
          absl::StrCat("lot '", spec.lot_id(), "' is not a lot of purchasing system '",
                       spec.system_id(), "'"));
    }
    if (!status.ok()) return FromQualification(status);
  }
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

grpc::Status ReferralService::CreateReferral(grpc::ServerContext* context,
                                             const v1::CreateReferralRequest* request,
                                             v1::Referral* response) {
  return calls_.Change(context, "CreateReferral", request->idempotency_key(), *request, *response,
                       kAuthors, [&](Call& call) -> absl::Status {
                         v1::ReferralSpec spec = request->spec();
                         NormaliseDistrict(spec);
                         absl::StatusOr<ReferralSpec> domain_spec = CheckedDraft(spec);
                         if (!domain_spec.ok()) return domain_spec.status();
                         absl::StatusOr<Placement> placement = PlacementOf(call, spec);
                         if (!placement.ok()) return placement.status();
                         Referral referral;
                         referral.id = platform::NewId("referral");
                         referral.placing_authority_id = call.caller.organisation_id;
                         if (absl::Status s = CreateDraft(referral, *std::move(domain_spec),
                                                          call.caller.user_id, call.now);
                             !s.ok()) {
                           return s;
                         }
                         v1::Referral& out = *response;
                         out.set_id(referral.id);
                         out.set_placing_authority_id(referral.placing_authority_id);
                         *out.mutable_spec() = std::move(spec);
                         *out.mutable_created_at() = platform::ToTimestamp(call.now);
                         out.set_version(1);
                         ApplyToApi(referral, out);
                         return InsertReferral(call.tx, out, placement->system.lead_authority_id());
                       });
}

grpc::Status ReferralService::UpdateReferral(grpc::ServerContext* context,
                                             const v1::UpdateReferralRequest* request,
                                             v1::Referral* response) {
  return calls_.Change(
      context, "UpdateReferral", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response;
        if (absl::Status s = LoadReferral(call.tx, request->id(), true, stored); !s.ok()) return s;
        if (absl::Status s = RequireAuthor(call, stored); !s.ok()) return s;
        if (absl::Status s =
                platform::CheckVersion("referral", request->expected_version(), stored.version());
            !s.ok()) {
          return s;
        }
        v1::ReferralSpec spec = request->spec();
        NormaliseDistrict(spec);
        absl::StatusOr<ReferralSpec> domain_spec = CheckedDraft(spec);
        if (!domain_spec.ok()) return domain_spec.status();
        absl::StatusOr<Referral> referral = ToDomain(stored);
        if (!referral.ok()) return referral.status();
        if (absl::Status s = UpdateDraft(*referral, *std::move(domain_spec)); !s.ok()) return s;
        if (spec.system_id() != stored.spec().system_id() ||
            spec.lot_id() != stored.spec().lot_id()) {
          absl::StatusOr<Placement> placement = PlacementOf(call, spec);
          if (!placement.ok()) return placement.status();
          if (placement->system.lead_authority_id() != *LeadAuthorityOf(call.tx, stored.id())) {
            return platform::InvalidField("spec.system_id",
                                          "a draft cannot move to a system with another lead "
                                          "authority; create a new referral");
          }
        }
        *stored.mutable_spec() = std::move(spec);
        ApplyToApi(*referral, stored);
        return SaveReferral(call.tx, stored);
      });
}

grpc::Status ReferralService::GetReferral(grpc::ServerContext* context,
                                          const v1::GetReferralRequest* request,
                                          v1::Referral* response) {
  return calls_.Read(context, kReaders, [&](Call& call) -> absl::Status {
    if (absl::Status s = LoadReferral(call.tx, request->id(), false, *response); !s.ok()) return s;
    return RequireReader(call, *response);
  });
}

grpc::Status ReferralService::ListReferrals(grpc::ServerContext* context,
                                            const v1::ListReferralsRequest* request,
                                            v1::ListReferralsResponse* response) {
  return calls_.Read(context, kReaders, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(request->page());
    if (!page.ok()) return page.status();
    ReferralFilter filter{.system_id = request->system_id(),
                          .lot_id = request->lot_id(),
                          .placing_authority_id = request->placing_authority_id()};
    // Authors see their own authority's referrals; lead admins and auditors their systems'.
    if (Authors(call.caller)) {
      filter.placing_authority_id = call.caller.organisation_id;
    } else {
      filter.lead_authority_id = call.caller.organisation_id;
    }
    for (int i = 0; i < request->states_size(); ++i) {
      if (request->states(i) == v1::REFERRAL_STATE_UNSPECIFIED) {
        return platform::InvalidField(absl::StrCat("states[", i, "]"), "must be a state");
      }
      filter.states.push_back(StateColumn(request->states(i)));
    }
    return dps::referral::ListReferrals(call.tx, filter, *page, *response);
  });
}

grpc::Status ReferralService::WithdrawReferral(grpc::ServerContext* context,
                                               const v1::WithdrawReferralRequest* request,
                                               v1::Referral* response) {
  return calls_.Change(
      context, "WithdrawReferral", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response;
        if (absl::Status s = LoadReferral(call.tx, request->id(), true, stored); !s.ok()) return s;
        if (absl::Status s = RequireAuthor(call, stored); !s.ok()) return s;
        absl::StatusOr<Referral> referral = ToDomain(stored);
        if (!referral.ok()) return referral.status();
        const v1::ReferralState previous = stored.state();
        if (absl::Status s = Withdraw(*referral, request->reason(), call.caller.user_id, call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*referral, stored);
        if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_referral_withdrawn();
        event.set_referral_id(stored.id());
        event.set_previous_state(previous);
        event.set_reason(request->reason());
        return platform::Announce(call, kReferralStream, "referral.referral.withdrawn", "referral",
                                  stored.id(), stored.spec().system_id(), std::move(envelope));
      });
}

}  // namespace dps::referral
