#include "services/referral/app/block_contracts.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/pg/documents.h"
#include "platform/proto/proto_time.h"
#include "services/referral/app/callers.h"
#include "services/referral/convert/convert.h"

namespace dps::referral {
namespace {

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("block contract ", id, ": not found"));
}

}  // namespace

absl::StatusOr<CheckedBlock> CheckBlockContract(const QualificationClient& qualification,
                                                const platform::CallerIdentity& caller,
                                                const std::string& request_id,
                                                const v1::CreateBlockContractRequest& request) {
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
  return CheckedBlock{.spec = *std::move(spec),
                      .placement = *std::move(placement),
                      .establishment = *std::move(establishment)};
}

absl::StatusOr<StoredBlockContract> BlockContractUseCases::Create(const CheckedBlock& checked,
                                                                  const Actor& by) {
  absl::StatusOr<BlockContract> block = CreateBlockContract(checked.spec);
  if (!block.ok()) return block.status();
  block->id = platform::NewId("block");
  block->placing_authority_id = by.organisation_id;
  block->provider_id = checked.establishment.provider_id();
  const std::string& lead = checked.placement.system.lead_authority_id();
  if (absl::Status s = blocks_.Insert(*block, lead); !s.ok()) return s;
  const v1::BlockContract made = ToApi(*block);
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_block_contract_created();
  event.set_block_contract_id(made.id());
  event.set_lot_id(made.lot_id());
  event.set_placing_authority_id(made.placing_authority_id());
  event.set_establishment_id(made.establishment_id());
  event.set_provider_id(made.provider_id());
  event.set_places(made.places());
  *event.mutable_weekly_fee_per_place() = made.weekly_fee_per_place();
  *event.mutable_period() = made.period();
  if (absl::Status s = events_.Announce("referral.block.created", "block_contract", made.id(),
                                        made.system_id(), std::move(envelope));
      !s.ok()) {
    return s;
  }
  return StoredBlockContract{.block = *std::move(block), .lead_authority_id = lead, .version = 1};
}

absl::StatusOr<StoredBlockContract> BlockContractUseCases::Read(
    const std::string& id, const platform::CallerIdentity& caller) {
  absl::StatusOr<StoredBlockContract> stored = blocks_.Load(id, /*for_update=*/false);
  if (!stored.ok()) return stored.status();
  // A DPS service: the contracts service reading a call-off for its agreement.
  if (!MayReadPlacement(caller, stored->block.placing_authority_id, stored->block.provider_id,
                        stored->lead_authority_id)) {
    return NotFound(id);
  }
  return stored;
}

absl::StatusOr<std::vector<StoredBlockContract>> BlockContractUseCases::List(
    BlockContractFilter filter, const platform::CallerIdentity& caller, const std::string& after_id,
    int limit) {
  ScopeListToCaller(caller, filter.placing_authority_id, filter.lead_authority_id);
  return blocks_.List(filter, after_id, limit);
}

absl::StatusOr<StoredBlockContract> BlockContractUseCases::LoadOwn(const std::string& id,
                                                                   const Actor& by) {
  absl::StatusOr<StoredBlockContract> stored = blocks_.Load(id, /*for_update=*/true);
  if (!stored.ok()) return stored.status();
  // Only the authority that reserved the places changes the block; to anyone else it does not
  // exist, as reading it would show.
  if (stored->block.placing_authority_id != by.organisation_id) return NotFound(id);
  return stored;
}

absl::StatusOr<BlockCallOff> BlockContractUseCases::CallOff(const std::string& block_id,
                                                            CallOffRequest request, const Actor& by,
                                                            absl::Time now) {
  absl::StatusOr<StoredBlockContract> stored = LoadOwn(block_id, by);
  if (!stored.ok()) return stored.status();
  BlockContract& block = stored->block;
  if (absl::Status s = CallOffBlockContract(block, platform::NewId("call-off"),
                                            std::move(request.spec), by, now);
      !s.ok()) {
    return s;
  }
  BlockCallOff& made = block.call_offs.back();
  made.centroid = request.centroid;
  if (absl::StatusOr<int64_t> saved = blocks_.Save(block, stored->version); !saved.ok()) {
    return saved.status();
  }
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_block_call_off_made();
  event.set_call_off_id(made.id);
  event.set_block_contract_id(block.id);
  event.set_lot_id(block.spec.lot_id);
  event.set_placing_authority_id(block.placing_authority_id);
  event.set_establishment_id(block.spec.establishment_id);
  event.set_provider_id(block.provider_id);
  event.mutable_weekly_fee_per_place()->set_pence(block.spec.weekly_fee_per_place_pence);
  event.set_children(made.places());
  *event.mutable_start_date() = platform::ToDate(made.start_date);
  *event.mutable_planned_end_date() = platform::ToDate(made.planned_end_date);
  event.set_postcode_district(made.postcode_district);
  if (absl::Status s = events_.Announce("referral.block.called_off", "block_contract", block.id,
                                        block.spec.system_id, std::move(envelope));
      !s.ok()) {
    return s;
  }
  return made;
}

