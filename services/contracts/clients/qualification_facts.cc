#include "services/contracts/clients/qualification_facts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/grpc/client.h"
#include "platform/grpc/status.h"
#include "services/contracts/api/convert.h"

namespace dps::contracts {
namespace {

namespace qv1 = ::dps::qualification::v1;

constexpr absl::Duration kTimeout = absl::Seconds(5);

absl::Status Failed(const grpc::Status& status) {
  const absl::Status cause = platform::FromGrpcStatus(status);
  return absl::Status(cause.code(), absl::StrCat("qualification service: ", cause.message()));
}

// A type this version does not know is no type at all: the domain then refuses the IPA.
ProvisionType FromApi(int type) {
  return ProvisionTypeFromProto(type).value_or(ProvisionType::kUnspecified);
}

}  // namespace

ProvisionType PlacementProvisionType(const qv1::Lot& lot, const qv1::Establishment& establishment) {
  for (int type : lot.provision_types()) {
    for (int offered : establishment.provision_types()) {
      if (type == offered) return FromApi(type);
    }
  }
  if (!lot.provision_types().empty()) return FromApi(lot.provision_types(0));
  if (!establishment.provision_types().empty()) return FromApi(establishment.provision_types(0));
  return ProvisionType::kUnspecified;
}

template <typename Request, typename Response>
absl::Status QualificationFacts::Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                   const Request&, Response*),
                                      const std::string& request_id, const Request& request,
                                      Response& response) const {
  grpc::ClientContext context;
  platform::PrepareServiceCall(request_id, kTimeout, tokens_, &context);
  if (grpc::Status s = ((*stub_).*method)(&context, request, &response); !s.ok()) {
    return Failed(s);
  }
  return absl::OkStatus();
}

absl::StatusOr<AwardFacts> QualificationFacts::FactsOf(const std::string& request_id,
                                                       const std::string& system_id,
                                                       const std::string& lot_id,
                                                       const std::string& establishment_id) const {
  qv1::GetPurchasingSystemRequest system_request;
  system_request.set_id(system_id);
  qv1::PurchasingSystem system;
  if (absl::Status s = Call(&Stub::GetPurchasingSystem, request_id, system_request, system);
      !s.ok()) {
    return s;
  }
  qv1::GetLotRequest lot_request;
  lot_request.set_id(lot_id);
  qv1::Lot lot;
  if (absl::Status s = Call(&Stub::GetLot, request_id, lot_request, lot); !s.ok()) return s;
  qv1::GetEstablishmentRequest establishment_request;
  establishment_request.set_id(establishment_id);
  qv1::Establishment establishment;
  if (absl::Status s =
          Call(&Stub::GetEstablishment, request_id, establishment_request, establishment);
      !s.ok()) {
    return s;
  }
  qv1::GetProviderRequest provider_request;
  provider_request.set_id(establishment.provider_id());
  qv1::Provider provider;
  if (absl::Status s = Call(&Stub::GetProvider, request_id, provider_request, provider); !s.ok()) {
    return s;
  }
  AwardFacts facts;
  facts.lead_authority_id = system.lead_authority_id();
  for (const qv1::ParticipatingAuthority& authority : system.authorities()) {
    facts.authority_names[authority.authority_id()] = authority.name();
  }
  facts.provider_name = provider.name();
  facts.establishment_name = establishment.name();
  std::vector<std::string> address(establishment.address().lines().begin(),
                                   establishment.address().lines().end());
  for (const std::string* part :
       {&establishment.address().town(), &establishment.address().postcode()}) {
    if (!part->empty()) address.push_back(*part);
  }
  facts.establishment_address = absl::StrJoin(address, ", ");
  facts.provision_type = PlacementProvisionType(lot, establishment);
  facts.notice_period_days = lot.terms().notice_period_days();
  for (const qv1::VocabularyTerm& term : lot.additional_services()) {
    facts.service_labels[term.code()] = term.label();
  }
  return facts;
}

}  // namespace dps::contracts
