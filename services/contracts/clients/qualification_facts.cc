#include "services/contracts/clients/qualification_facts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/contracts/api/convert.h"
#include "services/contracts/clients/peer_call.h"

namespace dps::contracts {
namespace {

namespace qv1 = ::dps::qualification::v1;

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

absl::StatusOr<AwardFacts> QualificationFacts::FactsOf(const std::string& request_id,
                                                       const std::string& system_id,
                                                       const std::string& lot_id,
                                                       const std::string& establishment_id) const {
  qv1::GetPurchasingSystemRequest system_request;
  system_request.set_id(system_id);
  qv1::PurchasingSystem system;
  if (absl::Status s = CallPeer("qualification service", *stub_, &Stub::GetPurchasingSystem,
                                tokens_, request_id, system_request, system);
      !s.ok()) {
    return s;
  }
  qv1::GetLotRequest lot_request;
  lot_request.set_id(lot_id);
  qv1::Lot lot;
  if (absl::Status s = CallPeer("qualification service", *stub_, &Stub::GetLot, tokens_, request_id,
                                lot_request, lot);
      !s.ok())
    return s;
  qv1::GetEstablishmentRequest establishment_request;
  establishment_request.set_id(establishment_id);
  qv1::Establishment establishment;
  if (absl::Status s = CallPeer("qualification service", *stub_, &Stub::GetEstablishment, tokens_,
                                request_id, establishment_request, establishment);
      !s.ok()) {
    return s;
  }
  qv1::GetProviderRequest provider_request;
  provider_request.set_id(establishment.provider_id());
  qv1::Provider provider;
  if (absl::Status s = CallPeer("qualification service", *stub_, &Stub::GetProvider, tokens_,
                                request_id, provider_request, provider);
      !s.ok()) {
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
