// Writes one of testing.h's documents, rendered, to standard output, so the tests can check that
// a separate process (with another time zone, locale and font configuration) gives the same bytes
// as the test's own process.
//   contracts_document_fixture_renderer pdf|html sample|hostile|many-lines
#include <cstdio>
#include <string>

#include "absl/status/statusor.h"
#include "services/contracts/document/html.h"
#include "services/contracts/document/pdf.h"
#include "services/contracts/document/testing.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "contracts_document_fixture_renderer: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace document = dps::contracts::document;
  if (argc != 3) return Fail("usage: pdf|html sample|hostile|many-lines");
  const std::string format = argv[1];
  const std::string which = argv[2];
  document::PlacementAgreementDocument input;
  if (which == "sample") {
    input = document::testing::SampleDocument();
  } else if (which == "hostile") {
    input = document::testing::HostileDocument();
  } else if (which == "many-lines") {
    input = document::testing::DocumentWithCostLines(99);
  } else {
    return Fail("unknown document " + which);
  }
  std::string bytes;
  if (format == "pdf") {
    absl::StatusOr<document::RenderedPdf> pdf = document::RenderPdf(input);
    if (!pdf.ok()) return Fail(pdf.status().ToString());
    bytes = std::move(pdf->bytes);
  } else if (format == "html") {
    absl::StatusOr<std::string> html = document::RenderHtml(input);
    if (!html.ok()) return Fail(html.status().ToString());
    bytes = std::move(*html);
  } else {
    return Fail("unknown format " + format);
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) return Fail("write");
  return std::fflush(stdout) == 0 ? 0 : Fail("write");
}
