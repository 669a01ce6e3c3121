// The OCDS release package: its exact bytes for one award, the mapping of each kind of award and
// state, determinism, the child's identity left out, refusals, and the package checked by
// validate_ocds.py against the OCDS 1.1.5 schemas with the techniques extension merged in (and a
// wrong techniques value that only the merged schema catches).
#include "services/contracts/publication/ocds_writer.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts::ocds {
namespace {

using nlohmann::json;
using testing::Day;
using testing::Message;
using testing::Utc;

constexpr char kPrefix[] = "ocds-b5fd17";

SystemFacts System() {
  return {"system-1",     "South East Children's DPS",      Regime::kPcr2015Dps, "authority-lead",
          "Lead Council", {"authority-lead", "west-sussex"}};
}

// The fixture's award (£1,207.50 a week from 1 April 2027: £62,790.00 a year) from `source`,
// awarded at `at`.
Ipa Award(const std::string& id, IpaSource source, absl::Time at) {
  IpaSpec spec = testing::ValidSpec();
  spec.id = id;
  spec.source = std::move(source);
  spec.parties.placing_authority_name = "West Sussex County Council";
  spec.parties.provider_name = "Acme Care Ltd";
  spec.parties.establishment_name = "Acme House";
  spec.awarded_at = at;
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, testing::Service(), testing::Now());
  REQUIRE(ipa.status() == absl::OkStatus());
  return *ipa;
}

IpaSource FromReferral(const std::string& referral) {
  return {SourceKind::kAward, referral, "bid-7", "", "", ""};
}
IpaSource Direct(const std::string& id) { return {SourceKind::kDirectAward, "", "", id, "", ""}; }
IpaSource CallOff(const std::string& block, const std::string& call_off) {
  return {SourceKind::kBlockCallOff, "", "", "", block, call_off};
}

std::string Write(const std::vector<Ipa>& awards, const PackageScope& scope) {
  absl::StatusOr<std::string> bytes = WriteReleasePackage(System(), kPrefix, scope, awards);
  REQUIRE(bytes.status() == absl::OkStatus());
  return *bytes;
}

std::string WriteQ2(const std::vector<Ipa>& awards) {
  return Write(awards, PackageScope::Quarterly({2027, 2}));
}

// Three awards of 2027 Q2, one of each kind, the direct award cancelled.
std::vector<Ipa> QuarterOfAwards() {
  Ipa direct = Award("ipa-2", Direct("direct-award-9"), Utc(2027, 6, 30, 23, 59));
  direct.state = IpaState::kCancelled;
  return {Award("ipa-3", CallOff("block-4", "call-off-2"), Utc(2027, 4, 1, 0, 0)), direct,
          Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10, 9, 30))};
}

