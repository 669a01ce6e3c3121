// The real time moved by an offset read from a file: how a test, or a demo, lets running services
// live days or months ahead (a referral's deadline passing, a quarter ending) without waiting.
//
// For development and tests only. A service given DPS_DEV_CLOCK_OFFSET_FILE (see
// platform/service/runtime.h) says so in its log at start; deployments never set it.
// Authentication keeps the real clock whatever the offset: tokens are minted in real time.
//
// The file holds a whole number of seconds (it may be negative) and is re-read at most every
// 100 ms, so a change reaches every service within that. A missing or unreadable file is an
// offset of zero; a file that does not hold a number keeps the last offset read.
//
//   FileOffsetClock clock("/tmp/suite/clock-offset");
//   absl::Time now = clock.Now();  // the real time plus the file's seconds
#ifndef DPS_PLATFORM_CLOCK_OFFSET_CLOCK_H_
#define DPS_PLATFORM_CLOCK_OFFSET_CLOCK_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "platform/clock/clock.h"

namespace dps::platform {

class FileOffsetClock final : public Clock {
 public:
  // `real` is the clock the offset is added to (the system clock outside tests).
  FileOffsetClock(std::string path, const Clock& real) : path_(std::move(path)), real_(real) {}

  absl::Time Now() const override;

  // The offset last read (re-reading the file when it is due).
  absl::Duration Offset() const;

 private:
  std::string path_;
  const Clock& real_;
  mutable absl::Mutex mutex_;
  mutable absl::Time read_at_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  mutable absl::Duration offset_ ABSL_GUARDED_BY(mutex_) = absl::ZeroDuration();
};

// Writes `offset` (whole seconds) to `path` so that every FileOffsetClock reading it sees the
// new offset whole: written beside it and renamed over it.
bool WriteClockOffset(const std::string& path, absl::Duration offset);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_CLOCK_OFFSET_CLOCK_H_
