// Translation between the API's records (dps.qualification.v1) and the domain's structs
// (services/qualification/domain). The handlers load API records, build the domain view, run a
// domain function, and write its result back into the API record with these.
//
// Identifiers: the domain names lots and criteria by code; here a lot's code in the domain is the
// lot's id and a criterion's code is the criterion's id, so domain results map back one to one.
#ifndef DPS_SERVICES_QUALIFICATION_CONVERT_CONVERT_H_
#define DPS_SERVICES_QUALIFICATION_CONVERT_CONVERT_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "platform/auth/identity.h"
#include "platform/proto/proto_time.h"
#include "services/qualification/domain/alert.h"
#include "services/qualification/domain/application.h"
#include "services/qualification/domain/audit.h"
#include "services/qualification/domain/establishment.h"
#include "services/qualification/domain/evidence.h"
#include "services/qualification/domain/inspection_rating.h"
#include "services/qualification/domain/membership.h"
#include "services/qualification/domain/participation.h"
#include "services/qualification/domain/provider.h"
#include "services/qualification/domain/purchasing_system.h"
#include "services/qualification/domain/system_lifecycle.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;

using platform::FromDate;
using platform::FromTimestamp;
using platform::ToDate;
using platform::ToTimestamp;

// The domain view of a system with its lots and the criteria that apply to each (retired ones
// left out). InvalidArgument naming the field when the stored configuration cannot be expressed
// (e.g. a validity period that is not a whole number of months).
absl::StatusOr<PurchasingSystem> ToDomainSystem(const v1::PurchasingSystem& system,
                                                const std::vector<v1::Lot>& lots,
                                                const std::vector<v1::Criterion>& criteria);
absl::StatusOr<Lot> ToDomainLot(const v1::Lot& lot, const std::vector<v1::Criterion>& criteria);

// A participant as the domain's participation rules see it (an unset body type is a local
// authority). InvalidArgument naming `path`.body_type for a body type the API does not define.
absl::StatusOr<Participant> ToDomainParticipant(const v1::ParticipatingAuthority& authority,
                                                absl::string_view path);
// The system's participants in the order it lists them, each named `path`[i] in a refusal.
absl::StatusOr<std::vector<Participant>> ParticipantsOf(const v1::PurchasingSystem& system,
                                                        absl::string_view path);

// The regime an API value names; InvalidArgument naming `path` when it names none.
absl::StatusOr<Regime> ToDomainRegime(dps::common::v1::Regime regime, absl::string_view path);
// The life stage an API value names; InvalidArgument naming `path` when it names none.
absl::StatusOr<SystemState> ToDomainState(v1::PurchasingSystemState state, absl::string_view path);
// A stored system's life stage.
SystemState StateOf(const v1::PurchasingSystem& system);

// How the system qualifies; an unset mode is the product's default, WEIGHTED.
QualificationMode QualificationModeOf(const v1::PurchasingSystem& system);

// The domain caller for alert visibility: lead admins, evaluators and auditors act for the
// system when their organisation is its lead authority.
Caller ToDomainCaller(const platform::CallerIdentity& caller, const v1::PurchasingSystem& system);
Caller ToDomainCaller(const platform::CallerIdentity& caller, const PurchasingSystem& system);

// Evidence by id, for the expiry dates of answers.
using EvidenceById = std::vector<v1::Evidence>;

// The domain application from the API record: one part per item, with the answers to the
// criteria of its lot (the establishment's, and the provider-scope ones), their evidence's expiry,
// the commercial submission and the evaluators' findings.
absl::StatusOr<Application> ToDomainApplication(const v1::Application& application,
                                                const PurchasingSystem& system,
                                                const EvidenceById& evidence);

// Writes what the domain changed (state, deadline, history, decisions) back into the record.
void UpdateFromDomain(const Application& domain, v1::Application& application);

// `status` with the field path it starts with renamed from `domain_field` (the domain's name for
// it, followed by ':', '.' or '[') to `api_field` (what the caller sent); any other status as it
// is. The domain names fields as its own types do.
absl::Status RenameField(absl::Status status, absl::string_view domain_field,
                         absl::string_view api_field);

