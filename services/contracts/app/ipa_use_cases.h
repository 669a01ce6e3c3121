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
//   ProposeVariation    as IssueIpa: read, render with nothing held, save over the version read.
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
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "services/contracts/app/document_renderer.h"
#include "services/contracts/app/ipa_events.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/variation.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

// Who asks, and the request it came in (carried into the events).
struct Caller {
  Actor actor;
  std::string request_id;
  // Run in the transaction that saves a change, after the save and before the commit: the API
  // keeps the request's answer with its idempotency key there (IpaTransaction::RecordResponse),
  // so the change and the answer commit together. A failure rolls the change back. `on_saved`
  // follows a change of an IPA, `on_uplift_saved` one of a fee uplift (fee_uplift_use_cases.h),
  // whose IPA may have changed with it.
  std::function<absl::Status(IpaTransaction&, const StoredIpa&)> on_saved;
  std::function<absl::Status(IpaTransaction&, const StoredUplift&)> on_uplift_saved;
};

// What a caller may see of an IPA they can read.
struct IpaView {
  StoredIpa stored;
  bool children_visible = false;  // a party to it (the placing authority or the provider)
};

// The rendered bytes of one version (or of a DRAFT's preview, version 0 with nothing stored).
struct IpaDocument {
  std::string bytes;
  std::string sha256;  // lowercase hex SHA-256 of `bytes`
  int version_number = 0;

  bool operator==(const IpaDocument&) const = default;
};

// Who may read an IPA: its two parties; admins and auditors of the authority leading its system;
// DPS services. Anyone else is told it does not exist (NotFound), since an IPA's existence says
// where a child lives. Returns whether the caller may see the child's identity (parties only).
absl::StatusOr<bool> ReadAccess(const Ipa& ipa, const Actor& actor);

// Which IPAs `actor` may list: the request's filter narrowed to their own scope (an authority's
// officers and commissioners see its IPAs, a provider's users its own, a lead authority's admins
// and auditors those of the systems it leads). A filter naming another scope is PermissionDenied.
absl::StatusOr<IpaFilter> ScopeFilter(IpaFilter requested, const Actor& actor);

// Holds a list filter of another aggregate (fee uplifts, KPI returns: any with
// placing_authority_id, provider_id and lead_authority_id) to the caller's scope, as ScopeFilter
// holds IPA lists: whoever sees an IPA sees what belongs to it.
template <typename Filter>
absl::Status HoldToScope(Filter& filter, const Actor& actor) {
  absl::StatusOr<IpaFilter> scope =
      ScopeFilter({.placing_authority_id = filter.placing_authority_id,
                   .provider_id = filter.provider_id,
                   .lead_authority_id = filter.lead_authority_id},
                  actor);
  if (!scope.ok()) return scope.status();
  filter.placing_authority_id = scope->placing_authority_id;
  filter.provider_id = scope->provider_id;
  filter.lead_authority_id = scope->lead_authority_id;
  return absl::OkStatus();
}

struct CreateResult {
  StoredIpa ipa;
  bool created = false;  // false: the source already had this IPA and nothing was written
};

