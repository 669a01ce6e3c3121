// The IPA use cases against the in-memory store (label pure): what each writes, what it
// announces, and that a failure writes nothing.
#include "services/contracts/app/ipa_use_cases.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/app/fee_uplift_use_cases.h"
#include "services/contracts/app/ipa_events.h"
#include "services/contracts/app/testing/fake_ipa_store.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures and the fake store
namespace ev = ::dps::events::v1;

// Bytes naming the IPA and version; `during` runs inside the render (to change the store under
// a render in progress), `fail` fails it.
class FakeDocuments final : public DocumentRenderer {
 public:
  absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                             const IpaVersion& version) const override {
    ++renders;
    if (during) during();
    if (!fail.ok()) return fail;
    return absl::StrCat("%PDF IPA ", ipa.id, " version ", version.number);
  }
  absl::Status fail = absl::OkStatus();
  std::function<void()> during;
  mutable int renders = 0;
};

struct World {
  FakeIpaStore store;
  FakeDocuments documents;
  platform::FakeClock clock{Now()};
  int ids = 0;
  IpaUseCases::Options options;
  IpaUseCases cases{store, documents, clock, [this] { return absl::StrCat("ipa-", ++ids); },
                    options};
  int uplift_ids = 0;
  FeeUpliftUseCases uplifts{store, documents, clock,
                            [this] { return absl::StrCat("uplift-", ++uplift_ids); }};

  const Caller officer{Officer(), "req-officer"};
  const Caller provider{ProviderUser(), "req-provider"};
  const Caller service{ContractsServiceActor(), "req-award"};

  StoredIpa Create() {
    absl::StatusOr<CreateResult> made = cases.CreateIpaFromAward(ValidSpec(), service);
    REQUIRE(made.status() == absl::OkStatus());
    return made->ipa;
  }
  StoredIpa Issued() {
    const StoredIpa draft = Create();
    absl::StatusOr<StoredIpa> issued = cases.IssueIpa(draft.ipa.id, 0, officer);
    REQUIRE(issued.status() == absl::OkStatus());
    return *issued;
  }
  StoredIpa SignedByBoth() {
    const StoredIpa issued = Issued();
    const std::string hash = issued.ipa.versions[0].document_sha256;
    REQUIRE(
        cases.SignIpa(issued.ipa.id, {hash, "Sam Jones", "Head of Service"}, 0, officer).status() ==
        absl::OkStatus());
    absl::StatusOr<StoredIpa> done =
        cases.SignIpa(issued.ipa.id, {hash, "Ali Khan", "Director"}, 0, provider);
    REQUIRE(done.status() == absl::OkStatus());
    return *done;
  }
  const StoredIpa& Stored(const std::string& id) { return store.state().ipas.at(id); }
};

ev::EventEnvelope Envelope(const IpaEvent& event) {
  ev::EventEnvelope envelope;
  REQUIRE(envelope.ParseFromString(event.payload));
  CHECK(envelope.type() == event.type);
  CHECK(envelope.aggregate_type() == "ipa");
  CHECK(envelope.aggregate_id() == event.aggregate_id);
  CHECK(envelope.schema_version() == 1);
  return envelope;
}

std::vector<std::string> Types(const std::vector<IpaEvent>& events) {
  std::vector<std::string> out;
  for (const IpaEvent& e : events) out.push_back(e.type);
  return out;
}

// --- CreateIpaFromAward -----------------------------------------------------------------------

TEST_CASE("an award makes a DRAFT IPA and announces contracts.ipa.created", "[create]") {
  World w;
  absl::StatusOr<CreateResult> made = w.cases.CreateIpaFromAward(ValidSpec(), w.service);
  REQUIRE(made.status() == absl::OkStatus());
  CHECK(made->created);
  CHECK(made->ipa.ipa.id == "ipa-1");
  CHECK(made->ipa.version == 1);
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kDraft);
  REQUIRE(w.store.events().size() == 1);
  const ev::EventEnvelope envelope = Envelope(w.store.events()[0]);
  CHECK(envelope.type() == "contracts.ipa.created");
  CHECK(envelope.request_id() == "req-award");
  CHECK(envelope.actor().role() == "ROLE_SERVICE");
  CHECK(envelope.system_id() == "system-1");
  CHECK(envelope.ipa_created().source().bid_id() == "bid-7");
  CHECK(envelope.ipa_created().provider_id() == "acme-care");
}

