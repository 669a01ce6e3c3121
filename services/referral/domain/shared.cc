#include "services/referral/domain/shared.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "platform/text/child_identity.h"
#include "services/referral/domain/child.h"

namespace dps::referral {

using platform::InvalidField;

absl::Status RequireReason(absl::string_view field, absl::string_view reason) {
  if (reason.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return InvalidField(field, "required");
  }
  if (reason.size() > kMaxTextLength) {
    return InvalidField(field, absl::StrCat("must be at most ", kMaxTextLength, " characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view text) {
  if (text.size() > kMaxTextLength) {
    return InvalidField(
        field, absl::StrCat("must be at most ", kMaxTextLength, " characters, got ", text.size()));
  }
  return platform::RejectChildIdentifiers(field, text);
}

absl::Status ValidatePence(absl::string_view field, int64_t pence) {
  if (pence <= 0) return InvalidField(field, absl::StrCat("must be positive, got ", pence));
  if (pence > kMaxPence) {
    return InvalidField(field, absl::StrCat("must be at most ", kMaxPence, " pence, got ", pence));
  }
  return absl::OkStatus();
}

absl::Status ValidateIncentive(absl::string_view field, const Incentive& incentive) {
  const std::string description = absl::StrCat(field, ".description");
  if (auto s = RequireReason(description, incentive.description); !s.ok()) return s;
  if (auto s = ValidateText(description, incentive.description); !s.ok()) return s;
  if (auto s = ValidatePence(absl::StrCat(field, ".premium"), incentive.premium_pence); !s.ok()) {
    return s;
  }
  if (!incentive.achieve_by) return InvalidField(absl::StrCat(field, ".achieve_by"), "required");
  return absl::OkStatus();
}

}  // namespace dps::referral
