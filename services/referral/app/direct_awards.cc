#include "services/referral/app/direct_awards.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/errors/errors.h"
#include "platform/pg/documents.h"
#include "platform/proto/proto_time.h"
#include "services/referral/app/callers.h"
#include "services/referral/clients/eligibility_query.h"
#include "services/referral/convert/convert.h"

namespace dps::referral {
namespace {

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("direct award ", id, ": not found"));
}

// The register's view of the establishment for this placement: a qualified, unsuspended member
// of the lot that takes these children. FailedPrecondition naming every rule it fails.
absl::Status CheckEstablishment(const QualificationClient& qualification,
                                const std::string& request_id, absl::Time now,
                                const v1::MakeDirectAwardRequest& request) {
  v1::Referral as_referral;  // the question is the one a referral would ask, at no radius
  as_referral.mutable_spec()->set_system_id(request.system_id());
  as_referral.mutable_spec()->set_lot_id(request.lot_id());
  *as_referral.mutable_spec()->mutable_children() = request.children();
  *as_referral.mutable_spec()->mutable_location() = request.location();
  absl::StatusOr<qv1::ExplainEligibilityResponse> explained = qualification.Explain(
      request_id, EligibilityQueryFor(as_referral, 0, now), request.establishment_id());
  if (!explained.ok()) return explained.status();
  if (explained->eligible()) return absl::OkStatus();
  std::vector<std::string> failed;
  for (const qv1::EligibilityCheck& check : explained->checks()) {
    if (!check.passed() && !check.not_applied()) failed.push_back(check.detail());
  }
  return platform::Forbidden(
      "establishment", absl::StrCat(request.establishment_id(),
                                    " cannot take this placement: ", absl::StrJoin(failed, "; ")));
}

// What the contracts service draws an agreement up from, and the market figures count.
dps::events::v1::EventEnvelope MadeEvent(const v1::DirectAward& made) {
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_direct_award_made();
  event.set_direct_award_id(made.id());
  event.set_lot_id(made.lot_id());
  event.set_placing_authority_id(made.placing_authority_id());
  event.set_establishment_id(made.establishment_id());
  event.set_provider_id(made.provider_id());
  event.set_price_basis(made.price_basis());
  *event.mutable_core_fee() = made.core_fee();
  *event.mutable_additional_services() = made.additional_services();
  *event.mutable_start_date() = made.start_date();
  event.set_planned_duration_months(made.planned_duration_months());
  *event.mutable_review_on() = made.review_on();
  event.set_transparency_notice_reference(made.transparency_notice().reference());
  event.set_children(made.children_size());
  event.set_postcode_district(made.location().postcode_district());
  event.set_basis(made.basis());
  return envelope;
}

}  // namespace

DirectAwardRule DirectAwardRuleOf(dps::common::v1::Regime regime) {
  switch (regime) {
    case dps::common::v1::REGIME_LIGHT_TOUCH:
      return DirectAwardRule::kWithJustification;
    case dps::common::v1::REGIME_PA2023_DYNAMIC_MARKET:
      return DirectAwardRule::kWithJustificationAndTransparencyNotice;
    default:
      return DirectAwardRule::kNotAllowed;
  }
}

