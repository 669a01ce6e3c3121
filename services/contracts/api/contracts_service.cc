#include "services/contracts/api/contracts_service.h"

#include "absl/strings/str_cat.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/calls.h"
#include "platform/grpc/proto_time.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/server.h"
#include "platform/pg/documents.h"
#include "platform/pg/idempotency.h"
#include "services/contracts/api/convert.h"

namespace dps::contracts {
namespace {

using dps::common::v1::ROLE_AUDITOR;
using dps::common::v1::ROLE_COMMISSIONER;
using dps::common::v1::ROLE_LEAD_AUTHORITY_ADMIN;
using dps::common::v1::ROLE_PLACING_OFFICER;
using dps::common::v1::ROLE_PROVIDER_USER;
using dps::common::v1::ROLE_SERVICE;

// The media type of the stored document: what each party signs is the SHA-256 of these bytes.
constexpr char kPdfMediaType[] = "application/pdf";

absl::CivilDay TodayUtc(const platform::Clock& clock) {
  return absl::ToCivilDay(clock.Now(), absl::UTCTimeZone());
}

// The caller proved by the token, in the role the RPC allows, as the domain's Actor.
absl::StatusOr<Actor> Authorise(const grpc::ServerContext& context,
                                const platform::auth::Authenticator& authenticator,
                                std::initializer_list<dps::common::v1::Role> roles) {
  absl::StatusOr<platform::CallerIdentity> caller = platform::CallerOf(context, authenticator);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = platform::RequireRole(*caller, roles); !s.ok()) return s;
  return contracts::ActorOf(*caller);
}

absl::Status CheckMessage(const google::protobuf::Message& request) {
  if (absl::Status s = platform::CheckRequest(request); !s.ok()) return s;
  return platform::CheckTimestamps(request);
}

}  // namespace

grpc::Status ContractsService::Change(grpc::ServerContext* context, const char* method,
                                      const std::string& idempotency_key,
                                      const google::protobuf::Message& request, cv1::Ipa& response,
                                      Roles roles, const Work& work) const {
  const std::string request_id = platform::RequestIdOf(*context);
  absl::StatusOr<Actor> actor = Authorise(*context, authenticator_, roles);
  if (!actor.ok()) return platform::ToCallerStatus(actor.status(), request_id);
  if (absl::Status s = CheckMessage(request); !s.ok()) {
    return platform::ToCallerStatus(s, request_id);
  }
  // A retry of the same change by the same organisation gets the first answer.
  const platform::IdempotencyKey key{.scope = absl::StrCat(actor->organisation_id, "/", method),
                                     .key = idempotency_key};
  const std::string digest = platform::RequestDigest(request);
  auto answered_before = [&]() -> absl::StatusOr<bool> {
    absl::StatusOr<bool> found = false;
    absl::Status s = pool_.InTransaction([&](pqxx::work& tx) {
      found = platform::FindResponse(tx, key, digest, response);
      return found.status();
    });
    if (!s.ok()) return s;
    return found;
  };
  absl::StatusOr<bool> before = answered_before();
  if (!before.ok()) return platform::ToCallerStatus(before.status(), request_id);
  if (*before) return grpc::Status::OK;

  const absl::CivilDay today = TodayUtc(clock_);
  Caller caller{.actor = *actor, .request_id = request_id};
  caller.on_saved = [&](IpaTransaction& tx, const StoredIpa& saved) -> absl::Status {
    response.Clear();
    IpaToProto(saved.ipa, saved.version, today, ReadAccess(saved.ipa, *actor).value_or(false),
               &response);
    return tx.RecordResponse({.scope = key.scope,
                              .key = key.key,
                              .request_digest = digest,
                              .response = response.SerializeAsString()});
  };
  absl::StatusOr<StoredIpa> done = work(caller);
  if (!done.ok()) {
    // A repeat of this request may have made the change first (and so made ours fail, or lose
    // the race for the key): its answer is ours.
    absl::StatusOr<bool> after = answered_before();
    if (after.ok() && *after) return grpc::Status::OK;
    return platform::ToCallerStatus(done.status(), request_id);
  }
  return grpc::Status::OK;
}

