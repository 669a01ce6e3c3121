#include "services/contracts/app/ipa_use_cases.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/contracts/app/ipa_events.h"
#include "services/contracts/domain/ending.h"

namespace dps::contracts {
namespace {

absl::Status CheckExpected(const StoredIpa& stored, int64_t expected_version) {
  if (expected_version == 0 || expected_version == stored.version) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("ipa ", stored.ipa.id, ": expected version ",
                                         expected_version, " but it is at version ",
                                         stored.version));
}

}  // namespace

Actor ContractsService() { return {"contracts", Role::kService, ""}; }

IpaUseCases::IpaUseCases(IpaUnitOfWork& uow, const DocumentRenderer& renderer,
                         const platform::Clock& clock, std::function<std::string()> new_id,
                         Options options)
    : uow_(uow),
      renderer_(renderer),
      clock_(clock),
      new_id_(std::move(new_id)),
      options_(options) {}

absl::StatusOr<CreateResult> IpaUseCases::CreateIpaFromAward(IpaSpec spec, const Caller& caller) {
  absl::StatusOr<std::string> key = SourceKey(spec.source);
  if (!key.ok()) return key.status();
  const absl::Time now = clock_.Now();
  spec.id = new_id_();
  absl::StatusOr<Ipa> made = CreateIpa(std::move(spec), caller.actor, now);
  if (!made.ok()) return made.status();

  CreateResult result;
  auto find_or_insert = [&](IpaTransaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredIpa>> existing = tx.ipas().FindBySource(*key);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      result = {**std::move(existing), false};
      return absl::OkStatus();
    }
    absl::StatusOr<int64_t> version = tx.ipas().Insert(*made, {});
    if (!version.ok()) return version.status();
    result = {{*made, *version}, true};
    return tx.Publish(IpaCreatedEvent(*made, {caller.actor, caller.request_id, now}));
  };
  absl::Status s = uow_.Run(find_or_insert);
  // Two deliveries of one award at once: the other inserted between our find and our insert,
  // and the unique source key refused ours. Its IPA is the answer; look again.
  if (s.code() == absl::StatusCode::kAlreadyExists) s = uow_.Run(find_or_insert);
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<StoredIpa> IpaUseCases::IssueIpa(const std::string& id, int64_t expected_version,
                                                const Caller& caller) {
  // 1. Read, and let the transaction (and its connection) go.
  absl::StatusOr<StoredIpa> read;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        read = tx.ipas().Load(id);
        return read.status();
      });
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckExpected(*read, expected_version); !s.ok()) return s;

  // 2. Render outside any transaction: rendering may be slow, and nothing is held meanwhile.
  const absl::Time now = clock_.Now();
  StoredIpa stored = *std::move(read);
  RecordingRenderer renderer(renderer_);
  if (absl::Status s = Issue(stored.ipa, renderer, caller.actor, now); !s.ok()) return s;

  // 3. Save only over the version read: if the IPA changed meanwhile, this is Aborted.
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
        absl::StatusOr<int64_t> saved =
            tx.ipas().Save(stored.ipa, stored.version, renderer.rendered());
        if (!saved.ok()) return saved.status();
        stored.version = *saved;
        return tx.Publish(IpaIssuedEvent(stored.ipa, {caller.actor, caller.request_id, now}));
      });
      !s.ok()) {
    return s;
  }
  return stored;
}

absl::StatusOr<StoredIpa> IpaUseCases::SignIpa(const std::string& id, const SignInput& input,
                                               int64_t expected_version, const Caller& caller) {
  StoredIpa result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    absl::StatusOr<StoredIpa> stored = tx.ipas().LoadForUpdate(id);
    if (!stored.ok()) return stored.status();
    if (absl::Status s = CheckExpected(*stored, expected_version); !s.ok()) return s;
    const absl::Time now = clock_.Now();
    const IpaVersion* awaiting = stored->ipa.awaiting_signatures();
    const int version_number = awaiting != nullptr ? awaiting->number : 0;
    if (absl::Status s = Sign(stored->ipa, input, caller.actor, now); !s.ok()) return s;
    // Sign succeeded, so the caller acts for exactly one party.
    const Party party = PartyOf(stored->ipa, caller.actor).value();
    absl::StatusOr<int64_t> saved = tx.ipas().Save(stored->ipa, stored->version, {});
    if (!saved.ok()) return saved.status();
    stored->version = *saved;
    result = *std::move(stored);
    return tx.Publish(
        IpaSignedEvent(result.ipa, party, version_number, {caller.actor, caller.request_id, now}));
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<IpaUseCases::TimerRun> IpaUseCases::RunDueTimers(absl::Time now) {
  TimerRun run;
  const EventContext context{ContractsService(), "", now};
  for (;;) {
    size_t claimed = 0;
    size_t changed = 0;
    TimerRun batch;
    const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<StoredIpa>> due = tx.ipas().ListDue(now, options_.timer_batch);
      if (!due.ok()) return due.status();
      claimed = due->size();
      for (StoredIpa& stored : *due) {
        Ipa& ipa = stored.ipa;
        std::vector<IpaEvent> events;
        if (ActivationDue(ipa, now)) {
          if (absl::Status s = Activate(ipa, now); !s.ok()) return s;
          events.push_back(IpaActivatedEvent(ipa, context));
          batch.activated.push_back(ipa.id);
        }
        if (EndDue(ipa, now)) {
          if (absl::Status s = End(ipa, now); !s.ok()) return s;
          events.push_back(IpaEndedEvent(ipa, context));
          batch.ended.push_back(ipa.id);
        }
        // Claimed but nothing to do: cannot happen while NextTimerDue agrees with ActivationDue
        // and EndDue (storage's tests check it); left as it is.
        if (events.empty()) continue;
        ++changed;
        absl::StatusOr<int64_t> saved = tx.ipas().Save(ipa, stored.version, {});
        if (!saved.ok()) return saved.status();
        for (const IpaEvent& event : events) {
          if (absl::Status s = tx.Publish(event); !s.ok()) return s;
        }
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    run.activated.insert(run.activated.end(), batch.activated.begin(), batch.activated.end());
    run.ended.insert(run.ended.end(), batch.ended.begin(), batch.ended.end());
    // A short batch means nothing else is due (or another replica holds it); a batch in which
    // nothing changed would come back the same, so stop rather than spin.
    if (claimed < static_cast<size_t>(options_.timer_batch) || changed == 0) break;
  }
  return run;
}

}  // namespace dps::contracts
