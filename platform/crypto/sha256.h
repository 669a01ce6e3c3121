// SHA-256 digests (OpenSSL's libcrypto), as lowercase hex. Used for migration checksums, the
// audit chain and the hash each party signs on a placement agreement.
#ifndef DPS_PLATFORM_CRYPTO_SHA256_H_
#define DPS_PLATFORM_CRYPTO_SHA256_H_

#include <string>
#include <string_view>

namespace dps::platform {

std::string Sha256Hex(std::string_view data);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_CRYPTO_SHA256_H_
