// Fault injection for the crash tests.
//
// A named point in the code can kill its own process with SIGKILL, so a test can crash a relay
// exactly between its database commit and its publish, or a consumer between its commit and its
// acknowledgement. Points are armed only through the environment of a test-started process:
//   DPS_FAULT_POINT=relay.after_publish DPS_FAULT_AFTER=250
// kills the process the 250th time that point is passed. Unarmed, a point costs one comparison.
#ifndef DPS_PLATFORM_FAULT_FAULT_H_
#define DPS_PLATFORM_FAULT_FAULT_H_

#include <string_view>

namespace dps::platform {

void FaultPoint(std::string_view name);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_FAULT_FAULT_H_
