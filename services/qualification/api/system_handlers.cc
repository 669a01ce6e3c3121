// Purchasing systems, lots and criteria: set up and changed by the lead authority, read by all.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/system_state.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/lists.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// The whole system in the domain's terms, validated: what every change is checked against.
absl::StatusOr<PurchasingSystem> DomainSystem(pqxx::work& tx, const v1::PurchasingSystem& system) {
  absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(tx, system.id());
  if (!lots.ok()) return lots.status();
  absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(tx, system.id());
  if (!criteria.ok()) return criteria.status();
  return ToDomainSystem(system, *lots, *criteria);
}

void SetCurrentEnd(v1::PurchasingSystem& system, const PurchasingSystem& domain) {
  *system.mutable_validity()->mutable_current_end() = ToDate(ValidUntil(domain.validity) - 1);
}

// Validate, with an error naming the field the caller set rather than the domain's: a regime's
// settings are spec.rules (and a lot's preselection_allowed), extensions carry months, and lots
// are known by id, not by a position the caller cannot see.
absl::Status ValidateSystem(const PurchasingSystem& domain) {
  static constexpr std::pair<absl::string_view, absl::string_view> kRegimeFields[] = {
      {"regime_config.decision_working_days", "spec.rules.decision_period_working_days"},
      {"regime_config.extended_decision_working_days",
       "spec.rules.extended_decision_period_working_days"},
      {"regime_config.min_response_period", "spec.rules.min_response_period_hours"},
      {"regime_config.conditions_may_change", "spec.rules.condition_change_notice_days"},
      {"regime_config.call_off_by_ranking", "spec.rules.call_off_by_ranking"},
      {"regime_config.filters_exclude", "lots.preselection_allowed"},
  };
  absl::Status status = Validate(domain);
  if (status.ok()) return status;
  for (const auto& [domain_field, api_field] : kRegimeFields) {
    status = RenameField(std::move(status), domain_field, api_field);
  }
  for (size_t i = 0; i < domain.validity.extension_months.size(); ++i) {
    status = RenameField(std::move(status), absl::StrCat("validity.extension_months[", i, "]"),
                         absl::StrCat("spec.validity.extensions[", i, "].months"));
  }
  for (size_t i = 0; i < domain.lots.size(); ++i) {
    status = RenameField(std::move(status), absl::StrCat("lots[", i, "]"),
                         absl::StrCat("lots[\"", domain.lots[i].code, "\"]"));
  }
  return status;
}

// The codes of the system's lots, for the participants' lot codes to name.
std::vector<std::string> LotCodes(const std::vector<v1::Lot>& lots) {
  std::vector<std::string> codes;
  for (const v1::Lot& lot : lots) codes.push_back(lot.code());
  return codes;
}

// Who takes part, by the domain's participation rules (domain/participation.h): a body that is
// not a local authority only where the system allows other bodies, each lot code by the code
// rule and, when `lots` is given (the system has lots: every change but its creation), a lot of
// the system. `path` names the list as the caller sent it ("spec.authorities").
absl::Status CheckAuthorities(const v1::PurchasingSystem& system, const std::vector<v1::Lot>* lots,
                              absl::string_view path) {
  absl::StatusOr<std::vector<Participant>> participants = ParticipantsOf(system, path);
  if (!participants.ok()) return participants.status();
  if (lots == nullptr) {
    return CheckParticipants(*participants, system.other_bodies_may_call_off(), nullptr, path);
  }
  const std::vector<std::string> codes = LotCodes(*lots);
  return CheckParticipants(*participants, system.other_bodies_may_call_off(), &codes, path);
}

// A LIVE system must be whole: every lot with valid criteria and terms.
absl::Status CheckComplete(const PurchasingSystem& domain) {
  if (domain.lots.empty()) return InvalidField("lots", "a LIVE system needs at least one lot");
  return ValidateSystem(domain);
}

