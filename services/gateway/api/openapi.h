// The OpenAPI 3.0 description of the REST API, generated from the same route table the gateway
// serves and from the comments in the .proto files (a descriptor set with source info compiled
// into the gateway), so the description cannot drift from what is served. Served at
// GET /v1/openapi.json and kept in the repository as proto/openapi.json (a test keeps the two
// equal and validates the document).
#ifndef DPS_SERVICES_GATEWAY_API_OPENAPI_H_
#define DPS_SERVICES_GATEWAY_API_OPENAPI_H_

#include <google/protobuf/descriptor.h>

#include <string>

#include "services/gateway/api/route_table.h"

namespace dps::gateway {

// The document, pretty-printed with sorted keys so that it diffs well. `commented` holds the
// same files with their comments; a message or RPC missing from it just has no description.
std::string OpenApiJson(const RouteTable& routes,
                        const google::protobuf::DescriptorPool& commented);

// The descriptor set with source info compiled into the gateway, as a pool.
const google::protobuf::DescriptorPool& CommentedApi();

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_API_OPENAPI_H_
