// Where IPAs are kept, in the domain's own terms: the use cases (services/contracts/app) read and
// write whole aggregates through IpaRepository and never see SQL. The PostgreSQL implementation is
// pg_ipa_repository.h; app/testing has an in-memory one for pure tests.
//
// A repository works inside one transaction: an IpaTransaction gives the repositories (the IPAs,
// their fee uplift requests: fee_uplift_repository.h, and the KPIs: kpi_repository.h) and the
// outbox of that transaction, and IpaUnitOfWork runs a function in a new one, committing when it
// returns OK and rolling everything back (the change and its events) otherwise.
//
//   absl::Status s = uow.Run([&](IpaTransaction& tx) -> absl::Status {
//     absl::StatusOr<StoredIpa> stored = tx.ipas().LoadForUpdate(id);
//     if (!stored.ok()) return stored.status();
//     ... change stored->ipa through the domain ...
//     if (auto v = tx.ipas().Save(stored->ipa, stored->version, {}); !v.ok()) return v.status();
//     return tx.Publish({.type = "contracts.ipa.signed", .aggregate_id = id, .payload = ...});
//   });
//
// Errors: NotFound "ipa <id>: not found"; AlreadyExists when an insert repeats an id or a source
// key; Aborted when a save names a version other than the stored one (someone changed the IPA
// since it was read); database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_IPA_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_IPA_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/audit/chain.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/storage/fee_uplift_repository.h"
#include "services/contracts/storage/kpi_repository.h"

namespace dps::contracts {

// An IPA as stored, with the version a save must name.
struct StoredIpa {
  Ipa ipa;
  int64_t version = 0;  // 1 after Insert, +1 per Save
};

// The rendered bytes of versions a change added, by version number. Each new version must come
// with its bytes (their SHA-256 and length are the version's); bytes of a version already stored
// are never replaced.
using NewDocuments = std::map<int, std::string>;

// Which IPAs a list returns; empty fields match every IPA. At least one of the three scopes is
// given by the use cases (an authority sees its own, a provider its own, a lead authority its
// systems').
struct IpaFilter {
  std::string placing_authority_id;
  std::string provider_id;
  std::string lead_authority_id;  // the IPAs of the systems an authority leads
  std::string system_id;
  std::string establishment_id;
  std::vector<IpaState> states;  // empty: every state
};

struct IpaPageRequest {
  int size = 50;         // 1..500
  std::string after_id;  // the last id of the previous page; empty for the first
};

struct IpaPage {
  std::vector<StoredIpa> ipas;  // by id
  std::string next_after_id;    // empty when this page is the last
};

class IpaRepository {
 public:
  virtual ~IpaRepository() = default;

  // The IPA with its versions and signatures.
  virtual absl::StatusOr<StoredIpa> Load(const std::string& id) = 0;
  // As Load, and holds the IPA's row lock until the transaction ends, so changes of one IPA
  // happen one after the other.
  virtual absl::StatusOr<StoredIpa> LoadForUpdate(const std::string& id) = 0;
  // The IPA made from the source with this SourceKey, if any.
  virtual absl::StatusOr<std::optional<StoredIpa>> FindBySource(const std::string& source_key) = 0;
  // A new IPA (version 1). AlreadyExists when its id or its source is taken.
  virtual absl::StatusOr<int64_t> Insert(const Ipa& ipa, const NewDocuments& documents) = 0;
  // Writes `ipa` over the stored one when the stored version is `expected_version`, returning
  // the new version; Aborted otherwise. Versions the IPA gained are added with their bytes.
  virtual absl::StatusOr<int64_t> Save(const Ipa& ipa, int64_t expected_version,
                                       const NewDocuments& documents) = 0;
  // Up to `limit` IPAs whose timer is due at `now` (next_due_at <= now), soonest first, each
  // locked for this transaction. IPAs another transaction holds are passed over, not waited
  // for, so two replicas running the timer at once share the work instead of repeating it.
  virtual absl::StatusOr<std::vector<StoredIpa>> ListDue(absl::Time now, int limit) = 0;
  // One page of the IPAs the filter matches, by id.
  virtual absl::StatusOr<IpaPage> List(const IpaFilter& filter, const IpaPageRequest& page) = 0;
  // The rendered bytes of one version. NotFound when there is no such version.
  virtual absl::StatusOr<std::string> LoadDocument(const std::string& ipa_id,
                                                   int version_number) = 0;
};

// An event to announce in the same transaction as the change (the transactional outbox).
struct IpaEvent {
  std::string type;          // "contracts.ipa.issued"
  std::string aggregate_id;  // the IPA's id
  std::string request_id;    // of the request that caused it; "" for timers and consumers
  std::string payload;       // a serialised dps.events.v1.EventEnvelope
};

// What a request answered, kept under its idempotency key (platform/pg/idempotency.h) so that a
// client retrying after a lost reply gets the same answer and the change is made once.
struct RequestRecord {
  std::string scope;           // who and what: the caller's organisation and the method
  std::string key;             // the client's idempotency key
  std::string request_digest;  // of the request (platform RequestDigest)
  std::string response;        // the serialised response
};

// One transaction: its repositories, its outbox and its ledger of answered requests.
class IpaTransaction {
 public:
  virtual ~IpaTransaction() = default;
  virtual IpaRepository& ipas() = 0;
  virtual FeeUpliftRepository& uplifts() = 0;
  // KPI definitions, returns and performance reviews (kpi_repository.h).
  virtual KpiRepository& kpis() = 0;
  // Appends the event to the outbox of this transaction: committed with the change or not at all.
  // Its audit entry is written with it.
  virtual absl::Status Publish(const IpaEvent& event) = 0;
  // Writes the audit entry of a change no event announces (a draft's terms, a rejected variation,
  // a withdrawn uplift, KPI definitions, a return's review), committed with the change.
  virtual absl::Status RecordUnannounced(const platform::audit::Entry& entry) = 0;
  // Keeps the request's answer with the change. AlreadyExists when the key was answered already
  // (a repeat of the request raced this one and won): the change must then roll back.
  virtual absl::Status RecordResponse(const RequestRecord& record) = 0;
};

class IpaUnitOfWork {
 public:
  virtual ~IpaUnitOfWork() = default;
  using Work = std::function<absl::Status(IpaTransaction&)>;
  // Runs `work` in a new transaction; commits when it returns OK, else rolls back and returns
  // its status.
  virtual absl::Status Run(const Work& work) = 0;
};

// When the timer next has work on `ipa`, or nullopt: the start of its start date (UTC) while it is
// SIGNED and would activate then (ActivationDue), or the start of its scheduled end date while it
// is SIGNED or ACTIVE (EndDue), whichever comes first.
std::optional<absl::Time> NextTimerDue(const Ipa& ipa);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_IPA_REPOSITORY_H_
