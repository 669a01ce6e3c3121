// The IPA use cases: each reads the IPA through the repository, changes it through the domain,
// and saves it with the event announcing the change in one transaction (the outbox), so either
// both happen or neither. They take their collaborators as interfaces (IpaUnitOfWork, a
// DocumentRenderer, a Clock, an id source), so the tests run them against in-memory fakes.
//
// Where the work happens:
//   CreateIpaFromAward  one transaction: find by source, else create, insert, announce.
//   IssueIpa            read (a short transaction), render with no transaction or connection
//                       held, then save naming the version read (Aborted if the IPA changed in
//                       between: the caller may retry) and announce.
//   SignIpa             one transaction holding the IPA's row lock: sign, save, announce.
//   RunDueTimers        batches of due IPAs, each batch one transaction that claims its rows
//                       with SKIP LOCKED, so two replicas running it at once share the work.
//
// Errors are the domain's (InvalidArgument, FailedPrecondition, PermissionDenied), NotFound for
// an unknown id, Aborted when `expected_version` is given and differs or the IPA changed under a
// render, and the repository's.
#ifndef DPS_SERVICES_CONTRACTS_APP_IPA_USE_CASES_H_
#define DPS_SERVICES_CONTRACTS_APP_IPA_USE_CASES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "services/contracts/app/document_renderer.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

// Who asks, and the request it came in (carried into the events).
struct Caller {
  Actor actor;
  std::string request_id;
};

struct CreateResult {
  StoredIpa ipa;
  bool created = false;  // false: the source already had this IPA and nothing was written
};

// What a DPS service acts as when it moves an IPA itself (the timer, the award consumer).
Actor ContractsService();

class IpaUseCases final {
 public:
  struct Options {
    int timer_batch = 100;  // IPAs claimed per timer transaction
  };

  // `new_id` makes the id of a new IPA ("ipa-" and random hex in production).
  IpaUseCases(IpaUnitOfWork& uow, const DocumentRenderer& renderer, const platform::Clock& clock,
              std::function<std::string()> new_id, Options options);
  IpaUseCases(IpaUnitOfWork& uow, const DocumentRenderer& renderer, const platform::Clock& clock,
              std::function<std::string()> new_id)
      : IpaUseCases(uow, renderer, clock, std::move(new_id), Options{}) {}

  // A DRAFT IPA from an award, direct award or block call-off (`spec.id` is ignored: a new one is
  // made). Idempotent on the source (SourceKey): when an IPA already exists for it, that IPA is
  // returned with created = false and nothing is written, however often the award event is
  // delivered, and whatever else this delivery carries.
  absl::StatusOr<CreateResult> CreateIpaFromAward(IpaSpec spec, const Caller& caller);

  // DRAFT -> ISSUED: renders version 1 and announces contracts.ipa.issued. `expected_version`
  // 0: any.
  absl::StatusOr<StoredIpa> IssueIpa(const std::string& id, int64_t expected_version,
                                     const Caller& caller);

  // A party signs the version awaiting signatures; announces contracts.ipa.signed (fully_signed
  // when it was the second signature).
  absl::StatusOr<StoredIpa> SignIpa(const std::string& id, const SignInput& input,
                                    int64_t expected_version, const Caller& caller);

  struct TimerRun {
    std::vector<std::string> activated;  // ids, in the order done
    std::vector<std::string> ended;
  };
  // Activates every SIGNED IPA whose start date has come and ends every IPA whose end date has
  // come (an IPA due both is activated, then ended), as the contracts service, announcing
  // contracts.ipa.activated and contracts.ipa.ended. Runs batches until one comes back short.
  absl::StatusOr<TimerRun> RunDueTimers(absl::Time now);

 private:
  IpaUnitOfWork& uow_;
  const DocumentRenderer& renderer_;
  const platform::Clock& clock_;
  std::function<std::string()> new_id_;
  Options options_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_IPA_USE_CASES_H_
