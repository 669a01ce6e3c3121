// The stored JSON of the IPA (ipa_json.h) and the timer's due instant (NextTimerDue), without a
// database (label pure).
#include "services/contracts/storage/ipa_json.h"

#include <catch2/catch.hpp>

#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/storage/ipa_json_testing.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures
using storage::testing::WholeIpa;

const IpaState kEveryState[] = {IpaState::kDraft,  IpaState::kIssued, IpaState::kSigned,
                                IpaState::kActive, IpaState::kEnded,  IpaState::kCancelled};

// Everything a version carries that the fixtures leave out: an incentive, signatories, a
// template, and a reissued version (two versions, the first superseded).
Ipa Rich() {
  Ipa ipa = Draft();
  IpaTerms terms = ipa.draft;
  terms.incentive = Incentive{"Back in school full time", 50'000, Day(2027, 12, 31)};
  terms.variation_template_id = "template-ifa-2027";
  terms.notice_period_days = 42;
  terms.costs.additional_services[0].start_date = Day(2027, 5, 1);
  REQUIRE(UpdateDraft(ipa, terms, Officer(), Now()) == absl::OkStatus());
  REQUIRE(Issue(ipa, FakeRenderer(), Officer(), Now()) == absl::OkStatus());
  terms.purposes.push_back("Keep contact with siblings weekly");
  REQUIRE(Reissue(ipa, terms, "added a purpose", FakeRenderer(), Officer(), Now()) ==
          absl::OkStatus());
  return ipa;
}

Ipa ReadBack(const Ipa& ipa) {
  Ipa out;
  REQUIRE(storage::IpaFromJson(storage::IpaToJson(ipa), out) == absl::OkStatus());
  for (const IpaVersion& v : ipa.versions) {
    IpaVersion copy;
    copy.number = v.number;
    copy.state = v.state;
    copy.effective_from = v.effective_from;
    copy.document_sha256 = v.document_sha256;
    copy.byte_length = v.byte_length;
    copy.signatures = v.signatures;
    absl::StatusOr<IpaTerms> terms = storage::TermsFromJson(storage::TermsToJson(v.terms));
    REQUIRE(terms.ok());
    copy.terms = *terms;
    REQUIRE(storage::VersionFromJson(storage::VersionToJson(v), copy) == absl::OkStatus());
    out.versions.push_back(copy);
  }
  return out;
}

TEST_CASE("an IPA in every state reads back as it was written", "[json]") {
  for (IpaState state : kEveryState) {
    const Ipa ipa = InState(state);
    CAPTURE(IpaStateName(state));
    CHECK(WholeIpa(ReadBack(ipa)) == WholeIpa(ipa));
  }
}

TEST_CASE("the children placed read back whole and the lead authority with them", "[json]") {
  Ipa ipa = Rich();
  ipa.children = {{.given_names = "Sam",
                   .family_name = "Jones",
                   .preferred_name = "Sammy",
                   .date_of_birth = Day(2013, 4, 3),
                   .gender = Gender::kOther,
                   .case_reference = "LAC-1234",
                   .home_postcode = "RH12 1AB",
                   .legal_status = "s.20"},
                  {.given_names = "Alex", .family_name = "Jones"}};
  const Ipa back = ReadBack(ipa);
  CHECK(back.children == ipa.children);
  CHECK(back.lead_authority_id == "authority-lead");
  CHECK(WholeIpa(back) == WholeIpa(ipa));
}

TEST_CASE("terms read back equal, every optional part included", "[json]") {
  const Ipa ipa = Rich();
  for (const IpaVersion& v : ipa.versions) {
    absl::StatusOr<IpaTerms> terms = storage::TermsFromJson(storage::TermsToJson(v.terms));
    REQUIRE(terms.ok());
    CHECK(*terms == v.terms);
  }
  CHECK(WholeIpa(ReadBack(ipa)) == WholeIpa(ipa));
  CHECK(ReadBack(ipa).versions[0].state == VersionState::kSuperseded);
}

TEST_CASE("a stored document that is not ours is Internal, naming the problem", "[json]") {
  nlohmann::json doc = storage::IpaToJson(Draft());
  doc["state"] = "PAUSED";
  Ipa ipa;
  const absl::Status s = storage::IpaFromJson(doc, ipa);
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK_THAT(Message(s), Catch::Contains("PAUSED"));
  CHECK(storage::TermsFromJson(nlohmann::json::object()).status().code() ==
        absl::StatusCode::kInternal);
  CHECK(storage::ParseIpaState("DRAFT").value() == IpaState::kDraft);
  CHECK(!storage::ParseParty("BOTH").ok());
}

// The instant NextTimerDue gives is exactly where ActivationDue / EndDue turn true.
void CheckDueAgrees(const Ipa& ipa, bool (*due)(const Ipa&, absl::Time)) {
  const std::optional<absl::Time> at = NextTimerDue(ipa);
  REQUIRE(at.has_value());
  CHECK_FALSE(due(ipa, *at - absl::Nanoseconds(1)));
  CHECK(due(ipa, *at));
}

TEST_CASE("the timer is due on the start date of a SIGNED IPA, at 00:00 UTC", "[timer]") {
  const Ipa ipa = Signed();
  CHECK(NextTimerDue(ipa) == Utc(2027, 4, 1, 0, 0));
  CheckDueAgrees(ipa, &ActivationDue);
}

TEST_CASE("the timer is due on the end date of a scheduled ending", "[timer]") {
  Ipa ipa = Active();
  const AgreementInput agreement{Day(2027, 9, 30), EndReason::kStepDown, ""};
  REQUIRE(AgreeEnding(ipa, agreement, Officer(), AfterStart()) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, agreement, ProviderUser(), AfterStart()) == absl::OkStatus());
  CHECK(NextTimerDue(ipa) == Utc(2027, 9, 30, 0, 0));
  CheckDueAgrees(ipa, &EndDue);
}

TEST_CASE("a SIGNED IPA ending before its start is due at its end, never activated", "[timer]") {
  Ipa ipa = Signed();
  const AgreementInput agreement{Day(2027, 3, 20), EndReason::kPlacementBreakdown, ""};
  REQUIRE(AgreeEnding(ipa, agreement, Officer(), Now()) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, agreement, ProviderUser(), Now()) == absl::OkStatus());
  CHECK(NextTimerDue(ipa) == Utc(2027, 3, 20, 0, 0));
  CheckDueAgrees(ipa, &EndDue);
  CHECK_FALSE(ActivationDue(ipa, Utc(2027, 4, 1, 0, 0)));
}

TEST_CASE(
    "nothing is due for a DRAFT, ISSUED, ENDED or CANCELLED IPA, nor an ACTIVE one "
    "without an ending",
    "[timer]") {
  for (IpaState state : {IpaState::kDraft, IpaState::kIssued, IpaState::kActive, IpaState::kEnded,
                         IpaState::kCancelled}) {
    CAPTURE(IpaStateName(state));
    CHECK_FALSE(NextTimerDue(InState(state)).has_value());
  }
}

}  // namespace
}  // namespace dps::contracts
