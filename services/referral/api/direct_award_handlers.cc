// Direct awards over gRPC: each handler translates, calls one use case (app/direct_awards.h) and
// maps the status.
#include <optional>
#include <string>
#include <vector>

#include "platform/grpc/caller.h"
#include "platform/grpc/server.h"
#include "platform/pg/documents.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/child_location.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/direct_awards.h"
#include "services/referral/convert/convert.h"
#include "services/referral/storage/pg_direct_award_repository.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kDirectAwardReaders = {
    ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,  ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
    ApiRole::ROLE_AUDITOR,         ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_SERVICE};

// The use cases over the call's transaction and the referral stream's outbox.
struct DirectAwardWork {
  explicit DirectAwardWork(Call& call) : awards(call.tx), events(ReferralOutbox(call)) {}
  PgDirectAwardRepository awards;
  platform::OutboxEvents events;
  DirectAwardUseCases use_cases{awards, events};
};

}  // namespace

grpc::Status ReferralService::MakeDirectAward(grpc::ServerContext* context,
                                              const v1::MakeDirectAwardRequest* request,
                                              v1::DirectAward* response) {
  absl::Time now;
  std::optional<CheckedDirectAward> checked;
  const platform::CallRunner::Prepare prepare{
      .read =
          [&](Call& call) {
            now = call.now;
            return absl::OkStatus();
          },
      .ask =
          [&](const platform::CallerIdentity& caller, const std::string& request_id) {
            v1::MakeDirectAwardRequest tidied = *request;
            if (absl::Status s = PlaceDistrict(*tidied.mutable_location(), "location"); !s.ok()) {
              return s;
            }
            absl::StatusOr<CheckedDirectAward> ok =
                CheckDirectAward(qualification_, caller, request_id, now, tidied);
            if (!ok.ok()) return ok.status();
            checked = *std::move(ok);
            return absl::OkStatus();
          }};
  return calls_.Change(context, "MakeDirectAward", request->idempotency_key(), *request, *response,
                       kAuthors, prepare, [&](Call& call) -> absl::Status {
                         DirectAwardWork work(call);
                         absl::StatusOr<DirectAward> made =
                             work.use_cases.Make(*checked, ActorFrom(call.caller), call.now);
                         if (!made.ok()) return made.status();
                         *response = ToApi(*made);
                         return absl::OkStatus();
                       });
}

grpc::Status ReferralService::GetDirectAward(grpc::ServerContext* context,
                                             const v1::GetDirectAwardRequest* request,
                                             v1::DirectAward* response) {
  return calls_.Read(context, *request, kDirectAwardReaders, [&](Call& call) -> absl::Status {
    DirectAwardWork work(call);
    absl::StatusOr<DirectAward> award = work.use_cases.Read(request->id(), call.caller);
    if (!award.ok()) return award.status();
    *response = ToApi(*award);
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::ListDirectAwards(grpc::ServerContext* context,
                                               const v1::ListDirectAwardsRequest* request,
                                               v1::ListDirectAwardsResponse* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    DirectAwardFilter filter{.system_id = request->system_id(),
                             .placing_authority_id = request->placing_authority_id()};
    if (request->has_made_after()) {
      filter.made_after = platform::FromTimestamp(request->made_after());
    }
    if (request->has_made_before()) {
      filter.made_before = platform::FromTimestamp(request->made_before());
    }
    if (request->review_due_only()) {
      filter.review_due_by = absl::ToCivilDay(call.now, absl::UTCTimeZone());
    }
    DirectAwardWork work(call);
    absl::StatusOr<std::vector<DirectAward>> awards =
        work.use_cases.List(filter, call.caller, page->after_id, page->size + 1);
    if (!awards.ok()) return awards.status();
    return platform::FillPage(
        *awards, *page, [](const DirectAward& award) { return award.id; },
        [&](const DirectAward& award) {
          v1::DirectAward& out = *response->add_direct_awards();
          out = ToApi(award);
          return out.ByteSizeLong();
        },
        response->mutable_page());
  });
}

grpc::Status ReferralService::ReviewDirectAward(grpc::ServerContext* context,
                                                const v1::ReviewDirectAwardRequest* request,
                                                v1::DirectAward* response) {
  return calls_.Change(context, "ReviewDirectAward", request->idempotency_key(), *request,
                       *response, kAuthors, [&](Call& call) -> absl::Status {
                         DirectAwardWork work(call);
                         absl::StatusOr<DirectAward> reviewed =
                             work.use_cases.Review(request->id(), request->review_note(),
                                                   ActorFrom(call.caller), call.now);
                         if (!reviewed.ok()) return reviewed.status();
                         *response = ToApi(*reviewed);
                         return absl::OkStatus();
                       });
}

}  // namespace dps::referral
