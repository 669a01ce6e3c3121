#include "services/qualification/app/application_decisions.h"

#include "absl/strings/str_cat.h"
#include "services/qualification/app/access.h"
#include "services/qualification/app/application_items.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/app/memberships.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/pg_register_reads.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// The new membership `domain` (Qualify's) names: its id, system, provider and application.
void NameNewMembership(const LoadedApplication& loaded, Membership& domain) {
  domain.id = NewId("mem");
  domain.system_id = loaded.system.id();
  domain.provider_id = loaded.record.provider_id();
  domain.application_id = loaded.record.id();
  domain.version = 1;
}

}  // namespace

// Loads the application (locked) and its system, and checks the caller may act on it: the
// provider's own users, or the lead authority's staff.
absl::StatusOr<LoadedApplication> LoadApplicationFor(Call& call, const std::string& id) {
  LoadedApplication loaded;
  if (absl::Status s = LoadDoc(call.tx, "applications", "application", id, true, loaded.record);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = LoadSystem(call.tx, loaded.record.system_id(), false, loaded.system);
      !s.ok()) {
    return s;
  }
  const bool own = call.caller.role == dps::common::v1::ROLE_PROVIDER_USER &&
                   call.caller.organisation_id == loaded.record.provider_id();
  const bool lead = call.caller.role != dps::common::v1::ROLE_PROVIDER_USER &&
                    IsLeadOf(call.caller, loaded.system);
  if (!own && !lead) {
    // Another provider's application is not theirs to know about.
    return absl::NotFoundError(absl::StrCat("application ", id, ": not found"));
  }
  absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(call.tx, loaded.system.id());
  if (!lots.ok()) return lots.status();
  loaded.lots = *std::move(lots);
  absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(call.tx, loaded.system.id());
  if (!criteria.ok()) return criteria.status();
  loaded.criteria = *std::move(criteria);
  absl::StatusOr<PurchasingSystem> domain_system =
      ToDomainSystem(loaded.system, loaded.lots, loaded.criteria);
  if (!domain_system.ok()) return domain_system.status();
  loaded.domain_system = *std::move(domain_system);
  absl::StatusOr<std::vector<v1::Evidence>> evidence = EvidenceOf(call.tx, loaded.record);
  if (!evidence.ok()) return evidence.status();
  absl::StatusOr<Application> domain =
      ToDomainApplication(loaded.record, loaded.domain_system, *evidence);
  if (!domain.ok()) return domain.status();
  loaded.domain = *std::move(domain);
  return loaded;
}

absl::Status RequireLeadStaff(const Call& call, const LoadedApplication& loaded) {
  if (call.caller.role == dps::common::v1::ROLE_PROVIDER_USER) {
    return absl::PermissionDeniedError("only the lead authority evaluates and decides");
  }
  return RequireLeadOf(call.caller, loaded.system);
}

absl::Status SaveLoadedApplication(Call& call, LoadedApplication& loaded,
                                   v1::Application* response) {
  UpdateFromDomain(loaded.domain, loaded.record);
  if (absl::Status s = SaveApplication(call.tx, loaded.record); !s.ok()) return s;
  *response = loaded.record;
  HideFromEvaluator(call.caller, *response);
  return absl::OkStatus();
}

