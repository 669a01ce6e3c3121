// Applications: drafted and submitted by a provider, evaluated and decided by the lead authority.
// A decision creates the memberships of the items that qualified, in the same transaction; a
// price resubmission's accepted decision replaces its membership's prices instead; a
// reinstatement's decision changes no membership: the lead authority then reinstates with it
// (ReinstateMembership).
#include "absl/strings/str_cat.h"
#include "services/qualification/api/access.h"
#include "services/qualification/api/application_items.h"
#include "services/qualification/api/convert.h"
#include "services/qualification/api/membership_changes.h"
#include "services/qualification/api/qualification_service.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/domain/working_days.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

// An application with everything a domain rule needs beside it.
struct Loaded {
  v1::Application record;
  v1::PurchasingSystem system;
  std::vector<v1::Lot> lots;
  std::vector<v1::Criterion> criteria;
  PurchasingSystem domain_system;
  Application domain;
};

// Loads the application (locked) and its system, and checks the caller may act on it: the
// provider's own users, or the lead authority's staff.
absl::StatusOr<Loaded> Load(Call& call, const std::string& id) {
  Loaded loaded;
  if (absl::Status s = LoadDoc(call.tx, "applications", "application", id, true, loaded.record);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = LoadSystem(call.tx, loaded.record.system_id(), false, loaded.system);
      !s.ok()) {
    return s;
  }
  const bool own = call.caller.role == ApiRole::ROLE_PROVIDER_USER &&
                   call.caller.organisation_id == loaded.record.provider_id();
  const bool lead =
      call.caller.role != ApiRole::ROLE_PROVIDER_USER && IsLeadOf(call.caller, loaded.system);
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

absl::Status RequireLeadStaff(const Call& call, const Loaded& loaded) {
  if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
    return absl::PermissionDeniedError("only the lead authority evaluates and decides");
  }
  return RequireLeadOf(call.caller, loaded.system);
}

absl::Status Save(Call& call, Loaded& loaded, v1::Application* response) {
  UpdateFromDomain(loaded.domain, loaded.record);
  if (absl::Status s = SaveApplication(call.tx, loaded.record); !s.ok()) return s;
  *response = loaded.record;
  HideFromEvaluator(call.caller, *response);
  return absl::OkStatus();
}

