#include "platform/clock/offset_clock.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace dps::platform {

namespace {
constexpr absl::Duration kRereadEvery = absl::Milliseconds(100);
}  // namespace

absl::Duration FileOffsetClock::Offset() const {
  const absl::Time real_now = real_.Now();
  absl::MutexLock lock(&mutex_);
  if (real_now - read_at_ < kRereadEvery) return offset_;
  read_at_ = real_now;
  std::ifstream in(path_);
  if (!in) {
    offset_ = absl::ZeroDuration();
    return offset_;
  }
  std::stringstream text;
  text << in.rdbuf();
  int64_t seconds = 0;
  if (absl::SimpleAtoi(absl::StripAsciiWhitespace(text.str()), &seconds)) {
    offset_ = absl::Seconds(seconds);
  }
  return offset_;
}

absl::Time FileOffsetClock::Now() const { return real_.Now() + Offset(); }

bool WriteClockOffset(const std::string& path, absl::Duration offset) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    if (!out) return false;
    out << absl::ToInt64Seconds(offset) << "\n";
    if (!out.flush()) return false;
  }
  return std::rename(partial.c_str(), path.c_str()) == 0;
}

}  // namespace dps::platform
