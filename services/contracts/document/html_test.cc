#include "services/contracts/document/html.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"
#include "services/contracts/document/testing.h"

namespace dps::contracts::document {
namespace {

using testing::Hostile;
using testing::SampleDocument;

std::string Html(const PlacementAgreementDocument& document) {
  absl::StatusOr<std::string> html = RenderHtml(document);
  REQUIRE(html.ok());
  return *html;
}

TEST_CASE("EscapeHtml escapes the five characters that can end text or an attribute") {
  CHECK(EscapeHtml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(EscapeHtml("&amp;") == "&amp;amp;");  // already-escaped text is shown as typed
  CHECK(EscapeHtml("£ é ’") == "£ é ’");
}

TEST_CASE("Every text field is escaped in the HTML") {
  const std::string html = Html(testing::HostileDocument());
  // Nothing the caller wrote became markup...
  CHECK_FALSE(absl::StrContains(html, "<script"));
  CHECK_FALSE(absl::StrContains(html, "&\""));
  // ...and each field's text is there, escaped.
  const std::vector<std::string> fields = {"title",
                                           "agreement_number",
                                           "placing_authority.name",
                                           "placing_authority.address",
                                           "provider.name",
                                           "provider.address",
                                           "establishment.name",
                                           "establishment.address",
                                           "provision_type",
                                           "purposes[0]",
                                           "key_contacts[0].party",
                                           "key_contacts[0].role",
                                           "key_contacts[0].name",
                                           "key_contacts[0].email",
                                           "key_contacts[0].phone",
                                           "cost_lines[0].label",
                                           "discounts[0].label",
                                           "payment_terms",
                                           "allowances[0].kind",
                                           "allowances[0].frequency",
                                           "incentive.line1",
                                           "incentive.line2",
                                           "documents[0].title",
                                           "signatories[0].party",
                                           "signatories[0].name",
                                           "signatories[0].position"};
  for (const std::string& field : fields) {
    INFO(field);
    CHECK(absl::StrContains(html, EscapeHtml(Hostile(field))));
  }
  CHECK(absl::StrContains(html, absl::StrCat("<title>", EscapeHtml(Hostile("title")))));
}

TEST_CASE("The HTML is UTF-8 and says so") {
  const std::string html = Html(SampleDocument());
  CHECK(absl::StartsWith(html,
                         "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
                         "<meta charset=\"utf-8\">\n"));
  CHECK(absl::StrContains(html, "Brightwater Fostering – South Downs"));
  CHECK(absl::StrContains(html, "the child’s care plan"));
  CHECK(absl::StrContains(html, "£1,234.56"));
}

TEST_CASE("The HTML shows the costs, the discount as a minus and the total") {
  const std::string html = Html(SampleDocument());
  CHECK(absl::StrContains(
      html, "<tr><td>Core fee</td><td class=\"end\">£1,234.56</td><td>End of placement</td></tr>"));
  CHECK(absl::StrContains(html,
                          "<tr><td>Therapeutic support (2 sessions a week)</td>"
                          "<td class=\"end\">£180.00</td><td>11 October 2027</td></tr>"));
  CHECK(absl::StrContains(
      html, "<tr><td>Sibling discount (5%)</td><td class=\"end\">-£61.73</td><td></td></tr>"));
  CHECK(absl::StrContains(html,
                          "<tfoot>\n<tr><td>Total weekly fee</td>"
                          "<td class=\"end\">£1,352.83</td><td></td></tr>\n</tfoot>"));
}

TEST_CASE("Lists keep the order they were given in") {
  const std::string html = Html(testing::DocumentWithCostLines(12));
  size_t previous = 0;
  for (int i = 1; i <= 12; ++i) {
    const size_t at = html.find(absl::StrCat(">Additional service ", i, ":"));
    REQUIRE(at != std::string::npos);
    CHECK(at > previous);
    previous = at;
  }
}

TEST_CASE("An empty incentive and empty lists are said in words") {
  PlacementAgreementDocument d = SampleDocument();
  d.incentive = "\n \n";
  d.allowances.clear();
  d.documents.clear();
  d.planned_end_date.reset();
  const std::string html = Html(d);
  CHECK(absl::StrContains(html, "<h2>6. Incentive</h2>\n<p>None.</p>"));
  CHECK(absl::StrContains(html, "<p>This agreement alone.</p>"));
  CHECK(absl::StrContains(html, "<th scope=\"row\">Planned end date</th><td>None set</td>"));
}

TEST_CASE("The same document gives the same bytes, and any change of content changes them") {
  const std::string first = Html(SampleDocument());
  CHECK(Html(SampleDocument()) == first);
  PlacementAgreementDocument changed = SampleDocument();
  changed.cost_lines[0].weekly_pence += 1;
  CHECK(Html(changed) != first);
}

TEST_CASE("ContentSha256 is the SHA-256 of the HTML, and is fixed for the sample") {
  const absl::StatusOr<std::string> hash = ContentSha256(SampleDocument());
  REQUIRE(hash.ok());
  CHECK(*hash == platform::Sha256Hex(Html(SampleDocument())));
  // If this changes on purpose, the layout changed: change kLayoutVersion with it, since stored
  // versions name the layout that made them.
  CHECK(*hash == "757a5b959c67651c7c546ab9005d1416a4ea7e9de3fd70e233debec30b39f858");
}

TEST_CASE("An invalid document is refused, not rendered") {
  PlacementAgreementDocument d = SampleDocument();
  d.purposes.assign(101, "A purpose");
  const absl::StatusOr<std::string> html = RenderHtml(d);
  CHECK(html.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(html.status().message() == "purposes: must have at most 100 items, got 101");
}

}  // namespace
}  // namespace dps::contracts::document
