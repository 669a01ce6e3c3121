// Secrets (passwords, private keys) read from files, never from flags: a flag is on the
// process's command line, which every local user can read in /proc.
#ifndef DPS_PLATFORM_CONFIG_SECRET_FILE_H_
#define DPS_PLATFORM_CONFIG_SECRET_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dps::platform {

// PERMISSION_DENIED naming the file when anyone but its owner may read or write it (group read
// is allowed when the group is this process's own, as in a Kubernetes Secret mounted with the
// pod's fsGroup); `what` says what it holds ("a private key", "a password file").
absl::Status CheckOwnerOnly(const std::string& path, absl::string_view what);

// A password file: mode 600 (CheckOwnerOnly), its first line without the line ending, not empty.
absl::StatusOr<std::string> ReadPasswordFile(const std::string& path);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_CONFIG_SECRET_FILE_H_