TEST_CASE("a second delivery of the same award returns the IPA made and writes nothing",
          "[create]") {
  World w;
  const StoredIpa first = w.Create();
  const int writes = w.store.commits_that_wrote();
  w.clock.Advance(absl::Hours(2));

  IpaSpec again = ValidSpec();
  again.terms.costs.core_weekly_fee_pence = 99'000;  // whatever else it carries
  absl::StatusOr<CreateResult> replay = w.cases.CreateIpaFromAward(again, w.service);
  REQUIRE(replay.status() == absl::OkStatus());
  CHECK_FALSE(replay->created);
  CHECK(replay->ipa.ipa.id == first.ipa.id);
  CHECK(replay->ipa.version == 1);
  CHECK(replay->ipa.ipa.draft.costs.core_weekly_fee_pence == 85'000);
  CHECK(w.store.commits_that_wrote() == writes);
  CHECK(w.store.state().ipas.size() == 1);
  CHECK(w.store.events().size() == 1);
}

TEST_CASE(
    "two deliveries at once: the one whose insert loses to the unique source returns the "
    "winner's IPA",
    "[create]") {
  World w;
  bool raced = false;
  w.store.before_write = [&](const std::string& what) -> absl::Status {
    if (what != "insert" || raced) return absl::OkStatus();
    raced = true;
    // The other delivery commits between this one's find and its insert.
    IpaSpec spec = ValidSpec();
    spec.id = "ipa-other";
    const Ipa other = CreateIpa(spec, Service(), Now()).value();
    REQUIRE(w.store.Run([&](IpaTransaction& tx) { return tx.ipas().Insert(other, {}).status(); }) ==
            absl::OkStatus());
    return absl::AlreadyExistsError("ipas_source_key_key");
  };
  absl::StatusOr<CreateResult> made = w.cases.CreateIpaFromAward(ValidSpec(), w.service);
  REQUIRE(made.status() == absl::OkStatus());
  CHECK_FALSE(made->created);
  CHECK(made->ipa.ipa.id == "ipa-other");
  CHECK(w.store.state().ipas.size() == 1);
  CHECK(w.store.events().empty());  // the winner's own event is its delivery's business
}

TEST_CASE("an award with a bad source or terms is refused and writes nothing", "[create]") {
  World w;
  IpaSpec spec = ValidSpec();
  spec.source.bid_id = "bid:7";
  CHECK(w.cases.CreateIpaFromAward(spec, w.service).status().code() ==
        absl::StatusCode::kInvalidArgument);
  spec = ValidSpec();
  spec.terms.costs.core_weekly_fee_pence = 0;
  CHECK(w.cases.CreateIpaFromAward(spec, w.service).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.store.state().ipas.empty());
  CHECK(w.store.commits_that_wrote() == 0);
}

// --- IssueIpa ----------------------------------------------------------------------------------

TEST_CASE("issuing renders version 1, stores its bytes with their hash, and announces it",
          "[issue]") {
  World w;
  const StoredIpa draft = w.Create();
  absl::StatusOr<StoredIpa> issued = w.cases.IssueIpa(draft.ipa.id, 1, w.officer);
  REQUIRE(issued.status() == absl::OkStatus());
  CHECK(issued->version == 2);
  CHECK(issued->ipa.state == IpaState::kIssued);
  const std::string bytes = w.store.state().documents.at({"ipa-1", 1});
  CHECK(bytes == "%PDF IPA ipa-1 version 1");
  const IpaVersion& v1 = w.Stored("ipa-1").ipa.versions.at(0);
  CHECK(v1.document_sha256 == platform::Sha256Hex(bytes));
  CHECK(v1.byte_length == static_cast<int64_t>(bytes.size()));
  REQUIRE(Types(w.store.events()) ==
          std::vector<std::string>{"contracts.ipa.created", "contracts.ipa.issued"});
  const ev::EventEnvelope envelope = Envelope(w.store.events()[1]);
  CHECK(envelope.ipa_issued().version_number() == 1);
  CHECK(envelope.ipa_issued().document_sha256() == v1.document_sha256);
  CHECK(envelope.actor().user_id() == "officer-1");
  CHECK(envelope.request_id() == "req-officer");
}

TEST_CASE(
    "issuing is refused for the wrong version, the wrong party or a failed render, and "
    "writes nothing",
    "[issue]") {
  World w;
  const StoredIpa draft = w.Create();
  const int writes = w.store.commits_that_wrote();
  CHECK(w.cases.IssueIpa(draft.ipa.id, 7, w.officer).status().code() == absl::StatusCode::kAborted);
  CHECK(w.cases.IssueIpa(draft.ipa.id, 0, w.provider).status().code() ==
        absl::StatusCode::kPermissionDenied);
  w.documents.fail = absl::UnavailableError("renderer down");
  CHECK(w.cases.IssueIpa(draft.ipa.id, 0, w.officer).status().code() ==
        absl::StatusCode::kUnavailable);
  CHECK(w.cases.IssueIpa("ipa-404", 0, w.officer).status().code() == absl::StatusCode::kNotFound);
  CHECK(w.store.commits_that_wrote() == writes);
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kDraft);
  CHECK(w.store.state().documents.empty());
}

TEST_CASE("an IPA changed while its version renders is not overwritten: Aborted", "[issue]") {
  World w;
  const StoredIpa draft = w.Create();
  w.documents.during = [&] {
    w.documents.during = nullptr;
    // Someone cancels it meanwhile.
    REQUIRE(w.store.Run([&](IpaTransaction& tx) -> absl::Status {
      StoredIpa s = tx.ipas().Load(draft.ipa.id).value();
      REQUIRE(Cancel(s.ipa, "fell through", Officer(), Now()) == absl::OkStatus());
      return tx.ipas().Save(s.ipa, s.version, {}).status();
    }) == absl::OkStatus());
  };
  CHECK(w.cases.IssueIpa(draft.ipa.id, 0, w.officer).status().code() == absl::StatusCode::kAborted);
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kCancelled);
  CHECK(Types(w.store.events()) == std::vector<std::string>{"contracts.ipa.created"});
}

TEST_CASE("when the event cannot be written, the change is not kept either", "[issue]") {
  World w;
  const StoredIpa draft = w.Create();
  w.store.before_write = [](const std::string& what) {
    return what == "publish" ? absl::UnavailableError("outbox") : absl::OkStatus();
  };
  CHECK(w.cases.IssueIpa(draft.ipa.id, 0, w.officer).status().code() ==
        absl::StatusCode::kUnavailable);
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kDraft);
  CHECK(w.Stored("ipa-1").version == 1);
  CHECK(w.store.state().documents.empty());
}

// --- SignIpa -----------------------------------------------------------------------------------

