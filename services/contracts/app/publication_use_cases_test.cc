// The publication use cases against the in-memory store and directory: producing a quarter and a
// notice (who may, which kind, which awards, once, with its event), reading and listing by role,
// and marking published.
#include "services/contracts/app/publication_use_cases.h"

#include <catch2/catch.hpp>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/app/testing/fake_publication_store.h"
#include "services/contracts/domain/test_fixtures.h"
#include "services/contracts/publication/ocds_writer.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::FakePublicationStore;
using testing::Message;
using testing::Utc;

constexpr char kPrefix[] = "ocds-b5fd17";

SystemFacts Pcr() {
  return {"system-1",     "South East Children's DPS",      Regime::kPcr2015Dps, "authority-lead",
          "Lead Council", {"authority-lead", "west-sussex"}};
}

SystemFacts Market() {
  return {"system-2",        "Northern Dynamic Market", Regime::kPa2023DynamicMarket,
          "authority-north", "North Council",           {"authority-north", "west-sussex"}};
}

class FakeDirectory final : public SystemDirectory {
 public:
  absl::StatusOr<SystemFacts> System(const std::string& system_id) const override {
    ++calls;
    auto it = systems.find(system_id);
    if (it == systems.end()) {
      return absl::NotFoundError(absl::StrCat("purchasing system ", system_id, ": not found"));
    }
    return it->second;
  }
  std::map<std::string, SystemFacts> systems = {{"system-1", Pcr()}, {"system-2", Market()}};
  mutable int calls = 0;
};

Actor LeadAdmin() { return {"admin-1", Role::kLeadAuthorityAdmin, "authority-lead"}; }
Actor LeadAuditor() { return {"auditor-1", Role::kAuditor, "authority-lead"}; }
Actor MarketAdmin() { return {"admin-9", Role::kLeadAuthorityAdmin, "authority-north"}; }

Ipa AwardOf(const std::string& id, const std::string& system, absl::Time at) {
  IpaSpec spec = testing::ValidSpec();
  spec.id = id;
  spec.system_id = system;
  spec.source.referral_id = absl::StrCat("referral-", id);
  spec.awarded_at = at;
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, testing::Service(), testing::Now());
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

ProduceRequest QuarterRequest(Quarter quarter = {2027, 2}) {
  return {"system-1", PublicationKind::kQuarterly, quarter, "", kPrefix};
}

ProduceRequest NoticeRequest(const std::string& ipa_id) {
  return {"system-2", PublicationKind::kContractAwardNotice, std::nullopt, ipa_id, kPrefix};
}

ProduceRequest DetailsRequest(const std::string& ipa_id) {
  return {"system-2", PublicationKind::kContractDetailsNotice, std::nullopt, ipa_id, kPrefix};
}

// The market's award `id`, issued and signed by both parties on Monday 5 April 2027.
Ipa SignedAwardOf(const std::string& id) {
  Ipa ipa = AwardOf(id, "system-2", Utc(2027, 4, 1));
  REQUIRE(Issue(ipa, testing::FakeRenderer(), testing::Officer(), Utc(2027, 4, 2)) ==
          absl::OkStatus());
  testing::SignBoth(ipa, Utc(2027, 4, 5, 16, 30));
  return ipa;
}

struct Fixture {
  FakePublicationStore store;
  FakeDirectory directory;
  platform::FakeClock clock{Utc(2027, 7, 2, 8, 0)};  // Q2 2027 ended two days ago
  int next_id = 0;
  PublicationUseCases cases{store, directory, clock,
                            [this] { return absl::StrCat("publication-", ++next_id); }};

