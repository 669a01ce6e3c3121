#include "platform/audit/checkpoint.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "platform/auth/jws.h"

namespace dps::platform::audit {
namespace {

using Json = nlohmann::json;

absl::Status Refused(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint: ", why));
}

bool IsHash(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<SignedCheckpoint> SignCheckpoint(const auth::PrivateKey& key,
                                                absl::string_view service,
                                                const Checkpoint& checkpoint) {
  const Json payload = {{"service", std::string(service)},
                        {"size", checkpoint.size},
                        {"head_hash", checkpoint.head_hash},
                        {"at", FormatRecordedAt(checkpoint.at)}};
  absl::StatusOr<std::string> jws = auth::SignJws(key, kCheckpointType, payload.dump());
  if (!jws.ok()) return jws.status();
  return SignedCheckpoint{std::string(service), checkpoint, *std::move(jws)};
}

absl::StatusOr<SignedCheckpoint> VerifyCheckpoint(absl::string_view jws, const auth::KeySet& keys,
                                                  absl::string_view service) {
  absl::StatusOr<auth::VerifiedJws> verified = auth::VerifyJws(jws, keys);
  if (absl::IsNotFound(verified.status())) {
    return absl::NotFoundError(absl::StrCat("checkpoint: ", verified.status().message()));
  }
  if (!verified.ok()) return Refused(verified.status().message());
  if (verified->typ != kCheckpointType) {
    return Refused(absl::StrCat("typ must be \"", kCheckpointType, "\""));
  }
  const Json payload = Json::parse(verified->payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Refused("the payload is not a JSON object");
  }
  SignedCheckpoint out;
  out.jws = std::string(jws);
  const auto text = [&](const char* name) {
    const auto it = payload.find(name);
    return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.service = text("service");
  if (out.service != service) {
    return Refused(absl::StrCat("of the ", out.service.substr(0, 64), " chain, not ", service));
  }
  const auto size = payload.find("size");
  if (size == payload.end() || !size->is_number_integer() || size->get<int64_t>() < 1) {
    return Refused("size must be a whole number of 1 or more");
  }
  out.checkpoint.size = size->get<int64_t>();
  out.checkpoint.head_hash = text("head_hash");
  if (!IsHash(out.checkpoint.head_hash)) {
    return Refused("head_hash must be 64 lowercase hex digits");
  }
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text("at"), &out.checkpoint.at, &error)) {
    return Refused("at must be an RFC 3339 time");
  }
  return out;
}

absl::StatusOr<std::vector<SignedCheckpoint>> ReadCheckpoints(std::istream& in,
                                                              const auth::KeySet& keys,
                                                              absl::string_view service) {
  std::vector<SignedCheckpoint> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const absl::string_view jws = absl::StripAsciiWhitespace(line);
    if (jws.empty()) continue;
    absl::StatusOr<SignedCheckpoint> checkpoint = VerifyCheckpoint(jws, keys, service);
    if (!checkpoint.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": ", checkpoint.status().message()));
    }
    out.push_back(*std::move(checkpoint));
  }
  return out;
}

}  // namespace dps::platform::audit
