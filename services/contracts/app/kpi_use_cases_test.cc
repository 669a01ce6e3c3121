// The KPI use cases against the in-memory store (label pure): what each writes and announces,
// who may do it, and that a refusal or a failed hook writes nothing. The IPA is made, issued,
// signed and activated by the IPA use cases, as in production.
#include "services/contracts/app/kpi_use_cases.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dps/events/v1/events.pb.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/app/kpi_events.h"
#include "services/contracts/app/testing/fake_ipa_store.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures and the fake store
namespace ev = ::dps::events::v1;

class FakeDocuments final : public DocumentRenderer {
 public:
  absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                             const IpaVersion& version) const override {
    return absl::StrCat("%PDF IPA ", ipa.id, " version ", version.number);
  }
};

class FakeDirectory final : public SystemDirectory {
 public:
  absl::StatusOr<SystemFacts> System(const std::string& system_id) const override {
    auto it = systems.find(system_id);
    if (it == systems.end()) {
      return absl::NotFoundError(absl::StrCat("purchasing system ", system_id, ": not found"));
    }
    return it->second;
  }
  std::map<std::string, SystemFacts> systems = {{"system-1",
                                                 {.id = "system-1",
                                                  .lead_authority_id = "authority-lead",
                                                  .authority_ids = {"west-sussex"}}}};
};

Actor LeadAdmin() { return {"lead-admin-1", Role::kLeadAuthorityAdmin, "authority-lead"}; }
Actor LeadAuditor() { return {"auditor-1", Role::kAuditor, "authority-lead"}; }
Actor OtherOfficer() { return {"officer-9", Role::kPlacingOfficer, "brighton"}; }
Actor OtherProvider() { return {"provider-user-9", Role::kProviderUser, "other-care"}; }

std::vector<KpiDefinition> Definitions() {
  return {{"missing-episodes", "Missing episodes", "", KpiValueType::kCount, 1, {}},
          {"progress", "Progress against the care plan", "", KpiValueType::kText, 1, {}},
          {"course-completion",
           "Course completion",
           "",
           KpiValueType::kPercentage,
           12,
           {ProvisionType::kSpecialistCollege}}};
}

const DateRange kApril{Day(2027, 4, 1), Day(2027, 4, 30)};

KpiReturnInput April(int64_t missing = 1) {
  std::vector<KpiValue> values(2);
  values[0].code = "missing-episodes";
  values[0].integer_value = missing;
  values[1].code = "progress";
  values[1].text_value = "Settled well and joined the school football team";
  return {kApril, values};
}

struct World {
  FakeIpaStore store;
  FakeDocuments documents;
  FakeDirectory directory;
  platform::FakeClock clock{Now()};
  int ipa_ids = 0;
  IpaUseCases ipas{store, documents, clock, [this] { return absl::StrCat("ipa-", ++ipa_ids); }};
  int ids = 0;
  KpiUseCases kpis{store, directory, clock, [this] { return absl::StrCat("kpi-", ++ids); }};

  const KpiCaller lead{LeadAdmin(), "req-lead"};
  const KpiCaller provider{ProviderUser(), "req-provider"};
  const KpiCaller officer{Officer(), "req-officer"};

  // The fixtures' placement, ACTIVE from 1 April 2027, with the system's KPIs set; the clock
  // at 3 May 2027.
  World() {
    absl::StatusOr<CreateResult> made =
        ipas.CreateIpaFromAward(ValidSpec(), {ContractsServiceActor(), "req-award"});
    REQUIRE(made.status() == absl::OkStatus());
    const Caller authority{Officer(), "req-issue"};
    absl::StatusOr<StoredIpa> issued = ipas.IssueIpa("ipa-1", 0, authority);
    REQUIRE(issued.status() == absl::OkStatus());
    const std::string hash = issued->ipa.versions[0].document_sha256;
    REQUIRE(ipas.SignIpa("ipa-1", {hash, "Sam Jones", "Head of Service"}, 0, authority).ok());
    REQUIRE(ipas.SignIpa("ipa-1", {hash, "Ali Khan", "Director"}, 0, {ProviderUser(), "req-sign"})
                .ok());
    REQUIRE(ipas.RunDueTimers(Utc(2027, 4, 1, 0, 5)).ok());
    REQUIRE(store.state().ipas.at("ipa-1").ipa.state == IpaState::kActive);
    clock.Set(Utc(2027, 5, 3));
    REQUIRE(kpis.SetDefinitions("system-1", Definitions(), lead).status() == absl::OkStatus());
  }

