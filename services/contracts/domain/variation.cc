#include "services/contracts/domain/variation.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/ipa_internal.h"

namespace dps::contracts {
namespace {

using internal::IsOneOf;
using internal::Record;
using internal::Refuse;
using platform::Forbidden;
using platform::InvalidField;

absl::string_view VariationKindName(VariationKind kind) {
  switch (kind) {
    case VariationKind::kUnspecified:
      return "VARIATION_KIND_UNSPECIFIED";
    case VariationKind::kAdditionalServices:
      return "ADDITIONAL_SERVICES";
    case VariationKind::kFeeUplift:
      return "FEE_UPLIFT";
    case VariationKind::kDates:
      return "DATES";
    case VariationKind::kContactsOrDocuments:
      return "CONTACTS_OR_DOCUMENTS";
    case VariationKind::kOther:
      return "OTHER";
  }
  return "VARIATION_KIND_UNSPECIFIED";
}

// The effective date of a variation of `ipa` to `input.terms`, or why it has none.
absl::StatusOr<absl::CivilDay> EffectiveFrom(const Ipa& ipa, const VariationInput& input) {
  const IpaVersion& current = *ipa.current_version();
  const absl::CivilDay new_start = *input.terms.start_date;
  if (new_start != *current.terms.start_date) {
    if (ipa.state == IpaState::kActive) {
      return InvalidField("terms.start_date",
                          absl::StrCat("the placement started on ",
                                       FormatDay(*ipa.actual_start_date), "; it cannot change"));
    }
    // Nothing has run yet: the new terms govern from the new start.
    if (input.effective_from && *input.effective_from != new_start) {
      return InvalidField(
          "effective_from",
          absl::StrCat("must be the new start_date ", FormatDay(new_start),
                       " when the start date changes, got ", FormatDay(*input.effective_from)));
    }
    return new_start;
  }
  if (!input.effective_from) return InvalidField("effective_from", "required");
  const absl::CivilDay from = *input.effective_from;
  if (from < current.effective_from) {
    return InvalidField(
        "effective_from",
        absl::StrCat("must not be before ", FormatDay(current.effective_from), ", when version ",
                     current.number, " took effect, got ", FormatDay(from)));
  }
  if (from > *input.terms.planned_end_date) {
    return InvalidField("effective_from", absl::StrCat("must not be after the planned end date ",
                                                       FormatDay(*input.terms.planned_end_date),
                                                       ", got ", FormatDay(from)));
  }
  return from;
}

// The variation numbered `number` awaiting signatures, for the party `by` acts for.
absl::StatusOr<Party> FindAwaitingVariation(const Ipa& ipa, int number, const Actor& by,
                                            absl::string_view action) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse(absl::StrCat(action, " a variation of"), ipa.state);
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (number < 1 || number > static_cast<int>(ipa.versions.size())) {
    return absl::NotFoundError(absl::StrCat("ipa: no version ", number));
  }
  const IpaVersion& version = ipa.versions[number - 1];
  if (version.origin != VersionOrigin::kVariation) {
    return Forbidden("ipa", absl::StrCat("version ", number, " is not a variation"));
  }
  if (version.state != VersionState::kAwaitingSignatures) {
    return Forbidden("ipa", absl::StrCat("cannot ", action, " variation ", number, ": it is ",
                                         VersionStateName(version.state)));
  }
  return party;
}

}  // namespace

namespace internal {

absl::StatusOr<int> ProposeVariationAs(Ipa& ipa, VariationInput input, Party party, const Actor& by,
                                       absl::string_view fee_uplift_id,
                                       const VersionRenderer& renderer, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse("vary", ipa.state);
  }
  if (const IpaVersion* awaiting = ipa.awaiting_signatures()) {
    return Forbidden("ipa", absl::StrCat("version ", awaiting->number,
                                         " awaits signatures; it must be signed, rejected or "
                                         "withdrawn before another variation"));
  }
  if (input.kind == VariationKind::kUnspecified) {
    return InvalidField("kind", "required");
  }
  if (auto s = RequireText("reason", input.reason, kMaxLongText); !s.ok()) return s;
  if (auto s = CheckComplete("terms", input.terms, ipa.provision_type); !s.ok()) return s;
  const IpaVersion& current = *ipa.current_version();
  if (input.terms == current.terms) {
    return InvalidField("terms", absl::StrCat("the same as version ", current.number,
                                              ": a variation must change something"));
  }
  absl::StatusOr<absl::CivilDay> effective_from = EffectiveFrom(ipa, input);
  if (!effective_from.ok()) return effective_from.status();

