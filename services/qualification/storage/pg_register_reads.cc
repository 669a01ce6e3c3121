#include "services/qualification/storage/pg_register_reads.h"

#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/convert/convert.h"
#include "services/qualification/storage/records.h"

namespace dps::qualification {
namespace {

namespace v1 = ::dps::qualification::v1;

constexpr char kCriterionIds[] = "SELECT id FROM criteria WHERE system_id = $1 ORDER BY id";

absl::StatusOr<PurchasingSystem> DomainSystem(const v1::PurchasingSystem& system) {
  return ToDomainSystem(system, {}, {});
}

}  // namespace

absl::StatusOr<PurchasingSystem> PgRegisterReads::System(const std::string& id) {
  v1::PurchasingSystem system;
  if (absl::Status s = LoadSystem(tx_, id, false, system); !s.ok()) return s;
  return DomainSystem(system);
}

absl::StatusOr<EstablishmentRef> PgRegisterReads::Establishment(const std::string& id) {
  v1::Establishment establishment;
  if (absl::Status s = LoadDoc(tx_, "establishments", "establishment", id, false, establishment);
      !s.ok()) {
    return s;
  }
  return EstablishmentRef{.id = establishment.id(), .provider_id = establishment.provider_id()};
}

absl::StatusOr<std::vector<PurchasingSystem>> PgRegisterReads::SystemsWithMember(
    const std::string& establishment_id) {
  absl::StatusOr<std::vector<v1::PurchasingSystem>> systems =
      qualification::SystemsWithMember(tx_, establishment_id);
  if (!systems.ok()) return systems.status();
  std::vector<PurchasingSystem> out;
  for (const v1::PurchasingSystem& system : *systems) {
    absl::StatusOr<PurchasingSystem> domain = DomainSystem(system);
    if (!domain.ok()) return domain.status();
    out.push_back(*std::move(domain));
  }
  return out;
}

absl::StatusOr<CriterionRef> PgRegisterReads::Criterion(const std::string& id) {
  v1::Criterion criterion;
  if (absl::Status s = LoadDoc(tx_, "criteria", "criterion", id, false, criterion); !s.ok()) {
    return s;
  }
  return CriterionRef{.id = criterion.id(),
                      .system_id = criterion.system_id(),
                      .code = criterion.code(),
                      .evidence_expires = criterion.evidence_expires()};
}

absl::StatusOr<std::vector<std::string>> PgRegisterReads::CriterionIds(
    const std::string& system_id) {
  std::vector<std::string> ids;
  for (const pqxx::row& row : tx_.exec_params(kCriterionIds, system_id)) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

absl::StatusOr<Lot> PgRegisterReads::Lot(const std::string& id) {
  v1::Lot lot;
  if (absl::Status s = LoadDoc(tx_, "lots", "lot", id, false, lot); !s.ok()) return s;
  absl::StatusOr<std::vector<v1::Criterion>> criteria = CriteriaOf(tx_, lot.system_id());
  if (!criteria.ok()) return criteria.status();
  return ToDomainLot(lot, *criteria);
}

ApplicationOutcome OutcomeOf(const v1::Application& application) {
  ApplicationOutcome outcome{.id = application.id(),
                             .system_id = application.system_id(),
                             .decided = application.state() == v1::APPLICATION_STATE_DECIDED,
                             .decided_at = FromTimestamp(application.decided_at())};
  for (const v1::CriterionResult& result : application.criterion_results()) {
    if (result.passed()) {
      outcome.passed.push_back(
          {.criterion_id = result.criterion_id(), .establishment_id = result.establishment_id()});
    }
  }
  for (const v1::CriterionResponse& response : application.responses()) {
    outcome.cited.push_back(
        {.criterion_id = response.criterion_id(),
         .establishment_id = response.establishment_id(),
         .evidence_ids = {response.evidence_ids().begin(), response.evidence_ids().end()}});
  }
  return outcome;
}

absl::StatusOr<ApplicationOutcome> PgRegisterReads::Application(const std::string& id) {
  v1::Application application;
  if (absl::Status s = LoadDoc(tx_, "applications", "application", id, false, application);
      !s.ok()) {
    return s;
  }
  return OutcomeOf(application);
}

}  // namespace dps::qualification
