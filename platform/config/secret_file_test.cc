#include "platform/config/secret_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace dps::platform {
namespace {

std::string WriteSecret(const std::string& text, mode_t mode) {
  const std::string path = absl::StrCat("/tmp/dps-secret-test-", getpid());
  std::ofstream(path, std::ios::trunc) << text;
  chmod(path.c_str(), mode);
  return path;
}

TEST_CASE("a password file is read from its first line without the line ending") {
  const std::string path = WriteSecret("s3cret:with/odd%chars\nignored\n", 0600);
  absl::StatusOr<std::string> password = ReadPasswordFile(path);
  REQUIRE(password.ok());
  CHECK(*password == "s3cret:with/odd%chars");
  unlink(path.c_str());
}

TEST_CASE("a password file others may read or anyone else may write is refused naming it") {
  for (const mode_t mode : {0604, 0606, 0620, 0660, 0644}) {
    INFO(mode);
    const std::string path = WriteSecret("secret", mode);
    absl::StatusOr<std::string> password = ReadPasswordFile(path);
    CHECK(absl::IsPermissionDenied(password.status()));
    CHECK(password.status().message() ==
          absl::StrCat(path, ": a password file must be readable by its owner only (chmod 600)"));
    unlink(path.c_str());
  }
}

TEST_CASE("group read is allowed when the group is the process's own as a Kubernetes Secret is") {
  const std::string path = WriteSecret("secret", 0440);
  REQUIRE(chown(path.c_str(), static_cast<uid_t>(-1), getegid()) == 0);
  CHECK(ReadPasswordFile(path).ok());
  unlink(path.c_str());
}

TEST_CASE("an empty or missing password file is refused") {
  const std::string path = WriteSecret("\n", 0600);
  CHECK(absl::IsInvalidArgument(ReadPasswordFile(path).status()));
  unlink(path.c_str());
  CHECK(absl::IsNotFound(ReadPasswordFile(path).status()));
}

}  // namespace
}  // namespace dps::platform
