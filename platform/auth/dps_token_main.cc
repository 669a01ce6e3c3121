// dps-token: signing keys and tokens for development, tests and benchmarks.
//
//   dps-token keygen --kid=K --private=FILE --public=JWKS
//       Makes an EC P-256 signing key: its private JWK to FILE (mode 600, never overwritten) and
//       its public half added to the JWKS file (created if missing; a key of the same kid is
//       replaced), which is what verifiers read.
//   dps-token mint --key=FILE --issuer=ISS --audience=AUD --sub=USER --role=ROLE --org=ORG
//                  [--lifetime=8h]
//       Prints a token signed with the private key. ROLE is a dps.common.v1.Role name
//       (ROLE_PLACING_OFFICER, ...). `./dps token ROLE ORGANISATION` calls this with the local
//       identity provider's key.
// Exit status: 0 done, 2 bad arguments or files (one line on stderr says which).
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "dps/common/v1/common.pb.h"
#include "platform/auth/jwt.h"
#include "platform/auth/keys.h"

namespace {

using dps::platform::auth::PrivateKey;

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "dps-token: " << message << "\n";
  std::exit(2);
}

std::map<std::string, std::string> Flags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto equals = arg.find('=');
    if (!absl::StartsWith(arg, "--") || equals == std::string::npos) {
      Fail("arguments are --name=value, got '" + arg + "'");
    }
    flags[arg.substr(2, equals - 2)] = arg.substr(equals + 1);
  }
  return flags;
}

std::string Required(const std::map<std::string, std::string>& flags, const std::string& name) {
  const auto it = flags.find(name);
  if (it == flags.end() || it->second.empty()) Fail("--" + name + " is required");
  return it->second;
}

int Keygen(const std::map<std::string, std::string>& flags) {
  const std::string kid = Required(flags, "kid");
  const std::string private_path = Required(flags, "private");
  const std::string public_path = Required(flags, "public");
  struct stat info {};
  if (stat(private_path.c_str(), &info) == 0) Fail(private_path + ": exists; not overwritten");
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(kid);
  if (!key.ok()) Fail(std::string(key.status().message()));
  {
    const mode_t old_mask = umask(077);
    std::ofstream out(private_path, std::ios::trunc);
    out << key->PrivateJson() << "\n";
    umask(old_mask);
    if (!out) Fail(private_path + ": cannot be written");
  }
  chmod(private_path.c_str(), 0600);
  nlohmann::json jwks = {{"keys", nlohmann::json::array()}};
  if (std::ifstream in(public_path); in) {
    std::stringstream text;
    text << in.rdbuf();
    jwks = nlohmann::json::parse(text.str(), nullptr, false);
    if (jwks.is_discarded() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
      Fail(public_path + ": not a JWKS document");
    }
  }
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& one : jwks["keys"]) {
    if (!(one.contains("kid") && one["kid"] == kid)) kept.push_back(one);
  }
  kept.push_back(nlohmann::json::parse(key->PublicJwk()));
  jwks["keys"] = kept;
  std::ofstream out(public_path + ".tmp", std::ios::trunc);
  out << jwks.dump(2) << "\n";
  out.close();
  if (!out || std::rename((public_path + ".tmp").c_str(), public_path.c_str()) != 0) {
    Fail(public_path + ": cannot be written");
  }
  return 0;
}

int Mint(const std::map<std::string, std::string>& flags) {
  absl::StatusOr<PrivateKey> key = PrivateKey::FromFile(Required(flags, "key"));
  if (!key.ok()) Fail(std::string(key.status().message()));
  absl::Duration lifetime = absl::Hours(8);
  if (const auto it = flags.find("lifetime"); it != flags.end()) {
    if (!absl::ParseDuration(it->second, &lifetime) || lifetime <= absl::ZeroDuration()) {
      Fail("--lifetime: a duration such as 8h or 30m");
    }
  }
  const std::string role = Required(flags, "role");
  dps::common::v1::Role parsed;
  if (!dps::common::v1::Role_Parse(role, &parsed) || parsed == dps::common::v1::ROLE_UNSPECIFIED) {
    Fail("--role: a role name such as ROLE_PLACING_OFFICER, got '" + role + "'");
  }
  absl::StatusOr<std::string> token =
      dps::platform::auth::SignToken(*key,
                                     {.issuer = Required(flags, "issuer"),
                                      .subject = Required(flags, "sub"),
                                      .role = role,
                                      .organisation = Required(flags, "org")},
                                     Required(flags, "audience"), absl::Now(), lifetime);
  if (!token.ok()) Fail(std::string(token.status().message()));
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "keygen") return Keygen(Flags(argc, argv));
  if (command == "mint") return Mint(Flags(argc, argv));
  Fail(
      "usage: dps-token keygen --kid=K --private=FILE --public=JWKS | dps-token mint --key=FILE "
      "--issuer=ISS --audience=AUD --sub=USER --role=ROLE --org=ORG [--lifetime=8h]");
}
