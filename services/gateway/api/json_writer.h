// A reply as JSON, written by the gateway itself: the proto3 JSON mapping with the field names as
// the protos spell them and every field that has no presence printed even at its default (an
// empty list as [], a zero as 0, an empty string as ""), as protobuf's own printer does with
// preserve_proto_field_names and always_print_primitive_fields. Protobuf's printer builds a tree
// of nodes for every reply to find the fields left at their defaults, which was most of the
// gateway's own CPU for a read (README.md, "REST gateway"); this walks the message once through
// its reflection and appends to one string. A test checks it against protobuf's printer for every
// message of the API.
//
// Well-known types: Timestamp as RFC 3339 (UTC, with 0, 3, 6 or 9 fractional digits). A message
// holding any other google.protobuf type is refused with Unimplemented, and the caller prints it
// with protobuf's printer instead.
#ifndef DPS_SERVICES_GATEWAY_API_JSON_WRITER_H_
#define DPS_SERVICES_GATEWAY_API_JSON_WRITER_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"

namespace dps::gateway {

// Appends `message` as JSON to `out`. On an error `out` is left as it was. InvalidArgument for a
// Timestamp outside 0001-01-01 to 9999-12-31 (as protobuf's printer), Unimplemented for another
// well-known type.
absl::Status AppendJson(const google::protobuf::Message& message, std::string& out);

}  // namespace dps::gateway

#endif  // DPS_SERVICES_GATEWAY_API_JSON_WRITER_H_
