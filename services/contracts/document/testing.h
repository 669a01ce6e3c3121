// Documents for the tests and the fixture renderer: a realistic agreement, one whose every text
// field holds characters HTML must escape, and one with enough cost lines to span pages.
#ifndef DPS_SERVICES_CONTRACTS_DOCUMENT_TESTING_H_
#define DPS_SERVICES_CONTRACTS_DOCUMENT_TESTING_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/contracts/document/placement_agreement_document.h"

namespace dps::contracts::document::testing {

inline PlacementAgreementDocument SampleDocument() {
  PlacementAgreementDocument d;
  d.title = "Individual Placement Agreement";
  d.agreement_number = "IPA-2027-0042";
  d.version_number = 2;
  d.issue_date = absl::CivilDay(2027, 4, 1);
  d.placing_authority = {"West Sussex County Council", "County Hall, Chichester, PO19 1RQ"};
  d.provider = {"Brightwater Fostering Ltd", "1 Harbour Road, Shoreham-by-Sea, BN43 5AB"};
  d.establishment = {"Brightwater Fostering – South Downs", "2 Station Approach, Lewes, BN7 2UP"};
  d.provision_type = "Independent fostering";
  d.purposes = {"A stable home while the child’s care plan is settled.",
                "Support to return to full-time education within one term."};
  d.start_date = absl::CivilDay(2027, 4, 12);
  d.planned_end_date = absl::CivilDay(2028, 4, 11);
  d.key_contacts = {
      {"Placing authority", "Social worker", "Amira Patel", "amira.patel@westsussex.gov.uk",
       "01243 777100"},
      {"Provider", "Registered manager", "Tom Ellis", "tom.ellis@brightwater.example",
       "01273 555010"},
  };
  d.cost_lines = {
      {"Core fee", 123'456, std::nullopt},
      {"Therapeutic support (2 sessions a week)", 18'000, absl::CivilDay(2027, 10, 11)},
  };
  d.discounts = {{"Sibling discount", 500, 6'173}};
  d.total_weekly_pence = 123'456 - 6'173 + 18'000;
  d.payment_terms = "Invoiced four-weekly in arrears; paid within 30 days.";
  d.allowances = {{"Pocket money", 1'250, "weekly", true}, {"Birthday", 15'000, "annual", false}};
  d.incentive =
      "A premium of £500.00 if the child attends school full time by 1 September 2027.\n\n"
      "Paid with the next invoice once the placing authority confirms attendance.";
  d.notice_period_days = 28;
  d.documents = {
      {"Terms and conditions, version 3",
       "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
  };
  d.signatories = {{"Placing authority", "Jo Smith", "Head of Commissioning"},
                   {"Provider", "Sam Green", "Director"}};
  return d;
}

// Characters HTML must escape, then the field's name, so a test can find each field's text.
inline std::string Hostile(const std::string& field) { return absl::StrCat("<script>&\"'", field); }

// Every text field holds Hostile(its name); the incentive holds it on two lines.
inline PlacementAgreementDocument HostileDocument() {
  PlacementAgreementDocument d = SampleDocument();
  d.title = Hostile("title");
  d.agreement_number = Hostile("agreement_number");
  d.placing_authority = {Hostile("placing_authority.name"), Hostile("placing_authority.address")};
  d.provider = {Hostile("provider.name"), Hostile("provider.address")};
  d.establishment = {Hostile("establishment.name"), Hostile("establishment.address")};
  d.provision_type = Hostile("provision_type");
  d.purposes = {Hostile("purposes[0]")};
  d.key_contacts = {{Hostile("key_contacts[0].party"), Hostile("key_contacts[0].role"),
                     Hostile("key_contacts[0].name"), Hostile("key_contacts[0].email"),
                     Hostile("key_contacts[0].phone")}};
  d.cost_lines = {{Hostile("cost_lines[0].label"), 100, std::nullopt}};
  d.discounts = {{Hostile("discounts[0].label"), 100, 1}};
  d.payment_terms = Hostile("payment_terms");
  d.allowances = {{Hostile("allowances[0].kind"), 100, Hostile("allowances[0].frequency"), true}};
  d.incentive = absl::StrCat(Hostile("incentive.line1"), "\n", Hostile("incentive.line2"));
  d.documents = {{Hostile("documents[0].title"),
                  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}};
  d.signatories = {{Hostile("signatories[0].party"), Hostile("signatories[0].name"),
                    Hostile("signatories[0].position")}};
  return d;
}

// The sample with `count` additional services, each £1,000.00 a week plus its number in pence.
inline PlacementAgreementDocument DocumentWithCostLines(int count) {
  PlacementAgreementDocument d = SampleDocument();
  d.cost_lines.resize(1);
  d.total_weekly_pence = d.cost_lines[0].weekly_pence;
  for (int i = 1; i <= count; ++i) {
    d.cost_lines.push_back({absl::StrCat("Additional service ", i, ": one-to-one support"),
                            100'000 + i, absl::CivilDay(2027, 12, 31)});
    d.total_weekly_pence += 100'000 + i;
  }
  d.total_weekly_pence -= d.discounts[0].weekly_pence;
  return d;
}

}  // namespace dps::contracts::document::testing

#endif  // DPS_SERVICES_CONTRACTS_DOCUMENT_TESTING_H_
