#include "services/contracts/domain/ipa.h"

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/fee_uplift.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/domain/variation.h"

namespace dps::contracts {
namespace {

using testing::AfterStart;
using testing::Day;
using testing::FakeRenderer;
using testing::HashOf;
using testing::Message;
using testing::Now;
using testing::Utc;

constexpr IpaState kAllStates[] = {IpaState::kDraft,  IpaState::kIssued, IpaState::kSigned,
                                   IpaState::kActive, IpaState::kEnded,  IpaState::kCancelled};

// One action of the life cycle, as the matrix below tries it the day after the start date.
struct Action {
  std::string name;  // as the refusal words it: "cannot <name> an IPA that is ..."
  std::vector<IpaState> allowed;
  std::function<absl::Status(Ipa&)> run;
};

IpaTerms WithTherapyExtended() {
  IpaTerms terms = testing::ValidTerms();
  terms.costs.additional_services[0].end_date = Day(2027, 9, 30);
  return terms;
}

std::vector<Action> Actions() {
  const absl::Time at = AfterStart();
  return {
      {"update the draft of",
       {IpaState::kDraft},
       [at](Ipa& ipa) { return UpdateDraft(ipa, WithTherapyExtended(), testing::Officer(), at); }},
      {"issue",
       {IpaState::kDraft},
       [at](Ipa& ipa) { return Issue(ipa, FakeRenderer(), testing::Officer(), at); }},
      {"reissue",
       {IpaState::kIssued},
       [at](Ipa& ipa) {
         return Reissue(ipa, WithTherapyExtended(), "1:1 support runs to September", FakeRenderer(),
                        testing::Officer(), at);
       }},
      {"cancel",
       {IpaState::kDraft, IpaState::kIssued},
       [at](Ipa& ipa) { return Cancel(ipa, "The family moved away", testing::Officer(), at); }},
      {"sign",
       {IpaState::kIssued},
       [at](Ipa& ipa) { return testing::SignAs(ipa, testing::ProviderUser(), HashOf(1), at); }},
      {"activate", {IpaState::kSigned}, [at](Ipa& ipa) { return Activate(ipa, at); }},
      {"vary",
       {IpaState::kSigned, IpaState::kActive},
       [at](Ipa& ipa) {
         return ProposeVariation(ipa,
                                 {VariationKind::kAdditionalServices, "Support extended",
                                  WithTherapyExtended(), Day(2027, 5, 1)},
                                 FakeRenderer(), testing::Officer(), at)
             .status();
       }},
      {"give notice on",
       {IpaState::kSigned, IpaState::kActive},
       [at](Ipa& ipa) {
         return GiveNotice(ipa, {EndReason::kStepDown, "Moving to a less intensive placement"},
                           testing::Officer(), at);
       }},
      {"agree to end",
       {IpaState::kSigned, IpaState::kActive},
       [at](Ipa& ipa) {
         return AgreeEnding(ipa, {Day(2027, 6, 30), EndReason::kReturnedHome, ""},
                            testing::ProviderUser(), at);
       }},
      // With no ending scheduled, End is refused in every state (ending_test.cc ends one).
      {"end", {}, [at](Ipa& ipa) { return End(ipa, at); }},
      {"request a fee uplift on",
       {IpaState::kSigned, IpaState::kActive},
       [at](Ipa& ipa) {
         return RequestFeeUplift(ipa, {}, "uplift-1",
                                 {90'000, Day(2027, 6, 1), "Carer fees rose 6% in April"},
                                 testing::ProviderUser(), at)
             .status();
       }},
  };
}

TEST_CASE("every action is allowed in its states and refused in every other, naming both") {
  for (const Action& action : Actions()) {
    for (const IpaState state : kAllStates) {
      Ipa ipa = testing::InState(state);
      const Ipa before = ipa;
      const absl::Status status = action.run(ipa);
      INFO(action.name << " in " << IpaStateName(state) << ": " << status.ToString());
      const bool allowed =
          std::find(action.allowed.begin(), action.allowed.end(), state) != action.allowed.end();
      if (allowed) {
        CHECK(status.ok());
      } else {
        CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
        CHECK(absl::StrContains(Message(status), absl::StrCat("cannot ", action.name)));
        CHECK(absl::StrContains(Message(status), IpaStateName(state)));
        CHECK(ipa.state == before.state);
        CHECK(ipa.history.size() == before.history.size());
      }
    }
  }
}

TEST_CASE("the life cycle runs DRAFT, ISSUED, SIGNED, ACTIVE, ENDED with its history") {
  Ipa ipa = testing::Draft();
  CHECK(ipa.state == IpaState::kDraft);
  REQUIRE(Issue(ipa, FakeRenderer(), testing::Officer(), Now()) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kIssued);
  testing::SignBoth(ipa);
  CHECK(ipa.state == IpaState::kSigned);
  REQUIRE(Activate(ipa, Utc(2027, 4, 1, 0, 0)) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kActive);
  CHECK(ipa.actual_start_date == Day(2027, 4, 1));
  REQUIRE(GiveNotice(ipa, {EndReason::kReturnedHome, "Returning to her mother"}, testing::Officer(),
                     Utc(2027, 5, 3)) == absl::OkStatus());
  REQUIRE(End(ipa, Utc(2027, 5, 31, 0, 1)) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kEnded);
  CHECK(ipa.ended_on == Day(2027, 5, 31));
  std::vector<std::string> moves;
  for (const HistoryEntry& entry : ipa.history) {
    if (entry.from != entry.to) {
      moves.push_back(absl::StrCat(IpaStateName(entry.from), ">", IpaStateName(entry.to)));
    }
  }
  CHECK(moves ==
        std::vector<std::string>{"DRAFT>ISSUED", "ISSUED>SIGNED", "SIGNED>ACTIVE", "ACTIVE>ENDED"});
  CHECK_FALSE(ipa.history.back().actor.has_value());  // the timer ended it
}

TEST_CASE("the source key is the same for a replayed source and differs between sources") {
  const IpaSource award{SourceKind::kAward, "referral-1", "bid-7", "", "", ""};
  CHECK(*SourceKey(award) == "award:referral-1:bid-7");
  CHECK(*SourceKey(award) == *SourceKey(IpaSource(award)));
  CHECK(*SourceKey({SourceKind::kDirectAward, "", "", "da-3", "", ""}) == "direct-award:da-3");
  CHECK(*SourceKey({SourceKind::kBlockCallOff, "", "", "", "block-2", "call-off-5"}) ==
        "block-call-off:block-2:call-off-5");
  CHECK(*SourceKey(award) != *SourceKey({SourceKind::kAward, "referral-1", "bid-8", "", "", ""}));
}

TEST_CASE("a source names exactly the ids of its kind, with no ':' to make a key ambiguous") {
  CHECK(Message(SourceKey({SourceKind::kAward, "referral-1", "", "", "", ""}).status()) ==
        "source.bid_id: required");
  CHECK(Message(SourceKey({SourceKind::kAward, "referral:1", "bid-7", "", "", ""}).status()) ==
        "source.referral_id: must be letters, digits, '-', '_' or '.', got \"referral:1\"");
  CHECK(Message(SourceKey({SourceKind::kDirectAward, "referral-1", "", "da-3", "", ""}).status()) ==
        "source.referral_id: must be empty for this kind of source");
  CHECK(Message(SourceKey({}).status()) ==
        "source.kind: required: AWARD, DIRECT_AWARD or BLOCK_CALL_OFF");
  // A call-off from the ranking is a direct award's basis; it is the same source either way.
  CHECK(*SourceKey({SourceKind::kDirectAward, "", "", "da-3", "", "", true}) ==
        "direct-award:da-3");
  CHECK(
      Message(SourceKey({SourceKind::kAward, "referral-1", "bid-7", "", "", "", true}).status()) ==
      "source.ranked_call_off: only a DIRECT_AWARD is one");
}

TEST_CASE("an IPA is made by a service or the placing authority, never by the provider") {
  absl::StatusOr<Ipa> by_provider = CreateIpa(testing::ValidSpec(), testing::ProviderUser(), Now());
  CHECK(by_provider.status().code() == absl::StatusCode::kPermissionDenied);
  absl::StatusOr<Ipa> by_officer = CreateIpa(testing::ValidSpec(), testing::Officer(), Now());
  REQUIRE(by_officer.ok());
  CHECK(by_officer->state == IpaState::kDraft);
  IpaSpec spec = testing::ValidSpec();
  spec.provision_type = ProvisionType::kUnspecified;
  CHECK(Message(CreateIpa(spec, testing::Service(), Now()).status()) == "provision_type: required");
  spec = testing::ValidSpec();
  spec.parties.establishment_id = "";
  CHECK(Message(CreateIpa(spec, testing::Service(), Now()).status()) ==
        "parties.establishment_id: required");
}

TEST_CASE("a draft keeps the award's core fee and discounts") {
  Ipa ipa = testing::Draft();
  IpaTerms terms = testing::ValidTerms();
  terms.costs.core_weekly_fee_pence = 90'000;
  CHECK(Message(UpdateDraft(ipa, terms, testing::Officer(), Now())) ==
        "terms.costs.core_weekly_fee_pence: must be the award's, 85000 pence, got 90000");
  terms = testing::ValidTerms();
  terms.costs.discounts.clear();
  CHECK(Message(UpdateDraft(ipa, terms, testing::Officer(), Now())) ==
        "terms.costs.discounts: must be the award's");
  CHECK(UpdateDraft(ipa, WithTherapyExtended(), testing::ProviderUser(), Now()).code() ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("issuing needs complete terms and the placing authority, and fixes version 1") {
  Ipa ipa = testing::Draft();
  IpaTerms terms = testing::ValidTerms();
  terms.documents.clear();
  REQUIRE(UpdateDraft(ipa, terms, testing::Officer(), Now()) == absl::OkStatus());
  CHECK(Message(Issue(ipa, FakeRenderer(), testing::Officer(), Now())) ==
        "terms.documents: at least one required: the documents forming the contract");

  ipa = testing::Draft();
  CHECK(Issue(ipa, FakeRenderer(), testing::ProviderUser(), Now()).code() ==
        absl::StatusCode::kPermissionDenied);
  FakeRenderer broken;
  broken.fail_ = absl::UnavailableError("document store down");
  CHECK(Issue(ipa, broken, testing::Officer(), Now()).code() == absl::StatusCode::kUnavailable);
  CHECK(ipa.state == IpaState::kDraft);
  CHECK(ipa.versions.empty());

  REQUIRE(Issue(ipa, FakeRenderer(), testing::Commissioner(), Now()) == absl::OkStatus());
  REQUIRE(ipa.versions.size() == 1);
  const IpaVersion& v1 = ipa.versions[0];
  CHECK(v1.number == 1);
  CHECK(v1.document_sha256 == HashOf(1));
  CHECK(v1.terms == testing::ValidTerms());
  CHECK(v1.effective_from == Day(2027, 4, 1));
  CHECK(v1.state == VersionState::kAwaitingSignatures);
  CHECK(ipa.current_version() == nullptr);
}

TEST_CASE("both parties signing the issued hash makes the IPA SIGNED") {
  Ipa ipa = testing::Issued();
  REQUIRE(testing::SignAs(ipa, testing::ProviderUser(), HashOf(1)) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kIssued);
  REQUIRE(testing::SignAs(ipa, testing::Commissioner(), HashOf(1), Now() + absl::Hours(2)) ==
          absl::OkStatus());
  CHECK(ipa.state == IpaState::kSigned);
  CHECK(ipa.current_version_number == 1);
  const IpaVersion& v1 = *ipa.current_version();
  CHECK(v1.state == VersionState::kInForce);
  CHECK(v1.in_force_at == Now() + absl::Hours(2));
  const Signature& provider = *v1.SignatureOf(Party::kProvider);
  CHECK(provider.user_id == "provider-user-1");
  CHECK(provider.organisation_id == "acme-care");
  CHECK(provider.document_sha256 == HashOf(1));
  CHECK(provider.version_number == 1);
  CHECK(provider.signed_at == Now());
  CHECK(provider.name == "A. Signer");
  CHECK(v1.SignatureOf(Party::kPlacingAuthority)->user_id == "commissioner-1");
}

TEST_CASE("a party signs a version once") {
  Ipa ipa = testing::Issued();
  REQUIRE(testing::SignAs(ipa, testing::Officer(), HashOf(1)) == absl::OkStatus());
  const absl::Status again = testing::SignAs(ipa, testing::Commissioner(), HashOf(1));
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(again) ==
        "ipa: version 1 is already signed for the PLACING_AUTHORITY by \"officer-1\"");
  CHECK(ipa.state == IpaState::kIssued);
}

TEST_CASE("a signature for the wrong organisation or by a role that cannot sign is refused") {
  Ipa ipa = testing::Issued();
  const Actor other_council{"officer-9", Role::kPlacingOfficer, "surrey"};
  const absl::Status status = testing::SignAs(ipa, other_council, HashOf(1));
  CHECK(status.code() == absl::StatusCode::kPermissionDenied);
  CHECK(absl::StrContains(Message(status), "PLACING_OFFICER of \"surrey\" acts for neither party"));
  const Actor other_provider{"provider-user-9", Role::kProviderUser, "other-care"};
  CHECK(testing::SignAs(ipa, other_provider, HashOf(1)).code() ==
        absl::StatusCode::kPermissionDenied);
  const Actor auditor{"auditor-1", Role::kAuditor, "west-sussex"};
  CHECK(testing::SignAs(ipa, auditor, HashOf(1)).code() == absl::StatusCode::kPermissionDenied);
  CHECK(ipa.versions[0].signatures.empty());
}

TEST_CASE("a stale or foreign hash is refused: the signer must have seen this version") {
  Ipa ipa = testing::Issued();
  REQUIRE(testing::SignAs(ipa, testing::Officer(), HashOf(1)) == absl::OkStatus());
  REQUIRE(Reissue(ipa, WithTherapyExtended(), "1:1 support runs to September", FakeRenderer(),
                  testing::Officer(), Now()) == absl::OkStatus());
  CHECK(ipa.versions[0].state == VersionState::kSuperseded);
  CHECK(ipa.awaiting_signatures()->number == 2);
  CHECK(ipa.awaiting_signatures()->signatures.empty());  // the officer's signature lapsed

  const absl::Status stale = testing::SignAs(ipa, testing::ProviderUser(), HashOf(1));
  CHECK(stale.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(stale) == absl::StrCat("ipa: version 1 is superseded: version 2 awaits signatures "
                                       "(sha256 ",
                                       HashOf(2), ")"));
  const absl::Status foreign = testing::SignAs(ipa, testing::ProviderUser(), HashOf(77));
  CHECK(foreign.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(absl::StrContains(Message(foreign), "is not the hash of version 2"));
  const absl::Status malformed = testing::SignAs(ipa, testing::ProviderUser(), "ABC");
  CHECK(malformed.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StrContains(Message(malformed), "document_sha256: must be a SHA-256 digest"));

  testing::SignBoth(ipa);
  CHECK(ipa.state == IpaState::kSigned);
  CHECK(ipa.current_version_number == 2);
}

TEST_CASE("when a version names signatories for a party only they sign for it") {
  Ipa ipa = testing::Draft();
  IpaTerms terms = testing::ValidTerms();
  terms.signatories = {{Party::kPlacingAuthority, "commissioner-1", "Pat Lee", "Head of Care"}};
  REQUIRE(UpdateDraft(ipa, terms, testing::Officer(), Now()) == absl::OkStatus());
  REQUIRE(Issue(ipa, FakeRenderer(), testing::Officer(), Now()) == absl::OkStatus());
  const absl::Status officer = testing::SignAs(ipa, testing::Officer(), HashOf(1));
  CHECK(officer.code() == absl::StatusCode::kPermissionDenied);
  CHECK(Message(officer) ==
        "ipa: user \"officer-1\" is not a named signatory for the PLACING_AUTHORITY on version 1");
  REQUIRE(Sign(ipa, {HashOf(1), "", ""}, testing::Commissioner(), Now()) == absl::OkStatus());
  CHECK(ipa.versions[0].SignatureOf(Party::kPlacingAuthority)->name == "Pat Lee");
  // No provider signatory is named: a provider user signs, giving a name.
  CHECK(Message(Sign(ipa, {HashOf(1), "", ""}, testing::ProviderUser(), Now())) ==
        "signatory_name: required");
}

TEST_CASE("activation comes on the start date and not before") {
  Ipa ipa = testing::Signed();
  const absl::Status early = Activate(ipa, Utc(2027, 3, 31, 23, 59));
  CHECK(early.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(early) ==
        "ipa: cannot activate an IPA that is SIGNED before its start date "
        "2027-04-01 (today is 2027-03-31)");
  CHECK_FALSE(ActivationDue(ipa, Utc(2027, 3, 31, 23, 59)));
  CHECK(ipa.state == IpaState::kSigned);

  CHECK(ActivationDue(ipa, Utc(2027, 4, 1, 0, 0)));
  REQUIRE(Activate(ipa, Utc(2027, 4, 1, 0, 0)) == absl::OkStatus());
  CHECK(ipa.state == IpaState::kActive);
  CHECK(ipa.actual_start_date == Day(2027, 4, 1));
  CHECK_FALSE(ActivationDue(ipa, Utc(2027, 4, 2)));
}

TEST_CASE("a signed IPA not yet activated on its start date is activated late from that date") {
  Ipa ipa = testing::Signed();
  REQUIRE(Activate(ipa, Utc(2027, 4, 3)) == absl::OkStatus());
  CHECK(ipa.actual_start_date == Day(2027, 4, 1));
}

TEST_CASE("a placement that started later than planned is activated from its actual day") {
  Ipa ipa = testing::Signed();  // planned start 1 April 2027
  REQUIRE(ActivateOn(ipa, Day(2027, 4, 5), testing::Officer(), Utc(2027, 4, 6)) ==
          absl::OkStatus());
  CHECK(ipa.state == IpaState::kActive);
  CHECK(ipa.actual_start_date == Day(2027, 4, 5));
  CHECK(ipa.actual_start_recorded);
  CHECK(ipa.history.back().actor->user_id == "officer-1");
  CHECK(ipa.history.back().what == "placement started 2027-04-05 (planned 2027-04-01)");
  CHECK_FALSE(ActivationDue(ipa, Utc(2027, 4, 7)));  // the timer has nothing to start
}

TEST_CASE("a placement that started earlier than planned is activated before its start date") {
  Ipa ipa = testing::Signed();
  REQUIRE(ActivateOn(ipa, Day(2027, 3, 25), testing::Commissioner(), Utc(2027, 3, 26, 9)) ==
          absl::OkStatus());
  CHECK(ipa.state == IpaState::kActive);
  CHECK(ipa.actual_start_date == Day(2027, 3, 25));
}

TEST_CASE("an actual start in the future, before the award or after the ending is refused") {
  Ipa ipa = testing::Signed();
  const absl::Status future = ActivateOn(ipa, Day(2027, 4, 7), testing::Officer(), Utc(2027, 4, 6));
  CHECK(future.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(future) ==
        "actual_start_date: must not be in the future: today is 2027-04-06, got 2027-04-07");
  const absl::Status before_award =
      ActivateOn(ipa, Day(2027, 2, 28), testing::Officer(), Utc(2027, 4, 6));
  CHECK(before_award.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(before_award) ==
        "actual_start_date: must not be before the award on 2027-03-01, got 2027-02-28");
  CHECK(ActivateOn(ipa, Day(2027, 4, 5), testing::ProviderUser(), Utc(2027, 4, 6)).code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(ipa.state == IpaState::kSigned);

  const AgreementInput agreement{Day(2027, 4, 3), EndReason::kPlacementBreakdown, ""};
  REQUIRE(AgreeEnding(ipa, agreement, testing::Officer(), Now()) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, agreement, testing::ProviderUser(), Now()) == absl::OkStatus());
  const absl::Status ended = ActivateOn(ipa, Day(2027, 4, 5), testing::Officer(), Utc(2027, 4, 6));
  CHECK(ended.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(ended) == "ipa: it ends on 2027-04-03, before 2027-04-05");
  CHECK(ipa.state == IpaState::kSigned);
  Ipa draft = testing::Draft();
  CHECK(ActivateOn(draft, Day(2027, 4, 5), testing::Officer(), Utc(2027, 4, 6)).code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("the timer's start on the planned day is corrected once by the placing authority") {
  Ipa ipa = testing::Active();  // started by the timer on 1 April
  CHECK_FALSE(ipa.actual_start_recorded);
  REQUIRE(ActivateOn(ipa, Day(2027, 4, 5), testing::Officer(), Utc(2027, 4, 6)) ==
          absl::OkStatus());
  CHECK(ipa.actual_start_date == Day(2027, 4, 5));
  CHECK(ipa.history.back().what ==
        "placement's actual start recorded as 2027-04-05 (the timer had started it on 2027-04-01)");
  const absl::Status again = ActivateOn(ipa, Day(2027, 4, 4), testing::Officer(), Utc(2027, 4, 6));
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(again) ==
        "ipa: the placement's start was recorded as 2027-04-05; it cannot change");
  CHECK(ipa.actual_start_date == Day(2027, 4, 5));
}

TEST_CASE("a start the placing authority gave, or one a variation rests on, is not corrected") {
  Ipa planned = testing::Signed();
  REQUIRE(Activate(planned, Utc(2027, 4, 1, 9), testing::Officer()) == absl::OkStatus());
  CHECK(planned.actual_start_recorded);
  CHECK(ActivateOn(planned, Day(2027, 4, 2), testing::Officer(), Utc(2027, 4, 6)).code() ==
        absl::StatusCode::kFailedPrecondition);

  Ipa varied = testing::Active();
  REQUIRE(ProposeVariation(varied, testing::Extension(), FakeRenderer(), testing::Officer(),
                           AfterStart())
              .ok());
  const absl::Status rests =
      ActivateOn(varied, Day(2027, 4, 5), testing::Officer(), Utc(2027, 4, 6));
  CHECK(rests.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(rests) ==
        "ipa: version 2 was proposed after the placement started on 2027-04-01; its start can no "
        "longer change");
}

TEST_CASE("cancelling an issued IPA withdraws the version awaiting signatures") {
  Ipa ipa = testing::Issued();
  CHECK(Message(Cancel(ipa, " ", testing::Officer(), Now())) == "reason: required");
  REQUIRE(Cancel(ipa, "Child returned home before signature", testing::Officer(), Now()) ==
          absl::OkStatus());
  CHECK(ipa.state == IpaState::kCancelled);
  CHECK(ipa.versions[0].state == VersionState::kWithdrawn);
  CHECK(ipa.cancellation_reason == "Child returned home before signature");
}

}  // namespace
}  // namespace dps::contracts
