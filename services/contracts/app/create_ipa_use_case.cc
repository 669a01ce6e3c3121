#include "services/contracts/app/create_ipa_use_case.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::contracts {
namespace {

bool ActsForAnAuthority(const Actor& actor) {
  return actor.role == Role::kPlacingOfficer || actor.role == Role::kCommissioner;
}

// What the caller asked for, told as the referral service would tell an award it does not show.
absl::Status NoSuchAward(const IpaSource& source) {
  switch (source.kind) {
    case SourceKind::kAward:
      return absl::NotFoundError(absl::StrCat("referral ", source.referral_id, ": not found"));
    case SourceKind::kDirectAward:
      return absl::NotFoundError(
          absl::StrCat("direct award ", source.direct_award_id, ": not found"));
    default:
      return absl::NotFoundError(
          absl::StrCat("block contract ", source.block_contract_id, ": not found"));
  }
}

}  // namespace

absl::StatusOr<CreateResult> CreateIpaUseCase::CreateIpa(const IpaSource& source,
                                                         const Caller& caller) const {
  if (absl::Status s = ValidateSource("source", source); !s.ok()) return s;
  if (source.ranked_call_off) {
    return platform::InvalidField("source.ranked_call_off",
                                  "is the award's basis, read from the referral service");
  }
  const Actor& actor = caller.actor;
  if (!ActsForAnAuthority(actor) && actor.role != Role::kService) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(actor.role), " may not create an IPA"));
  }

  // 1. The award and its facts, asked with nothing held.
  absl::StatusOr<dps::events::v1::EventEnvelope> award = awards_.AwardOf(caller.request_id, source);
  if (!award.ok()) return award.status();
  const std::optional<AwardRef> ref = AwardRefOf(*award);
  if (!ref) return absl::InternalError("the referral service answered with no award");
  if (ActsForAnAuthority(actor) && ref->placing_authority_id != actor.organisation_id) {
    return NoSuchAward(source);
  }
  absl::StatusOr<AwardFacts> facts =
      facts_.FactsOf(caller.request_id, ref->system_id, ref->lot_id, ref->establishment_id);
  if (!facts.ok()) return facts.status();
  absl::StatusOr<IpaSpec> spec = SpecFromAward(*award, *facts);
  if (!spec.ok()) return spec.status();
  if (source.kind == SourceKind::kAward && spec->source.bid_id != source.bid_id) {
    return platform::InvalidField(
        "source.bid_id", absl::StrCat("referral ", source.referral_id, " was awarded to bid ",
                                      spec->source.bid_id, ", not to ", source.bid_id));
  }

  // 2. One transaction: the IPA the source already has, else the new one.
  return ipas_.CreateIpaFromAward(*std::move(spec), caller);
}

}  // namespace dps::contracts
