#include "services/contracts/domain/children.h"

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/text/child_identity.h"
#include "services/contracts/domain/fields.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/domain/ipa_internal.h"

namespace dps::contracts {
namespace {

using platform::InvalidField;

// A full postcode: FindChildIdentifier recognises one at the start and nothing else follows.
bool IsFullPostcode(absl::string_view text) {
  std::optional<platform::ChildIdentifier> found = platform::FindChildIdentifier(text);
  if (!found || found->at != 0 || found->kind != "a full postcode") return false;
  // "RH12 1AB" is at most 8 characters; allow any spacing between outward and inward parts.
  std::string compact;
  for (char c : text) {
    if (c != ' ') compact.push_back(c);
  }
  return compact.size() >= 5 && compact.size() <= 7;
}

absl::Status ValidateChild(const std::string& at, const ChildIdentity& child,
                           absl::CivilDay today) {
  if (auto s = RequireText(at + ".given_names", child.given_names, kMaxShortText); !s.ok()) {
    return s;
  }
  if (auto s = RequireText(at + ".family_name", child.family_name, kMaxNameLength); !s.ok()) {
    return s;
  }
  if (auto s = ValidateLength(at + ".preferred_name", child.preferred_name, kMaxNameLength);
      !s.ok()) {
    return s;
  }
  if (!child.date_of_birth) return InvalidField(at + ".date_of_birth", "required");
  if (*child.date_of_birth > today) {
    return InvalidField(at + ".date_of_birth", "must not be in the future");
  }
  if (absl::CivilYear(*child.date_of_birth) < absl::CivilYear(today) - kMaxPlacementYears) {
    return InvalidField(at + ".date_of_birth",
                        absl::StrCat("must be within ", kMaxPlacementYears, " years"));
  }
  if (auto s = ValidateLength(at + ".case_reference", child.case_reference, kMaxShortText);
      !s.ok()) {
    return s;
  }
  if (auto s = ValidateLength(at + ".legal_status", child.legal_status, kMaxShortText); !s.ok()) {
    return s;
  }
  if (!child.home_postcode.empty() && !IsFullPostcode(child.home_postcode)) {
    return InvalidField(at + ".home_postcode", "must be a full postcode such as \"RH12 1AB\"");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateChildren(absl::string_view field, const std::vector<ChildIdentity>& children,
                              absl::CivilDay today) {
  if (children.size() > kMaxChildren) {
    return InvalidField(field, absl::StrCat("at most ", kMaxChildren, " children"));
  }
  for (size_t i = 0; i < children.size(); ++i) {
    if (auto s = ValidateChild(absl::StrCat(field, "[", i, "]"), children[i], today); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status SetChildren(Ipa& ipa, std::vector<ChildIdentity> children, const Actor& by,
                         absl::Time now) {
  if (internal::IsOneOf(ipa.state, {IpaState::kEnded, IpaState::kCancelled})) {
    return internal::Refuse("record the children of", ipa.state);
  }
  if (auto s = internal::RequireAuthority(ipa, by, "record the children of"); !s.ok()) return s;
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  if (auto s = ValidateChildren("children", children, today); !s.ok()) return s;
  ipa.children = std::move(children);
  internal::Record(ipa, ipa.state, by, "children recorded", now);
  return absl::OkStatus();
}

}  // namespace dps::contracts
