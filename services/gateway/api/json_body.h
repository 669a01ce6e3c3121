// A request body checked before protobuf's JSON parser sees it. Protobuf's parser (3.21) merges a
// repeated key instead of refusing it, flattens arrays nested in arrays, and has no depth limit,
// so every body is first parsed here: a repeated key, nesting past the limit, a member the
// message does not have, or a value of the wrong JSON kind is refused naming its path
// ("spec.needs[2].code: unknown field").
#ifndef DPS_SERVICES_GATEWAY_API_JSON_BODY_H_
#define DPS_SERVICES_GATEWAY_API_JSON_BODY_H_

#include <google/protobuf/descriptor.h>

#include <string_view>

#include "absl/status/status.h"

namespace dps::gateway {

inline constexpr int kMaxJsonDepth = 32;

// OK when `body` is one JSON object that `message` can hold; INVALID_ARGUMENT naming the path
// and the rule otherwise.
absl::Status CheckJsonBody(std::string_view body, const google::protobuf::Descriptor& message,
                           int max_depth = kMaxJsonDepth);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_API_JSON_BODY_H_
