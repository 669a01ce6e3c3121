// Where publications of awards are kept (domain/publication.h), in the domain's own terms: the
// use cases (app/publication_use_cases.h) read and write them through PublicationRepository and
// never see SQL. The PostgreSQL implementation is pg_publication_repository.h
// (migrations/0003_publications.sql); app/testing has an in-memory one for pure tests.
//
// A publication is written once with its package bytes, which never change afterwards; only its
// state (PRODUCED -> PUBLISHED) and the record of where it was published do. A system has at most
// one QUARTERLY publication per quarter and an IPA at most one notice of each kind: the store
// holds that whatever a caller forgets (the loser of a race gets AlreadyExists).
//
// A PublicationTransaction gives, within one transaction, the publications, the IPAs (to read the
// awards a package states), the outbox and the ledger of answered requests, so a publication and
// the event announcing it commit together:
//
//   absl::Status s = uow.Run([&](PublicationTransaction& tx) -> absl::Status {
//     absl::StatusOr<std::vector<std::string>> ids = tx.publications().ListAwardsBetween(...);
//     ... tx.ipas().Load(id) ..., write the package ...
//     if (auto v = tx.publications().Insert(publication, package); !v.ok()) return v.status();
//     return tx.Publish({.type = "contracts.publication.produced", ...});
//   });
//
// Errors: NotFound "publication <id>: not found"; AlreadyExists when an insert repeats an id, a
// system's quarter or an IPA's notice; Aborted when a save names a version other than the stored
// one; database failures as platform/pg/pool.h describes.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_PUBLICATION_REPOSITORY_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_PUBLICATION_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/contracts/domain/publication.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

// A publication as stored, with the version a save must name.
struct StoredPublication {
  Publication publication;
  std::string package;  // the release package's bytes; empty in lists
  int64_t version = 0;  // 1 after Insert, +1 per Save
};

struct PublicationPageRequest {
  int size = 50;         // 1..500
  std::string after_id;  // the last id of the previous page; empty for the first
  PublicationKind kind = PublicationKind::kUnspecified;  // kUnspecified: every kind
};

struct PublicationPage {
  std::vector<StoredPublication> publications;  // by id, without their packages
  std::string next_after_id;                    // empty when this page is the last
};

class PublicationRepository {
 public:
  virtual ~PublicationRepository() = default;

  // The publication with its package.
  virtual absl::StatusOr<StoredPublication> Load(const std::string& id) = 0;
  // As Load, and holds the publication's row lock until the transaction ends.
  virtual absl::StatusOr<StoredPublication> LoadForUpdate(const std::string& id) = 0;
  // A new publication (version 1) with its package, whose SHA-256 must be publication.sha256.
  // AlreadyExists when its id is taken, its system has a QUARTERLY publication of its quarter, or
  // its IPA a notice of its kind.
  virtual absl::StatusOr<int64_t> Insert(const Publication& publication,
                                         const std::string& package) = 0;
  // Writes the publication's state and record over the stored one when the stored version is
  // `expected_version`, returning the new version; Aborted otherwise. The package, its hash and
  // the publication's scope are never changed.
  virtual absl::StatusOr<int64_t> Save(const Publication& publication,
                                       int64_t expected_version) = 0;
  // The system's QUARTERLY publication of `quarter`, with its package, if any.
  virtual absl::StatusOr<std::optional<StoredPublication>> FindQuarterly(
      const std::string& system_id, const Quarter& quarter) = 0;
  // The IPA's notice of `kind`, with its package, if any.
  virtual absl::StatusOr<std::optional<StoredPublication>> FindNotice(const std::string& ipa_id,
                                                                      PublicationKind kind) = 0;
  // One page of the system's publications by id, without their packages.
  virtual absl::StatusOr<PublicationPage> List(const std::string& system_id,
                                               const PublicationPageRequest& page) = 0;
  // The ids (in order) of the system's IPAs awarded from `from` (included) to `to` (excluded):
  // the IPA's awarded_at, or its created_at for a record written before awarded_at was kept.
  virtual absl::StatusOr<std::vector<std::string>> ListAwardsBetween(const std::string& system_id,
                                                                     absl::Time from,
                                                                     absl::Time to) = 0;
};

// One transaction: the publications, the IPAs, the outbox and the ledger of answered requests.
class PublicationTransaction {
 public:
  virtual ~PublicationTransaction() = default;
  virtual PublicationRepository& publications() = 0;
  virtual IpaRepository& ipas() = 0;
  // Appends the event to the outbox of this transaction (stream dps.contracts).
  virtual absl::Status Publish(const IpaEvent& event) = 0;
  // Keeps the request's answer with the change; AlreadyExists when the key was answered already.
  virtual absl::Status RecordResponse(const RequestRecord& record) = 0;
};

class PublicationUnitOfWork {
 public:
  virtual ~PublicationUnitOfWork() = default;
  using Work = std::function<absl::Status(PublicationTransaction&)>;
  // Runs `work` in a new transaction; commits when it returns OK, else rolls back and returns
  // its status.
  virtual absl::Status Run(const Work& work) = 0;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_PUBLICATION_REPOSITORY_H_
