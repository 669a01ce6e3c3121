// Loads generated establishments (services/qualification/tools/establishment_generator.h) into
// the register as one purchasing system with a lot per kind of placement, for tests, the
// benchmark and the demo. Not used by the service itself.
//
// Each establishment becomes a member of the lot of its type; short-breaks homes also join the
// SEN lot. States are spread deterministically: one membership in 20 SUSPENDED, one in 50
// EXCLUDED, the rest QUALIFIED. Weighted lots get the generator's qualification score as the
// score at qualification and, for one membership in 10, a later +/-5 adjustment.
//
//   absl::Status s = pool.InTransaction([&](pqxx::work& tx) {
//     return LoadGeneratedRegister(tx, establishments, {});
//   });
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_LOADER_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_LOADER_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/qualification/tools/establishment_generator.h"

namespace dps::qualification {

// The ids the loader creates.
inline constexpr char kLoadedSystemId[] = "PS-SE";
inline constexpr char kResidentialLot[] = "LOT-RES";      // childrens_home, short_breaks
inline constexpr char kFosteringLot[] = "LOT-IFA";        // ifa
inline constexpr char kSenLot[] = "LOT-SEN";              // schools, colleges, short_breaks
inline constexpr char kSupportedLot[] = "LOT-SUPPORTED";  // supported_accommodation; pass/fail

struct LoadOptions {
  // Memberships qualify on successive days from here; adjustments come 183 days later.
  absl::Time first_qualified_at = absl::FromUnixSeconds(1743465600);  // 2025-04-01T00:00:00Z
};

// The membership id the loader gives an establishment in a lot: "<lot>/<establishment>".
std::string LoadedMembershipId(const std::string& lot_id, const std::string& establishment_id);

// Loads everything in the caller's transaction with COPY. Loading twice fails on the keys.
absl::Status LoadGeneratedRegister(pqxx::work& tx,
                                   const std::vector<tools::Establishment>& establishments,
                                   const LoadOptions& options);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_REGISTER_LOADER_H_
