// The agreement as one self-contained HTML5 page (UTF-8, styles inline, no scripts, no links out),
// for showing in a browser and for hashing: the same document always gives the same bytes, since
// nothing in it comes from the clock, the locale or the machine.
//
//   absl::StatusOr<std::string> html = RenderHtml(document);
//   if (!html.ok()) return html.status();  // InvalidArgument naming the field over a limit
//
// ContentSha256 is the hash printed on every page of the PDF (pdf.h); it is of these bytes.
#ifndef DPS_SERVICES_CONTRACTS_DOCUMENT_HTML_H_
#define DPS_SERVICES_CONTRACTS_DOCUMENT_HTML_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/contracts/document/placement_agreement_document.h"

namespace dps::contracts::document {

// Names the layout of the HTML and the PDF. It changes whenever the same document would render
// differently, so a stored version can say which layout made its bytes (IpaVersion's
// template_version).
inline constexpr absl::string_view kLayoutVersion = "ipa-document-1";

// The document as HTML, after ValidateDocument(document, limits).
absl::StatusOr<std::string> RenderHtml(const PlacementAgreementDocument& document,
                                       const DocumentLimits& limits = {});

// Lowercase hex SHA-256 of RenderHtml's bytes: the document's content hash.
absl::StatusOr<std::string> ContentSha256(const PlacementAgreementDocument& document,
                                          const DocumentLimits& limits = {});

// `text` safe as HTML element content and as a quoted attribute value: & < > " ' escaped.
std::string EscapeHtml(absl::string_view text);

}  // namespace dps::contracts::document

#endif  // DPS_SERVICES_CONTRACTS_DOCUMENT_HTML_H_
