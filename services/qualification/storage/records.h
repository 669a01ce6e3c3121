// Reading and writing the register's records (migration 0003): purchasing systems, lots,
// criteria, providers, establishments, evidence, applications, memberships with their score
// history, inspection ratings and safeguarding alerts. Every function takes the caller's
// transaction, so a change, its history and its outbox event commit together.
//
// Save* functions bump the record's version; a caller that was given expected_version checks it
// first (CheckVersion). Loads with for_update lock the row until the transaction ends, which is
// how two concurrent changes of one record are serialised.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_RECORDS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_RECORDS_H_

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/domain/membership.h"
#include "services/qualification/storage/documents.h"

namespace dps::qualification {

namespace v1 = ::dps::qualification::v1;

// Purchasing systems, lots and criteria.
absl::Status InsertSystem(pqxx::work& tx, const v1::PurchasingSystem& system);
absl::Status SaveSystem(pqxx::work& tx, v1::PurchasingSystem& system);
absl::Status LoadSystem(pqxx::work& tx, const std::string& id, bool for_update,
                        v1::PurchasingSystem& system);
// The LIVE systems whose last valid day (validity.current_end, kept as `ends_on`) is before
// `today`, oldest end first, at most `limit`, locked; those another transaction holds are skipped
// (the closing timer on several replicas).
absl::StatusOr<std::vector<std::string>> LiveSystemsEndedBy(pqxx::work& tx, absl::CivilDay today,
                                                            int limit);
// Every system in which the establishment holds a membership of a lot, in any state, by id.
absl::StatusOr<std::vector<v1::PurchasingSystem>> SystemsWithMember(
    pqxx::work& tx, const std::string& establishment_id);
absl::Status InsertLot(pqxx::work& tx, const v1::Lot& lot);
absl::StatusOr<std::vector<v1::Lot>> LotsOf(pqxx::work& tx, const std::string& system_id);
absl::Status SaveLot(pqxx::work& tx, v1::Lot& lot);
// Sets lot.qualification_scored: whether a weighted criterion in force applies to the lot (the
// `weighted` column the criteria keep; a pass/fail-only system has none in force, see
// CheckCriteriaFitMode).
absl::Status FillQualificationScored(pqxx::work& tx, v1::Lot& lot);
absl::Status InsertCriterion(pqxx::work& tx, const v1::Criterion& criterion);
// Saves a changed criterion (its version already raised) and recomputes which lots are weighted.
absl::Status SaveCriterion(pqxx::work& tx, const v1::Criterion& criterion);
absl::StatusOr<std::vector<v1::Criterion>> CriteriaOf(pqxx::work& tx, const std::string& system_id);

// The register's establishment type (the eligibility query's placement-type filter) for a
// provision type: "childrens_home", "ifa", "short_breaks", ...
std::string RegisterType(dps::common::v1::ProvisionType type);

// Providers: storage/provider_repository.h. Establishments:
absl::Status InsertEstablishment(pqxx::work& tx, const v1::Establishment& establishment);
// Writes the doc and the relational columns the eligibility query reads (InsertEstablishment's)
// at the next version; NotFound "establishment <id>: not found".
absl::Status SaveEstablishment(pqxx::work& tx, v1::Establishment& establishment);
// Every establishment an inspectorate's reference (e.g. an Ofsted URN) names, in id order; none
// when it names none. A reference may name several: a provider's sites registered under one URN.
absl::StatusOr<std::vector<v1::Establishment>> EstablishmentsByRef(pqxx::work& tx,
                                                                   v1::Inspectorate inspectorate,
                                                                   const std::string& ref);

// Evidence: one piece at a time through storage/evidence_repository.h; the list here.
// Which of a provider's evidence to list (ListEvidence), a page at a time.
struct EvidenceFilter {
  std::string provider_id;
  std::string establishment_id;  // empty: any
  std::string
      system_id;  // empty: any; else evidence its memberships rest on or its applications cite
  std::optional<absl::CivilDay> expires_before;
  std::vector<v1::EvidenceState> states;  // empty: any
  // Evidence in force that expires before this day is reported (and filtered) as EXPIRING.
  absl::CivilDay warn_before;
  Page page;
};
// The page, each piece of evidence with the state it is reported in.
absl::Status ListEvidencePage(pqxx::work& tx, const EvidenceFilter& filter,
                              v1::ListEvidenceResponse& response);
// Applications.
absl::Status InsertApplication(pqxx::work& tx, const v1::Application& application);
absl::Status SaveApplication(pqxx::work& tx, v1::Application& application);
// The id of an application of `kind` (a price resubmission or a reinstatement) naming the
// membership that is submitted and awaiting its decision, if any. The caller locks the membership
// first, so that two submissions of one kind for one membership are serialised.
absl::StatusOr<std::optional<std::string>> OpenApplicationFor(pqxx::work& tx,
                                                              const std::string& system_id,
                                                              const std::string& membership_id,
                                                              v1::ApplicationKind kind);

// Memberships: one at a time through storage/membership_repository.h; the lists here.
// Which memberships of one lot to list by score (ListMemberships with order_by_score), a page
// at a time: the filters and the caller's scope of ListMemberships, over one lot.
struct RankedMembershipFilter {
  std::string lot_id;  // required
  std::string system_id;
  std::string provider_id;
  std::string establishment_id;
  std::vector<v1::MembershipState> states;  // empty: any
  // Authority staff listing without a system or lot: the systems this organisation leads (and,
  // unless lead_staff_scope, takes part in). Empty: no narrowing.
  std::string scope_organisation;
  bool lead_staff_scope = false;
  absl::Time as_of;  // the scores in force at this moment
  Page page;
};
// The page of the lot's memberships by the qualification score in force, highest first, ties by
// the earlier qualification then id, each with its `rank`: its place among the lot's QUALIFIED
// memberships (1 the highest), counted before any filter but the lot, so the same whoever asks;
// 0 for a membership in another state. InvalidArgument naming page.page_token for a position
// this list did not write.
absl::Status RankedMembershipsPage(pqxx::work& tx, const RankedMembershipFilter& filter,
                                   v1::ListMembershipsResponse& response);
// Inspection ratings: storage/rating_repository.h; what a drop to Inadequate reads here.
// The criterion an Inadequate rating's suspension names in `system_id`: its inspection-rating
// criterion (the first by id), or "inspection-rating" when it has none.
absl::StatusOr<std::string> InspectionRatingCriterion(pqxx::work& tx, const std::string& system_id);
// Whether `establishment_id` is a member (not excluded) of a system `lead_authority` leads.
absl::StatusOr<bool> LeadsSystemWithMember(pqxx::work& tx, const std::string& establishment_id,
                                           const std::string& lead_authority);
// The systems `establishment_id` is a member (not excluded) of, by id; only those
// `lead_authority` leads unless it is empty.
absl::StatusOr<std::vector<std::string>> SystemsWithMember(pqxx::work& tx,
                                                           const std::string& establishment_id,
                                                           const std::string& lead_authority);

// What a placing authority weighs beside an eligible establishment: its latest inspection rating
// (unset when it has none) and the safeguarding alerts about it in `system_id` not yet closed.
struct EstablishmentStanding {
  v1::Rating rating = v1::RATING_UNSPECIFIED;
  int open_alerts = 0;
};
// Of each of `establishment_ids`, in one query (a page of the eligibility query).
absl::StatusOr<std::map<std::string, EstablishmentStanding>> StandingOf(
    pqxx::work& tx, const std::string& system_id,
    const std::vector<std::string>& establishment_ids);

// Safeguarding alerts: one at a time through storage/alert_repository.h; the list here.
// Which alerts to list (ListSafeguardingAlerts), a page at a time.
struct AlertFilter {
  // The system whose alerts are listed; empty: every system `authority_id` leads or takes part in.
  std::string system_id;
  std::string authority_id;
  // Also the alerts of other systems about the members of those systems (an authority's
  // officers: domain/alert.h, CanSeeThroughMembership).
  bool through_memberships = false;
  std::string establishment_id;           // empty: any
  std::vector<v1::AlertStatus> statuses;  // empty: any
  Page page;
};
absl::Status ListAlertsPage(pqxx::work& tx, const AlertFilter& filter,
                            v1::ListSafeguardingAlertsResponse& response);

// Inspection ratings, by id: of one establishment, of every establishment with a membership (in
// any state) of a lot of one system, or both at once. At least one of the two is set.
struct RatingFilter {
  std::string establishment_id;
  std::string system_id;
  Page page;
};
absl::Status ListRatingsPage(pqxx::work& tx, const RatingFilter& filter,
                             v1::ListInspectionRatingsResponse& response);

// Audits: storage/audit_repository.h. Score adjustments (migration 0004):
absl::Status InsertScoreAdjustment(pqxx::work& tx, const v1::ScoreAdjustment& adjustment,
                                   const Membership& membership);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_RECORDS_H_