absl::StatusOr<CheckedDirectAward> CheckDirectAward(const QualificationClient& qualification,
                                                    const platform::CallerIdentity& caller,
                                                    const std::string& request_id, absl::Time now,
                                                    const v1::MakeDirectAwardRequest& request) {
  absl::StatusOr<DirectAwardSpec> spec = ToDomainDirectAward(request);
  if (!spec.ok()) return spec.status();
  absl::StatusOr<Placement> placement =
      PlacementOf(qualification, caller, request_id, request.system_id(), request.lot_id(), "");
  if (!placement.ok()) return placement.status();
  CheckedDirectAward checked;
  checked.placement = *std::move(placement);
  checked.rule = DirectAwardRuleOf(checked.placement.system.regime());
  if (absl::Status s = ValidateDirectAward(*spec, checked.rule, now); !s.ok()) return s;
  const bool by_ranking = checked.placement.system.rules().call_off_by_ranking();
  std::vector<std::string> ranked;
  if (spec->basis == DirectAwardBasis::kRankedCallOff && by_ranking) {
    absl::StatusOr<std::vector<std::string>> ranking =
        qualification.Ranking(request_id, request.lot_id());
    if (!ranking.ok()) return ranking.status();
    ranked = *std::move(ranking);
  }
  if (absl::Status s = CheckCallOffBasis(*spec, by_ranking, ranked); !s.ok()) return s;
  if (absl::Status s = CheckEstablishment(qualification, request_id, now, request); !s.ok()) {
    return s;
  }
  absl::StatusOr<qv1::Establishment> establishment =
      qualification.Establishment(request_id, request.establishment_id());
  if (!establishment.ok()) return establishment.status();
  checked.establishment = *std::move(establishment);
  checked.spec = *std::move(spec);
  if (request.location().has_centroid()) {
    checked.centroid = Centroid{.latitude = request.location().centroid().latitude(),
                                .longitude = request.location().centroid().longitude()};
  }
  return checked;
}

absl::StatusOr<DirectAward> DirectAwardUseCases::Make(const CheckedDirectAward& checked,
                                                      const Actor& by, absl::Time now) {
  absl::StatusOr<DirectAward> award = MakeDirectAward(checked.spec, checked.rule, by, now);
  if (!award.ok()) return award.status();
  award->id = platform::NewId("direct-award");
  award->placing_authority_id = by.organisation_id;
  award->provider_id = checked.establishment.provider_id();
  award->centroid = checked.centroid;
  award->price_basis =
      dps::common::v1::PriceBasis_Name(checked.placement.lot.terms().price_basis());
  if (absl::Status s = awards_.Insert(*award, checked.placement.system.lead_authority_id());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = events_.Announce("referral.direct_award.made", "direct_award", award->id,
                                        award->spec.system_id, MadeEvent(ToApi(*award)));
      !s.ok()) {
    return s;
  }
  return award;
}

absl::StatusOr<DirectAward> DirectAwardUseCases::Review(const std::string& id,
                                                        absl::string_view note, const Actor& by,
                                                        absl::Time now) {
  absl::StatusOr<StoredDirectAward> stored = awards_.Load(id, /*for_update=*/true);
  if (!stored.ok()) return stored.status();
  DirectAward& award = stored->award;
  // The authority that made the award reviews it; to anyone else it does not exist.
  if (award.placing_authority_id != by.organisation_id) return NotFound(id);
  if (absl::Status s = ReviewDirectAward(award, note, by, now); !s.ok()) return s;
  if (absl::Status s = awards_.Save(award); !s.ok()) return s;
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_direct_award_reviewed();
  event.set_direct_award_id(award.id);
  event.set_lot_id(award.spec.lot_id);
  event.set_placing_authority_id(award.placing_authority_id);
  event.set_establishment_id(award.spec.establishment_id);
  *event.mutable_review_on() = platform::ToDate(*award.spec.review_on);
  if (absl::Status s = events_.Announce("referral.direct_award.reviewed", "direct_award", award.id,
                                        award.spec.system_id, std::move(envelope));
      !s.ok()) {
    return s;
  }
  return std::move(award);
}

absl::StatusOr<DirectAward> DirectAwardUseCases::Read(const std::string& id,
                                                      const platform::CallerIdentity& caller) {
  absl::StatusOr<StoredDirectAward> stored = awards_.Load(id, /*for_update=*/false);
  if (!stored.ok()) return stored.status();
  // A DPS service: the contracts service reading the award for its agreement (CreateIpa).
  if (!MayReadPlacement(caller, stored->award.placing_authority_id, stored->award.provider_id,
                        stored->lead_authority_id)) {
    return NotFound(id);
  }
  return std::move(stored->award);
}

absl::StatusOr<std::vector<DirectAward>> DirectAwardUseCases::List(
    DirectAwardFilter filter, const platform::CallerIdentity& caller, const std::string& after_id,
    int limit) {
  ScopeListToCaller(caller, filter.placing_authority_id, filter.lead_authority_id);
  return awards_.List(filter, after_id, limit);
}

}  // namespace dps::referral
