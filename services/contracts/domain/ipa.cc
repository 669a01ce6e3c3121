#include "services/contracts/domain/ipa.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/ipa_internal.h"

namespace dps::contracts {

using platform::Forbidden;
using platform::InvalidField;
using platform::Quote;

namespace internal {

absl::CivilDay DayOf(absl::Time now) { return absl::ToCivilDay(now, absl::UTCTimeZone()); }

bool IsOneOf(IpaState state, std::initializer_list<IpaState> states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

absl::Status Refuse(absl::string_view action, IpaState state) {
  return Forbidden("ipa", absl::StrCat("cannot ", action, " an IPA that is ", IpaStateName(state)));
}

void Record(Ipa& ipa, IpaState to, const std::optional<Actor>& by, std::string what,
            absl::Time now) {
  ipa.history.push_back({now, by, ipa.state, to, std::move(what)});
  ipa.state = to;
}

absl::Status RequireAuthority(const Ipa& ipa, const Actor& by, absl::string_view action) {
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (*party != Party::kPlacingAuthority) {
    return absl::PermissionDeniedError(
        absl::StrCat("ipa: only the placing authority may ", action, " an IPA; ", RoleName(by.role),
                     " of ", Quote(by.organisation_id), " acts for the ", PartyName(*party)));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AddVersion(Ipa& ipa, IpaVersion version, const VersionRenderer& renderer) {
  version.number = static_cast<int>(ipa.versions.size()) + 1;
  version.state = VersionState::kAwaitingSignatures;
  absl::StatusOr<Rendering> rendering = renderer.Render(ipa, version);
  if (!rendering.ok()) return rendering.status();
  if (!ValidateSha256Hex("rendering.sha256", rendering->sha256).ok() ||
      rendering->byte_length <= 0) {
    return absl::InternalError(absl::StrCat("ipa: rendering version ", version.number,
                                            " gave no usable hash or no bytes"));
  }
  version.document_sha256 = rendering->sha256;
  version.byte_length = rendering->byte_length;
  ipa.versions.push_back(std::move(version));
  return ipa.versions.back().number;
}

IpaVersion& VersionAt(Ipa& ipa, int number) { return ipa.versions[number - 1]; }

}  // namespace internal

namespace {

using internal::DayOf;
using internal::IsOneOf;
using internal::Record;
using internal::Refuse;
using internal::RequireAuthority;

absl::Status ValidateIds(const IpaSpec& spec) {
  const std::pair<const char*, const std::string*> ids[] = {
      {"id", &spec.id},
      {"system_id", &spec.system_id},
      {"lead_authority_id", &spec.lead_authority_id},
      {"lot_id", &spec.lot_id},
      {"parties.placing_authority_id", &spec.parties.placing_authority_id},
      {"parties.provider_id", &spec.parties.provider_id},
      {"parties.establishment_id", &spec.parties.establishment_id}};
  for (const auto& [field, id] : ids) {
    if (auto s = ValidateId(field, *id); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// The signature of `party` is allowed for `by`: a named signatory when the version names any for
// the party, else anyone acting for it who gives a name. Returns the name and position to record.
absl::StatusOr<std::pair<std::string, std::string>> SignerDetails(const IpaVersion& version,
                                                                  Party party,
                                                                  const SignInput& input,
                                                                  const Actor& by) {
  if (auto s = ValidateLength("signatory_name", input.signatory_name, kMaxNameLength); !s.ok()) {
    return s;
  }
  if (auto s = ValidateLength("signatory_position", input.signatory_position, kMaxShortText);
      !s.ok()) {
    return s;
  }
  bool any_named = false;
  for (const Signatory& signatory : version.terms.signatories) {
    if (signatory.party != party) continue;
    any_named = true;
    if (signatory.user_id == by.user_id) {
      return std::pair{
          input.signatory_name.empty() ? signatory.name : input.signatory_name,
          input.signatory_position.empty() ? signatory.position : input.signatory_position};
    }
  }
  if (any_named) {
    return absl::PermissionDeniedError(
        absl::StrCat("ipa: user ", Quote(by.user_id), " is not a named signatory for the ",
                     PartyName(party), " on version ", version.number));
  }
  if (auto s = RequireText("signatory_name", input.signatory_name, kMaxNameLength); !s.ok()) {
    return s;
  }
  return std::pair{input.signatory_name, input.signatory_position};
}

// The hash is the one of the version awaiting signatures; names what it is otherwise.
absl::Status CheckHash(const Ipa& ipa, const IpaVersion& awaiting, absl::string_view hash) {
  if (auto s = ValidateSha256Hex("document_sha256", hash); !s.ok()) return s;
  if (hash == awaiting.document_sha256) return absl::OkStatus();
  for (const IpaVersion& version : ipa.versions) {
    if (version.document_sha256 == hash) {
      return Forbidden("ipa", absl::StrCat("version ", version.number, " is superseded: version ",
                                           awaiting.number, " awaits signatures (sha256 ",
                                           awaiting.document_sha256, ")"));
    }
  }
  return Forbidden("ipa",
                   absl::StrCat("document_sha256 ", Quote(hash), " is not the hash of version ",
                                awaiting.number, ", which awaits signatures (sha256 ",
                                awaiting.document_sha256, "): the signer saw other text"));
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kLeadAuthorityAdmin:
      return "LEAD_AUTHORITY_ADMIN";
    case Role::kEvaluator:
      return "EVALUATOR";
    case Role::kPlacingOfficer:
      return "PLACING_OFFICER";
    case Role::kCommissioner:
      return "COMMISSIONER";
    case Role::kProviderUser:
      return "PROVIDER_USER";
    case Role::kAuditor:
      return "AUDITOR";
    case Role::kService:
      return "SERVICE";
  }
  return "ROLE_UNSPECIFIED";
}

absl::string_view IpaStateName(IpaState state) {
  switch (state) {
    case IpaState::kDraft:
      return "DRAFT";
    case IpaState::kIssued:
      return "ISSUED";
    case IpaState::kSigned:
      return "SIGNED";
    case IpaState::kActive:
      return "ACTIVE";
    case IpaState::kEnded:
      return "ENDED";
    case IpaState::kCancelled:
      return "CANCELLED";
  }
  return "IPA_STATE_UNSPECIFIED";
}

absl::string_view VersionStateName(VersionState state) {
  switch (state) {
    case VersionState::kAwaitingSignatures:
      return "AWAITING_SIGNATURES";
    case VersionState::kInForce:
      return "IN_FORCE";
    case VersionState::kSuperseded:
      return "SUPERSEDED";
    case VersionState::kRejected:
      return "REJECTED";
    case VersionState::kWithdrawn:
      return "WITHDRAWN";
  }
  return "VERSION_STATE_UNSPECIFIED";
}

absl::Status ValidateSource(absl::string_view field, const IpaSource& source) {
  struct Id {
    const char* name;
    const std::string* value;
    bool wanted;
  };
  const SourceKind kind = source.kind;
  if (kind == SourceKind::kUnspecified) {
    return InvalidField(absl::StrCat(field, ".kind"),
                        "required: AWARD, DIRECT_AWARD or BLOCK_CALL_OFF");
  }
  const Id ids[] = {
      {"referral_id", &source.referral_id, kind == SourceKind::kAward},
      {"bid_id", &source.bid_id, kind == SourceKind::kAward},
      {"direct_award_id", &source.direct_award_id, kind == SourceKind::kDirectAward},
      {"block_contract_id", &source.block_contract_id, kind == SourceKind::kBlockCallOff},
      {"block_call_off_id", &source.block_call_off_id, kind == SourceKind::kBlockCallOff},
  };
  for (const Id& id : ids) {
    const std::string at = absl::StrCat(field, ".", id.name);
    if (id.wanted) {
      if (auto s = ValidateId(at, *id.value); !s.ok()) return s;
    } else if (!id.value->empty()) {
      return InvalidField(at, "must be empty for this kind of source");
    }
  }
  if (source.ranked_call_off && kind != SourceKind::kDirectAward) {
    return InvalidField(absl::StrCat(field, ".ranked_call_off"), "only a DIRECT_AWARD is one");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SourceKey(const IpaSource& source) {
  if (auto s = ValidateSource("source", source); !s.ok()) return s;
  switch (source.kind) {
    case SourceKind::kAward:
      return absl::StrCat("award:", source.referral_id, ":", source.bid_id);
    case SourceKind::kDirectAward:
      return absl::StrCat("direct-award:", source.direct_award_id);
    case SourceKind::kBlockCallOff:
      return absl::StrCat("block-call-off:", source.block_contract_id, ":",
                          source.block_call_off_id);
    case SourceKind::kUnspecified:
      break;
  }
  return InvalidField("source.kind", "required");
}

const Signature* IpaVersion::SignatureOf(Party party) const {
  for (const Signature& signature : signatures) {
    if (signature.party == party) return &signature;
  }
  return nullptr;
}

const IpaVersion* Ipa::current_version() const {
  if (current_version_number == 0) return nullptr;
  return &versions[current_version_number - 1];
}

const IpaVersion* Ipa::awaiting_signatures() const {
  for (const IpaVersion& version : versions) {
    if (version.state == VersionState::kAwaitingSignatures) return &version;
  }
  return nullptr;
}

const IpaTerms& Ipa::terms() const {
  if (const IpaVersion* current = current_version()) return current->terms;
  if (const IpaVersion* awaiting = awaiting_signatures()) return awaiting->terms;
  return draft;
}

absl::StatusOr<Party> PartyOf(const Ipa& ipa, const Actor& by) {
  const bool authority_role = by.role == Role::kPlacingOfficer || by.role == Role::kCommissioner;
  if (authority_role && by.organisation_id == ipa.parties.placing_authority_id) {
    return Party::kPlacingAuthority;
  }
  if (by.role == Role::kProviderUser && by.organisation_id == ipa.parties.provider_id) {
    return Party::kProvider;
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "ipa: ", RoleName(by.role), " of ", Quote(by.organisation_id),
      " acts for neither party: the placing authority is ", Quote(ipa.parties.placing_authority_id),
      " and the provider ", Quote(ipa.parties.provider_id)));
}

absl::StatusOr<Ipa> CreateIpa(IpaSpec spec, const Actor& by, absl::Time now) {
  const bool authority = (by.role == Role::kPlacingOfficer || by.role == Role::kCommissioner) &&
                         by.organisation_id == spec.parties.placing_authority_id;
  if (by.role != Role::kService && !authority) {
    return absl::PermissionDeniedError(
        absl::StrCat("ipa: an IPA is made by a DPS service or by the placing authority; ",
                     RoleName(by.role), " of ", Quote(by.organisation_id), " may not"));
  }
  if (auto s = ValidateIds(spec); !s.ok()) return s;
  if (auto s = ValidateSource("source", spec.source); !s.ok()) return s;
  if (spec.provision_type == ProvisionType::kUnspecified) {
    return InvalidField("provision_type", "required");
  }
  if (auto s = ValidateTerms("terms", spec.terms); !s.ok()) return s;
  Ipa ipa;
  ipa.id = std::move(spec.id);
  ipa.system_id = std::move(spec.system_id);
  ipa.lead_authority_id = std::move(spec.lead_authority_id);
  ipa.lot_id = std::move(spec.lot_id);
  ipa.source = std::move(spec.source);
  ipa.parties = std::move(spec.parties);
  ipa.provision_type = spec.provision_type;
  ipa.draft = std::move(spec.terms);
  ipa.awarded_at = spec.awarded_at == absl::InfinitePast() ? now : spec.awarded_at;
  ipa.created_at = now;
  ipa.history.push_back({now, by, IpaState::kDraft, IpaState::kDraft, "created"});
  return ipa;
}

absl::Status UpdateDraft(Ipa& ipa, IpaTerms terms, const Actor& by, absl::Time now) {
  if (ipa.state != IpaState::kDraft) return Refuse("update the draft of", ipa.state);
  if (auto s = RequireAuthority(ipa, by, "update"); !s.ok()) return s;
  if (auto s = ValidateTerms("terms", terms); !s.ok()) return s;
  // The fee is what the competition decided; only a fee uplift or a variation changes it.
  if (terms.costs.core_weekly_fee_pence != ipa.draft.costs.core_weekly_fee_pence) {
    return InvalidField("terms.costs.core_weekly_fee_pence",
                        absl::StrCat("must be the award's, ", ipa.draft.costs.core_weekly_fee_pence,
                                     " pence, got ", terms.costs.core_weekly_fee_pence));
  }
  if (terms.costs.discounts != ipa.draft.costs.discounts) {
    return InvalidField("terms.costs.discounts", "must be the award's");
  }
  ipa.draft = std::move(terms);
  Record(ipa, IpaState::kDraft, by, "draft updated", now);
  return absl::OkStatus();
}

absl::Status Issue(Ipa& ipa, const VersionRenderer& renderer, const Actor& by, absl::Time now) {
  if (ipa.state != IpaState::kDraft) return Refuse("issue", ipa.state);
  if (auto s = RequireAuthority(ipa, by, "issue"); !s.ok()) return s;
  if (auto s = CheckComplete("terms", ipa.draft, ipa.provision_type); !s.ok()) return s;
  IpaVersion version;
  version.origin = VersionOrigin::kIssue;
  version.terms = ipa.draft;
  version.effective_from = *ipa.draft.start_date;
  version.proposed_by = Party::kPlacingAuthority;
  version.proposed_by_user_id = by.user_id;
  version.proposed_at = now;
  Ipa issued = ipa;
  absl::StatusOr<int> number = internal::AddVersion(issued, std::move(version), renderer);
  if (!number.ok()) return number.status();
  Record(issued, IpaState::kIssued, by, "version 1 issued", now);
  ipa = std::move(issued);
  return absl::OkStatus();
}

absl::Status Reissue(Ipa& ipa, IpaTerms terms, absl::string_view reason,
                     const VersionRenderer& renderer, const Actor& by, absl::Time now) {
  if (ipa.state != IpaState::kIssued) return Refuse("reissue", ipa.state);
  if (auto s = RequireAuthority(ipa, by, "reissue"); !s.ok()) return s;
  if (auto s = RequireText("reason", reason, kMaxLongText); !s.ok()) return s;
  if (auto s = CheckComplete("terms", terms, ipa.provision_type); !s.ok()) return s;
  const IpaVersion& old = *ipa.awaiting_signatures();
  if (terms == old.terms) {
    return InvalidField("terms", absl::StrCat("the same as version ", old.number,
                                              ": a reissue must change something"));
  }
  Ipa reissued = ipa;
  IpaVersion version;
  version.origin = VersionOrigin::kReissue;
  version.effective_from = *terms.start_date;
  version.terms = std::move(terms);
  version.reason = std::string(reason);
  version.proposed_by = Party::kPlacingAuthority;
  version.proposed_by_user_id = by.user_id;
  version.proposed_at = now;
  // The old version stops awaiting signatures before the new one is added, so that at most one
  // ever awaits them.
  IpaVersion& superseded = internal::VersionAt(reissued, old.number);
  superseded.state = VersionState::kSuperseded;
  superseded.closed_at = now;
  absl::StatusOr<int> number = internal::AddVersion(reissued, std::move(version), renderer);
  if (!number.ok()) return number.status();
  Record(reissued, IpaState::kIssued, by,
         absl::StrCat("version ", *number, " issued in place of version ", old.number), now);
  ipa = std::move(reissued);
  return absl::OkStatus();
}

absl::Status Cancel(Ipa& ipa, absl::string_view reason, const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kDraft, IpaState::kIssued})) {
    return Refuse("cancel", ipa.state);
  }
  if (auto s = RequireAuthority(ipa, by, "cancel"); !s.ok()) return s;
  if (auto s = RequireText("reason", reason, kMaxLongText); !s.ok()) return s;
  if (const IpaVersion* awaiting = ipa.awaiting_signatures()) {
    IpaVersion& withdrawn = internal::VersionAt(ipa, awaiting->number);
    withdrawn.state = VersionState::kWithdrawn;
    withdrawn.closed_at = now;
  }
  ipa.cancellation_reason = std::string(reason);
  Record(ipa, IpaState::kCancelled, by, absl::StrCat("cancelled: ", reason), now);
  return absl::OkStatus();
}

absl::Status Sign(Ipa& ipa, const SignInput& input, const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kIssued, IpaState::kSigned, IpaState::kActive})) {
    return Refuse("sign", ipa.state);
  }
  const IpaVersion* awaiting = ipa.awaiting_signatures();
  if (awaiting == nullptr) {
    return Forbidden("ipa", absl::StrCat("cannot sign an IPA that is ", IpaStateName(ipa.state),
                                         ": no version awaits signatures (version ",
                                         ipa.current_version_number, " is in force)"));
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (auto s = CheckHash(ipa, *awaiting, input.document_sha256); !s.ok()) return s;
  if (const Signature* earlier = awaiting->SignatureOf(*party)) {
    return Forbidden("ipa",
                     absl::StrCat("version ", awaiting->number, " is already signed for the ",
                                  PartyName(*party), " by ", Quote(earlier->user_id)));
  }
  absl::StatusOr<std::pair<std::string, std::string>> signer =
      SignerDetails(*awaiting, *party, input, by);
  if (!signer.ok()) return signer.status();

  IpaVersion& version = internal::VersionAt(ipa, awaiting->number);
  version.signatures.push_back({*party, by.user_id, by.organisation_id, std::move(signer->first),
                                std::move(signer->second), now, version.document_sha256,
                                version.number});
  const std::string signed_by =
      absl::StrCat("version ", version.number, " signed for the ", PartyName(*party));
  if (version.signatures.size() < 2) {
    Record(ipa, ipa.state, by, signed_by, now);
    return absl::OkStatus();
  }
  // Both parties have signed: the version is in force and the one before it superseded.
  if (ipa.current_version_number != 0) {
    IpaVersion& previous = internal::VersionAt(ipa, ipa.current_version_number);
    previous.state = VersionState::kSuperseded;
    previous.closed_at = now;
  }
  version.state = VersionState::kInForce;
  version.in_force_at = now;
  ipa.current_version_number = version.number;
  const IpaState to = ipa.state == IpaState::kIssued ? IpaState::kSigned : ipa.state;
  Record(ipa, to, by, absl::StrCat(signed_by, "; in force, signed by both parties"), now);
  return absl::OkStatus();
}

namespace {

// Why an IPA that is SIGNED may not start at `now`, or OK.
absl::Status WhyNotActivate(const Ipa& ipa, absl::Time now) {
  if (ipa.state != IpaState::kSigned) return Refuse("activate", ipa.state);
  const absl::CivilDay start = *ipa.current_version()->terms.start_date;
  const absl::CivilDay today = DayOf(now);
  if (today < start) {
    return Forbidden("ipa", absl::StrCat("cannot activate an IPA that is SIGNED before its start "
                                         "date ",
                                         FormatDay(start), " (today is ", FormatDay(today), ")"));
  }
  if (ipa.ending && ipa.ending->end_date < start) {
    return Forbidden("ipa", absl::StrCat("cannot activate an IPA that is SIGNED: it ends on ",
                                         FormatDay(ipa.ending->end_date),
                                         ", before its start date ", FormatDay(start)));
  }
  return absl::OkStatus();
}

}  // namespace

bool ActivationDue(const Ipa& ipa, absl::Time now) { return WhyNotActivate(ipa, now).ok(); }

namespace {

absl::Status ActivateAsPlanned(Ipa& ipa, absl::Time now, const std::optional<Actor>& by) {
  if (auto s = WhyNotActivate(ipa, now); !s.ok()) return s;
  const absl::CivilDay start = *ipa.current_version()->terms.start_date;
  ipa.actual_start_date = start;
  ipa.actual_start_recorded = by.has_value() && by->role != Role::kService;
  Record(ipa, IpaState::kActive, by, absl::StrCat("placement started ", FormatDay(start)), now);
  return absl::OkStatus();
}

}  // namespace

absl::Status Activate(Ipa& ipa, absl::Time now) {
  return ActivateAsPlanned(ipa, now, std::nullopt);
}

absl::Status Activate(Ipa& ipa, absl::Time now, const Actor& by) {
  return ActivateAsPlanned(ipa, now, by);
}

absl::Status ActivateOn(Ipa& ipa, absl::CivilDay actual, const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse("activate", ipa.state);
  }
  if (by.role != Role::kService) {
    if (absl::Status s = RequireAuthority(ipa, by, "record when the placement started"); !s.ok()) {
      return s;
    }
  }
  const absl::CivilDay planned = *ipa.current_version()->terms.start_date;
  if (ipa.state == IpaState::kActive) {
    if (ipa.actual_start_recorded) {
      return Forbidden("ipa",
                       absl::StrCat("the placement's start was recorded as ",
                                    FormatDay(*ipa.actual_start_date), "; it cannot change"));
    }
    // What was agreed after the start rests on its date: a variation's effective date, say.
    const auto started = std::find_if(ipa.history.rbegin(), ipa.history.rend(), [](const auto& h) {
      return h.from == IpaState::kSigned && h.to == IpaState::kActive;
    });
    for (const IpaVersion& version : ipa.versions) {
      if (started != ipa.history.rend() && version.proposed_at > started->at) {
        return Forbidden("ipa", absl::StrCat("version ", version.number,
                                             " was proposed after the placement started on ",
                                             FormatDay(*ipa.actual_start_date),
                                             "; its start can no longer change"));
      }
    }
  }
  const absl::CivilDay today = DayOf(now);
  if (actual > today) {
    return InvalidField("actual_start_date",
                        absl::StrCat("must not be in the future: today is ", FormatDay(today),
                                     ", got ", FormatDay(actual)));
  }
  const absl::CivilDay awarded = DayOf(ipa.awarded_at);
  if (actual < awarded) {
    return InvalidField("actual_start_date",
                        absl::StrCat("must not be before the award on ", FormatDay(awarded),
                                     ", got ", FormatDay(actual)));
  }
  if (ipa.ending && ipa.ending->end_date < actual) {
    return Forbidden("ipa", absl::StrCat("it ends on ", FormatDay(ipa.ending->end_date),
                                         ", before ", FormatDay(actual)));
  }
  const bool correction = ipa.state == IpaState::kActive;
  const std::string what =
      correction ? absl::StrCat("placement's actual start recorded as ", FormatDay(actual),
                                " (the timer had started it on ", FormatDay(planned), ")")
                 : absl::StrCat("placement started ", FormatDay(actual), " (planned ",
                                FormatDay(planned), ")");
  ipa.actual_start_date = actual;
  ipa.actual_start_recorded = true;
  Record(ipa, IpaState::kActive, by, what, now);
  return absl::OkStatus();
}

}  // namespace dps::contracts
