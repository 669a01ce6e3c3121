// The IPA as a document: every field of the view model from an IPA built through the domain, the
// discounts and total against hand-computed pence, which additional services a version shows,
// the PDF's bytes (the same twice, and the hash the domain keeps) and what pdftotext reads back,
// and text the document refuses.
#include "services/contracts/app/ipa_document.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/domain/costs.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using namespace dps::contracts::testing;  // NOLINT: the domain's fixtures
namespace doc = ::dps::contracts::document;

// The fixture's fostering placement (test_fixtures.h) with a core fee of £1,234.56, two
// discounts whose shares round differently, a service that starts after the start date, three
// kinds of allowance, an incentive and named signatories.
IpaSpec FullSpec() {
  IpaSpec spec = ValidSpec();
  spec.id = "IPA-2027-0042";
  IpaTerms& terms = spec.terms;
  terms.purposes.push_back("Support to return to full-time education within one term");
  terms.costs.core_weekly_fee_pence = 123'456;
  terms.costs.discounts = {{DiscountKind::kSibling, 250}, {DiscountKind::kPermanence, 250}};
  terms.costs.additional_services.push_back(
      {"respite", "", 5'000, Day(2027, 9, 1), Day(2028, 8, 31)});
  terms.costs.allowances = {{"Pocket money", 1'000, AllowanceFrequency::kWeekly, true},
                            {"Birthday", 15'000, AllowanceFrequency::kAnnual, false},
                            {"Setting-up grant", 20'000, AllowanceFrequency::kOneOff, false}};
  terms.incentive =
      Incentive{"Attendance at school above 95% for two terms", 50'000, Day(2027, 12, 31)};
  terms.documents.push_back({"Care plan", "documents/care-plan.pdf", HashOf(901)});
  terms.signatories = {{Party::kPlacingAuthority, "officer-1", "Sam Jones", "Head of Service"},
                       {Party::kProvider, "provider-user-1", "Ali Khan", "Director"}};
  return spec;
}

// Made and issued through the domain: version 1, proposed at Now() (1 March 2027, noon UTC).
Ipa IssuedFrom(IpaSpec spec, const VersionRenderer& renderer = FakeRenderer()) {
  absl::StatusOr<Ipa> ipa = CreateIpa(std::move(spec), Service(), Now() - absl::Hours(1));
  REQUIRE(ipa.status() == absl::OkStatus());
  REQUIRE(Issue(*ipa, renderer, Officer(), Now()) == absl::OkStatus());
  return *std::move(ipa);
}

doc::PlacementAgreementDocument DocumentOf(const Ipa& ipa, const IpaVersion& version) {
  absl::StatusOr<doc::PlacementAgreementDocument> d = AgreementDocumentOf(ipa, version);
  REQUIRE(d.status() == absl::OkStatus());
  return *std::move(d);
}

// Version 1's terms as a later version taking effect on `from` (as a signed variation would).
IpaVersion TakingEffectOn(const Ipa& ipa, Day from) {
  IpaVersion version = ipa.versions[0];
  version.number = 2;
  version.origin = VersionOrigin::kVariation;
  version.effective_from = from;
  return version;
}

std::vector<std::string> Labels(const doc::PlacementAgreementDocument& d) {
  std::vector<std::string> labels;
  for (const doc::CostLine& line : d.cost_lines) labels.push_back(line.label);
  return labels;
}

// A folder for a test's files, removed when the test ends.
class Scratch {
 public:
  Scratch() {
    char pattern[] = "/tmp/dps-ipa-document-test.XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(Path(name), std::ios::binary) << bytes;
    return Path(name);
  }

  // pdftotext's reading of the PDF at `pdf_path`, all pages.
  std::string Text(const std::string& pdf_path) const {
    const std::string line =
        absl::StrCat("pdftotext -enc UTF-8 ", pdf_path, " - > ", Path("text.txt"));
    INFO(line);
    REQUIRE(std::system(line.c_str()) == 0);
    std::ifstream in(Path("text.txt"), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string Path(const std::string& name) const { return absl::StrCat(dir_, "/", name); }
  std::string dir_;
};

TEST_CASE("the parties' names and the establishment's address are the ones the IPA keeps",
          "[mapping]") {
  IpaSpec spec = FullSpec();
  spec.parties.placing_authority_name = "West Sussex County Council";
  spec.parties.provider_name = "Acme Care Ltd";
  spec.parties.establishment_name = "Horsham House";
  spec.parties.establishment_address = "1 High Street, Horsham, RH12 1AB";
  const Ipa ipa = IssuedFrom(spec);
  const doc::PlacementAgreementDocument d = DocumentOf(ipa, ipa.versions[0]);
  CHECK(d.placing_authority.name == "West Sussex County Council");
  CHECK(d.provider.name == "Acme Care Ltd");
  CHECK(d.establishment.name == "Horsham House");
  CHECK(d.establishment.address == "1 High Street, Horsham, RH12 1AB");
}

TEST_CASE("A full IPA maps onto every field of the document", "[mapping]") {
  const Ipa ipa = IssuedFrom(FullSpec());
  const doc::PlacementAgreementDocument d = DocumentOf(ipa, ipa.versions[0]);

  CHECK(d.title == "Individual Placement Agreement");
  CHECK(d.agreement_number == "IPA-2027-0042");
  CHECK(d.version_number == 1);
  CHECK(d.issue_date == Day(2027, 3, 1));
  // An IPA that holds no names shows the ids in their place.
  CHECK(d.placing_authority.name == "west-sussex");
  CHECK(d.placing_authority.address.empty());
  CHECK(d.provider.name == "acme-care");
  CHECK(d.provider.address.empty());
  CHECK(d.establishment.name == "acme-care-horsham");
  CHECK(d.establishment.address.empty());
  CHECK(d.provision_type == "Fostering (independent fostering agency)");
  CHECK(d.purposes ==
        std::vector<std::string>{"A stable foster home while the care plan is completed",
                                 "Support to return to full-time education within one term"});
  CHECK(d.start_date == Day(2027, 4, 1));
  CHECK(d.planned_end_date == Day(2029, 3, 31));

  REQUIRE(d.key_contacts.size() == 2);
  CHECK(d.key_contacts[0].party == "Placing authority");
  CHECK(d.key_contacts[0].role == "social worker");
  CHECK(d.key_contacts[0].name == "Sam Jones");
  CHECK(d.key_contacts[0].email == "sam.jones@westsussex.gov.uk");
  CHECK(d.key_contacts[0].phone == "01243 777100");
  CHECK(d.key_contacts[1].party == "Provider");
  CHECK(d.key_contacts[1].role == "supervising social worker");
  CHECK(d.key_contacts[1].name == "Ali Khan");
  CHECK(d.key_contacts[1].email == "ali@acme-care.example");
  CHECK(d.key_contacts[1].phone.empty());

  // On 1 April 2027 every service is current; respite starts on 1 September and says so.
  REQUIRE(d.cost_lines.size() == 4);
  CHECK(d.cost_lines[0].label == "Core weekly fee");
  CHECK(d.cost_lines[0].weekly_pence == 123'456);
  CHECK(d.cost_lines[0].end_date == std::nullopt);
  CHECK(d.cost_lines[1].label == "Ten hours a week of one-to-one support");
  CHECK(d.cost_lines[1].weekly_pence == 30'000);
  CHECK(d.cost_lines[1].end_date == Day(2027, 6, 30));
  CHECK(d.cost_lines[2].label == "Weekly play therapy");
  CHECK(d.cost_lines[2].weekly_pence == 10'000);
  CHECK(d.cost_lines[2].end_date == Day(2029, 3, 31));
  CHECK(d.cost_lines[3].label == "respite (from 1 September 2027)");  // no description: code
  CHECK(d.cost_lines[3].weekly_pence == 5'000);
  CHECK(d.cost_lines[3].end_date == Day(2028, 8, 31));

  // 2.5% + 2.5% = 5% of £1,234.56 = 6,172.8p, rounded once: 6,173p. The sibling line alone is
  // 2.5% = 3,086.4p -> 3,086p; the permanence line takes the rest, 3,087p.
  REQUIRE(d.discounts.size() == 2);
  CHECK(d.discounts[0].label == "Sibling discount");
  CHECK(d.discounts[0].basis_points == 250);
  CHECK(d.discounts[0].weekly_pence == 3'086);
  CHECK(d.discounts[1].label == "Permanence discount");
  CHECK(d.discounts[1].basis_points == 250);
  CHECK(d.discounts[1].weekly_pence == 3'087);
  // 123,456 - 6,173 + 30,000 + 10,000 (respite not yet running) = 157,283.
  CHECK(d.total_weekly_pence == 157'283);
  CHECK(d.payment_terms == "Invoiced four-weekly in arrears, paid within 30 days");

  REQUIRE(d.allowances.size() == 3);
  CHECK(d.allowances[0].kind == "Pocket money");
  CHECK(d.allowances[0].amount_pence == 1'000);
  CHECK(d.allowances[0].frequency == "weekly");
  CHECK(d.allowances[0].included_in_fee);
  CHECK(d.allowances[1].kind == "Birthday");
  CHECK(d.allowances[1].amount_pence == 15'000);
  CHECK(d.allowances[1].frequency == "annual");
  CHECK_FALSE(d.allowances[1].included_in_fee);
  CHECK(d.allowances[2].frequency == "one-off");

  CHECK(d.incentive ==
        "Attendance at school above 95% for two terms\n"
        "A premium of £500.00 is payable if the outcomes are met by 31 December 2027.");
  CHECK(d.notice_period_days == 28);  // fostering's default: the terms give none

  REQUIRE(d.documents.size() == 2);
  CHECK(d.documents[0].title == "Terms and conditions");
  CHECK(d.documents[0].sha256 == HashOf(900));
  CHECK(d.documents[1].title == "Care plan");
  CHECK(d.documents[1].sha256 == HashOf(901));

  REQUIRE(d.signatories.size() == 2);
  CHECK(d.signatories[0].party == "Placing authority");
  CHECK(d.signatories[0].name == "Sam Jones");
  CHECK(d.signatories[0].position == "Head of Service");
  CHECK(d.signatories[1].party == "Provider");
  CHECK(d.signatories[1].name == "Ali Khan");
  CHECK(d.signatories[1].position == "Director");
}

TEST_CASE("The discount lines add up to the discount costs.h takes off", "[mapping]") {
  const Ipa ipa = IssuedFrom(FullSpec());
  const doc::PlacementAgreementDocument d = DocumentOf(ipa, ipa.versions[0]);
  const WeeklyCost cost = WeeklyCostOfTerms(ipa.versions[0].terms, Day(2027, 4, 1));
  CHECK(cost.discount_pence == 6'173);
  CHECK(d.discounts[0].weekly_pence + d.discounts[1].weekly_pence == cost.discount_pence);
  CHECK(d.total_weekly_pence == cost.total_pence);
}

TEST_CASE("A version with no incentive and no signatories leaves both empty", "[mapping]") {
  const Ipa ipa = IssuedFrom(ValidSpec());
  const doc::PlacementAgreementDocument d = DocumentOf(ipa, ipa.versions[0]);
  CHECK(d.incentive.empty());
  CHECK(d.signatories.empty());
  // 85,000 - 5% (4,250) + 30,000 + 10,000.
  REQUIRE(d.discounts.size() == 1);
  CHECK(d.discounts[0].weekly_pence == 4'250);
  CHECK(d.total_weekly_pence == 120'750);
}

TEST_CASE("Provision types read as words and other provisions take the terms' notice period",
          "[mapping]") {
  const std::vector<std::pair<ProvisionType, std::string>> types = {
      {ProvisionType::kInmss, "Independent or non-maintained special school"},
      {ProvisionType::kSpecialistCollege, "Independent specialist post-16 college"},
      {ProvisionType::kFostering, "Fostering (independent fostering agency)"},
      {ProvisionType::kResidentialHome, "Children's home"},
      {ProvisionType::kShortBreaks, "Short breaks"},
      {ProvisionType::kAlternativeEducation, "Alternative education"},
      {ProvisionType::kSupportedAccommodation, "Supported accommodation (16 and over)"},
      {ProvisionType::kBespokeIntervention,
       "Bespoke intervention (therapies, assessments, testing)"},
  };
  for (const auto& [type, words] : types) {
    INFO(words);
    IpaSpec spec = ValidSpec();
    spec.provision_type = type;
    spec.terms.notice_period_days = 90;
    const Ipa ipa = IssuedFrom(spec);
    const doc::PlacementAgreementDocument d = DocumentOf(ipa, ipa.versions[0]);
    CHECK(d.provision_type == words);
    CHECK(d.notice_period_days == 90);
  }
}

TEST_CASE("An additional service shows until its last day and not after", "[services]") {
  // costs.h: a service runs to its end date included and costs nothing from the next day. The
  // one-to-one support ends on 30 June 2027.
  const Ipa ipa = IssuedFrom(ValidSpec());

  const doc::PlacementAgreementDocument on_last_day =
      DocumentOf(ipa, TakingEffectOn(ipa, Day(2027, 6, 30)));
  CHECK(on_last_day.version_number == 2);
  CHECK(Labels(on_last_day) == std::vector<std::string>{"Core weekly fee",
                                                        "Ten hours a week of one-to-one support",
                                                        "Weekly play therapy"});
  CHECK(on_last_day.total_weekly_pence == 85'000 - 4'250 + 30'000 + 10'000);

  const doc::PlacementAgreementDocument after =
      DocumentOf(ipa, TakingEffectOn(ipa, Day(2027, 7, 1)));
  CHECK(Labels(after) == std::vector<std::string>{"Core weekly fee", "Weekly play therapy"});
  CHECK(after.total_weekly_pence == 85'000 - 4'250 + 10'000);
  // The placement's own dates stay those of the terms.
  CHECK(after.start_date == Day(2027, 4, 1));
}

TEST_CASE("A service starting after the effective date is shown but not yet in the total",
          "[services]") {
  const Ipa ipa = IssuedFrom(FullSpec());
  const doc::PlacementAgreementDocument before =
      DocumentOf(ipa, TakingEffectOn(ipa, Day(2027, 8, 31)));
  CHECK(Labels(before).back() == "respite (from 1 September 2027)");
  CHECK(before.total_weekly_pence == 123'456 - 6'173 + 10'000);

  const doc::PlacementAgreementDocument from =
      DocumentOf(ipa, TakingEffectOn(ipa, Day(2027, 9, 1)));
  CHECK(Labels(from).back() == "respite");
  CHECK(from.total_weekly_pence == 123'456 - 6'173 + 10'000 + 5'000);
}

TEST_CASE("The same IPA renders to the same PDF bytes twice", "[pdf]") {
  const Ipa ipa = IssuedFrom(FullSpec());
  const PdfAgreementRenderer renderer;
  const absl::StatusOr<std::string> first = renderer.RenderDocument(ipa, ipa.versions[0]);
  const absl::StatusOr<std::string> second = renderer.RenderDocument(ipa, ipa.versions[0]);
  REQUIRE(first.status() == absl::OkStatus());
  REQUIRE(second.status() == absl::OkStatus());
  CHECK(absl::StartsWith(*first, "%PDF-"));
  CHECK(*first == *second);
}

TEST_CASE("Issuing through the PDF renderer keeps the SHA-256 of the PDF bytes", "[pdf]") {
  const PdfAgreementRenderer pdf;
  RecordingRenderer recording(pdf);
  const Ipa ipa = IssuedFrom(FullSpec(), recording);
  const IpaVersion& version = ipa.versions[0];
  REQUIRE(recording.rendered().count(1) == 1);
  const std::string& stored = recording.rendered().at(1);
  CHECK(version.document_sha256 == platform::Sha256Hex(stored));
  CHECK(version.byte_length == static_cast<int64_t>(stored.size()));
  // Rendering the issued version again gives the bytes that were hashed.
  const absl::StatusOr<std::string> again = pdf.RenderDocument(ipa, version);
  REQUIRE(again.status() == absl::OkStatus());
  CHECK(*again == stored);
}

TEST_CASE("pdftotext reads the agreement number and the core fee and the provider", "[pdf]") {
  const Ipa ipa = IssuedFrom(FullSpec());
  const absl::StatusOr<std::string> bytes =
      PdfAgreementRenderer().RenderDocument(ipa, ipa.versions[0]);
  REQUIRE(bytes.status() == absl::OkStatus());
  const Scratch scratch;
  const std::string text = scratch.Text(scratch.Write("ipa.pdf", *bytes));
  CHECK(absl::StrContains(text, "Agreement IPA-2027-0042, version 1, issued 1 March 2027."));
  CHECK(absl::StrContains(text, "£1,234.56"));
  CHECK(absl::StrContains(text, "-£30.87"));    // the permanence discount
  CHECK(absl::StrContains(text, "£1,572.83"));  // the total
  CHECK(absl::StrContains(text, "acme-care"));
  CHECK(absl::StrContains(text, "Fostering (independent fostering agency)"));
}

TEST_CASE("The HTML view shows the same agreement", "[html]") {
  const Ipa ipa = IssuedFrom(FullSpec());
  const absl::StatusOr<std::string> html = RenderAgreementHtml(ipa, ipa.versions[0]);
  REQUIRE(html.status() == absl::OkStatus());
  CHECK(absl::StrContains(*html, "IPA-2027-0042"));
  CHECK(absl::StrContains(*html, "£1,234.56"));
  CHECK(absl::StrContains(*html, "acme-care-horsham"));
  CHECK(*html == *RenderAgreementHtml(ipa, ipa.versions[0]));
}

TEST_CASE("Text the document refuses is InvalidArgument naming its field", "[invalid]") {
  // U+202E RIGHT-TO-LEFT OVERRIDE: the domain takes it, the document does not (it would show
  // the text in another order than the one signed).
  IpaSpec spec = ValidSpec();
  spec.terms.purposes.push_back("Reverse \u202E this");
  const Ipa ipa = IssuedFrom(spec);

  const absl::StatusOr<doc::PlacementAgreementDocument> d =
      AgreementDocumentOf(ipa, ipa.versions[0]);
  REQUIRE(d.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StartsWith(d.status().message(), "purposes[1]: "));
  // Both renderings give ValidateDocument's error as it is.
  CHECK(PdfAgreementRenderer().RenderDocument(ipa, ipa.versions[0]).status() == d.status());
  CHECK(RenderAgreementHtml(ipa, ipa.versions[0]).status() == d.status());
}

TEST_CASE("Issuing an IPA the document refuses fails and leaves it a DRAFT", "[invalid]") {
  IpaSpec spec = ValidSpec();
  spec.terms.costs.payment_terms = "Paid \u2066monthly\u2069";  // isolates
  absl::StatusOr<Ipa> ipa = CreateIpa(spec, Service(), Now() - absl::Hours(1));
  REQUIRE(ipa.status() == absl::OkStatus());
  const PdfAgreementRenderer pdf;
  RecordingRenderer recording(pdf);
  const absl::Status issued = Issue(*ipa, recording, Officer(), Now());
  CHECK(issued.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StartsWith(issued.message(), "payment_terms: "));
  CHECK(ipa->state == IpaState::kDraft);
  CHECK(ipa->versions.empty());
}

TEST_CASE("A version the domain would not render is InvalidArgument naming its field",
          "[invalid]") {
  const Ipa ipa = IssuedFrom(ValidSpec());

  IpaVersion no_documents = ipa.versions[0];
  no_documents.terms.documents.clear();
  const absl::Status incomplete = AgreementDocumentOf(ipa, no_documents).status();
  CHECK(incomplete.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StartsWith(incomplete.message(), "terms.documents: "));

  IpaVersion never_proposed = ipa.versions[0];
  never_proposed.proposed_at = absl::Time();
  const absl::Status undated = AgreementDocumentOf(ipa, never_proposed).status();
  CHECK(undated.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StartsWith(undated.message(), "version.proposed_at: "));
}

}  // namespace
}  // namespace dps::contracts
