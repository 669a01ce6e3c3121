#include "services/contracts/domain/terms.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts {
namespace {

using platform::InvalidField;
using platform::Quote;

std::string At(absl::string_view field, absl::string_view member) {
  return absl::StrCat(field, ".", member);
}

std::string At(absl::string_view field, size_t index) {
  return absl::StrCat(field, "[", index, "]");
}

std::string At(absl::string_view field, size_t index, absl::string_view member) {
  return absl::StrCat(field, "[", index, "].", member);
}

// The same day `years` later (29 February to 1 March when the later year has none).
absl::CivilDay AddYears(absl::CivilDay day, int years) {
  return absl::CivilDay(day.year() + years, day.month(), day.day());
}

absl::Status ValidateParty(absl::string_view field, Party party) {
  if (party == Party::kUnspecified) {
    return InvalidField(field, "required: PLACING_AUTHORITY or PROVIDER");
  }
  return absl::OkStatus();
}

// An address a person reads mail at: something, one '@', something, and no spaces. Whether it
// delivers is not ours to know.
absl::Status ValidateEmail(absl::string_view field, absl::string_view email) {
  if (auto s = ValidateLength(field, email, kMaxEmailLength); !s.ok()) return s;
  const size_t at = email.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 == email.size() ||
      email.find('@', at + 1) != absl::string_view::npos ||
      email.find_first_of(" \t\r\n") != absl::string_view::npos) {
    return InvalidField(field, absl::StrCat("must be an email address, got ", Quote(email)));
  }
  return absl::OkStatus();
}

absl::Status ValidatePhone(absl::string_view field, absl::string_view phone) {
  if (auto s = ValidateLength(field, phone, kMaxPhoneLength); !s.ok()) return s;
  if (phone.find_first_not_of("0123456789 +()-") != absl::string_view::npos) {
    return InvalidField(
        field, absl::StrCat("must be digits, spaces, '+', '(', ')' or '-', got ", Quote(phone)));
  }
  return absl::OkStatus();
}

