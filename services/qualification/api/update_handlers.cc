// Changes to a provider's own records: a draft application, the provider, its establishments.
// Each replaces the record's whole editable part and carries expected_version (ABORTED when
// stale), as proto/dps/qualification/v1/qualification.proto says of every update.
#include "absl/strings/str_cat.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/application_items.h"
#include "services/qualification/app/establishments.h"
#include "services/qualification/app/providers.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/pg_establishment_repository.h"
#include "services/qualification/storage/pg_provider_repository.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

grpc::Status QualificationService::UpdateApplication(grpc::ServerContext* context,
                                                     const v1::UpdateApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(
      context, "UpdateApplication", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        v1::Application application;
        if (absl::Status s =
                LoadDoc(call.tx, "applications", "application", request->id(), true, application);
            !s.ok()) {
          return s;
        }
        if (application.provider_id() != call.caller.organisation_id) {
          // Another provider's application is not theirs to know about.
          return absl::NotFoundError(absl::StrCat("application ", request->id(), ": not found"));
        }
        if (absl::Status s =
                CheckVersion("application", request->expected_version(), application.version());
            !s.ok()) {
          return s;
        }
        if (application.state() != v1::APPLICATION_STATE_DRAFT) {
          return Forbidden("application",
                           absl::StrCat("only a DRAFT may be changed; it is ",
                                        v1::ApplicationState_Name(application.state())
                                            .substr(sizeof("APPLICATION_STATE_") - 1)));
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, application.system_id(), false, system); !s.ok()) {
          return s;
        }
        *application.mutable_items() = request->spec().items();
        *application.mutable_responses() = request->spec().responses();
        *application.mutable_commercial() = request->spec().commercial();
        if (absl::Status s = CheckDraft(call, system, application); !s.ok()) return s;
        if (absl::Status s = SaveApplication(call.tx, application); !s.ok()) return s;
        *response = application;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::UpdateProvider(grpc::ServerContext* context,
                                                  const v1::UpdateProviderRequest* request,
                                                  v1::Provider* response) {
  return Change(context, "UpdateProvider", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  PgProviderRepository providers(call.tx);
                  absl::StatusOr<Provider> changed = ProviderUseCases(providers).Update(
                      request->id(), request->expected_version(), ToDomainDetails(request->spec()),
                      call.caller);
                  if (!changed.ok()) return changed.status();
                  *response = ToApiProvider(*changed);
                  return absl::OkStatus();
                });
}

// The relational columns the eligibility query reads move with the record
// (storage/pg_establishment_repository.h), and the register's trigger copies them to the
// invitable members in the same transaction.
grpc::Status QualificationService::UpdateEstablishment(
    grpc::ServerContext* context, const v1::UpdateEstablishmentRequest* request,
    v1::Establishment* response) {
  return Change(context, "UpdateEstablishment", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  PgEstablishmentRepository establishments(call.tx);
                  PgProviderRepository providers(call.tx);
                  absl::StatusOr<Establishment> changed =
                      EstablishmentUseCases(establishments, providers)
                          .Update(request->id(), request->expected_version(),
                                  ToDomainDetails(request->spec()), call.caller);
                  if (!changed.ok()) return changed.status();
                  *response = ToApiEstablishment(*changed);
                  return absl::OkStatus();
                });
}

}  // namespace dps::qualification
