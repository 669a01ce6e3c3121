// Translation between the contracts domain (services/contracts/domain) and the API's messages
// (dps.contracts.v1). A handler turns what the client sent into domain values with the *FromProto
// functions, runs a domain function, and answers with IpaToProto; nothing here decides a rule.
//
// From the client: an enum value the proto does not define (a client may send any number) is
// InvalidArgument naming the field, "terms.contacts[2].party: unknown value 99"; every other rule
// (lengths, amounts, dates in order) is the domain's, so the same input gets the same words
// wherever it arrives. To the client: every field the domain holds; what it does not hold yet
// (organisation names, the children, template ids) stays empty.
//
//   absl::StatusOr<IpaTerms> terms = TermsFromProto(request.terms());
//   if (!terms.ok()) return terms.status();
//   ... UpdateDraft(ipa, *std::move(terms), actor, now) ...
//   IpaToProto(ipa, stored_version, today, /*children_visible=*/true, &response);
#ifndef DPS_SERVICES_CONTRACTS_API_CONVERT_H_
#define DPS_SERVICES_CONTRACTS_API_CONVERT_H_

#include <google/protobuf/repeated_field.h>

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "dps/common/v1/common.pb.h"
#include "dps/contracts/v1/contracts.pb.h"
#include "platform/auth/identity.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/kpi.h"
#include "services/contracts/domain/publication.h"
#include "services/contracts/domain/terms.h"
#include "services/contracts/domain/variation.h"

