// Block contracts over gRPC: each handler translates, calls one use case (app/block_contracts.h)
// and maps the status.
#include <optional>
#include <vector>

#include "platform/errors/errors.h"
#include "platform/grpc/caller.h"
#include "platform/pg/documents.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/child_location.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/block_contracts.h"
#include "services/referral/convert/convert.h"
#include "services/referral/storage/pg_block_contract_repository.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kCommissioners = {ApiRole::ROLE_COMMISSIONER};
constexpr auto kBlockReaders = {ApiRole::ROLE_PLACING_OFFICER,      ApiRole::ROLE_COMMISSIONER,
                                ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR,
                                ApiRole::ROLE_PROVIDER_USER,        ApiRole::ROLE_SERVICE};

absl::CivilDay Today(const Call& call) { return absl::ToCivilDay(call.now, absl::UTCTimeZone()); }

// The use cases over the call's transaction and the referral stream's outbox.
struct BlockWork {
  explicit BlockWork(Call& call) : blocks(call.tx), events(ReferralOutbox(call)) {}
  PgBlockContractRepository blocks;
  platform::OutboxEvents events;
  BlockContractUseCases use_cases{blocks, events};
};

// The block as the API shows it on `today`.
v1::BlockContract ToApiOn(const StoredBlockContract& stored, absl::CivilDay today) {
  v1::BlockContract out = ToApi(stored.block);
  out.set_version(stored.version);
  out.set_places_filled(PlacesFilledOn(stored.block, today));
  return out;
}

}  // namespace

grpc::Status ReferralService::CreateBlockContract(grpc::ServerContext* context,
                                                  const v1::CreateBlockContractRequest* request,
                                                  v1::BlockContract* response) {
  std::optional<CheckedBlock> checked;
  const platform::CallRunner::Prepare prepare{
      .ask = [&](const platform::CallerIdentity& caller, const std::string& request_id) {
        absl::StatusOr<CheckedBlock> ok =
            CheckBlockContract(qualification_, caller, request_id, *request);
        if (!ok.ok()) return ok.status();
        checked = *std::move(ok);
        return absl::OkStatus();
      }};
  return calls_.Change(context, "CreateBlockContract", request->idempotency_key(), *request,
                       *response, kCommissioners, prepare, [&](Call& call) -> absl::Status {
                         BlockWork work(call);
                         absl::StatusOr<StoredBlockContract> made =
                             work.use_cases.Create(*checked, ActorFrom(call.caller));
                         if (!made.ok()) return made.status();
                         *response = ToApiOn(*made, Today(call));
                         return absl::OkStatus();
                       });
}