grpc::Status ContractsService::Read(grpc::ServerContext* context,
                                    const google::protobuf::Message& request, Roles roles,
                                    const ReadWork& work) const {
  const std::string request_id = platform::RequestIdOf(*context);
  absl::StatusOr<Actor> actor = Authorise(*context, authenticator_, roles);
  if (!actor.ok()) return platform::ToCallerStatus(actor.status(), request_id);
  if (absl::Status s = CheckMessage(request); !s.ok()) {
    return platform::ToCallerStatus(s, request_id);
  }
  return platform::ToCallerStatus(work(*actor), request_id);
}

grpc::Status ContractsService::GetIpa(grpc::ServerContext* context,
                                      const cv1::GetIpaRequest* request, cv1::Ipa* response) {
  return Read(context, *request,
              {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER,
               ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<IpaView> view = cases_.GetIpa(request->id(), actor);
                if (!view.ok()) return view.status();
                IpaToProto(view->stored.ipa, view->stored.version, TodayUtc(clock_),
                           view->children_visible, response);
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::ListIpas(grpc::ServerContext* context,
                                        const cv1::ListIpasRequest* request,
                                        cv1::ListIpasResponse* response) {
  return Read(
      context, *request,
      {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER, ROLE_LEAD_AUTHORITY_ADMIN,
       ROLE_AUDITOR},
      [&](const Actor& actor) -> absl::Status {
        absl::StatusOr<platform::Page> page = platform::ToPage(*request);
        if (!page.ok()) return page.status();
        absl::StatusOr<std::vector<IpaState>> states = StatesFromProto(request->states());
        if (!states.ok()) return states.status();
        const IpaFilter filter{.placing_authority_id = request->placing_authority_id(),
                               .provider_id = request->provider_id(),
                               .system_id = request->system_id(),
                               .establishment_id = request->establishment_id(),
                               .states = *std::move(states)};
        absl::StatusOr<IpaUseCases::ListResult> found =
            cases_.ListIpas(filter, {.size = page->size, .after_id = page->after_id}, actor);
        if (!found.ok()) return found.status();
        const absl::CivilDay today = TodayUtc(clock_);
        int count = 0;
        size_t bytes = 0;
        for (const IpaView& view : found->ipas) {
          // A page also ends at kMaxPageBytes, however many IPAs were asked for.
          if (page->Full(count, bytes)) {
            response->mutable_page()->set_next_page_token(
                page->TokenAfter(response->ipas(count - 1).id()));
            return absl::OkStatus();
          }
          cv1::Ipa* ipa = response->add_ipas();
          IpaToProto(view.stored.ipa, view.stored.version, today, view.children_visible, ipa);
          bytes += ipa->ByteSizeLong();
          ++count;
        }
        if (!found->next_after_id.empty()) {
          response->mutable_page()->set_next_page_token(page->TokenAfter(found->next_after_id));
        }
        return absl::OkStatus();
      });
}

grpc::Status ContractsService::UpdateIpaDraft(grpc::ServerContext* context,
                                              const cv1::UpdateIpaDraftRequest* request,
                                              cv1::Ipa* response) {
  return Change(context, "UpdateIpaDraft", request->idempotency_key(), *request, *response,
                {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER},
                [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
                  absl::StatusOr<IpaTerms> terms = TermsFromProto(request->terms());
                  if (!terms.ok()) return terms.status();
                  // No children in the request leaves those recorded as they are.
                  std::optional<std::vector<ChildIdentity>> children;
                  if (request->children_size() > 0) {
                    absl::StatusOr<std::vector<ChildIdentity>> given =
                        ChildrenFromProto(request->children());
                    if (!given.ok()) return given.status();
                    children = *std::move(given);
                  }
                  return cases_.UpdateDraft(request->id(), *std::move(terms), std::move(children),
                                            request->expected_version(), caller);
                });
}

grpc::Status ContractsService::IssueIpa(grpc::ServerContext* context,
                                        const cv1::IssueIpaRequest* request, cv1::Ipa* response) {
  return Change(context, "IssueIpa", request->idempotency_key(), *request, *response,
                {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER}, [&](const Caller& caller) {
                  return cases_.IssueIpa(request->id(), request->expected_version(), caller);
                });
}

grpc::Status ContractsService::CancelIpa(grpc::ServerContext* context,
                                         const cv1::CancelIpaRequest* request, cv1::Ipa* response) {
  return Change(context, "CancelIpa", request->idempotency_key(), *request, *response,
                {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER}, [&](const Caller& caller) {
                  return cases_.CancelIpa(request->id(), request->reason(), caller);
                });
}

grpc::Status ContractsService::SignIpa(grpc::ServerContext* context,
                                       const cv1::SignIpaRequest* request, cv1::Ipa* response) {
  return Change(
      context, "SignIpa", request->idempotency_key(), *request, *response,
      {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER}, [&](const Caller& caller) {
        return cases_.SignIpa(
            request->id(),
            {request->document_sha256(), request->signatory_name(), request->signatory_position()},
            0, caller);
      });
}

grpc::Status ContractsService::ActivateIpa(grpc::ServerContext* context,
                                           const cv1::ActivateIpaRequest* request,
                                           cv1::Ipa* response) {
  return Change(context, "ActivateIpa", request->idempotency_key(), *request, *response,
                {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_SERVICE},
                [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
                  // The placement starts on its planned start date; a different actual date is
                  // a change of dates, made by a variation.
                  if (request->has_actual_start_date()) {
                    return absl::UnimplementedError(
                        "actual_start_date: only the planned start date is taken yet; leave it "
                        "out");
                  }
                  return cases_.ActivateIpa(request->id(), caller);
                });
}

grpc::Status ContractsService::GiveNotice(grpc::ServerContext* context,
                                          const cv1::GiveNoticeRequest* request,
                                          cv1::Ipa* response) {
  return Change(
      context, "GiveNotice", request->idempotency_key(), *request, *response,
      {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER},
      [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
        absl::StatusOr<EndReason> reason = EndReasonFromProto(request->reason(), "reason");
        if (!reason.ok()) return reason.status();
        absl::StatusOr<std::optional<absl::CivilDay>> given =
            platform::FromDate(request->notice_given_on(), "notice_given_on");
        if (!given.ok()) return given.status();
        absl::StatusOr<std::optional<absl::CivilDay>> end =
            platform::FromDate(request->end_date(), "end_date");
        if (!end.ok()) return end.status();
        return cases_.GiveNotice(request->ipa_id(),
                                 {.reason = *reason,
                                  .detail = request->detail(),
                                  .notice_given_on = *given,
                                  .end_date = *end,
                                  .immediate_safeguarding = request->immediate_safeguarding()},
                                 caller);
      });
}

grpc::Status ContractsService::AgreeEnding(grpc::ServerContext* context,
                                           const cv1::AgreeEndingRequest* request,
                                           cv1::Ipa* response) {
  return Change(context, "AgreeEnding", request->idempotency_key(), *request, *response,
                {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER},
                [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
                  absl::StatusOr<EndReason> reason =
                      EndReasonFromProto(request->reason(), "reason");
                  if (!reason.ok()) return reason.status();
                  absl::StatusOr<std::optional<absl::CivilDay>> end =
                      platform::FromDate(request->end_date(), "end_date");
                  if (!end.ok()) return end.status();
                  return cases_.AgreeEnding(
                      request->ipa_id(),
                      {.end_date = *end, .reason = *reason, .detail = request->detail()}, caller);
                });
}

grpc::Status ContractsService::RenderIpa(grpc::ServerContext* context,
                                         const cv1::RenderIpaRequest* request,
                                         cv1::RenderIpaResponse* response) {
  return Read(context, *request,
              {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER,
               ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR},
              [&](const Actor& actor) -> absl::Status {
                if (!request->variation_id().empty()) {
                  return absl::UnimplementedError("variation_id: variations are not served yet");
                }
                absl::StatusOr<IpaDocument> document =
                    cases_.Document(request->id(), request->version_number(), actor);
                if (!document.ok()) return document.status();
                response->set_content(document->bytes);
                response->set_media_type(kPdfMediaType);
                response->set_document_sha256(document->sha256);
                response->set_version_number(document->version_number);
                return absl::OkStatus();
              });
}

}  // namespace dps::contracts
