// Publication: a draft goes OPEN and every eligible establishment is invited.
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/grpc/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/convert.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/domain/referral.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

// The shortest response period when a system configures none: PCR 2015's ten days, the only
// regime with a default (the qualification service refuses to take a system LIVE under the others
// without one).
constexpr absl::Duration kDefaultResponsePeriod = absl::Hours(24 * 10);

LotRules LotRulesOf(const qv1::PurchasingSystem& system, const qv1::Lot& lot) {
  LotRules rules;
  for (const qv1::VocabularyTerm& term : lot.needs()) rules.needs.push_back(term.code());
  for (const qv1::VocabularyTerm& term : lot.features()) rules.features.push_back(term.code());
  const dps::common::v1::Weights& w = lot.default_weights();
  rules.default_weights = {w.price(),    w.outcomes(), w.needs(),
                           w.features(), w.location(), w.core_competency()};
  rules.filters_may_exclude = lot.preselection_allowed();
  const int hours = system.rules().min_response_period_hours();
  rules.min_response_period = hours > 0 ? absl::Hours(hours) : kDefaultResponsePeriod;
  return rules;
}

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

qv1::EligibilityQuery QueryFor(const v1::Referral& referral, const Referral& domain,
                               absl::Time now) {
  qv1::EligibilityQuery query;
  query.set_system_id(referral.spec().system_id());
  query.set_lot_id(referral.spec().lot_id());
  *query.mutable_location() = referral.spec().location().centroid();
  query.set_radius_miles(domain.radius_miles());
  for (const v1::ChildProfile& child : referral.spec().children()) {
    query.add_child_ages_years(child.age_years());
    query.add_child_genders(child.gender());
  }
  *query.mutable_filters() = referral.spec().filters();
  *query.mutable_as_of() = platform::ToTimestamp(now);
  return query;
}

v1::Invitation InvitationOf(const v1::Referral& referral, const qv1::EligibleEstablishment& e,
                            int round, absl::Time now) {
  v1::Invitation invitation;
  invitation.set_id(platform::NewId("invitation"));
  invitation.set_referral_id(referral.id());
  invitation.set_round(round);
  invitation.set_establishment_id(e.establishment_id());
  invitation.set_provider_id(e.provider_id());
  invitation.set_membership_id(e.membership_id());
  invitation.set_distance_miles(e.distance_miles());
  invitation.set_state(v1::INVITATION_STATE_INVITED);
  *invitation.mutable_invited_at() = platform::ToTimestamp(now);
  return invitation;
}

absl::Status AnnouncePublished(Call& call, const v1::Referral& referral) {
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_referral_published();
  event.set_referral_id(referral.id());
  event.set_lot_id(referral.spec().lot_id());
  event.set_placing_authority_id(referral.placing_authority_id());
  event.set_kind(referral.spec().kind());
  event.set_children(referral.spec().children_size());
  event.set_postcode_district(referral.spec().location().postcode_district());
  for (const auto& need : referral.spec().needs()) event.add_need_codes(need.code());
  *event.mutable_weights() = referral.spec().weights();
  event.set_radius_miles(referral.spec().radius_miles());
  *event.mutable_response_deadline() = referral.spec().response_deadline();
  event.set_invited_count(referral.invited_count());
  return platform::Announce(call, kReferralStream, "referral.referral.published", "referral",
                            referral.id(), referral.spec().system_id(), std::move(envelope));
}

absl::Status AnnounceInvited(Call& call, const v1::Referral& referral,
                             const v1::Invitation& invitation) {
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_establishment_invited();
  event.set_invitation_id(invitation.id());
  event.set_referral_id(referral.id());
  event.set_lot_id(referral.spec().lot_id());
  event.set_establishment_id(invitation.establishment_id());
  event.set_provider_id(invitation.provider_id());
  event.set_round(invitation.round());
  event.set_distance_miles(invitation.distance_miles());
  *event.mutable_response_deadline() = referral.spec().response_deadline();
  return platform::Announce(call, kReferralStream, "referral.invitation.created", "invitation",
                            invitation.id(), referral.spec().system_id(), std::move(envelope));
}

}  // namespace

grpc::Status ReferralService::PublishReferral(grpc::ServerContext* context,
                                              const v1::PublishReferralRequest* request,
                                              v1::PublishReferralResponse* response) {
  return calls_.Change(
      context, "PublishReferral", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        v1::Referral& stored = *response->mutable_referral();
        if (absl::Status s = LoadReferral(call.tx, request->id(), true, stored); !s.ok()) return s;
        if (absl::Status s = RequireAuthor(call, stored); !s.ok()) return s;
        if (absl::Status s =
                platform::CheckVersion("referral", request->expected_version(), stored.version());
            !s.ok()) {
          return s;
        }
        absl::StatusOr<Referral> referral = ToDomain(stored);
        if (!referral.ok()) return referral.status();
        if (referral->state != ReferralState::kDraft) {
          return platform::Forbidden("referral", absl::StrCat("cannot publish a referral that is ",
                                                              ReferralStateName(referral->state)));
        }
        absl::StatusOr<Placement> placement = PlacementOf(call, stored.spec());
        if (!placement.ok()) return placement.status();
        if (placement->system.state() != qv1::PURCHASING_SYSTEM_STATE_LIVE) {
          return platform::Forbidden("purchasing system",
                                     absl::StrCat(placement->system.id(),
                                                  " is not LIVE: referrals are published only "
                                                  "while it is"));
        }
        if (placement->lot.state() == qv1::LOT_STATE_CLOSED) {
          return platform::Forbidden(
              "lot", absl::StrCat(placement->lot.id(), " is CLOSED to new referrals"));
        }
        const LotRules rules = LotRulesOf(placement->system, placement->lot);
        // Checked before asking who is eligible, so a bad spec costs no search.
        if (absl::Status s = CheckPublishable(referral->spec, rules, call.now); !s.ok()) return s;
        absl::StatusOr<std::vector<qv1::EligibleEstablishment>> eligible =
            qualification_.Eligible(call.request_id, QueryFor(stored, *referral, call.now));
        if (!eligible.ok()) return eligible.status();
        if (absl::Status s = Publish(*referral, rules, static_cast<int>(eligible->size()),
                                     call.caller.user_id, call.now);
            !s.ok()) {
          return s;
        }
        *stored.mutable_terms() = TermsOf(placement->system, placement->lot);
        stored.set_invited_count(static_cast<int>(eligible->size()));
        ApplyToApi(*referral, stored);
        if (absl::Status s = SaveReferral(call.tx, stored); !s.ok()) return s;
        if (absl::Status s = AnnouncePublished(call, stored); !s.ok()) return s;
        for (const qv1::EligibleEstablishment& e : *eligible) {
          v1::Invitation& invitation = *response->add_new_invitations();
          invitation = InvitationOf(stored, e, 1, call.now);
          if (absl::Status s = InsertInvitation(call.tx, invitation); !s.ok()) return s;
          if (absl::Status s = AnnounceInvited(call, stored, invitation); !s.ok()) return s;
        }
        return absl::OkStatus();
      });
}

}  // namespace dps::referral
