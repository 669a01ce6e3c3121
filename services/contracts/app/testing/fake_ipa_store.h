// An in-memory IpaUnitOfWork for the use cases' pure tests: IPAs by id with their versions'
// bytes, the unique source key, fee uplifts (at most one REQUESTED per IPA), optimistic versions,
// and the events published. A transaction
// works on a copy and keeps it only when the work returns OK, so a failed use case leaves
// nothing behind, as a rolled-back PostgreSQL transaction would. Row locks are not modelled:
// the PostgreSQL test covers SKIP LOCKED.
//
// Tests may look inside (ipas, uplifts, documents, events(), responses) and count transactions that
// wrote.
#ifndef DPS_SERVICES_CONTRACTS_APP_TESTING_FAKE_IPA_STORE_H_
#define DPS_SERVICES_CONTRACTS_APP_TESTING_FAKE_IPA_STORE_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts::testing {

class FakeIpaStore final : public IpaUnitOfWork {
 public:
  struct State {
    std::map<std::string, StoredIpa> ipas;                         // by id
    std::map<std::string, StoredUplift> uplifts;                   // by id
    std::map<std::pair<std::string, int>, std::string> documents;  // (id, version) -> bytes
    std::vector<IpaEvent> events;
    std::vector<platform::audit::Entry> audit_entries;  // of changes no event announces
    std::map<std::pair<std::string, std::string>, RequestRecord> responses;  // (scope, key)
    std::map<std::string, StoredKpiDefinitionSet> kpi_definitions;           // by system id
    std::map<std::string, StoredKpiReturn> kpi_returns;                      // by id
    std::map<std::string, StoredPerformanceReview> performance_reviews;      // by id
  };

  absl::Status Run(const Work& work) override;

  const State& state() const { return state_; }
  const std::vector<IpaEvent>& events() const { return state_.events; }
  int commits_that_wrote() const { return commits_that_wrote_; }

  // Called at the start of each Insert, Save, Publish or RecordResponse, of IPAs and of uplifts;
  // a non-OK status fails the call (for tests of rollback and races). Receives the operation's
  // name: "insert", "save", "insert_uplift", "save_uplift", "publish", "record",
  // "save_kpi_definitions", "insert_kpi_return", "save_kpi_return", "insert_performance_review".
  std::function<absl::Status(const std::string&)> before_write;

 private:
  State state_;
  int commits_that_wrote_ = 0;
};

}  // namespace dps::contracts::testing

#endif  // DPS_SERVICES_CONTRACTS_APP_TESTING_FAKE_IPA_STORE_H_
