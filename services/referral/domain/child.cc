#include "services/referral/domain/child.h"

#include <cctype>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/text/child_identity.h"

namespace dps::referral {
namespace {

using platform::InvalidField;

// The longest value quoted back in an error about a district.
constexpr size_t kMaxQuotedDistrict = 8;

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The lengths of the outward codes that start at `text[0]` (A9, A99, A9A, AA9, AA99, AA9A):
// the shorter one, and the longer one when a letter or digit may follow. 0 when there is none.
struct OutwardLengths {
  size_t shorter = 0;
  size_t longer = 0;
};

OutwardLengths OutwardCodeLengths(absl::string_view text) {
  size_t i = 0;
  while (i < text.size() && i < 2 && IsUpper(text[i])) ++i;
  if (i == 0 || i >= text.size() || !IsDigit(text[i])) return {};
  ++i;
  const bool more = i < text.size() && (IsDigit(text[i]) || IsUpper(text[i]));
  return {i, more ? i + 1 : i};
}

// An inward code (digit, two letters) at `text[0]`.
bool IsInwardCode(absl::string_view text) {
  return text.size() >= 3 && IsDigit(text[0]) && IsUpper(text[1]) && IsUpper(text[2]);
}

// The length of a full postcode ("RH12 1AB", "M11AA") at `text[0]`, or 0.
size_t FullPostcodeLength(absl::string_view text) {
  const OutwardLengths outward = OutwardCodeLengths(text);
  for (size_t length : {outward.longer, outward.shorter}) {
    if (length == 0) continue;
    size_t inward = length;
    if (inward < text.size() && text[inward] == ' ') ++inward;
    if (IsInwardCode(text.substr(inward))) return inward + 3;
  }
  return 0;
}

bool IsLabel(absl::string_view key) {
  if (key.empty() || key.size() > kMaxChildKeyLength) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::string Upper(absl::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

}  // namespace

absl::Status ValidateChildren(absl::string_view field, const std::vector<Child>& children) {
  absl::flat_hash_set<std::string> keys;
  for (size_t i = 0; i < children.size(); ++i) {
    const Child& child = children[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (child.key.empty()) return InvalidField(absl::StrCat(at, ".child_key"), "required");
    if (!IsLabel(child.key)) {
      return InvalidField(absl::StrCat(at, ".child_key"),
                          absl::StrCat("must be a label of 1 to ", kMaxChildKeyLength,
                                       " letters, digits, '-' or '_' (such as \"child-1\"): a "
                                       "name or a case reference does not leave the placing "
                                       "authority"));
    }
    if (absl::Status s =
            platform::RejectChildIdentifiers(absl::StrCat(at, ".child_key"), child.key);
        !s.ok()) {
      return s;
    }
    if (!keys.insert(child.key).second) {
      return InvalidField(
          absl::StrCat(at, ".child_key"),
          absl::StrCat("must be unique in the referral, '", child.key, "' is given twice"));
    }
    if (child.age_years < 0 || child.age_years > kMaxChildAgeYears) {
      return InvalidField(
          absl::StrCat(at, ".age_years"),
          absl::StrCat("must be 0 to ", kMaxChildAgeYears, ", got ", child.age_years));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePostcodeDistrict(absl::string_view field, absl::string_view district) {
  if (district.empty()) return InvalidField(field, "required");
  if (OutwardCodeLengths(district).longer == district.size()) return absl::OkStatus();
  if (FullPostcodeLength(Upper(district)) == district.size() ||
      platform::FindChildIdentifier(district).has_value()) {
    return InvalidField(field,
                        "must be the postcode district only (e.g. \"RH12\"), never a full "
                        "postcode: a child's full postcode does not leave the placing authority");
  }
  // Only a value as short as a district is quoted back: anything longer may be an address.
  if (district.size() > kMaxQuotedDistrict) {
    return InvalidField(field, "must be an outward code such as \"RH12\"");
  }
  return InvalidField(
      field, absl::StrCat("must be an outward code such as \"RH12\", got '", district, "'"));
}

}  // namespace dps::referral
