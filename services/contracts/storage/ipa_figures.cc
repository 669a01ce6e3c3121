#include "services/contracts/storage/ipa_figures.h"

#include "platform/pg/documents.h"
#include "services/contracts/storage/sql.h"

namespace dps::contracts {

std::map<std::string, double> IpasByState(pqxx::work& tx) {
  return platform::CountsByKey(tx.exec(sql::kIpasByState));
}

}  // namespace dps::contracts
