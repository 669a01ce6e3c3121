// Providers, their establishments and evidence: written by the provider's own users, read by all
// (evidence only by the provider and the authorities that evaluate it).
#include "absl/strings/str_cat.h"
#include "services/qualification/api/establishment_spec.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {

// A provider's record id is its organisation id, the dps_org claim of its users' tokens,
// so that "the caller acts for this provider" is one comparison.
grpc::Status QualificationService::RegisterProvider(grpc::ServerContext* context,
                                                    const v1::RegisterProviderRequest* request,
                                                    v1::Provider* response) {
  return Change(context, "RegisterProvider", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  if (request->spec().name().empty()) return InvalidField("spec.name", "required");
                  absl::StatusOr<bool> existing =
                      ProviderExists(call.tx, call.caller.organisation_id);
                  if (!existing.ok()) return existing.status();
                  if (*existing) {
                    return absl::AlreadyExistsError(absl::StrCat(
                        "provider ", call.caller.organisation_id, ": already registered"));
                  }
                  v1::Provider provider;
                  provider.set_id(call.caller.organisation_id);
                  provider.set_name(request->spec().name());
                  provider.set_companies_house_number(request->spec().companies_house_number());
                  *provider.mutable_registered_address() = request->spec().registered_address();
                  *provider.mutable_contacts() = request->spec().contacts();
                  provider.set_version(1);
                  *provider.mutable_created_at() = ToTimestamp(call.now);
                  if (absl::Status s = InsertProvider(call.tx, provider); !s.ok()) return s;
                  *response = provider;
                  return absl::OkStatus();
                });
}

grpc::Status QualificationService::GetProvider(grpc::ServerContext* context,
                                               const v1::GetProviderRequest* request,
                                               v1::Provider* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) {
    return LoadDoc(call.tx, "providers", "provider", request->id(), false, *response);
  });
}

grpc::Status QualificationService::CreateEstablishment(
    grpc::ServerContext* context, const v1::CreateEstablishmentRequest* request,
    v1::Establishment* response) {
  return Change(
      context, "CreateEstablishment", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        if (absl::Status s = RequireProvider(call.caller, request->provider_id()); !s.ok()) {
          return s;
        }
        v1::Provider provider;
        if (absl::Status s =
                LoadDoc(call.tx, "providers", "provider", request->provider_id(), false, provider);
            !s.ok()) {
          return s;
        }
        const v1::EstablishmentSpec& spec = request->spec();
        if (absl::Status s = ValidateEstablishment(spec); !s.ok()) return s;
        v1::Establishment establishment;
        establishment.set_id(NewId("est"));
        establishment.set_provider_id(provider.id());
        ApplyEstablishmentSpec(spec, establishment);
        establishment.set_version(1);
        if (absl::Status s = InsertEstablishment(call.tx, establishment); !s.ok()) return s;
        *response = establishment;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::GetEstablishment(grpc::ServerContext* context,
                                                    const v1::GetEstablishmentRequest* request,
                                                    v1::Establishment* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) {
    return LoadDoc(call.tx, "establishments", "establishment", request->id(), false, *response);
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
  return Change(
      context, "AddEvidence", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        if (absl::Status s = RequireProvider(call.caller, request->provider_id()); !s.ok()) {
          return s;
        }
        if (request->title().empty()) return InvalidField("title", "required");
        if (request->document_uri().empty()) return InvalidField("document_uri", "required");
        if (request->document_sha256().size() != 64 ||
            request->document_sha256().find_first_not_of("0123456789abcdef") != std::string::npos) {
          return InvalidField("document_sha256", "must be 64 lowercase hex digits");
        }
        v1::Criterion criterion;
        if (absl::Status s = LoadDoc(call.tx, "criteria", "criterion", request->criterion_id(),
                                     false, criterion);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<std::optional<absl::CivilDay>> expires =
            FromDate(request->expires_on(), "expires_on");
        if (!expires.ok()) return expires.status();
        if (criterion.evidence_expires() && !expires->has_value()) {
          return InvalidField(
              "expires_on", absl::StrCat("required: evidence for ", criterion.code(), " expires"));
        }
        if (!request->establishment_id().empty()) {
          v1::Establishment establishment;
          if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment",
                                       request->establishment_id(), false, establishment);
              !s.ok()) {
            return s;
          }
          if (establishment.provider_id() != request->provider_id()) {
            return InvalidField("establishment_id", "belongs to another provider");
          }
        }
        v1::Evidence evidence;
        evidence.set_id(NewId("evi"));
        evidence.set_provider_id(request->provider_id());
        evidence.set_establishment_id(request->establishment_id());
        evidence.set_criterion_id(request->criterion_id());
        evidence.set_title(request->title());
        evidence.set_document_uri(request->document_uri());
        evidence.set_document_sha256(request->document_sha256());
        *evidence.mutable_issued_on() = request->issued_on();
        *evidence.mutable_expires_on() = request->expires_on();
        evidence.set_state(v1::EVIDENCE_STATE_VALID);
        *evidence.mutable_added_at() = ToTimestamp(call.now);
        if (absl::Status s = InsertEvidence(call.tx, evidence); !s.ok()) return s;
        // A renewed certificate takes over from the one it replaces before that one runs out,
        // so a provider that renews in time is never suspended for it ("tell us once").
        absl::StatusOr<std::vector<v1::Evidence>> others = OtherEvidenceInForce(call.tx, evidence);
        if (!others.ok()) return others.status();
        absl::StatusOr<Evidence> renewal = ToDomainEvidence(evidence);
        if (!renewal.ok()) return renewal.status();
        std::vector<std::string> renewed;
        for (const v1::Evidence& other : *others) {
          absl::StatusOr<Evidence> earlier = ToDomainEvidence(other);
          if (!earlier.ok()) return earlier.status();
          if (Renews(*renewal, *earlier)) renewed.push_back(other.id());
        }
        if (absl::Status s = SupersedeEvidence(call.tx, renewed, evidence.id()); !s.ok()) return s;
        *response = evidence;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ListEvidence(grpc::ServerContext* context,
                                                const v1::ListEvidenceRequest* request,
                                                v1::ListEvidenceResponse* response) {
  return Read(
      context, *request,
      {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_EVALUATOR,
       ApiRole::ROLE_AUDITOR},
      [&](Call& call) -> absl::Status {
        absl::StatusOr<Page> page = ToPage(*request);
        if (!page.ok()) return page.status();
        if (request->provider_id().empty()) return InvalidField("provider_id", "required");
        if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
          if (absl::Status s = RequireProvider(call.caller, request->provider_id()); !s.ok()) {
            return s;
          }
        } else if (call.caller.role != ApiRole::ROLE_SERVICE) {
          // Lead-authority staff read the evidence a system they lead rests on, not a provider's
          // whole file: the system is named, and theirs.
          if (request->system_id().empty()) {
            return InvalidField("system_id",
                                "required for authority staff: the system whose evidence to list");
          }
          v1::PurchasingSystem system;
          if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
            return s;
          }
          if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        }
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
        // The warning period is the system's when the list is for one system, else the default.
        int warning_days = kDefaultExpiryWarningDays;
        if (!request->system_id().empty()) {
          v1::PurchasingSystem system;
          if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
            return s;
          }
          if (system.rules().evidence_expiry_warning_days() > 0) {
            warning_days = system.rules().evidence_expiry_warning_days();
          }
        }
        filter.warn_before = UtcDay(call.now) + warning_days;
        return ListEvidencePage(call.tx, filter, *response);
      });
}

}  // namespace dps::qualification