// A folder for a test's files, removed when the test ends.
class Scratch {
 public:
  Scratch() {
    char pattern[] = "/tmp/dps-ocds-writer-test.XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) const {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

 private:
  std::string dir_;
};

struct Verdict {
  int exit_code = -1;
  std::string output;
};

// validate_ocds.py's verdict on `package` (paths from CMake: the interpreter that has Debian's
// python3-jsonschema, the script, the copied schemas).
Verdict Validate(const std::string& package, bool core_only = false) {
  const Scratch scratch;
  const std::string path = scratch.Write("package.json", package);
  const std::string line =
      absl::StrCat(DPS_PYTHON3, " ", DPS_OCDS_VALIDATOR, " --schema-dir ", DPS_OCDS_SCHEMA_DIR,
                   core_only ? " --core-only " : " ", path, " 2>&1");
  INFO(line);
  Verdict verdict;
  FILE* pipe = popen(line.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) verdict.output.append(buffer, n);
  const int status = pclose(pipe);
  verdict.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return verdict;
}

TEST_CASE("One award gives exactly these bytes", "[ocds]") {
  const Ipa ipa = Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10, 9, 30));
  const std::string expected = absl::StrCat(
      R"({"uri":"urn:dps:ocds:ocds-b5fd17:system-1:quarterly:2027-Q2","version":"1.1",)",
      R"("publishedDate":"2027-05-10T09:30:00Z","publisher":{"name":"Lead Council"},)",
      R"("extensions":["https://raw.githubusercontent.com/open-contracting-extensions/)",
      R"(ocds_techniques_extension/master/extension.json"],"releases":[)",
      R"({"ocid":"ocds-b5fd17-referral-1","id":"ipa-1-2027-Q2","date":"2027-05-10T09:30:00Z",)",
      R"("tag":["award","contract"],"initiationType":"tender","language":"en",)",
      R"("parties":[{"id":"west-sussex","name":"West Sussex County Council","roles":["buyer"]},)",
      R"({"id":"acme-care","name":"Acme Care Ltd","roles":["supplier"]}],)",
      R"("buyer":{"id":"west-sussex","name":"West Sussex County Council"},)",
      R"("tender":{"id":"referral-1","status":"complete","procurementMethod":"selective",)",
      R"("procurementMethodDetails":"Mini-competition among the members of the dynamic )",
      R"(purchasing system","techniques":{"hasDynamicPurchasingSystem":true}},)",
      R"("awards":[{"id":"ipa-1","status":"active","date":"2027-05-10T09:30:00Z",)",
      R"("value":{"amount":62790.00,"currency":"GBP"},)",
      R"("suppliers":[{"id":"acme-care","name":"Acme Care Ltd"}]}],)",
      R"("contracts":[{"id":"ipa-1","awardID":"ipa-1","status":"pending",)",
      R"("period":{"startDate":"2027-04-01T00:00:00Z","endDate":"2029-03-31T00:00:00Z"},)",
      R"("value":{"amount":62790.00,"currency":"GBP"}}],)",
      R"("relatedProcesses":[{"id":"1","relationship":["framework"],)",
      R"("title":"South East Children's DPS","scheme":"ocid","identifier":"ocds-b5fd17-system-1"}]}]})");
  CHECK(WriteQ2({ipa}) == expected);
}

TEST_CASE("Releases are in ocid order and the bytes do not depend on the order given", "[ocds]") {
  std::vector<Ipa> awards = QuarterOfAwards();
  const std::string bytes = WriteQ2(awards);
  std::reverse(awards.begin(), awards.end());
  CHECK(WriteQ2(awards) == bytes);

  const json package = json::parse(bytes);
  REQUIRE(package["releases"].size() == 3);
  CHECK(package["releases"][0]["ocid"] == "ocds-b5fd17-block-4");
  CHECK(package["releases"][1]["ocid"] == "ocds-b5fd17-direct-award-9");
  CHECK(package["releases"][2]["ocid"] == "ocds-b5fd17-referral-1");
  // The latest award time of the package, whatever the clock says.
  CHECK(package["publishedDate"] == "2027-06-30T23:59:00Z");
}

TEST_CASE("Each kind of award is its own process with its own procurement method", "[ocds]") {
  const json releases = json::parse(WriteQ2(QuarterOfAwards()))["releases"];
  const json& call_off = releases[0];
  CHECK(call_off["tender"]["id"] == "block-4");
  CHECK(call_off["tender"]["procurementMethod"] == "limited");
  CHECK(call_off["awards"][0]["id"] == "ipa-3");

  const json& direct = releases[1];
  CHECK(direct["tender"]["id"] == "direct-award-9");
  CHECK(direct["tender"]["procurementMethod"] == "limited");
  CHECK(direct["awards"][0]["status"] == "cancelled");
  CHECK(direct["contracts"][0]["status"] == "cancelled");

  const json& competed = releases[2];
  CHECK(competed["tender"]["procurementMethod"] == "selective");
  CHECK(competed["awards"][0]["status"] == "active");
  for (const json& release : releases) {
    CHECK(release["tender"]["techniques"]["hasDynamicPurchasingSystem"] == true);
    CHECK(release["relatedProcesses"][0]["identifier"] == "ocds-b5fd17-system-1");
    CHECK(release["relatedProcesses"][0]["relationship"] == json::array({"framework"}));
  }
}