// The evaluator must be assigned to the criterion (an assignment with no criteria covers all).
absl::Status RequireAssigned(const Call& call, const v1::Application& application,
                             const std::string& criterion_id) {
  if (call.caller.role != ApiRole::ROLE_EVALUATOR) return absl::OkStatus();
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
absl::Status RecordFinding(Loaded& loaded, const std::string& establishment_id,
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

// The membership's prices in force: the commercial submission as the provider gave it (the domain's
// view keeps no labels or descriptions), valid from the day `domain`'s prices took effect until
// the day before they may be resubmitted.
void SetPricesInForce(const v1::CommercialSubmission& submitted, const Membership& domain,
                      int validity_months, v1::Membership& membership) {
  v1::CommercialSubmission& prices = *membership.mutable_commercial();
  prices = submitted;
  *prices.mutable_valid_from() = ToDate(UtcDay(domain.prices_submitted_at));
  *prices.mutable_valid_until() = ToDate(PricesResubmittableFrom(domain, validity_months) - 1);
}

v1::Membership NewMembership(const Call& call, const Loaded& loaded, const ApplicationPart& part,
                             const Membership& domain) {
  v1::Membership membership;
  membership.set_id(NewId("mem"));
  membership.set_system_id(loaded.system.id());
  membership.set_lot_id(part.lot_code);
  membership.set_establishment_id(part.establishment_id);
  membership.set_provider_id(loaded.record.provider_id());
  *membership.mutable_qualified_at() = ToTimestamp(call.now);
  membership.set_application_id(loaded.record.id());
  for (const v1::CommercialSubmission& commercial : loaded.record.commercial()) {
    if (commercial.establishment_id() == part.establishment_id &&
        commercial.lot_id() == part.lot_code) {
      SetPricesInForce(commercial, domain, loaded.domain_system.price_validity_months, membership);
    }
  }
  membership.set_version(1);
  UpdateFromDomain(domain, membership);
  SetNextAuditDue(domain, loaded.domain_system.audit_interval_months, membership);
  return membership;
}

// Decides an application on the recorded findings (every kind but a price resubmission). An
// admission's qualified items become memberships resting on the evidence they cite. A
// reinstatement's decision stops there: its findings lift the suspension when the lead authority
// reinstates with it (ReinstateMembership), and a rejected one leaves the membership SUSPENDED
// with the reasons in the application's decisions.
absl::Status DecideOnCriteria(Call& call, Loaded& loaded,
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
    absl::StatusOr<std::optional<v1::Membership>> existing =
        MembershipFor(call.tx, part.establishment_id, part.lot_code, true);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return Forbidden("application", absl::StrCat("establishment ", part.establishment_id,
                                                   " already has membership ", (*existing)->id(),
                                                   " of lot ", part.lot_code));
    }
    absl::StatusOr<Membership> domain = Qualify(part, call.now, call.caller.user_id);
    if (!domain.ok()) return domain.status();
    v1::Membership membership = NewMembership(call, loaded, part, *domain);
    if (absl::Status s = InsertMembership(call.tx, membership); !s.ok()) return s;
    for (const ScoreEntry& score : domain->scores) {
      if (absl::Status s = AddScore(call.tx, membership.id(), score); !s.ok()) return s;
    }
    std::vector<std::string> answered;
    for (const Answer& answer : part.answers) answered.push_back(answer.criterion_code);
    if (absl::Status s = RestOnEvidence(call, loaded.record, membership, answered); !s.ok()) {
      return s;
    }
    for (v1::ItemDecision& d : *loaded.record.mutable_decisions()) {
      if (d.establishment_id() == part.establishment_id && d.lot_id() == part.lot_code) {
        d.set_membership_id(membership.id());
      }
    }
    v1::Establishment establishment;
    if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment", part.establishment_id,
                                 false, establishment);
        !s.ok()) {
      return s;
    }
    auto* qualified = event.mutable_membership_qualified();
    NameMembership(membership, *qualified);
    qualified->set_application_id(loaded.record.id());
    qualified->set_qualification_score(membership.qualification_score());
    *qualified->mutable_ceiling_fee() = membership.commercial().ceiling_fee();
    *qualified->mutable_location() = establishment.location();
    if (absl::Status s = Announce(call, "qualification.membership.qualified", "membership",
                                  membership.id(), loaded.system.id(), std::move(event));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// Submits a price resubmission or a reinstatement against its membership, locked so that two
// submissions of one kind for it are serialised: refused while another of that kind awaits its
// decision.
absl::Status SubmitForMembership(Call& call, Loaded& loaded) {
  v1::Membership membership;
  if (absl::Status s = LoadDoc(call.tx, "memberships", "membership", loaded.record.membership_id(),
                               true, membership);
      !s.ok()) {
    return s;
  }
  const bool prices = loaded.domain.kind == ApplicationKind::kPriceResubmission;
  absl::StatusOr<std::optional<std::string>> open =
      OpenApplicationFor(call.tx, membership, loaded.record.kind());
  if (!open.ok()) return open.status();
  if (open->has_value()) {
    return Forbidden(
        "membership",
        absl::StrCat(prices ? "cannot resubmit prices while price resubmission "
                            : "cannot resubmit the failed items while reinstatement ",
                     **open, " awaits its decision: withdraw it or wait for the decision"));
  }
  absl::StatusOr<Membership> domain = ToDomainMembership(membership, {});
  if (!domain.ok()) return domain.status();
  return prices ? SubmitPrices(loaded.domain, loaded.domain_system, *domain, call.now,
                               call.caller.user_id)
                : SubmitReinstatement(loaded.domain, loaded.domain_system, *domain, call.now,
                                      call.caller.user_id);
}

// Decides a price resubmission by the lead authority's one decision. Accepted, the membership's
// prices are replaced from now, with a history entry and an event; rejected, they stay and the
// applicant reads the reason in the application's decisions.
absl::Status DecideNewPrices(Call& call, Loaded& loaded,
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

  v1::Membership membership;
  if (absl::Status s = LoadDoc(call.tx, "memberships", "membership", loaded.record.membership_id(),
                               true, membership);
      !s.ok()) {
    return s;
  }
  const Lot* lot = FindLot(loaded.domain_system, part.lot_code);
  if (lot == nullptr) {
    return absl::NotFoundError(absl::StrCat("lot ", part.lot_code, ": not found"));
  }
  const int validity_months = loaded.domain_system.price_validity_months;
  const dps::common::v1::Money before = membership.commercial().ceiling_fee();
  absl::StatusOr<bool> changed =
      ChangeMembership(call, membership, [&](Membership& m) -> absl::StatusOr<bool> {
        if (absl::Status s = ResubmitPrices(m, *lot, validity_months, part.commercial, call.now,
                                            call.caller.user_id);
            !s.ok()) {
          return s;
        }
        // ChangeMembership saves the record after this, so the prices go with the domain's change.
        SetPricesInForce(loaded.record.commercial(0), m, validity_months, membership);
        return true;
      });
  if (!changed.ok()) return changed.status();
  loaded.record.mutable_decisions(0)->set_membership_id(membership.id());
  return AnnouncePricesChanged(call, membership, loaded.record.id(), before);
}

}  // namespace

