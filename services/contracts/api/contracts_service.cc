#include "services/contracts/api/contracts_service.h"

#include <type_traits>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/calls.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/request_checks.h"
#include "platform/grpc/server.h"
#include "platform/pg/documents.h"
#include "platform/pg/idempotency.h"
#include "services/contracts/api/convert.h"

namespace dps::contracts {
namespace {

using dps::common::v1::ROLE_AUDITOR;
using dps::common::v1::ROLE_COMMISSIONER;
using dps::common::v1::ROLE_EVALUATOR;
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

// Adds `items` to a list response through `add` (which returns the message it added) until the
// page is full: page_size items, or kMaxPageBytes however many were asked for. The token then
// names the last added message's position (`position`); otherwise it names `next_after`, where
// the store's own page ended (empty: this is the last page).
template <typename Item, typename Add, typename Position>
void FillPage(const platform::Page& page, const std::vector<Item>& items,
              const std::string& next_after, dps::common::v1::PageResponse* out, const Add& add,
              const Position& position) {
  int count = 0;
  size_t bytes = 0;
  std::invoke_result_t<Add, const Item&> last = nullptr;
  for (const Item& item : items) {
    if (page.Full(count, bytes)) {
      out->set_next_page_token(page.TokenAfter(position(*last)));
      return;
    }
    last = add(item);
    bytes += last->ByteSizeLong();
    ++count;
  }
  if (!next_after.empty()) out->set_next_page_token(page.TokenAfter(next_after));
}

absl::Status CheckMessage(const google::protobuf::Message& request) {
  if (absl::Status s = platform::CheckRequest(request); !s.ok()) return s;
  return platform::CheckTimestamps(request);
}

}  // namespace

grpc::Status ContractsService::Change(grpc::ServerContext* context, const char* method,
                                      const std::string& idempotency_key,
                                      const google::protobuf::Message& request,
                                      google::protobuf::Message& response, Roles roles,
                                      const Answer& answer, const ChangeWork& work) const {
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

  Caller caller{.actor = *actor, .request_id = request_id};
  // The answer, written by `answer` from what was saved, is kept with the change.
  answer(caller, *actor, [&] {
    return RequestRecord{.scope = key.scope,
                         .key = key.key,
                         .request_digest = digest,
                         .response = response.SerializeAsString()};
  });
  const absl::Status done = work(caller);
  if (!done.ok()) {
    // A repeat of this request may have made the change first (and so made ours fail, or lose
    // the race for the key): its answer is ours.
    absl::StatusOr<bool> after = answered_before();
    if (after.ok() && *after) return grpc::Status::OK;
    return platform::ToCallerStatus(done, request_id);
  }
  return grpc::Status::OK;
}

grpc::Status ContractsService::Change(grpc::ServerContext* context, const char* method,
                                      const std::string& idempotency_key,
                                      const google::protobuf::Message& request, cv1::Ipa& response,
                                      Roles roles, const Work& work) const {
  const absl::CivilDay today = TodayUtc(clock_);
  return Change(
      context, method, idempotency_key, request, response, roles,
      [&](Caller& caller, const Actor& actor, const Record& record) {
        caller.on_saved = [&, record](IpaTransaction& tx, const StoredIpa& saved) {
          response.Clear();
          IpaToProto(saved.ipa, saved.version, today, ReadAccess(saved.ipa, actor).value_or(false),
                     &response);
          return tx.RecordResponse(record());
        };
      },
      [&](const Caller& caller) { return work(caller).status(); });
}

grpc::Status ContractsService::ChangeVariation(grpc::ServerContext* context, const char* method,
                                               const std::string& idempotency_key,
                                               const google::protobuf::Message& request,
                                               cv1::Variation& response,
                                               const std::function<int(const Ipa&)>& which,
                                               const Work& work) const {
  return Change(
      context, method, idempotency_key, request, response,
      {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER},
      [&](Caller& caller, const Actor&, const Record& record) {
        caller.on_saved = [&, record](IpaTransaction& tx, const StoredIpa& saved) {
          const int number = which(saved.ipa);
          if (number < 1 || number > static_cast<int>(saved.ipa.versions.size())) {
            return absl::InternalError("variation: the saved IPA lacks the version changed");
          }
          VariationToProto(saved.ipa, saved.ipa.versions[number - 1], &response);
          return tx.RecordResponse(record());
        };
      },
      [&](const Caller& caller) { return work(caller).status(); });
}

grpc::Status ContractsService::ChangeUplift(grpc::ServerContext* context, const char* method,
                                            const std::string& idempotency_key,
                                            const google::protobuf::Message& request,
                                            cv1::FeeUpliftRequest& response, Roles roles,
                                            const UpliftWork& work) const {
  return Change(
      context, method, idempotency_key, request, response, roles,
      [&](Caller& caller, const Actor&, const Record& record) {
        caller.on_uplift_saved = [&, record](IpaTransaction& tx, const StoredUplift& saved) {
          UpliftToProto(saved.uplift, &response);
          return tx.RecordResponse(record());
        };
      },
      [&](const Caller& caller) { return work(caller).status(); });
}

grpc::Status ContractsService::ChangePublication(grpc::ServerContext* context, const char* method,
                                                 const std::string& idempotency_key,
                                                 const google::protobuf::Message& request,
                                                 cv1::Publication& response, Roles roles,
                                                 const PublicationWork& work) const {
  Record record;
  return Change(
      context, method, idempotency_key, request, response, roles,
      [&](Caller&, const Actor&, const Record& given) { record = given; },
      [&](const Caller& caller) -> absl::Status {
        bool saved = false;
        PublicationCaller publication_caller{.actor = caller.actor,
                                             .request_id = caller.request_id};
        publication_caller.on_saved = [&](PublicationTransaction& tx,
                                          const StoredPublication& stored) {
          PublicationToProto(stored.publication, stored.package, &response);
          saved = true;
          return tx.RecordResponse(record());
        };
        absl::StatusOr<StoredPublication> done = work(publication_caller);
        if (!done.ok()) return done.status();
        // Produced before: nothing was written, and the stored publication is the answer.
        if (!saved) PublicationToProto(done->publication, done->package, &response);
        return absl::OkStatus();
      });
}

grpc::Status ContractsService::ChangeKpi(grpc::ServerContext* context, const char* method,
                                         const std::string& idempotency_key,
                                         const google::protobuf::Message& request,
                                         google::protobuf::Message& response, Roles roles,
                                         const KpiWork& work) const {
  Record record;
  return Change(
      context, method, idempotency_key, request, response, roles,
      [&](Caller&, const Actor&, const Record& given) { record = given; },
      [&](const Caller& caller) -> absl::Status {
        KpiCaller kpi_caller{.actor = caller.actor, .request_id = caller.request_id};
        return work(kpi_caller, [&](IpaTransaction& tx) { return tx.RecordResponse(record()); });
      });
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

grpc::Status ContractsService::CreateIpa(grpc::ServerContext* context,
                                         const cv1::CreateIpaRequest* request, cv1::Ipa* response) {
  return Change(context, "CreateIpa", request->idempotency_key(), *request, *response,
                {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_SERVICE},
                [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
                  absl::StatusOr<IpaSource> source = SourceFromProto(request->source());
                  if (!source.ok()) return source.status();
                  absl::StatusOr<CreateResult> made = creation_.CreateIpa(*source, caller);
                  if (!made.ok()) return made.status();
                  return made->ipa;
                });
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
        FillPage(
            *page, found->ipas, found->next_after_id, response->mutable_page(),
            [&](const IpaView& view) {
              cv1::Ipa* ipa = response->add_ipas();
              IpaToProto(view.stored.ipa, view.stored.version, today, view.children_visible, ipa);
              return ipa;
            },
            [](const cv1::Ipa& ipa) { return ipa.id(); });
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
                  // Absent: the placement started on its planned start date.
                  absl::StatusOr<std::optional<absl::CivilDay>> actual =
                      platform::FromDate(request->actual_start_date(), "actual_start_date");
                  if (!actual.ok()) return actual.status();
                  return cases_.ActivateIpa(request->id(), *actual, caller);
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
                // A variation's document is its version's.
                std::string ipa_id = request->id();
                int version_number = request->version_number();
                if (!request->variation_id().empty()) {
                  absl::StatusOr<VariationRef> ref =
                      ParseVariationId("variation_id", request->variation_id());
                  if (!ref.ok()) return ref.status();
                  if ((!ipa_id.empty() && ipa_id != ref->ipa_id) ||
                      (version_number != 0 && version_number != ref->version_number)) {
                    return absl::InvalidArgumentError(
                        "variation_id: names another IPA or version than id and version_number");
                  }
                  ipa_id = ref->ipa_id;
                  version_number = ref->version_number;
                }
                absl::StatusOr<IpaDocument> document =
                    cases_.Document(ipa_id, version_number, actor);
                if (!document.ok()) return document.status();
                response->set_content(document->bytes);
                response->set_media_type(kPdfMediaType);
                response->set_document_sha256(document->sha256);
                response->set_version_number(document->version_number);
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::ProposeVariation(grpc::ServerContext* context,
                                                const cv1::ProposeVariationRequest* request,
                                                cv1::Variation* response) {
  return ChangeVariation(
      context, "ProposeVariation", request->idempotency_key(), *request, *response,
      [](const Ipa& ipa) {
        const IpaVersion* proposed = ipa.awaiting_signatures();
        return proposed != nullptr ? proposed->number : 0;
      },
      [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
        absl::StatusOr<VariationInput> input = VariationFromProto(*request);
        if (!input.ok()) return input.status();
        return cases_.ProposeVariation(request->ipa_id(), *std::move(input),
                                       request->expected_version(), caller);
      });
}

grpc::Status ContractsService::SignVariation(grpc::ServerContext* context,
                                             const cv1::SignVariationRequest* request,
                                             cv1::Variation* response) {
  absl::StatusOr<VariationRef> ref = ParseVariationId("variation_id", request->variation_id());
  const int number = ref.ok() ? ref->version_number : 0;
  return ChangeVariation(
      context, "SignVariation", request->idempotency_key(), *request, *response,
      [number](const Ipa&) { return number; },
      [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
        if (!ref.ok()) return ref.status();
        return cases_.SignVariation(
            *ref,
            {request->document_sha256(), request->signatory_name(), request->signatory_position()},
            caller);
      });
}

grpc::Status ContractsService::RejectVariation(grpc::ServerContext* context,
                                               const cv1::RejectVariationRequest* request,
                                               cv1::Variation* response) {
  absl::StatusOr<VariationRef> ref = ParseVariationId("variation_id", request->variation_id());
  const int number = ref.ok() ? ref->version_number : 0;
  return ChangeVariation(
      context, "RejectVariation", request->idempotency_key(), *request, *response,
      [number](const Ipa&) { return number; },
      [&](const Caller& caller) -> absl::StatusOr<StoredIpa> {
        if (!ref.ok()) return ref.status();
        return cases_.RejectVariation(*ref, request->reason(), caller);
      });
}

grpc::Status ContractsService::ListVariations(grpc::ServerContext* context,
                                              const cv1::ListVariationsRequest* request,
                                              cv1::ListVariationsResponse* response) {
  return Read(
      context, *request,
      {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER, ROLE_LEAD_AUTHORITY_ADMIN,
       ROLE_AUDITOR},
      [&](const Actor& actor) -> absl::Status {
        absl::StatusOr<platform::Page> page = platform::ToPage(*request);
        if (!page.ok()) return page.status();
        // The position is the last version number listed (the token is the server's own).
        int after = 0;
        if (!page->after_id.empty() && !absl::SimpleAtoi(page->after_id, &after)) {
          return absl::InvalidArgumentError("page.page_token: not a token this list issued");
        }
        absl::StatusOr<IpaView> view = cases_.GetIpa(request->ipa_id(), actor);
        if (!view.ok()) return view.status();
        const Ipa& ipa = view->stored.ipa;
        std::vector<const IpaVersion*> variations;
        for (const IpaVersion& version : ipa.versions) {
          if (version.origin == VersionOrigin::kVariation && version.number > after) {
            variations.push_back(&version);
          }
        }
        FillPage(
            *page, variations, "", response->mutable_page(),
            [&](const IpaVersion* version) {
              cv1::Variation* variation = response->add_variations();
              VariationToProto(ipa, *version, variation);
              return variation;
            },
            [](const cv1::Variation& variation) {
              return absl::StrCat(variation.version_number());
            });
        return absl::OkStatus();
      });
}

grpc::Status ContractsService::RequestFeeUplift(grpc::ServerContext* context,
                                                const cv1::RequestFeeUpliftRequest* request,
                                                cv1::FeeUpliftRequest* response) {
  return ChangeUplift(context, "RequestFeeUplift", request->idempotency_key(), *request, *response,
                      {ROLE_PROVIDER_USER},
                      [&](const Caller& caller) -> absl::StatusOr<StoredUplift> {
                        absl::StatusOr<UpliftRequestInput> input = UpliftRequestFromProto(*request);
                        if (!input.ok()) return input.status();
                        return uplifts_.Request(request->ipa_id(), *std::move(input), caller);
                      });
}

grpc::Status ContractsService::DecideFeeUplift(grpc::ServerContext* context,
                                               const cv1::DecideFeeUpliftRequest* request,
                                               cv1::FeeUpliftRequest* response) {
  return ChangeUplift(context, "DecideFeeUplift", request->idempotency_key(), *request, *response,
                      {ROLE_COMMISSIONER},
                      [&](const Caller& caller) -> absl::StatusOr<StoredUplift> {
                        absl::StatusOr<UpliftDecision> decision = UpliftDecisionFromProto(*request);
                        if (!decision.ok()) return decision.status();
                        return uplifts_.Decide(request->uplift_id(), *decision, caller);
                      });
}

grpc::Status ContractsService::WithdrawFeeUplift(grpc::ServerContext* context,
                                                 const cv1::WithdrawFeeUpliftRequest* request,
                                                 cv1::FeeUpliftRequest* response) {
  return ChangeUplift(context, "WithdrawFeeUplift", request->idempotency_key(), *request, *response,
                      {ROLE_PROVIDER_USER}, [&](const Caller& caller) {
                        return uplifts_.Withdraw(request->uplift_id(), caller);
                      });
}

grpc::Status ContractsService::ListFeeUplifts(grpc::ServerContext* context,
                                              const cv1::ListFeeUpliftsRequest* request,
                                              cv1::ListFeeUpliftsResponse* response) {
  return Read(context, *request,
              {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER,
               ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<platform::Page> page = platform::ToPage(*request);
                if (!page.ok()) return page.status();
                absl::StatusOr<std::vector<UpliftState>> states =
                    UpliftStatesFromProto(request->states());
                if (!states.ok()) return states.status();
                absl::StatusOr<UpliftPage> found =
                    uplifts_.List({.ipa_id = request->ipa_id(),
                                   .placing_authority_id = request->placing_authority_id(),
                                   .provider_id = request->provider_id(),
                                   .states = *std::move(states)},
                                  {.size = page->size, .after_id = page->after_id}, actor);
                if (!found.ok()) return found.status();
                FillPage(
                    *page, found->uplifts, found->next_after_id, response->mutable_page(),
                    [&](const StoredUplift& stored) {
                      cv1::FeeUpliftRequest* uplift = response->add_uplifts();
                      UpliftToProto(stored.uplift, uplift);
                      return uplift;
                    },
                    [](const cv1::FeeUpliftRequest& uplift) { return uplift.id(); });
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::ProducePublication(grpc::ServerContext* context,
                                                  const cv1::ProducePublicationRequest* request,
                                                  cv1::Publication* response) {
  return ChangePublication(
      context, "ProducePublication", request->idempotency_key(), *request, *response,
      {ROLE_LEAD_AUTHORITY_ADMIN, ROLE_SERVICE},
      [&](const PublicationCaller& caller) -> absl::StatusOr<StoredPublication> {
        absl::StatusOr<PublicationKind> kind = PublicationKindFromProto(request->kind(), "kind");
        if (!kind.ok()) return kind.status();
        absl::StatusOr<ProduceResult> produced =
            publications_.ProducePublication({.system_id = request->system_id(),
                                              .kind = *kind,
                                              .quarter = QuarterFromProto(*request),
                                              .ipa_id = request->ipa_id(),
                                              .ocid_prefix = request->ocid_prefix()},
                                             caller);
        if (!produced.ok()) return produced.status();
        return std::move(produced->publication);
      });
}

grpc::Status ContractsService::GetPublication(grpc::ServerContext* context,
                                              const cv1::GetPublicationRequest* request,
                                              cv1::Publication* response) {
  return Read(context, *request,
              {ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR, ROLE_COMMISSIONER, ROLE_PLACING_OFFICER,
               ROLE_SERVICE},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<StoredPublication> stored =
                    publications_.GetPublication(request->id(), actor);
                if (!stored.ok()) return stored.status();
                PublicationToProto(stored->publication, stored->package, response);
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::ListPublications(grpc::ServerContext* context,
                                                const cv1::ListPublicationsRequest* request,
                                                cv1::ListPublicationsResponse* response) {
  return Read(context, *request,
              {ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR, ROLE_COMMISSIONER, ROLE_PLACING_OFFICER,
               ROLE_SERVICE},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<platform::Page> page = platform::ToPage(*request);
                if (!page.ok()) return page.status();
                PublicationKind kind = PublicationKind::kUnspecified;
                if (request->kind() != cv1::PUBLICATION_KIND_UNSPECIFIED) {
                  absl::StatusOr<PublicationKind> given =
                      PublicationKindFromProto(request->kind(), "kind");
                  if (!given.ok()) return given.status();
                  kind = *given;
                }
                absl::StatusOr<PublicationPage> found = publications_.ListPublications(
                    request->system_id(),
                    {.size = page->size, .after_id = page->after_id, .kind = kind}, actor);
                if (!found.ok()) return found.status();
                FillPage(
                    *page, found->publications, found->next_after_id, response->mutable_page(),
                    [&](const StoredPublication& stored) {
                      cv1::Publication* publication = response->add_publications();
                      PublicationToProto(stored.publication, "", publication);
                      return publication;
                    },
                    [](const cv1::Publication& publication) { return publication.id(); });
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::MarkPublicationPublished(
    grpc::ServerContext* context, const cv1::MarkPublicationPublishedRequest* request,
    cv1::Publication* response) {
  return ChangePublication(
      context, "MarkPublicationPublished", request->idempotency_key(), *request, *response,
      {ROLE_LEAD_AUTHORITY_ADMIN}, [&](const PublicationCaller& caller) {
        std::optional<absl::Time> published_at;
        if (request->has_published_at()) {
          published_at = platform::FromTimestamp(request->published_at());
        }
        return publications_.MarkPublished(request->id(), request->external_reference(),
                                           published_at, 0, caller);
      });
}

grpc::Status ContractsService::SetKpiDefinitions(grpc::ServerContext* context,
                                                 const cv1::SetKpiDefinitionsRequest* request,
                                                 cv1::KpiDefinitionSet* response) {
  return ChangeKpi(
      context, "SetKpiDefinitions", request->idempotency_key(), *request, *response,
      {ROLE_LEAD_AUTHORITY_ADMIN}, [&](KpiCaller& caller, const Keep& keep) {
        caller.on_definitions_saved = [&](IpaTransaction& tx, const StoredKpiDefinitionSet& saved) {
          KpiDefinitionSetToProto(saved.set, response);
          return keep(tx);
        };
        absl::StatusOr<std::vector<KpiDefinition>> definitions =
            KpiDefinitionsFromProto(request->definitions());
        if (!definitions.ok()) return definitions.status();
        return kpis_.SetDefinitions(request->system_id(), *std::move(definitions), caller).status();
      });
}

grpc::Status ContractsService::ListKpiDefinitions(grpc::ServerContext* context,
                                                  const cv1::ListKpiDefinitionsRequest* request,
                                                  cv1::KpiDefinitionSet* response) {
  return Read(context, *request,
              {ROLE_LEAD_AUTHORITY_ADMIN, ROLE_EVALUATOR, ROLE_PLACING_OFFICER, ROLE_COMMISSIONER,
               ROLE_PROVIDER_USER, ROLE_AUDITOR, ROLE_SERVICE},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<StoredKpiDefinitionSet> set =
                    kpis_.ListDefinitions(request->system_id(), actor);
                if (!set.ok()) return set.status();
                KpiDefinitionSetToProto(set->set, response);
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::SubmitKpiReturn(grpc::ServerContext* context,
                                               const cv1::SubmitKpiReturnRequest* request,
                                               cv1::KpiReturn* response) {
  return ChangeKpi(
      context, "SubmitKpiReturn", request->idempotency_key(), *request, *response,
      {ROLE_PROVIDER_USER}, [&](KpiCaller& caller, const Keep& keep) {
        caller.on_return_saved = [&](IpaTransaction& tx, const StoredKpiReturn& saved) {
          KpiReturnToProto(saved.kpi_return, response);
          return keep(tx);
        };
        absl::StatusOr<KpiReturnInput> input = KpiReturnFromProto(*request);
        if (!input.ok()) return input.status();
        return kpis_.SubmitReturn(request->ipa_id(), *std::move(input), caller).status();
      });
}

grpc::Status ContractsService::ReviewKpiReturn(grpc::ServerContext* context,
                                               const cv1::ReviewKpiReturnRequest* request,
                                               cv1::KpiReturn* response) {
  return ChangeKpi(context, "ReviewKpiReturn", request->idempotency_key(), *request, *response,
                   {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_LEAD_AUTHORITY_ADMIN},
                   [&](KpiCaller& caller, const Keep& keep) {
                     caller.on_return_saved = [&](IpaTransaction& tx,
                                                  const StoredKpiReturn& saved) {
                       KpiReturnToProto(saved.kpi_return, response);
                       return keep(tx);
                     };
                     return kpis_
                         .ReviewReturn(request->kpi_return_id(), request->accept(),
                                       request->query_note(), caller)
                         .status();
                   });
}

grpc::Status ContractsService::ListKpiReturns(grpc::ServerContext* context,
                                              const cv1::ListKpiReturnsRequest* request,
                                              cv1::ListKpiReturnsResponse* response) {
  return Read(context, *request,
              {ROLE_PLACING_OFFICER, ROLE_COMMISSIONER, ROLE_PROVIDER_USER,
               ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<platform::Page> page = platform::ToPage(*request);
                if (!page.ok()) return page.status();
                absl::StatusOr<std::optional<DateRange>> period =
                    DateRangeFromProto(request->period(), "period");
                if (!period.ok()) return period.status();
                absl::StatusOr<KpiReturnPage> found =
                    kpis_.ListReturns({.ipa_id = request->ipa_id(),
                                       .establishment_id = request->establishment_id(),
                                       .system_id = request->system_id(),
                                       .period = *period},
                                      {.size = page->size, .after_id = page->after_id}, actor);
                if (!found.ok()) return found.status();
                FillPage(
                    *page, found->returns, found->next_after_id, response->mutable_page(),
                    [&](const StoredKpiReturn& stored) {
                      cv1::KpiReturn* kpi_return = response->add_returns();
                      KpiReturnToProto(stored.kpi_return, kpi_return);
                      return kpi_return;
                    },
                    [](const cv1::KpiReturn& kpi_return) { return kpi_return.id(); });
                return absl::OkStatus();
              });
}

grpc::Status ContractsService::RecordPerformanceReview(
    grpc::ServerContext* context, const cv1::RecordPerformanceReviewRequest* request,
    cv1::PerformanceReview* response) {
  return ChangeKpi(
      context, "RecordPerformanceReview", request->idempotency_key(), *request, *response,
      {ROLE_LEAD_AUTHORITY_ADMIN}, [&](KpiCaller& caller, const Keep& keep) {
        caller.on_review_saved = [&](IpaTransaction& tx, const StoredPerformanceReview& saved) {
          PerformanceReviewToProto(saved.review, response);
          return keep(tx);
        };
        absl::StatusOr<PerformanceReviewInput> input = PerformanceReviewFromProto(*request);
        if (!input.ok()) return input.status();
        return kpis_.RecordReview(*std::move(input), caller).status();
      });
}

grpc::Status ContractsService::ListPerformanceReviews(
    grpc::ServerContext* context, const cv1::ListPerformanceReviewsRequest* request,
    cv1::ListPerformanceReviewsResponse* response) {
  return Read(context, *request, {ROLE_LEAD_AUTHORITY_ADMIN, ROLE_AUDITOR, ROLE_PROVIDER_USER},
              [&](const Actor& actor) -> absl::Status {
                absl::StatusOr<platform::Page> page = platform::ToPage(*request);
                if (!page.ok()) return page.status();
                absl::StatusOr<PerformanceReviewPage> found =
                    kpis_.ListReviews(request->system_id(), request->establishment_id(),
                                      {.size = page->size, .after_id = page->after_id}, actor);
                if (!found.ok()) return found.status();
                FillPage(
                    *page, found->reviews, found->next_after_id, response->mutable_page(),
                    [&](const StoredPerformanceReview& stored) {
                      cv1::PerformanceReview* review = response->add_reviews();
                      PerformanceReviewToProto(stored.review, review);
                      return review;
                    },
                    [](const cv1::PerformanceReview& review) { return review.id(); });
                return absl::OkStatus();
              });
}

}  // namespace dps::contracts
