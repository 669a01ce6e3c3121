#include "services/contracts/clients/system_directory.h"

#include "services/contracts/clients/peer_call.h"

namespace dps::contracts {
namespace {

namespace qv1 = ::dps::qualification::v1;

Regime RegimeOf(int regime) {
  switch (regime) {
    case dps::common::v1::REGIME_PCR2015_DPS:
      return Regime::kPcr2015Dps;
    case dps::common::v1::REGIME_LIGHT_TOUCH:
      return Regime::kLightTouch;
    case dps::common::v1::REGIME_PA2023_DYNAMIC_MARKET:
      return Regime::kPa2023DynamicMarket;
    default:
      return Regime::kUnspecified;
  }
}

}  // namespace

SystemFacts SystemFactsOf(const qv1::PurchasingSystem& system) {
  SystemFacts facts;
  facts.id = system.id();
  facts.name = system.name();
  facts.regime = RegimeOf(system.regime());
  facts.lead_authority_id = system.lead_authority_id();
  for (const qv1::ParticipatingAuthority& authority : system.authorities()) {
    facts.authority_ids.push_back(authority.authority_id());
    if (authority.authority_id() == system.lead_authority_id()) {
      facts.lead_authority_name = authority.name();
    }
  }
  return facts;
}

absl::StatusOr<SystemFacts> QualificationSystemDirectory::System(
    const std::string& system_id) const {
  qv1::GetPurchasingSystemRequest request;
  request.set_id(system_id);
  qv1::PurchasingSystem system;
  // No request id reaches here (the interface takes the system only); the call still carries
  // this service's token and a deadline.
  if (absl::Status s = CallPeer("qualification service", *stub_,
                                &qv1::QualificationService::Stub::GetPurchasingSystem, tokens_, "",
                                request, system);
      !s.ok()) {
    return s;
  }
  return SystemFactsOf(system);
}

}  // namespace dps::contracts
