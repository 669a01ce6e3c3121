#include "services/referral/api/referral_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/log/log.h"
#include "services/referral/app/closing.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/domain/participation.h"
#include "services/referral/storage/records.h"

namespace dps::referral {

using platform::Call;

absl::StatusOr<ReferralService::Placement> ReferralService::PlacementOf(
    const Call& call, const std::string& system_id, const std::string& lot_id,
    absl::string_view field_prefix) {
  const std::string system_field = absl::StrCat(field_prefix, "system_id");
  const std::string lot_field = absl::StrCat(field_prefix, "lot_id");
  if (system_id.empty()) return platform::InvalidField(system_field, "required");
  if (lot_id.empty()) return platform::InvalidField(lot_field, "required");
  Placement placement;
  absl::StatusOr<qv1::PurchasingSystem> system = qualification_.System(call.request_id, system_id);
  if (!system.ok() && system.status().code() == absl::StatusCode::kNotFound) {
    return platform::InvalidField(
        system_field, absl::StrCat("purchasing system '", system_id, "' does not exist"));
  }
  if (!system.ok()) return system.status();
  placement.system = *std::move(system);
  absl::StatusOr<qv1::Lot> lot = qualification_.Lot(call.request_id, lot_id);
  if ((!lot.ok() && lot.status().code() == absl::StatusCode::kNotFound) ||
      (lot.ok() && lot->system_id() != system_id)) {
    return platform::InvalidField(
        lot_field,
        absl::StrCat("lot '", lot_id, "' is not a lot of purchasing system '", system_id, "'"));
  }
  if (!lot.ok()) return lot.status();
  placement.lot = *std::move(lot);
  // The caller's authority must take part in the system and in this lot (domain/participation.h).
  SystemParticipants participants{.lead = placement.system.lead_authority_id()};
  for (const qv1::ParticipatingAuthority& a : placement.system.authorities()) {
    participants.participants.push_back(
        {a.authority_id(), {a.lot_codes().begin(), a.lot_codes().end()}});
  }
  if (absl::Status s = CheckCallsOffLot(participants, call.caller.organisation_id,
                                        placement.lot.code(), placement.system.id());
      !s.ok()) {
    return s;
  }
  return placement;
}

absl::Status ReferralService::CloseIfAllAnswered(Call& call, v1::Referral& referral,
                                                 RankingAsked& ranking) {
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  absl::StatusOr<std::vector<v1::Invitation>> invitations =
      InvitationsOf(call.tx, referral.id(), true);
  if (!invitations.ok()) return invitations.status();
  std::vector<InvitationAnswer> answers;
  for (const v1::Invitation& stored : *invitations) {
    absl::StatusOr<Invitation> invitation = ToDomain(stored);
    if (!invitation.ok()) return invitation.status();
    answers.push_back(AnswerOf(*invitation));
  }
  if (!ShouldClose(*domain, answers, call.now)) return absl::OkStatus();
  if (absl::Status s = CloseReferral(call, referral, dps::events::v1::CLOSE_CAUSE_ALL_ANSWERED);
      !s.ok()) {
    return s;
  }
  ranking.Ask(call, referral.id());
  return absl::OkStatus();
}

grpc::Status ReferralService::SettleAfter(grpc::Status change, const RankingAsked& ranking) const {
  if (!change.ok() || ranking.referral_id.empty()) return change;
  absl::StatusOr<bool> settled = ranker_.Settle(ranking.request_id, ranking.referral_id);
  if (!settled.ok()) {
    platform::Log(platform::LogLevel::kWarning,
                  "a referral's bids could not be ranked now; the deadline timer will try again",
                  {{"referral_id", ranking.referral_id},
                   {"request_id", ranking.request_id},
                   {"error", settled.status().ToString()}});
  }
  return change;
}

}  // namespace dps::referral
