#include "platform/clock/offset_clock.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace dps::platform {
namespace {

std::string TempPath() {
  std::string dir = (std::filesystem::temp_directory_path() / "offset-clock-XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  return dir + "/clock-offset";
}

TEST_CASE("The offset clock is the real time plus the file's seconds, re-read as it changes") {
  const std::string path = TempPath();
  FakeClock real(absl::FromUnixSeconds(1'800'000'000));
  FileOffsetClock clock(path, real);
  // No file yet: no offset.
  CHECK(clock.Now() == real.Now());

  REQUIRE(WriteClockOffset(path, absl::Hours(24 * 6)));
  // Read at most every 100 ms: the change is seen once that has passed.
  CHECK(clock.Now() == real.Now());
  real.Advance(absl::Milliseconds(100));
  CHECK(clock.Now() == real.Now() + absl::Hours(24 * 6));
  CHECK(clock.Offset() == absl::Hours(24 * 6));

  // Backwards too, whole seconds only.
  REQUIRE(WriteClockOffset(path, -absl::Seconds(90) - absl::Milliseconds(500)));
  real.Advance(absl::Seconds(1));
  CHECK(clock.Offset() == -absl::Seconds(90));

  // A file that does not hold a number keeps the last offset; a removed file is none.
  {
    std::ofstream out(path, std::ios::trunc);
    out << "tomorrow\n";
  }
  real.Advance(absl::Seconds(1));
  CHECK(clock.Offset() == -absl::Seconds(90));
  std::filesystem::remove(path);
  real.Advance(absl::Seconds(1));
  CHECK(clock.Offset() == absl::ZeroDuration());
  CHECK(clock.Now() == real.Now());
}

TEST_CASE("An offset cannot be written where no file can be made") {
  CHECK_FALSE(WriteClockOffset("/nonexistent-folder/clock-offset", absl::Hours(1)));
}

}  // namespace
}  // namespace dps::platform
