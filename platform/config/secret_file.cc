#include "platform/config/secret_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/str_cat.h"

namespace dps::platform {

absl::Status CheckOwnerOnly(const std::string& path, absl::string_view what) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return absl::OkStatus();  // reading it will say why
  // Kubernetes mounts a Secret owned by root and readable by the pod's own group (fsGroup, mode
  // 0440): that group is this process alone, so group read is allowed when it is our group.
  const bool our_group = info.st_gid == getegid();
  const mode_t allowed_group_bits = our_group ? S_IRGRP : 0;
  if ((info.st_mode & (S_IRWXG | S_IRWXO) & ~allowed_group_bits) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": ", what, " must be readable by its owner only (chmod 600)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadPasswordFile(const std::string& path) {
  if (absl::Status owner_only = CheckOwnerOnly(path, "a password file"); !owner_only.ok()) {
    return owner_only;
  }
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": the password file is empty"));
  }
  return password;
}

}  // namespace dps::platform