  StoredKpiReturn Submitted(KpiReturnInput input = April()) {
    absl::StatusOr<StoredKpiReturn> r = kpis.SubmitReturn("ipa-1", std::move(input), provider);
    REQUIRE(r.status() == absl::OkStatus());
    return *r;
  }
  StoredKpiReturn Accepted() {
    const StoredKpiReturn r = Submitted();
    absl::StatusOr<StoredKpiReturn> accepted =
        kpis.ReviewReturn(r.kpi_return.id, true, "", officer);
    REQUIRE(accepted.status() == absl::OkStatus());
    return *accepted;
  }
  // Events of `type`, in order.
  std::vector<ev::EventEnvelope> Events(const std::string& type) {
    std::vector<ev::EventEnvelope> out;
    for (const IpaEvent& event : store.events()) {
      if (event.type != type) continue;
      ev::EventEnvelope envelope;
      REQUIRE(envelope.ParseFromString(event.payload));
      CHECK(envelope.type() == type);
      CHECK(envelope.aggregate_id() == event.aggregate_id);
      CHECK(envelope.schema_version() == 1);
      out.push_back(envelope);
    }
    return out;
  }
};

std::vector<std::string> IdsOf(const KpiReturnPage& page) {
  std::vector<std::string> ids;
  for (const StoredKpiReturn& r : page.returns) ids.push_back(r.kpi_return.id);
  return ids;
}

// --- definitions -------------------------------------------------------------------------------

TEST_CASE("the lead authority sets its system's KPIs and anyone reads them", "[definitions]") {
  World w;
  const StoredKpiDefinitionSet& stored = w.store.state().kpi_definitions.at("system-1");
  CHECK(stored.version == 1);
  CHECK(stored.set.definitions == Definitions());
  CHECK(stored.set.updated_by->user_id == "lead-admin-1");

  for (const Actor& reader : {ProviderUser(), Officer(), LeadAuditor(), OtherProvider()}) {
    absl::StatusOr<StoredKpiDefinitionSet> read = w.kpis.ListDefinitions("system-1", reader);
    REQUIRE(read.status() == absl::OkStatus());
    CHECK(read->version == 1);
    CHECK(read->set.definitions == Definitions());
  }
  absl::StatusOr<StoredKpiDefinitionSet> none = w.kpis.ListDefinitions("system-2", Officer());
  REQUIRE(none.status() == absl::OkStatus());
  CHECK(none->version == 0);
  CHECK(none->set.definitions.empty());
  CHECK(w.kpis.ListDefinitions("no such system!", Officer()).status().code() ==
        absl::StatusCode::kInvalidArgument);

  const size_t events = w.store.events().size();
  std::vector<KpiDefinition> fewer = Definitions();
  fewer.pop_back();
  absl::StatusOr<StoredKpiDefinitionSet> replaced =
      w.kpis.SetDefinitions("system-1", fewer, w.lead);
  REQUIRE(replaced.status() == absl::OkStatus());
  CHECK(replaced->version == 2);
  CHECK(w.store.events().size() == events);  // definitions announce nothing
  // but each setting is in the audit log, for the system's readers.
  const std::vector<platform::audit::Entry>& audit = w.store.state().audit_entries;
  REQUIRE_FALSE(audit.empty());
  CHECK(audit.back().action == "kpi_definitions.set");
  CHECK(audit.back().system_id == "system-1");
  CHECK(audit.back().details_json ==
        R"({"definitions":")" + std::to_string(fewer.size()) + R"(","version":"2"})");
}

TEST_CASE("only the lead authority's admin sets KPIs and an unknown system has none to set",
          "[definitions]") {
  World w;
  const int writes = w.store.commits_that_wrote();
  for (const Actor& other : {LeadAuditor(), Commissioner(), ProviderUser(),
                             Actor{"admin-9", Role::kLeadAuthorityAdmin, "brighton"}}) {
    CHECK(w.kpis.SetDefinitions("system-1", {}, {other, "req"}).status().code() ==
          absl::StatusCode::kPermissionDenied);
  }
  CHECK(w.kpis.SetDefinitions("system-9", Definitions(), w.lead).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.store.commits_that_wrote() == writes);
}

TEST_CASE("a code a return uses is not removed", "[definitions]") {
  World w;
  w.Submitted();
  const absl::Status s = w.kpis.SetDefinitions("system-1", {Definitions()[0]}, w.lead).status();
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(s) ==
        "kpi definitions: code \"progress\" is used by KPI returns and cannot be removed");
  CHECK(w.store.state().kpi_definitions.at("system-1").set.definitions == Definitions());
  // The unused college KPI may go.
  std::vector<KpiDefinition> fewer = Definitions();
  fewer.pop_back();
  CHECK(w.kpis.SetDefinitions("system-1", fewer, w.lead).ok());
}

