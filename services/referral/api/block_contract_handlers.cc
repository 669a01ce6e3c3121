// Block contracts: places reserved with one establishment at an agreed weekly fee, called off
// without competition while places are free, and the voids (reserved places nobody filled).
#include <optional>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/grpc/caller.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/child_location.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/block_endings.h"
#include "services/referral/app/placement.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/block_contract.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kCommissioners = {ApiRole::ROLE_COMMISSIONER};
constexpr auto kBlockReaders = {ApiRole::ROLE_PLACING_OFFICER,      ApiRole::ROLE_COMMISSIONER,
                                ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR,
                                ApiRole::ROLE_PROVIDER_USER,        ApiRole::ROLE_SERVICE};

absl::CivilDay Today(const Call& call) { return absl::ToCivilDay(call.now, absl::UTCTimeZone()); }

// The block's authority, its system's lead authority, its provider and a DPS service (the
// contracts service reading a call-off for its agreement) may read it.
absl::Status RequireBlockReader(const Call& call, const v1::BlockContract& block,
                                const std::string& lead) {
  if (IsPeerService(call.caller)) return absl::OkStatus();
  const std::string& org = call.caller.organisation_id;
  const bool may = IsAuthor(call.caller) ? org == block.placing_authority_id()
                   : call.caller.role == ApiRole::ROLE_PROVIDER_USER ? org == block.provider_id()
                                                                     : org == lead;
  if (may) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("block contract ", block.id(), ": not found"));
}

// Loads a block for reading, with what it holds on `today`.
absl::Status ReadBlock(Call& call, const std::string& id, v1::BlockContract& block,
                       BlockContract* domain_out = nullptr) {
  std::string lead;
  if (absl::Status s = LoadBlockContract(call.tx, id, false, block, &lead); !s.ok()) return s;
  if (absl::Status s = RequireBlockReader(call, block, lead); !s.ok()) return s;
  absl::StatusOr<BlockContract> domain = ToDomain(block);
  if (!domain.ok()) return domain.status();
  block.set_places_filled(PlacesFilledOn(*domain, Today(call)));
  if (domain_out != nullptr) *domain_out = *std::move(domain);
  return absl::OkStatus();
}

// A block contract checked against what the qualification service knows: its system and lot,
// and the establishment, a qualified, unsuspended member of the lot. All of it depends on the
// request alone, so it is asked before the change's transaction opens.
struct CheckedBlock {
  std::optional<BlockContractSpec> spec;
  Placement placement;
  qv1::Establishment establishment;
};