absl::StatusOr<BlockCallOff> BlockContractUseCases::EndCallOffAndAnnounce(
    StoredBlockContract& stored, const std::string& call_off_id, absl::CivilDay ended_on) {
  BlockContract& block = stored.block;
  if (absl::Status s = dps::referral::EndCallOff(block, call_off_id, ended_on); !s.ok()) return s;
  absl::StatusOr<int64_t> saved = blocks_.Save(block, stored.version);
  if (!saved.ok()) return saved.status();
  stored.version = *saved;
  const auto ended = std::find_if(block.call_offs.begin(), block.call_offs.end(),
                                  [&](const BlockCallOff& c) { return c.id == call_off_id; });
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_block_call_off_ended();
  event.set_call_off_id(ended->id);
  event.set_block_contract_id(block.id);
  event.set_placing_authority_id(block.placing_authority_id);
  *event.mutable_ended_on() = platform::ToDate(*ended->ended_on);
  event.set_places_freed(ended->places());
  if (absl::Status s = events_.Announce("referral.block.call_off_ended", "block_contract", block.id,
                                        block.spec.system_id, std::move(envelope));
      !s.ok()) {
    return s;
  }
  return *ended;
}

absl::StatusOr<BlockCallOff> BlockContractUseCases::EndCallOff(const std::string& block_id,
                                                               const std::string& call_off_id,
                                                               absl::CivilDay ended_on,
                                                               const Actor& by) {
  absl::StatusOr<StoredBlockContract> stored = LoadOwn(block_id, by);
  if (!stored.ok()) return stored.status();
  return EndCallOffAndAnnounce(*stored, call_off_id, ended_on);
}

absl::Status BlockContractUseCases::EndCallOffForAgreement(const std::string& block_id,
                                                           const std::string& call_off_id,
                                                           std::optional<absl::CivilDay> last_day) {
  absl::StatusOr<StoredBlockContract> stored = blocks_.Load(block_id, /*for_update=*/true);
  if (!stored.ok()) {
    if (absl::IsNotFound(stored.status())) {
      return absl::InvalidArgumentError(std::string(stored.status().message()));
    }
    return stored.status();
  }
  const std::vector<BlockCallOff>& call_offs = stored->block.call_offs;
  const auto call_off = std::find_if(call_offs.begin(), call_offs.end(),
                                     [&](const BlockCallOff& c) { return c.id == call_off_id; });
  if (call_off == call_offs.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("block contract ", block_id, " has no call-off ", call_off_id));
  }
  if (call_off->ended_on) return absl::OkStatus();  // the authority said so first
  const absl::CivilDay ended_on =
      last_day ? std::min(*last_day, call_off->planned_end_date) : call_off->start_date - 1;
  return EndCallOffAndAnnounce(*stored, call_off_id, ended_on).status();
}

absl::Status BlockContractUseCases::EndAndAnnounce(StoredBlockContract& stored,
                                                   absl::CivilDay last_day,
                                                   const std::string& reason, const Actor& by,
                                                   absl::Time now) {
  BlockContract& block = stored.block;
  if (absl::Status s = EndBlockContract(block, last_day, reason, by, now); !s.ok()) return s;
  absl::StatusOr<int64_t> saved = blocks_.Save(block, stored.version);
  if (!saved.ok()) return saved.status();
  stored.version = *saved;
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_block_contract_ended();
  event.set_block_contract_id(block.id);
  event.set_lot_id(block.spec.lot_id);
  event.set_placing_authority_id(block.placing_authority_id);
  event.set_establishment_id(block.spec.establishment_id);
  *event.mutable_last_day() = platform::ToDate(*block.ended_on);
  event.set_ended_early(*block.ended_on < *block.spec.period.end);
  return events_.Announce("referral.block.ended", "block_contract", block.id, block.spec.system_id,
                          std::move(envelope));
}

absl::StatusOr<StoredBlockContract> BlockContractUseCases::End(
    const std::string& id, std::optional<absl::CivilDay> last_day, const std::string& reason,
    const Actor& by, absl::Time now) {
  absl::StatusOr<StoredBlockContract> stored = LoadOwn(id, by);
  if (!stored.ok()) return stored.status();
  if (absl::Status s = EndAndAnnounce(*stored, last_day.value_or(*stored->block.spec.period.end),
                                      reason, by, now);
      !s.ok()) {
    return s;
  }
  return stored;
}

absl::StatusOr<std::vector<std::string>> BlockContractUseCases::DueToEnd(absl::CivilDay today) {
  return blocks_.PastTheirPeriod(today);
}

absl::StatusOr<bool> BlockContractUseCases::EndWithPeriod(const std::string& id, absl::Time now) {
  // Another process, or its commissioner, may have ended it since the list was read.
  absl::StatusOr<bool> claimed = blocks_.ClaimActive(id);
  if (!claimed.ok() || !*claimed) return claimed;
  absl::StatusOr<StoredBlockContract> stored = blocks_.Load(id, /*for_update=*/true);
  if (!stored.ok()) return stored.status();
  if (!BlockPeriodOver(stored->block, absl::ToCivilDay(now, absl::UTCTimeZone()))) return false;
  if (absl::Status s = EndAndAnnounce(*stored, *stored->block.spec.period.end, "its period ran out",
                                      Actor{}, now);
      !s.ok()) {
    return s;
  }
  return true;
}

absl::StatusOr<VoidReport> BlockContractUseCases::Voids(const std::string& id,
                                                        const DateRange& period,
                                                        const platform::CallerIdentity& caller,
                                                        absl::CivilDay today) {
  absl::StatusOr<StoredBlockContract> stored = Read(id, caller);
  if (!stored.ok()) return stored.status();
  return ReportVoids(stored->block, period, today);
}

}  // namespace dps::referral
