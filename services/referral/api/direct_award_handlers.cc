// Direct awards: an emergency placement with one establishment, without competition, where the
// purchasing system's regime allows it, or a call-off from the lot's ranking where the system
// calls off by ranking (domain/direct_award.h); reported apart from competed awards.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/errors/errors.h"
#include "platform/grpc/caller.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/server.h"
#include "services/referral/api/access.h"
#include "services/referral/api/child_location.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/app/placement.h"
#include "services/referral/clients/eligibility_query.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/direct_award.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kDirectAwardReaders = {
    ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,  ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
    ApiRole::ROLE_AUDITOR,         ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_SERVICE};

// What the regime allows. The API does not say whether a system that may award directly has
// chosen not to; the regime's rule is applied as it stands.
DirectAwardRule RuleOf(dps::common::v1::Regime regime) {
  switch (regime) {
    case dps::common::v1::REGIME_LIGHT_TOUCH:
      return DirectAwardRule::kWithJustification;
    case dps::common::v1::REGIME_PA2023_DYNAMIC_MARKET:
      return DirectAwardRule::kWithJustificationAndTransparencyNotice;
    default:
      return DirectAwardRule::kNotAllowed;
  }
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

// A direct award checked against everything the qualification service knows: the request,
// its system and lot, the regime's rule, the lot's ranking for a ranked call-off, and the
// establishment. All of it depends on the request alone, so it is asked before the change's
// transaction opens.
struct CheckedDirectAward {
  v1::MakeDirectAwardRequest tidied;  // the district placed at its centroid
  std::optional<DirectAwardSpec> spec;
  DirectAwardRule rule = DirectAwardRule::kNotAllowed;
  Placement placement;
  qv1::Establishment establishment;
};

absl::Status CheckDirectAward(const QualificationClient& qualification,
                              const platform::CallerIdentity& caller, const std::string& request_id,
                              absl::Time now, const v1::MakeDirectAwardRequest& request,
                              CheckedDirectAward& checked) {
  checked.tidied = request;
  if (absl::Status s = PlaceDistrict(*checked.tidied.mutable_location(), "location"); !s.ok()) {
    return s;
  }
  absl::StatusOr<DirectAwardSpec> spec = ToDomainDirectAward(checked.tidied);
  if (!spec.ok()) return spec.status();
  absl::StatusOr<Placement> placement =
      PlacementOf(qualification, caller, request_id, request.system_id(), request.lot_id(), "");
  if (!placement.ok()) return placement.status();
  checked.placement = *std::move(placement);
  checked.rule = RuleOf(checked.placement.system.regime());
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
  if (absl::Status s = CheckEstablishment(qualification, request_id, now, checked.tidied);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<qv1::Establishment> establishment =
      qualification.Establishment(request_id, request.establishment_id());
  if (!establishment.ok()) return establishment.status();
  checked.establishment = *std::move(establishment);
  checked.spec = *std::move(spec);
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReferralService::MakeDirectAward(grpc::ServerContext* context,
                                              const v1::MakeDirectAwardRequest* request,
                                              v1::DirectAward* response) {
  absl::Time now;
  CheckedDirectAward checked;
  const platform::CallRunner::Prepare prepare{
      .read =
          [&](Call& call) {
            now = call.now;
            return absl::OkStatus();
          },
      .ask =
          [&](const platform::CallerIdentity& caller, const std::string& request_id) {
            return CheckDirectAward(qualification_, caller, request_id, now, *request, checked);
          }};
  return calls_.Change(
      context, "MakeDirectAward", request->idempotency_key(), *request, *response, kAuthors,
      prepare, [&](Call& call) -> absl::Status {
        const Placement& placement = checked.placement;
        absl::StatusOr<DirectAward> award = dps::referral::MakeDirectAward(
            *checked.spec, checked.rule, call.caller.user_id, call.now);
        if (!award.ok()) return award.status();
        award->id = platform::NewId("direct-award");
        award->placing_authority_id = call.caller.organisation_id;
        award->provider_id = checked.establishment.provider_id();
        *response = ToApi(*award);
        *response->mutable_location() = checked.tidied.location();
        response->set_price_basis(placement.lot.terms().price_basis());
        response->mutable_made_by()->set_role(dps::common::v1::Role_Name(call.caller.role));
        response->mutable_made_by()->set_organisation_id(call.caller.organisation_id);
        if (absl::Status s =
                InsertDirectAward(call.tx, *response, placement.system.lead_authority_id());
            !s.ok()) {
          return s;
        }
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_direct_award_made();
        event.set_direct_award_id(response->id());
        event.set_lot_id(response->lot_id());
        event.set_placing_authority_id(response->placing_authority_id());
        event.set_establishment_id(response->establishment_id());
        event.set_provider_id(response->provider_id());
        event.set_price_basis(response->price_basis());
        *event.mutable_core_fee() = response->core_fee();
        *event.mutable_additional_services() = response->additional_services();
        *event.mutable_start_date() = response->start_date();
        event.set_planned_duration_months(response->planned_duration_months());
        *event.mutable_review_on() = response->review_on();
        event.set_transparency_notice_reference(response->transparency_notice().reference());
        event.set_children(response->children_size());
        event.set_postcode_district(response->location().postcode_district());
        event.set_basis(response->basis());
        return platform::Announce(call, kReferralStream, "referral.direct_award.made",
                                  "direct_award", response->id(), response->system_id(),
                                  std::move(envelope));
      });
}

grpc::Status ReferralService::GetDirectAward(grpc::ServerContext* context,
                                             const v1::GetDirectAwardRequest* request,
                                             v1::DirectAward* response) {
  return calls_.Read(context, *request, kDirectAwardReaders, [&](Call& call) -> absl::Status {
    std::string lead;
    if (absl::Status s = LoadDirectAward(call.tx, request->id(), *response, &lead); !s.ok()) {
      return s;
    }
    const std::string& org = call.caller.organisation_id;
    // A DPS service: the contracts service reading the award for its agreement (CreateIpa).
    const bool may =
        IsPeerService(call.caller) ||
        (IsAuthor(call.caller)                             ? org == response->placing_authority_id()
         : call.caller.role == ApiRole::ROLE_PROVIDER_USER ? org == response->provider_id()
                                                           : org == lead);
    if (may) return absl::OkStatus();
    response->Clear();
    return absl::NotFoundError(absl::StrCat("direct award ", request->id(), ": not found"));
  });
}

grpc::Status ReferralService::ListDirectAwards(grpc::ServerContext* context,
                                               const v1::ListDirectAwardsRequest* request,
                                               v1::ListDirectAwardsResponse* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    DirectAwardFilter filter{.system_id = request->system_id(),
                             .placing_authority_id = request->placing_authority_id()};
    if (IsAuthor(call.caller)) {
      filter.placing_authority_id = call.caller.organisation_id;
    } else {
      filter.lead_authority_id = call.caller.organisation_id;
    }
    if (request->has_made_after())
      filter.made_after = platform::FromTimestamp(request->made_after());
    if (request->has_made_before()) {
      filter.made_before = platform::FromTimestamp(request->made_before());
    }
    if (request->review_due_only()) {
      filter.review_due_by = absl::ToCivilDay(call.now, absl::UTCTimeZone());
    }
    return dps::referral::ListDirectAwards(call.tx, filter, *page, *response);
  });
}

grpc::Status ReferralService::ReviewDirectAward(grpc::ServerContext* context,
                                                const v1::ReviewDirectAwardRequest* request,
                                                v1::DirectAward* response) {
  return calls_.Change(
      context, "ReviewDirectAward", request->idempotency_key(), *request, *response, kAuthors,
      [&](Call& call) -> absl::Status {
        v1::DirectAward stored;
        if (absl::Status s = LoadDirectAward(call.tx, request->id(), stored, nullptr, true);
            !s.ok()) {
          return s;
        }
        // The authority that made the award reviews it; to anyone else it does not exist.
        if (stored.placing_authority_id() != call.caller.organisation_id) {
          return absl::NotFoundError(absl::StrCat("direct award ", request->id(), ": not found"));
        }
        absl::StatusOr<DirectAward> award = ReviewStateOf(stored);
        if (!award.ok()) return award.status();
        if (absl::Status s = dps::referral::ReviewDirectAward(*award, request->review_note(),
                                                              call.caller.user_id, call.now);
            !s.ok()) {
          return s;
        }
        stored.set_state(v1::DIRECT_AWARD_STATE_REVIEWED);
        stored.set_review_note(award->review_note);
        *stored.mutable_reviewed_at() = platform::ToTimestamp(*award->reviewed_at);
        *stored.mutable_reviewed_by() = platform::ActorOf(call.caller);
        if (absl::Status s = SaveDirectAward(call.tx, stored); !s.ok()) return s;
        *response = stored;
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_direct_award_reviewed();
        event.set_direct_award_id(stored.id());
        event.set_lot_id(stored.lot_id());
        event.set_placing_authority_id(stored.placing_authority_id());
        event.set_establishment_id(stored.establishment_id());
        *event.mutable_review_on() = stored.review_on();
        return platform::Announce(call, kReferralStream, "referral.direct_award.reviewed",
                                  "direct_award", stored.id(), stored.system_id(),
                                  std::move(envelope));
      });
}

}  // namespace dps::referral
