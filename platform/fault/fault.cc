#include "platform/fault/fault.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

namespace dps::platform {
namespace {

struct Armed {
  std::string point;
  long after = 1;
};

const Armed* ArmedPoint() {
  static const Armed* armed = []() -> const Armed* {
    const char* point = std::getenv("DPS_FAULT_POINT");
    if (point == nullptr || *point == '\0') return nullptr;
    auto* a = new Armed{point, 1};
    if (const char* after = std::getenv("DPS_FAULT_AFTER"); after != nullptr) {
      a->after = std::max(1L, std::strtol(after, nullptr, 10));
    }
    return a;
  }();
  return armed;
}

}  // namespace

void FaultPoint(std::string_view name) {
  const Armed* armed = ArmedPoint();
  if (armed == nullptr || name != armed->point) return;
  static std::atomic<long> passes{0};
  if (++passes >= armed->after) std::raise(SIGKILL);
}

}  // namespace dps::platform
