// Ending an IPA (docs/rules.md section 7): by notice from either party, by mutual agreement on a
// date, or at once by the placing authority for the child's safety. Each schedules an Ending with
// its reason; the server's timer calls End on the end date, the placement's last day.
//
//   SIGNED | ACTIVE --GiveNotice / AgreeEnding (both, same date)--> ending scheduled
//   SIGNED | ACTIVE --End (on or after the end date)--> ENDED
//
// Notice: the end date is at least the notice period after the day notice is given
// (NoticePeriodDays: the IPA's, or 28 days for fostering), e.g. fostering notice given on
// 1 March ends on 29 March. One ending is scheduled at a time: a second notice is refused, but an
// immediate safeguarding ending or a mutual agreement (both parties consent) replaces it.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_ENDING_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_ENDING_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// "OUTCOMES_ACHIEVED", ... as in the API.
absl::string_view EndReasonName(EndReason reason);

struct NoticeInput {
  EndReason reason = EndReason::kUnspecified;
  std::string detail;                             // required
  std::optional<absl::CivilDay> notice_given_on;  // absent: today
  std::optional<absl::CivilDay> end_date;         // absent: the earliest the notice allows
  bool immediate_safeguarding = false;            // placing authority only
};

// The earliest end date notice given on `given_on` allows under the IPA's current terms.
absl::CivilDay EarliestEndDate(const Ipa& ipa, absl::CivilDay given_on);

// The party `by` acts for gives notice on a SIGNED or ACTIVE IPA. `notice_given_on` is not after
// today nor before the IPA was signed (a letter may be recorded a few days late); the end date is
// at least the notice period after it and not before today. With `immediate_safeguarding` the
// placing authority ends it without the notice period, from today at the earliest.
absl::Status GiveNotice(Ipa& ipa, const NoticeInput& input, const Actor& by, absl::Time now);

struct AgreementInput {
  std::optional<absl::CivilDay> end_date;  // required: today or later
  EndReason reason = EndReason::kUnspecified;
  std::string detail;  // optional
};

// The party `by` acts for agrees to end on a date (replacing its own earlier agreement). Once
// both parties have agreed the same date, the ending is scheduled as MUTUAL_AGREEMENT with the
// reason of the party who agreed first, replacing any notice.
absl::Status AgreeEnding(Ipa& ipa, const AgreementInput& input, const Actor& by, absl::Time now);

// True when the timer should end the IPA: SIGNED or ACTIVE with an ending whose date has come.
bool EndDue(const Ipa& ipa, absl::Time now);

// SIGNED | ACTIVE -> ENDED on or after the scheduled end date, which becomes `ended_on`. A
// version still awaiting signatures lapses (WITHDRAWN).
absl::Status End(Ipa& ipa, absl::Time now);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_ENDING_H_
