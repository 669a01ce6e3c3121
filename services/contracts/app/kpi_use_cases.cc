#include "services/contracts/app/kpi_use_cases.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/contracts/app/ipa_events.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/app/kpi_events.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts {
namespace {

// Runs the caller's hook, if any, in the transaction that saved `saved`.
template <typename Hook, typename Saved>
absl::Status AfterSave(const Hook& hook, IpaTransaction& tx, const Saved& saved) {
  if (!hook) return absl::OkStatus();
  return hook(tx, saved);
}

absl::Status ReturnNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("kpi return ", id, ": not found"));
}

}  // namespace

KpiUseCases::KpiUseCases(IpaUnitOfWork& uow, const SystemDirectory& directory,
                         const platform::Clock& clock, std::function<std::string()> new_id)
    : uow_(uow), directory_(directory), clock_(clock), new_id_(std::move(new_id)) {}

absl::StatusOr<StoredKpiDefinitionSet> KpiUseCases::SetDefinitions(
    const std::string& system_id, std::vector<KpiDefinition> definitions, const KpiCaller& caller) {
  if (absl::Status s = ValidateId("system_id", system_id); !s.ok()) return s;
  // Asked before any transaction opens: a remote call must not hold a connection.
  absl::StatusOr<SystemFacts> system = directory_.System(system_id);
  if (!system.ok()) return system.status();

  StoredKpiDefinitionSet result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    // The row lock makes a return being submitted (which holds a share lock) finish first, so
    // CodesInUse sees every code in use.
    absl::StatusOr<StoredKpiDefinitionSet> stored = tx.kpis().LoadDefinitionsForUpdate(system_id);
    if (!stored.ok()) return stored.status();
    absl::StatusOr<std::set<std::string>> in_use = tx.kpis().CodesInUse(system_id);
    if (!in_use.ok()) return in_use.status();
    const EventContext context{caller.actor, caller.request_id, clock_.Now()};
    const size_t defined = definitions.size();
    if (absl::Status s = SetKpiDefinitions(stored->set, std::move(definitions), *in_use,
                                           system->lead_authority_id, caller.actor, context.now);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<int64_t> version = tx.kpis().SaveDefinitions(stored->set, stored->version);
    if (!version.ok()) return version.status();
    stored->version = *version;
    result = *std::move(stored);
    if (absl::Status s = tx.RecordUnannounced(
            AuditEntryOf({.action = "kpi_definitions.set",
                          .aggregate_type = "kpi_definitions",
                          .aggregate_id = system_id,
                          .system_id = system_id,
                          .details = {{"definitions", absl::StrCat(defined)},
                                      {"version", absl::StrCat(result.version)}}},
                         context));
        !s.ok()) {
      return s;
    }
    return AfterSave(caller.on_definitions_saved, tx, result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<StoredKpiDefinitionSet> KpiUseCases::ListDefinitions(const std::string& system_id,
                                                                    const Actor&) {
  if (absl::Status s = ValidateId("system_id", system_id); !s.ok()) return s;
  absl::StatusOr<StoredKpiDefinitionSet> found;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        found = tx.kpis().LoadDefinitions(system_id);
        return found.status();
      });
      !s.ok()) {
    return s;
  }
  return found;
}