// --- returns -----------------------------------------------------------------------------------

TEST_CASE("a provider's return is kept and announced without its values", "[returns]") {
  World w;
  const StoredKpiReturn r = w.Submitted();
  CHECK(r.version == 1);
  CHECK(r.kpi_return.id == "kpi-1");
  CHECK(r.kpi_return.state == KpiReturnState::kSubmitted);
  CHECK(r.kpi_return.values == April().values);
  CHECK(w.store.state().kpi_returns.at("kpi-1").kpi_return.period == kApril);

  const std::vector<ev::EventEnvelope> events = w.Events(kKpiReturnSubmitted);
  REQUIRE(events.size() == 1);
  const ev::EventEnvelope& e = events[0];
  CHECK(e.aggregate_type() == "kpi_return");
  CHECK(e.system_id() == "system-1");
  CHECK(e.request_id() == "req-provider");
  CHECK(e.actor().role() == "ROLE_PROVIDER_USER");
  CHECK(e.kpi_return_submitted().kpi_return_id() == "kpi-1");
  CHECK(e.kpi_return_submitted().ipa_id() == "ipa-1");
  CHECK(e.kpi_return_submitted().establishment_id() == "acme-care-horsham");
  CHECK(e.kpi_return_submitted().period().start().month() == 4);
  CHECK(e.kpi_return_submitted().period().end().day() == 30);
  CHECK(w.store.events().back().payload.find("football") == std::string::npos);
}

TEST_CASE("a return by anyone but the IPA's provider is refused and writes nothing", "[returns]") {
  World w;
  const int writes = w.store.commits_that_wrote();
  // A stranger is told the IPA does not exist; those who see it are told they may not.
  CHECK(w.kpis.SubmitReturn("ipa-1", April(), {OtherProvider(), "r"}).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.kpis.SubmitReturn("ipa-1", April(), {OtherOfficer(), "r"}).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.kpis.SubmitReturn("ipa-1", April(), w.officer).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.kpis.SubmitReturn("ipa-1", April(), w.lead).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.kpis.SubmitReturn("ipa-9", April(), w.provider).status().code() ==
        absl::StatusCode::kNotFound);
  KpiReturnInput bad = April();
  bad.values[1].text_value = "Call his social worker on 07700 900123";
  CHECK(w.kpis.SubmitReturn("ipa-1", bad, w.provider).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.store.commits_that_wrote() == writes);
  CHECK(w.store.state().kpi_returns.empty());
}

