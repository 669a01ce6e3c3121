// CreateIpa against the in-memory store, with the award and its facts as the referral and
// qualification services would answer (label pure): the IPA the award's event would have made,
// once, for the award's own authority only, and every refusal.
#include "services/contracts/app/create_ipa_use_case.h"

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/contracts/app/testing/fake_ipa_store.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures and the fake store
namespace ev = ::dps::events::v1;
namespace common = ::dps::common::v1;

class Documents final : public DocumentRenderer {
 public:
  absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                             const IpaVersion& version) const override {
    return absl::StrCat("%PDF IPA ", ipa.id, " version ", version.number);
  }
};

// West Sussex's award of referral ref-1 to bid-7, as the referral service holds it.
ev::EventEnvelope Awarded() {
  ev::EventEnvelope envelope;
  envelope.set_system_id("ss-fostering");
  envelope.mutable_occurred_at()->set_seconds(1'800'000'000);
  ev::ReferralAwarded& e = *envelope.mutable_referral_awarded();
  e.set_referral_id("ref-1");
  e.set_lot_id("lot-ifa");
  e.set_placing_authority_id("west-sussex");
  e.set_bid_id("bid-7");
  e.set_establishment_id("est-horsham");
  e.set_provider_id("acme-care");
  e.set_price_basis(common::PRICE_BASIS_WEEKLY);
  e.mutable_core_fee()->set_pence(395'000);
  e.mutable_start_date()->set_year(2027);
  e.mutable_start_date()->set_month(4);
  e.mutable_start_date()->set_day(1);
  e.set_planned_duration_months(6);
  return envelope;
}

// The referral service: the awards it holds by source key, and what it was asked.
class Awards final : public AwardLookup {
 public:
  absl::StatusOr<ev::EventEnvelope> AwardOf(const std::string& request_id,
                                            const IpaSource& source) const override {
    asked.push_back(request_id);
    if (!answer.ok()) return answer;
    if (source.kind != SourceKind::kAward || source.referral_id != "ref-1") {
      return absl::NotFoundError(absl::StrCat("referral ", source.referral_id, ": not found"));
    }
    return Awarded();
  }
  absl::Status answer = absl::OkStatus();
  mutable std::vector<std::string> asked;
};

class Facts final : public AwardFactsSource {
 public:
  absl::StatusOr<AwardFacts> FactsOf(const std::string&, const std::string& system_id,
                                     const std::string& lot_id,
                                     const std::string& establishment_id) const override {
    asked = absl::StrCat(system_id, "/", lot_id, "/", establishment_id);
    if (!answer.ok()) return answer;
    AwardFacts facts;
    facts.lead_authority_id = "west-sussex";
    facts.provision_type = ProvisionType::kFostering;
    facts.provider_name = "Acme Care Ltd";
    facts.establishment_name = "Horsham House";
    return facts;
  }
  absl::Status answer = absl::OkStatus();
  mutable std::string asked;
};

IpaSource AwardOfBid(const std::string& bid_id) {
  return {.kind = SourceKind::kAward, .referral_id = "ref-1", .bid_id = bid_id};
}

struct World {
  FakeIpaStore store;
  Documents documents;
  platform::FakeClock clock{Now()};
  int ids = 0;
  IpaUseCases cases{store, documents, clock, [this] { return absl::StrCat("ipa-", ++ids); }};
  Awards awards;
  Facts facts;
  CreateIpaUseCase creation{cases, awards, facts};
  const Caller officer{Officer(), "req-officer"};
};

TEST_CASE("CreateIpa makes the DRAFT the award's event would have made, once") {
  World w;
  absl::StatusOr<CreateResult> made = w.creation.CreateIpa(AwardOfBid("bid-7"), w.officer);
  REQUIRE(made.status() == absl::OkStatus());
  CHECK(made->created);
  const Ipa& ipa = made->ipa.ipa;
  CHECK(ipa.state == IpaState::kDraft);
  CHECK(ipa.system_id == "ss-fostering");
  CHECK(ipa.lot_id == "lot-ifa");
  CHECK(ipa.lead_authority_id == "west-sussex");
  CHECK(ipa.parties.placing_authority_id == "west-sussex");
  CHECK(ipa.parties.provider_id == "acme-care");
  CHECK(ipa.parties.establishment_name == "Horsham House");
  CHECK(ipa.source.referral_id == "ref-1");
  CHECK(ipa.source.bid_id == "bid-7");
  CHECK(ipa.awarded_at == absl::FromUnixSeconds(1'800'000'000));
  CHECK(w.awards.asked == std::vector<std::string>{"req-officer"});
  CHECK(w.facts.asked == "ss-fostering/lot-ifa/est-horsham");
  REQUIRE(w.store.events().size() == 1);
  CHECK(w.store.events()[0].type == "contracts.ipa.created");

  // Asked again (or made meanwhile by the award's event): the same IPA, nothing written.
  const int writes = w.store.commits_that_wrote();
  absl::StatusOr<CreateResult> again =
      w.creation.CreateIpa(AwardOfBid("bid-7"), {Commissioner(), "req-again"});
  REQUIRE(again.status() == absl::OkStatus());
  CHECK_FALSE(again->created);
  CHECK(again->ipa.ipa.id == ipa.id);
  CHECK(w.store.commits_that_wrote() == writes);
  CHECK(w.store.state().ipas.size() == 1);
}

TEST_CASE("CreateIpa for a DPS service, for any authority's award") {
  World w;
  absl::StatusOr<CreateResult> made =
      w.creation.CreateIpa(AwardOfBid("bid-7"), {Service(), "req-service"});
  REQUIRE(made.status() == absl::OkStatus());
  CHECK(made->created);
}

TEST_CASE("CreateIpa refuses and writes nothing") {
  World w;
  auto refused = [&](const IpaSource& source, const Caller& caller) {
    absl::StatusOr<CreateResult> made = w.creation.CreateIpa(source, caller);
    CHECK(w.store.state().ipas.empty());
    CHECK(w.store.events().empty());
    return made.status();
  };

  SECTION("another authority's award is not found, as reading it would be") {
    const absl::Status s =
        refused(AwardOfBid("bid-7"), {{"officer-9", Role::kPlacingOfficer, "kent"}, "req"});
    CHECK(s.code() == absl::StatusCode::kNotFound);
    CHECK(s.message() == "referral ref-1: not found");
    CHECK(w.facts.asked.empty());
  }
  SECTION("a provider, an admin or an auditor may not") {
    for (const Actor& actor :
         {ProviderUser(), Actor{"admin", Role::kLeadAuthorityAdmin, "west-sussex"},
          Actor{"auditor", Role::kAuditor, "west-sussex"}}) {
      const absl::Status s = refused(AwardOfBid("bid-7"), {actor, "req"});
      CHECK(s.code() == absl::StatusCode::kPermissionDenied);
    }
    CHECK(w.awards.asked.empty());
  }
  SECTION("a bid that did not win names source.bid_id") {
    const absl::Status s = refused(AwardOfBid("bid-8"), w.officer);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(s.message() == "source.bid_id: referral ref-1 was awarded to bid bid-7, not to bid-8");
  }
  SECTION("a source without its ids names the field") {
    const absl::Status s = refused({.kind = SourceKind::kAward, .referral_id = "ref-1"}, w.officer);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::StrContains(s.message(), "source.bid_id"));
    const absl::Status kindless = refused({}, w.officer);
    CHECK(absl::StrContains(kindless.message(), "source.kind"));
    CHECK(w.awards.asked.empty());
  }
  SECTION("the referral service's refusal is the answer") {
    w.awards.answer =
        absl::FailedPreconditionError("referral ref-1 is REFERRAL_STATE_CLOSED, not awarded");
    const absl::Status s = refused(AwardOfBid("bid-7"), w.officer);
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(w.facts.asked.empty());
  }
  SECTION("an unknown referral is not found") {
    const absl::Status s = refused(
        {.kind = SourceKind::kAward, .referral_id = "ref-404", .bid_id = "bid-7"}, w.officer);
    CHECK(s.code() == absl::StatusCode::kNotFound);
  }
  SECTION("the qualification service's refusal is the answer") {
    w.facts.answer = absl::UnavailableError("qualification service: unavailable");
    const absl::Status s = refused(AwardOfBid("bid-7"), w.officer);
    CHECK(s.code() == absl::StatusCode::kUnavailable);
  }
}

}  // namespace
}  // namespace dps::contracts
