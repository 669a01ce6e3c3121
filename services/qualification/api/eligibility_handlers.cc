// Eligibility: who the referral service invites, and why one establishment is or is not invited.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/documents.h"
#include "services/qualification/storage/eligibility_repository.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

constexpr auto kReaders = {ApiRole::ROLE_PLACING_OFFICER, ApiRole::ROLE_COMMISSIONER,
                           ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, ApiRole::ROLE_AUDITOR,
                           ApiRole::ROLE_SERVICE};

std::string GenderCode(int gender) {
  switch (gender) {
    case dps::common::v1::GENDER_FEMALE:
      return "female";
    case dps::common::v1::GENDER_MALE:
      return "male";
    default:
      return "other";
  }
}

struct Resolved {
  v1::Lot lot;
  bool filters_apply = false;  // false under PCR2015_DPS: every member is invited
  // One repository query per child: an establishment must take every child of a cohort.
  std::vector<EligibilityQuery> per_child;
};

absl::StatusOr<Resolved> Resolve(Call& call, const v1::EligibilityQuery& query) {
  Resolved out;
  if (query.lot_id().empty()) return InvalidField("query.lot_id", "required");
  if (absl::Status s = LoadDoc(call.tx, "lots", "lot", query.lot_id(), false, out.lot); !s.ok()) {
    return s;
  }
  v1::PurchasingSystem system;
  if (absl::Status s = LoadSystem(call.tx, out.lot.system_id(), false, system); !s.ok()) return s;
  // The answer carries members' ceiling fees and scores: for the system's own authorities.
  if (absl::Status s = RequireAuthorityOf(call.caller, system); !s.ok()) return s;
  // An authority taking part in some lots only (West Sussex) may not look for the members of
  // the others. The referral service asks as itself and holds the authority it acts for to the
  // same rule before it asks (services/referral/domain/participation.h).
  if (call.caller.role == ApiRole::ROLE_PLACING_OFFICER ||
      call.caller.role == ApiRole::ROLE_COMMISSIONER) {
    absl::StatusOr<std::vector<Participant>> participants = ParticipantsOf(system, "authorities");
    if (!participants.ok()) return participants.status();
    if (absl::Status s = CheckMayCallOffLot(system.lead_authority_id(), *participants,
                                            call.caller.organisation_id, out.lot.code());
        !s.ok()) {
      return s;
    }
  }
  if (!query.system_id().empty() && query.system_id() != system.id()) {
    return InvalidField("query.system_id", "the lot belongs to another system");
  }
  out.filters_apply =
      system.regime() != dps::common::v1::REGIME_PCR2015_DPS && out.lot.preselection_allowed();
  if (query.child_ages_years().empty()) {
    return InvalidField("query.child_ages_years", "must list at least one child");
  }
  if (query.child_genders_size() != query.child_ages_years_size()) {
    return InvalidField("query.child_genders", "one gender per child, in the order of the ages");
  }
  EligibilityQuery base;
  base.lot_id = query.lot_id();
  base.latitude = query.location().latitude();
  base.longitude = query.location().longitude();
  base.radius_miles =
      out.filters_apply && query.radius_miles() > 0 ? query.radius_miles() : kMaxRadiusMiles;
  if (query.has_as_of()) base.as_of = FromTimestamp(query.as_of());
  if (out.filters_apply) {
    const v1::PreselectionFilters& filters = query.filters();
    if (filters.provision_types_size() > 1) {
      return InvalidField("query.filters.provision_types", "at most one type per query for now");
    }
    if (!filters.provision_types().empty()) {
      base.provision_type = RegisterType(filters.provision_types(0));
    }
    base.placement_types.assign(filters.placement_type_codes().begin(),
                                filters.placement_type_codes().end());
    base.required_specialisms.assign(filters.specialism_codes().begin(),
                                     filters.specialism_codes().end());
    if (filters.has_max_ceiling_fee()) base.max_ceiling_pence = filters.max_ceiling_fee().pence();
  }
  for (int i = 0; i < query.child_ages_years_size(); ++i) {
    EligibilityQuery child = base;
    child.child_age = query.child_ages_years(i);
    child.child_gender = GenderCode(query.child_genders(i));
    if (absl::Status s = ValidateEligibilityQuery(child); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("query.", s.message()));
    }
    out.per_child.push_back(std::move(child));
  }
  return out;
}

v1::EligibilityRule ToApi(EligibilityRule rule) {
  switch (rule) {
    case EligibilityRule::kMemberOfLot:
      return v1::ELIGIBILITY_RULE_MEMBER_OF_LOT;
    case EligibilityRule::kQualified:
      return v1::ELIGIBILITY_RULE_QUALIFIED;
    case EligibilityRule::kNotSuspended:
      return v1::ELIGIBILITY_RULE_NOT_SUSPENDED;
    case EligibilityRule::kWithinRadius:
      return v1::ELIGIBILITY_RULE_WITHIN_RADIUS;
    case EligibilityRule::kAgeRange:
      return v1::ELIGIBILITY_RULE_AGE_RANGE;
    case EligibilityRule::kGender:
      return v1::ELIGIBILITY_RULE_GENDER;
    case EligibilityRule::kPlacementType:
      return v1::ELIGIBILITY_RULE_PLACEMENT_TYPE;
    case EligibilityRule::kSpecialism:
      return v1::ELIGIBILITY_RULE_SPECIALISM;
    case EligibilityRule::kProvisionType:
      return v1::ELIGIBILITY_RULE_PROVISION_TYPE;
    case EligibilityRule::kCost:
      return v1::ELIGIBILITY_RULE_COST;
  }
  return v1::ELIGIBILITY_RULE_UNSPECIFIED;
}

}  // namespace