// A refusal of application `domain` (made by ToDomainApplication from `record`) with its field
// path as the record holds it: the domain's part i is items[i] (its lot_code the item's lot_id),
// its answer j the response it was made from (responses[k], criterion_code and criterion_version
// its criterion_id, evidence_expires its evidence_ids), a part's answers the responses and its
// prices the commercial submissions. Other statuses, and paths the domain did not take from the
// record, are returned as they are.
absl::Status ApplicationInRequestTerms(absl::Status status, const v1::Application& record,
                                       const Application& domain);

// A piece of evidence between the API and the domain: the whole record (EXPIRING, a report, is
// VALID as kept). InvalidArgument naming issued_on or expires_on for a date that is none.
absl::StatusOr<Evidence> ToDomainEvidence(const v1::Evidence& evidence);
v1::Evidence ToApiEvidence(const Evidence& evidence);

// A membership between the API and the domain: the whole record but what is reported beside it
// when read (current_rating, open_alert_count, rank) and the score history, which is kept apart
// (membership_scores) and passed in. `last_audited_at` is when it was last audited, unset until
// its first audit. A suspension of the record is one failed item of the domain's (the record
// keeps one per item). InvalidArgument naming a date that is none.
absl::StatusOr<Membership> ToDomainMembership(const v1::Membership& membership,
                                              std::vector<ScoreEntry> scores,
                                              std::optional<absl::Time> last_audited_at);
v1::Membership ToApiMembership(const Membership& membership);

// A provider between the API and the domain: the whole record. A provider's spec is its details.
Provider ToDomainProvider(const v1::Provider& provider);
v1::Provider ToApiProvider(const Provider& provider);
ProviderDetails ToDomainDetails(const v1::ProviderSpec& spec);

// An establishment between the API and the domain: the whole record. Its spec is its details.
Establishment ToDomainEstablishment(const v1::Establishment& establishment);
v1::Establishment ToApiEstablishment(const Establishment& establishment);
EstablishmentDetails ToDomainDetails(const v1::EstablishmentSpec& spec);

// The system's audit interval: its rule, or the domain's default when the rule is 0.
int AuditIntervalMonths(const v1::SystemRules& rules);

AlertSeverity ToDomain(v1::AlertSeverity severity);
v1::AlertSeverity ToApi(AlertSeverity severity);
v1::AlertStatus ToApi(AlertStatus status);
v1::SuspensionReason ToApi(SuspensionCause cause);
InspectionGrade ToDomainGrade(v1::Rating rating);

// An alert between the API and the domain: every field but the version (the stored one is the
// repository's), so a stored alert round-trips.
Alert ToDomainAlert(const v1::SafeguardingAlert& alert);
v1::SafeguardingAlert ToApiAlert(const Alert& alert);

// An inspection rating between the API and the domain, and a row of an inspectorate's file as
// the outcome it reports. InvalidArgument naming inspected_on or published_on for a date that is
// none.
absl::StatusOr<InspectionRating> ToDomainRating(const v1::InspectionRating& rating);
v1::InspectionRating ToApiRating(const InspectionRating& rating);
absl::StatusOr<InspectionOutcome> ToDomainOutcome(const v1::InspectionRatingRow& row);
RatingSource ToDomain(v1::RatingSource source);
Inspectorate ToDomain(v1::Inspectorate inspectorate);
v1::Inspectorate ToApi(Inspectorate inspectorate);
Judgement ToDomainJudgement(v1::Rating rating);
v1::Rating ToApi(Judgement judgement);

// An audit between the API and the domain. The API's record has no provider (the establishment's
// is the stored audit's `provider_id`); InvalidArgument naming due_on for a date that is none.
absl::StatusOr<Audit> ToDomainAudit(const v1::Audit& audit, std::string provider_id);
v1::Audit ToApiAudit(const Audit& audit);
// The findings a result request records, as the domain reads them.
std::vector<AuditFinding> ToDomainFindings(
    const google::protobuf::RepeatedPtrField<v1::CriterionResult>& results);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_CONVERT_CONVERT_H_