absl::Status CheckBlock(const QualificationClient& qualification,
                        const platform::CallerIdentity& caller, const std::string& request_id,
                        const v1::CreateBlockContractRequest& request, CheckedBlock& checked) {
  absl::StatusOr<BlockContractSpec> spec = ToDomainBlockSpec(request);
  if (!spec.ok()) return spec.status();
  if (absl::Status s = ValidateBlockContract(*spec); !s.ok()) return s;
  absl::StatusOr<Placement> placement =
      PlacementOf(qualification, caller, request_id, request.system_id(), request.lot_id(), "");
  if (!placement.ok()) return placement.status();
  absl::StatusOr<bool> member =
      qualification.QualifiedMember(request_id, request.lot_id(), request.establishment_id());
  if (!member.ok()) return member.status();
  if (!*member) {
    return platform::Forbidden("establishment",
                               absl::StrCat(request.establishment_id(),
                                            " is not a qualified, unsuspended member of the lot"));
  }
  absl::StatusOr<qv1::Establishment> establishment =
      qualification.Establishment(request_id, request.establishment_id());
  if (!establishment.ok()) return establishment.status();
  checked.spec = *std::move(spec);
  checked.placement = *std::move(placement);
  checked.establishment = *std::move(establishment);
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReferralService::CreateBlockContract(grpc::ServerContext* context,
                                                  const v1::CreateBlockContractRequest* request,
                                                  v1::BlockContract* response) {
  CheckedBlock checked;
  const platform::CallRunner::Prepare prepare{
      .ask = [&](const platform::CallerIdentity& caller, const std::string& request_id) {
        return CheckBlock(qualification_, caller, request_id, *request, checked);
      }};
  return calls_.Change(
      context, "CreateBlockContract", request->idempotency_key(), *request, *response,
      kCommissioners, prepare, [&](Call& call) -> absl::Status {
        absl::StatusOr<BlockContract> block = dps::referral::CreateBlockContract(*checked.spec);
        if (!block.ok()) return block.status();
        block->id = platform::NewId("block");
        block->placing_authority_id = call.caller.organisation_id;
        block->provider_id = checked.establishment.provider_id();

        v1::BlockContract& out = *response;
        out.set_id(block->id);
        out.set_system_id(request->system_id());
        out.set_lot_id(request->lot_id());
        out.set_placing_authority_id(block->placing_authority_id);
        out.set_establishment_id(request->establishment_id());
        out.set_provider_id(block->provider_id);
        out.set_places(request->places());
        *out.mutable_weekly_fee_per_place() = request->weekly_fee_per_place();
        *out.mutable_period() = request->period();
        out.set_terms(request->terms());
        out.set_version(1);
        ApplyToApi(*block, out);
        if (absl::Status s =
                InsertBlockContract(call.tx, out, checked.placement.system.lead_authority_id());
            !s.ok()) {
          return s;
        }
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_block_contract_created();
        event.set_block_contract_id(out.id());
        event.set_lot_id(out.lot_id());
        event.set_placing_authority_id(out.placing_authority_id());
        event.set_establishment_id(out.establishment_id());
        event.set_provider_id(out.provider_id());
        event.set_places(out.places());
        *event.mutable_weekly_fee_per_place() = out.weekly_fee_per_place();
        *event.mutable_period() = out.period();
        return platform::Announce(call, kReferralStream, "referral.block.created", "block_contract",
                                  out.id(), out.system_id(), std::move(envelope));
      });
}

grpc::Status ReferralService::GetBlockContract(grpc::ServerContext* context,
                                               const v1::GetBlockContractRequest* request,
                                               v1::BlockContract* response) {
  return calls_.Read(context, *request, kBlockReaders, [&](Call& call) -> absl::Status {
    absl::Status status = ReadBlock(call, request->id(), *response);
    if (!status.ok()) response->Clear();
    return status;
  });
}

grpc::Status ReferralService::ListBlockContracts(grpc::ServerContext* context,
                                                 const v1::ListBlockContractsRequest* request,
                                                 v1::ListBlockContractsResponse* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    BlockContractFilter filter{.system_id = request->system_id(),
                               .placing_authority_id = request->placing_authority_id(),
                               .establishment_id = request->establishment_id()};
    if (IsAuthor(call.caller)) {
      filter.placing_authority_id = call.caller.organisation_id;
    } else {
      filter.lead_authority_id = call.caller.organisation_id;
    }
    if (absl::Status s = dps::referral::ListBlockContracts(call.tx, filter, *page, *response);
        !s.ok()) {
      return s;
    }
    for (v1::BlockContract& block : *response->mutable_block_contracts()) {
      absl::StatusOr<BlockContract> domain = ToDomain(block);
      if (!domain.ok()) return domain.status();
      block.set_places_filled(PlacesFilledOn(*domain, Today(call)));
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::CallOffBlockContract(grpc::ServerContext* context,
                                                   const v1::CallOffBlockContractRequest* request,
                                                   v1::BlockCallOff* response) {
  return calls_.Change(
      context, "CallOffBlockContract", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        v1::BlockContract stored;
        if (absl::Status s = LoadBlockContract(call.tx, request->block_contract_id(), true, stored);
            !s.ok()) {
          return s;
        }
        // Only the authority that reserved the places calls off into them.
        if (stored.placing_authority_id() != call.caller.organisation_id) {
          return absl::NotFoundError(
              absl::StrCat("block contract ", request->block_contract_id(), ": not found"));
        }
        v1::CallOffBlockContractRequest tidied = *request;
        if (absl::Status s = PlaceDistrict(*tidied.mutable_location(), "location"); !s.ok()) {
          return s;
        }
        absl::StatusOr<CallOffSpec> spec = ToDomainCallOff(tidied);
        if (!spec.ok()) return spec.status();
        absl::StatusOr<BlockContract> block = ToDomain(stored);
        if (!block.ok()) return block.status();
        const std::string call_off_id = platform::NewId("call-off");
        if (absl::Status s = dps::referral::CallOffBlockContract(
                *block, call_off_id, *std::move(spec), call.caller.user_id, call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*block, stored);
        v1::BlockCallOff& made = *stored.mutable_call_offs(stored.call_offs_size() - 1);
        *made.mutable_location() = tidied.location();
        made.mutable_made_by()->set_role(dps::common::v1::Role_Name(call.caller.role));
        made.mutable_made_by()->set_organisation_id(call.caller.organisation_id);
        *response = made;
        if (absl::Status s = SaveBlockContract(call.tx, stored); !s.ok()) return s;
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_block_call_off_made();
        event.set_call_off_id(made.id());
        event.set_block_contract_id(stored.id());
        event.set_lot_id(stored.lot_id());
        event.set_placing_authority_id(stored.placing_authority_id());
        event.set_establishment_id(stored.establishment_id());
        event.set_provider_id(stored.provider_id());
        *event.mutable_weekly_fee_per_place() = stored.weekly_fee_per_place();
        event.set_children(made.children_size());
        *event.mutable_start_date() = made.start_date();
        *event.mutable_planned_end_date() = made.planned_end_date();
        event.set_postcode_district(made.location().postcode_district());
        return platform::Announce(call, kReferralStream, "referral.block.called_off",
                                  "block_contract", stored.id(), stored.system_id(),
                                  std::move(envelope));
      });
}

namespace {

// Loads a block for a change by the authority that reserved its places (NotFound for anyone
// else, as reading it would be), locked until the transaction ends.
absl::Status LoadOwnBlock(Call& call, const std::string& id, v1::BlockContract& stored,
                          BlockContract& block) {
  if (absl::Status s = LoadBlockContract(call.tx, id, true, stored); !s.ok()) return s;
  if (stored.placing_authority_id() != call.caller.organisation_id) {
    return absl::NotFoundError(absl::StrCat("block contract ", id, ": not found"));
  }
  absl::StatusOr<BlockContract> domain = ToDomain(stored);
  if (!domain.ok()) return domain.status();
  block = *std::move(domain);
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReferralService::EndBlockCallOff(grpc::ServerContext* context,
                                              const v1::EndBlockCallOffRequest* request,
                                              v1::BlockCallOff* response) {
  return calls_.Change(
      context, "EndBlockCallOff", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        absl::StatusOr<std::optional<absl::CivilDay>> ended_on =
            platform::FromDate(request->ended_on(), "ended_on");
        if (!ended_on.ok()) return ended_on.status();
        if (!ended_on->has_value()) return platform::InvalidField("ended_on", "required");
        v1::BlockContract stored;
        BlockContract block;
        if (absl::Status s = LoadOwnBlock(call, request->block_contract_id(), stored, block);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::BlockCallOff> ended =
            EndCallOffAndAnnounce(call, stored, block, request->call_off_id(), **ended_on);
        if (!ended.ok()) return ended.status();
        *response = *std::move(ended);
        return absl::OkStatus();
      });
}

grpc::Status ReferralService::EndBlockContract(grpc::ServerContext* context,
                                               const v1::EndBlockContractRequest* request,
                                               v1::BlockContract* response) {
  return calls_.Change(
      context, "EndBlockContract", request->idempotency_key(), *request, *response, kCommissioners,
      [&](Call& call) -> absl::Status {
        absl::StatusOr<std::optional<absl::CivilDay>> last_day =
            platform::FromDate(request->last_day(), "last_day");
        if (!last_day.ok()) return last_day.status();
        v1::BlockContract stored;
        BlockContract block;
        if (absl::Status s = LoadOwnBlock(call, request->id(), stored, block); !s.ok()) return s;
        if (absl::Status s = EndBlockAndAnnounce(
                call, stored, block, last_day->value_or(*block.spec.period.end), request->reason());
            !s.ok()) {
          return s;
        }
        stored.set_places_filled(PlacesFilledOn(block, Today(call)));
        *response = stored;
        return absl::OkStatus();
      });
}

grpc::Status ReferralService::GetBlockVoids(grpc::ServerContext* context,
                                            const v1::GetBlockVoidsRequest* request,
                                            v1::BlockVoidReport* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    v1::BlockContract stored;
    BlockContract block;
    if (absl::Status s = ReadBlock(call, request->block_contract_id(), stored, &block); !s.ok()) {
      return s;
    }
    DateRange period;
    absl::StatusOr<std::optional<absl::CivilDay>> start =
        platform::FromDate(request->period().start(), "period.start");
    if (!start.ok()) return start.status();
    absl::StatusOr<std::optional<absl::CivilDay>> end =
        platform::FromDate(request->period().end(), "period.end");
    if (!end.ok()) return end.status();
    period.start = *start;
    period.end = *end;
    absl::StatusOr<VoidReport> report = ReportVoids(block, period, Today(call));
    if (!report.ok()) return report.status();
    response->set_block_contract_id(stored.id());
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