  Fixture() {
    store.AddIpa(AwardOf("ipa-q1", "system-1", Utc(2027, 3, 31, 23, 59)));
    store.AddIpa(AwardOf("ipa-1", "system-1", Utc(2027, 4, 1, 0, 0)));
    store.AddIpa(AwardOf("ipa-2", "system-1", Utc(2027, 6, 30, 23, 59)));
    store.AddIpa(AwardOf("ipa-q3", "system-1", Utc(2027, 7, 1, 0, 0)));
    store.AddIpa(AwardOf("ipa-other", "system-3", Utc(2027, 5, 1)));
    store.AddIpa(AwardOf("ipa-m", "system-2", Utc(2027, 5, 1)));
  }

  absl::StatusOr<ProduceResult> Produce(const ProduceRequest& request,
                                        const Actor& actor = LeadAdmin()) {
    return cases.ProducePublication(request, {actor, "request-1", nullptr});
  }

  std::vector<Ipa> Ipas(std::initializer_list<const char*> ids) const {
    std::vector<Ipa> out;
    for (const char* id : ids) out.push_back(store.state().ipas.at(id).ipa);
    return out;
  }
};

TEST_CASE("The lead authority's admin produces a quarter of the awards made in it", "[produce]") {
  Fixture f;
  absl::StatusOr<ProduceResult> result = f.Produce(QuarterRequest());
  REQUIRE(result.status() == absl::OkStatus());
  CHECK(result->created);
  const StoredPublication& stored = result->publication;
  const Publication& p = stored.publication;
  CHECK(p.id == "publication-1");
  CHECK(p.system_id == "system-1");
  CHECK(p.lead_authority_id == "authority-lead");
  CHECK(p.kind == PublicationKind::kQuarterly);
  CHECK(p.quarter == Quarter{2027, 2});
  CHECK(p.award_count == 2);
  CHECK(p.total_annual_value_pence == 2 * 120'750 * 52);
  CHECK(p.publish_by == Day(2027, 7, 30));
  CHECK(p.state == PublicationState::kProduced);
  CHECK(p.produced_at == Utc(2027, 7, 2, 8, 0));
  CHECK(p.produced_by_user_id == "admin-1");

  // Exactly the writer's package of the two Q2 awards (not Q1's, Q3's or another system's).
  absl::StatusOr<std::string> expected = ocds::WriteReleasePackage(
      Pcr(), kPrefix, ocds::PackageScope::Quarterly({2027, 2}), f.Ipas({"ipa-1", "ipa-2"}));
  REQUIRE(expected.ok());
  CHECK(stored.package == *expected);
  CHECK(p.sha256 == platform::Sha256Hex(*expected));
  CHECK(f.store.state().publications.at("publication-1").package == *expected);

  REQUIRE(f.store.events().size() == 1);
  const IpaEvent& event = f.store.events()[0];
  CHECK(event.type == "contracts.publication.produced");
  CHECK(event.aggregate_id == "publication-1");
  CHECK(event.request_id == "request-1");
  dps::events::v1::EventEnvelope envelope;
  REQUIRE(envelope.ParseFromString(event.payload));
  CHECK(envelope.type() == "contracts.publication.produced");
  CHECK(envelope.aggregate_type() == "publication");
  CHECK(envelope.system_id() == "system-1");
  CHECK(envelope.actor().role() == "ROLE_LEAD_AUTHORITY_ADMIN");
  const auto& e = envelope.publication_produced();
  CHECK(e.publication_id() == "publication-1");
  CHECK(e.kind() == dps::contracts::v1::PUBLICATION_KIND_QUARTERLY);
  CHECK(e.quarter().year() == 2027);
  CHECK(e.quarter().quarter() == 2);
  CHECK(e.award_count() == 2);
  CHECK(e.sha256() == p.sha256);
  CHECK(e.publish_by().day() == 30);
  CHECK(e.publish_by().month() == 7);
}

TEST_CASE("A quarter is produced once and a second call returns it unchanged", "[produce]") {
  Fixture f;
  absl::StatusOr<ProduceResult> first = f.Produce(QuarterRequest());
  REQUIRE(first.ok());
  // A later award in Q2's days (say, a record put right) does not change what was produced.
  f.store.AddIpa(AwardOf("ipa-late", "system-1", Utc(2027, 5, 5)));
  f.clock.Advance(absl::Hours(24 * 20));
  absl::StatusOr<ProduceResult> again = f.Produce(QuarterRequest(), testing::Service());
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
  CHECK(again->publication.publication == first->publication.publication);
  CHECK(again->publication.package == first->publication.package);
  CHECK(f.store.events().size() == 1);
  CHECK(f.store.commits_that_wrote() == 1);
}

TEST_CASE("Two producers racing get the one publication", "[produce]") {
  Fixture f;
  // Another producer's insert lands between this one's look and its insert.
  Publication theirs;
  theirs.id = "publication-theirs";
  theirs.system_id = "system-1";
  theirs.lead_authority_id = "authority-lead";
  theirs.kind = PublicationKind::kQuarterly;
  theirs.quarter = Quarter{2027, 2};
  theirs.sha256 = platform::Sha256Hex("their package");
  f.store.before_write = [&](const std::string& what) -> absl::Status {
    if (what != "insert") return absl::OkStatus();
    f.store.before_write = nullptr;
    f.store.AddPublication(theirs, "their package");
    return absl::AlreadyExistsError("publication: already produced");
  };
  absl::StatusOr<ProduceResult> result = f.Produce(QuarterRequest());
  REQUIRE(result.status() == absl::OkStatus());
  CHECK_FALSE(result->created);
  CHECK(result->publication.publication.id == "publication-theirs");
  CHECK(f.store.events().empty());
}

TEST_CASE("Only the lead authority's admins and DPS services produce", "[produce]") {
  Fixture f;
  for (const Actor& who :
       {Actor{"admin-2", Role::kLeadAuthorityAdmin, "west-sussex"}, LeadAuditor(),
        testing::Commissioner(), testing::Officer(), testing::ProviderUser()}) {
    const absl::Status s = f.Produce(QuarterRequest(), who).status();
    CHECK(s.code() == absl::StatusCode::kPermissionDenied);
  }
  CHECK(f.store.state().publications.empty());
  CHECK(f.Produce(QuarterRequest(), testing::Service()).ok());
}

TEST_CASE("The kind produced must be the regime's", "[produce]") {
  Fixture f;
  ProduceRequest notice = QuarterRequest();
  notice.kind = PublicationKind::kContractAwardNotice;
  notice.quarter.reset();
  notice.ipa_id = "ipa-1";
  CHECK(Message(f.Produce(notice).status()) ==
        "kind: a PCR2015_DPS system publishes QUARTERLY, not CONTRACT_AWARD_NOTICE");

  ProduceRequest quarterly = QuarterRequest();
  quarterly.system_id = "system-2";
  CHECK(Message(f.Produce(quarterly, MarketAdmin()).status()) ==
        "kind: a PA2023_DYNAMIC_MARKET system publishes CONTRACT_AWARD_NOTICE, not QUARTERLY");
  CHECK(f.store.state().publications.empty());
}

TEST_CASE("A dynamic market publishes a notice per award, once", "[produce]") {
  Fixture f;
  absl::StatusOr<ProduceResult> result = f.Produce(NoticeRequest("ipa-m"), MarketAdmin());
  REQUIRE(result.status() == absl::OkStatus());
  CHECK(result->created);
  const Publication& p = result->publication.publication;
  CHECK(p.kind == PublicationKind::kContractAwardNotice);
  CHECK(p.ipa_id == "ipa-m");
  CHECK_FALSE(p.quarter.has_value());
  CHECK_FALSE(p.publish_by.has_value());
  CHECK(p.award_count == 1);
  CHECK(absl::StrContains(result->publication.package, R"("id":"ipa-m-award-notice")"));

  absl::StatusOr<ProduceResult> again = f.Produce(NoticeRequest("ipa-m"), testing::Service());
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
  CHECK(again->publication.publication.id == p.id);
  CHECK(f.store.events().size() == 1);

  // An IPA of another system is not found, as one nobody has.
  CHECK(f.Produce(NoticeRequest("ipa-1"), MarketAdmin()).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(f.Produce(NoticeRequest("ipa-none"), MarketAdmin()).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("A signed contract's details notice follows its award notice, due in 30 days",
          "[produce]") {
  Fixture f;
  f.store.AddIpa(SignedAwardOf("ipa-s"));

  // The award's notice comes first.
  const absl::Status early = f.Produce(DetailsRequest("ipa-s"), MarketAdmin()).status();
  CHECK(early.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(early) ==
        "ipa_id: IPA ipa-s has no contract award notice yet: the contract details notice follows "
        "it");
  REQUIRE(f.Produce(NoticeRequest("ipa-s"), MarketAdmin()).ok());

  absl::StatusOr<ProduceResult> result = f.Produce(DetailsRequest("ipa-s"), MarketAdmin());
  REQUIRE(result.status() == absl::OkStatus());
  CHECK(result->created);
  const Publication& p = result->publication.publication;
  CHECK(p.kind == PublicationKind::kContractDetailsNotice);
  CHECK(p.ipa_id == "ipa-s");
  CHECK(p.award_count == 1);
  CHECK(p.publish_by == Day(2027, 5, 5));  // signed on 5 April: 30 days after
  CHECK(absl::StrContains(result->publication.package, R"("id":"ipa-s-details-notice")"));
  CHECK(absl::StrContains(result->publication.package, R"("dateSigned":"2027-04-05T16:30:00Z")"));
  REQUIRE(f.store.events().size() == 2);
  dps::events::v1::EventEnvelope envelope;
  REQUIRE(envelope.ParseFromString(f.store.events().back().payload));
  const auto& produced = envelope.publication_produced();
  CHECK(produced.kind() == dps::contracts::v1::PUBLICATION_KIND_CONTRACT_DETAILS_NOTICE);
  CHECK(produced.publish_by().month() == 5);
  CHECK(produced.publish_by().day() == 5);

  // Once only, like every publication.
  absl::StatusOr<ProduceResult> again = f.Produce(DetailsRequest("ipa-s"), testing::Service());
  REQUIRE(again.ok());
  CHECK_FALSE(again->created);
  CHECK(again->publication.publication.id == p.id);
  CHECK(f.store.events().size() == 2);

  // An award notice produced, but nobody has signed yet: no contract to give details of.
  REQUIRE(f.Produce(NoticeRequest("ipa-m"), MarketAdmin()).ok());
  const absl::Status unsigned_status = f.Produce(DetailsRequest("ipa-m"), MarketAdmin()).status();
  CHECK(unsigned_status.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(unsigned_status) ==
        "ipa_id: IPA ipa-m is DRAFT: a contract details notice follows both parties' signatures");

  // A quarterly system publishes no details notices, and a notice names its IPA only.
  ProduceRequest quarterly = DetailsRequest("ipa-1");
  quarterly.system_id = "system-1";
  CHECK(Message(f.Produce(quarterly).status()) ==
        "kind: a PCR2015_DPS system publishes QUARTERLY, not CONTRACT_DETAILS_NOTICE");
  ProduceRequest with_quarter = DetailsRequest("ipa-s");
  with_quarter.quarter = Quarter{2027, 2};
  CHECK(Message(f.Produce(with_quarter, MarketAdmin()).status()) ==
        "quarter: must be empty for a notice");
}

TEST_CASE("A quarter is produced only once it has ended and only when it has awards", "[produce]") {
  Fixture f;
  f.clock.Set(Utc(2027, 6, 30, 23, 59));
  const absl::Status running = f.Produce(QuarterRequest()).status();
  CHECK(running.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(running) == "publication: 2027-Q2 has not ended yet: its last day is 2027-06-30");

  f.clock.Set(Utc(2027, 7, 1, 0, 0));
  const absl::Status empty = f.Produce(QuarterRequest({2026, 4})).status();
  CHECK(empty.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(empty) ==
        "publication: system-1 made no awards in 2026-Q4, so there is nothing to publish");
  CHECK(f.store.state().publications.empty());
  CHECK(f.Produce(QuarterRequest()).ok());
}

TEST_CASE("A produce request is checked before anyone is asked", "[produce]") {
  Fixture f;
  ProduceRequest bad = QuarterRequest({2027, 5});
  CHECK(Message(f.Produce(bad).status()) == "quarter.quarter: must be 1 to 4");
  bad = QuarterRequest();
  bad.quarter.reset();
  CHECK(Message(f.Produce(bad).status()) == "quarter: required for a QUARTERLY publication");
  bad = QuarterRequest();
  bad.ocid_prefix = "ocds_b5fd17";
  CHECK(Message(f.Produce(bad).status()) ==
        "ocid_prefix: must be 1 to 64 letters, digits or '-', got \"ocds_b5fd17\"");
  bad = QuarterRequest();
  bad.kind = PublicationKind::kUnspecified;
  CHECK(Message(f.Produce(bad).status()) == "kind: required");
  bad = QuarterRequest();
  bad.system_id = "";
  CHECK(Message(f.Produce(bad).status()) == "system_id: required");
  CHECK(f.directory.calls == 0);

  bad = QuarterRequest();
  bad.system_id = "system-9";
  CHECK(f.Produce(bad).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("A failing hook rolls the publication and its event back", "[produce]") {
  Fixture f;
  PublicationCaller caller{LeadAdmin(), "request-1",
                           [](PublicationTransaction&, const StoredPublication&) {
                             return absl::AlreadyExistsError("idempotency_key: already served");
                           }};
  CHECK(f.cases.ProducePublication(QuarterRequest(), caller).status().code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(f.store.state().publications.empty());
  CHECK(f.store.events().empty());
}

TEST_CASE("The child's identity is not in what is stored or announced", "[produce][privacy]") {
  Fixture f;
  Ipa ipa = f.store.state().ipas.at("ipa-1").ipa;
  REQUIRE(SetChildren(ipa,
                      {{"Jessamy", "Thornbury-Quill", "Jess", Day(2015, 3, 4), Gender::kFemale,
                        "CASE-778812", "RH12 1AB", "s.31 care order"}},
                      testing::Officer(), Utc(2027, 5, 1)) == absl::OkStatus());
  f.store.AddIpa(ipa);
  absl::StatusOr<ProduceResult> result = f.Produce(QuarterRequest());
  REQUIRE(result.ok());
  for (const std::string& bytes : {result->publication.package, f.store.events()[0].payload}) {
    for (const char* identifying :
         {"Jessamy", "Thornbury", "2015-03-04", "CASE-778812", "RH12 1AB", "care order"}) {
      INFO(identifying);
      CHECK_FALSE(absl::StrContains(bytes, identifying));
    }
  }
}

TEST_CASE("The lead authority and the system's authorities read its publications", "[read]") {
  Fixture f;
  REQUIRE(f.Produce(QuarterRequest()).ok());
  for (const Actor& who : {LeadAdmin(), LeadAuditor(), testing::Officer(), testing::Commissioner(),
                           testing::Service()}) {
    INFO(RoleName(who.role));
    absl::StatusOr<StoredPublication> got = f.cases.GetPublication("publication-1", who);
    REQUIRE(got.status() == absl::OkStatus());
    CHECK_FALSE(got->package.empty());
    absl::StatusOr<PublicationPage> listed = f.cases.ListPublications("system-1", {}, who);
    REQUIRE(listed.status() == absl::OkStatus());
    REQUIRE(listed->publications.size() == 1);
    CHECK(listed->publications[0].package.empty());
  }
  for (const Actor& who :
       {Actor{"officer-9", Role::kPlacingOfficer, "lancashire"},
        Actor{"auditor-9", Role::kAuditor, "west-sussex"},
        Actor{"evaluator-1", Role::kEvaluator, "authority-lead"}, testing::ProviderUser()}) {
    INFO(RoleName(who.role));
    CHECK(f.cases.GetPublication("publication-1", who).status().code() ==
          absl::StatusCode::kPermissionDenied);
    CHECK(f.cases.ListPublications("system-1", {}, who).status().code() ==
          absl::StatusCode::kPermissionDenied);
  }
  CHECK(f.cases.GetPublication("publication-9", LeadAdmin()).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("Publications are listed in pages and by kind", "[read]") {
  Fixture f;
  f.clock.Set(Utc(2027, 10, 2));
  REQUIRE(f.Produce(QuarterRequest({2027, 1})).ok());
  REQUIRE(f.Produce(QuarterRequest({2027, 2})).ok());
  REQUIRE(f.Produce(QuarterRequest({2027, 3})).ok());
  absl::StatusOr<PublicationPage> first =
      f.cases.ListPublications("system-1", {.size = 2}, LeadAdmin());
  REQUIRE(first.ok());
  REQUIRE(first->publications.size() == 2);
  CHECK(first->next_after_id == "publication-2");
  absl::StatusOr<PublicationPage> rest = f.cases.ListPublications(
      "system-1", {.size = 2, .after_id = first->next_after_id}, LeadAdmin());
  REQUIRE(rest.ok());
  REQUIRE(rest->publications.size() == 1);
  CHECK(rest->publications[0].publication.quarter == Quarter{2027, 3});
  CHECK(rest->next_after_id.empty());
  absl::StatusOr<PublicationPage> notices = f.cases.ListPublications(
      "system-1", {.kind = PublicationKind::kContractAwardNotice}, LeadAdmin());
  REQUIRE(notices.ok());
  CHECK(notices->publications.empty());
}

TEST_CASE("The lead authority's admin marks a publication published", "[publish]") {
  Fixture f;
  REQUIRE(f.Produce(QuarterRequest()).ok());
  f.clock.Set(Utc(2027, 7, 21));
  absl::StatusOr<StoredPublication> marked = f.cases.MarkPublished(
      "publication-1", "FTS-000123-2027", Utc(2027, 7, 20), 1, {LeadAdmin(), "request-2", nullptr});
  REQUIRE(marked.status() == absl::OkStatus());
  CHECK(marked->version == 2);
  CHECK(marked->publication.state == PublicationState::kPublished);
  CHECK(marked->publication.external_reference == "FTS-000123-2027");
  CHECK(marked->publication.published_at == Utc(2027, 7, 20));
  CHECK(f.store.state().publications.at("publication-1").publication == marked->publication);

  const absl::Status twice =
      f.cases.MarkPublished("publication-1", "FTS-2", std::nullopt, 0, {LeadAdmin(), "", nullptr})
          .status();
  CHECK(twice.code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("Marking published checks the version the caller read and who they are", "[publish]") {
  Fixture f;
  REQUIRE(f.Produce(QuarterRequest()).ok());
  CHECK(f.cases.MarkPublished("publication-1", "FTS-1", std::nullopt, 7, {LeadAdmin(), "", nullptr})
            .status()
            .code() == absl::StatusCode::kAborted);
  CHECK(
      f.cases.MarkPublished("publication-1", "FTS-1", std::nullopt, 0, {LeadAuditor(), "", nullptr})
          .status()
          .code() == absl::StatusCode::kPermissionDenied);
  // Now, when no time is given.
  absl::StatusOr<StoredPublication> marked =
      f.cases.MarkPublished("publication-1", "FTS-1", std::nullopt, 0, {LeadAdmin(), "", nullptr});
  REQUIRE(marked.ok());
  CHECK(marked->publication.published_at == f.clock.Now());
}

}  // namespace
}  // namespace dps::contracts