// Fills a lot's editable part from its spec.
void ApplyLotSpec(const v1::LotSpec& spec, v1::Lot& lot) {
  lot.set_code(spec.code());
  lot.set_name(spec.name());
  lot.set_description(spec.description());
  *lot.mutable_provision_types() = spec.provision_types();
  *lot.mutable_terms() = spec.terms();
  *lot.mutable_default_weights() = spec.default_weights();
  *lot.mutable_parental_choice() = spec.parental_choice();
  *lot.mutable_needs() = spec.needs();
  *lot.mutable_features() = spec.features();
  *lot.mutable_specialisms() = spec.specialisms();
  *lot.mutable_placement_types() = spec.placement_types();
  *lot.mutable_additional_services() = spec.additional_services();
  lot.set_preselection_allowed(spec.preselection_allowed());
}

// Checks a lot's spec against the domain's rules and the regime.
absl::Status ValidateLotSpec(const v1::PurchasingSystem& system, const v1::Lot& lot,
                             const std::vector<v1::Criterion>& criteria) {
  if (lot.code().empty()) return InvalidField("spec.code", "required");
  absl::StatusOr<Regime> regime = ToDomainRegime(system.regime(), "regime");
  if (!regime.ok()) return regime.status();
  if (absl::Status s =
          CheckPreselection(*regime, lot.preselection_allowed(), "spec.preselection_allowed");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Lot> domain = ToDomainLot(lot, criteria);
  if (!domain.ok()) return domain.status();
  // Criteria are added one by one after the lot; whether they are complete (and weighted ones sum
  // to 100) is checked when the system goes LIVE and when an application is submitted. Until
  // then the rest of the lot is checked with a stand-in criterion.
  const QualificationMode mode = QualificationModeOf(system);
  if (domain->criteria.empty()) {
    const bool weighted = mode == QualificationMode::kWeighted;
    domain->criteria.push_back(
        {.code = "-",
         .title = "-",
         .kind = weighted ? CriterionKind::kWeighted : CriterionKind::kPassFail,
         .weight = weighted ? 100 : 0});
  }
  return ValidateLot(*domain, mode, "spec");
}

// The system's criteria fit the mode it qualifies by (domain: CheckCriteriaFitMode).
absl::Status CheckCriteriaFitMode(pqxx::work& tx, const v1::PurchasingSystem& system) {
  absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(tx, system.id());
  if (!criteria.ok()) return criteria.status();
  std::vector<CriterionInForce> in_force;
  for (const v1::Criterion& criterion : *criteria) {
    in_force.push_back({.id = criterion.id(),
                        .code = criterion.code(),
                        .kind = criterion.kind() == v1::CRITERION_KIND_WEIGHTED
                                    ? CriterionKind::kWeighted
                                    : CriterionKind::kPassFail,
                        .retired = criterion.retired()});
  }
  return qualification::CheckCriteriaFitMode(QualificationModeOf(system), in_force,
                                             "spec.qualification_mode");
}

// Membership conditions (`what`) may change only where the domain's lifecycle allows: never once
// CLOSED, and once LIVE only where the regime's table lets them.
absl::Status RequireConditionsMayChange(const v1::PurchasingSystem& system,
                                        absl::string_view what) {
  const SystemState state = StateOf(system);
  if (absl::Status s = CheckMayEdit(state, absl::StrCat("cannot change ", what)); !s.ok()) {
    return s;
  }
  absl::StatusOr<Regime> regime = ToDomainRegime(system.regime(), "regime");
  if (!regime.ok()) return regime.status();
  return CheckConditionsMayChange(state, *regime, what);
}

// Checks a criterion's spec and fills the criterion's editable part from it.
absl::Status ApplyCriterionSpec(pqxx::work& tx, const v1::PurchasingSystem& system,
                                const v1::CriterionSpec& spec, v1::Criterion& criterion) {
  CriterionDraft draft{.code = spec.code(),
                       .title = spec.title(),
                       .weight = spec.weight(),
                       .retired = spec.retired()};
  if (spec.kind() == v1::CRITERION_KIND_WEIGHTED) draft.kind = CriterionKind::kWeighted;
  if (spec.kind() == v1::CRITERION_KIND_PASS_FAIL) draft.kind = CriterionKind::kPassFail;
  if (absl::Status s = CheckCriterionDraft(draft, QualificationModeOf(system), "spec"); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(tx, system.id());
  if (!lots.ok()) return lots.status();
  for (int i = 0; i < spec.lot_ids_size(); ++i) {
    if (std::none_of(lots->begin(), lots->end(),
                     [&](const v1::Lot& lot) { return lot.id() == spec.lot_ids(i); })) {
      return InvalidField(absl::StrCat("spec.lot_ids[", i, "]"),
                          absl::StrCat("no lot ", spec.lot_ids(i), " in the system"));
    }
  }
  *criterion.mutable_lot_ids() = spec.lot_ids();
  criterion.set_code(spec.code());
  criterion.set_title(spec.title());
  criterion.set_guidance(spec.guidance());
  criterion.set_kind(spec.kind());
  criterion.set_category(spec.category());
  criterion.set_scope(spec.scope() == v1::CRITERION_SCOPE_UNSPECIFIED
                          ? v1::CRITERION_SCOPE_ESTABLISHMENT
                          : spec.scope());
  criterion.set_weight(spec.weight());
  criterion.set_evidence_required(spec.evidence_required());
  criterion.set_evidence_expires(spec.evidence_expires());
  *criterion.mutable_effective_from() = spec.effective_from();
  criterion.set_retired(spec.retired());
  return absl::OkStatus();
}

// Loads a system, locked, for a change by its lead authority.
absl::Status LoadSystemAsLead(Call& call, const std::string& id, v1::PurchasingSystem& system) {
  if (absl::Status s = LoadSystem(call.tx, id, true, system); !s.ok()) return s;
  return RequireLeadOf(call.caller, system);
}

}  // namespace

grpc::Status QualificationService::CreatePurchasingSystem(
    grpc::ServerContext* context, const v1::CreatePurchasingSystemRequest* request,
    v1::PurchasingSystem* response) {
  return Change(
      context, "CreatePurchasingSystem", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        const v1::PurchasingSystemSpec& spec = request->spec();
        if (spec.name().empty()) return InvalidField("spec.name", "required");
        if (spec.lead_authority_id() != call.caller.organisation_id) {
          return InvalidField("spec.lead_authority_id", "must be the caller's own authority");
        }
        v1::PurchasingSystem system;
        system.set_id(NewId("sys"));
        system.set_name(spec.name());
        system.set_regime(spec.regime());
        system.set_lead_authority_id(spec.lead_authority_id());
        *system.mutable_authorities() = spec.authorities();
        *system.mutable_validity() = spec.validity();
        system.set_entry_window_mode(spec.entry_window_mode() == v1::ENTRY_WINDOW_MODE_UNSPECIFIED
                                         ? v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN
                                         : spec.entry_window_mode());
        *system.mutable_entry_windows() = spec.entry_windows();
        system.set_qualification_mode(spec.qualification_mode());
        *system.mutable_rules() = spec.rules();
        system.set_other_bodies_may_call_off(spec.other_bodies_may_call_off());
        system.set_state(v1::PURCHASING_SYSTEM_STATE_DRAFT);
        system.set_version(1);
        *system.mutable_created_at() = ToTimestamp(call.now);
        absl::StatusOr<PurchasingSystem> domain = ToDomainSystem(system, {}, {});
        if (!domain.ok()) return domain.status();
        if (absl::Status s = ValidateSystem(*domain); !s.ok()) return s;
        // A new system has no lots yet: its participants' lot codes are checked against the
        // lots when it changes or goes LIVE.
        if (absl::Status s = CheckAuthorities(system, nullptr, "spec.authorities"); !s.ok()) {
          return s;
        }
        SetCurrentEnd(system, *domain);
        RecordHistory(system, call, "", "DRAFT", "created");
        if (absl::Status s = InsertSystem(call.tx, system); !s.ok()) return s;
        *response = system;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::GetPurchasingSystem(
    grpc::ServerContext* context, const v1::GetPurchasingSystemRequest* request,
    v1::PurchasingSystem* response) {
  return Read(context, *request, kAnyRole,
              [&](Call& call) { return LoadSystem(call.tx, request->id(), false, *response); });
}

grpc::Status QualificationService::ListPurchasingSystems(
    grpc::ServerContext* context, const v1::ListPurchasingSystemsRequest* request,
    v1::ListPurchasingSystemsResponse* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    // An authority filter matches the lead and every participating authority.
    return ListSystemsPage(call.tx, request->authority_id(), *page, *response);
  });
}

grpc::Status QualificationService::SetPurchasingSystemState(
    grpc::ServerContext* context, const v1::SetPurchasingSystemStateRequest* request,
    v1::PurchasingSystem* response) {
  return Change(
      context, "SetPurchasingSystemState", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, request->id(), true, system); !s.ok()) return s;
        if (absl::Status s = RequireLeadOf(call.caller, system); !s.ok()) return s;
        absl::StatusOr<SystemState> to = ToDomainState(request->state(), "state");
        if (!to.ok()) return to.status();
        if (absl::Status s = CheckStateMove(StateOf(system), *to); !s.ok()) return s;
        if (*to == SystemState::kLive) {
          absl::StatusOr<PurchasingSystem> domain = DomainSystem(call.tx, system);
          if (!domain.ok()) return domain.status();
          if (absl::Status s = CheckComplete(*domain); !s.ok()) return s;
          if (absl::Status s = CheckMayGoLive(*domain, call.now); !s.ok()) return s;
          absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(call.tx, system.id());
          if (!lots.ok()) return lots.status();
          if (absl::Status s = CheckAuthorities(system, &*lots, "authorities"); !s.ok()) return s;
        }
        if (absl::Status s = MoveSystemState(call, system, request->state(), request->reason());
            !s.ok()) {
          return s;
        }
        *response = system;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::AddParticipatingAuthority(
    grpc::ServerContext* context, const v1::AddParticipatingAuthorityRequest* request,
    v1::PurchasingSystem* response) {
  return Change(
      context, "AddParticipatingAuthority", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystemAsLead(call, request->system_id(), system); !s.ok()) {
          return s;
        }
        if (absl::Status s = CheckMayEdit(StateOf(system), "cannot add an authority"); !s.ok()) {
          return s;
        }
        if (request->access_agreement_ref().empty()) {
          return InvalidField("access_agreement_ref", "required: the signed access agreement");
        }
        absl::StatusOr<PurchasingSystem> domain = DomainSystem(call.tx, system);
        if (!domain.ok()) return domain.status();
        if (absl::Status s = qualification::AddParticipatingAuthority(
                *domain, request->authority().authority_id());
            !s.ok()) {
          return s;
        }
        absl::StatusOr<Participant> joining =
            ToDomainParticipant(request->authority(), "authority");
        if (!joining.ok()) return joining.status();
        absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(call.tx, system.id());
        if (!lots.ok()) return lots.status();
        const std::vector<std::string> codes = LotCodes(*lots);
        if (absl::Status s =
                CheckParticipant(*joining, system.other_bodies_may_call_off(), &codes, "authority");
            !s.ok()) {
          return s;
        }
        v1::ParticipatingAuthority* added = system.add_authorities();
        *added = request->authority();
        added->set_by_access_agreement(true);
        if (!added->has_joined_on()) {
          *added->mutable_joined_on() = ToDate(absl::ToCivilDay(call.now, absl::UTCTimeZone()));
        }
        RecordHistory(
            system, call, "", "",
            absl::StrCat("authority ", added->authority_id(), " joined by access agreement ",
                         request->access_agreement_ref()));
        if (absl::Status s = SaveSystem(call.tx, system); !s.ok()) return s;
        *response = system;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ExtendPurchasingSystem(
    grpc::ServerContext* context, const v1::ExtendPurchasingSystemRequest* request,
    v1::PurchasingSystem* response) {
  return Change(
      context, "ExtendPurchasingSystem", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystemAsLead(call, request->system_id(), system); !s.ok()) {
          return s;
        }
        if (absl::Status s = CheckMayEdit(StateOf(system), "cannot take an extension"); !s.ok()) {
          return s;
        }
        if (request->reason().empty()) return InvalidField("reason", "required");
        absl::StatusOr<PurchasingSystem> domain = DomainSystem(call.tx, system);
        if (!domain.ok()) return domain.status();
        if (request->extension_index() != domain->validity.extensions_taken) {
          return InvalidField(
              "extension_index",
              absl::StrCat("the next extension to take is ", domain->validity.extensions_taken,
                           ", got ", request->extension_index()));
        }
        if (absl::Status s = TakeExtension(*domain, call.now); !s.ok()) return s;
        v1::Extension* extension =
            system.mutable_validity()->mutable_extensions(request->extension_index());
        extension->set_exercised(true);
        *extension->mutable_exercised_at() = ToTimestamp(call.now);
        SetCurrentEnd(system, *domain);
        RecordHistory(
            system, call, "", "",
            absl::StrCat("extension ", request->extension_index(), " taken: ", request->reason()));
        if (absl::Status s = SaveSystem(call.tx, system); !s.ok()) return s;
        *response = system;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::CreateLot(grpc::ServerContext* context,
                                             const v1::CreateLotRequest* request,
                                             v1::Lot* response) {
  return Change(context, "CreateLot", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  v1::PurchasingSystem system;
                  if (absl::Status s = LoadSystemAsLead(call, request->system_id(), system);
                      !s.ok()) {
                    return s;
                  }
                  if (absl::Status s = CheckMayEdit(StateOf(system), "cannot add a lot"); !s.ok()) {
                    return s;
                  }
                  v1::Lot lot;
                  lot.set_id(NewId("lot"));
                  lot.set_system_id(system.id());
                  ApplyLotSpec(request->spec(), lot);
                  lot.set_state(v1::LOT_STATE_OPEN);
                  lot.set_version(1);
                  if (absl::Status s = ValidateLotSpec(system, lot, {}); !s.ok()) return s;
                  if (absl::Status s = InsertLot(call.tx, lot); !s.ok()) return s;
                  *response = lot;
                  return FillQualificationScored(call.tx, *response);
                });
}

grpc::Status QualificationService::GetLot(grpc::ServerContext* context,
                                          const v1::GetLotRequest* request, v1::Lot* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) {
    if (absl::Status s = LoadDoc(call.tx, "lots", "lot", request->id(), false, *response);
        !s.ok()) {
      return s;
    }
    return FillQualificationScored(call.tx, *response);
  });
}