TEST_CASE("a second return for a period is refused unless the first was queried", "[returns]") {
  World w;
  w.Submitted();
  const int writes = w.store.commits_that_wrote();
  const absl::Status again = w.kpis.SubmitReturn("ipa-1", April(2), w.provider).status();
  CHECK(again.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(w.store.commits_that_wrote() == writes);

  absl::StatusOr<StoredKpiReturn> queried =
      w.kpis.ReviewReturn("kpi-1", false, "Two episodes were reported to us", w.officer);
  REQUIRE(queried.status() == absl::OkStatus());
  CHECK(queried->version == 2);
  CHECK(queried->kpi_return.state == KpiReturnState::kQueried);
  CHECK(w.Events(kKpiReturnSubmitted).size() == 1);  // a review announces nothing

  w.clock.Advance(absl::Hours(2));
  absl::StatusOr<StoredKpiReturn> resubmitted = w.kpis.SubmitReturn("ipa-1", April(2), w.provider);
  REQUIRE(resubmitted.status() == absl::OkStatus());
  CHECK(resubmitted->kpi_return.id == "kpi-1");
  CHECK(resubmitted->version == 3);
  CHECK(resubmitted->kpi_return.state == KpiReturnState::kSubmitted);
  CHECK(resubmitted->kpi_return.values[0].integer_value == 2);
  CHECK(resubmitted->kpi_return.submissions == 2);
  CHECK(w.store.state().kpi_returns.size() == 1);
  CHECK(w.Events(kKpiReturnSubmitted).size() == 2);

  // Another period is a return of its own.
  KpiReturnInput may = April();
  may.period = DateRange{Day(2027, 5, 1), Day(2027, 5, 2)};
  CHECK(w.kpis.SubmitReturn("ipa-1", may, w.provider).ok());
  CHECK(w.store.state().kpi_returns.size() == 2);
}

TEST_CASE("the placing authority or the lead authority reviews a return", "[returns]") {
  World w;
  w.Submitted();
  const int writes = w.store.commits_that_wrote();
  CHECK(w.kpis.ReviewReturn("kpi-1", true, "", {OtherOfficer(), "r"}).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.kpis.ReviewReturn("kpi-1", true, "", w.provider).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.kpis.ReviewReturn("kpi-1", true, "", {LeadAuditor(), "r"}).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.kpis.ReviewReturn("kpi-1", false, "", w.officer).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(w.kpis.ReviewReturn("kpi-9", true, "", w.officer).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(w.store.commits_that_wrote() == writes);

  absl::StatusOr<StoredKpiReturn> accepted = w.kpis.ReviewReturn("kpi-1", true, "", w.lead);
  REQUIRE(accepted.status() == absl::OkStatus());
  CHECK(accepted->kpi_return.state == KpiReturnState::kAccepted);
  CHECK(accepted->kpi_return.reviewed_by->user_id == "lead-admin-1");
  const platform::audit::Entry& reviewed = w.store.state().audit_entries.back();
  CHECK(reviewed.action == "kpi_return.reviewed");
  CHECK(reviewed.aggregate_id == "kpi-1");
  CHECK(reviewed.from_state == "SUBMITTED");
  CHECK(reviewed.to_state == "ACCEPTED");
  CHECK(reviewed.actor_user_id == "lead-admin-1");
  CHECK(w.kpis.ReviewReturn("kpi-1", false, "Late", w.officer).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("the caller's hook runs with the saved return and its failure undoes the change",
          "[returns]") {
  World w;
  KpiCaller failing = w.provider;
  int calls = 0;
  failing.on_return_saved = [&](IpaTransaction& tx, const StoredKpiReturn& saved) {
    ++calls;
    CHECK(saved.version == 1);
    CHECK(tx.kpis().LoadReturn(saved.kpi_return.id).ok());  // visible in the same transaction
    return absl::AlreadyExistsError("idempotency_key: already served");
  };
  const size_t events = w.store.events().size();
  CHECK(w.kpis.SubmitReturn("ipa-1", April(), failing).status().code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(calls == 1);
  CHECK(w.store.state().kpi_returns.empty());
  CHECK(w.store.events().size() == events);

  KpiCaller recording = w.provider;
  recording.on_return_saved = [&](IpaTransaction& tx, const StoredKpiReturn& saved) {
    return tx.RecordResponse({"acme-care/SubmitKpiReturn", "key-1", "digest", saved.kpi_return.id});
  };
  CHECK(w.kpis.SubmitReturn("ipa-1", April(), recording).ok());
  CHECK(w.store.state().responses.size() == 1);
}

TEST_CASE("returns are listed within the caller's scope", "[returns]") {
  World w;
  w.Submitted();
  KpiReturnInput may = April();
  may.period = DateRange{Day(2027, 5, 1), Day(2027, 5, 2)};
  w.Submitted(may);

  using Ids = std::vector<std::string>;
  for (const Actor& reader : {Officer(), Commissioner(), ProviderUser(), LeadAdmin(), LeadAuditor(),
                              ContractsServiceActor()}) {
    absl::StatusOr<KpiReturnPage> page = w.kpis.ListReturns({}, {}, reader);
    REQUIRE(page.status() == absl::OkStatus());
    CHECK(IdsOf(*page) == Ids{"kpi-1", "kpi-2"});
  }
  for (const Actor& stranger : {OtherOfficer(), OtherProvider()}) {
    CHECK(w.kpis.ListReturns({}, {}, stranger)->returns.empty());
  }
  CHECK(w.kpis.ListReturns({.provider_id = "acme-care"}, {}, OtherProvider()).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.kpis.ListReturns({}, {}, {"e", Role::kEvaluator, "authority-lead"}).status().code() ==
        absl::StatusCode::kPermissionDenied);

  CHECK(IdsOf(*w.kpis.ListReturns({.period = DateRange{Day(2027, 5, 2), Day(2027, 5, 31)}}, {},
                                  Officer())) == Ids{"kpi-2"});
  CHECK(IdsOf(*w.kpis.ListReturns({.ipa_id = "ipa-1", .states = {KpiReturnState::kSubmitted}},
                                  {.size = 1}, ProviderUser())) == Ids{"kpi-1"});
  CHECK(w.kpis.ListReturns({.period = DateRange{Day(2027, 5, 2), Day(2027, 5, 1)}}, {}, Officer())
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
}

// --- performance reviews -----------------------------------------------------------------------

PerformanceReviewInput Review(std::vector<std::string> return_ids) {
  PerformanceReviewInput input;
  input.system_id = "system-1";
  input.establishment_id = "acme-care-horsham";
  input.period = DateRange{Day(2027, 1, 1), Day(2027, 4, 30)};
  input.rating = PerformanceRating::kExceeds;
  input.findings = "Every return on time and no missing episodes since March";
  input.kpi_return_ids = std::move(return_ids);
  input.recommended_score_delta = 3;
  return input;
}

TEST_CASE("the lead authority records a review of accepted returns and announces it", "[reviews]") {
  World w;
  w.Accepted();
  absl::StatusOr<StoredPerformanceReview> review = w.kpis.RecordReview(Review({"kpi-1"}), w.lead);
  REQUIRE(review.status() == absl::OkStatus());
  CHECK(review->version == 1);
  CHECK(review->review.id == "kpi-2");
  CHECK(review->review.provider_id == "acme-care");
  CHECK(review->review.lead_authority_id == "authority-lead");
  CHECK(w.store.state().performance_reviews.contains("kpi-2"));

  const std::vector<ev::EventEnvelope> events = w.Events(kPerformanceReviewRecorded);
  REQUIRE(events.size() == 1);
  const ev::EventEnvelope& e = events[0];
  CHECK(e.aggregate_type() == "performance_review");
  CHECK(e.system_id() == "system-1");
  CHECK(e.performance_review_recorded().performance_review_id() == "kpi-2");
  CHECK(e.performance_review_recorded().establishment_id() == "acme-care-horsham");
  CHECK(e.performance_review_recorded().rating() ==
        ::dps::contracts::v1::PERFORMANCE_RATING_EXCEEDS);
  CHECK(e.performance_review_recorded().recommended_score_delta() == 3);
  CHECK(w.store.events().back().payload.find("on time") == std::string::npos);
}

TEST_CASE("a review is refused for the wrong caller or returns and writes nothing", "[reviews]") {
  World w;
  w.Submitted();  // kpi-1, not accepted
  const int writes = w.store.commits_that_wrote();
  CHECK(w.kpis.RecordReview(Review({}), {LeadAuditor(), "r"}).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(w.kpis.RecordReview(Review({}), w.officer).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(Message(w.kpis.RecordReview(Review({"kpi-1"}), w.lead).status()) ==
        "kpi_return_ids[0]: \"kpi-1\" is SUBMITTED, not ACCEPTED");
  CHECK(Message(w.kpis.RecordReview(Review({"kpi-404"}), w.lead).status()) ==
        "kpi_return_ids[0]: no KPI return \"kpi-404\"");
  PerformanceReviewInput elsewhere = Review({});
  elsewhere.establishment_id = "acme-care-crawley";
  CHECK(Message(w.kpis.RecordReview(elsewhere, w.lead).status()) ==
        "performance review: establishment \"acme-care-crawley\" has no placement in system "
        "\"system-1\"");
  PerformanceReviewInput unknown_system = Review({});
  unknown_system.system_id = "system-9";
  CHECK(w.kpis.RecordReview(unknown_system, w.lead).status().code() == absl::StatusCode::kNotFound);
  CHECK(w.store.commits_that_wrote() == writes);
  CHECK(w.store.state().performance_reviews.empty());
}

TEST_CASE("reviews are listed to the lead authority and the provider reviewed", "[reviews]") {
  World w;
  w.Accepted();
  REQUIRE(w.kpis.RecordReview(Review({"kpi-1"}), w.lead).ok());
  for (const Actor& reader : {LeadAdmin(), LeadAuditor(), ProviderUser()}) {
    absl::StatusOr<PerformanceReviewPage> page =
        w.kpis.ListReviews("system-1", "acme-care-horsham", {}, reader);
    REQUIRE(page.status() == absl::OkStatus());
    REQUIRE(page->reviews.size() == 1);
    CHECK(page->reviews[0].review.id == "kpi-2");
  }
  CHECK(w.kpis.ListReviews("", "", {}, OtherProvider())->reviews.empty());
  CHECK(w.kpis.ListReviews("", "", {}, {"a", Role::kAuditor, "brighton"})->reviews.empty());
  CHECK(w.kpis.ListReviews("system-1", "acme-care-crawley", {}, LeadAdmin())->reviews.empty());
  CHECK(w.kpis.ListReviews("system-1", "", {}, Officer()).status().code() ==
        absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace dps::contracts
