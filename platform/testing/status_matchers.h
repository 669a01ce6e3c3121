// Lets Catch2 print an absl::Status when an assertion on it fails, so a failed test shows the
// message ("pg-url: PostgreSQL unreachable: ...") instead of "false".
//
//   REQUIRE(status == absl::OkStatus());   // prints the status on failure
#ifndef DPS_PLATFORM_TESTING_STATUS_MATCHERS_H_
#define DPS_PLATFORM_TESTING_STATUS_MATCHERS_H_

#include <catch2/catch.hpp>

#include "absl/status/status.h"

namespace Catch {
template <>
struct StringMaker<absl::Status> {
  static std::string convert(const absl::Status& status) { return status.ToString(); }
};
}  // namespace Catch

#endif  // DPS_PLATFORM_TESTING_STATUS_MATCHERS_H_
