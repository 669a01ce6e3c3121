#include "services/gateway/api/json_body.h"

#include <catch2/catch.hpp>
#include <string>

#include "testing/widgets.pb.h"

namespace dps::gateway {
namespace {

namespace test = dps::gatewaytest::v1;

std::string Check(const std::string& body) {
  const absl::Status status = CheckJsonBody(body, *test::CreateWidgetRequest::descriptor());
  return status.ok() ? "ok" : std::string(status.message());
}

TEST_CASE("A body the message can hold passes, by proto or JSON names") {
  CHECK(Check(R"({"shelf_id": "s", "spec": {"name": "a", "colour": "COLOUR_RED",
                  "parts": [{"code": "x", "price_pence": "12"}], "counts": {"a": 1}}})") == "ok");
  CHECK(Check(R"({"shelfId": "s", "spec": {"parts": [{"pricePence": 12}]}})") == "ok");
  CHECK(Check(R"({"spec": null})") == "ok");
  CHECK(Check("{}") == "ok");
}

TEST_CASE("A repeated key is refused, not merged") {
  CHECK(Check(R"({"shelf_id": "a", "shelf_id": "b"})") ==
        "body: the key \"shelf_id\" appears twice in one object; a key may appear once");
  CHECK(Check(R"({"spec": {"name": "a", "name": "b"}})") ==
        "body: the key \"name\" appears twice in one object; a key may appear once");
  // The same key in two different objects is fine.
  CHECK(Check(R"({"spec": {"parts": [{"code": "a"}, {"code": "b"}]}})") == "ok");
}

TEST_CASE("Unknown members and wrong kinds are refused with their path") {
  CHECK(Check(R"({"shelf": "s"})") == "shelf: unknown field of CreateWidgetRequest");
  CHECK(Check(R"({"spec": {"parts": [{"code": "a"}, {"cost": 1}]}})") ==
        "spec.parts[1].cost: unknown field of Part");
  CHECK(Check(R"({"spec": {"parts": {"code": "a"}}})") == "spec.parts: must be an array");
  CHECK(Check(R"({"spec": {"parts": [[{"code": "a"}]]}})") ==
        "spec.parts[0]: must not be an array");
  CHECK(Check(R"({"spec": "x"})") == "spec: must be an object");
  CHECK(Check(R"({"shelf_id": 7})") == "shelf_id: must be a string");
  CHECK(Check(R"({"spec": {"counts": {"a": "b", "c": [1]}}})") ==
        "spec.counts[\"c\"]: must be a number");
  CHECK(Check(R"({"spec": {"colour": true}})") == "spec.colour: must be an enum value name");
}

TEST_CASE("Deep nesting is refused before it is built") {
  std::string deep = R"({"spec": )";
  for (int i = 0; i < 40; ++i) deep += "[";
  CHECK(Check(deep) == "body: nested deeper than 32 levels");
  // 20 MB of brackets costs no more than the first 33 of them.
  CHECK(Check(std::string(20 << 20, '[')) == "body: nested deeper than 32 levels");
}

TEST_CASE("Not JSON, or not an object, is refused") {
  CHECK(Check("{") == "body: not valid JSON (at byte 2)");
  CHECK(Check("[1]") == "body: must be a JSON object");
  CHECK(Check("\"x\"") == "body: must be a JSON object");
}

TEST_CASE("A long unknown key is quoted short") {
  const std::string key(100000, 'k');
  const std::string message = Check("{\"" + key + "\": 1}");
  CHECK(message.size() < 200);
}

}  // namespace
}  // namespace dps::gateway