TEST_CASE("Two call-offs of one block contract are two releases of its process", "[ocds]") {
  const std::string bytes =
      WriteQ2({Award("ipa-5", CallOff("block-4", "call-off-1"), Utc(2027, 4, 2)),
               Award("ipa-6", CallOff("block-4", "call-off-2"), Utc(2027, 4, 3))});
  const json releases = json::parse(bytes)["releases"];
  REQUIRE(releases.size() == 2);
  CHECK(releases[0]["ocid"] == releases[1]["ocid"]);
  CHECK(releases[0]["id"] == "ipa-5-2027-Q2");
  CHECK(releases[1]["id"] == "ipa-6-2027-Q2");
  CHECK(Validate(bytes).exit_code == 0);
}

TEST_CASE("The contract's status and period follow the IPA", "[ocds]") {
  Ipa signed_ipa = Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10));
  signed_ipa.state = IpaState::kSigned;
  CHECK(json::parse(WriteQ2({signed_ipa}))["releases"][0]["contracts"][0]["status"] == "active");

  Ipa ended = signed_ipa;
  ended.state = IpaState::kEnded;
  ended.ended_on = Day(2027, 9, 30);
  const json contract = json::parse(WriteQ2({ended}))["releases"][0]["contracts"][0];
  CHECK(contract["status"] == "terminated");
  CHECK(contract["period"]["endDate"] == "2027-09-30T00:00:00Z");
}

TEST_CASE("Names fall back to ids when the register gave none", "[ocds]") {
  Ipa ipa = Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10));
  ipa.parties.placing_authority_name.clear();
  ipa.parties.provider_name.clear();
  SystemFacts system = System();
  system.lead_authority_name.clear();
  absl::StatusOr<std::string> bytes =
      WriteReleasePackage(system, kPrefix, PackageScope::Quarterly({2027, 2}), {ipa});
  REQUIRE(bytes.status() == absl::OkStatus());
  const json package = json::parse(*bytes);
  CHECK(package["publisher"]["name"] == "authority-lead");
  CHECK(package["releases"][0]["buyer"]["name"] == "west-sussex");
  CHECK(package["releases"][0]["awards"][0]["suppliers"][0]["name"] == "acme-care");
}

TEST_CASE("Amounts are pounds with exactly two decimals from integer pence", "[ocds]") {
  CHECK(PoundsOf(395'000) == "3950.00");
  CHECK(PoundsOf(395'012) == "3950.12");
  CHECK(PoundsOf(5) == "0.05");
  CHECK(PoundsOf(0) == "0.00");
  CHECK(PoundsOf(-150) == "-1.50");
  CHECK(PoundsOf(5'200'000'000'000) == "52000000000.00");  // 52 x kMaxPence
}

TEST_CASE("The child's identity never appears in the package", "[ocds][privacy]") {
  Ipa ipa = Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10));
  ipa.children = {{"Jessamy", "Thornbury-Quill", "Jess", Day(2015, 3, 4), Gender::kFemale,
                   "CASE-778812", "RH12 1AB", "s.31 care order"},
                  {"Orlando", "Thornbury-Quill", "", Day(2017, 11, 23), Gender::kMale,
                   "CASE-778813", "RH12 1AB", "s.20"}};
  REQUIRE(SetChildren(ipa, ipa.children, testing::Officer(), Utc(2027, 5, 11)) == absl::OkStatus());
  for (const std::string& bytes :
       {WriteQ2({ipa}), Write({ipa}, PackageScope::AwardNotice("ipa-1"))}) {
    for (const char* identifying :
         {"Jessamy", "Thornbury", "Quill", "Jess\"", "Orlando", "2015-03-04", "2017-11-23",
          "04/03/2015", "CASE-7788", "778812", "RH12 1AB", "RH121AB", "RH12", "care order", "s.20",
          "Acme House", "acme-care-horsham"}) {
      INFO(identifying);
      CHECK_FALSE(absl::StrContains(bytes, identifying));
    }
  }
}

TEST_CASE("A contract award notice is the package of one award", "[ocds]") {
  const Ipa ipa = Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10));
  SystemFacts system = System();
  system.regime = Regime::kPa2023DynamicMarket;
  absl::StatusOr<std::string> bytes =
      WriteReleasePackage(system, kPrefix, PackageScope::AwardNotice("ipa-1"), {ipa});
  REQUIRE(bytes.status() == absl::OkStatus());
  const json package = json::parse(*bytes);
  CHECK(package["uri"] == "urn:dps:ocds:ocds-b5fd17:system-1:contract-award-notice:ipa-1");
  REQUIRE(package["releases"].size() == 1);
  CHECK(package["releases"][0]["id"] == "ipa-1-award-notice");
  CHECK(Validate(*bytes).exit_code == 0);

  const Ipa other = Award("ipa-2", FromReferral("referral-2"), Utc(2027, 5, 10));
  CHECK(
      Message(WriteReleasePackage(system, kPrefix, PackageScope::AwardNotice("ipa-1"), {ipa, other})
                  .status()) == "ipa_id: a contract award notice holds exactly the IPA it names");
}