grpc::Status ReferralService::GetBlockContract(grpc::ServerContext* context,
                                               const v1::GetBlockContractRequest* request,
                                               v1::BlockContract* response) {
  return calls_.Read(context, *request, kBlockReaders, [&](Call& call) -> absl::Status {
    BlockWork work(call);
    absl::StatusOr<StoredBlockContract> block = work.use_cases.Read(request->id(), call.caller);
    if (!block.ok()) return block.status();
    *response = ToApiOn(*block, Today(call));
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::ListBlockContracts(grpc::ServerContext* context,
                                                 const v1::ListBlockContractsRequest* request,
                                                 v1::ListBlockContractsResponse* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    const BlockContractFilter filter{.system_id = request->system_id(),
                                     .placing_authority_id = request->placing_authority_id(),
                                     .establishment_id = request->establishment_id()};
    BlockWork work(call);
    absl::StatusOr<std::vector<StoredBlockContract>> blocks =
        work.use_cases.List(filter, call.caller, page->after_id, page->size + 1);
    if (!blocks.ok()) return blocks.status();
    return platform::FillPage(
        *blocks, *page, [](const StoredBlockContract& stored) { return stored.block.id; },
        [&](const StoredBlockContract& stored) {
          v1::BlockContract& out = *response->add_block_contracts();
          out = ToApiOn(stored, Today(call));
          return out.ByteSizeLong();
        },
        response->mutable_page());
  });
}

grpc::Status ReferralService::CallOffBlockContract(grpc::ServerContext* context,
                                                   const v1::CallOffBlockContractRequest* request,
                                                   v1::BlockCallOff* response) {
  return calls_.Change(context, "CallOffBlockContract", request->idempotency_key(), *request,
                       *response, kAuthors, [&](Call& call) -> absl::Status {
                         v1::CallOffBlockContractRequest tidied = *request;
                         if (absl::Status s = PlaceDistrict(*tidied.mutable_location(), "location");
                             !s.ok()) {
                           return s;
                         }
                         absl::StatusOr<CallOffSpec> spec = ToDomainCallOff(tidied);
                         if (!spec.ok()) return spec.status();
                         const v1::ChildLocation& location = tidied.location();
                         BlockWork work(call);
                         absl::StatusOr<BlockCallOff> made = work.use_cases.CallOff(
                             request->block_contract_id(),
                             {.spec = *std::move(spec),
                              .centroid = Centroid{.latitude = location.centroid().latitude(),
                                                   .longitude = location.centroid().longitude()}},
                             ActorFrom(call.caller), call.now);
                         if (!made.ok()) return made.status();
                         *response = ToApi(*made, request->block_contract_id());
                         return absl::OkStatus();
                       });
}

grpc::Status ReferralService::EndBlockCallOff(grpc::ServerContext* context,
                                              const v1::EndBlockCallOffRequest* request,
                                              v1::BlockCallOff* response) {
  return calls_.Change(context, "EndBlockCallOff", request->idempotency_key(), *request, *response,
                       kAuthors, [&](Call& call) -> absl::Status {
                         absl::StatusOr<std::optional<absl::CivilDay>> ended_on =
                             platform::FromDate(request->ended_on(), "ended_on");
                         if (!ended_on.ok()) return ended_on.status();
                         if (!ended_on->has_value()) {
                           return platform::InvalidField("ended_on", "required");
                         }
                         BlockWork work(call);
                         absl::StatusOr<BlockCallOff> ended = work.use_cases.EndCallOff(
                             request->block_contract_id(), request->call_off_id(), **ended_on,
                             ActorFrom(call.caller));
                         if (!ended.ok()) return ended.status();
                         *response = ToApi(*ended, request->block_contract_id());
                         return absl::OkStatus();
                       });
}

grpc::Status ReferralService::EndBlockContract(grpc::ServerContext* context,
                                               const v1::EndBlockContractRequest* request,
                                               v1::BlockContract* response) {
  return calls_.Change(context, "EndBlockContract", request->idempotency_key(), *request, *response,
                       kCommissioners, [&](Call& call) -> absl::Status {
                         absl::StatusOr<std::optional<absl::CivilDay>> last_day =
                             platform::FromDate(request->last_day(), "last_day");
                         if (!last_day.ok()) return last_day.status();
                         BlockWork work(call);
                         absl::StatusOr<StoredBlockContract> ended =
                             work.use_cases.End(request->id(), *last_day, request->reason(),
                                                ActorFrom(call.caller), call.now);
                         if (!ended.ok()) return ended.status();
                         *response = ToApiOn(*ended, Today(call));
                         return absl::OkStatus();
                       });
}

grpc::Status ReferralService::GetBlockVoids(grpc::ServerContext* context,
                                            const v1::GetBlockVoidsRequest* request,
                                            v1::BlockVoidReport* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    DateRange period;
    absl::StatusOr<std::optional<absl::CivilDay>> start =
        platform::FromDate(request->period().start(), "period.start");
    if (!start.ok()) return start.status();
    absl::StatusOr<std::optional<absl::CivilDay>> end =
        platform::FromDate(request->period().end(), "period.end");
    if (!end.ok()) return end.status();
    period.start = *start;
    period.end = *end;
    BlockWork work(call);
    absl::StatusOr<VoidReport> report =
        work.use_cases.Voids(request->block_contract_id(), period, call.caller, Today(call));
    if (!report.ok()) return report.status();
    response->set_block_contract_id(request->block_contract_id());
    *response->mutable_period()->mutable_start() = platform::ToDate(*report->period.start);
    *response->mutable_period()->mutable_end() = platform::ToDate(*report->period.end);
    response->set_reserved_place_weeks(report->reserved_place_weeks());
    response->set_filled_place_weeks(report->filled_place_weeks());
    response->set_void_place_weeks(report->void_place_weeks());
    response->mutable_void_cost()->set_pence(report->void_cost_pence);
    return absl::OkStatus();
  });
}

}  // namespace dps::referral