namespace dps::contracts {

namespace cv1 = ::dps::contracts::v1;
namespace common = ::dps::common::v1;

// Writes the whole IPA into `out` (cleared first), as GetIpa and every change answer it.
//   - `version` is the stored record's optimistic-concurrency number (Ipa.version), which the
//     domain does not hold.
//   - `terms` are ipa.terms(): the version in force, else the one awaiting signatures, else the
//     draft. Costs are weekly (price_basis WEEKLY, core_fee = core_weekly_fee); each discount's
//     weekly_amount is its basis points of the core fee rounded half up, as costs.h rounds; each
//     additional service is written as a weekly rate (unit WEEKLY, 1 unit, rate = weekly_cost).
//   - `total_weekly_fee` is what is charged on `today` (the caller's clock, a UTC day): costs.h's
//     WeeklyCostOn, from the version in force that day, which after a signed variation that
//     takes effect later is not yet the terms shown. When no signed version governs `today` (a
//     draft, an issued IPA, a signed one before its start) it is the shown terms priced on their
//     start date (or `today`, if later) with WeeklyCostOfTerms; an ended IPA is priced on its
//     last day; a draft without a start date yet is the core fee less discounts (no additional
//     service can be placed in time).
//   - `ending` is set when an ending is scheduled or reached, or when either party has agreed an
//     end date; `scheduled` is true while an ending waits for its date (not once ENDED).
//   - history entries name states as the API's enum does ("IPA_STATE_SIGNED") and roles as
//     dps.common.v1.Role does ("ROLE_PLACING_OFFICER"); an entry the server's timer made has no
//     actor.
//   - `children` only when `children_visible` (the caller is the placing authority or the
//     provider); otherwise they are left out and `children_redacted` is true.
void IpaToProto(const Ipa& ipa, int64_t version, absl::CivilDay today, bool children_visible,
                cv1::Ipa* out);

// An ending's reason as a client sends it; an unknown value is InvalidArgument naming `field`.
absl::StatusOr<EndReason> EndReasonFromProto(int reason, absl::string_view field);

// The children a client sends (UpdateIpaDraftRequest.children), their enums checked; the rules
// are the domain's (ValidateChildren, run by SetChildren).
absl::StatusOr<std::vector<ChildIdentity>> ChildrenFromProto(
    const google::protobuf::RepeatedPtrField<cv1::ChildIdentity>& children);

// The terms a client sends (UpdateIpaDraftRequest.terms) as the domain's, checked with
// ValidateTerms("terms", ...) so its errors name the field under "terms.". Only weekly fees are
// taken: a price_basis other than WEEKLY or UNSPECIFIED is InvalidArgument
// "terms.costs.price_basis: only weekly fees are taken here". Output-only fields
// (core_weekly_fee, total_weekly_fee, a discount's weekly_amount, the incentive's earned flags)
// are ignored.
//
// An additional service's weekly cost is `weekly_cost` when given (what IpaToProto writes, so
// terms read back unchanged); when it is 0 the `rate` is taken as the weekly cost, and then only
// as a weekly rate (unit WEEKLY or UNSPECIFIED, units 0 or 1): an hourly rate is InvalidArgument
// "terms.costs.additional_services[0].unit: only weekly rates are taken here: send weekly_cost".
// Converting hours to weeks is the referral's pricing, not this service's.
absl::StatusOr<IpaTerms> TermsFromProto(const cv1::IpaTerms& terms);

// The source a client names (CreateIpaRequest.source), checked with ValidateSource("source", ...):
// the ids of its kind are identifiers and no other id is set.
absl::StatusOr<IpaSource> SourceFromProto(const cv1::IpaSource& source);

// Writes `source` into `out`; every id is copied (the domain sets only those of its kind).
void SourceToProto(const IpaSource& source, cv1::IpaSource* out);

// The states a list is filtered by (ListIpasRequest.states), in order. IPA_STATE_UNSPECIFIED or a
// value the proto does not define is InvalidArgument "states[1]: ...".
absl::StatusOr<std::vector<IpaState>> StatesFromProto(
    const google::protobuf::RepeatedField<int>& states);

// The API's value of a domain state.
cv1::IpaState StateToProto(IpaState state);

// A dps.common.v1.ProvisionType value as the domain's. PROVISION_TYPE_UNSPECIFIED is
// ProvisionType::kUnspecified (the domain refuses it where a type is required, in its own words);
// a value the proto does not define is InvalidArgument "provision_type: unknown value 99".
absl::StatusOr<ProvisionType> ProvisionTypeFromProto(int provision_type);

// A variation as ListVariations and the variation RPCs answer it: `version` of `ipa`, which must
// be a variation (origin kVariation). Its state is PROPOSED while it awaits signatures, SIGNED
// once both parties signed it (in force, or superseded by a later version since), REJECTED or
// WITHDRAWN.
void VariationToProto(const Ipa& ipa, const IpaVersion& version, cv1::Variation* out);

// What a client proposes (ProposeVariationRequest): the kind checked as an enum, the terms as
// TermsFromProto takes them, the effective date as a date; the rules are the domain's.
absl::StatusOr<VariationInput> VariationFromProto(const cv1::ProposeVariationRequest& request);

// An uplift as the fee uplift RPCs answer it; approved_core_fee and variation_id only once an
// approval proposed its variation.
void UpliftToProto(const FeeUplift& uplift, cv1::FeeUpliftRequest* out);

// What a provider asks (RequestFeeUpliftRequest): each cost pressure's category checked as an
// enum (UNSPECIFIED passes as empty, which the domain refuses as "required").
absl::StatusOr<UpliftRequestInput> UpliftRequestFromProto(
    const cv1::RequestFeeUpliftRequest& request);

// What a commissioner decides (DecideFeeUpliftRequest). decision UNSPECIFIED is "decision:
// required"; REQUESTED and WITHDRAWN pass through for the domain to refuse.
absl::StatusOr<UpliftDecision> UpliftDecisionFromProto(const cv1::DecideFeeUpliftRequest& request);

// The states an uplift list is filtered by, in order; UNSPECIFIED or an undefined value is
// InvalidArgument "states[1]: ...".
absl::StatusOr<std::vector<UpliftState>> UpliftStatesFromProto(
    const google::protobuf::RepeatedField<int>& states);

// A publication as the publication RPCs answer it; `package` is its release package's bytes
// (empty in lists, which leave release_package_json out).
void PublicationToProto(const Publication& publication, const std::string& package,
                        cv1::Publication* out);

// A publication kind a client names; UNSPECIFIED is "<field>: required", an undefined value
// InvalidArgument naming `field`.
absl::StatusOr<PublicationKind> PublicationKindFromProto(int kind, absl::string_view field);

// The quarter a client names (the domain checks its range), nullopt when the field is unset.
std::optional<Quarter> QuarterFromProto(const cv1::ProducePublicationRequest& request);

// KPI definitions as a lead authority sends them (SetKpiDefinitionsRequest.definitions), each
// value type and provision type checked as an enum ("definitions[2].value_type: unknown value
// 9"); the rules are the domain's.
absl::StatusOr<std::vector<KpiDefinition>> KpiDefinitionsFromProto(
    const google::protobuf::RepeatedPtrField<cv1::KpiDefinition>& definitions);
void KpiDefinitionSetToProto(const KpiDefinitionSet& set, cv1::KpiDefinitionSet* out);

// A period a client names: nullopt when neither day is given, "<field>.start: required" (or
// end) when only one is; the order is the domain's to check.
absl::StatusOr<std::optional<DateRange>> DateRangeFromProto(const common::DateRange& range,
                                                            absl::string_view field);

// A provider's return (SubmitKpiReturnRequest) as the domain takes it.
absl::StatusOr<KpiReturnInput> KpiReturnFromProto(const cv1::SubmitKpiReturnRequest& request);
void KpiReturnToProto(const KpiReturn& kpi_return, cv1::KpiReturn* out);

// A lead authority's review (RecordPerformanceReviewRequest), its rating checked as an enum.
absl::StatusOr<PerformanceReviewInput> PerformanceReviewFromProto(
    const cv1::RecordPerformanceReviewRequest& request);
void PerformanceReviewToProto(const PerformanceReview& review, cv1::PerformanceReview* out);

// The domain's actor for a verified caller: same user and organisation, the role mapped one to
// one (ROLE_SERVICE is Role::kService). ROLE_UNSPECIFIED or an undefined role is PermissionDenied
// "role: not recognised": a token without a known role may do nothing.
absl::StatusOr<Actor> ActorOf(const platform::CallerIdentity& caller);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_API_CONVERT_H_
