#include "platform/grpc/call_metrics.h"

#include "absl/strings/str_cat.h"

namespace dps::platform {
namespace {

// Seconds. Finer than Prometheus's defaults at the low end: most of our calls take well under a
// millisecond on a quiet machine, and the latency alerts need buckets round 100-250 ms.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return kBuckets;
}

}  // namespace

std::string GrpcCodeLabel(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "Canceled";
    case grpc::StatusCode::UNKNOWN:
      return "Unknown";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "InvalidArgument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DeadlineExceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "NotFound";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "AlreadyExists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PermissionDenied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "ResourceExhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FailedPrecondition";
    case grpc::StatusCode::ABORTED:
      return "Aborted";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OutOfRange";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "Unimplemented";
    case grpc::StatusCode::INTERNAL:
      return "Internal";
    case grpc::StatusCode::UNAVAILABLE:
      return "Unavailable";
    case grpc::StatusCode::DATA_LOSS:
      return "DataLoss";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "Unauthenticated";
    default:
      return absl::StrCat("Code(", static_cast<int>(code), ")");
  }
}

std::pair<std::string, std::string> SplitGrpcMethod(std::string_view full_method) {
  if (full_method.size() > 1 && full_method.front() == '/') {
    const auto slash = full_method.find('/', 1);
    if (slash != std::string_view::npos && slash + 1 < full_method.size()) {
      return {std::string(full_method.substr(1, slash - 1)),
              std::string(full_method.substr(slash + 1))};
    }
  }
  return {"unknown", std::string(full_method)};
}

std::string GrpcTypeLabel(int rpc_type) {
  switch (rpc_type) {
    case 0:
      return "unary";
    case 1:
      return "client_stream";
    case 2:
      return "server_stream";
    case 3:
      return "bidi_stream";
    default:
      return "unknown";
  }
}

GrpcCallMetrics::GrpcCallMetrics(prometheus::Registry& registry, const std::string& side)
    : started_(prometheus::BuildCounter()
                   .Name(absl::StrCat("grpc_", side, "_started_total"))
                   .Help(absl::StrCat("gRPC calls started on the ", side))
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name(absl::StrCat("grpc_", side, "_handled_total"))
                   .Help(absl::StrCat("gRPC calls completed on the ", side,
                                      ", whatever their status code"))
                   .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name(absl::StrCat("grpc_", side, "_handling_seconds"))
                   .Help(absl::StrCat("Time from a call's start to its status, on the ", side))
                   .Register(registry)) {}

GrpcCallMetrics::Call GrpcCallMetrics::Started(int rpc_type, std::string_view full_method) {
  auto [service, method] = SplitGrpcMethod(full_method);
  Call call;
  call.labels = {{"grpc_type", GrpcTypeLabel(rpc_type)},
                 {"grpc_service", std::move(service)},
                 {"grpc_method", std::move(method)}};
  started_.Add(call.labels).Increment();
  call.handled = &handled_;
  call.latency = &latency_.Add(call.labels, LatencyBuckets());
  return call;
}

void GrpcCallMetrics::Handled(const Call& call, grpc::StatusCode code, double seconds) {
  if (call.handled == nullptr) return;
  std::map<std::string, std::string> labels = call.labels;
  labels.emplace("grpc_code", GrpcCodeLabel(code));
  call.handled->Add(labels).Increment();
  call.latency->Observe(seconds);
}

}  // namespace dps::platform
