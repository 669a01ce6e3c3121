#include "services/contracts/domain/fee_uplift.h"

#include <catch2/catch.hpp>
#include <vector>

#include "absl/strings/match.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::AfterStart;
using testing::Day;
using testing::FakeRenderer;
using testing::Message;
using testing::Utc;

UpliftRequestInput Asked(Day effective_from = Day(2027, 5, 1)) {
  return {90'000, effective_from, "Carer fees rose 6% in April (attached: the agency's rates)"};
}

FeeUplift Requested(const Ipa& ipa, absl::Time at = AfterStart(), const char* id = "uplift-1") {
  absl::StatusOr<FeeUplift> uplift =
      RequestFeeUplift(ipa, {}, id, Asked(), testing::ProviderUser(), at);
  REQUIRE(uplift.status() == absl::OkStatus());
  return *uplift;
}

TEST_CASE("the provider requests an uplift with a justification") {
  const Ipa ipa = testing::Active();
  const FeeUplift uplift = Requested(ipa);
  CHECK(uplift.state == UpliftState::kRequested);
  CHECK(uplift.current_core_fee_pence == 85'000);
  CHECK(uplift.requested_core_fee_pence == 90'000);
  CHECK(uplift.effective_from == Day(2027, 5, 1));
  CHECK(uplift.provider_id == "acme-care");
  CHECK(uplift.placing_authority_id == "west-sussex");

  CHECK(RequestFeeUplift(ipa, {}, "uplift-1", Asked(), testing::Officer(), AfterStart())
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  UpliftRequestInput input = Asked();
  input.justification = " \n";
  CHECK(Message(RequestFeeUplift(ipa, {}, "uplift-1", input, testing::ProviderUser(), AfterStart())
                    .status()) == "justification: required");
  input.justification = std::string(20'001, 'x');
  CHECK(Message(RequestFeeUplift(ipa, {}, "uplift-1", input, testing::ProviderUser(), AfterStart())
                    .status()) == "justification: must be at most 20000 characters, got 20001");
  input = Asked();
  input.requested_core_fee_pence = 85'000;
  CHECK(Message(RequestFeeUplift(ipa, {}, "uplift-1", input, testing::ProviderUser(), AfterStart())
                    .status()) ==
        "requested_core_fee_pence: must be above the current core weekly fee, 85000 pence, got "
        "85000");
  CHECK(Message(RequestFeeUplift(ipa, {}, "uplift-1", Asked(Day(2027, 4, 1)),
                                 testing::ProviderUser(), AfterStart())
                    .status()) ==
        "effective_from: must be from today, 2027-04-02, to the planned end date 2029-03-31, got "
        "2027-04-01");
}

TEST_CASE("cost pressures are itemised within the increase asked for") {
  const Ipa ipa = testing::Active();
  UpliftRequestInput input = Asked();  // 85,000 -> 90,000: 5,000 pence more a week
  input.cost_pressures = {{"CORE_STAFFING", "Carer pay rose 6% in April", 3'000},
                          {"PREMISES", "Energy contract renewed", 2'000}};
  absl::StatusOr<FeeUplift> uplift =
      RequestFeeUplift(ipa, {}, "uplift-1", input, testing::ProviderUser(), AfterStart());
  REQUIRE(uplift.ok());
  CHECK(uplift->cost_pressures == input.cost_pressures);
  CHECK(uplift->lead_authority_id == ipa.lead_authority_id);

  auto refusal = [&](const UpliftRequestInput& bad) {
    return Message(
        RequestFeeUplift(ipa, {}, "uplift-1", bad, testing::ProviderUser(), AfterStart()).status());
  };
  UpliftRequestInput over = input;
  over.cost_pressures[1].weekly_increase_pence = 2'001;
  CHECK(refusal(over) ==
        "cost_pressures: add up to 5001 pence a week, more than the increase asked for, 5000 "
        "pence");
  UpliftRequestInput blank = input;
  blank.cost_pressures[0].description = "";
  CHECK(refusal(blank) == "cost_pressures[0].description: required");
  UpliftRequestInput no_category = input;
  no_category.cost_pressures[1].category = "";
  CHECK(refusal(no_category) == "cost_pressures[1].category: required");
  UpliftRequestInput zero = input;
  zero.cost_pressures[0].weekly_increase_pence = 0;
  CHECK(absl::StartsWith(refusal(zero), "cost_pressures[0].weekly_increase_pence: "));
  UpliftRequestInput many = Asked();
  many.cost_pressures.assign(kMaxCostPressures + 1, {"OTHER", "x", 1});
  CHECK(refusal(many) == "cost_pressures: at most 100 items, got 101");
}

TEST_CASE("one uplift request in 12 months, measured from the last submission's day") {
  Ipa ipa = testing::Active();
  FeeUplift first = Requested(ipa, Utc(2027, 4, 2, 23, 59));
  REQUIRE(DecideFeeUplift(first, ipa, {UpliftState::kRefused, 0, "Within the ceiling already"},
                          FakeRenderer(), testing::Commissioner(),
                          Utc(2027, 4, 9)) == absl::OkStatus());
  const std::vector<FeeUplift> earlier = {first};
  CHECK(NextUpliftRequestDay(ipa.id, earlier) == Day(2028, 4, 2));

  const absl::Status day_before = RequestFeeUplift(ipa, earlier, "uplift-2", Asked(Day(2028, 5, 1)),
                                                   testing::ProviderUser(), Utc(2028, 4, 1, 23, 59))
                                      .status();
  CHECK(day_before.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(day_before) ==
        "fee uplift: at most one request in 12 months: the next may be submitted from 2028-04-02");
  CHECK(RequestFeeUplift(ipa, earlier, "uplift-2", Asked(Day(2028, 5, 1)), testing::ProviderUser(),
                         Utc(2028, 4, 2, 0, 0))
            .ok());
}

TEST_CASE("a request on 29 February allows the next from 1 March") {
  FeeUplift leap;
  leap.ipa_id = "ipa-1";
  leap.state = UpliftState::kApproved;
  leap.requested_at = Utc(2028, 2, 29);
  CHECK(NextUpliftRequestDay("ipa-1", {leap}) == Day(2029, 3, 1));
  CHECK_FALSE(NextUpliftRequestDay("ipa-2", {leap}).has_value());
}

TEST_CASE("a withdrawn request does not count, an undecided one blocks the next") {
  const Ipa ipa = testing::Active();
  FeeUplift pending = Requested(ipa);
  const absl::Status blocked =
      RequestFeeUplift(ipa, {pending}, "uplift-2", Asked(), testing::ProviderUser(), AfterStart())
          .status();
  CHECK(blocked.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(absl::StrContains(Message(blocked), "\"uplift-1\" awaits a decision"));
  CHECK(WithdrawFeeUplift(pending, testing::Officer(), AfterStart()).code() ==
        absl::StatusCode::kPermissionDenied);
  REQUIRE(WithdrawFeeUplift(pending, testing::ProviderUser(), AfterStart()) == absl::OkStatus());
  CHECK(pending.state == UpliftState::kWithdrawn);
  CHECK(RequestFeeUplift(ipa, {pending}, "uplift-2", Asked(), testing::ProviderUser(), AfterStart())
            .ok());
  CHECK(WithdrawFeeUplift(pending, testing::ProviderUser(), AfterStart()).code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("only a commissioner of the placing authority decides an uplift") {
  Ipa ipa = testing::Active();
  FeeUplift uplift = Requested(ipa);
  const UpliftDecision approve{UpliftState::kApproved, 0, "Evidence accepted"};
  for (const Actor& actor : {testing::Officer(), testing::ProviderUser(),
                             Actor{"commissioner-9", Role::kCommissioner, "surrey"},
                             Actor{"admin-1", Role::kLeadAuthorityAdmin, "west-sussex"}}) {
    const absl::Status status =
        DecideFeeUplift(uplift, ipa, approve, FakeRenderer(), actor, AfterStart());
    INFO(RoleName(actor.role) << " of " << actor.organisation_id);
    CHECK(status.code() == absl::StatusCode::kPermissionDenied);
  }
  CHECK(uplift.state == UpliftState::kRequested);
  CHECK(ipa.versions.size() == 1);
  CHECK(Message(DecideFeeUplift(uplift, ipa, {UpliftState::kApproved, 0, ""}, FakeRenderer(),
                                testing::Commissioner(), AfterStart())) == "reason: required");
}

TEST_CASE("an approved uplift proposes a version with the new core fee from its effective date") {
  Ipa ipa = testing::Active();
  FeeUplift uplift = Requested(ipa);
  REQUIRE(DecideFeeUplift(uplift, ipa, {UpliftState::kApproved, 0, "Evidence accepted"},
                          FakeRenderer(), testing::Commissioner(),
                          Utc(2027, 4, 5)) == absl::OkStatus());
  CHECK(uplift.state == UpliftState::kApproved);
  CHECK(uplift.approved_core_fee_pence == 90'000);
  CHECK(uplift.decided_by->user_id == "commissioner-1");
  CHECK(uplift.variation_version_number == 2);
  const IpaVersion& v2 = ipa.versions[1];
  CHECK(v2.variation_kind == VariationKind::kFeeUplift);
  CHECK(v2.fee_uplift_id == "uplift-1");
  CHECK(v2.terms.costs.core_weekly_fee_pence == 90'000);
  CHECK(v2.effective_from == Day(2027, 5, 1));
  CHECK(v2.state == VersionState::kAwaitingSignatures);  // both parties sign it like any version
  CHECK(ipa.current_version_number == 1);
  testing::SignBoth(ipa, Utc(2027, 4, 6));
  CHECK(ipa.current_version_number == 2);
  CHECK(ipa.versions[0].state == VersionState::kSuperseded);

  CHECK(DecideFeeUplift(uplift, ipa, {UpliftState::kRefused, 0, "Changed my mind"}, FakeRenderer(),
                        testing::Commissioner(), Utc(2027, 4, 7))
            .code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("a partial approval lies between the current and the requested fee") {
  Ipa ipa = testing::Active();
  FeeUplift uplift = Requested(ipa);
  CHECK(Message(DecideFeeUplift(uplift, ipa, {UpliftState::kPartlyApproved, 90'000, "Half"},
                                FakeRenderer(), testing::Commissioner(), AfterStart())) ==
        "approved_core_fee_pence: must be above the current fee, 85000 pence, and below the fee "
        "requested, 90000 pence, got 90000");
  REQUIRE(DecideFeeUplift(uplift, ipa, {UpliftState::kPartlyApproved, 87'500, "Half of it"},
                          FakeRenderer(), testing::Commissioner(),
                          AfterStart()) == absl::OkStatus());
  CHECK(ipa.versions[1].terms.costs.core_weekly_fee_pence == 87'500);
}

TEST_CASE("a refusal keeps the reason and proposes no version") {
  Ipa ipa = testing::Active();
  FeeUplift uplift = Requested(ipa);
  REQUIRE(DecideFeeUplift(uplift, ipa, {UpliftState::kRefused, 0, "No evidence of the rise"},
                          FakeRenderer(), testing::Commissioner(),
                          AfterStart()) == absl::OkStatus());
  CHECK(uplift.state == UpliftState::kRefused);
  CHECK(uplift.decision_reason == "No evidence of the rise");
  CHECK(ipa.versions.size() == 1);
}

TEST_CASE("an approval waits while another version awaits signatures, changing nothing") {
  Ipa ipa = testing::Active();
  FeeUplift uplift = Requested(ipa);
  REQUIRE(DecideFeeUplift(uplift, ipa, {UpliftState::kApproved, 0, "Accepted"}, FakeRenderer(),
                          testing::Commissioner(), AfterStart()) == absl::OkStatus());
  FeeUplift second = uplift;
  second.id = "uplift-2";
  second.state = UpliftState::kRequested;
  const absl::Status status =
      DecideFeeUplift(second, ipa, {UpliftState::kApproved, 0, "Accepted"}, FakeRenderer(),
                      testing::Commissioner(), AfterStart());
  CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(second.state == UpliftState::kRequested);
  CHECK(ipa.versions.size() == 2);
}

}  // namespace
}  // namespace dps::contracts
