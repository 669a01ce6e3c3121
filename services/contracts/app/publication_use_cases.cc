#include "services/contracts/app/publication_use_cases.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/crypto/sha256.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/app/proto_enums.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/publication/ocds_writer.h"

namespace dps::contracts {
namespace {

namespace ev = ::dps::events::v1;
namespace cv = ::dps::contracts::v1;

using platform::Forbidden;
using platform::InvalidField;
using platform::Quote;

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, absl::UTCTimeZone()); }

// The shape of a request, before anyone is asked anything.
absl::Status ValidateRequest(const ProduceRequest& request) {
  if (absl::Status s = ValidateId("system_id", request.system_id); !s.ok()) return s;
  if (absl::Status s = ocds::ValidateOcidPrefix("ocid_prefix", request.ocid_prefix); !s.ok()) {
    return s;
  }
  switch (request.kind) {
    case PublicationKind::kQuarterly:
      if (!request.quarter) return InvalidField("quarter", "required for a QUARTERLY publication");
      if (!request.ipa_id.empty()) {
        return InvalidField("ipa_id", "must be empty for a QUARTERLY publication");
      }
      return ValidateQuarter("quarter", *request.quarter);
    case PublicationKind::kContractAwardNotice:
    case PublicationKind::kContractDetailsNotice:
      if (request.quarter) return InvalidField("quarter", "must be empty for a notice");
      return ValidateId("ipa_id", request.ipa_id);
    case PublicationKind::kUnspecified:
      break;
  }
  return InvalidField("kind", "required");
}

// The system's IPAs awarded in the quarter. Storage is asked for a second more on each side,
// since PostgreSQL keeps microseconds and an instant may round across midnight; the domain's
// AwardedIn then decides on the instant itself.
absl::StatusOr<std::vector<Ipa>> AwardsOfQuarter(PublicationTransaction& tx,
                                                 const std::string& system_id,
                                                 const Quarter& quarter) {
  const absl::Time from = StartOf(FirstDayOf(quarter)) - absl::Seconds(1);
  const absl::Time to = StartOf(LastDayOf(quarter) + 1) + absl::Seconds(1);
  absl::StatusOr<std::vector<std::string>> ids =
      tx.publications().ListAwardsBetween(system_id, from, to);
  if (!ids.ok()) return ids.status();
  std::vector<Ipa> awards;
  for (const std::string& id : *ids) {
    absl::StatusOr<StoredIpa> stored = tx.ipas().Load(id);
    if (!stored.ok()) return stored.status();
    if (stored->ipa.system_id == system_id && AwardedIn(stored->ipa, quarter)) {
      awards.push_back(std::move(stored->ipa));
    }
  }
  return awards;
}

// The IPA a notice is of: NotFound for one of another system, as for an id nobody has (an IPA's
// existence is not for those outside its system).
absl::StatusOr<Ipa> AwardOfNotice(PublicationTransaction& tx, const std::string& system_id,
                                  const std::string& ipa_id) {
  absl::StatusOr<StoredIpa> stored = tx.ipas().Load(ipa_id);
  if (!stored.ok()) return stored.status();
  if (stored->ipa.system_id != system_id) {
    return absl::NotFoundError(absl::StrCat("ipa ", ipa_id, ": not found"));
  }
  return std::move(stored->ipa);
}

// The last day a details notice of `ipa` is on time. The contract must have been entered into,
// and the award's own notice produced first: the details follow the award (docs/rules.md section
// 3).
absl::StatusOr<absl::CivilDay> DetailsNoticeDue(PublicationTransaction& tx, const Ipa& ipa) {
  absl::StatusOr<absl::Time> entered_into = EnteredIntoAt(ipa);
  if (!entered_into.ok()) return entered_into.status();
  absl::StatusOr<std::optional<StoredPublication>> award_notice =
      tx.publications().FindNotice(ipa.id, PublicationKind::kContractAwardNotice);
  if (!award_notice.ok()) return award_notice.status();
  if (!award_notice->has_value()) {
    return Forbidden("ipa_id", absl::StrCat("IPA ", ipa.id,
                                            " has no contract award notice yet: the contract "
                                            "details notice follows it"));
  }
  return DetailsNoticeDueBy(*entered_into);
}

absl::StatusOr<std::optional<StoredPublication>> FindProduced(PublicationTransaction& tx,
                                                              const ProduceRequest& request) {
  if (request.kind == PublicationKind::kQuarterly) {
    return tx.publications().FindQuarterly(request.system_id, *request.quarter);
  }
  return tx.publications().FindNotice(request.ipa_id, request.kind);
}

}  // namespace

