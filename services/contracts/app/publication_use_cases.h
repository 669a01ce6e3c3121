// The publication use cases (docs/rules.md sections 3 and 7): a purchasing system's awards
// published as an OCDS 1.1 release package, quarterly (PCR2015_DPS, LIGHT_TOUCH) or as one contract
// award notice per award (PA2023_DYNAMIC_MARKET). Collaborators come in as interfaces
// (PublicationUnitOfWork, SystemDirectory, a Clock, an id source), so the tests run them against
// in-memory fakes; a gRPC handler converts its request, calls one of these and converts back.
//
// Where the work happens:
//   ProducePublication  ask the SystemDirectory (no transaction held), then one transaction:
//                       find what is already produced, else read the awards, write the package,
//                       insert it and announce contracts.publication.produced (the outbox).
//   MarkPublished       one transaction holding the publication's row lock.
//
// Who may do what (the proto's roles):
//   produce             LEAD_AUTHORITY_ADMIN of the system's lead authority, a DPS service
//   get, list           LEAD_AUTHORITY_ADMIN and AUDITOR of the lead authority, PLACING_OFFICER
//                       and COMMISSIONER of an authority taking part in the system, a DPS service
//   mark published      LEAD_AUTHORITY_ADMIN of the lead authority
// Anyone else is PermissionDenied: a publication is made to be public, so saying it exists
// tells nobody anything (unlike an IPA's, which says where a child lives).
//
// Errors: InvalidArgument "field: rule" for bad input and a kind the regime does not publish,
// FailedPrecondition for a quarter not yet over, a quarter without awards and a publication
// already published, NotFound for an unknown publication or IPA, Aborted when
// `expected_version` is given and differs, and the directory's and repository's.
#ifndef DPS_SERVICES_CONTRACTS_APP_PUBLICATION_USE_CASES_H_
#define DPS_SERVICES_CONTRACTS_APP_PUBLICATION_USE_CASES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/clock/clock.h"
#include "services/contracts/app/ipa_events.h"
#include "services/contracts/app/system_directory.h"
#include "services/contracts/domain/publication.h"
#include "services/contracts/storage/publication_repository.h"

namespace dps::contracts {

inline constexpr char kPublicationProduced[] = "contracts.publication.produced";

// Who asks, the request it came in, and the API's hook: run in the transaction that writes, after
// the write and before the commit, to keep the request's answer with its idempotency key
// (PublicationTransaction::RecordResponse). A failure rolls the change back.
struct PublicationCaller {
  Actor actor;
  std::string request_id;
  std::function<absl::Status(PublicationTransaction&, const StoredPublication&)> on_saved;
};

// dps.contracts.v1.ProducePublicationRequest, as the use case takes it.
struct ProduceRequest {
  std::string system_id;
  PublicationKind kind = PublicationKind::kUnspecified;
  std::optional<Quarter> quarter;  // QUARTERLY
  std::string ipa_id;              // CONTRACT_AWARD_NOTICE
  std::string ocid_prefix;         // e.g. "ocds-b5fd17"
};

struct ProduceResult {
  StoredPublication publication;  // with its package
  bool created = false;           // false: it was produced before, and is returned as it was stored
};

// The envelope of contracts.publication.produced (dps.events.v1.PublicationProduced).
IpaEvent PublicationProducedEvent(const Publication& publication, const EventContext& context);

class PublicationUseCases final {
 public:
  // `new_id` makes the id of a new publication ("publication-" and random hex in production).
  PublicationUseCases(PublicationUnitOfWork& uow, const SystemDirectory& directory,
                      const platform::Clock& clock, std::function<std::string()> new_id);

  // Produces the system's publication: QUARTERLY names a quarter that has ended (its last day
  // before today, UTC) and packages every award made in it; CONTRACT_AWARD_NOTICE names one IPA
  // of the system. The kind must be the one the system's regime publishes.
  //
  // A quarter (or an IPA's notice) is produced once. Producing it again returns the stored
  // publication unchanged (created = false), writes nothing and announces nothing: the awards
  // of a past quarter are fixed, and what the lead authority may already have published must
  // stay the bytes and hash on record. (A later change of an award, such as a cancellation, is
  // for a correction, not a silent second version.) Two producers racing get the same one.
  //
  // A quarter in which the system made no awards is FailedPrecondition: OCDS has no empty
  // package, and there is nothing to publish.
  absl::StatusOr<ProduceResult> ProducePublication(const ProduceRequest& request,
                                                   const PublicationCaller& caller);

  // The publication with its package, for a caller who may read it.
  absl::StatusOr<StoredPublication> GetPublication(const std::string& id, const Actor& actor);

  // One page of the system's publications, without packages, for a caller who may read them.
  absl::StatusOr<PublicationPage> ListPublications(const std::string& system_id,
                                                   const PublicationPageRequest& page,
                                                   const Actor& actor);

  // PRODUCED -> PUBLISHED by an admin of the lead authority, recording where (`reference`) and
  // when (`published_at`; nullopt: now) it was published (domain MarkPublished).
  // `expected_version` 0: any.
  absl::StatusOr<StoredPublication> MarkPublished(const std::string& id,
                                                  const std::string& reference,
                                                  std::optional<absl::Time> published_at,
                                                  int64_t expected_version,
                                                  const PublicationCaller& caller);

 private:
  // OK when `actor` may read the system's publications; `lead_authority_id` is the system's.
  absl::Status CheckReader(const std::string& system_id, const std::string& lead_authority_id,
                           const Actor& actor) const;

  PublicationUnitOfWork& uow_;
  const SystemDirectory& directory_;
  const platform::Clock& clock_;
  std::function<std::string()> new_id_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_PUBLICATION_USE_CASES_H_