grpc::Status QualificationService::CreateApplication(grpc::ServerContext* context,
                                                     const v1::CreateApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(
      context, "CreateApplication", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        if (absl::Status s = RequireProvider(call.caller, request->provider_id()); !s.ok()) {
          return s;
        }
        v1::PurchasingSystem system;
        if (absl::Status s = LoadSystem(call.tx, request->system_id(), false, system); !s.ok()) {
          return s;
        }
        if (system.state() != v1::PURCHASING_SYSTEM_STATE_LIVE) {
          return Forbidden("purchasing system",
                           absl::StrCat("takes applications only while LIVE; it is ",
                                        v1::PurchasingSystemState_Name(system.state())));
        }
        const v1::ApplicationSpec& spec = request->spec();
        v1::Application application;
        application.set_id(NewId("app"));
        application.set_system_id(system.id());
        application.set_provider_id(request->provider_id());
        application.set_kind(request->kind() == v1::APPLICATION_KIND_UNSPECIFIED
                                 ? v1::APPLICATION_KIND_NEW
                                 : request->kind());
        application.set_state(v1::APPLICATION_STATE_DRAFT);
        *application.mutable_items() = spec.items();
        *application.mutable_responses() = spec.responses();
        *application.mutable_commercial() = spec.commercial();
        application.set_copied_from_application_id(request->copy_from_application_id());
        application.set_membership_id(request->membership_id());
        application.set_version(1);
        if (absl::Status s = CheckDraft(call, system, application); !s.ok()) return s;
        if (!request->copy_from_application_id().empty()) {
          if (absl::Status s =
                  PrefillFrom(call, system, request->copy_from_application_id(), application);
              !s.ok()) {
            return s;
          }
        }
        if (absl::Status s = InsertApplication(call.tx, application); !s.ok()) return s;
        *response = application;
        return absl::OkStatus();
      });
}

grpc::Status QualificationService::GetApplication(grpc::ServerContext* context,
                                                  const v1::GetApplicationRequest* request,
                                                  v1::Application* response) {
  return Read(context, *request,
              {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
               ApiRole::ROLE_EVALUATOR, ApiRole::ROLE_AUDITOR},
              [&](Call& call) -> absl::Status {
                absl::StatusOr<Loaded> loaded = Load(call, request->id());
                if (!loaded.ok()) return loaded.status();
                if (!AssignedOrNotEvaluator(call.caller, loaded->record)) {
                  return absl::PermissionDeniedError(
                      absl::StrCat("evaluator ", call.caller.user_id,
                                   " is not assigned to application ", request->id()));
                }
                *response = loaded->record;
                HideFromEvaluator(call.caller, *response);
                return absl::OkStatus();
              });
}

