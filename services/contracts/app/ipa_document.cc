#include "services/contracts/app/ipa_document.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "platform/errors/errors.h"
#include "services/contracts/document/format.h"
#include "services/contracts/document/html.h"
#include "services/contracts/domain/costs.h"
#include "services/contracts/domain/terms.h"

namespace dps::contracts {
namespace {

namespace doc = ::dps::contracts::document;

inline constexpr absl::string_view kTitle = "Individual Placement Agreement";

absl::string_view ProvisionInWords(ProvisionType type) {
  switch (type) {
    case ProvisionType::kInmss:
      return "Independent or non-maintained special school";
    case ProvisionType::kSpecialistCollege:
      return "Independent specialist post-16 college";
    case ProvisionType::kFostering:
      return "Fostering (independent fostering agency)";
    case ProvisionType::kResidentialHome:
      return "Children's home";
    case ProvisionType::kShortBreaks:
      return "Short breaks";
    case ProvisionType::kAlternativeEducation:
      return "Alternative education";
    case ProvisionType::kSupportedAccommodation:
      return "Supported accommodation (16 and over)";
    case ProvisionType::kBespokeIntervention:
      return "Bespoke intervention (therapies, assessments, testing)";
    case ProvisionType::kUnspecified:
      break;
  }
  // CreateIpa refuses an IPA without a provision type; the document prints "Not stated".
  return "";
}

absl::string_view PartyInWords(Party party) {
  switch (party) {
    case Party::kPlacingAuthority:
      return "Placing authority";
    case Party::kProvider:
      return "Provider";
    case Party::kUnspecified:
      break;
  }
  // ValidateTerms refuses contacts and signatories without a party; the document then refuses
  // the empty text where a party is required.
  return "";
}

absl::string_view DiscountInWords(DiscountKind kind) {
  switch (kind) {
    case DiscountKind::kSibling:
      return "Sibling discount";
    case DiscountKind::kPermanence:
      return "Permanence discount";
    case DiscountKind::kUnspecified:
      break;
  }
  return "Discount";  // never reached: ValidateTerms requires a kind
}

absl::string_view FrequencyInWords(AllowanceFrequency frequency) {
  switch (frequency) {
    case AllowanceFrequency::kWeekly:
      return "weekly";
    case AllowanceFrequency::kAnnual:
      return "annual";
    case AllowanceFrequency::kOneOff:
      return "one-off";
    case AllowanceFrequency::kUnspecified:
      break;
  }
  return "";  // never reached: ValidateTerms requires a frequency
}

// An organisation as the register named it when the IPA was drawn up; the id stands in for a
// name the IPA does not hold.
doc::Organisation OrganisationOf(const std::string& id, const std::string& name,
                                 const std::string& address = "") {
  return {name.empty() ? id : name, address};
}

// The core weekly fee, then each additional service still running on or after `effective_from`.
// costs.h: a service runs from its start date (or the placement's) to its end date, both
// included, so one that ended before this version took effect costs nothing under it and is
// left out. One that starts later is shown with its first day; the weekly total (on the
// effective date) does not count it yet, and the label says why.
std::vector<doc::CostLine> CostLinesOf(const IpaTerms& terms, absl::CivilDay effective_from) {
  std::vector<doc::CostLine> lines;
  lines.push_back({"Core weekly fee", terms.costs.core_weekly_fee_pence, std::nullopt});
  for (const AdditionalService& service : terms.costs.additional_services) {
    if (*service.end_date < effective_from) continue;
    // The description says what the service is; the code stands in when there is none.
    std::string label = service.description.find_first_not_of(" \t\r\n") == std::string::npos
                            ? service.code
                            : service.description;
    if (service.start_date && *service.start_date > effective_from) {
      absl::StrAppend(&label, " (from ", doc::FormatDay(*service.start_date), ")");
    }
    lines.push_back({std::move(label), service.weekly_pence, service.end_date});
  }
  return lines;
}

// Each discount's share of the discount costs.h takes off. The discounts add up in basis points
// and are rounded once (costs.h), so rounding each on its own could print lines that do not add
// up to the discount charged. Each line is instead the rounded discount of the discounts up to
// and including it less that of those before it: every amount comes from WeeklyCostOfTerms, the
// lines add up to its discount exactly, and each is within a penny of its own share.
std::vector<doc::Discount> DiscountsOf(const IpaTerms& terms, absl::CivilDay effective_from) {
  std::vector<doc::Discount> discounts;
  IpaTerms upto;  // the core fee and the discounts so far: nothing else changes the discount
  upto.start_date = terms.start_date;
  upto.costs.core_weekly_fee_pence = terms.costs.core_weekly_fee_pence;
  int64_t before = 0;
  for (const Discount& discount : terms.costs.discounts) {
    upto.costs.discounts.push_back(discount);
    const int64_t so_far = WeeklyCostOfTerms(upto, effective_from).discount_pence;
    discounts.push_back(
        {std::string(DiscountInWords(discount.kind)), discount.basis_points, so_far - before});
    before = so_far;
  }
  return discounts;
}

// The incentive's description (its lines are the document's paragraphs), then the premium and
// the day it is due by, in the document's own formats.
std::string IncentiveOf(const std::optional<Incentive>& incentive) {
  if (!incentive) return "";
  std::string text = absl::StrCat(incentive->description, "\nA premium of ",
                                  doc::FormatPence(incentive->premium_pence),
                                  " is payable if the outcomes are met");
  if (incentive->achieve_by) {
    absl::StrAppend(&text, " by ", doc::FormatDay(*incentive->achieve_by));
  }
  absl::StrAppend(&text, ".");
  return text;
}

}  // namespace

absl::StatusOr<doc::PlacementAgreementDocument> AgreementDocumentOf(const Ipa& ipa,
                                                                    const IpaVersion& version) {
  const IpaTerms& terms = version.terms;
  // A version is complete before it is rendered (ipa.h); checking again here also gives
  // WeeklyCostOfTerms what it needs (valid terms, a start date, every service's end date).
  if (auto s = CheckComplete("terms", terms, ipa.provision_type); !s.ok()) return s;
  // The issue date is printed and is the PDF's creation date: a version without its proposal
  // time would print 1 January 1970, so it is refused rather than guessed.
  if (version.proposed_at == absl::Time() || version.proposed_at == absl::InfinitePast() ||
      version.proposed_at == absl::InfiniteFuture()) {
    return platform::InvalidField("version.proposed_at",
                                  "required: the day the version is issued is printed on it");
  }
  const absl::CivilDay effective_from = version.effective_from;
  const WeeklyCost cost = WeeklyCostOfTerms(terms, effective_from);

  doc::PlacementAgreementDocument d;
  d.title = std::string(kTitle);
  d.agreement_number = ipa.id;
  d.version_number = version.number;
  // "Today" in the domain is the UTC day (ipa.h), so the day issued is the UTC day proposed.
  d.issue_date = absl::ToCivilDay(version.proposed_at, absl::UTCTimeZone());

  d.placing_authority =
      OrganisationOf(ipa.parties.placing_authority_id, ipa.parties.placing_authority_name);
  d.provider = OrganisationOf(ipa.parties.provider_id, ipa.parties.provider_name);
  d.establishment = OrganisationOf(ipa.parties.establishment_id, ipa.parties.establishment_name,
                                   ipa.parties.establishment_address);
  d.provision_type = std::string(ProvisionInWords(ipa.provision_type));
  d.purposes = terms.purposes;
  d.start_date = *terms.start_date;
  d.planned_end_date = terms.planned_end_date;
  // In the order the terms list them: the placing authority chooses it.
  for (const KeyContact& contact : terms.contacts) {
    d.key_contacts.push_back({std::string(PartyInWords(contact.party)), contact.role, contact.name,
                              contact.email, contact.phone});
  }

  d.cost_lines = CostLinesOf(terms, effective_from);
  d.discounts = DiscountsOf(terms, effective_from);
  d.total_weekly_pence = cost.total_pence;
  d.payment_terms = terms.costs.payment_terms;
  for (const Allowance& allowance : terms.costs.allowances) {
    d.allowances.push_back({allowance.kind, allowance.amount_pence,
                            std::string(FrequencyInWords(allowance.frequency)),
                            allowance.included_in_fee});
  }

  d.incentive = IncentiveOf(terms.incentive);
  d.notice_period_days = NoticePeriodDays(ipa.provision_type, terms);
  // A document is named by its title and the hash of its bytes; the view model has no place for
  // its URI (where to fetch it), which the API gives instead.
  for (const ContractDocument& document : terms.documents) {
    d.documents.push_back({document.title, document.sha256});
  }
  // Signatories by party, name and position; their user ids are for Sign, not for the reader.
  for (const Signatory& signatory : terms.signatories) {
    d.signatories.push_back(
        {std::string(PartyInWords(signatory.party)), signatory.name, signatory.position});
  }
  // Not in the document, as the view model has no place for them: the child (whether the signed
  // text names the child is open, document/README.md), the source award, the variation's reason
  // and template, and the signatures themselves (they sign these bytes, so cannot be in them).

  if (absl::Status valid = doc::ValidateDocument(d); !valid.ok()) return valid;
  return d;
}

absl::StatusOr<std::string> PdfAgreementRenderer::RenderDocument(const Ipa& ipa,
                                                                 const IpaVersion& version) const {
  absl::StatusOr<doc::PlacementAgreementDocument> document = AgreementDocumentOf(ipa, version);
  if (!document.ok()) return document.status();
  absl::StatusOr<doc::RenderedPdf> pdf = doc::RenderPdf(*document, {}, options_);
  if (!pdf.ok()) return pdf.status();
  return std::move(pdf->bytes);
}

absl::StatusOr<std::string> RenderAgreementHtml(const Ipa& ipa, const IpaVersion& version) {
  absl::StatusOr<doc::PlacementAgreementDocument> document = AgreementDocumentOf(ipa, version);
  if (!document.ok()) return document.status();
  return doc::RenderHtml(*document);
}

}  // namespace dps::contracts
