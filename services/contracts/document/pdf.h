// The agreement as a PDF (A4, Pango and Cairo), the form the parties keep. Every page carries in
// its footer the agreement number and version, "Page n of N", and the document's content hash
// (ContentSha256 in html.h: the SHA-256 of the HTML rendering of the same document), so a single
// printed page can be matched to the version it belongs to.
//
//   absl::StatusOr<RenderedPdf> pdf = RenderPdf(document);
//   if (!pdf.ok()) return pdf.status();
//   Store(pdf->bytes);  // what the parties sign is the SHA-256 of these stored bytes
//
// Deterministic: the same document gives the same bytes, in one process or many, whatever the
// clock, time zone, locale or the user's font configuration. Cairo's creation and modification
// dates are set to the issue date, and the fonts come from a private fontconfig configuration
// that holds three DejaVu files and nothing else (no system or user configuration, no fallback to
// other installed fonts). The bytes do depend on the versions of Cairo, Pango, HarfBuzz, zlib and
// the DejaVu files, so re-rendering after an upgrade may differ: keep the bytes that were signed.
// Characters DejaVu Sans lacks (Chinese, for one) print as boxes holding their code point.
//
// Safe to call from any thread: calls take turns, since they share Pango's font map.
#ifndef DPS_SERVICES_CONTRACTS_DOCUMENT_PDF_H_
#define DPS_SERVICES_CONTRACTS_DOCUMENT_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/contracts/document/placement_agreement_document.h"

namespace dps::contracts::document {

struct PdfOptions {
  // Where Debian's fonts-dejavu-core puts DejaVuSans.ttf, DejaVuSans-Bold.ttf and
  // DejaVuSansMono.ttf.
  std::string font_directory = "/usr/share/fonts/truetype/dejavu";
};

struct RenderedPdf {
  std::string bytes;
  std::string content_sha256;  // printed on every page; of the HTML, not of `bytes`
  int page_count = 0;
};

// The document as a PDF, after ValidateDocument(document, limits). InvalidArgument naming the
// field for a document over a limit; FailedPrecondition if a font file cannot be read; Internal
// if Cairo fails.
absl::StatusOr<RenderedPdf> RenderPdf(const PlacementAgreementDocument& document,
                                      const DocumentLimits& limits = {},
                                      const PdfOptions& options = {});

}  // namespace dps::contracts::document

#endif  // DPS_SERVICES_CONTRACTS_DOCUMENT_PDF_H_
