// The adapter between the IPA domain and the agreement's renderer: one version of an IPA mapped
// onto the document's view model (services/contracts/document), and the DocumentRenderer the use
// cases render versions with, whose bytes are the PDF the service stores and the parties sign.
//
//   PdfAgreementRenderer pdf;
//   IpaUseCases cases{store, pdf, clock, ids, options};  // issued versions are these PDFs
//
//   absl::StatusOr<std::string> html = RenderAgreementHtml(ipa, *ipa.current_version());
//
// Every rule about money stays in the domain (costs.h): the discounts and the weekly total are
// the domain's figures, the document only prints them. The same IPA and version always give the
// same document, so the same bytes (see document/pdf.h for what else the bytes depend on).
#ifndef DPS_SERVICES_CONTRACTS_APP_IPA_DOCUMENT_H_
#define DPS_SERVICES_CONTRACTS_APP_IPA_DOCUMENT_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "services/contracts/app/document_renderer.h"
#include "services/contracts/document/pdf.h"
#include "services/contracts/document/placement_agreement_document.h"
#include "services/contracts/domain/ipa.h"

namespace dps::contracts {

// `version` of `ipa` (its number, terms, effective date and the day it was proposed) as the
// document a reader sees:
//   - the parties by their ids (the domain holds no names or addresses yet);
//   - the provision type, allowance frequencies and parties in words;
//   - the cost lines: the core weekly fee, then every additional service still running on or
//     after the version's effective date (costs.h: a service costs nothing from the day after
//     its end date, so one that ended before this version took effect is no part of it); a
//     service that starts after the effective date says "(from <day>)";
//   - the discounts and the weekly total as costs.h computes them on the effective date, so the
//     discount lines add up to the one rounded discount and the total is WeeklyCostOfTerms's;
//   - the notice period as terms.h's NoticePeriodDays gives it for the IPA's provision type.
// The issue date is the UTC day the version was proposed.
//
// InvalidArgument when the version's terms are not complete (CheckComplete, fields under
// "terms."), when it has no proposal time ("version.proposed_at"), or when the document fails
// document::ValidateDocument, whose error is returned as is ("purposes[0]: ...").
absl::StatusOr<document::PlacementAgreementDocument> AgreementDocumentOf(const Ipa& ipa,
                                                                         const IpaVersion& version);

// The version as the PDF the service stores and both parties sign (the SHA-256 of these bytes):
// document::RenderPdf of AgreementDocumentOf. Thread-safe (RenderPdf serialises its renders).
class PdfAgreementRenderer final : public DocumentRenderer {
 public:
  explicit PdfAgreementRenderer(document::PdfOptions options = {}) : options_(std::move(options)) {}

  absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                             const IpaVersion& version) const override;

 private:
  document::PdfOptions options_;
};

// The version as one HTML page (document::RenderHtml of AgreementDocumentOf), for viewing; what
// is signed is the PDF.
absl::StatusOr<std::string> RenderAgreementHtml(const Ipa& ipa, const IpaVersion& version);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_IPA_DOCUMENT_H_