IpaEvent PublicationProducedEvent(const Publication& publication, const EventContext& context) {
  ev::EventEnvelope envelope;
  ev::PublicationProduced& e = *envelope.mutable_publication_produced();
  e.set_publication_id(publication.id);
  e.set_kind(ToProto(publication.kind));
  if (publication.quarter) {
    e.mutable_quarter()->set_year(publication.quarter->year);
    e.mutable_quarter()->set_quarter(publication.quarter->quarter);
  }
  e.set_ipa_id(publication.ipa_id);
  e.set_award_count(publication.award_count);
  e.set_sha256(publication.sha256);
  if (publication.publish_by) *e.mutable_publish_by() = platform::ToDate(*publication.publish_by);

  return EnvelopeEvent(std::move(envelope), kPublicationProduced, "publication", publication.id,
                       publication.system_id, context);
}

PublicationUseCases::PublicationUseCases(PublicationUnitOfWork& uow,
                                         const SystemDirectory& directory,
                                         const platform::Clock& clock,
                                         std::function<std::string()> new_id)
    : uow_(uow), directory_(directory), clock_(clock), new_id_(std::move(new_id)) {}

absl::StatusOr<ProduceResult> PublicationUseCases::ProducePublication(
    const ProduceRequest& request, const PublicationCaller& caller) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;

  // Asked before any transaction opens: a remote call must not hold a connection.
  absl::StatusOr<SystemFacts> system = directory_.System(request.system_id);
  if (!system.ok()) return system.status();
  const Actor& actor = caller.actor;
  const bool lead_admin =
      actor.role == Role::kLeadAuthorityAdmin && actor.organisation_id == system->lead_authority_id;
  if (!lead_admin && actor.role != Role::kService) {
    return absl::PermissionDeniedError(absl::StrCat(
        "publication: only an admin of the system's lead authority or a DPS service may produce "
        "its publications; ",
        RoleName(actor.role), " of ", Quote(actor.organisation_id), " may not"));
  }
  if (absl::Status s = CheckKindForRegime(system->regime, request.kind); !s.ok()) return s;

  const absl::Time now = clock_.Now();
  if (request.kind == PublicationKind::kQuarterly) {
    // Produced once, so a quarter still running would be published without its later awards.
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    if (today <= LastDayOf(*request.quarter)) {
      return Forbidden("publication", absl::StrCat(QuarterLabel(*request.quarter),
                                                   " has not ended yet: its last day is ",
                                                   FormatDay(LastDayOf(*request.quarter))));
    }
  }

  const EventContext context{actor, caller.request_id, now};
  ProduceResult result;
  const absl::Status produced = uow_.Run([&](PublicationTransaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredPublication>> existing = FindProduced(tx, request);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      result = {**std::move(existing), false};
      return absl::OkStatus();
    }

    std::vector<Ipa> awards;
    ocds::PackageScope scope;
    std::optional<absl::CivilDay> publish_by;
    if (request.kind == PublicationKind::kQuarterly) {
      absl::StatusOr<std::vector<Ipa>> in_quarter =
          AwardsOfQuarter(tx, request.system_id, *request.quarter);
      if (!in_quarter.ok()) return in_quarter.status();
      if (in_quarter->empty()) {
        return Forbidden("publication", absl::StrCat(request.system_id, " made no awards in ",
                                                     QuarterLabel(*request.quarter),
                                                     ", so there is nothing to publish"));
      }
      awards = *std::move(in_quarter);
      scope = ocds::PackageScope::Quarterly(*request.quarter);
      publish_by = PublishByOf(*request.quarter);
    } else {
      absl::StatusOr<Ipa> award = AwardOfNotice(tx, request.system_id, request.ipa_id);
      if (!award.ok()) return award.status();
      if (request.kind == PublicationKind::kContractDetailsNotice) {
        absl::StatusOr<absl::CivilDay> due = DetailsNoticeDue(tx, *award);
        if (!due.ok()) return due.status();
        publish_by = *due;
        scope = ocds::PackageScope::DetailsNotice(request.ipa_id);
      } else {
        scope = ocds::PackageScope::AwardNotice(request.ipa_id);
      }
      awards.push_back(*std::move(award));
    }

    absl::StatusOr<std::string> package =
        ocds::WriteReleasePackage(*system, request.ocid_prefix, scope, awards);
    if (!package.ok()) return package.status();
    absl::StatusOr<int64_t> total = TotalAnnualValuePence(awards);
    if (!total.ok()) return total.status();

    Publication publication;
    publication.id = new_id_();
    publication.system_id = request.system_id;
    publication.lead_authority_id = system->lead_authority_id;
    publication.kind = request.kind;
    publication.quarter = request.quarter;
    publication.ipa_id = request.ipa_id;
    publication.award_count = static_cast<int>(awards.size());
    publication.total_annual_value_pence = *total;
    publication.publish_by = publish_by;
    publication.sha256 = platform::Sha256Hex(*package);
    publication.state = PublicationState::kProduced;
    publication.produced_at = now;
    publication.produced_by_user_id = actor.user_id;

    absl::StatusOr<int64_t> version = tx.publications().Insert(publication, *package);
    if (!version.ok()) return version.status();
    StoredPublication stored{std::move(publication), *std::move(package), *version};
    if (caller.on_saved) {
      if (absl::Status s = caller.on_saved(tx, stored); !s.ok()) return s;
    }
    if (absl::Status s = tx.Publish(PublicationProducedEvent(stored.publication, context));
        !s.ok()) {
      return s;
    }
    result = {std::move(stored), true};
    return absl::OkStatus();
  });
  if (produced.code() != absl::StatusCode::kAlreadyExists) {
    if (!produced.ok()) return produced;
    return result;
  }
  // Another producer inserted the same quarter (or notice) between our look and our insert: its
  // publication is the one, as if we had come second.
  const absl::Status found = uow_.Run([&](PublicationTransaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<StoredPublication>> existing = FindProduced(tx, request);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return produced;
    result = {**std::move(existing), false};
    return absl::OkStatus();
  });
  if (!found.ok()) return found;
  return result;
}