// The award of `id`, issued on 11 May 2027 and signed by both parties at `signed_at`.
Ipa SignedAward(const std::string& id, absl::Time signed_at) {
  Ipa ipa = Award(id, FromReferral("referral-1"), Utc(2027, 5, 10));
  REQUIRE(Issue(ipa, testing::FakeRenderer(), testing::Officer(), Utc(2027, 5, 11)) ==
          absl::OkStatus());
  testing::SignBoth(ipa, signed_at);
  REQUIRE(ipa.state == IpaState::kSigned);
  return ipa;
}

TEST_CASE("A contract details notice is the package of one signed contract", "[ocds]") {
  SystemFacts system = System();
  system.regime = Regime::kPa2023DynamicMarket;
  const Ipa ipa = SignedAward("ipa-1", Utc(2027, 5, 12, 10, 15));
  absl::StatusOr<std::string> bytes =
      WriteReleasePackage(system, kPrefix, PackageScope::DetailsNotice("ipa-1"), {ipa});
  REQUIRE(bytes.status() == absl::OkStatus());
  const json package = json::parse(*bytes);
  CHECK(package["uri"] == "urn:dps:ocds:ocds-b5fd17:system-1:contract-details-notice:ipa-1");
  CHECK(package["publishedDate"] == "2027-05-12T10:15:00Z");
  REQUIRE(package["releases"].size() == 1);
  const json& release = package["releases"][0];
  CHECK(release["ocid"] == "ocds-b5fd17-referral-1");  // the award's process
  CHECK(release["id"] == "ipa-1-details-notice");
  CHECK(release["date"] == "2027-05-12T10:15:00Z");
  CHECK(release["tag"] == json::array({"contract"}));
  CHECK(release["contracts"][0]["status"] == "active");
  CHECK(release["contracts"][0]["dateSigned"] == "2027-05-12T10:15:00Z");
  CHECK(release["contracts"][0]["value"]["amount"] == 62790.00);
  const Verdict verdict = Validate(*bytes);
  INFO(verdict.output);
  CHECK(verdict.exit_code == 0);

  // The award notice of the same contract, written once signed, says when it was signed too.
  const json award = json::parse(Write({ipa}, PackageScope::AwardNotice("ipa-1")));
  CHECK(award["releases"][0]["tag"] == json::array({"award", "contract"}));
  CHECK(award["releases"][0]["contracts"][0]["dateSigned"] == "2027-05-12T10:15:00Z");

  // Before both signatures there is no contract to give details of.
  const Ipa issued = Award("ipa-2", FromReferral("referral-2"), Utc(2027, 5, 10));
  const absl::Status unsigned_status =
      WriteReleasePackage(system, kPrefix, PackageScope::DetailsNotice("ipa-2"), {issued}).status();
  CHECK(unsigned_status.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Message(unsigned_status) ==
        "ipa_id: IPA ipa-2 is DRAFT: a contract details notice follows both parties' signatures");
  CHECK(Message(WriteReleasePackage(system, kPrefix, PackageScope::DetailsNotice("ipa-1"),
                                    {ipa, issued})
                    .status()) ==
        "ipa_id: a contract details notice holds exactly the IPA it names");
}

