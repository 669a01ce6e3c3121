#include "services/qualification/app/application_items.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/qualification/app/membership_changes.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/domain/errors.h"
#include "services/qualification/storage/pg_membership_repository.h"
#include "services/qualification/storage/pg_register_reads.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

bool HasResponse(const v1::Application& application, const std::string& criterion_id,
                 const std::string& establishment_id) {
  for (const v1::CriterionResponse& r : application.responses()) {
    if (r.criterion_id() == criterion_id && r.establishment_id() == establishment_id) return true;
  }
  return false;
}

// The earlier part to reuse for (establishment, lot): the same lot's, else another lot's of the
// same establishment (PlanReuse matches answers by criterion).
const ApplicationPart* PreviousPart(const Application& earlier, const v1::ApplicationItem& item) {
  const ApplicationPart* found = nullptr;
  for (const ApplicationPart& part : earlier.parts) {
    if (part.establishment_id != item.establishment_id()) continue;
    if (part.lot_code == item.lot_id()) return &part;
    if (found == nullptr) found = &part;
  }
  return found;
}

absl::Status CheckApplicationItems(Call& call, const v1::PurchasingSystem& system,
                                   const v1::Application& draft) {
  if (draft.items().empty()) {
    return InvalidField("spec.items", "must name at least one establishment and lot");
  }
  for (int i = 0; i < draft.items_size(); ++i) {
    const v1::ApplicationItem& item = draft.items(i);
    const std::string here = absl::StrCat("spec.items[", i, "]");
    v1::Establishment establishment;
    if (absl::Status s = LoadDoc(call.tx, "establishments", "establishment",
                                 item.establishment_id(), false, establishment);
        !s.ok()) {
      return s;
    }
    if (establishment.provider_id() != draft.provider_id()) {
      return InvalidField(absl::StrCat(here, ".establishment_id"), "belongs to another provider");
    }
    v1::Lot lot;
    if (absl::Status s = LoadDoc(call.tx, "lots", "lot", item.lot_id(), false, lot); !s.ok()) {
      return s;
    }
    if (lot.system_id() != system.id()) {
      return InvalidField(absl::StrCat(here, ".lot_id"), "is a lot of another system");
    }
    absl::StatusOr<std::optional<Membership>> existing =
        PgMembershipRepository(call.tx).OfEstablishmentInLot(item.establishment_id(),
                                                             item.lot_id());
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      if (absl::Status s = CheckMayApply(**existing); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

// The membership a price resubmission or a reinstatement names (`draft.membership_id`): the
// provider's own (NotFound otherwise, as GetMembership), in `system`. Its establishment and lot
// are the draft's one item, filled in when spec.items is empty.
absl::StatusOr<Membership> MembershipOfDraft(Call& call, const v1::PurchasingSystem& system,
                                             v1::Application& draft) {
  const std::string kind =
      v1::ApplicationKind_Name(draft.kind()).substr(sizeof("APPLICATION_KIND_") - 1);
  if (draft.membership_id().empty()) {
    return InvalidField("membership_id", absl::StrCat("required for a ", kind, " application"));
  }
  absl::StatusOr<Membership> membership =
      PgMembershipRepository(call.tx).Load(draft.membership_id());
  if (!membership.ok()) return membership.status();
  if (membership->provider_id != draft.provider_id()) {
    // Another provider's membership, and its prices, are not theirs to know about.
    return absl::NotFoundError(absl::StrCat("membership ", draft.membership_id(), ": not found"));
  }
  if (membership->system_id != system.id()) {
    return InvalidField("membership_id", "is a membership of another system");
  }
  const std::string& establishment_id = membership->establishment_id;
  const std::string& lot_id = membership->lot_code;
  if (draft.items().empty()) {
    v1::ApplicationItem* item = draft.add_items();
    item->set_establishment_id(establishment_id);
    item->set_lot_id(lot_id);
  }
  if (draft.items_size() != 1 || draft.items(0).establishment_id() != establishment_id ||
      draft.items(0).lot_id() != lot_id) {
    return InvalidField("spec.items", absl::StrCat("a ", kind,
                                                   " application has one item, its "
                                                   "membership's: establishment ",
                                                   establishment_id, " in lot ", lot_id));
  }
  return membership;
}

absl::Status CheckPriceResubmission(Call& call, const v1::PurchasingSystem& system,
                                    v1::Application& draft) {
  absl::StatusOr<Membership> membership = MembershipOfDraft(call, system, draft);
  if (!membership.ok()) return membership.status();
  if (!draft.copied_from_application_id().empty()) {
    return InvalidField("copy_from_application_id", "a price resubmission has no answers to copy");
  }
  if (!draft.responses().empty()) {
    return InvalidField("spec.responses",
                        "a price resubmission answers no criteria: the member is admitted");
  }
  const std::string& establishment_id = membership->establishment_id;
  const std::string& lot_id = membership->lot_code;
  if (draft.commercial_size() != 1) {
    return InvalidField("spec.commercial",
                        absl::StrCat("a price resubmission carries exactly one commercial "
                                     "submission, got ",
                                     draft.commercial_size()));
  }
  v1::CommercialSubmission& prices = *draft.mutable_commercial(0);
  if (prices.establishment_id().empty()) prices.set_establishment_id(establishment_id);
  if (prices.lot_id().empty()) prices.set_lot_id(lot_id);
  if (prices.establishment_id() != establishment_id || prices.lot_id() != lot_id) {
    return InvalidField("spec.commercial[0]",
                        absl::StrCat("must be for the membership's establishment ",
                                     establishment_id, " in lot ", lot_id));
  }
  return absl::OkStatus();
}

// A reinstatement answers only the failed items of its SUSPENDED membership that are criteria
// (ItemsToResubmit); a draft may leave some unanswered until submission. It carries no prices and
// copies no answers: what failed is given anew.
absl::Status CheckReinstatement(Call& call, const v1::PurchasingSystem& system,
                                v1::Application& draft) {
  absl::StatusOr<Membership> membership = MembershipOfDraft(call, system, draft);
  if (!membership.ok()) return membership.status();
  if (!draft.copied_from_application_id().empty()) {
    return InvalidField("copy_from_application_id",
                        "a reinstatement answers its failed items anew: there is nothing to copy");
  }
  if (!draft.commercial().empty()) {
    return InvalidField("spec.commercial",
                        "a reinstatement carries no prices: the membership's stay in force");
  }
  absl::StatusOr<Lot> domain_lot = PgRegisterReads(call.tx).Lot(membership->lot_code);
  if (!domain_lot.ok()) return domain_lot.status();
  absl::StatusOr<std::vector<std::string>> items = ItemsToResubmit(*membership, *domain_lot);
  if (!items.ok()) return items.status();
  const std::string& establishment_id = membership->establishment_id;
  for (int i = 0; i < draft.responses_size(); ++i) {
    v1::CriterionResponse& response = *draft.mutable_responses(i);
    const std::string here = absl::StrCat("spec.responses[", i, "]");
    if (response.establishment_id().empty()) response.set_establishment_id(establishment_id);
    if (response.establishment_id() != establishment_id) {
      return InvalidField(
          absl::StrCat(here, ".establishment_id"),
          absl::StrCat("must be the membership's establishment ", establishment_id));
    }
    if (std::find(items->begin(), items->end(), response.criterion_id()) == items->end()) {
      return InvalidField(
          absl::StrCat(here, ".criterion_id"),
          absl::StrCat(response.criterion_id(), " is not a failed item of membership ",
                       membership->id, ": resubmit only ", absl::StrJoin(*items, ", ")));
    }
  }
  return absl::OkStatus();
}

// Each piece of evidence an answer cites is the applicant's own, for that criterion, and for the
// answer's establishment (or for the provider as a whole). Another provider's evidence is reported
// as not found: its existence is not the applicant's to learn.
absl::Status CheckCitedEvidence(Call& call, const v1::Application& draft) {
  for (int i = 0; i < draft.responses_size(); ++i) {
    const v1::CriterionResponse& response = draft.responses(i);
    for (int j = 0; j < response.evidence_ids_size(); ++j) {
      const std::string field = absl::StrCat("spec.responses[", i, "].evidence_ids[", j, "]");
      const std::string& id = response.evidence_ids(j);
      v1::Evidence evidence;
      absl::Status loaded = LoadDoc(call.tx, "evidence", "evidence", id, false, evidence);
      if (absl::IsNotFound(loaded) ||
          (loaded.ok() && evidence.provider_id() != draft.provider_id())) {
        return InvalidField(field,
                            absl::StrCat("no evidence ", id, " of provider ", draft.provider_id()));
      }
      if (!loaded.ok()) return loaded;
      if (evidence.criterion_id() != response.criterion_id()) {
        return InvalidField(
            field, absl::StrCat("evidence ", id, " is for criterion ", evidence.criterion_id(),
                                ", not ", response.criterion_id()));
      }
      if (!evidence.establishment_id().empty() &&
          evidence.establishment_id() != response.establishment_id()) {
        return InvalidField(
            field, absl::StrCat("evidence ", id, " is of establishment ",
                                evidence.establishment_id(), ", not ",
                                response.establishment_id().empty() ? "the provider as a whole"
                                                                    : response.establishment_id()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckDraft(Call& call, const v1::PurchasingSystem& system, v1::Application& draft) {
  absl::Status items;
  if (draft.kind() == v1::APPLICATION_KIND_PRICE_RESUBMISSION) {
    items = CheckPriceResubmission(call, system, draft);
  } else if (draft.kind() == v1::APPLICATION_KIND_REINSTATEMENT) {
    items = CheckReinstatement(call, system, draft);
  } else {
    items = CheckApplicationItems(call, system, draft);
  }
  if (!items.ok()) return items;
  return CheckCitedEvidence(call, draft);
}

absl::StatusOr<std::vector<v1::Evidence>> EvidenceOf(pqxx::work& tx,
                                                     const v1::Application& application) {
  std::vector<std::string> ids;
  for (const v1::CriterionResponse& response : application.responses()) {
    ids.insert(ids.end(), response.evidence_ids().begin(), response.evidence_ids().end());
  }
  std::vector<v1::Evidence> evidence;
  for (const std::string& id : ids) {
    v1::Evidence e;
    if (absl::Status s = LoadDoc(tx, "evidence", "evidence", id, false, e); !s.ok()) return s;
    evidence.push_back(std::move(e));
  }
  return evidence;
}

absl::Status PrefillFrom(Call& call, const v1::PurchasingSystem& system,
                         const std::string& earlier_id, v1::Application& application) {
  v1::Application earlier;
  if (absl::Status s = LoadDoc(call.tx, "applications", "application", earlier_id, false, earlier);
      !s.ok()) {
    return s;
  }
  if (earlier.provider_id() != application.provider_id()) {
    // Another provider's application is not theirs to know about.
    return absl::NotFoundError(absl::StrCat("application ", earlier_id, ": not found"));
  }
  if (earlier.system_id() != system.id()) {
    return InvalidField("copy_from_application_id", "is an application to another system");
  }
  if (earlier.state() != v1::APPLICATION_STATE_DECIDED) {
    return Forbidden(
        "application",
        absl::StrCat(
            "only a decided application's accepted answers are reused; ", earlier_id, " is ",
            v1::ApplicationState_Name(earlier.state()).substr(sizeof("APPLICATION_STATE_") - 1)));
  }
  absl::StatusOr<std::vector<v1::Lot>> lots = LotsOf(call.tx, system.id());
  if (!lots.ok()) return lots.status();
  absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(call.tx, system.id());
  if (!criteria.ok()) return criteria.status();
  absl::StatusOr<PurchasingSystem> domain_system = ToDomainSystem(system, *lots, *criteria);
  if (!domain_system.ok()) return domain_system.status();
  absl::StatusOr<std::vector<v1::Evidence>> evidence = EvidenceOf(call.tx, earlier);
  if (!evidence.ok()) return evidence.status();
  absl::StatusOr<Application> domain = ToDomainApplication(earlier, *domain_system, *evidence);
  if (!domain.ok()) return domain.status();
  // The findings of the decision, so that PlanReuse does not carry over a failed answer.
  for (ApplicationPart& part : domain->parts) {
    PartDecision decision;
    for (const v1::CriterionResult& result : earlier.criterion_results()) {
      if (result.establishment_id() != part.establishment_id) continue;
      decision.results.push_back(
          {.criterion_code = result.criterion_id(), .passed = result.passed()});
    }
    part.decision = std::move(decision);
  }
  const absl::CivilDay today = absl::ToCivilDay(call.now, absl::UTCTimeZone());
  for (const v1::ApplicationItem& item : application.items()) {
    const Lot* lot = FindLot(*domain_system, item.lot_id());
    const ApplicationPart* previous = PreviousPart(*domain, item);
    if (lot == nullptr || previous == nullptr) continue;
    for (const Answer& answer : PlanReuse(*lot, *previous, today).reusable) {
      for (const v1::CriterionResponse& given : earlier.responses()) {
        if (given.criterion_id() != answer.criterion_code) continue;
        if (!given.establishment_id().empty() &&
            given.establishment_id() != item.establishment_id()) {
          continue;
        }
        if (HasResponse(application, given.criterion_id(), given.establishment_id())) continue;
        v1::CriterionResponse* copied = application.add_responses();
        *copied = given;
        copied->set_reused(true);
        copied->set_reused_from_application_id(earlier.id());
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace dps::qualification
