#include "services/contracts/domain/ending.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/ipa_internal.h"

namespace dps::contracts {
namespace {

using internal::DayOf;
using internal::IsOneOf;
using internal::Record;
using internal::Refuse;
using platform::Forbidden;
using platform::InvalidField;

// The day both parties first signed: the first version to come into force (version 1, or the
// reissue that replaced it). Only called once the IPA is SIGNED, so one has.
absl::CivilDay SignedOn(const Ipa& ipa) {
  for (const IpaVersion& version : ipa.versions) {
    if (version.in_force_at) return DayOf(*version.in_force_at);
  }
  return DayOf(ipa.created_at);
}

std::string Describe(const Ending& ending) {
  switch (ending.basis) {
    case EndingBasis::kNoticeByAuthority:
    case EndingBasis::kNoticeByProvider:
      return absl::StrCat("notice given by the ", PartyName(ending.given_by), " on ",
                          FormatDay(*ending.notice_given_on), ", ending on ",
                          FormatDay(ending.end_date));
    case EndingBasis::kMutualAgreement:
      return absl::StrCat("ending agreed by both parties on ", FormatDay(ending.end_date));
    case EndingBasis::kImmediateSafeguarding:
      return absl::StrCat("ending at once for safeguarding on ", FormatDay(ending.end_date));
  }
  return "ending";
}

absl::Status RequireReason(EndReason reason) {
  if (reason == EndReason::kUnspecified) return InvalidField("reason", "required");
  return absl::OkStatus();
}

}  // namespace

absl::string_view EndReasonName(EndReason reason) {
  switch (reason) {
    case EndReason::kUnspecified:
      return "END_REASON_UNSPECIFIED";
    case EndReason::kOutcomesAchieved:
      return "OUTCOMES_ACHIEVED";
    case EndReason::kStepDown:
      return "STEP_DOWN";
    case EndReason::kReturnedHome:
      return "RETURNED_HOME";
    case EndReason::kPlacementBreakdown:
      return "PLACEMENT_BREAKDOWN";
    case EndReason::kNeedsNotMet:
      return "NEEDS_NOT_MET";
    case EndReason::kSafeguarding:
      return "SAFEGUARDING";
    case EndReason::kProviderClosure:
      return "PROVIDER_CLOSURE";
    case EndReason::kAgedOut:
      return "AGED_OUT";
    case EndReason::kOther:
      return "OTHER";
  }
  return "END_REASON_UNSPECIFIED";
}

absl::CivilDay EarliestEndDate(const Ipa& ipa, absl::CivilDay given_on) {
  return given_on + NoticePeriodDays(ipa.provision_type, ipa.terms());
}

absl::Status GiveNotice(Ipa& ipa, const NoticeInput& input, const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse("give notice on", ipa.state);
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (input.immediate_safeguarding && *party != Party::kPlacingAuthority) {
    return absl::PermissionDeniedError(
        "ipa: only the placing authority may end a placement at once for safeguarding");
  }
  if (auto s = RequireReason(input.reason); !s.ok()) return s;
  if (auto s = RequireText("detail", input.detail, kMaxLongText); !s.ok()) return s;

  const absl::CivilDay today = DayOf(now);
  const absl::CivilDay given_on = input.notice_given_on.value_or(today);
  if (given_on > today) {
    return InvalidField(
        "notice_given_on",
        absl::StrCat("must not be after today, ", FormatDay(today), ", got ", FormatDay(given_on)));
  }
  if (given_on < SignedOn(ipa)) {
    return InvalidField("notice_given_on",
                        absl::StrCat("must not be before the IPA was signed, ",
                                     FormatDay(SignedOn(ipa)), ", got ", FormatDay(given_on)));
  }
  const absl::CivilDay earliest =
      input.immediate_safeguarding ? today : std::max(today, EarliestEndDate(ipa, given_on));
  const absl::CivilDay end_date = input.end_date.value_or(earliest);
  if (end_date < earliest) {
    const std::string rule =
        input.immediate_safeguarding
            ? absl::StrCat("must not be before today, ", FormatDay(today))
            : absl::StrCat("must be at least the notice period (",
                           NoticePeriodDays(ipa.provision_type, ipa.terms()),
                           " days) after notice_given_on ", FormatDay(given_on),
                           " and not before today: ", FormatDay(earliest), " or later");
    return InvalidField("end_date", absl::StrCat(rule, ", got ", FormatDay(end_date)));
  }
  if (ipa.ending) {
    // Safeguarding may bring a scheduled ending forward; nothing else may replace it alone.
    if (!input.immediate_safeguarding) {
      return Forbidden("ipa", absl::StrCat("cannot give notice: ", Describe(*ipa.ending)));
    }
    if (end_date >= ipa.ending->end_date) {
      return Forbidden("ipa", absl::StrCat("cannot end at once on ", FormatDay(end_date), ": ",
                                           Describe(*ipa.ending)));
    }
  }
  Ending ending;
  ending.basis = input.immediate_safeguarding         ? EndingBasis::kImmediateSafeguarding
                 : *party == Party::kPlacingAuthority ? EndingBasis::kNoticeByAuthority
                                                      : EndingBasis::kNoticeByProvider;
  ending.reason = input.reason;
  ending.detail = input.detail;
  ending.given_by = *party;
  ending.notice_given_on = given_on;
  ending.end_date = end_date;
  ending.recorded_by_user_id = by.user_id;
  ending.recorded_at = now;
  std::string what = Describe(ending);
  ipa.ending = std::move(ending);
  Record(ipa, ipa.state, by, std::move(what), now);
  return absl::OkStatus();
}

absl::Status AgreeEnding(Ipa& ipa, const AgreementInput& input, const Actor& by, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse("agree to end", ipa.state);
  }
  absl::StatusOr<Party> party = PartyOf(ipa, by);
  if (!party.ok()) return party.status();
  if (!input.end_date) return InvalidField("end_date", "required");
  const absl::CivilDay today = DayOf(now);
  if (*input.end_date < today) {
    return InvalidField("end_date", absl::StrCat("must not be before today, ", FormatDay(today),
                                                 ", got ", FormatDay(*input.end_date)));
  }
  if (auto s = RequireReason(input.reason); !s.ok()) return s;
  if (auto s = ValidateLength("detail", input.detail, kMaxLongText); !s.ok()) return s;

