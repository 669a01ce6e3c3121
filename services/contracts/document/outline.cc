#include "services/contracts/document/outline.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/contracts/document/format.h"

namespace dps::contracts::document {
namespace {

// "Name, address" or the name alone.
std::string NameAndAddress(const Organisation& organisation) {
  if (organisation.address.empty()) return organisation.name;
  return absl::StrCat(organisation.name, ", ", organisation.address);
}

Table Fields(std::vector<std::vector<std::string>> rows) {
  return Table{
      .columns = {{.width = 0.3}, {.width = 0.7}}, .row_headers = true, .rows = std::move(rows)};
}

void AddParties(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "1. Parties"});
  blocks.push_back(Fields({{"Placing authority", NameAndAddress(d.placing_authority)},
                           {"Provider", NameAndAddress(d.provider)}}));
}

void AddPlacement(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "2. The placement"});
  blocks.push_back(Fields({
      {"Establishment", NameAndAddress(d.establishment)},
      {"Type of provision", d.provision_type.empty() ? "Not stated" : d.provision_type},
      {"Start date", FormatDay(d.start_date)},
      {"Planned end date", d.planned_end_date ? FormatDay(*d.planned_end_date) : "None set"},
      {"Notice period",
       absl::StrCat(d.notice_period_days, d.notice_period_days == 1 ? " day" : " days")},
  }));
}

void AddPurposes(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "3. Purposes of the placement"});
  if (d.purposes.empty()) {
    blocks.push_back(Paragraph{"None stated."});
  } else {
    blocks.push_back(NumberedList{d.purposes});
  }
}

void AddContacts(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "4. Key contacts"});
  if (d.key_contacts.empty()) {
    blocks.push_back(Paragraph{"None named."});
    return;
  }
  Table table{
      .columns = {
          {"Party", 0.18}, {"Role", 0.18}, {"Name", 0.2}, {"Email", 0.28}, {"Phone", 0.16}}};
  for (const KeyContact& c : d.key_contacts) {
    table.rows.push_back({c.party, c.role, c.name, c.email, c.phone});
  }
  blocks.push_back(std::move(table));
}

void AddCosts(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "5. Costs and payments"});
  Table costs{.columns = {{"Item", 0.56}, {"Weekly cost", 0.2, Align::kEnd}, {"Until", 0.24}}};
  for (const CostLine& line : d.cost_lines) {
    costs.rows.push_back({line.label, FormatPence(line.weekly_pence),
                          line.end_date ? FormatDay(*line.end_date) : "End of placement"});
  }
  for (const Discount& discount : d.discounts) {
    costs.rows.push_back(
        {absl::StrCat(discount.label, " (", FormatBasisPoints(discount.basis_points), ")"),
         FormatPence(-discount.weekly_pence), ""});
  }
  costs.total = {"Total weekly fee", FormatPence(d.total_weekly_pence), ""};
  blocks.push_back(std::move(costs));
  if (!d.payment_terms.empty()) {
    blocks.push_back(Paragraph{absl::StrCat("Payment terms: ", d.payment_terms)});
  }

  blocks.push_back(Heading{.level = 3, .text = "The child's allowances"});
  if (d.allowances.empty()) {
    blocks.push_back(Paragraph{"None."});
    return;
  }
  Table allowances{.columns = {{"Allowance", 0.34},
                               {"Amount", 0.18, Align::kEnd},
                               {"Frequency", 0.18},
                               {"Paid by", 0.3}}};
  for (const Allowance& a : d.allowances) {
    allowances.rows.push_back(
        {a.kind, FormatPence(a.amount_pence), a.frequency,
         a.included_in_fee ? "The provider, out of the fee" : "The placing authority"});
  }
  blocks.push_back(std::move(allowances));
}

void AddIncentive(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "6. Incentive"});
  bool any = false;
  // Each line of the text is a paragraph; blank lines only separate them.
  for (absl::string_view line : absl::StrSplit(d.incentive, '\n', absl::SkipWhitespace())) {
    blocks.push_back(Paragraph{std::string(line)});
    any = true;
  }
  if (!any) blocks.push_back(Paragraph{"None."});
}

void AddDocuments(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "7. Documents forming the contract"});
  if (d.documents.empty()) {
    blocks.push_back(Paragraph{"This agreement alone."});
    return;
  }
  Table table{.columns = {{"Document", 0.45}, {"SHA-256 of its contents", 0.55}}};
  for (const ContractDocument& document : d.documents) {
    table.rows.push_back({document.title, document.sha256});
  }
  blocks.push_back(std::move(table));
}

void AddSignatories(const PlacementAgreementDocument& d, std::vector<Block>& blocks) {
  blocks.push_back(Heading{.text = "8. Signatories"});
  if (d.signatories.empty()) {
    blocks.push_back(Paragraph{"None named."});
    return;
  }
  Table table{.columns = {{"Party", 0.3}, {"Name", 0.3}, {"Position", 0.4}}};
  for (const Signatory& s : d.signatories) table.rows.push_back({s.party, s.name, s.position});
  blocks.push_back(std::move(table));
}

}  // namespace

Outline OutlineOf(const PlacementAgreementDocument& d) {
  Outline outline;
  outline.title = d.title;
  outline.footer_label =
      absl::StrCat("Agreement ", d.agreement_number, ", version ", d.version_number);
  outline.blocks.push_back(Heading{.level = 1, .text = d.title});
  outline.blocks.push_back(
      Paragraph{absl::StrCat("Agreement ", d.agreement_number, ", version ", d.version_number,
                             ", issued ", FormatDay(d.issue_date), ".")});
  AddParties(d, outline.blocks);
  AddPlacement(d, outline.blocks);
  AddPurposes(d, outline.blocks);
  AddContacts(d, outline.blocks);
  AddCosts(d, outline.blocks);
  AddIncentive(d, outline.blocks);
  AddDocuments(d, outline.blocks);
  AddSignatories(d, outline.blocks);
  return outline;
}

}  // namespace dps::contracts::document
