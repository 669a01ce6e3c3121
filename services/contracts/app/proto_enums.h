// The API's values (dps.contracts.v1) of the domain's enums and sources, in one place for the
// events the use cases announce (ipa_events.h) and the messages the API answers
// (api/convert.h). A domain value without an API counterpart maps to the enum's UNSPECIFIED.
#ifndef DPS_SERVICES_CONTRACTS_APP_PROTO_ENUMS_H_
#define DPS_SERVICES_CONTRACTS_APP_PROTO_ENUMS_H_

#include "dps/contracts/v1/contracts.pb.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/kpi.h"
#include "services/contracts/domain/publication.h"

namespace dps::contracts {

::dps::contracts::v1::Party ToProto(Party party);
::dps::contracts::v1::EndingBasis ToProto(EndingBasis basis);
::dps::contracts::v1::EndReason ToProto(EndReason reason);
::dps::contracts::v1::VariationKind ToProto(VariationKind kind);
::dps::contracts::v1::UpliftState ToProto(UpliftState state);
::dps::contracts::v1::PublicationKind ToProto(PublicationKind kind);
::dps::contracts::v1::KpiValueType ToProto(KpiValueType type);
::dps::contracts::v1::KpiReturnState ToProto(KpiReturnState state);
::dps::contracts::v1::PerformanceRating ToProto(PerformanceRating rating);
// Every id is copied (the domain sets only those of the source's kind).
::dps::contracts::v1::IpaSource ToProto(const IpaSource& source);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_PROTO_ENUMS_H_
