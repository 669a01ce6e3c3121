#include "services/contracts/document/placement_agreement_document.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "platform/errors/errors.h"

namespace dps::contracts::document {
namespace {

using ::dps::platform::InvalidField;

// Calls `visit` with each code point of `text`, in order. Returns false, part way, if `text` is
// not well-formed UTF-8 (a bad or missing continuation byte, an overlong form, a surrogate, or
// anything above U+10FFFF).
template <typename Visit>
bool ForEachCodePoint(absl::string_view text, Visit visit) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    constexpr uint32_t kSmallestOfLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallestOfLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    visit(code_point);
    i += length;
  }
  return true;
}

// Control characters (C0, DEL, C1): HTML forbids most of them and the PDF would draw them as
// boxes or nothing, so a reader could not see what was signed.
bool IsControl(uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

// Bidirectional embeddings, overrides and isolates reorder the text around them when shown, so
// what a party reads could differ from the characters hashed and signed ("Trojan Source").
bool IsBidiFormatting(uint32_t code_point) {
  return (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

struct TextRule {
  size_t max_characters = 0;
  bool required = false;
  bool allow_line_feed = false;
};

absl::Status CheckText(absl::string_view field, absl::string_view value, TextRule rule) {
  size_t characters = 0;
  std::optional<uint32_t> control;
  std::optional<uint32_t> bidi;
  const bool utf8 = ForEachCodePoint(value, [&](uint32_t code_point) {
    ++characters;
    if (IsControl(code_point) && !(rule.allow_line_feed && code_point == '\n') && !control) {
      control = code_point;
    }
    if (IsBidiFormatting(code_point) && !bidi) bidi = code_point;
  });
  if (!utf8) return InvalidField(field, "must be UTF-8");
  if (rule.required && characters == 0) return InvalidField(field, "must not be empty");
  if (characters > rule.max_characters) {
    return InvalidField(field, absl::StrCat("must be at most ", rule.max_characters,
                                            " characters, got ", characters));
  }
  if (control) {
    return InvalidField(field,
                        absl::StrFormat("must not hold control characters, got U+%04X", *control));
  }
  if (bidi) {
    return InvalidField(
        field,
        absl::StrFormat("must not hold bidirectional formatting characters, got U+%04X", *bidi));
  }
  return absl::OkStatus();
}

absl::Status CheckPence(absl::string_view field, int64_t pence, const DocumentLimits& limits) {
  if (pence < 0 || pence > limits.max_pence) {
    return InvalidField(field,
                        absl::StrCat("must be between 0 and ", limits.max_pence, ", got ", pence));
  }
  return absl::OkStatus();
}

// Four-digit years only, so every date prints the same width and the PDF's date is well formed.
absl::Status CheckDay(absl::string_view field, absl::CivilDay day) {
  if (day.year() < 1900 || day.year() > 9999) {
    return InvalidField(field, absl::StrCat("must be in the years 1900 to 9999, got ", day.year()));
  }
  return absl::OkStatus();
}

absl::Status CheckListSize(absl::string_view field, size_t size, const DocumentLimits& limits) {
  if (size > limits.max_list_items) {
    return InvalidField(
        field, absl::StrCat("must have at most ", limits.max_list_items, " items, got ", size));
  }
  return absl::OkStatus();
}

absl::Status CheckSha256(absl::string_view field, absl::string_view value) {
  const bool lowercase_hex =
      value.size() == 64 && value.find_first_not_of("0123456789abcdef") == absl::string_view::npos;
  if (!lowercase_hex) {
    return InvalidField(
        field, absl::StrCat("must be 64 lowercase hex characters, got ", platform::Quote(value)));
  }
  return absl::OkStatus();
}

std::string Item(absl::string_view list, size_t index, absl::string_view member = "") {
  return absl::StrCat(list, "[", index, "]", member.empty() ? "" : ".", member);
}

absl::Status CheckOrganisation(absl::string_view field, const Organisation& organisation,
                               const TextRule& name, const TextRule& text) {
  if (absl::Status s = CheckText(absl::StrCat(field, ".name"), organisation.name, name); !s.ok()) {
    return s;
  }
  return CheckText(absl::StrCat(field, ".address"), organisation.address, text);
}

}  // namespace

absl::Status ValidateDocument(const PlacementAgreementDocument& d, const DocumentLimits& limits) {
  const TextRule text{.max_characters = limits.max_short_text};
  const TextRule required{.max_characters = limits.max_short_text, .required = true};
  const TextRule long_text{.max_characters = limits.max_long_text, .allow_line_feed = true};

  // Each check returns at once, so the caller is told about the first broken rule in field order.
  absl::Status status = CheckText("title", d.title, required);
  if (status.ok()) status = CheckText("agreement_number", d.agreement_number, required);
  if (status.ok() && (d.version_number < 1 || d.version_number > limits.max_version_number)) {
    status = InvalidField("version_number",
                          absl::StrCat("must be between 1 and ", limits.max_version_number,
                                       ", got ", d.version_number));
  }
  if (status.ok()) status = CheckDay("issue_date", d.issue_date);
  if (status.ok())
    status = CheckOrganisation("placing_authority", d.placing_authority, required, text);
  if (status.ok()) status = CheckOrganisation("provider", d.provider, required, text);
  if (status.ok()) status = CheckOrganisation("establishment", d.establishment, required, text);
  if (status.ok()) status = CheckText("provision_type", d.provision_type, text);
  if (!status.ok()) return status;

  if (status = CheckListSize("purposes", d.purposes.size(), limits); !status.ok()) return status;
  for (size_t i = 0; i < d.purposes.size(); ++i) {
    if (status = CheckText(Item("purposes", i), d.purposes[i], required); !status.ok()) {
      return status;
    }
  }
  if (status = CheckDay("start_date", d.start_date); !status.ok()) return status;
  if (d.planned_end_date) {
    if (status = CheckDay("planned_end_date", *d.planned_end_date); !status.ok()) return status;
  }

  if (status = CheckListSize("key_contacts", d.key_contacts.size(), limits); !status.ok()) {
    return status;
  }
  for (size_t i = 0; i < d.key_contacts.size(); ++i) {
    const KeyContact& c = d.key_contacts[i];
    status = CheckText(Item("key_contacts", i, "party"), c.party, text);
    if (status.ok()) status = CheckText(Item("key_contacts", i, "role"), c.role, text);
    if (status.ok()) status = CheckText(Item("key_contacts", i, "name"), c.name, required);
    if (status.ok()) status = CheckText(Item("key_contacts", i, "email"), c.email, text);
    if (status.ok()) status = CheckText(Item("key_contacts", i, "phone"), c.phone, text);
    if (!status.ok()) return status;
  }

  if (status = CheckListSize("cost_lines", d.cost_lines.size(), limits); !status.ok()) {
    return status;
  }
  for (size_t i = 0; i < d.cost_lines.size(); ++i) {
    const CostLine& line = d.cost_lines[i];
    status = CheckText(Item("cost_lines", i, "label"), line.label, required);
    if (status.ok()) {
      status = CheckPence(Item("cost_lines", i, "weekly_pence"), line.weekly_pence, limits);
    }
    if (status.ok() && line.end_date) {
      status = CheckDay(Item("cost_lines", i, "end_date"), *line.end_date);
    }
    if (!status.ok()) return status;
  }
  if (status = CheckListSize("discounts", d.discounts.size(), limits); !status.ok()) return status;
  for (size_t i = 0; i < d.discounts.size(); ++i) {
    const Discount& discount = d.discounts[i];
    status = CheckText(Item("discounts", i, "label"), discount.label, required);
    if (status.ok() && (discount.basis_points < 0 || discount.basis_points > 10'000)) {
      status =
          InvalidField(Item("discounts", i, "basis_points"),
                       absl::StrCat("must be between 0 and 10000, got ", discount.basis_points));
    }
    if (status.ok()) {
      status = CheckPence(Item("discounts", i, "weekly_pence"), discount.weekly_pence, limits);
    }
    if (!status.ok()) return status;
  }
  if (status = CheckPence("total_weekly_pence", d.total_weekly_pence, limits); !status.ok()) {
    return status;
  }
  if (status = CheckText("payment_terms", d.payment_terms, text); !status.ok()) return status;
  if (status = CheckListSize("allowances", d.allowances.size(), limits); !status.ok()) {
    return status;
  }
  for (size_t i = 0; i < d.allowances.size(); ++i) {
    const Allowance& allowance = d.allowances[i];
    status = CheckText(Item("allowances", i, "kind"), allowance.kind, required);
    if (status.ok()) {
      status = CheckPence(Item("allowances", i, "amount_pence"), allowance.amount_pence, limits);
    }
    if (status.ok()) {
      status = CheckText(Item("allowances", i, "frequency"), allowance.frequency, text);
    }
    if (!status.ok()) return status;
  }

  if (status = CheckText("incentive", d.incentive, long_text); !status.ok()) return status;
  if (d.notice_period_days < 0 || d.notice_period_days > limits.max_notice_period_days) {
    return InvalidField("notice_period_days",
                        absl::StrCat("must be between 0 and ", limits.max_notice_period_days,
                                     ", got ", d.notice_period_days));
  }
  if (status = CheckListSize("documents", d.documents.size(), limits); !status.ok()) return status;
  for (size_t i = 0; i < d.documents.size(); ++i) {
    status = CheckText(Item("documents", i, "title"), d.documents[i].title, required);
    if (status.ok()) status = CheckSha256(Item("documents", i, "sha256"), d.documents[i].sha256);
    if (!status.ok()) return status;
  }
  if (status = CheckListSize("signatories", d.signatories.size(), limits); !status.ok()) {
    return status;
  }
  for (size_t i = 0; i < d.signatories.size(); ++i) {
    const Signatory& s = d.signatories[i];
    status = CheckText(Item("signatories", i, "party"), s.party, required);
    if (status.ok()) status = CheckText(Item("signatories", i, "name"), s.name, required);
    if (status.ok()) status = CheckText(Item("signatories", i, "position"), s.position, text);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace dps::contracts::document