grpc::Status QualificationService::SubmitApplication(grpc::ServerContext* context,
                                                     const v1::SubmitApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(
      context, "SubmitApplication", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
        absl::StatusOr<Loaded> loaded = Load(call, request->id());
        if (!loaded.ok()) return loaded.status();
        if (absl::Status s =
                CheckVersion("application", request->expected_version(), loaded->record.version());
            !s.ok()) {
          return s;
        }
        for (const v1::CriterionResponse& r : loaded->record.responses()) {
          if (std::none_of(loaded->criteria.begin(), loaded->criteria.end(),
                           [&](const v1::Criterion& c) { return c.id() == r.criterion_id(); })) {
            return InvalidField("responses",
                                absl::StrCat("no criterion ", r.criterion_id(), " in the system"));
          }
        }
        absl::Status submission =
            loaded->domain.kind == ApplicationKind::kAdmission
                ? Submit(loaded->domain, loaded->domain_system, call.now, call.caller.user_id)
                : SubmitForMembership(call, *loaded);
        if (!submission.ok()) {
          return ApplicationInRequestTerms(submission, loaded->record, loaded->domain);
        }
        if (absl::Status s = Save(call, *loaded, response); !s.ok()) return s;
        dps::events::v1::EventEnvelope event;
        auto* submitted = event.mutable_application_submitted();
        submitted->set_application_id(response->id());
        submitted->set_provider_id(response->provider_id());
        submitted->set_kind(response->kind());
        *submitted->mutable_items() = response->items();
        *submitted->mutable_decision_due_on() = response->decision_due_on();
        return Announce(call, "qualification.application.submitted", "application", response->id(),
                        response->system_id(), std::move(event));
      });
}

grpc::Status QualificationService::WithdrawApplication(
    grpc::ServerContext* context, const v1::WithdrawApplicationRequest* request,
    v1::Application* response) {
  return Change(context, "WithdrawApplication", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_PROVIDER_USER}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<Loaded> loaded = Load(call, request->id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = Withdraw(loaded->domain, call.now, call.caller.user_id,
                                                request->reason());
                      !s.ok()) {
                    return s;
                  }
                  return Save(call, *loaded, response);
                });
}

grpc::Status QualificationService::AssignEvaluators(grpc::ServerContext* context,
                                                    const v1::AssignEvaluatorsRequest* request,
                                                    v1::Application* response) {
  return Change(
      context, "AssignEvaluators", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
        absl::StatusOr<Loaded> loaded = Load(call, request->application_id());
        if (!loaded.ok()) return loaded.status();
        if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
        if (request->evaluators().empty()) {
          return InvalidField("evaluators", "must name at least one evaluator");
        }
        for (int i = 0; i < request->evaluators_size(); ++i) {
          if (request->evaluators(i).evaluator_user_id().empty()) {
            return InvalidField(absl::StrCat("evaluators[", i, "].evaluator_user_id"), "required");
          }
        }
        if (loaded->domain.status == ApplicationStatus::kSubmitted) {
          if (absl::Status s = StartEvaluation(loaded->domain, call.now, call.caller.user_id);
              !s.ok()) {
            return s;
          }
        } else if (loaded->domain.status != ApplicationStatus::kUnderEvaluation) {
          return Forbidden("application",
                           absl::StrCat("cannot assign evaluators while ",
                                        ApplicationStatusName(loaded->domain.status)));
        }
        *loaded->record.mutable_evaluators() = request->evaluators();
        return Save(call, *loaded, response);
      });
}

grpc::Status QualificationService::ScoreMethodStatement(
    grpc::ServerContext* context, const v1::ScoreMethodStatementRequest* request,
    v1::Application* response) {
  return Change(
      context, "ScoreMethodStatement", request->idempotency_key(), *request, *response,
      {ApiRole::ROLE_EVALUATOR}, [&](Call& call) -> absl::Status {
        absl::StatusOr<Loaded> loaded = Load(call, request->application_id());
        if (!loaded.ok()) return loaded.status();
        if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
        if (absl::Status s = RequireAssigned(call, loaded->record, request->criterion_id());
            !s.ok()) {
          return s;
        }
        if (request->score() < 0 || request->score() > 100) {
          return InvalidField("score", absl::StrCat("must be 0-100, got ", request->score()));
        }
        if (absl::Status s = RecordFinding(*loaded, request->establishment_id(),
                                           {.criterion_code = request->criterion_id(),
                                            .score = request->score(),
                                            .reason = request->comment(),
                                            .evaluator = call.caller.user_id,
                                            .at = call.now});
            !s.ok()) {
          return s;
        }
        auto* scores = loaded->record.mutable_scores();
        v1::MethodStatementScore* score = nullptr;
        for (v1::MethodStatementScore& existing : *scores) {
          if (existing.criterion_id() == request->criterion_id() &&
              existing.establishment_id() == request->establishment_id()) {
            score = &existing;
          }
        }
        if (score == nullptr) score = scores->Add();
        score->set_criterion_id(request->criterion_id());
        score->set_establishment_id(request->establishment_id());
        score->set_evaluator_user_id(call.caller.user_id);
        score->set_score(request->score());
        score->set_comment(request->comment());
        *score->mutable_scored_at() = ToTimestamp(call.now);
        return Save(call, *loaded, response);
      });
}