  EndingAgreement agreement{*input.end_date, input.reason, input.detail, by.user_id, now};
  (*party == Party::kPlacingAuthority ? ipa.authority_agreement : ipa.provider_agreement) =
      std::move(agreement);
  const std::optional<EndingAgreement>& mine =
      *party == Party::kPlacingAuthority ? ipa.authority_agreement : ipa.provider_agreement;
  const std::optional<EndingAgreement>& theirs =
      *party == Party::kPlacingAuthority ? ipa.provider_agreement : ipa.authority_agreement;
  if (!theirs || theirs->end_date != mine->end_date) {
    Record(ipa, ipa.state, by,
           absl::StrCat("the ", PartyName(*party), " agrees to end on ", FormatDay(mine->end_date)),
           now);
    return absl::OkStatus();
  }
  // The party who agreed first proposed the ending: its reason is the ending's.
  const EndingAgreement& first = *theirs;
  Ending ending;
  ending.basis = EndingBasis::kMutualAgreement;
  ending.reason = first.reason;
  ending.detail = first.detail;
  ending.end_date = first.end_date;
  ending.recorded_by_user_id = by.user_id;
  ending.recorded_at = now;
  std::string what = Describe(ending);
  ipa.ending = std::move(ending);
  Record(ipa, ipa.state, by, std::move(what), now);
  return absl::OkStatus();
}

bool EndDue(const Ipa& ipa, absl::Time now) {
  return IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive}) && ipa.ending &&
         DayOf(now) >= ipa.ending->end_date;
}

absl::Status End(Ipa& ipa, absl::Time now) {
  if (!IsOneOf(ipa.state, {IpaState::kSigned, IpaState::kActive})) {
    return Refuse("end", ipa.state);
  }
  if (!ipa.ending) {
    return Forbidden("ipa", absl::StrCat("cannot end an IPA that is ", IpaStateName(ipa.state),
                                         ": no notice given and no ending agreed"));
  }
  const absl::CivilDay today = DayOf(now);
  if (today < ipa.ending->end_date) {
    return Forbidden("ipa", absl::StrCat("cannot end an IPA that is ", IpaStateName(ipa.state),
                                         " before its end date ", FormatDay(ipa.ending->end_date),
                                         " (today is ", FormatDay(today), ")"));
  }
  if (const IpaVersion* awaiting = ipa.awaiting_signatures()) {
    IpaVersion& lapsed = internal::VersionAt(ipa, awaiting->number);
    lapsed.state = VersionState::kWithdrawn;
    lapsed.closed_at = now;
  }
  ipa.ended_on = ipa.ending->end_date;
  Record(ipa, IpaState::kEnded, std::nullopt,
         absl::StrCat("ended on ", FormatDay(*ipa.ended_on), " (",
                      EndReasonName(ipa.ending->reason), ")"),
         now);
  return absl::OkStatus();
}

}  // namespace dps::contracts