  IpaVersion version;
  version.origin = VersionOrigin::kVariation;
  version.variation_kind = input.kind;
  version.terms = std::move(input.terms);
  version.effective_from = *effective_from;
  version.reason = std::move(input.reason);
  version.proposed_by = party;
  version.proposed_by_user_id = by.user_id;
  version.proposed_at = now;
  version.fee_uplift_id = std::string(fee_uplift_id);
  Ipa varied = ipa;
  absl::StatusOr<int> number = AddVersion(varied, std::move(version), renderer);
  if (!number.ok()) return number.status();
  Record(varied, varied.state, by,
         absl::StrCat("variation ", *number, " (",
                      VariationKindName(varied.versions.back().variation_kind),
                      ") proposed by the ", PartyName(party)),
         now);
  ipa = std::move(varied);
  return number;
}

}  // namespace internal

absl::StatusOr<int> ProposeVariation(Ipa& ipa, VariationInput input,
                                     const VersionRenderer& renderer, const Actor& by,
                                     absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse("vary", ipa.state);
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (input.kind == VariationKind::kFeeUplift) {
    return InvalidField("kind",
                        "FEE_UPLIFT variations come only from an approved fee uplift request");
  }
  return internal::ProposeVariationAs(ipa, std::move(input), *party, by, "", renderer, now);
}

absl::Status SignVariation(Ipa& ipa, int version_number, const SignInput& input, const Actor& by,
                           absl::Time now) {
  if (auto party = FindAwaitingVariation(ipa, version_number, by, "sign"); !party.ok()) {
    return party.status();
  }
  return Sign(ipa, input, by, now);
}

std::string VariationId(absl::string_view ipa_id, int version_number) {
  return absl::StrCat(ipa_id, ".v", version_number);
}

absl::StatusOr<VariationRef> ParseVariationId(absl::string_view field,
                                              absl::string_view variation_id) {
  auto refuse = [&] {
    return InvalidField(field,
                        "must be an IPA id followed by \".v\" and a version number of 2 "
                        "or more, as ListVariations gives it");
  };
  const size_t dot = variation_id.rfind(".v");
  if (dot == absl::string_view::npos || dot == 0) return refuse();
  const absl::string_view digits = variation_id.substr(dot + 2);
  int number = 0;
  // At most 9 digits: no overflow, and no IPA has that many versions.
  if (digits.empty() || digits.size() > 9 || digits[0] == '0') return refuse();
  for (char c : digits) {
    if (c < '0' || c > '9') return refuse();
    number = number * 10 + (c - '0');
  }
  if (number < 2) return refuse();
  const absl::string_view ipa_id = variation_id.substr(0, dot);
  if (auto s = ValidateId(field, ipa_id); !s.ok()) return refuse();
  return VariationRef{std::string(ipa_id), number};
}

absl::Status RejectVariation(Ipa& ipa, int version_number, absl::string_view reason,
                             const Actor& by, absl::Time now) {
  absl::StatusOr<Party> party = FindAwaitingVariation(ipa, version_number, by, "reject");
  if (!party.ok()) return party.status();
  IpaVersion& version = internal::VersionAt(ipa, version_number);
  if (version.proposed_by == *party) {
    return Forbidden("ipa", absl::StrCat("the ", PartyName(*party), " proposed variation ",
                                         version_number, "; it may withdraw it, not reject it"));
  }
  if (auto s = RequireText("reason", reason, kMaxLongText); !s.ok()) return s;
  version.state = VersionState::kRejected;
  version.rejection_reason = std::string(reason);
  version.closed_at = now;
  Record(ipa, ipa.state, by,
         absl::StrCat("variation ", version_number, " rejected by the ", PartyName(*party)), now);
  return absl::OkStatus();
}

absl::Status WithdrawVariation(Ipa& ipa, int version_number, const Actor& by, absl::Time now) {
  absl::StatusOr<Party> party = FindAwaitingVariation(ipa, version_number, by, "withdraw");
  if (!party.ok()) return party.status();
  IpaVersion& version = internal::VersionAt(ipa, version_number);
  if (version.proposed_by != *party) {
    return Forbidden("ipa", absl::StrCat("the ", PartyName(version.proposed_by),
                                         " proposed variation ", version_number,
                                         "; only it may withdraw it (the other party may reject "
                                         "it)"));
  }
  version.state = VersionState::kWithdrawn;
  version.closed_at = now;
  Record(ipa, ipa.state, by,
         absl::StrCat("variation ", version_number, " withdrawn by the ", PartyName(*party)), now);
  return absl::OkStatus();
}

}  // namespace dps::contracts