grpc::Status QualificationService::ListLots(grpc::ServerContext* context,
                                            const v1::ListLotsRequest* request,
                                            v1::ListLotsResponse* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    if (request->system_id().empty()) return InvalidField("system_id", "required");
    if (absl::Status s = ListLotsPage(call.tx, request->system_id(), *page, *response); !s.ok()) {
      return s;
    }
    for (v1::Lot& lot : *response->mutable_lots()) {
      if (absl::Status s = FillQualificationScored(call.tx, lot); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

grpc::Status QualificationService::CreateCriterion(grpc::ServerContext* context,
                                                   const v1::CreateCriterionRequest* request,
                                                   v1::Criterion* response) {
  return Change(
      context, "CreateCriterion", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystemAsLead(call, request->system_id(), system); !s.ok()) {
          return s;
        }
        if (absl::Status s = RequireConditionsMayChange(system, "criteria"); !s.ok()) return s;
        v1::Criterion criterion;
        criterion.set_id(NewId("crit"));
        criterion.set_system_id(system.id());
        criterion.set_version(1);
        if (absl::Status s = ApplyCriterionSpec(call.tx, system, request->spec(), criterion);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = InsertCriterion(call.tx, criterion); !s.ok()) return s;
        *response = criterion;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::ListCriteria(grpc::ServerContext* context,
                                                const v1::ListCriteriaRequest* request,
                                                v1::ListCriteriaResponse* response) {
  return Read(context, *request, kAnyRole, [&](Call& call) -> absl::Status {
    absl::StatusOr<Page> page = ToPage(*request);
    if (!page.ok()) return page.status();
    if (request->system_id().empty()) return InvalidField("system_id", "required");
    return ListCriteriaPage(call.tx, request->system_id(), request->include_retired(),
                            request->lot_id(), *page, *response);
  });
}

grpc::Status QualificationService::UpdatePurchasingSystem(
    grpc::ServerContext* context, const v1::UpdatePurchasingSystemRequest* request,
    v1::PurchasingSystem* response) {
  return Change(
      context, "UpdatePurchasingSystem", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystemAsLead(call, request->id(), system); !s.ok()) return s;
        if (absl::Status s =
                CheckVersion("purchasing system", request->expected_version(), system.version());
            !s.ok()) {
          return s;
        }
        if (absl::Status s = CheckMayEdit(StateOf(system), "cannot change its configuration");
            !s.ok()) {
          return s;
        }
        const v1::PurchasingSystemSpec& spec = request->spec();
        if (spec.name().empty()) return InvalidField("spec.name", "required");
        if (spec.lead_authority_id() != system.lead_authority_id()) {
          return InvalidField("spec.lead_authority_id", "the lead authority does not change");
        }
        absl::StatusOr<Regime> regime = ToDomainRegime(system.regime(), "regime");
        if (!regime.ok()) return regime.status();
        absl::StatusOr<Regime> asked = ToDomainRegime(spec.regime(), "spec.regime");
        if (!asked.ok()) return asked.status();
        if (absl::Status s = CheckRegimeChange(StateOf(system), *regime, *asked); !s.ok()) {
          return s;
        }
        if (request->reason().empty()) return InvalidField("reason", "required");
        v1::PurchasingSystem changed = system;
        changed.set_name(spec.name());
        changed.set_regime(spec.regime());
        *changed.mutable_authorities() = spec.authorities();
        // Extensions already taken stay taken.
        const v1::PeriodOfValidity before = system.validity();
        *changed.mutable_validity() = spec.validity();
        for (int i = 0; i < before.extensions_size() && i < changed.validity().extensions_size();
             ++i) {
          if (before.extensions(i).exercised()) {
            *changed.mutable_validity()->mutable_extensions(i) = before.extensions(i);
          }
        }
        changed.set_entry_window_mode(spec.entry_window_mode() == v1::ENTRY_WINDOW_MODE_UNSPECIFIED
                                          ? v1::ENTRY_WINDOW_MODE_ALWAYS_OPEN
                                          : spec.entry_window_mode());
        *changed.mutable_entry_windows() = spec.entry_windows();
        changed.set_qualification_mode(spec.qualification_mode());
        *changed.mutable_rules() = spec.rules();
        changed.set_other_bodies_may_call_off(spec.other_bodies_may_call_off());
        if (absl::Status s = CheckCriteriaFitMode(call.tx, changed); !s.ok()) return s;
        absl::StatusOr<PurchasingSystem> domain = DomainSystem(call.tx, changed);
        if (!domain.ok()) return domain.status();
        if (absl::Status s = system.state() == v1::PURCHASING_SYSTEM_STATE_LIVE
                                 ? CheckComplete(*domain)
                                 : ValidateSystem(*domain);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(call.tx, system.id());
        if (!lots.ok()) return lots.status();
        if (absl::Status s = CheckAuthorities(changed, &*lots, "spec.authorities"); !s.ok()) {
          return s;
        }
        SetCurrentEnd(changed, *domain);
        RecordHistory(changed, call, "", "",
                      absl::StrCat("configuration changed: ", request->reason()));
        if (absl::Status s = SaveSystem(call.tx, changed); !s.ok()) return s;
        *response = changed;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::UpdateLot(grpc::ServerContext* context,
                                             const v1::UpdateLotRequest* request,
                                             v1::Lot* response) {
  return Change(
      context, "UpdateLot", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::Lot lot;
        if (absl::Status s = LoadDoc(call.tx, "lots", "lot", request->id(), true, lot); !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystemAsLead(call, lot.system_id(), system); !s.ok()) return s;
        if (absl::Status s = CheckVersion("lot", request->expected_version(), lot.version());
            !s.ok()) {
          return s;
        }
        if (absl::Status s = CheckMayEdit(StateOf(system), "cannot change a lot"); !s.ok()) {
          return s;
        }
        if (request->spec().terms().SerializeAsString() != lot.terms().SerializeAsString()) {
          if (absl::Status s = RequireConditionsMayChange(system, "a lot's commercial terms");
              !s.ok()) {
            return s;
          }
        }
        v1::Lot changed = lot;
        ApplyLotSpec(request->spec(), changed);
        // A participant taking part in some lots names them by code: renaming one it names
        // would silently take the lot away from it.
        for (const v1::ParticipatingAuthority& authority : system.authorities()) {
          if (changed.code() != lot.code() &&
              std::find(authority.lot_codes().begin(), authority.lot_codes().end(), lot.code()) !=
                  authority.lot_codes().end()) {
            return Forbidden(
                "lot", absl::StrCat("code ", lot.code(), " is named by authority ",
                                    authority.authority_id(), ": change its lot_codes first"));
          }
        }
        if (request->spec().state() != v1::LOT_STATE_UNSPECIFIED) {
          changed.set_state(request->spec().state());
        }
        absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(call.tx, system.id());
        if (!criteria.ok()) return criteria.status();
        if (absl::Status s = ValidateLotSpec(system, changed, *criteria); !s.ok()) return s;
        dps::common::v1::HistoryEntry* entry = changed.add_history();
        *entry->mutable_at() = ToTimestamp(call.now);
        *entry->mutable_actor() = platform::ActorOf(call.caller);
        entry->set_reason(request->reason());
        if (absl::Status s = SaveLot(call.tx, changed); !s.ok()) return s;
        *response = changed;
        return FillQualificationScored(call.tx, *response);
      });
}

grpc::Status QualificationService::UpdateCriterion(grpc::ServerContext* context,
                                                   const v1::UpdateCriterionRequest* request,
                                                   v1::Criterion* response) {
  return Change(
      context, "UpdateCriterion", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        v1::Criterion criterion;
        if (absl::Status s =
                LoadDoc(call.tx, "criteria", "criterion", request->id(), true, criterion);
            !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystemAsLead(call, criterion.system_id(), system); !s.ok()) {
          return s;
        }
        if (absl::Status s =
                CheckVersion("criterion", request->expected_version(), criterion.version());
            !s.ok()) {
          return s;
        }
        if (absl::Status s = RequireConditionsMayChange(system, "criteria"); !s.ok()) return s;
        // A new version, so "tell us once" asks again for answers given to the old wording.
        criterion.set_version(criterion.version() + 1);
        if (absl::Status s = ApplyCriterionSpec(call.tx, system, request->spec(), criterion);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = SaveCriterion(call.tx, criterion); !s.ok()) return s;
        *response = criterion;
        return absl::OkStatus();
      });
}

}  // namespace dps::qualification
