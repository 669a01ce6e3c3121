#include "services/qualification/domain/system_lifecycle.h"

#include "absl/strings/str_cat.h"
#include "services/qualification/domain/errors.h"

namespace dps::qualification {
namespace {

constexpr absl::string_view kEntity = "purchasing system";

}  // namespace

absl::string_view SystemStateName(SystemState state) {
  switch (state) {
    case SystemState::kDraft:
      return "DRAFT";
    case SystemState::kLive:
      return "LIVE";
    case SystemState::kClosed:
      return "CLOSED";
  }
  return "UNKNOWN";
}

absl::Status CheckStateMove(SystemState from, SystemState to) {
  const bool allowed = (from == SystemState::kDraft && to == SystemState::kLive) ||
                       (from == SystemState::kLive && to == SystemState::kClosed);
  if (allowed) return absl::OkStatus();
  return Forbidden(kEntity, absl::StrCat("cannot move from ", SystemStateName(from), " to ",
                                         SystemStateName(to)));
}

absl::Status CheckMayEdit(SystemState state, absl::string_view what) {
  if (state != SystemState::kClosed) return absl::OkStatus();
  return Forbidden(kEntity, absl::StrCat(what, ": a CLOSED system is read-only"));
}

absl::Status CheckRegimeChange(SystemState state, Regime from, Regime to) {
  if (state == SystemState::kDraft || from == to) return absl::OkStatus();
  return Forbidden(kEntity, absl::StrCat("the regime is fixed once the system is LIVE: it stays ",
                                         RegimeName(from)));
}

absl::Status CheckConditionsMayChange(SystemState state, Regime regime, absl::string_view what) {
  if (state == SystemState::kDraft || RulesFor(regime).conditions_may_change) {
    return absl::OkStatus();
  }
  return Forbidden(
      kEntity, absl::StrCat(what, " are fixed once the system is LIVE under ", RegimeName(regime)));
}

}  // namespace dps::qualification