absl::Status ValidatePurposes(absl::string_view field, const std::vector<std::string>& purposes) {
  if (auto s = ValidateListSize(field, purposes.size()); !s.ok()) return s;
  for (size_t i = 0; i < purposes.size(); ++i) {
    if (auto s = RequireText(At(field, i), purposes[i], kMaxShortText); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateDates(absl::string_view field, const IpaTerms& terms) {
  if (!terms.start_date || !terms.planned_end_date) return absl::OkStatus();
  const absl::CivilDay start = *terms.start_date;
  const absl::CivilDay end = *terms.planned_end_date;
  if (end < start) {
    return InvalidField(
        At(field, "planned_end_date"),
        absl::StrCat("must not be before start_date ", FormatDay(start), ", got ", FormatDay(end)));
  }
  if (end > AddYears(start, kMaxPlacementYears)) {
    return InvalidField(
        At(field, "planned_end_date"),
        absl::StrCat("must be at most ", kMaxPlacementYears, " years after start_date ",
                     FormatDay(start), ", got ", FormatDay(end)));
  }
  return absl::OkStatus();
}

absl::Status ValidateContacts(absl::string_view field, const std::vector<KeyContact>& contacts) {
  if (auto s = ValidateListSize(field, contacts.size()); !s.ok()) return s;
  for (size_t i = 0; i < contacts.size(); ++i) {
    const KeyContact& contact = contacts[i];
    if (auto s = ValidateParty(At(field, i, "party"), contact.party); !s.ok()) return s;
    if (auto s = RequireText(At(field, i, "role"), contact.role, kMaxShortText); !s.ok()) return s;
    if (auto s = RequireText(At(field, i, "name"), contact.name, kMaxNameLength); !s.ok()) {
      return s;
    }
    if (!contact.email.empty()) {
      if (auto s = ValidateEmail(At(field, i, "email"), contact.email); !s.ok()) return s;
    }
    if (!contact.phone.empty()) {
      if (auto s = ValidatePhone(At(field, i, "phone"), contact.phone); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateDiscounts(absl::string_view field, const std::vector<Discount>& discounts) {
  if (auto s = ValidateListSize(field, discounts.size()); !s.ok()) return s;
  absl::flat_hash_set<DiscountKind> kinds;
  int total = 0;
  for (size_t i = 0; i < discounts.size(); ++i) {
    const Discount& discount = discounts[i];
    if (discount.kind == DiscountKind::kUnspecified) {
      return InvalidField(At(field, i, "kind"), "required: SIBLING or PERMANENCE");
    }
    if (!kinds.insert(discount.kind).second) {
      return InvalidField(At(field, i, "kind"), "each kind of discount at most once");
    }
    if (discount.basis_points < 1 || discount.basis_points > 10'000) {
      return InvalidField(At(field, i, "basis_points"),
                          absl::StrCat("must be 1 to 10000, got ", discount.basis_points));
    }
    total += discount.basis_points;  // at most 100 entries of at most 10000: no overflow
  }
  if (total > 10'000) {
    return InvalidField(field, absl::StrCat("must add up to at most 10000 basis points (100%), "
                                            "got ",
                                            total));
  }
  return absl::OkStatus();
}

absl::Status ValidateServices(absl::string_view field, const IpaTerms& terms) {
  const std::vector<AdditionalService>& services = terms.costs.additional_services;
  if (auto s = ValidateListSize(field, services.size()); !s.ok()) return s;
  absl::flat_hash_set<std::string> codes;
  for (size_t i = 0; i < services.size(); ++i) {
    const AdditionalService& service = services[i];
    if (auto s = RequireText(At(field, i, "code"), service.code, kMaxCodeLength); !s.ok()) {
      return s;
    }
    if (!codes.insert(service.code).second) {
      return InvalidField(At(field, i, "code"),
                          absl::StrCat(Quote(service.code), " is listed twice"));
    }
    if (auto s = ValidateLength(At(field, i, "description"), service.description, kMaxLongText);
        !s.ok()) {
      return s;
    }
    if (auto s = ValidatePence(At(field, i, "weekly_pence"), service.weekly_pence); !s.ok()) {
      return s;
    }
    if (!service.end_date) {
      return InvalidField(At(field, i, "end_date"),
                          "required: additional services are time-limited");
    }
    if (service.start_date && terms.start_date && *service.start_date < *terms.start_date) {
      return InvalidField(
          At(field, i, "start_date"),
          absl::StrCat("must not be before the placement's start_date ",
                       FormatDay(*terms.start_date), ", got ", FormatDay(*service.start_date)));
    }
    const std::optional<absl::CivilDay> first =
        service.start_date ? service.start_date : terms.start_date;
    if (first && *service.end_date < *first) {
      return InvalidField(At(field, i, "end_date"),
                          absl::StrCat("must not be before the service's first day ",
                                       FormatDay(*first), ", got ", FormatDay(*service.end_date)));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAllowances(absl::string_view field, const std::vector<Allowance>& allowances) {
  if (auto s = ValidateListSize(field, allowances.size()); !s.ok()) return s;
  for (size_t i = 0; i < allowances.size(); ++i) {
    const Allowance& allowance = allowances[i];
    if (auto s = RequireText(At(field, i, "kind"), allowance.kind, kMaxShortText); !s.ok()) {
      return s;
    }
    if (auto s = ValidatePence(At(field, i, "amount_pence"), allowance.amount_pence); !s.ok()) {
      return s;
    }
    if (allowance.frequency == AllowanceFrequency::kUnspecified) {
      return InvalidField(At(field, i, "frequency"), "required: WEEKLY, ANNUAL or ONE_OFF");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCosts(absl::string_view field, const IpaTerms& terms) {
  const Costs& costs = terms.costs;
  if (auto s = ValidatePence(At(field, "core_weekly_fee_pence"), costs.core_weekly_fee_pence);
      !s.ok()) {
    return s;
  }
  if (auto s = ValidateDiscounts(At(field, "discounts"), costs.discounts); !s.ok()) return s;
  if (auto s = ValidateServices(At(field, "additional_services"), terms); !s.ok()) return s;
  // Each amount is at most kMaxPence and there are at most 101 of them: the sum fits in int64.
  int64_t weekly = costs.core_weekly_fee_pence;
  for (const AdditionalService& service : costs.additional_services) {
    weekly += service.weekly_pence;
  }
  if (weekly > kMaxPence) {
    return InvalidField(field, absl::StrCat("the core fee and additional services must come to at "
                                            "most ",
                                            kMaxPence, " pence a week, got ", weekly));
  }
  if (auto s = ValidateAllowances(At(field, "allowances"), costs.allowances); !s.ok()) return s;
  return ValidateLength(At(field, "payment_terms"), costs.payment_terms, kMaxShortText);
}

absl::Status ValidateIncentive(absl::string_view field, const IpaTerms& terms) {
  if (!terms.incentive) return absl::OkStatus();
  const Incentive& incentive = *terms.incentive;
  if (auto s = RequireText(At(field, "description"), incentive.description, kMaxLongText);
      !s.ok()) {
    return s;
  }
  if (auto s = ValidatePence(At(field, "premium_pence"), incentive.premium_pence); !s.ok()) {
    return s;
  }
  if (!incentive.achieve_by) return InvalidField(At(field, "achieve_by"), "required");
  // An outcome achieved on the first day was not achieved by the placement.
  if (terms.start_date && *incentive.achieve_by <= *terms.start_date) {
    return InvalidField(At(field, "achieve_by"),
                        absl::StrCat("must be after start_date ", FormatDay(*terms.start_date),
                                     ", got ", FormatDay(*incentive.achieve_by)));
  }
  return absl::OkStatus();
}

absl::Status ValidateDocuments(absl::string_view field,
                               const std::vector<ContractDocument>& documents) {
  if (auto s = ValidateListSize(field, documents.size()); !s.ok()) return s;
  for (size_t i = 0; i < documents.size(); ++i) {
    const ContractDocument& document = documents[i];
    if (auto s = RequireText(At(field, i, "title"), document.title, kMaxNameLength); !s.ok()) {
      return s;
    }
    if (auto s = RequireText(At(field, i, "uri"), document.uri, kMaxShortText); !s.ok()) return s;
    if (auto s = ValidateSha256Hex(At(field, i, "sha256"), document.sha256); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateSignatories(absl::string_view field,
                                 const std::vector<Signatory>& signatories) {
  if (auto s = ValidateListSize(field, signatories.size()); !s.ok()) return s;
  absl::flat_hash_set<std::pair<Party, std::string>> seen;
  for (size_t i = 0; i < signatories.size(); ++i) {
    const Signatory& signatory = signatories[i];
    if (auto s = ValidateParty(At(field, i, "party"), signatory.party); !s.ok()) return s;
    if (auto s = ValidateId(At(field, i, "user_id"), signatory.user_id); !s.ok()) return s;
    if (!seen.insert({signatory.party, signatory.user_id}).second) {
      return InvalidField(At(field, i, "user_id"),
                          absl::StrCat(Quote(signatory.user_id), " is named twice for ",
                                       PartyName(signatory.party)));
    }
    if (auto s = RequireText(At(field, i, "name"), signatory.name, kMaxNameLength); !s.ok()) {
      return s;
    }
    if (auto s = ValidateLength(At(field, i, "position"), signatory.position, kMaxShortText);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view PartyName(Party party) {
  switch (party) {
    case Party::kUnspecified:
      return "PARTY_UNSPECIFIED";
    case Party::kPlacingAuthority:
      return "PLACING_AUTHORITY";
    case Party::kProvider:
      return "PROVIDER";
  }
  return "PARTY_UNSPECIFIED";
}

absl::Status ValidateTerms(absl::string_view field, const IpaTerms& terms) {
  if (auto s = ValidatePurposes(At(field, "purposes"), terms.purposes); !s.ok()) return s;
  if (auto s = ValidateDates(field, terms); !s.ok()) return s;
  if (auto s = ValidateContacts(At(field, "contacts"), terms.contacts); !s.ok()) return s;
  if (auto s = ValidateCosts(At(field, "costs"), terms); !s.ok()) return s;
  if (auto s = ValidateIncentive(At(field, "incentive"), terms); !s.ok()) return s;
  if (terms.notice_period_days < 0 || terms.notice_period_days > kMaxNoticePeriodDays) {
    return InvalidField(At(field, "notice_period_days"),
                        absl::StrCat("must be 1 to ", kMaxNoticePeriodDays,
                                     ", or 0 for the default, got ", terms.notice_period_days));
  }
  if (!terms.variation_template_id.empty()) {
    if (auto s = ValidateId(At(field, "variation_template_id"), terms.variation_template_id);
        !s.ok()) {
      return s;
    }
  }
  if (auto s = ValidateDocuments(At(field, "documents"), terms.documents); !s.ok()) return s;
  return ValidateSignatories(At(field, "signatories"), terms.signatories);
}

absl::Status CheckComplete(absl::string_view field, const IpaTerms& terms,
                           ProvisionType provision_type) {
  if (auto s = ValidateTerms(field, terms); !s.ok()) return s;
  if (terms.purposes.empty()) return InvalidField(At(field, "purposes"), "at least one required");
  if (!terms.start_date) return InvalidField(At(field, "start_date"), "required");
  if (!terms.planned_end_date) return InvalidField(At(field, "planned_end_date"), "required");
  if (terms.documents.empty()) {
    return InvalidField(At(field, "documents"),
                        "at least one required: the documents forming the contract");
  }
  if (NoticePeriodDays(provision_type, terms) == 0) {
    return InvalidField(At(field, "notice_period_days"),
                        "required: the lot's notice period (only fostering has a default, 28 "
                        "days)");
  }
  return absl::OkStatus();
}

int NoticePeriodDays(ProvisionType provision_type, const IpaTerms& terms) {
  if (terms.notice_period_days > 0) return terms.notice_period_days;
  return provision_type == ProvisionType::kFostering ? kFosteringNoticePeriodDays : 0;
}

}  // namespace dps::contracts
