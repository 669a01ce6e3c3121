#include "services/referral/app/placement.h"

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/referral/clients/eligibility_query.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/participation.h"

namespace dps::referral {
namespace {

// The lot's terms as they stand at publication, kept with the referral.
v1::ReferralTerms TermsOf(const qv1::PurchasingSystem& system, const qv1::Lot& lot) {
  v1::ReferralTerms terms;
  terms.set_ceiling_mode(lot.terms().ceiling_mode());
  *terms.mutable_discount_rates() = lot.terms().discount_rates();
  terms.set_price_basis(lot.terms().price_basis());
  *terms.mutable_parental_choice() = lot.parental_choice();
  terms.set_regime(system.regime());
  return terms;
}

}  // namespace

absl::StatusOr<Placement> PlacementOf(const QualificationClient& qualification,
                                      const platform::CallerIdentity& caller,
                                      const std::string& request_id, const std::string& system_id,
                                      const std::string& lot_id, absl::string_view field_prefix) {
  const std::string system_field = absl::StrCat(field_prefix, "system_id");
  const std::string lot_field = absl::StrCat(field_prefix, "lot_id");
  if (system_id.empty()) return platform::InvalidField(system_field, "required");
  if (lot_id.empty()) return platform::InvalidField(lot_field, "required");
  Placement placement;
  absl::StatusOr<qv1::PurchasingSystem> system = qualification.System(request_id, system_id);
  if (!system.ok() && system.status().code() == absl::StatusCode::kNotFound) {
    return platform::InvalidField(
        system_field, absl::StrCat("purchasing system '", system_id, "' does not exist"));
  }
  if (!system.ok()) return system.status();
  placement.system = *std::move(system);
  absl::StatusOr<qv1::Lot> lot = qualification.Lot(request_id, lot_id);
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
  if (absl::Status s = CheckCallsOffLot(participants, caller.organisation_id, placement.lot.code(),
                                        placement.system.id());
      !s.ok()) {
    return s;
  }
  return placement;
}

absl::Status AskRound(const QualificationClient& qualification,
                      const platform::CallerIdentity& caller, const std::string& request_id,
                      RoundFacts& facts,
                      const std::function<absl::Status(const RoundRules&)>& check_spec) {
  const v1::ReferralSpec& spec = facts.asked.spec();
  absl::StatusOr<Placement> placement =
      PlacementOf(qualification, caller, request_id, spec.system_id(), spec.lot_id(), "spec.");
  if (!placement.ok()) return placement.status();
  if (placement->system.state() != qv1::PURCHASING_SYSTEM_STATE_LIVE) {
    return platform::Forbidden("purchasing system",
                               absl::StrCat(placement->system.id(),
                                            " is not LIVE: referrals are published only while it "
                                            "is"));
  }
  if (placement->lot.state() == qv1::LOT_STATE_CLOSED) {
    return platform::Forbidden("lot",
                               absl::StrCat(placement->lot.id(), " is CLOSED to new referrals"));
  }
  facts.round = RoundRules{LotRulesOf(placement->system, placement->lot),
                           TermsOf(placement->system, placement->lot)};
  if (check_spec) {
    if (absl::Status s = check_spec(facts.round); !s.ok()) return s;
  }
  absl::StatusOr<std::vector<qv1::EligibleEstablishment>> eligible = qualification.Eligible(
      request_id, EligibilityQueryFor(facts.asked, spec.radius_miles(), facts.as_of));
  if (!eligible.ok()) return eligible.status();
  facts.eligible = *std::move(eligible);
  return absl::OkStatus();
}

absl::Status CheckRoundStands(const RoundFacts& facts, const v1::Referral& locked) {
  // The round sets its own radius and filters; everything else eligibility was asked with must be
  // as it was read.
  v1::ReferralSpec now = locked.spec();
  now.set_radius_miles(facts.asked.spec().radius_miles());
  if (facts.asked.spec().has_filters()) {
    *now.mutable_filters() = facts.asked.spec().filters();
  } else {
    now.clear_filters();
  }
  if (locked.state() != facts.asked.state() || locked.rounds_size() != facts.asked.rounds_size() ||
      !google::protobuf::util::MessageDifferencer::Equals(now, facts.asked.spec())) {
    return absl::AbortedError(
        absl::StrCat("referral ", locked.id(), " changed while its round was prepared; retry"));
  }
  return absl::OkStatus();
}

}  // namespace dps::referral