// The evaluator must be assigned to the criterion (an assignment with no criteria covers all).
absl::Status RequireAssigned(const Call& call, const v1::Application& application,
                             const std::string& criterion_id) {
  if (call.caller.role != dps::common::v1::ROLE_EVALUATOR) return absl::OkStatus();
  for (const v1::EvaluatorAssignment& assignment : application.evaluators()) {
    if (assignment.evaluator_user_id() != call.caller.user_id) continue;
    if (assignment.criterion_ids().empty()) return absl::OkStatus();
    for (const std::string& id : assignment.criterion_ids()) {
      if (id == criterion_id) return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(absl::StrCat("evaluator ", call.caller.user_id,
                                                  " is not assigned to criterion ", criterion_id));
}

// Records one evaluator finding on every item of the establishment that is asked the criterion
// (CriteriaAsked: a reinstatement is asked only what it resubmits).
absl::Status RecordFinding(LoadedApplication& loaded, const std::string& establishment_id,
                           const Assessment& assessment) {
  int recorded = 0;
  for (const ApplicationPart& part : loaded.domain.parts) {
    if (part.establishment_id != establishment_id) continue;
    const Lot* lot = FindLot(loaded.domain_system, part.lot_code);
    if (lot == nullptr) continue;
    bool asks = false;
    for (const Criterion* c : CriteriaAsked(loaded.domain.kind, *lot, part)) {
      asks |= c->code == assessment.criterion_code;
    }
    if (!asks) continue;
    if (absl::Status s = RecordAssessment(loaded.domain, loaded.domain_system, establishment_id,
                                          part.lot_code, assessment);
        !s.ok()) {
      return s;
    }
    ++recorded;
  }
  if (recorded == 0) {
    return absl::NotFoundError(absl::StrCat("no item of the application for establishment ",
                                            establishment_id, " asks criterion ",
                                            assessment.criterion_code));
  }
  return absl::OkStatus();
}

// Decides an application on the recorded findings (every kind but a price resubmission). An
// admission's qualified items become memberships resting on the evidence they cite. A
// reinstatement's decision stops there: its findings lift the suspension when the lead authority
// reinstates with it (ReinstateMembership), and a rejected one leaves the membership SUSPENDED
// with the reasons in the application's decisions.
absl::Status DecideOnCriteria(Call& call, LoadedApplication& loaded,
                              const v1::DecideApplicationRequest& request) {
  if (absl::Status s = Decide(loaded.domain, loaded.domain_system, call.now, call.caller.user_id);
      !s.ok()) {
    return s;
  }
  // The outcome follows from the recorded findings; a decision the lead authority sends
  // must agree with it, so a stale screen cannot admit what the findings reject.
  for (int i = 0; i < request.decisions_size(); ++i) {
    const v1::ItemDecision& sent = request.decisions(i);
    for (const ApplicationPart& part : loaded.domain.parts) {
      if (part.establishment_id != sent.establishment_id() || part.lot_code != sent.lot_id()) {
        continue;
      }
      const bool qualified = sent.outcome() == v1::ITEM_OUTCOME_QUALIFIED;
      if (sent.outcome() != v1::ITEM_OUTCOME_UNSPECIFIED && qualified != part.decision->qualified) {
        return Forbidden("application",
                         absl::StrCat("decisions[", i, "]: the findings make this item ",
                                      part.decision->qualified ? "QUALIFIED" : "REJECTED"));
      }
    }
  }
  UpdateFromDomain(loaded.domain, loaded.record);
  if (loaded.domain.kind == ApplicationKind::kReinstatement) return absl::OkStatus();
  for (const ApplicationPart& part : loaded.domain.parts) {
    dps::events::v1::EventEnvelope event;
    if (!part.decision->qualified) {
      auto* rejected = event.mutable_membership_rejected();
      rejected->set_application_id(loaded.record.id());
      rejected->set_lot_id(part.lot_code);
      rejected->set_establishment_id(part.establishment_id);
      rejected->set_provider_id(loaded.record.provider_id());
      for (const v1::ItemDecision& d : loaded.record.decisions()) {
        if (d.establishment_id() == part.establishment_id && d.lot_id() == part.lot_code) {
          rejected->set_reason(d.reason());
        }
      }
      if (absl::Status s = Announce(call, "qualification.membership.rejected", "application",
                                    loaded.record.id(), loaded.system.id(), std::move(event));
          !s.ok()) {
        return s;
      }
      continue;
    }
    // Another application for the same item may have been decided since this one was
    // submitted.
    PgMembershipRepository memberships(call.tx);
    absl::StatusOr<std::optional<Membership>> existing =
        memberships.OfEstablishmentInLot(part.establishment_id, part.lot_code);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return Forbidden("application", absl::StrCat("establishment ", part.establishment_id,
                                                   " already has membership ", (*existing)->id,
                                                   " of lot ", part.lot_code));
    }
    absl::StatusOr<Membership> domain =
        Qualify(part, loaded.domain_system, call.now, call.caller.user_id);
    if (!domain.ok()) return domain.status();
    NameNewMembership(loaded, *domain);
    if (absl::Status s = memberships.Insert(*domain); !s.ok()) return s;
    std::vector<std::string> answered;
    for (const Answer& answer : part.answers) answered.push_back(answer.criterion_code);
    if (absl::Status s = RestOnCited(memberships, OutcomeOf(loaded.record), domain->id,
                                     domain->establishment_id, answered);
        !s.ok()) {
      return s;
    }
    for (v1::ItemDecision& d : *loaded.record.mutable_decisions()) {
      if (d.establishment_id() == part.establishment_id && d.lot_id() == part.lot_code) {
        d.set_membership_id(domain->id);
      }
    }
    v1::Establishment establishment;
    if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment", part.establishment_id,
                                 false, establishment);
        !s.ok()) {
      return s;
    }
    auto* qualified = event.mutable_membership_qualified();
    NameMembership(*domain, *qualified);
    qualified->set_application_id(loaded.record.id());
    if (!domain->scores.empty()) qualified->set_qualification_score(domain->scores.back().score);
    qualified->mutable_ceiling_fee()->set_pence(domain->prices.weekly_fee_pence);
    *qualified->mutable_location() = establishment.location();
    if (absl::Status s = Announce(call, "qualification.membership.qualified", "membership",
                                  domain->id, loaded.system.id(), std::move(event));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// Submits a price resubmission or a reinstatement against its membership, locked so that two
// submissions of one kind for it are serialised: refused while another of that kind awaits its
// decision.
absl::Status SubmitForMembership(Call& call, LoadedApplication& loaded) {
  absl::StatusOr<Membership> domain =
      PgMembershipRepository(call.tx).LoadForUpdate(loaded.record.membership_id());
  if (!domain.ok()) return domain.status();
  const bool prices = loaded.domain.kind == ApplicationKind::kPriceResubmission;
  absl::StatusOr<std::optional<std::string>> open =
      OpenApplicationFor(call.tx, domain->system_id, domain->id, loaded.record.kind());
  if (!open.ok()) return open.status();
  if (open->has_value()) {
    return Forbidden(
        "membership",
        absl::StrCat(prices ? "cannot resubmit prices while price resubmission "
                            : "cannot resubmit the failed items while reinstatement ",
                     **open, " awaits its decision: withdraw it or wait for the decision"));
  }
  return prices ? SubmitPrices(loaded.domain, loaded.domain_system, *domain, call.now,
                               call.caller.user_id)
                : SubmitReinstatement(loaded.domain, loaded.domain_system, *domain, call.now,
                                      call.caller.user_id);
}

// Decides a price resubmission by the lead authority's one decision. Accepted, the membership's
// prices are replaced from now, with a history entry and an event; rejected, they stay and the
// applicant reads the reason in the application's decisions.
absl::Status DecideNewPrices(Call& call, LoadedApplication& loaded,
                             const v1::DecideApplicationRequest& request) {
  if (request.decisions_size() != 1) {
    return InvalidField("decisions",
                        absl::StrCat("a price resubmission takes exactly one decision (QUALIFIED "
                                     "accepts the new prices, REJECTED keeps the old ones), got ",
                                     request.decisions_size()));
  }
  const v1::ItemDecision& sent = request.decisions(0);
  const ApplicationPart& part = loaded.domain.parts.front();
  if ((!sent.establishment_id().empty() && sent.establishment_id() != part.establishment_id) ||
      (!sent.lot_id().empty() && sent.lot_id() != part.lot_code)) {
    return InvalidField("decisions[0]",
                        absl::StrCat("must be for the application's item: establishment ",
                                     part.establishment_id, " in lot ", part.lot_code));
  }
  if (sent.outcome() == v1::ITEM_OUTCOME_UNSPECIFIED) {
    return InvalidField("decisions[0].outcome",
                        "required: QUALIFIED accepts the new prices, REJECTED keeps the old ones");
  }
  const bool accepted = sent.outcome() == v1::ITEM_OUTCOME_QUALIFIED;
  if (absl::Status s =
          DecidePrices(loaded.domain, accepted, sent.reason(), call.now, call.caller.user_id);
      !s.ok()) {
    // The domain's decision has one reason; the caller sent it as decisions[0].reason.
    return RenameField(std::move(s), "reason", "decisions[0].reason");
  }
  UpdateFromDomain(loaded.domain, loaded.record);
  if (!accepted) return absl::OkStatus();

  PgMembershipRepository memberships(call.tx);
  absl::StatusOr<Membership> membership = memberships.LoadForUpdate(loaded.record.membership_id());
  if (!membership.ok()) return membership.status();
  const Lot* lot = FindLot(loaded.domain_system, part.lot_code);
  if (lot == nullptr) {
    return absl::NotFoundError(absl::StrCat("lot ", part.lot_code, ": not found"));
  }
  const int64_t before = membership->prices.weekly_fee_pence;
  if (absl::Status s = ResubmitPrices(*membership, *lot, loaded.domain_system.price_validity_months,
                                      part.commercial, call.now, call.caller.user_id);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = memberships.Save(*membership); !s.ok()) return s;
  loaded.record.mutable_decisions(0)->set_membership_id(membership->id);
  platform::OutboxEvents events = QualificationOutbox(call);
  return AnnouncePricesChanged(events, *membership, loaded.record.id(), before, call.now);
}

}  // namespace dps::qualification
