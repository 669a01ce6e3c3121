#include "platform/grpc/request_checks.h"

#include <google/protobuf/descriptor.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "dps/audit/v1/audit.pb.h"
#include "dps/common/v1/limits.pb.h"
#include "dps/contracts/v1/contracts.pb.h"
#include "dps/contracts/v1/market_intelligence.pb.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "dps/scoring/v1/scoring.pb.h"

namespace dps::platform {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

TEST_CASE("a request within its limits passes", "[request_checks]") {
  dps::referral::v1::CreateReferralRequest request;
  request.set_idempotency_key("k-1");
  request.mutable_spec()->set_description(std::string(20'000, 'a'));
  request.mutable_spec()->add_children()->set_child_key("child-1");
  CHECK(CheckRequest(request).ok());
}

TEST_CASE("limits written in the proto are enforced with the field's path", "[request_checks]") {
  dps::referral::v1::CreateReferralRequest request;
  SECTION("too many items") {
    for (int i = 0; i < 100'000; ++i) request.mutable_spec()->add_children();
    CHECK(MessageOf(CheckRequest(request)) ==
          "spec.children: must have at most 50 items, got 100000");
  }
  SECTION("a string too long, counted in characters, never quoted") {
    request.mutable_spec()->set_description(std::string(1 << 20, 'x'));
    const absl::Status status = CheckRequest(request);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(MessageOf(status) == "spec.description: must be at most 20000 characters, got 1048576");
    // Two-byte characters count once each.
    std::string accented;
    for (int i = 0; i < 20'000; ++i) accented += "\xC3\xA9";
    request.mutable_spec()->set_description(accented);
    CHECK(CheckRequest(request).ok());
  }
  SECTION("an element of a repeated message, by index") {
    request.mutable_spec()->add_children()->set_child_key("child-1");
    request.mutable_spec()->add_children()->set_child_key(std::string(17, 'c'));
    CHECK(MessageOf(CheckRequest(request)) ==
          "spec.children[1].child_key: must be at most 16 characters, got 17");
  }
  SECTION("an element of a repeated string") {
    request.mutable_spec()->add_outcomes_sought("fine");
    request.mutable_spec()->add_outcomes_sought(std::string(20'001, 'o'));
    CHECK(MessageOf(CheckRequest(request)) ==
          "spec.outcomes_sought[1]: must be at most 20000 characters, got 20001");
  }
}

TEST_CASE("an enum field must hold one of its enum's values", "[request_checks]") {
  dps::referral::v1::ListReferralsRequest list;
  list.add_states(dps::referral::v1::REFERRAL_STATE_OPEN);
  CHECK(CheckRequest(list).ok());
  list.add_states(static_cast<dps::referral::v1::ReferralState>(99));
  CHECK(MessageOf(CheckRequest(list)) == "states[1]: must be a value of ReferralState, got 99");
  dps::qualification::v1::CreateApplicationRequest application;
  application.set_kind(static_cast<dps::qualification::v1::ApplicationKind>(99));
  CHECK(MessageOf(CheckRequest(application)) == "kind: must be a value of ApplicationKind, got 99");
}

// Every string, bytes and repeated field reachable from a request of `service` that declares no
// limits of its own.
void CollectUnbounded(const Descriptor& type, std::set<std::string>& seen,
                      std::vector<std::string>& unbounded) {
  if (!seen.insert(type.full_name()).second) return;
  if (type.file()->package().rfind("google.protobuf", 0) == 0) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const bool sized = field.is_repeated() || field.cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    if (sized && !field.options().HasExtension(dps::common::v1::limits)) {
      unbounded.push_back(field.full_name());
    }
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectUnbounded(*field.message_type(), seen, unbounded);
    }
  }
}

TEST_CASE("every string and repeated field of every request declares its limits",
          "[request_checks]") {
  // A request type of each file, so the file's descriptors are linked in and its service found.
  const std::vector<const google::protobuf::ServiceDescriptor*> services = {
      dps::qualification::v1::GetApplicationRequest::descriptor()->file()->FindServiceByName(
          "QualificationService"),
      dps::referral::v1::GetReferralRequest::descriptor()->file()->FindServiceByName(
          "ReferralService"),
      dps::scoring::v1::EvaluateRequest::descriptor()->file()->FindServiceByName("ScoringService"),
      dps::contracts::v1::CreateIpaRequest::descriptor()->file()->FindServiceByName(
          "ContractsService"),
      dps::contracts::v1::GetCostBenchmarksRequest::descriptor()->file()->FindServiceByName(
          "MarketIntelligenceService"),
      dps::audit::v1::GetAuditEntryRequest::descriptor()->file()->FindServiceByName(
          "AuditLogService")};
  for (const auto* service : services) REQUIRE(service != nullptr);
  std::set<std::string> seen;
  std::vector<std::string> unbounded;
  for (const auto* service : services) {
    for (int m = 0; m < service->method_count(); ++m) {
      CollectUnbounded(*service->method(m)->input_type(), seen, unbounded);
    }
  }
  INFO("fields without (dps.common.v1.limits): " << unbounded.size());
  for (const std::string& field : unbounded) UNSCOPED_INFO(field);
  CHECK(unbounded.empty());
  CHECK(seen.size() > 100);
}

}  // namespace
}  // namespace dps::platform