TEST_CASE("each signature is saved and announced, and the second makes the IPA SIGNED", "[sign]") {
  World w;
  const StoredIpa issued = w.Issued();
  const std::string hash = issued.ipa.versions[0].document_sha256;
  absl::StatusOr<StoredIpa> one =
      w.cases.SignIpa("ipa-1", {hash, "Sam Jones", "Head of Service"}, issued.version, w.officer);
  REQUIRE(one.status() == absl::OkStatus());
  CHECK(one->ipa.state == IpaState::kIssued);
  CHECK(one->version == 3);
  ev::EventEnvelope envelope = Envelope(w.store.events().back());
  CHECK(envelope.type() == "contracts.ipa.signed");
  CHECK(envelope.ipa_signed().party() == dps::contracts::v1::PARTY_PLACING_AUTHORITY);
  CHECK_FALSE(envelope.ipa_signed().fully_signed());
  CHECK(envelope.ipa_signed().document_sha256() == hash);

  absl::StatusOr<StoredIpa> two =
      w.cases.SignIpa("ipa-1", {hash, "Ali Khan", "Director"}, 0, w.provider);
  REQUIRE(two.status() == absl::OkStatus());
  CHECK(two->ipa.state == IpaState::kSigned);
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kSigned);
  CHECK(w.Stored("ipa-1").ipa.versions[0].signatures.size() == 2);
  envelope = Envelope(w.store.events().back());
  CHECK(envelope.ipa_signed().party() == dps::contracts::v1::PARTY_PROVIDER);
  CHECK(envelope.ipa_signed().fully_signed());
  CHECK(envelope.ipa_signed().version_number() == 1);
}

TEST_CASE("a signature of the wrong hash, by a stranger or at a stale version writes nothing",
          "[sign]") {
  World w;
  const StoredIpa issued = w.Issued();
  const std::string hash = issued.ipa.versions[0].document_sha256;
  const size_t events = w.store.events().size();
  CHECK(w.cases.SignIpa("ipa-1", {HashOf(42), "Sam Jones", "Head"}, 0, w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  // Another authority's officer is not told the IPA exists.
  const Caller stranger{{"user-9", Role::kPlacingOfficer, "surrey"}, "req-9"};
  CHECK(w.cases.SignIpa("ipa-1", {hash, "Pat", "Head"}, 0, stranger).status() ==
        absl::NotFoundError("ipa ipa-1: not found"));
  CHECK(w.cases.SignIpa("ipa-1", {hash, "Sam", "Head"}, 1, w.officer).status().code() ==
        absl::StatusCode::kAborted);
  CHECK(w.store.events().size() == events);
  CHECK(w.Stored("ipa-1").version == issued.version);
}

// --- RunDueTimers ------------------------------------------------------------------------------

TEST_CASE("the timer activates on the start date and ends on the end date, announcing each",
          "[timer]") {
  World w;
  const StoredIpa signed_ipa = w.SignedByBoth();  // starts 1 April 2027
  absl::StatusOr<IpaUseCases::TimerRun> run = w.cases.RunDueTimers(Utc(2027, 3, 31, 23, 59));
  REQUIRE(run.status() == absl::OkStatus());
  CHECK(run->activated.empty());

  run = w.cases.RunDueTimers(Utc(2027, 4, 1, 0, 1));
  REQUIRE(run.status() == absl::OkStatus());
  CHECK(run->activated == std::vector<std::string>{"ipa-1"});
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kActive);
  ev::EventEnvelope envelope = Envelope(w.store.events().back());
  CHECK(envelope.type() == "contracts.ipa.activated");
  CHECK(envelope.actor().role() == "ROLE_SERVICE");
  CHECK(envelope.ipa_activated().actual_start_date().day() == 1);
  CHECK(envelope.ipa_activated().total_weekly_fee().pence() == 120'750);  // 807.50 + 300 + 100

  // Run again at the same time: nothing left to do.
  run = w.cases.RunDueTimers(Utc(2027, 4, 1, 0, 1));
  CHECK(run->activated.empty());

  // Both parties agree to end on 30 September.
  REQUIRE(w.store.Run([&](IpaTransaction& tx) -> absl::Status {
    StoredIpa s = tx.ipas().Load("ipa-1").value();
    const AgreementInput agreement{Day(2027, 9, 30), EndReason::kStepDown, ""};
    REQUIRE(AgreeEnding(s.ipa, agreement, Officer(), AfterStart()) == absl::OkStatus());
    REQUIRE(AgreeEnding(s.ipa, agreement, ProviderUser(), AfterStart()) == absl::OkStatus());
    return tx.ipas().Save(s.ipa, s.version, {}).status();
  }) == absl::OkStatus());
  CHECK(w.cases.RunDueTimers(Utc(2027, 9, 29, 23))->ended.empty());
  run = w.cases.RunDueTimers(Utc(2027, 9, 30, 0, 0));
  CHECK(run->ended == std::vector<std::string>{"ipa-1"});
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kEnded);
  envelope = Envelope(w.store.events().back());
  CHECK(envelope.type() == "contracts.ipa.ended");
  CHECK(envelope.ipa_ended().basis() == dps::contracts::v1::ENDING_BASIS_MUTUAL_AGREEMENT);
  CHECK(envelope.ipa_ended().reason() == dps::contracts::v1::END_REASON_STEP_DOWN);
  CHECK(envelope.ipa_ended().ended_on().month() == 9);
}

TEST_CASE("the timer works through every due IPA, batch after batch", "[timer]") {
  World w;
  w.options.timer_batch = 2;
  IpaUseCases cases(
      w.store, w.documents, w.clock, [&] { return absl::StrCat("ipa-", ++w.ids); }, w.options);
  for (int i = 0; i < 5; ++i) {
    IpaSpec spec = ValidSpec();
    spec.source.bid_id = absl::StrCat("bid-", i);
    const StoredIpa made = cases.CreateIpaFromAward(spec, w.service).value().ipa;
    const StoredIpa issued = cases.IssueIpa(made.ipa.id, 0, w.officer).value();
    const std::string hash = issued.ipa.versions[0].document_sha256;
    REQUIRE(cases.SignIpa(made.ipa.id, {hash, "Sam", "Head"}, 0, w.officer).ok());
    REQUIRE(cases.SignIpa(made.ipa.id, {hash, "Ali", "Director"}, 0, w.provider).ok());
  }
  absl::StatusOr<IpaUseCases::TimerRun> run = cases.RunDueTimers(Utc(2027, 4, 1, 6));
  REQUIRE(run.status() == absl::OkStatus());
  CHECK(run->activated.size() == 5);
  for (const auto& [id, stored] : w.store.state().ipas) {
    CHECK(stored.ipa.state == IpaState::kActive);
  }
}

TEST_CASE("a SIGNED IPA whose agreed end comes before its start is ended, never activated",
          "[timer]") {
  World w;
  w.SignedByBoth();
  REQUIRE(w.store.Run([&](IpaTransaction& tx) -> absl::Status {
    StoredIpa s = tx.ipas().Load("ipa-1").value();
    const AgreementInput agreement{Day(2027, 3, 20), EndReason::kPlacementBreakdown, ""};
    REQUIRE(AgreeEnding(s.ipa, agreement, Officer(), Now()) == absl::OkStatus());
    REQUIRE(AgreeEnding(s.ipa, agreement, ProviderUser(), Now()) == absl::OkStatus());
    return tx.ipas().Save(s.ipa, s.version, {}).status();
  }) == absl::OkStatus());
  absl::StatusOr<IpaUseCases::TimerRun> run = w.cases.RunDueTimers(Utc(2027, 4, 2));
  REQUIRE(run.status() == absl::OkStatus());
  CHECK(run->activated.empty());
  CHECK(run->ended == std::vector<std::string>{"ipa-1"});
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kEnded);
}

