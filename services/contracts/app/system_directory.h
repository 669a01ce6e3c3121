// Where the publication use cases learn a purchasing system's facts (domain/publication.h
// SystemFacts: name, regime, lead authority, participating authorities). The qualification
// service owns them; clients/system_directory.h asks it over gRPC as the contracts service, and
// tests hand in a map.
#ifndef DPS_SERVICES_CONTRACTS_APP_SYSTEM_DIRECTORY_H_
#define DPS_SERVICES_CONTRACTS_APP_SYSTEM_DIRECTORY_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/contracts/domain/publication.h"

namespace dps::contracts {

class SystemDirectory {
 public:
  virtual ~SystemDirectory() = default;
  // The system's facts; NotFound for a system nobody has, Unavailable when the owner cannot be
  // asked (the caller may retry).
  virtual absl::StatusOr<SystemFacts> System(const std::string& system_id) const = 0;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_SYSTEM_DIRECTORY_H_
