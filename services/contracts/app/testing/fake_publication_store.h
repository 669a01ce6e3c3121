// An in-memory PublicationUnitOfWork for the publication use cases' pure tests: publications by
// id with their packages, the rules of migrations/0003_publications.sql (one QUARTERLY
// publication per system and quarter, one notice of a kind per IPA, the package's SHA-256), the
// optimistic version, the IPAs the tests seed (read only: Load and the awards of a period), the
// events published and the answers recorded. A transaction works on a copy and keeps it only
// when the work returns OK, as a rolled-back PostgreSQL transaction would.
#ifndef DPS_SERVICES_CONTRACTS_APP_TESTING_FAKE_PUBLICATION_STORE_H_
#define DPS_SERVICES_CONTRACTS_APP_TESTING_FAKE_PUBLICATION_STORE_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "services/contracts/storage/publication_repository.h"

namespace dps::contracts::testing {

class FakePublicationStore final : public PublicationUnitOfWork {
 public:
  struct State {
    std::map<std::string, StoredIpa> ipas;                  // by id
    std::map<std::string, StoredPublication> publications;  // by id, with packages
    std::vector<IpaEvent> events;
    std::map<std::pair<std::string, std::string>, RequestRecord> responses;  // (scope, key)
  };

  absl::Status Run(const Work& work) override;

  // Seeds the committed state, as another transaction would have.
  void AddIpa(const Ipa& ipa) { state_.ipas[ipa.id] = {ipa, 1}; }
  void AddPublication(const Publication& publication, std::string package) {
    state_.publications[publication.id] = {publication, std::move(package), 1};
  }

  const State& state() const { return state_; }
  const std::vector<IpaEvent>& events() const { return state_.events; }
  int commits_that_wrote() const { return commits_that_wrote_; }
  int transactions() const { return transactions_; }

  // Called at the start of each Insert, Save, Publish or RecordResponse with its name ("insert",
  // "save", "publish", "record"); a non-OK status fails the call (for tests of rollback and
  // races).
  std::function<absl::Status(const std::string&)> before_write;

 private:
  State state_;
  int commits_that_wrote_ = 0;
  int transactions_ = 0;
};

}  // namespace dps::contracts::testing

#endif  // DPS_SERVICES_CONTRACTS_APP_TESTING_FAKE_PUBLICATION_STORE_H_