absl::Status PublicationUseCases::CheckReader(const std::string& system_id,
                                              const std::string& lead_authority_id,
                                              const Actor& actor) const {
  switch (actor.role) {
    case Role::kService:
      return absl::OkStatus();
    case Role::kLeadAuthorityAdmin:
    case Role::kAuditor:
      if (actor.organisation_id == lead_authority_id) return absl::OkStatus();
      break;
    case Role::kPlacingOfficer:
    case Role::kCommissioner: {
      absl::StatusOr<SystemFacts> system = directory_.System(system_id);
      if (!system.ok()) return system.status();
      if (std::find(system->authority_ids.begin(), system->authority_ids.end(),
                    actor.organisation_id) != system->authority_ids.end() ||
          actor.organisation_id == system->lead_authority_id) {
        return absl::OkStatus();
      }
      break;
    }
    default:
      break;
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "publication: the publications of system ", system_id,
      " are for its lead authority's admins and auditors and its authorities' "
      "officers and commissioners; ",
      RoleName(actor.role), " of ", Quote(actor.organisation_id), " may not read them"));
}

absl::StatusOr<StoredPublication> PublicationUseCases::GetPublication(const std::string& id,
                                                                      const Actor& actor) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  absl::StatusOr<StoredPublication> stored;
  const absl::Status read = uow_.Run([&](PublicationTransaction& tx) {
    stored = tx.publications().Load(id);
    return stored.status();
  });
  if (!read.ok()) return read;
  const Publication& p = stored->publication;
  if (absl::Status s = CheckReader(p.system_id, p.lead_authority_id, actor); !s.ok()) return s;
  return stored;
}

absl::StatusOr<PublicationPage> PublicationUseCases::ListPublications(
    const std::string& system_id, const PublicationPageRequest& page, const Actor& actor) {
  if (absl::Status s = ValidateId("system_id", system_id); !s.ok()) return s;
  if (actor.role != Role::kService) {
    absl::StatusOr<SystemFacts> system = directory_.System(system_id);
    if (!system.ok()) return system.status();
    if (absl::Status s = CheckReader(system_id, system->lead_authority_id, actor); !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<PublicationPage> listed;
  const absl::Status read = uow_.Run([&](PublicationTransaction& tx) {
    listed = tx.publications().List(system_id, page);
    return listed.status();
  });
  if (!read.ok()) return read;
  return listed;
}

absl::StatusOr<StoredPublication> PublicationUseCases::MarkPublished(
    const std::string& id, const std::string& reference, std::optional<absl::Time> published_at,
    int64_t expected_version, const PublicationCaller& caller) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  StoredPublication result;
  const absl::Status marked = uow_.Run([&](PublicationTransaction& tx) -> absl::Status {
    absl::StatusOr<StoredPublication> stored = tx.publications().LoadForUpdate(id);
    if (!stored.ok()) return stored.status();
    if (expected_version != 0 && expected_version != stored->version) {
      return absl::AbortedError(absl::StrCat("publication ", id, ": version ", expected_version,
                                             " is not the stored ", stored->version));
    }
    const absl::Time now = clock_.Now();
    if (absl::Status s = contracts::MarkPublished(stored->publication, reference,
                                                  published_at.value_or(now), caller.actor, now);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<int64_t> version = tx.publications().Save(stored->publication, stored->version);
    if (!version.ok()) return version.status();
    stored->version = *version;
    if (caller.on_saved) {
      if (absl::Status s = caller.on_saved(tx, *stored); !s.ok()) return s;
    }
    result = *std::move(stored);
    return absl::OkStatus();
  });
  if (!marked.ok()) return marked;
  return result;
}

}  // namespace dps::contracts
