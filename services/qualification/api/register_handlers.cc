// Providers, their establishments and evidence: written by the provider's own users, read by all
// (evidence only by the provider and the authorities that evaluate it).
#include "absl/strings/str_cat.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/establishments.h"
#include "services/qualification/app/evidence.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/app/providers.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/pg_establishment_repository.h"
#include "services/qualification/storage/pg_evidence_repository.h"
#include "services/qualification/storage/pg_provider_repository.h"
#include "services/qualification/storage/pg_register_reads.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// The evidence use cases over the call's transaction, announcing on the qualification stream's
// outbox.
struct EvidenceWork {
  explicit EvidenceWork(Call& call)
      : evidence(call.tx),
        register_reads(call.tx),
        memberships(call),
        events(QualificationOutbox(call)) {}
  PgEvidenceRepository evidence;
  PgRegisterReads register_reads;
  RecordedMemberships memberships;
  platform::OutboxEvents events;
  EvidenceUseCases use_cases{evidence, register_reads, memberships, events};
};

// The establishment use cases over the call's transaction.
struct EstablishmentWork {
  explicit EstablishmentWork(Call& call) : establishments(call.tx), providers(call.tx) {}
  PgEstablishmentRepository establishments;
  PgProviderRepository providers;
  EstablishmentUseCases use_cases{establishments, providers};
};

}  // namespace

// A provider's record id is its organisation id, the dps_org claim of its users' tokens,
// so that "the caller acts for this provider" is one comparison.
grpc::Status QualificationService::RegisterProvider(grpc::ServerContext* context,
                                                    const v1::RegisterProviderRequest* request,
                                                    v1::Provider* response) {
  return Change(context, "RegisterProvider", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  PgProviderRepository providers(call.tx);
                  absl::StatusOr<Provider> registered = ProviderUseCases(providers).Register(
                      ToDomainDetails(request->spec()), call.caller, call.now);
                  if (!registered.ok()) return registered.status();
                  *response = ToApiProvider(*registered);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::GetProvider(grpc::ServerContext* context,
                                               const v1::GetProviderRequest* request,
                                               v1::Provider* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    PgProviderRepository providers(call.tx);
    absl::StatusOr<Provider> provider = ProviderUseCases(providers).Read(request->id());
    if (!provider.ok()) return provider.status();
    *response = ToApiProvider(*provider);
    return absl::OkStatus();
  });
}

grpc::Status QualificationService::CreateEstablishment(
    grpc::ServerContext* context, const v1::CreateEstablishmentRequest* request,
    v1::Establishment* response) {
  return Change(context, "CreateEstablishment", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  EstablishmentWork work(call);
                  absl::StatusOr<Establishment> created =
                      work.use_cases.Create(NewId("est"), request->provider_id(),
                                            ToDomainDetails(request->spec()), call.caller);
                  if (!created.ok()) return created.status();
                  *response = ToApiEstablishment(*created);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::GetEstablishment(grpc::ServerContext* context,
                                                    const v1::GetEstablishmentRequest* request,
                                                    v1::Establishment* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    EstablishmentWork work(call);
    absl::StatusOr<Establishment> establishment = work.use_cases.Read(request->id());
    if (!establishment.ok()) return establishment.status();
    *response = ToApiEstablishment(*establishment);
    return absl::OkStatus();
  });
}

grpc::Status QualificationService::ListEstablishments(grpc::ServerContext* context,
                                                      const v1::ListEstablishmentsRequest* request,
                                                      v1::ListEstablishmentsResponse* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    return ListEstablishmentsPage(call.tx, request->provider_id(), *page, *response);
  });
}

grpc::Status QualificationService::AddEvidence(grpc::ServerContext* context,
                                               const v1::AddEvidenceRequest* request,
                                               v1::Evidence* response) {
  return Change(context, "AddEvidence", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<std::optional<absl::CivilDay>> issued =
                      FromDate(request->issued_on(), "issued_on");
                  if (!issued.ok()) return issued.status();
                  absl::StatusOr<std::optional<absl::CivilDay>> expires =
                      FromDate(request->expires_on(), "expires_on");
                  if (!expires.ok()) return expires.status();
                  EvidenceWork work(call);
                  absl::StatusOr<Evidence> added =
                      work.use_cases.Add({.provider_id = request->provider_id(),
                                          .establishment_id = request->establishment_id(),
                                          .criterion_id = request->criterion_id(),
                                          .title = request->title(),
                                          .document_uri = request->document_uri(),
                                          .document_sha256 = request->document_sha256(),
                                          .issued_on = *issued,
                                          .expires_on = *expires},
                                         call.caller, call.now);
                  if (!added.ok()) return added.status();
                  *response = ToApiEvidence(*added);
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::ListEvidence(grpc::ServerContext* context,
                                                const v1::ListEvidenceRequest* request,
                                                v1::ListEvidenceResponse* response) {
  return Read(context, *request,
              {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
               ApiRole::ROLE_EVALUATOR, ApiRole::ROLE_AUDITOR},
              [&](Call& call) -> absl::Status {
                absl::StatusOr<Page> page = ToPage(*request);
                if (!page.ok()) return page.status();
                EvidenceWork work(call);
                absl::StatusOr<EvidenceUseCases::ListScope> scope = work.use_cases.ScopeOfList(
                    request->provider_id(), request->system_id(), call.caller);
                if (!scope.ok()) return scope.status();
                absl::StatusOr<std::optional<absl::CivilDay>> expires_before =
                    FromDate(request->expires_before(), "expires_before");
                if (!expires_before.ok()) return expires_before.status();
                EvidenceFilter filter{.provider_id = request->provider_id(),
                                      .establishment_id = request->establishment_id(),
                                      .system_id = request->system_id(),
                                      .expires_before = *expires_before,
                                      .page = *page};
                for (int i = 0; i < request->states_size(); ++i) {
                  if (request->states(i) == v1::EVIDENCE_STATE_UNSPECIFIED ||
                      !v1::EvidenceState_IsValid(request->states(i))) {
                    return InvalidField(absl::StrCat("states[", i, "]"),
                                        "must be VALID, EXPIRING, EXPIRED or SUPERSEDED");
                  }
                  filter.states.push_back(request->states(i));
                }
                filter.warn_before = UtcDay(call.now) + scope->warning_days;
                return ListEvidencePage(call.tx, filter, *response);
              });
}

}  // namespace dps::qualification
