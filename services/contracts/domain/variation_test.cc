#include "services/contracts/domain/variation.h"

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::AfterStart;
using testing::Day;
using testing::Extension;
using testing::FakeRenderer;
using testing::HashOf;
using testing::Message;
using testing::Utc;

TEST_CASE("a variation is a new version in force once both parties sign it") {
  Ipa ipa = testing::Active();
  const absl::StatusOr<int> number =
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::ProviderUser(), AfterStart());
  REQUIRE(number.ok());
  CHECK(*number == 2);
  const IpaVersion& v2 = ipa.versions[1];
  CHECK(v2.origin == VersionOrigin::kVariation);
  CHECK(v2.proposed_by == Party::kProvider);
  CHECK(v2.document_sha256 == HashOf(2));
  CHECK(v2.state == VersionState::kAwaitingSignatures);
  CHECK(ipa.current_version_number == 1);  // not yet signed: version 1 still governs

  testing::SignBoth(ipa, Utc(2027, 4, 5));
  CHECK(ipa.current_version_number == 2);
  CHECK(ipa.versions[1].state == VersionState::kInForce);
  CHECK(ipa.versions[0].state == VersionState::kSuperseded);
  // An issued version's content never changes: version 1 still holds its own terms.
  CHECK(ipa.versions[0].terms == testing::ValidTerms());
  CHECK(ipa.versions[0].document_sha256 == HashOf(1));
  CHECK(ipa.state == IpaState::kActive);
}

TEST_CASE("signing a variation with the hash of the version it replaces is refused") {
  Ipa ipa = testing::Active();
  REQUIRE(
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::Officer(), AfterStart()).ok());
  const absl::Status stale = testing::SignAs(ipa, testing::ProviderUser(), HashOf(1), AfterStart());
  CHECK(stale.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(absl::StrContains(Message(stale), "version 1 is superseded: version 2 awaits signatures"));
  CHECK(ipa.versions[1].signatures.empty());
}

TEST_CASE("one version awaits signatures at a time") {
  Ipa ipa = testing::Active();
  REQUIRE(
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::Officer(), AfterStart()).ok());
  VariationInput other = Extension();
  other.terms.costs.additional_services[0].end_date = Day(2027, 12, 31);
  const absl::Status status =
      ProposeVariation(ipa, other, FakeRenderer(), testing::Officer(), AfterStart()).status();
  CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(status) ==
        "ipa: version 2 awaits signatures; it must be signed, rejected or "
        "withdrawn before another variation");
}

TEST_CASE(
    "a variation must change something, keep a started placement's start, and not reach "
    "back over the version in force") {
  Ipa ipa = testing::Active();
  VariationInput same = Extension();
  same.terms = testing::ValidTerms();
  CHECK(
      Message(
          ProposeVariation(ipa, same, FakeRenderer(), testing::Officer(), AfterStart()).status()) ==
      "terms: the same as version 1: a variation must change something");

  VariationInput moved = Extension();
  moved.terms.start_date = Day(2027, 4, 8);
  CHECK(Message(ProposeVariation(ipa, moved, FakeRenderer(), testing::Officer(), AfterStart())
                    .status()) ==
        "terms.start_date: the placement started on 2027-04-01; it "
        "cannot change");

  VariationInput early = Extension();
  early.effective_from = Day(2027, 3, 31);
  CHECK(Message(ProposeVariation(ipa, early, FakeRenderer(), testing::Officer(), AfterStart())
                    .status()) ==
        "effective_from: must not be before 2027-04-01, when version 1 "
        "took effect, got 2027-03-31");

  VariationInput uplift = Extension();
  uplift.kind = VariationKind::kFeeUplift;
  CHECK(ProposeVariation(ipa, uplift, FakeRenderer(), testing::ProviderUser(), AfterStart())
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(ipa.versions.size() == 1);
}

TEST_CASE("before the placement starts a new start date is the variation's effective date") {
  Ipa ipa = testing::Signed();
  VariationInput moved = Extension();
  moved.kind = VariationKind::kDates;
  moved.terms.start_date = Day(2027, 4, 8);
  moved.effective_from.reset();
  REQUIRE(ProposeVariation(ipa, moved, FakeRenderer(), testing::Officer(), testing::Now()).ok());
  testing::SignBoth(ipa);
  CHECK(ipa.versions[1].effective_from == Day(2027, 4, 8));
  CHECK_FALSE(ActivationDue(ipa, Utc(2027, 4, 7)));
  REQUIRE(Activate(ipa, Utc(2027, 4, 8)) == absl::OkStatus());
  CHECK(ipa.actual_start_date == Day(2027, 4, 8));
}

TEST_CASE("the other party rejects a variation, the proposer withdraws it") {
  Ipa ipa = testing::Active();
  REQUIRE(
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::Officer(), AfterStart()).ok());
  CHECK(RejectVariation(ipa, 2, "No", testing::Commissioner(), AfterStart()).code() ==
        absl::StatusCode::kFailedPrecondition);  // the authority proposed it
  CHECK(WithdrawVariation(ipa, 2, testing::ProviderUser(), AfterStart()).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(Message(RejectVariation(ipa, 2, "", testing::ProviderUser(), AfterStart())) ==
        "reason: required");
  REQUIRE(RejectVariation(ipa, 2, "We cannot staff it past June", testing::ProviderUser(),
                          AfterStart()) == absl::OkStatus());
  CHECK(ipa.versions[1].state == VersionState::kRejected);
  CHECK(ipa.versions[1].rejection_reason == "We cannot staff it past June");
  CHECK(ipa.current_version_number == 1);

  REQUIRE(
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::Officer(), AfterStart()).ok());
  REQUIRE(WithdrawVariation(ipa, 3, testing::Commissioner(), AfterStart()) == absl::OkStatus());
  CHECK(ipa.versions[2].state == VersionState::kWithdrawn);
  CHECK(testing::SignAs(ipa, testing::Officer(), HashOf(3), AfterStart()).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(RejectVariation(ipa, 9, "x", testing::ProviderUser(), AfterStart()).code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("a variation still unsigned when the IPA ends lapses") {
  Ipa ipa = testing::Active();
  REQUIRE(
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::Officer(), AfterStart()).ok());
  const AgreementInput agreement{Day(2027, 4, 2), EndReason::kPlacementBreakdown, ""};
  REQUIRE(AgreeEnding(ipa, agreement, testing::Officer(), AfterStart()) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, agreement, testing::ProviderUser(), AfterStart()) == absl::OkStatus());
  REQUIRE(End(ipa, AfterStart()) == absl::OkStatus());
  CHECK(ipa.versions[1].state == VersionState::kWithdrawn);
  CHECK(ipa.awaiting_signatures() == nullptr);
}

}  // namespace
}  // namespace dps::contracts

