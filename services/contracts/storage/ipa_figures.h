// The contracts service's figures for /metrics (metrics/ipa_metrics.h): agreements by state.
#ifndef DPS_SERVICES_CONTRACTS_STORAGE_IPA_FIGURES_H_
#define DPS_SERVICES_CONTRACTS_STORAGE_IPA_FIGURES_H_

#include <map>
#include <pqxx/pqxx>
#include <string>

namespace dps::contracts {

// "ACTIVE" -> how many IPAs are ACTIVE, and so on for each state that has any.
std::map<std::string, double> IpasByState(pqxx::work& tx);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_STORAGE_IPA_FIGURES_H_
