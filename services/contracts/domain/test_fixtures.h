// Test-only builders shared by the contracts domain tests: a fostering placement for a year from
// Thursday 1 April 2027 at £850 a week less a 5% sibling discount, with 1:1 support at £300 a
// week to 30 June and therapy at £100 a week to the end; the people who act on it; a renderer
// whose hash names the version; and the IPA in each state of its life cycle. Each test changes
// one thing from these and expects one outcome.

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_TEST_FIXTURES_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_TEST_FIXTURES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "platform/testing/status_matchers.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/variation.h"

namespace dps::contracts::testing {

using Day = absl::CivilDay;

// An instant in UTC.
inline absl::Time Utc(int y, int m, int d, int hh = 12, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

inline std::string Message(const absl::Status& s) { return std::string(s.message()); }

// "Now" when the IPA is made, issued and signed: Monday 1 March 2027, noon UTC.
inline absl::Time Now() { return Utc(2027, 3, 1); }
// The day after the placement starts.
inline absl::Time AfterStart() { return Utc(2027, 4, 2); }

inline Actor Officer() { return {"officer-1", Role::kPlacingOfficer, "west-sussex"}; }
inline Actor Commissioner() { return {"commissioner-1", Role::kCommissioner, "west-sussex"}; }
inline Actor ProviderUser() { return {"provider-user-1", Role::kProviderUser, "acme-care"}; }
inline Actor Service() { return {"contracts", Role::kService, ""}; }

// A hash that names the version, "000...01f" for version 31: distinct per version, as the
// renderer's real SHA-256 of distinct bytes would be.
inline std::string HashOf(int version_number) { return absl::StrFormat("%064x", version_number); }

class FakeRenderer final : public VersionRenderer {
 public:
  absl::StatusOr<Rendering> Render(const Ipa&, const IpaVersion& version) const override {
    if (!fail_.ok()) return fail_;
    return Rendering{HashOf(version.number), 4096};
  }
  absl::Status fail_ = absl::OkStatus();
};

inline IpaTerms ValidTerms() {
  IpaTerms terms;
  terms.purposes = {"A stable foster home while the care plan is completed"};
  terms.start_date = Day(2027, 4, 1);
  terms.planned_end_date = Day(2029, 3, 31);
  terms.contacts = {
      {Party::kPlacingAuthority, "social worker", "Sam Jones", "sam.jones@westsussex.gov.uk",
       "01243 777100"},
      {Party::kProvider, "supervising social worker", "Ali Khan", "ali@acme-care.example", ""}};
  terms.costs.core_weekly_fee_pence = 85'000;
  terms.costs.discounts = {{DiscountKind::kSibling, 500}};
  terms.costs.additional_services = {
      {"1to1-support", "Ten hours a week of one-to-one support", 30'000, std::nullopt,
       Day(2027, 6, 30)},
      {"therapy", "Weekly play therapy", 10'000, std::nullopt, Day(2029, 3, 31)}};
  terms.costs.allowances = {{"pocket money", 1'000, AllowanceFrequency::kWeekly, true}};
  terms.costs.payment_terms = "Invoiced four-weekly in arrears, paid within 30 days";
  terms.documents = {{"Terms and conditions", "documents/terms-2027.pdf", HashOf(900)}};
  return terms;
}

inline IpaSpec ValidSpec() {
  IpaSpec spec;
  spec.id = "ipa-1";
  spec.system_id = "system-1";
  spec.lead_authority_id = "authority-lead";
  spec.lot_id = "lot-fostering";
  spec.source = {SourceKind::kAward, "referral-1", "bid-7", "", "", ""};
  spec.parties = {"west-sussex", "acme-care", "acme-care-horsham"};
  spec.provision_type = ProvisionType::kFostering;
  spec.terms = ValidTerms();
  return spec;
}

inline Ipa Draft() {
  absl::StatusOr<Ipa> ipa = CreateIpa(ValidSpec(), Service(), Now() - absl::Hours(1));
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

inline Ipa Issued() {
  Ipa ipa = Draft();
  REQUIRE(Issue(ipa, FakeRenderer(), Officer(), Now()) == absl::OkStatus());
  return ipa;
}

inline absl::Status SignAs(Ipa& ipa, const Actor& by, const std::string& hash,
                           absl::Time at = Now()) {
  return Sign(ipa, {hash, "A. Signer", "Head of Service"}, by, at);
}

// Both parties sign the version awaiting signatures.
inline void SignBoth(Ipa& ipa, absl::Time at = Now()) {
  const std::string hash = ipa.awaiting_signatures()->document_sha256;
  REQUIRE(SignAs(ipa, Officer(), hash, at) == absl::OkStatus());
  REQUIRE(SignAs(ipa, ProviderUser(), hash, at) == absl::OkStatus());
}

inline Ipa Signed() {
  Ipa ipa = Issued();
  SignBoth(ipa);
  REQUIRE(ipa.state == IpaState::kSigned);
  return ipa;
}

inline Ipa Active() {
  Ipa ipa = Signed();
  REQUIRE(Activate(ipa, Utc(2027, 4, 1, 0, 5)) == absl::OkStatus());
  return ipa;
}

// Ended by mutual agreement on 2 April 2027, the day after it started.
inline Ipa Ended() {
  Ipa ipa = Active();
  const AgreementInput agreement{Day(2027, 4, 2), EndReason::kPlacementBreakdown, ""};
  REQUIRE(AgreeEnding(ipa, agreement, Officer(), Utc(2027, 4, 2, 9)) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, agreement, ProviderUser(), Utc(2027, 4, 2, 9)) == absl::OkStatus());
  REQUIRE(End(ipa, Utc(2027, 4, 2, 10)) == absl::OkStatus());
  return ipa;
}

// A variation: 1:1 support extended from 30 June to 30 September, from 1 May.
inline VariationInput Extension() {
  VariationInput input;
  input.kind = VariationKind::kAdditionalServices;
  input.reason = "Support extended after the review";
  input.terms = ValidTerms();
  input.terms.costs.additional_services[0].end_date = Day(2027, 9, 30);
  input.effective_from = Day(2027, 5, 1);
  return input;
}

inline Ipa Cancelled() {
  Ipa ipa = Draft();
  REQUIRE(Cancel(ipa, "The placement fell through", Officer(), Now()) == absl::OkStatus());
  return ipa;
}

// The IPA in `state`, built as above.
inline Ipa InState(IpaState state) {
  switch (state) {
    case IpaState::kDraft:
      return Draft();
    case IpaState::kIssued:
      return Issued();
    case IpaState::kSigned:
      return Signed();
    case IpaState::kActive:
      return Active();
    case IpaState::kEnded:
      return Ended();
    case IpaState::kCancelled:
      return Cancelled();
  }
  return Draft();
}

}  // namespace dps::contracts::testing

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_TEST_FIXTURES_H_