TEST_CASE("A call-off from the ranking is published as one, not as a direct award", "[ocds]") {
  IpaSource ranked = Direct("direct-award-4");
  ranked.ranked_call_off = true;
  const Ipa ipa = Award("ipa-4", ranked, Utc(2027, 5, 10));
  const json tender = json::parse(WriteQ2({ipa}))["releases"][0]["tender"];
  CHECK(tender["id"] == "direct-award-4");
  CHECK(tender["procurementMethod"] == "limited");
  CHECK(tender["procurementMethodDetails"] ==
        "Call-off from the lot's ranking made at admission to the dynamic purchasing system");
  const json direct = json::parse(WriteQ2(
      {Award("ipa-5", Direct("direct-award-5"), Utc(2027, 5, 10))}))["releases"][0]["tender"];
  CHECK(direct["procurementMethodDetails"] == "Direct award under the dynamic purchasing system");
}

TEST_CASE("Bad input is refused naming the field", "[ocds]") {
  const Ipa ipa = Award("ipa-1", FromReferral("referral-1"), Utc(2027, 5, 10));
  const PackageScope q2 = PackageScope::Quarterly({2027, 2});
  auto status = [&](absl::string_view prefix, const PackageScope& scope, std::vector<Ipa> awards,
                    SystemFacts system = System()) {
    return WriteReleasePackage(system, prefix, scope, awards).status();
  };
  CHECK(Message(status("", q2, {ipa})) == "ocid_prefix: required");
  CHECK(Message(status("ocds b5fd17", q2, {ipa})) ==
        "ocid_prefix: must be 1 to 64 letters, digits or '-', got \"ocds b5fd17\"");
  CHECK(status(std::string(65, 'a'), q2, {ipa}).code() == absl::StatusCode::kInvalidArgument);
  CHECK(status(std::string(64, 'a'), q2, {ipa}) == absl::OkStatus());
  CHECK(Message(status(kPrefix, q2, {})) == "awards: a release package needs at least one award");
  CHECK(Message(status(kPrefix, PackageScope::Quarterly({2027, 5}), {ipa})) ==
        "quarter.quarter: must be 1 to 4");
  CHECK(Message(status(kPrefix, PackageScope::Quarterly({2027, 3}), {ipa})) ==
        "awards: IPA ipa-1 was not awarded in 2027-Q3");
  SystemFacts other = System();
  other.id = "system-2";
  CHECK(Message(status(kPrefix, q2, {ipa}, other)) ==
        "awards: IPA ipa-1 is of system \"system-1\", not \"system-2\"");
  CHECK(status(kPrefix, PackageScope{}, {ipa}).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Every package written is valid against the schemas with the extension merged",
          "[ocds][schema]") {
  const Verdict quarter = Validate(WriteQ2(QuarterOfAwards()));
  INFO(quarter.output);
  CHECK(quarter.exit_code == 0);
  CHECK(quarter.output == "valid\n");
}

TEST_CASE("A wrong techniques value fails only because the extension is merged", "[ocds][schema]") {
  json package = json::parse(WriteQ2(QuarterOfAwards()));
  package["releases"][1]["tender"]["techniques"]["hasDynamicPurchasingSystem"] = "yes";
  const std::string bytes = package.dump();

  const Verdict merged = Validate(bytes);
  INFO(merged.output);
  CHECK(merged.exit_code == 1);
  CHECK(absl::StrContains(merged.output,
                          "invalid: releases/1/tender/techniques/hasDynamicPurchasingSystem: "));
  // The core schema alone lets it through: the merge is what catches it.
  const Verdict core = Validate(bytes, /*core_only=*/true);
  INFO(core.output);
  CHECK(core.exit_code == 0);
}

TEST_CASE("The validator names the path of a core schema error", "[ocds][schema]") {
  json package = json::parse(WriteQ2(QuarterOfAwards()));
  package["releases"][0]["tender"]["procurementMethod"] = "mini-competition";
  const Verdict verdict = Validate(package.dump());
  INFO(verdict.output);
  CHECK(verdict.exit_code == 1);
  CHECK(absl::StartsWith(verdict.output, "invalid: releases/0/tender/procurementMethod: "));
}

}  // namespace
}  // namespace dps::contracts::ocds