// --- reading, drafts, cancelling, activating, the request hook ----------------------------------

TEST_CASE("who may read an IPA: its parties see the children and overseers see it without",
          "[read]") {
  World w;
  w.Create();
  CHECK(w.cases.GetIpa("ipa-1", Officer())->children_visible);
  CHECK(w.cases.GetIpa("ipa-1", ProviderUser())->children_visible);
  const Actor lead_admin{"admin-1", Role::kLeadAuthorityAdmin, "authority-lead"};
  const Actor lead_auditor{"auditor-1", Role::kAuditor, "authority-lead"};
  CHECK_FALSE(w.cases.GetIpa("ipa-1", lead_admin)->children_visible);
  CHECK_FALSE(w.cases.GetIpa("ipa-1", lead_auditor)->children_visible);
  CHECK_FALSE(w.cases.GetIpa("ipa-1", Service())->children_visible);
  // Anyone else is told it does not exist, as for an id nobody has.
  const absl::Status not_found = absl::NotFoundError("ipa ipa-1: not found");
  CHECK(w.cases.GetIpa("ipa-1", {"admin-2", Role::kLeadAuthorityAdmin, "surrey"}).status() ==
        not_found);
  CHECK(w.cases.GetIpa("ipa-1", {"officer-2", Role::kPlacingOfficer, "surrey"}).status() ==
        not_found);
  CHECK(w.cases.GetIpa("ipa-1", {"user-2", Role::kProviderUser, "other-care"}).status() ==
        not_found);
  CHECK(w.cases.GetIpa("ipa-1", {"ev-1", Role::kEvaluator, "west-sussex"}).status() == not_found);
  CHECK(w.cases.GetIpa("ipa-9", Officer()).status() == absl::NotFoundError("ipa ipa-9: not found"));
}

TEST_CASE("a list is held to the caller's own scope", "[read]") {
  World w;
  w.Create();
  IpaSpec other = ValidSpec();
  other.source.referral_id = "referral-2";
  other.parties = {"surrey", "other-care", "other-care-guildford"};
  other.lead_authority_id = "surrey";
  REQUIRE(w.cases.CreateIpaFromAward(other, w.service).ok());
  auto ids = [&](const IpaFilter& filter, const Actor& actor) {
    std::vector<std::string> out;
    absl::StatusOr<IpaUseCases::ListResult> page = w.cases.ListIpas(filter, {}, actor);
    REQUIRE(page.status() == absl::OkStatus());
    for (const IpaView& view : page->ipas) out.push_back(view.stored.ipa.id);
    return out;
  };
  CHECK(ids({}, Officer()) == std::vector<std::string>{"ipa-1"});
  CHECK(ids({}, ProviderUser()) == std::vector<std::string>{"ipa-1"});
  CHECK(ids({}, {"auditor-1", Role::kAuditor, "surrey"}) == std::vector<std::string>{"ipa-2"});
  CHECK(ids({}, Service()) == std::vector<std::string>{"ipa-1", "ipa-2"});
  CHECK(w.cases.ListIpas({.placing_authority_id = "surrey"}, {}, Officer()).status() ==
        absl::PermissionDeniedError(
            "placing_authority_id: only your own organisation's IPAs may be listed"));
  CHECK(w.cases.ListIpas({}, {}, {"ev-1", Role::kEvaluator, "west-sussex"}).status().code() ==
        absl::StatusCode::kPermissionDenied);
  // Filters within the scope narrow it.
  CHECK(ids({.states = {IpaState::kIssued}}, Officer()).empty());
  CHECK(ids({.establishment_id = "acme-care-horsham"}, Officer()) ==
        std::vector<std::string>{"ipa-1"});
}

