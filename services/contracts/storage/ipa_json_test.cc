// The stored JSON of the IPA and of a fee uplift (ipa_json.h) and the timer's due instant
// (NextTimerDue), without a database (label pure).
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

TEST_CASE("the children placed and the parties' names read back whole", "[json]") {
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
  ipa.parties.placing_authority_name = "West Sussex County Council";
  ipa.parties.provider_name = "Acme Care Ltd";
  ipa.parties.establishment_name = "Horsham House";
  ipa.parties.establishment_address = "1 High Street, Horsham, RH12 1AB";
  const Ipa back = ReadBack(ipa);
  CHECK(back.parties.establishment_address == "1 High Street, Horsham, RH12 1AB");
  CHECK(back.parties.provider_name == "Acme Care Ltd");
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

TEST_CASE("the award's time is kept, and an IPA stored before it was reads its creation",
          "[json]") {
  Ipa ipa = Draft();
  ipa.awarded_at = Now() - absl::Hours(30);
  CHECK(ReadBack(ipa).awarded_at == Now() - absl::Hours(30));
  nlohmann::json doc = storage::IpaToJson(ipa);
  doc.erase("awarded_at");
  Ipa old;
  REQUIRE(storage::IpaFromJson(doc, old) == absl::OkStatus());
  CHECK(old.awarded_at == ipa.created_at);
}

TEST_CASE("a call-off from the ranking is kept on its source, and a source without it is none",
          "[json]") {
  Ipa ipa = Draft();
  ipa.source = {.kind = SourceKind::kDirectAward,
                .direct_award_id = "direct-award-1",
                .ranked_call_off = true};
  CHECK(ReadBack(ipa).source.ranked_call_off);
  ipa.source.ranked_call_off = false;
  CHECK_FALSE(storage::IpaToJson(ipa)["source"].contains("ranked_call_off"));
  CHECK_FALSE(ReadBack(ipa).source.ranked_call_off);
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

// A fee uplift with every field set but the decision: two cost pressures (one without a
// description) and instants with microseconds.
FeeUplift Requested() {
  FeeUplift u;
  u.id = "uplift-1";
  u.ipa_id = "ipa-1";
  u.provider_id = "acme-care";
  u.placing_authority_id = "west-sussex";
  u.lead_authority_id = "authority-lead";
  u.current_core_fee_pence = 85'000;
  u.requested_core_fee_pence = 90'000;
  u.effective_from = Day(2027, 6, 1);
  u.justification = "Staff pay rose with the National Living Wage";
  u.cost_pressures = {{"CORE_STAFFING", "National Living Wage from April", 4'000},
                      {"PREMISES", "", 1'000}};
  u.requested_by_user_id = "provider-user-1";
  u.requested_at = Utc(2027, 5, 3, 9, 30) + absl::Microseconds(123'456);
  return u;
}

FeeUplift Decided() {
  FeeUplift u = Requested();
  u.state = UpliftState::kPartlyApproved;
  u.approved_core_fee_pence = 88'000;
  u.decision_reason = "The staffing rise is evidenced; the premises one is not";
  u.decided_by = Commissioner();
  u.decided_at = Utc(2027, 5, 10, 14, 5) + absl::Microseconds(7);
  u.variation_version_number = 2;
  return u;
}

FeeUplift UpliftReadBack(const FeeUplift& uplift) {
  absl::StatusOr<FeeUplift> back = storage::UpliftFromJson(storage::UpliftToJson(uplift));
  REQUIRE(back.status() == absl::OkStatus());
  return *back;
}

// Field by field (FeeUplift and Actor have no ==), so a field the codec forgot in both
// directions still shows.
void CheckSameUplift(const FeeUplift& a, const FeeUplift& b) {
  CHECK(a.id == b.id);
  CHECK(a.ipa_id == b.ipa_id);
  CHECK(a.provider_id == b.provider_id);
  CHECK(a.placing_authority_id == b.placing_authority_id);
  CHECK(a.lead_authority_id == b.lead_authority_id);
  CHECK(a.current_core_fee_pence == b.current_core_fee_pence);
  CHECK(a.requested_core_fee_pence == b.requested_core_fee_pence);
  CHECK(a.effective_from == b.effective_from);
  CHECK(a.justification == b.justification);
  CHECK(a.cost_pressures == b.cost_pressures);
  CHECK(a.state == b.state);
  CHECK(a.requested_by_user_id == b.requested_by_user_id);
  CHECK(a.requested_at == b.requested_at);
  CHECK(a.approved_core_fee_pence == b.approved_core_fee_pence);
  CHECK(a.decision_reason == b.decision_reason);
  REQUIRE(a.decided_by.has_value() == b.decided_by.has_value());
  if (a.decided_by) {
    CHECK(a.decided_by->user_id == b.decided_by->user_id);
    CHECK(a.decided_by->role == b.decided_by->role);
    CHECK(a.decided_by->organisation_id == b.decided_by->organisation_id);
  }
  CHECK(a.decided_at == b.decided_at);
  CHECK(a.variation_version_number == b.variation_version_number);
}

TEST_CASE("a fee uplift awaiting a decision reads back every field, none of the decision's",
          "[json][uplift]") {
  const FeeUplift requested = Requested();
  const nlohmann::json doc = storage::UpliftToJson(requested);
  CHECK_FALSE(doc.contains("decided_by"));
  CHECK_FALSE(doc.contains("decided_at"));
  CHECK(doc.at("effective_from") == "2027-06-01");
  CHECK(doc.at("state") == "REQUESTED");
  const FeeUplift back = UpliftReadBack(requested);
  CheckSameUplift(back, requested);
  CHECK_FALSE(back.decided_by.has_value());
  CHECK_FALSE(back.decided_at.has_value());
  REQUIRE(back.cost_pressures.size() == 2);
  CHECK(back.cost_pressures[0].description == "National Living Wage from April");
  CHECK(back.cost_pressures[1].weekly_increase_pence == 1'000);
  CHECK(back.requested_at == Utc(2027, 5, 3, 9, 30) + absl::Microseconds(123'456));
}

TEST_CASE("a decided fee uplift reads back with who decided, when and the version it proposed",
          "[json][uplift]") {
  const FeeUplift decided = Decided();
  const FeeUplift back = UpliftReadBack(decided);
  CheckSameUplift(back, decided);
  REQUIRE(back.decided_by.has_value());
  CHECK(back.decided_by->role == Role::kCommissioner);
  CHECK(back.decided_by->organisation_id == "west-sussex");
  CHECK(back.decided_at == Utc(2027, 5, 10, 14, 5) + absl::Microseconds(7));
  CHECK(back.variation_version_number == 2);

  FeeUplift bare = Decided();  // no cost pressures, a service decided without an organisation
  bare.cost_pressures.clear();
  bare.decided_by = Service();
  CheckSameUplift(UpliftReadBack(bare), bare);
}

TEST_CASE("a fee uplift in every state reads back in it", "[json][uplift]") {
  for (UpliftState state :
       {UpliftState::kRequested, UpliftState::kApproved, UpliftState::kPartlyApproved,
        UpliftState::kRefused, UpliftState::kWithdrawn}) {
    CAPTURE(UpliftStateName(state));
    FeeUplift uplift = Decided();
    uplift.state = state;
    CHECK(storage::UpliftToJson(uplift).at("state") == std::string(UpliftStateName(state)));
    CHECK(UpliftReadBack(uplift).state == state);
  }
}

TEST_CASE("a stored fee uplift that is not ours is Internal, naming the problem",
          "[json][uplift]") {
  nlohmann::json doc = storage::UpliftToJson(Requested());
  doc["state"] = "PENDING";
  absl::Status s = storage::UpliftFromJson(doc).status();
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK_THAT(Message(s), Catch::Contains("PENDING"));
  doc = storage::UpliftToJson(Requested());
  doc.erase("ipa_id");
  s = storage::UpliftFromJson(doc).status();
  CHECK(s.code() == absl::StatusCode::kInternal);
  CHECK_THAT(Message(s), Catch::Contains("fee uplift"));
  doc = storage::UpliftToJson(Requested());
  doc["effective_from"] = "2027-13-01";
  CHECK(storage::UpliftFromJson(doc).status().code() == absl::StatusCode::kInternal);
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
