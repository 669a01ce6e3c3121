#include "services/qualification/timers/evidence_expiry.h"

#include "absl/strings/str_cat.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/records.h"
#include "services/qualification/timers/ticks.h"

namespace dps::qualification {
namespace {

constexpr int kBatch = 50;
constexpr char kTimerUser[] = "evidence-expiry-timer";

}  // namespace

absl::StatusOr<int> EvidenceExpiryTimer::RunOnce() {
  int expired_total = 0;
  while (true) {
    int expired = 0;
    const absl::Time now = clock_.Now();
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    const platform::CallerIdentity timer{
        .user_id = kTimerUser, .role = dps::common::v1::ROLE_SERVICE, .organisation_id = "dps"};
    absl::Status status = pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
      expired = 0;
      Call call{.tx = tx, .caller = timer, .request_id = "", .now = now};
      absl::StatusOr<std::vector<std::string>> due = EvidenceExpiredBy(tx, today, kBatch);
      if (!due.ok()) return due.status();
      for (const std::string& id : *due) {
        v1::Evidence evidence;
        if (absl::Status s = LoadDoc(tx, "evidence", "evidence", id, false, evidence); !s.ok()) {
          return s;
        }
        evidence.set_state(v1::EVIDENCE_STATE_EXPIRED);
        if (absl::Status s = SaveEvidenceState(tx, evidence); !s.ok()) return s;
        absl::StatusOr<std::vector<EvidenceLink>> links = MembershipsRelyingOn(tx, evidence.id());
        if (!links.ok()) return links.status();
        const absl::CivilDay last_day(evidence.expires_on().year(), evidence.expires_on().month(),
                                      evidence.expires_on().day());
        const std::string expiry = absl::FormatCivilTime(last_day);
        dps::events::v1::EventEnvelope event;
        auto* announced = event.mutable_evidence_expired();
        for (const EvidenceLink& link : *links) {
          v1::Membership membership;
          if (absl::Status s =
                  LoadDoc(tx, "memberships", "membership", link.membership_id, true, membership);
              !s.ok()) {
            return s;
          }
          if (membership.state() == v1::MEMBERSHIP_STATE_EXCLUDED) continue;
          announced->add_membership_ids(membership.id());
          absl::StatusOr<bool> suspended =
              ChangeMembership(call, membership, [&](Membership& m) -> absl::StatusOr<bool> {
                if (absl::Status s = Suspend(
                        m, SuspensionCause::kEvidenceExpiry, {link.criterion_id},
                        absl::StrCat("evidence \"", evidence.title(), "\" expired after ", expiry),
                        now, kTimerUser);
                    !s.ok()) {
                  return s;
                }
                return true;
              });
          if (!suspended.ok()) return suspended.status();
          if (absl::Status s = AnnounceSuspended(call, membership); !s.ok()) return s;
        }
        announced->set_evidence_id(evidence.id());
        announced->set_provider_id(evidence.provider_id());
        announced->set_establishment_id(evidence.establishment_id());
        announced->set_criterion_id(evidence.criterion_id());
        *announced->mutable_expired_on() = ToDate(last_day + 1);
        if (absl::Status s = Announce(call, "qualification.evidence.expired", "evidence",
                                      evidence.id(), "", std::move(event));
            !s.ok()) {
          return s;
        }
        ++expired;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    expired_total += expired;
    if (expired < kBatch) return expired_total;
  }
}

}  // namespace dps::qualification