absl::StatusOr<StoredKpiReturn> KpiUseCases::SubmitReturn(const std::string& ipa_id,
                                                          KpiReturnInput input,
                                                          const KpiCaller& caller) {
  const std::string id = new_id_();
  StoredKpiReturn result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    // The IPA's lock puts two submissions for one IPA one after the other, so the second finds
    // the first's return for the period.
    absl::StatusOr<StoredIpa> ipa = tx.ipas().LoadForUpdate(ipa_id);
    if (!ipa.ok()) return ipa.status();
    if (absl::StatusOr<bool> readable = ReadAccess(ipa->ipa, caller.actor); !readable.ok()) {
      return readable.status();
    }
    absl::StatusOr<StoredKpiDefinitionSet> definitions =
        tx.kpis().LoadDefinitionsForShare(ipa->ipa.system_id);
    if (!definitions.ok()) return definitions.status();
    std::optional<StoredKpiReturn> existing;
    if (input.period) {
      absl::StatusOr<std::optional<StoredKpiReturn>> found =
          tx.kpis().FindReturn(ipa_id, *input.period);
      if (!found.ok()) return found.status();
      existing = *std::move(found);
    }
    const EventContext context{caller.actor, caller.request_id, clock_.Now()};
    absl::StatusOr<KpiReturn> submitted =
        SubmitKpiReturn(ipa->ipa, definitions->set,
                        existing ? std::optional<KpiReturn>(existing->kpi_return) : std::nullopt,
                        id, std::move(input), caller.actor, context.now);
    if (!submitted.ok()) return submitted.status();
    absl::StatusOr<int64_t> version = existing ? tx.kpis().SaveReturn(*submitted, existing->version)
                                               : tx.kpis().InsertReturn(*submitted);
    if (!version.ok()) return version.status();
    result = {*std::move(submitted), *version};
    if (absl::Status s = AfterSave(caller.on_return_saved, tx, result); !s.ok()) return s;
    return tx.Publish(KpiReturnSubmittedEvent(result.kpi_return, context));
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<StoredKpiReturn> KpiUseCases::ReviewReturn(const std::string& kpi_return_id,
                                                          bool accept,
                                                          const std::string& query_note,
                                                          const KpiCaller& caller) {
  StoredKpiReturn result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    absl::StatusOr<StoredKpiReturn> stored = tx.kpis().LoadReturnForUpdate(kpi_return_id);
    if (!stored.ok()) return stored.status();
    if (!MayReadKpiReturn(stored->kpi_return, caller.actor)) return ReturnNotFound(kpi_return_id);
    const EventContext context{caller.actor, caller.request_id, clock_.Now()};
    const KpiReturnState before = stored->kpi_return.state;
    if (absl::Status s =
            ReviewKpiReturn(stored->kpi_return, accept, query_note, caller.actor, context.now);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<int64_t> version = tx.kpis().SaveReturn(stored->kpi_return, stored->version);
    if (!version.ok()) return version.status();
    stored->version = *version;
    result = *std::move(stored);
    const KpiReturn& reviewed = result.kpi_return;
    if (absl::Status s = tx.RecordUnannounced(
            AuditEntryOf({.action = "kpi_return.reviewed",
                          .aggregate_type = "kpi_return",
                          .aggregate_id = reviewed.id,
                          .system_id = reviewed.system_id,
                          .authority_id = reviewed.placing_authority_id,
                          .from_state = std::string(KpiReturnStateName(before)),
                          .to_state = std::string(KpiReturnStateName(reviewed.state)),
                          .details = {{"ipa_id", reviewed.ipa_id}}},
                         context));
        !s.ok()) {
      return s;
    }
    return AfterSave(caller.on_return_saved, tx, result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<KpiReturnPage> KpiUseCases::ListReturns(KpiReturnFilter filter,
                                                       const KpiPageRequest& page,
                                                       const Actor& actor) {
  if (absl::Status s = HoldToScope(filter, actor); !s.ok()) return s;
  if (filter.period && filter.period->start > filter.period->end) {
    return absl::InvalidArgumentError(absl::StrCat("period.end: must not be before the start ",
                                                   FormatDay(filter.period->start), ", got ",
                                                   FormatDay(filter.period->end)));
  }
  absl::StatusOr<KpiReturnPage> found;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        found = tx.kpis().ListReturns(filter, page);
        return found.status();
      });
      !s.ok()) {
    return s;
  }
  return found;
}

absl::StatusOr<StoredPerformanceReview> KpiUseCases::RecordReview(PerformanceReviewInput input,
                                                                  const KpiCaller& caller) {
  if (absl::Status s = ValidateId("system_id", input.system_id); !s.ok()) return s;
  absl::StatusOr<SystemFacts> system = directory_.System(input.system_id);
  if (!system.ok()) return system.status();

  const std::string id = new_id_();
  StoredPerformanceReview result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    // The establishment's provider, from any of its placements in the system.
    std::string provider_id;
    if (!input.establishment_id.empty()) {
      absl::StatusOr<IpaPage> placements = tx.ipas().List(
          {.system_id = input.system_id, .establishment_id = input.establishment_id}, {.size = 1});
      if (!placements.ok()) return placements.status();
      if (!placements->ipas.empty()) {
        provider_id = placements->ipas.front().ipa.parties.provider_id;
      }
    }
    // The returns named, as far as the caller may read them; the domain says what is wrong with
    // any it does not get. A list longer than the domain allows is not read at all.
    std::vector<KpiReturn> returns;
    if (input.kpi_return_ids.size() <= kMaxListItems) {
      for (const std::string& return_id : input.kpi_return_ids) {
        absl::StatusOr<StoredKpiReturn> stored = tx.kpis().LoadReturn(return_id);
        if (absl::IsNotFound(stored.status())) continue;
        if (!stored.ok()) return stored.status();
        if (MayReadKpiReturn(stored->kpi_return, caller.actor)) {
          returns.push_back(std::move(stored->kpi_return));
        }
      }
    }
    const EventContext context{caller.actor, caller.request_id, clock_.Now()};
    absl::StatusOr<PerformanceReview> review =
        RecordPerformanceReview(id, std::move(input), system->lead_authority_id, provider_id,
                                returns, caller.actor, context.now);
    if (!review.ok()) return review.status();
    absl::StatusOr<int64_t> version = tx.kpis().InsertReview(*review);
    if (!version.ok()) return version.status();
    result = {*std::move(review), *version};
    if (absl::Status s = AfterSave(caller.on_review_saved, tx, result); !s.ok()) return s;
    return tx.Publish(PerformanceReviewRecordedEvent(result.review, context));
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<PerformanceReviewPage> KpiUseCases::ListReviews(const std::string& system_id,
                                                               const std::string& establishment_id,
                                                               const KpiPageRequest& page,
                                                               const Actor& actor) {
  PerformanceReviewFilter filter{.system_id = system_id, .establishment_id = establishment_id};
  switch (actor.role) {
    case Role::kLeadAuthorityAdmin:
    case Role::kAuditor:
      filter.lead_authority_id = actor.organisation_id;
      break;
    case Role::kProviderUser:
      filter.provider_id = actor.organisation_id;
      break;
    case Role::kService:
      break;
    case Role::kPlacingOfficer:
    case Role::kCommissioner:
    case Role::kEvaluator:
      return absl::PermissionDeniedError(
          absl::StrCat("role ", RoleName(actor.role), " may not list performance reviews"));
  }
  absl::StatusOr<PerformanceReviewPage> found;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        found = tx.kpis().ListReviews(filter, page);
        return found.status();
      });
      !s.ok()) {
    return s;
  }
  return found;
}

}  // namespace dps::contracts