// What a DPS service acts as when it moves an IPA itself (the timer, the award consumer).
Actor ContractsServiceActor();

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
  // delivered, and whatever else this delivery carries. The caller's on_saved runs either way.
  absl::StatusOr<CreateResult> CreateIpaFromAward(IpaSpec spec, const Caller& caller);

  // DRAFT -> ISSUED: renders version 1 and announces contracts.ipa.issued. `expected_version`
  // 0: any.
  absl::StatusOr<StoredIpa> IssueIpa(const std::string& id, int64_t expected_version,
                                     const Caller& caller);

  // A party signs the version awaiting signatures; announces contracts.ipa.signed (fully_signed
  // when it was the second signature).
  absl::StatusOr<StoredIpa> SignIpa(const std::string& id, const SignInput& input,
                                    int64_t expected_version, const Caller& caller);

  // DRAFT only, placing authority only: replaces the draft's terms (the award's core fee and
  // discounts stay as they were) and, when `children` are given, the children placed
  // (domain/children.h).
  absl::StatusOr<StoredIpa> UpdateDraft(const std::string& id, IpaTerms terms,
                                        std::optional<std::vector<ChildIdentity>> children,
                                        int64_t expected_version, const Caller& caller);

  // DRAFT or ISSUED -> CANCELLED with a reason (placing authority); announces
  // contracts.ipa.cancelled.
  absl::StatusOr<StoredIpa> CancelIpa(const std::string& id, const std::string& reason,
                                      const Caller& caller);

  // SIGNED -> ACTIVE on or after the start date, by the placing authority (the timer does it
  // too); announces contracts.ipa.activated.
  absl::StatusOr<StoredIpa> ActivateIpa(const std::string& id, const Caller& caller) {
    return ActivateIpa(id, std::nullopt, caller);
  }
  // With `actual_start`, the day the placement really started (domain ActivateOn): SIGNED ->
  // ACTIVE from that day, earlier or later than planned, or, on an IPA the timer started on the
  // planned day, that day corrected once; announces contracts.ipa.activated with the day. Under
  // the IPA's row lock, which the timer's SKIP LOCKED claim never waits for: whichever of the two
  // commits first, the other finds the IPA ACTIVE (the timer claims only SIGNED IPAs due).
  absl::StatusOr<StoredIpa> ActivateIpa(const std::string& id,
                                        std::optional<absl::CivilDay> actual_start,
                                        const Caller& caller);

  // A party proposes a variation of a SIGNED or ACTIVE IPA (domain/variation.h). Nothing is
  // announced until both parties have signed it; the saved IPA's awaiting_signatures() is the
  // proposal.
  absl::StatusOr<StoredIpa> ProposeVariation(const std::string& ipa_id, VariationInput input,
                                             int64_t expected_version, const Caller& caller);

  // A party signs variation `ref` (SignVariation in variation.h); announces contracts.ipa.signed
  // and, when it was the second signature, contracts.ipa.varied.
  absl::StatusOr<StoredIpa> SignVariation(const VariationRef& ref, const SignInput& input,
                                          const Caller& caller);

  // The party that did not propose variation `ref` refuses it, with a reason. Nothing is
  // announced: the version in force is unchanged.
  absl::StatusOr<StoredIpa> RejectVariation(const VariationRef& ref, const std::string& reason,
                                            const Caller& caller);

  // A party gives notice on a SIGNED or ACTIVE IPA (domain/ending.h); announces
  // contracts.ipa.notice_given with the end date the timer will end it on.
  absl::StatusOr<StoredIpa> GiveNotice(const std::string& id, const NoticeInput& input,
                                       const Caller& caller);

  // A party agrees to end on a date; when both have agreed the same date the ending is
  // scheduled and announced as contracts.ipa.notice_given (basis MUTUAL_AGREEMENT).
  absl::StatusOr<StoredIpa> AgreeEnding(const std::string& id, const AgreementInput& input,
                                        const Caller& caller);

  // The IPA, when the caller may read it (ReadAccess).
  absl::StatusOr<IpaView> GetIpa(const std::string& id, const Actor& actor);

  // One page of the IPAs within the caller's scope (ScopeFilter), each readable by them.
  struct ListResult {
    std::vector<IpaView> ipas;
    std::string next_after_id;
  };
  absl::StatusOr<ListResult> ListIpas(const IpaFilter& filter, const IpaPageRequest& page,
                                      const Actor& actor);

  // The stored bytes of version `version_number` (0: the version in force, else the one awaiting
  // signatures). A DRAFT has none: with 0 its parties get a preview rendered now and stored
  // nowhere, whose hash is not one anybody can sign.
  absl::StatusOr<IpaDocument> Document(const std::string& id, int version_number,
                                       const Actor& actor);

  struct TimerRun {
    std::vector<std::string> activated;  // ids, in the order done
    std::vector<std::string> ended;
  };
  // Activates every SIGNED IPA whose start date has come and ends every IPA whose end date has
  // come (an IPA due both is activated, then ended), as the contracts service, announcing
  // contracts.ipa.activated and contracts.ipa.ended. Runs batches until one comes back short.
  absl::StatusOr<TimerRun> RunDueTimers(absl::Time now);

 private:
  // The shape of every change of one IPA in one transaction: lock it, check the caller may read
  // it and the expected version, apply `change` (which returns the events to announce), save,
  // run the caller's hook, announce. A change that announces nothing is written to the audit
  // log as `unannounced_action` ("ipa.draft_updated") with the IPA's state before and after.
  using ChangeFn = std::function<absl::StatusOr<std::vector<IpaEvent>>(Ipa&, const EventContext&)>;
  absl::StatusOr<StoredIpa> Change(const std::string& id, int64_t expected_version,
                                   const Caller& caller, const ChangeFn& change,
                                   const char* unannounced_action = nullptr,
                                   std::map<std::string, std::string> unannounced_details = {});

  // A change that renders a new version: read the IPA in a short transaction, apply `change`
  // with no transaction or connection held (rendering may be slow), then save only over the
  // version read (Aborted if the IPA changed meanwhile) with the rendered bytes, and announce.
  using RenderedChangeFn = std::function<absl::StatusOr<std::vector<IpaEvent>>(
      Ipa&, const VersionRenderer&, const EventContext&)>;
  absl::StatusOr<StoredIpa> RenderedChange(const std::string& id, int64_t expected_version,
                                           const Caller& caller, const RenderedChangeFn& change);

  IpaUnitOfWork& uow_;
  const DocumentRenderer& renderer_;
  const platform::Clock& clock_;
  std::function<std::string()> new_id_;
  Options options_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_IPA_USE_CASES_H_