namespace dps::contracts {
namespace {

TEST_CASE("SignVariation signs only the variation named while it awaits signatures") {
  Ipa ipa = testing::Active();
  SignInput provider{testing::HashOf(2), "Ali Khan", "Registered manager"};
  // Version 1 is the issued agreement, not a variation; version 2 does not exist yet.
  CHECK(Message(SignVariation(ipa, 1, provider, testing::ProviderUser(), AfterStart())) ==
        "ipa: version 1 is not a variation");
  CHECK(SignVariation(ipa, 2, provider, testing::ProviderUser(), AfterStart()).code() ==
        absl::StatusCode::kNotFound);
  REQUIRE(
      ProposeVariation(ipa, Extension(), FakeRenderer(), testing::Officer(), AfterStart()).ok());
  REQUIRE(SignVariation(ipa, 2, provider, testing::ProviderUser(), AfterStart()).ok());
  CHECK(ipa.versions[1].SignatureOf(Party::kProvider) != nullptr);
  REQUIRE(SignVariation(ipa, 2, {testing::HashOf(2), "Sam Jones", "Head of Service"},
                        testing::Officer(), AfterStart())
              .ok());
  CHECK(ipa.current_version_number == 2);
  CHECK(Message(SignVariation(ipa, 2, provider, testing::ProviderUser(), AfterStart())) ==
        "ipa: cannot sign variation 2: it is IN_FORCE");
}

TEST_CASE("a variation id is the IPA id and the version number") {
  CHECK(VariationId("ipa-1f3a", 2) == "ipa-1f3a.v2");
  absl::StatusOr<VariationRef> ref = ParseVariationId("variation_id", "ipa-1f3a.v12");
  REQUIRE(ref.ok());
  CHECK(ref->ipa_id == "ipa-1f3a");
  CHECK(ref->version_number == 12);
  // The last ".v" splits, so an IPA id holding ".v" reads back whole.
  ref = ParseVariationId("variation_id", VariationId("a.v3", 4));
  REQUIRE(ref.ok());
  CHECK(ref->ipa_id == "a.v3");
  CHECK(ref->version_number == 4);
  for (const char* bad : {"", "ipa-1", ".v2", "ipa-1.v", "ipa-1.v1", "ipa-1.v0", "ipa-1.v02",
                          "ipa-1.v2x", "ipa-1.v1234567890", "ipa 1.v2", "ipa:1.v2"}) {
    INFO(bad);
    CHECK(absl::StartsWith(Message(ParseVariationId("variation_id", bad).status()),
                           "variation_id: must be an IPA id followed by \".v\""));
  }
}

}  // namespace
}  // namespace dps::contracts
