#include "platform/auth/jwt.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/auth/jws.h"

namespace dps::platform::auth {
namespace {

using Json = nlohmann::json;

absl::Status Refused(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("token: ", why));
}

bool Printable(const std::string& text) {
  if (text.empty() || text.size() > 256) return false;
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

absl::StatusOr<Json> DecodeJsonPart(absl::string_view part, absl::string_view name) {
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(part, &bytes)) {
    return Refused(absl::StrCat("the ", name, " is not base64url"));
  }
  Json json = Json::parse(bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return Refused(absl::StrCat("the ", name, " is not a JSON object"));
  }
  return json;
}

// Seconds since the epoch from a NumericDate claim; nullopt when absent or not a number.
std::optional<absl::Time> TimeClaim(const Json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end() || !it->is_number()) return std::nullopt;
  return absl::FromUnixSeconds(it->get<int64_t>());
}

std::string StringClaim(const Json& payload, const char* name) {
  const auto it = payload.find(name);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token, const KeySet& keys,
                                        const TokenRules& rules, absl::Time now) {
  if (token.empty()) return Refused("missing");
  if (token.size() > kMaxTokenBytes) {
    return Refused(absl::StrCat("longer than ", kMaxTokenBytes, " bytes"));
  }
  absl::StatusOr<VerifiedJws> jws = VerifyJws(token, keys);
  if (!jws.ok()) return Refused(jws.status().message());
  const Json payload = Json::parse(jws->payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return Refused("the payload is not a JSON object");
  }

  TokenClaims claims;
  claims.issuer = StringClaim(payload, "iss");
  if (claims.issuer != rules.issuer) return Refused("issuer (iss) not accepted");
  bool audience_ok = false;
  if (const auto aud = payload.find("aud"); aud != payload.end()) {
    if (aud->is_string()) audience_ok = aud->get<std::string>() == rules.audience;
    if (aud->is_array()) {
      for (const Json& one : *aud) audience_ok |= one.is_string() && one == rules.audience;
    }
  }
  if (!audience_ok) return Refused("audience (aud) not accepted");
  const std::optional<absl::Time> expires = TimeClaim(payload, "exp");
  if (!expires.has_value()) return Refused("expiry (exp) required");
  if (*expires + rules.leeway <= now) return Refused("expired");
  if (payload.contains("nbf")) {
    const std::optional<absl::Time> not_before = TimeClaim(payload, "nbf");
    if (!not_before.has_value()) return Refused("not-before (nbf) must be a number");
    if (*not_before - rules.leeway > now) return Refused("not valid yet (nbf)");
  }
  claims.expires = *expires;
  claims.subject = StringClaim(payload, "sub");
  claims.role = StringClaim(payload, "dps_role");
  claims.organisation = StringClaim(payload, "dps_org");
  if (!Printable(claims.subject)) return Refused("subject (sub) required, printable");
  if (!Printable(claims.role)) return Refused("role (dps_role) required");
  if (!Printable(claims.organisation)) return Refused("organisation (dps_org) required, printable");
  return claims;
}

std::string UnverifiedIssuer(absl::string_view token) {
  if (token.size() > kMaxTokenBytes) return "";
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return "";
  absl::StatusOr<Json> payload = DecodeJsonPart(parts[1], "payload");
  return payload.ok() ? StringClaim(*payload, "iss") : "";
}

absl::StatusOr<std::string> SignToken(const PrivateKey& key, const TokenClaims& claims,
                                      const std::string& audience, absl::Time now,
                                      absl::Duration lifetime) {
  const Json payload = {{"iss", claims.issuer},
                        {"aud", audience},
                        {"sub", claims.subject},
                        {"dps_role", claims.role},
                        {"dps_org", claims.organisation},
                        {"iat", absl::ToUnixSeconds(now)},
                        {"nbf", absl::ToUnixSeconds(now)},
                        {"exp", absl::ToUnixSeconds(now + lifetime)}};
  return SignJws(key, "JWT", payload.dump());
}

}  // namespace dps::platform::auth
