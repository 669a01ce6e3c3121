// dps-openapi: prints the REST API's OpenAPI document, the one the gateway serves at
// /v1/openapi.json. The copy in the repository is its output:
//   build/services/gateway/dps-openapi > proto/openapi.json
#include <iostream>

#include "services/gateway/api/openapi.h"
#include "services/gateway/api/route_table.h"

int main() {
  absl::StatusOr<dps::gateway::RouteTable> routes =
      dps::gateway::RouteTable::Build(dps::gateway::DpsServices());
  if (!routes.ok()) {
    std::cerr << "dps-openapi: " << routes.status().message() << "\n";
    return 2;
  }
  std::cout << dps::gateway::OpenApiJson(*routes, dps::gateway::CommentedApi());
  return 0;
}
