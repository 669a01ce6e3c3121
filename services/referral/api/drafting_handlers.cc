// Drafting, reading and withdrawing referrals.
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/child_location.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/endings.h"
#include "services/referral/app/placement.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kReaders = {ApiRole::ROLE_PLACING_OFFICER,      ApiRole::ROLE_COMMISSIONER,
                           ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR,
                           ApiRole::ROLE_PROVIDER_USER,        ApiRole::ROLE_SERVICE};

// A provider user opened the referral: its establishments' invitations are VIEWED.
absl::Status MarkViewedBy(Call& call, const std::string& referral_id) {
  absl::StatusOr<std::vector<v1::Invitation>> invitations =
      InvitationsOf(call.tx, referral_id, true);
  if (!invitations.ok()) return invitations.status();
  for (v1::Invitation& stored : *invitations) {
    if (stored.provider_id() != call.caller.organisation_id) continue;
    absl::StatusOr<Invitation> invitation = ToDomain(stored);
    if (!invitation.ok()) return invitation.status();
    if (invitation->state != InvitationState::kInvited) continue;
    MarkViewed(*invitation, call.now);
    ApplyToApi(*invitation, stored);
    if (absl::Status s = SaveInvitation(call.tx, stored); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// The spec as the domain reads it, checked as a draft; its district tidied and placed.
absl::StatusOr<ReferralSpec> CheckedDraft(v1::ReferralSpec& spec) {
  if (absl::Status s = PlaceDistrict(*spec.mutable_location(), "spec.location"); !s.ok()) {
    return s;
  }
  absl::StatusOr<ReferralSpec> domain = ToDomainSpec(spec);
  if (!domain.ok()) return domain.status();
  if (absl::Status s = ValidateSpec(*domain); !s.ok()) return s;
  return domain;
}

// The system and lot `spec` names, asked of the qualification service into `placement`.
absl::Status AskPlacement(const QualificationClient& qualification,
                          const platform::CallerIdentity& caller, const std::string& request_id,
                          const v1::ReferralSpec& spec, std::optional<Placement>& placement) {
  absl::StatusOr<Placement> asked =
      PlacementOf(qualification, caller, request_id, spec.system_id(), spec.lot_id(), "spec.");
  if (!asked.ok()) return asked.status();
  placement = *std::move(asked);
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReferralService::CreateReferral(grpc::ServerContext* context,
                                             const v1::CreateReferralRequest* request,
                                             v1::Referral* response) {
  // The draft is checked, and its system and lot asked about, before the transaction opens (a
  // spec that breaks a rule of its own costs no call); the transaction only writes it.
  v1::ReferralSpec spec = request->spec();  // with its district placed at its centroid
  std::optional<ReferralSpec> domain_spec;
  std::optional<Placement> placement;
  const platform::CallRunner::Prepare prepare{
      .ask = [&](const platform::CallerIdentity& caller,
                 const std::string& request_id) -> absl::Status {
        absl::StatusOr<ReferralSpec> checked = CheckedDraft(spec);
        if (!checked.ok()) return checked.status();
        if (absl::Status s = AskPlacement(qualification_, caller, request_id, spec, placement);
            !s.ok()) {
          return s;
        }
        if (absl::Status s =
                CheckWeightsForLot(*checked, LotRulesOf(placement->system, placement->lot));
            !s.ok()) {
          return s;
        }
        domain_spec = *std::move(checked);
        return absl::OkStatus();
      }};
  return calls_.Change(
      context, "CreateReferral", request->idempotency_key(), *request, *response, kAuthors, prepare,
      [&](Call& call) -> absl::Status {
        Referral referral;
        referral.id = platform::NewId("referral");
        referral.placing_authority_id = call.caller.organisation_id;
        if (absl::Status s = CreateDraft(referral, *domain_spec, ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        v1::Referral& out = *response;
        out.set_id(referral.id);
        out.set_placing_authority_id(referral.placing_authority_id);
        *out.mutable_spec() = spec;
        *out.mutable_created_at() = platform::ToTimestamp(call.now);
        out.set_version(1);
        ApplyToApi(referral, out);
        return InsertReferral(call.tx, out, placement->system.lead_authority_id());
      });
}

grpc::Status ReferralService::UpdateReferral(grpc::ServerContext* context,
                                             const v1::UpdateReferralRequest* request,
                                             v1::Referral* response) {
  // The lot is asked about only when the draft moves to another, and before the transaction
  // opens. A system that turned pass/fail only since the draft was saved is caught at
  // publication, which checks the weights against the lot again.
  v1::Referral read;
  v1::ReferralSpec spec = request->spec();  // with its district placed at its centroid
  std::optional<ReferralSpec> domain_spec;
  std::optional<Placement> placement;
  const auto moves = [&](const v1::Referral& draft) {
    return request->spec().system_id() != draft.spec().system_id() ||
           request->spec().lot_id() != draft.spec().lot_id();
  };
  const platform::CallRunner::Prepare prepare{
      .read =
          [&](Call& call) {
            return ReadOwnReferral(call, request->id(), read, request->expected_version()).status();
          },
      .ask =
          [&](const platform::CallerIdentity& caller, const std::string& request_id) {
            absl::StatusOr<ReferralSpec> checked = CheckedDraft(spec);
            if (!checked.ok()) return checked.status();
            domain_spec = *std::move(checked);
            if (!moves(read)) return absl::OkStatus();
            return AskPlacement(qualification_, caller, request_id, spec, placement);
          }};
  return calls_.Change(
      context, "UpdateReferral", request->idempotency_key(), *request, *response, kAuthors, prepare,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response;
        absl::StatusOr<Referral> referral =
            LoadOwnReferral(call, request->id(), stored, request->expected_version());
        if (!referral.ok()) return referral.status();
        if (absl::Status s = UpdateDraft(*referral, *domain_spec); !s.ok()) return s;
        if (moves(stored)) {
          if (!placement.has_value()) {
            return absl::AbortedError(absl::StrCat(
                "referral ", stored.id(), " changed while its new lot was checked; retry"));
          }
          if (absl::Status s =
                  CheckWeightsForLot(referral->spec, LotRulesOf(placement->system, placement->lot));
              !s.ok()) {
            return s;
          }
          absl::StatusOr<std::string> lead = LeadAuthorityOf(call.tx, stored.id());
          if (!lead.ok()) return lead.status();
          if (placement->system.lead_authority_id() != *lead) {
            return platform::InvalidField("spec.system_id",
                                          "a draft cannot move to a system with another lead "
                                          "authority; create a new referral");
          }
        }
        *stored.mutable_spec() = spec;
        ApplyToApi(*referral, stored);
        return SaveReferral(call.tx, stored);
      });
}

grpc::Status ReferralService::GetReferral(grpc::ServerContext* context,
                                          const v1::GetReferralRequest* request,
                                          v1::Referral* response) {
  return calls_.Read(context, *request, kReaders, [&](Call& call) -> absl::Status {
    if (absl::Status s = LoadReferral(call.tx, request->id(), false, *response); !s.ok()) return s;
    if (absl::Status s = RequireReader(call, *response); !s.ok()) return s;
    if (call.caller.role != ApiRole::ROLE_PROVIDER_USER) return absl::OkStatus();
    HideFromProvider(*response);
    return MarkViewedBy(call, response->id());
  });
}

grpc::Status ReferralService::ListReferrals(grpc::ServerContext* context,
                                            const v1::ListReferralsRequest* request,
                                            v1::ListReferralsResponse* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    ReferralFilter filter{.system_id = request->system_id(),
                          .lot_id = request->lot_id(),
                          .placing_authority_id = request->placing_authority_id()};
    // Authors see their own authority's referrals; lead admins and auditors their systems'.
    if (IsAuthor(call.caller)) {
      filter.placing_authority_id = call.caller.organisation_id;
    } else {
      filter.lead_authority_id = call.caller.organisation_id;
    }
    absl::StatusOr<std::vector<std::string>> states =
        StateFilter<v1::ReferralState>(request->states());
    if (!states.ok()) return states.status();
    filter.states = *std::move(states);
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
        absl::StatusOr<Referral> referral = LoadOwnReferral(call, request->id(), stored);
        if (!referral.ok()) return referral.status();
        const v1::ReferralState previous = stored.state();
        if (absl::Status s =
                Withdraw(*referral, request->reason(), ActorFrom(call.caller), call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*referral, stored);
        if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
        if (absl::Status s = CancelUnanswered(call.tx, stored.id()); !s.ok()) return s;
        if (absl::Status s = EndBidsWithoutAward(call.tx, stored.id()); !s.ok()) return s;
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
