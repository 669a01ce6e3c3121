// What an Individual Placement Agreement (docs/rules.md section 7) shows on paper: a plain view
// model the renderers (html.h, pdf.h) read. It holds text, integer pence and calendar days, already
// in the words and order a reader sees, so rendering decides nothing about the contract: the domain
// maps one IPA version onto it, computes the totals, and chooses the order of every list.
//
// It deliberately does not use the domain's types, so the renderers can be tested and changed
// without the contract's life cycle, and the domain can change without touching the layout.
//
// ValidateDocument bounds every list and every text (see DocumentLimits) before anything is
// rendered, so no input can make a document of unbounded size, and refuses text that is not
// UTF-8 or holds control or bidirectional formatting characters, which neither HTML nor the PDF
// could show faithfully.
#ifndef DPS_SERVICES_CONTRACTS_DOCUMENT_PLACEMENT_AGREEMENT_DOCUMENT_H_
#define DPS_SERVICES_CONTRACTS_DOCUMENT_PLACEMENT_AGREEMENT_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace dps::contracts::document {

// An organisation named in the agreement: the placing authority, the provider or the
// establishment.
struct Organisation {
  std::string name;
  std::string address;  // one line, commas between the parts; may be empty
};

// A person to contact about the placement (social worker, registered manager, finance).
struct KeyContact {
  std::string party;  // whose contact: "Placing authority", "Provider"
  std::string role;
  std::string name;
  std::string email;
  std::string phone;
};

// One line of the weekly cost: the core fee, or an additional service with its own end date.
struct CostLine {
  std::string label;
  int64_t weekly_pence = 0;
  std::optional<absl::CivilDay> end_date;  // none: runs for the whole placement
};

// A discount off the core weekly fee.
struct Discount {
  std::string label;  // "Sibling discount"
  int32_t basis_points = 0;
  int64_t weekly_pence = 0;  // the amount taken off, >= 0; shown as a minus
};

// A child's allowance (pocket money, clothing, birthday, festivals, holidays).
struct Allowance {
  std::string kind;  // "Pocket money"
  int64_t amount_pence = 0;
  std::string frequency;         // "weekly", "annual", "one-off"
  bool included_in_fee = false;  // paid by the provider out of the fee, else by the authority
};

// A document that forms part of the contract, identified by the hash of its bytes.
struct ContractDocument {
  std::string title;
  std::string sha256;  // lowercase hex
};

// A person who will sign for a party.
struct Signatory {
  std::string party;  // "Placing authority", "Provider"
  std::string name;
  std::string position;
};

struct PlacementAgreementDocument {
  std::string title;             // "Individual Placement Agreement"
  std::string agreement_number;  // the IPA's id as people quote it
  int32_t version_number = 1;    // 1 is the original; each signed variation adds one
  // The day this version was issued: printed on the document and used as the PDF's creation
  // date, so that the bytes depend on the input alone and never on the clock.
  absl::CivilDay issue_date;

  Organisation placing_authority;
  Organisation provider;
  Organisation establishment;
  std::string provision_type;  // "Independent fostering", "Children's home"
  std::vector<std::string> purposes;
  absl::CivilDay start_date;
  std::optional<absl::CivilDay> planned_end_date;
  std::vector<KeyContact> key_contacts;

  std::vector<CostLine> cost_lines;  // the core fee first, then additional services
  std::vector<Discount> discounts;
  int64_t total_weekly_pence = 0;  // as the domain computed it: core - discounts + services
  std::string payment_terms;       // may be empty
  std::vector<Allowance> allowances;

  std::string incentive;  // empty: no incentive; line feeds separate paragraphs
  int32_t notice_period_days = 28;
  std::vector<ContractDocument> documents;
  std::vector<Signatory> signatories;
};

// The most a document may hold. The defaults follow the limits the API declares on the same
// fields (proto/dps/contracts/v1/contracts.proto), so a valid IPA always renders.
struct DocumentLimits {
  size_t max_list_items = 100;          // each list: purposes, contacts, cost lines, ...
  size_t max_short_text = 256;          // characters: names, labels, roles, addresses
  size_t max_long_text = 20'000;        // characters: the incentive
  int64_t max_pence = 100'000'000'000;  // £1 billion, as the rest of the platform
  int32_t max_version_number = 10'000;
  int32_t max_notice_period_days = 365;
};

// OK if `document` is within `limits` and every text is UTF-8 without control characters (line
// feeds are allowed in the incentive only) or bidirectional embeddings, overrides and isolates.
// Otherwise InvalidArgument naming the first field that is not, in declaration order, with the
// rule: "cost_lines[3].label: must be at most 256 characters, got 300".
absl::Status ValidateDocument(const PlacementAgreementDocument& document,
                              const DocumentLimits& limits = {});

}  // namespace dps::contracts::document

#endif  // DPS_SERVICES_CONTRACTS_DOCUMENT_PLACEMENT_AGREEMENT_DOCUMENT_H_