TEST_CASE("a draft's terms are replaced by its authority and the award's fee stays", "[draft]") {
  World w;
  const StoredIpa draft = w.Create();
  IpaTerms terms = draft.ipa.draft;
  terms.purposes = {"A long-term foster home with her brother"};
  absl::StatusOr<StoredIpa> updated =
      w.cases.UpdateDraft("ipa-1", terms, std::nullopt, draft.version, w.officer);
  REQUIRE(updated.status() == absl::OkStatus());
  CHECK(w.Stored("ipa-1").ipa.draft.purposes == terms.purposes);
  CHECK(updated->version == draft.version + 1);
  // Announced by no event, recorded in the audit log all the same.
  REQUIRE(w.store.state().audit_entries.size() == 1);
  CHECK(w.store.state().audit_entries[0].action == "ipa.draft_updated");
  CHECK(w.store.state().audit_entries[0].from_state == "DRAFT");
  CHECK(w.store.state().audit_entries[0].to_state == "DRAFT");
  CHECK(w.store.state().audit_entries[0].details_json == R"({"children_changed":"false"})");
  // A stale version, the provider, a changed core fee: refused and nothing written.
  CHECK(
      w.cases.UpdateDraft("ipa-1", terms, std::nullopt, draft.version, w.officer).status().code() ==
      absl::StatusCode::kAborted);
  CHECK(w.cases.UpdateDraft("ipa-1", terms, std::nullopt, 0, w.provider).status().code() ==
        absl::StatusCode::kPermissionDenied);
  IpaTerms dearer = terms;
  dearer.costs.core_weekly_fee_pence += 100;
  CHECK(w.cases.UpdateDraft("ipa-1", dearer, std::nullopt, 0, w.officer).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.Stored("ipa-1").version == updated->version);
  // The children come with the draft; a bad one refuses the whole update.
  const ChildIdentity child{.given_names = "Sam",
                            .family_name = "Jones",
                            .date_of_birth = absl::CivilDay(2014, 6, 1),
                            .home_postcode = "RH12 1AB"};
  REQUIRE(w.cases.UpdateDraft("ipa-1", terms, std::vector{child}, 0, w.officer).ok());
  CHECK(w.Stored("ipa-1").ipa.children == std::vector{child});
  ChildIdentity unborn = child;
  unborn.date_of_birth = absl::CivilDay(2030, 1, 1);
  CHECK(w.cases.UpdateDraft("ipa-1", terms, std::vector{unborn}, 0, w.officer).status() ==
        absl::InvalidArgumentError("children[0].date_of_birth: must not be in the future"));
  CHECK(w.Stored("ipa-1").ipa.children == std::vector{child});
}

