#include "services/qualification/domain/evidence.h"

#include <catch2/catch.hpp>

namespace dps::qualification {
namespace {

Evidence Certificate(std::string id, std::optional<absl::CivilDay> expires_on) {
  return {.id = std::move(id),
          .provider_id = "provider-a",
          .establishment_id = "est-1",
          .criterion_id = "insurance",
          .expires_on = expires_on};
}

TEST_CASE("evidence lasting longer renews the provider's earlier evidence for the same criterion",
          "[evidence]") {
  const Evidence earlier = Certificate("old", absl::CivilDay(2027, 3, 31));
  CHECK(Renews(Certificate("new", absl::CivilDay(2028, 3, 31)), earlier));
  // Evidence that does not expire outlasts any that does.
  CHECK(Renews(Certificate("new", std::nullopt), earlier));

  SECTION("not when it runs out on the same day or sooner") {
    CHECK_FALSE(Renews(Certificate("new", absl::CivilDay(2027, 3, 31)), earlier));
    CHECK_FALSE(Renews(Certificate("new", absl::CivilDay(2027, 1, 31)), earlier));
  }
  SECTION("not evidence that never expires, nor evidence no longer in force") {
    CHECK_FALSE(
        Renews(Certificate("new", absl::CivilDay(2028, 3, 31)), Certificate("old", std::nullopt)));
    Evidence expired = earlier;
    expired.state = EvidenceState::kExpired;
    CHECK_FALSE(Renews(Certificate("new", absl::CivilDay(2028, 3, 31)), expired));
  }
  SECTION("not another provider's, criterion's or establishment's, nor itself") {
    Evidence other = Certificate("new", absl::CivilDay(2028, 3, 31));
    other.provider_id = "provider-b";
    CHECK_FALSE(Renews(other, earlier));
    other = Certificate("new", absl::CivilDay(2028, 3, 31));
    other.criterion_id = "registration";
    CHECK_FALSE(Renews(other, earlier));
    other = Certificate("new", absl::CivilDay(2028, 3, 31));
    other.establishment_id = "";  // the provider as a whole is not this establishment
    CHECK_FALSE(Renews(other, earlier));
    CHECK_FALSE(Renews(earlier, earlier));
  }
}

TEST_CASE("new evidence names its document, and says when it expires where the criterion's does",
          "[evidence]") {
  const EvidenceToAdd good{.provider_id = "provider-a",
                           .criterion_id = "insurance",
                           .title = "Employer's liability 2026",
                           .document_uri = "store://docs/1",
                           .document_sha256 = std::string(64, 'a'),
                           .expires_on = absl::CivilDay(2027, 3, 31)};
  CHECK(CheckEvidenceDocument(good) == absl::OkStatus());
  EvidenceToAdd bad = good;
  bad.title = "";
  CHECK(CheckEvidenceDocument(bad) == absl::InvalidArgumentError("title: required"));
  bad = good;
  bad.document_uri = "";
  CHECK(CheckEvidenceDocument(bad) == absl::InvalidArgumentError("document_uri: required"));
  bad = good;
  bad.document_sha256 = std::string(64, 'A');
  CHECK(CheckEvidenceDocument(bad) ==
        absl::InvalidArgumentError("document_sha256: must be 64 lowercase hex digits"));
  bad.document_sha256 = std::string(63, 'a');
  CHECK(CheckEvidenceDocument(bad) ==
        absl::InvalidArgumentError("document_sha256: must be 64 lowercase hex digits"));

  CHECK(CheckEvidenceExpiry(good, true, "insurance") == absl::OkStatus());
  bad = good;
  bad.expires_on.reset();
  CHECK(CheckEvidenceExpiry(bad, true, "insurance") ==
        absl::InvalidArgumentError("expires_on: required: evidence for insurance expires"));
  CHECK(CheckEvidenceExpiry(bad, false, "policy") == absl::OkStatus());

  const absl::Time at =
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::UTCTimeZone());
  Evidence added = NewEvidence("evi-1", good, at);
  CHECK(added.in_force());
  CHECK(added.added_at == at);
  CHECK(added.title == "Employer's liability 2026");
  CHECK(Expire(added) == "evidence \"Employer's liability 2026\" expired after 2027-03-31");
  CHECK(added.state == EvidenceState::kExpired);
  CHECK_FALSE(added.in_force());
}

TEST_CASE("a renewal supersedes each earlier piece it renews", "[evidence]") {
  const Evidence renewal = Certificate("new", absl::CivilDay(2028, 3, 31));
  CHECK(RenewedBy(renewal, {Certificate("a", absl::CivilDay(2027, 3, 31)),
                            Certificate("b", absl::CivilDay(2029, 1, 1)),
                            Certificate("c", absl::CivilDay(2026, 12, 31))}) ==
        std::vector<std::string>{"a", "c"});
  CHECK(RenewedBy(renewal, {}).empty());
}

}  // namespace
}  // namespace dps::qualification
