#include "services/referral/clients/testing/fake_qualification_client.h"

#include "absl/strings/str_cat.h"

namespace dps::referral::testing {
namespace {

absl::Status Unreachable() {
  return absl::UnavailableError("qualification service: connection refused");
}

// The record `id` of `records`, or NOT_FOUND naming it.
template <typename Record>
absl::StatusOr<Record> Find(const std::map<std::string, Record>& records, absl::string_view kind,
                            const std::string& id) {
  auto found = records.find(id);
  if (found == records.end())
    return absl::NotFoundError(absl::StrCat(kind, " ", id, ": not found"));
  return found->second;
}

}  // namespace

absl::StatusOr<qv1::PurchasingSystem> FakeQualificationClient::System(
    const std::string&, const std::string& system_id) const {
  if (down) return Unreachable();
  return Find(systems, "purchasing system", system_id);
}

absl::StatusOr<qv1::Lot> FakeQualificationClient::Lot(const std::string&,
                                                      const std::string& lot_id) const {
  if (down) return Unreachable();
  return Find(lots, "lot", lot_id);
}

absl::StatusOr<qv1::Establishment> FakeQualificationClient::Establishment(
    const std::string&, const std::string& establishment_id) const {
  if (down) return Unreachable();
  return Find(establishments, "establishment", establishment_id);
}

absl::StatusOr<qv1::Membership> FakeQualificationClient::Membership(
    const std::string&, const std::string& membership_id) const {
  if (down) return Unreachable();
  return absl::NotFoundError(absl::StrCat("membership ", membership_id, ": not found"));
}

absl::StatusOr<std::vector<std::string>> FakeQualificationClient::LotsOf(const std::string&,
                                                                         const std::string&) const {
  if (down) return Unreachable();
  std::vector<std::string> out;
  for (const auto& [id, lot] : lots) out.push_back(id);
  return out;
}

absl::StatusOr<bool> FakeQualificationClient::QualifiedMember(
    const std::string&, const std::string&, const std::string& establishment_id) const {
  if (down) return Unreachable();
  return establishments.contains(establishment_id);
}

absl::StatusOr<qv1::ExplainEligibilityResponse> FakeQualificationClient::Explain(
    const std::string&, const qv1::EligibilityQuery&, const std::string& establishment_id) const {
  if (down) return Unreachable();
  qv1::ExplainEligibilityResponse out;
  for (const qv1::EligibleEstablishment& each : eligible) {
    if (each.establishment_id() == establishment_id) out.set_eligible(true);
  }
  if (!out.eligible()) {
    qv1::EligibilityCheck& check = *out.add_checks();
    check.set_detail("not among the eligible establishments of this register");
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> FakeQualificationClient::Ranking(
    const std::string&, const std::string&) const {
  if (down) return Unreachable();
  std::vector<std::string> out;
  for (const qv1::EligibleEstablishment& each : eligible) out.push_back(each.establishment_id());
  return out;
}

absl::StatusOr<std::vector<qv1::EligibleEstablishment>> FakeQualificationClient::Eligible(
    const std::string&, const qv1::EligibilityQuery&) const {
  if (down) return Unreachable();
  ++searches;
  return eligible;
}

FakeQualificationClient OneLotRegister(dps::common::v1::Regime regime) {
  FakeQualificationClient qualification;
  qv1::PurchasingSystem& system = qualification.systems["system-1"];
  system.set_id("system-1");
  system.set_lead_authority_id("west-sussex");
  system.set_state(qv1::PURCHASING_SYSTEM_STATE_LIVE);
  system.set_regime(regime);
  qv1::ParticipatingAuthority& brighton = *system.add_authorities();
  brighton.set_authority_id("brighton-and-hove");
  brighton.add_lot_codes("HOMES");
  qv1::Lot& lot = qualification.lots["lot-homes"];
  lot.set_id("lot-homes");
  lot.set_system_id("system-1");
  lot.set_code("HOMES");
  lot.set_state(qv1::LOT_STATE_OPEN);
  lot.mutable_terms()->set_price_basis(dps::common::v1::PRICE_BASIS_WEEKLY);
  qv1::Establishment& establishment = qualification.establishments["establishment-7"];
  establishment.set_id("establishment-7");
  establishment.set_provider_id("provider-3");
  qualification.eligible.emplace_back().set_establishment_id("establishment-7");
  return qualification;
}

}  // namespace dps::referral::testing