TEST_CASE("cancelling an issued IPA announces it without the reason", "[cancel]") {
  World w;
  w.Issued();
  absl::StatusOr<StoredIpa> cancelled =
      w.cases.CancelIpa("ipa-1", "The child returned home", w.officer);
  REQUIRE(cancelled.status() == absl::OkStatus());
  CHECK(cancelled->ipa.state == IpaState::kCancelled);
  const ev::EventEnvelope envelope = Envelope(w.store.events().back());
  CHECK(envelope.type() == "contracts.ipa.cancelled");
  CHECK(envelope.ipa_cancelled().previous_state() == dps::contracts::v1::IPA_STATE_ISSUED);
  CHECK(envelope.SerializeAsString().find("returned home") == std::string::npos);
  // Once cancelled, nothing more: not again, not signed.
  CHECK(w.cases.CancelIpa("ipa-1", "again", w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("the placing authority starts a signed placement on its start date", "[activate]") {
  World w;
  w.SignedByBoth();  // starts 1 April 2027
  CHECK(w.cases.ActivateIpa("ipa-1", w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);  // the clock is before the start
  w.clock.Set(Utc(2027, 4, 1, 9));
  CHECK(w.cases.ActivateIpa("ipa-1", w.provider).status().code() ==
        absl::StatusCode::kPermissionDenied);
  absl::StatusOr<StoredIpa> active = w.cases.ActivateIpa("ipa-1", w.officer);
  REQUIRE(active.status() == absl::OkStatus());
  CHECK(active->ipa.state == IpaState::kActive);
  CHECK(Envelope(w.store.events().back()).type() == "contracts.ipa.activated");
}

TEST_CASE(
    "an earlier actual start activates before the planned day and the timer then does nothing",
    "[activate]") {
  World w;
  w.SignedByBoth();  // planned start 1 April 2027
  w.clock.Set(Utc(2027, 3, 27, 10));
  absl::StatusOr<StoredIpa> active = w.cases.ActivateIpa("ipa-1", Day(2027, 3, 25), w.officer);
  REQUIRE(active.status() == absl::OkStatus());
  CHECK(active->ipa.actual_start_date == Day(2027, 3, 25));
  const ev::EventEnvelope envelope = Envelope(w.store.events().back());
  CHECK(envelope.type() == "contracts.ipa.activated");
  CHECK(envelope.ipa_activated().actual_start_date().day() == 25);
  CHECK(envelope.ipa_activated().total_weekly_fee().pence() == 120'750);
  const size_t events = w.store.events().size();
  // On the planned day the timer finds nothing to start.
  absl::StatusOr<IpaUseCases::TimerRun> run = w.cases.RunDueTimers(Utc(2027, 4, 1, 0, 1));
  REQUIRE(run.status() == absl::OkStatus());
  CHECK(run->activated.empty());
  CHECK(w.store.events().size() == events);
  CHECK(w.Stored("ipa-1").ipa.actual_start_date == Day(2027, 3, 25));
}

TEST_CASE("a later actual start corrects the timer's start once and a future day is refused",
          "[activate]") {
  World w;
  w.SignedByBoth();
  REQUIRE(w.cases.RunDueTimers(Utc(2027, 4, 1, 0, 1))->activated.size() == 1);
  w.clock.Set(Utc(2027, 4, 6, 9));
  const absl::Status future = w.cases.ActivateIpa("ipa-1", Day(2027, 4, 7), w.officer).status();
  CHECK(future.code() == absl::StatusCode::kInvalidArgument);
  CHECK(future.message() ==
        "actual_start_date: must not be in the future: today is 2027-04-06, got 2027-04-07");
  CHECK(w.cases.ActivateIpa("ipa-1", Day(2027, 4, 5), w.provider).status().code() ==
        absl::StatusCode::kPermissionDenied);
  absl::StatusOr<StoredIpa> corrected = w.cases.ActivateIpa("ipa-1", Day(2027, 4, 5), w.officer);
  REQUIRE(corrected.status() == absl::OkStatus());
  CHECK(corrected->ipa.actual_start_date == Day(2027, 4, 5));
  CHECK(Envelope(w.store.events().back()).ipa_activated().actual_start_date().day() == 5);
  CHECK(w.cases.ActivateIpa("ipa-1", Day(2027, 4, 4), w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(w.cases.ActivateIpa("ipa-1", w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(w.cases.RunDueTimers(Utc(2027, 4, 7))->activated.empty());
}

TEST_CASE("the stored document of a version and a draft's preview", "[document]") {
  World w;
  w.Create();
  absl::StatusOr<IpaDocument> preview = w.cases.Document("ipa-1", 0, Officer());
  REQUIRE(preview.status() == absl::OkStatus());
  CHECK(preview->version_number == 0);
  CHECK(preview->sha256 == platform::Sha256Hex(preview->bytes));
  // Overseers do not preview a draft; there is no version 1 yet.
  const Actor lead_admin{"admin-1", Role::kLeadAuthorityAdmin, "authority-lead"};
  CHECK(w.cases.Document("ipa-1", 0, lead_admin).status().code() == absl::StatusCode::kNotFound);
  CHECK(w.cases.Document("ipa-1", 1, Officer()).status().code() == absl::StatusCode::kNotFound);
  CHECK(w.cases.Document("ipa-1", -1, Officer()).status() ==
        absl::InvalidArgumentError("version_number: must be 0 or more"));

  REQUIRE(w.cases.IssueIpa("ipa-1", 0, w.officer).ok());
  absl::StatusOr<IpaDocument> issued = w.cases.Document("ipa-1", 0, lead_admin);
  REQUIRE(issued.status() == absl::OkStatus());
  CHECK(issued->version_number == 1);
  CHECK(issued->bytes == "%PDF IPA ipa-1 version 1");
  CHECK(issued->sha256 == w.Stored("ipa-1").ipa.versions[0].document_sha256);
  CHECK(*w.cases.Document("ipa-1", 1, ProviderUser()) == *issued);
}

TEST_CASE("the caller's hook runs in the saving transaction and its failure undoes the change",
          "[hook]") {
  World w;
  w.Issued();
  const std::string hash = w.Stored("ipa-1").ipa.versions[0].document_sha256;
  Caller officer = w.officer;
  int64_t seen_version = 0;
  officer.on_saved = [&](IpaTransaction& tx, const StoredIpa& saved) {
    seen_version = saved.version;
    return tx.RecordResponse({"west-sussex/SignIpa", "k-1", "digest", "answer"});
  };
  const size_t events = w.store.events().size();
  REQUIRE(w.cases.SignIpa("ipa-1", {hash, "Sam Jones", "Head"}, 0, officer).ok());
  CHECK(seen_version == w.Stored("ipa-1").version);
  CHECK(w.store.state().responses.size() == 1);
  CHECK(w.store.events().size() == events + 1);
  // The same key again (a repeat that raced and lost): the provider's signature is undone.
  Caller provider = w.provider;
  provider.on_saved = [&](IpaTransaction& tx, const StoredIpa&) {
    return tx.RecordResponse({"west-sussex/SignIpa", "k-1", "digest", "answer"});
  };
  CHECK(w.cases.SignIpa("ipa-1", {hash, "Ali Khan", "Director"}, 0, provider).status().code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(w.Stored("ipa-1").ipa.state == IpaState::kIssued);
  CHECK(w.store.events().size() == events + 1);
}

TEST_CASE("notice is announced with its end date and the timer ends the placement then",
          "[ending]") {
  World w;
  w.SignedByBoth();  // fostering, starts 1 April 2027
  w.clock.Set(Utc(2027, 4, 10, 9));
  REQUIRE(w.cases.RunDueTimers(w.clock.Now())->activated.size() == 1);
  const NoticeInput notice{.reason = EndReason::kStepDown,
                           .detail = "Moving to supported lodgings"};
  absl::StatusOr<StoredIpa> given = w.cases.GiveNotice("ipa-1", notice, w.provider);
  REQUIRE(given.status() == absl::OkStatus());
  REQUIRE(given->ipa.ending.has_value());
  CHECK(given->ipa.ending->end_date == Day(2027, 5, 8));  // 28 days' notice
  const ev::EventEnvelope envelope = Envelope(w.store.events().back());
  CHECK(envelope.type() == "contracts.ipa.notice_given");
  CHECK(envelope.ipa_notice_given().basis() == dps::contracts::v1::ENDING_BASIS_NOTICE_BY_PROVIDER);
  CHECK(envelope.ipa_notice_given().end_date().day() == 8);
  CHECK(envelope.SerializeAsString().find("supported lodgings") == std::string::npos);
  // A second notice is refused; a stranger is not told the IPA exists.
  CHECK(w.cases.GiveNotice("ipa-1", notice, w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(w.cases.GiveNotice("ipa-1", notice, {{"u", Role::kProviderUser, "other-care"}, "r"})
            .status()
            .code() == absl::StatusCode::kNotFound);
  CHECK(w.cases.RunDueTimers(Utc(2027, 5, 7, 23))->ended.empty());
  CHECK(w.cases.RunDueTimers(Utc(2027, 5, 8))->ended == std::vector<std::string>{"ipa-1"});
  CHECK(w.Stored("ipa-1").ipa.ended_on == Day(2027, 5, 8));
}

TEST_CASE("an ending both parties agree is announced once when the second agrees", "[ending]") {
  World w;
  w.SignedByBoth();
  const size_t events = w.store.events().size();
  const AgreementInput agreement{.end_date = Day(2027, 9, 30),
                                 .reason = EndReason::kOutcomesAchieved};
  REQUIRE(w.cases.AgreeEnding("ipa-1", agreement, w.officer).ok());
  CHECK(w.store.events().size() == events);  // one party: nothing scheduled yet
  CHECK_FALSE(w.Stored("ipa-1").ipa.ending.has_value());
  absl::StatusOr<StoredIpa> agreed = w.cases.AgreeEnding("ipa-1", agreement, w.provider);
  REQUIRE(agreed.status() == absl::OkStatus());
  REQUIRE(agreed->ipa.ending.has_value());
  CHECK(agreed->ipa.ending->basis == EndingBasis::kMutualAgreement);
  CHECK(w.store.events().size() == events + 1);
  CHECK(Envelope(w.store.events().back()).ipa_notice_given().basis() ==
        dps::contracts::v1::ENDING_BASIS_MUTUAL_AGREEMENT);
}

// --- Variations --------------------------------------------------------------------------------

// One-to-one support kept on to the end of September, from 1 May.
VariationInput Extension(const Ipa& ipa) {
  VariationInput input;
  input.kind = VariationKind::kAdditionalServices;
  input.reason = "Support extended after the review";
  input.terms = ipa.terms();
  input.terms.costs.additional_services[0].end_date = absl::CivilDay(2027, 9, 30);
  input.effective_from = absl::CivilDay(2027, 5, 1);
  return input;
}

TEST_CASE("a variation is rendered and stored when proposed and announced when both sign it",
          "[variation]") {
  World w;
  const StoredIpa ipa = w.SignedByBoth();
  const size_t events_before = w.store.events().size();
  absl::StatusOr<StoredIpa> proposed =
      w.cases.ProposeVariation(ipa.ipa.id, Extension(ipa.ipa), ipa.version, w.provider);
  REQUIRE(proposed.status() == absl::OkStatus());
  const IpaVersion* v2 = proposed->ipa.awaiting_signatures();
  REQUIRE(v2 != nullptr);
  CHECK(v2->number == 2);
  CHECK(w.store.state().documents.at({ipa.ipa.id, 2}) == "%PDF IPA ipa-1 version 2");
  CHECK(v2->document_sha256 == platform::Sha256Hex("%PDF IPA ipa-1 version 2"));
  CHECK(w.store.events().size() == events_before);  // a proposal is not announced

  const VariationRef ref{ipa.ipa.id, 2};
  const SignInput sign{v2->document_sha256, "A. Signer", "Head of Service"};
  REQUIRE(w.cases.SignVariation(ref, sign, w.officer).status() == absl::OkStatus());
  absl::StatusOr<StoredIpa> in_force = w.cases.SignVariation(ref, sign, w.provider);
  REQUIRE(in_force.status() == absl::OkStatus());
  CHECK(in_force->ipa.current_version_number == 2);
  const std::vector<IpaEvent> after(w.store.events().begin() + events_before,
                                    w.store.events().end());
  CHECK(Types(after) == std::vector<std::string>{"contracts.ipa.signed", "contracts.ipa.signed",
                                                 "contracts.ipa.varied"});
  const ev::IpaVaried varied = Envelope(after[2]).ipa_varied();
  CHECK(varied.variation_id() == "ipa-1.v2");
  CHECK(varied.kind() == dps::contracts::v1::VARIATION_KIND_ADDITIONAL_SERVICES);
  CHECK(varied.effective_from().month() == 5);
  // On 1 May both versions run the 1:1 support; the variation changes a later day's cost only.
  CHECK(varied.previous_total_weekly_fee().pence() == varied.total_weekly_fee().pence());
}

TEST_CASE("a variation refused: the other party rejects, the proposer may not, nothing renders",
          "[variation]") {
  World w;
  const StoredIpa ipa = w.SignedByBoth();
  REQUIRE(w.cases.ProposeVariation(ipa.ipa.id, Extension(ipa.ipa), 0, w.provider).ok());
  const VariationRef ref{ipa.ipa.id, 2};
  CHECK(w.cases.RejectVariation(ref, "Not agreed at the review", w.provider).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<StoredIpa> rejected =
      w.cases.RejectVariation(ref, "Not agreed at the review", w.officer);
  REQUIRE(rejected.status() == absl::OkStatus());
  CHECK(rejected->ipa.versions[1].state == VersionState::kRejected);
  CHECK(rejected->ipa.current_version_number == 1);
  // No event announces a rejection, but the audit log has it, without the free-text reason.
  REQUIRE(w.store.state().audit_entries.size() == 1);
  const platform::audit::Entry& entry = w.store.state().audit_entries[0];
  CHECK(entry.action == "ipa.variation_rejected");
  CHECK(entry.aggregate_id == ipa.ipa.id);
  CHECK(entry.authority_id == ipa.ipa.parties.placing_authority_id);
  CHECK(entry.actor_organisation_id == w.officer.actor.organisation_id);
  CHECK(entry.from_state == "SIGNED");
  CHECK(entry.details_json == R"({"version_number":"2"})");
  CHECK(entry.reason.empty());
  // A stranger is told the IPA does not exist; a stale expected version is Aborted.
  const Caller stranger{{"u", Role::kProviderUser, "other-provider"}, "r"};
  CHECK(w.cases.ProposeVariation(ipa.ipa.id, Extension(ipa.ipa), 0, stranger).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.cases.ProposeVariation(ipa.ipa.id, Extension(ipa.ipa), 1, w.provider).status().code() ==
        absl::StatusCode::kAborted);
  const int renders = w.documents.renders;
  VariationInput same = Extension(ipa.ipa);
  same.terms = ipa.ipa.terms();
  CHECK(w.cases.ProposeVariation(ipa.ipa.id, same, 0, w.provider).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.documents.renders == renders);
}

// --- Fee uplifts -------------------------------------------------------------------------------

UpliftRequestInput Asked() {
  return {90'000, absl::CivilDay(2027, 5, 1), "Carer fees rose 6% in April", {}};
}

TEST_CASE("an uplift request is kept and announced, and a second waits for the first", "[uplift]") {
  World w;
  const StoredIpa ipa = w.SignedByBoth();
  absl::StatusOr<StoredUplift> asked = w.uplifts.Request(ipa.ipa.id, Asked(), w.provider);
  REQUIRE(asked.status() == absl::OkStatus());
  CHECK(asked->version == 1);
  CHECK(asked->uplift.id == "uplift-1");
  CHECK(asked->uplift.lead_authority_id == "authority-lead");
  CHECK(w.store.events().back().type == "contracts.uplift.requested");
  CHECK(w.store.events().back().aggregate_id == "uplift-1");
  ev::EventEnvelope envelope;
  REQUIRE(envelope.ParseFromString(w.store.events().back().payload));
  CHECK(envelope.aggregate_type() == "fee_uplift");
  CHECK(envelope.fee_uplift_requested().requested_core_fee().pence() == 90'000);
  // The justification stays with the request.
  CHECK(w.store.events().back().payload.find("Carer fees") == std::string::npos);

  CHECK(w.uplifts.Request(ipa.ipa.id, Asked(), w.provider).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(w.uplifts.Request(ipa.ipa.id, Asked(), w.officer).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.uplifts.Request("ipa-404", Asked(), w.provider).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.store.state().uplifts.size() == 1);
}

TEST_CASE("an approved uplift proposes the FEE_UPLIFT variation with the uplift, in one commit",
          "[uplift]") {
  World w;
  const StoredIpa ipa = w.SignedByBoth();
  REQUIRE(w.uplifts.Request(ipa.ipa.id, Asked(), w.provider).ok());
  const UpliftDecision approve{UpliftState::kApproved, 0, "Within the lot's budget"};
  // Only a commissioner of the placing authority decides.
  CHECK(w.uplifts.Decide("uplift-1", approve, w.officer).status().code() ==
        absl::StatusCode::kPermissionDenied);
  const Caller commissioner{Commissioner(), "req-commissioner"};
  const Caller outsider{{"c", Role::kCommissioner, "brighton"}, "r"};
  CHECK(w.uplifts.Decide("uplift-1", approve, outsider).status().code() ==
        absl::StatusCode::kNotFound);

  absl::StatusOr<StoredUplift> decided = w.uplifts.Decide("uplift-1", approve, commissioner);
  REQUIRE(decided.status() == absl::OkStatus());
  CHECK(decided->uplift.state == UpliftState::kApproved);
  CHECK(decided->uplift.variation_version_number == 2);
  const StoredIpa& varied = w.Stored(ipa.ipa.id);
  REQUIRE(varied.ipa.versions.size() == 2);
  CHECK(varied.ipa.versions[1].variation_kind == VariationKind::kFeeUplift);
  CHECK(varied.ipa.versions[1].terms.costs.core_weekly_fee_pence == 90'000);
  CHECK(w.store.state().documents.contains({ipa.ipa.id, 2}));
  CHECK(w.store.events().back().type == "contracts.uplift.decided");
  // Decided once only.
  CHECK(w.uplifts.Decide("uplift-1", approve, commissioner).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("an uplift decided while its IPA changed is not saved: Aborted", "[uplift]") {
  World w;
  const StoredIpa ipa = w.SignedByBoth();
  REQUIRE(w.uplifts.Request(ipa.ipa.id, Asked(), w.provider).ok());
  w.documents.during = [&] {
    w.documents.during = nullptr;
    // The provider proposes a variation meanwhile.
    REQUIRE(w.cases.ProposeVariation(ipa.ipa.id, Extension(ipa.ipa), 0, w.provider).ok());
  };
  const Caller commissioner{Commissioner(), "req-commissioner"};
  CHECK(w.uplifts.Decide("uplift-1", {UpliftState::kApproved, 0, "ok"}, commissioner)
            .status()
            .code() == absl::StatusCode::kAborted);
  CHECK(w.store.state().uplifts.at("uplift-1").uplift.state == UpliftState::kRequested);
}

TEST_CASE("a withdrawn uplift does not count and a list keeps to the caller's scope", "[uplift]") {
  World w;
  const StoredIpa ipa = w.SignedByBoth();
  REQUIRE(w.uplifts.Request(ipa.ipa.id, Asked(), w.provider).ok());
  CHECK(w.uplifts.Withdraw("uplift-1", w.officer).status().code() ==
        absl::StatusCode::kPermissionDenied);
  absl::StatusOr<StoredUplift> withdrawn = w.uplifts.Withdraw("uplift-1", w.provider);
  REQUIRE(withdrawn.status() == absl::OkStatus());
  CHECK(withdrawn->uplift.state == UpliftState::kWithdrawn);
  CHECK(withdrawn->version == 2);
  REQUIRE(w.store.state().audit_entries.size() == 1);
  CHECK(w.store.state().audit_entries[0].action == "uplift.withdrawn");
  CHECK(w.store.state().audit_entries[0].from_state == "REQUESTED");
  CHECK(w.store.state().audit_entries[0].to_state == "WITHDRAWN");
  CHECK(w.store.state().audit_entries[0].details_json ==
        absl::StrCat(R"({"ipa_id":")", ipa.ipa.id, R"("})"));
  // The 12 months start from a request that counts: the next may come at once.
  REQUIRE(w.uplifts.Request(ipa.ipa.id, Asked(), w.provider).ok());

  absl::StatusOr<UpliftPage> mine = w.uplifts.List({}, {}, ProviderUser());
  REQUIRE(mine.status() == absl::OkStatus());
  CHECK(mine->uplifts.size() == 2);
  absl::StatusOr<UpliftPage> requested =
      w.uplifts.List({.states = {UpliftState::kRequested}}, {}, Officer());
  REQUIRE(requested.status() == absl::OkStatus());
  REQUIRE(requested->uplifts.size() == 1);
  CHECK(requested->uplifts[0].uplift.id == "uplift-2");
  CHECK(w.uplifts.List({}, {}, {"u", Role::kProviderUser, "other-provider"})->uplifts.empty());
  CHECK(w.uplifts.List({.provider_id = "acme-care"}, {}, {"u", Role::kProviderUser, "other"})
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  CHECK(w.uplifts.List({}, {}, {"e", Role::kEvaluator, "west-sussex"}).status().code() ==
        absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace dps::contracts
