// Page tokens: opaque, and good only for the filter they were given with.
#include "platform/pg/documents.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dps/referral/v1/referral.pb.h"

namespace dps::platform {
namespace {

using dps::referral::v1::ListReferralsRequest;

ListReferralsRequest OpenReferralsOf(const std::string& system) {
  ListReferralsRequest request;
  request.set_system_id(system);
  request.add_states(dps::referral::v1::REFERRAL_STATE_OPEN);
  request.mutable_page()->set_page_size(2);
  return request;
}

TEST_CASE("a page token carries the position without showing it") {
  ListReferralsRequest request = OpenReferralsOf("sys-1");
  absl::StatusOr<Page> first = ToPage(request);
  REQUIRE(first.ok());
  CHECK(first->size == 2);
  CHECK(first->after_id.empty());
  const std::string token = first->TokenAfter("ref-00000000000000000042");
  CHECK(token.find("ref-") == std::string::npos);
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);

  request.mutable_page()->set_page_token(token);
  request.mutable_page()->set_page_size(7);  // the size may change from page to page
  absl::StatusOr<Page> next = ToPage(request);
  REQUIRE(next.ok());
  CHECK(next->after_id == "ref-00000000000000000042");
  CHECK(next->size == 7);
}

TEST_CASE("a page token used with another filter is refused naming page.page_token") {
  ListReferralsRequest request = OpenReferralsOf("sys-1");
  const std::string token = ToPage(request)->TokenAfter("ref-1");
  ListReferralsRequest other = OpenReferralsOf("sys-2");
  other.mutable_page()->set_page_token(token);
  absl::StatusOr<Page> refused = ToPage(other);
  CHECK(absl::IsInvalidArgument(refused.status()));
  CHECK(refused.status().message().rfind("page.page_token: ", 0) == 0);

  ListReferralsRequest more_states = OpenReferralsOf("sys-1");
  more_states.add_states(dps::referral::v1::REFERRAL_STATE_CLOSED);
  more_states.mutable_page()->set_page_token(token);
  CHECK(absl::IsInvalidArgument(ToPage(more_states).status()));
}

TEST_CASE("a record id or any text the server did not issue is not a page token") {
  for (const std::string& token :
       std::vector<std::string>{"ref-1", "not-a-token", "AQ", "%%%", std::string(5000, 'A')}) {
    INFO(token.substr(0, 20));
    ListReferralsRequest request = OpenReferralsOf("sys-1");
    request.mutable_page()->set_page_token(token);
    CHECK(ToPage(request).status() ==
          absl::InvalidArgumentError("page.page_token: not a token this list gave"));
  }
}

TEST_CASE("a page size out of range or a list filter time out of range is refused") {
  ListReferralsRequest request = OpenReferralsOf("sys-1");
  request.mutable_page()->set_page_size(501);
  CHECK(ToPage(request).status().message().rfind("page.page_size: ", 0) == 0);
  request.mutable_page()->set_page_size(0);
  CHECK(ToPage(request)->size == 50);
  request.mutable_created_after()->set_seconds(253402300800);
  CHECK(ToPage(request).status().message().rfind("created_after: must be between", 0) == 0);
}

}  // namespace
}  // namespace dps::platform