grpc::Status QualificationService::RecordCriterionResult(
    grpc::ServerContext* context, const v1::RecordCriterionResultRequest* request,
    v1::Application* response) {
  return Change(context, "RecordCriterionResult", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<Loaded> loaded = Load(call, request->application_id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
                  const v1::CriterionResult& result = request->result();
                  if (!result.passed() && result.reason().empty()) {
                    return InvalidField("result.reason", "required when the criterion fails");
                  }
                  if (absl::Status s = RecordFinding(*loaded, result.establishment_id(),
                                                     {.criterion_code = result.criterion_id(),
                                                      .passed = result.passed(),
                                                      .reason = result.reason(),
                                                      .evaluator = call.caller.user_id,
                                                      .at = call.now});
                      !s.ok()) {
                    return s;
                  }
                  auto* results = loaded->record.mutable_criterion_results();
                  v1::CriterionResult* stored = nullptr;
                  for (v1::CriterionResult& existing : *results) {
                    if (existing.criterion_id() == result.criterion_id() &&
                        existing.establishment_id() == result.establishment_id()) {
                      stored = &existing;
                    }
                  }
                  if (stored == nullptr) stored = results->Add();
                  *stored = result;
                  return Save(call, *loaded, response);
                });
}

grpc::Status QualificationService::ExtendDecisionPeriod(
    grpc::ServerContext* context, const v1::ExtendDecisionPeriodRequest* request,
    v1::Application* response) {
  return Change(context, "ExtendDecisionPeriod", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<Loaded> loaded = Load(call, request->application_id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
                  if (absl::Status s =
                          ExtendDecisionDeadline(loaded->domain, loaded->domain_system,
                                                 request->reason(), call.now, call.caller.user_id);
                      !s.ok()) {
                    return s;
                  }
                  return Save(call, *loaded, response);
                });
}

grpc::Status QualificationService::DecideApplication(grpc::ServerContext* context,
                                                     const v1::DecideApplicationRequest* request,
                                                     v1::Application* response) {
  return Change(context, "DecideApplication", request->idempotency_key(), *request, *response,
                {ApiRole::ROLE_LEAD_AUTHORITY_ADMIN}, [&](Call& call) -> absl::Status {
                  absl::StatusOr<Loaded> loaded = Load(call, request->application_id());
                  if (!loaded.ok()) return loaded.status();
                  if (absl::Status s = RequireLeadStaff(call, *loaded); !s.ok()) return s;
                  if (absl::Status s = CheckVersion("application", request->expected_version(),
                                                    loaded->record.version());
                      !s.ok()) {
                    return s;
                  }
                  const bool late = IsDecisionOverdue(loaded->domain, call.now);
                  absl::Status decision = loaded->domain.kind == ApplicationKind::kPriceResubmission
                                              ? DecideNewPrices(call, *loaded, *request)
                                              : DecideOnCriteria(call, *loaded, *request);
                  if (!decision.ok()) return decision;
                  if (absl::Status s = SaveApplication(call.tx, loaded->record); !s.ok()) return s;
                  *response = loaded->record;
                  dps::events::v1::EventEnvelope event;
                  auto* decided = event.mutable_application_decided();
                  decided->set_application_id(response->id());
                  decided->set_provider_id(response->provider_id());
                  *decided->mutable_decisions() = response->decisions();
                  decided->set_decided_late(late);
                  return Announce(call, "qualification.application.decided", "application",
                                  response->id(), response->system_id(), std::move(event));
                });
}

}  // namespace dps::qualification