grpc::Status QualificationService::FindEligibleEstablishments(
    grpc::ServerContext* context, const v1::FindEligibleEstablishmentsRequest* request,
    v1::FindEligibleEstablishmentsResponse* response) {
  return Read(context, *request, kReaders, [&](Call& call) -> absl::Status {
    absl::StatusOr<Resolved> resolved = Resolve(call, request->query());
    if (!resolved.ok()) return resolved.status();
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    // The first child's age and gender go into the indexed query; the others of a cohort are
    // checked on the page it returns, so a page may hold fewer than page_size while more follow.
    EligibilityQuery query = resolved->per_child.front();
    query.limit = page->size;
    query.page_token = page->after_id;
    absl::StatusOr<EligibilityPage> read = FindEligiblePage(call.tx, query);
    if (!read.ok()) {
      if (absl::IsInvalidArgument(read.status())) {
        return absl::InvalidArgumentError(absl::StrCat("page.", read.status().message()));
      }
      return read.status();
    }
    std::vector<EligibleEstablishment> found = std::move(read->establishments);
    if (resolved->per_child.size() > 1 && !found.empty()) {
      std::vector<std::string> ids;
      for (const EligibleEstablishment& e : found) ids.push_back(e.establishment_id);
      std::vector<int> ages;
      std::vector<std::string> genders;
      for (const EligibilityQuery& child : resolved->per_child) {
        ages.push_back(child.child_age);
        genders.push_back(child.child_gender);
      }
      absl::StatusOr<std::set<std::string>> taking =
          EstablishmentsTakingAll(call.tx, ids, ages, genders);
      if (!taking.ok()) return taking.status();
      const std::set<std::string>& kept = *taking;
      std::erase_if(found, [&](const EligibleEstablishment& e) {
        return !kept.contains(e.establishment_id);
      });
    }
    if (!read->next_page_token.empty()) {
      response->mutable_page()->set_next_page_token(page->TokenAfter(read->next_page_token));
    }
    std::vector<std::string> ids;
    for (const EligibleEstablishment& e : found) ids.push_back(e.establishment_id);
    absl::StatusOr<std::map<std::string, EstablishmentStanding>> standing =
        StandingOf(call.tx, resolved->lot.system_id(), ids);
    if (!standing.ok()) return standing.status();
    for (const EligibleEstablishment& e : found) {
      v1::EligibleEstablishment* out = response->add_establishments();
      out->set_establishment_id(e.establishment_id);
      out->set_provider_id(e.provider_id);
      out->set_membership_id(e.membership_id);
      out->set_name(e.name);
      out->mutable_location()->set_latitude(e.latitude);
      out->mutable_location()->set_longitude(e.longitude);
      out->set_distance_miles(e.distance_miles);
      out->mutable_ceiling_fee()->set_pence(e.ceiling_fee_pence);
      out->set_ceiling_mode(resolved->lot.terms().ceiling_mode());
      out->set_price_basis(resolved->lot.terms().price_basis());
      out->set_qualification_score(e.qualification_score.value_or(0));
      const EstablishmentStanding& s = (*standing)[e.establishment_id];
      out->set_current_rating(s.rating);
      out->set_open_alert_count(s.open_alerts);
    }
    response->set_radius_and_filters_applied(resolved->filters_apply);
    return absl::OkStatus();
  });
}

grpc::Status QualificationService::ExplainEligibility(grpc::ServerContext* context,
                                                      const v1::ExplainEligibilityRequest* request,
                                                      v1::ExplainEligibilityResponse* response) {
  return Read(context, *request, kReaders, [&](Call& call) -> absl::Status {
    absl::StatusOr<Resolved> resolved = Resolve(call, request->query());
    if (!resolved.ok()) return resolved.status();
    if (request->establishment_id().empty()) return InvalidField("establishment_id", "required");
    std::vector<IneligibilityReason> reasons;
    for (const EligibilityQuery& child : resolved->per_child) {
      absl::StatusOr<std::vector<IneligibilityReason>> why =
          WhyNotEligible(call.tx, child, request->establishment_id());
      if (!why.ok()) return why.status();
      for (IneligibilityReason& reason : *why) {
        if (std::none_of(reasons.begin(), reasons.end(), [&](const IneligibilityReason& r) {
              return r.rule == reason.rule && r.detail == reason.detail;
            })) {
          reasons.push_back(std::move(reason));
        }
      }
    }
    for (int rule = static_cast<int>(EligibilityRule::kMemberOfLot);
         rule <= static_cast<int>(EligibilityRule::kCost); ++rule) {
      v1::EligibilityCheck* check = response->add_checks();
      check->set_rule(ToApi(static_cast<EligibilityRule>(rule)));
      check->set_passed(true);
      const bool filter = rule >= static_cast<int>(EligibilityRule::kWithinRadius) &&
                          rule != static_cast<int>(EligibilityRule::kAgeRange) &&
                          rule != static_cast<int>(EligibilityRule::kGender);
      if (filter && !resolved->filters_apply) check->set_not_applied(true);
      for (const IneligibilityReason& reason : reasons) {
        if (static_cast<int>(reason.rule) != rule) continue;
        check->set_passed(false);
        check->set_detail(check->detail().empty()
                              ? reason.detail
                              : absl::StrCat(check->detail(), "; ", reason.detail));
      }
    }
    response->set_eligible(reasons.empty());
    absl::StatusOr<std::optional<double>> miles =
        MilesTo(call.tx, request->query().location().latitude(),
                request->query().location().longitude(), request->establishment_id());
    if (!miles.ok()) return miles.status();
    if (miles->has_value()) response->set_distance_miles(**miles);
    return absl::OkStatus();
  });
}

}  // namespace dps::qualification
