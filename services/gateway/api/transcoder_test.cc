#include "services/gateway/api/transcoder.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "testing/widgets.pb.h"

namespace dps::gateway {
namespace {

namespace http = boost::beast::http;
namespace test = dps::gatewaytest::v1;

const RouteTable& Routes() {
  static const RouteTable* table = new RouteTable(
      *RouteTable::Build({test::Widget::descriptor()->file()->FindServiceByName("WidgetService")}));
  return *table;
}

RouteMatch Match(http::verb method, const std::string& path) {
  std::optional<RouteMatch> match = Routes().Find(method, path);
  REQUIRE(match.has_value());
  return *match;
}

template <typename T>
T Built(const RouteMatch& match, const HttpRequestParts& parts) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = BuildRequest(match, parts);
  INFO(message.status().message());
  REQUIRE(message.ok());
  T typed;
  typed.CopyFrom(**message);
  return typed;
}

std::string Refusal(const RouteMatch& match, const HttpRequestParts& parts) {
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = BuildRequest(match, parts);
  REQUIRE(!message.ok());
  CHECK(message.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(message.status().message());
}

TEST_CASE("A GET takes its fields from the path and the query string") {
  const auto request = Built<test::ListWidgetsRequest>(
      Match(http::verb::get, "/v1/shelves/s%201/widgets"),
      {.query = "colours=COLOUR_RED&colours=COLOUR_BLUE&made_after=2027-01-02T03:04:05Z"
                "&includeRetired=true&page.pageSize=10&page.page_token=t%2B1"
                "&min_price_pence=-5"});
  CHECK(request.shelf_id() == "s 1");
  REQUIRE(request.colours_size() == 2);
  CHECK(request.colours(1) == test::COLOUR_BLUE);
  CHECK(request.made_after().seconds() == 1798859045);
  CHECK(request.include_retired());
  CHECK(request.page().page_size() == 10);
  CHECK(request.page().page_token() == "t+1");
  CHECK(request.min_price_pence() == -5);
}

TEST_CASE("Query parameters are checked and named in errors") {
  const RouteMatch list = Match(http::verb::get, "/v1/shelves/s/widgets");
  CHECK(Refusal(list, {.query = "colour=COLOUR_RED"}) ==
        "query parameter colour: unknown; the parameters are the fields of ListWidgetsRequest "
        "(see /v1/openapi.json)");
  CHECK(Refusal(list, {.query = "colours=PURPLE"}) ==
        "query parameter colours: must be a value of Colour by name (e.g. COLOUR_RED), got "
        "\"PURPLE\"");
  CHECK(Refusal(list, {.query = "page.page_size=ten"}) ==
        "query parameter page.page_size: must be a whole number, got \"ten\"");
  CHECK(Refusal(list, {.query = "page.page_size=1&page.page_size=2"}) ==
        "query parameter page.page_size: given twice");
  CHECK(Refusal(list, {.query = "made_after=yesterday"}) ==
        "query parameter made_after: must be an RFC 3339 time such as 2027-03-15T17:00:00Z, got "
        "\"yesterday\"");
  CHECK(Refusal(list, {.query = "shelf_id=other"}) ==
        "query parameter shelf_id: given in the path already");
  CHECK(Refusal(list, {.query = "page=1"}) ==
        "query parameter page: names a group of fields; give one of them (query parameter "
        "page.<field>)");
  CHECK(Refusal(list, {.query = "a=%zz"}) == "query: a malformed %-escape");
  CHECK(Refusal(list, {.body = "{}"}) ==
        "body: GET /v1/shelves/{shelf_id}/widgets takes no body; its fields are query parameters");
}

TEST_CASE("A change takes its body as the request, the path and the Idempotency-Key") {
  const auto request = Built<test::CreateWidgetRequest>(
      Match(http::verb::post, "/v1/shelves/s-1/widgets"),
      {.body = R"({"spec": {"name": "Anvil", "colour": "COLOUR_RED", "parts": [{"code": "p",
                 "price_pence": "250"}]}})",
       .content_type = "application/json; charset=utf-8",
       .idempotency_key = "k-1"});
  CHECK(request.shelf_id() == "s-1");
  CHECK(request.idempotency_key() == "k-1");
  CHECK(request.spec().name() == "Anvil");
  CHECK(request.spec().parts(0).price_pence() == 250);
}

TEST_CASE("A change is refused without an Idempotency-Key, or with a body that disagrees") {
  const RouteMatch create = Match(http::verb::post, "/v1/shelves/s-1/widgets");
  CHECK(Refusal(create, {.body = "{}", .content_type = "application/json"})
            .starts_with("Idempotency-Key: required on every change"));
  CHECK(Refusal(create, {.body = R"({"idempotency_key": "a"})",
                         .content_type = "application/json",
                         .idempotency_key = "b"}) ==
        "idempotency_key: differs from the Idempotency-Key header; send it in the header only");
  CHECK(Refusal(create, {.body = R"({"shelf_id": "other"})",
                         .content_type = "application/json",
                         .idempotency_key = "k"}) ==
        "shelf_id: the body gives another value than the path; leave it out");
  CHECK(Refusal(create, {.body = "{}", .content_type = "text/plain", .idempotency_key = "k"})
            .starts_with(kUnsupportedMediaType));
  CHECK(Refusal(create, {.query = "x=1", .idempotency_key = "k"}) ==
        "query parameter x: not accepted; this call takes its fields in the JSON body");
  CHECK(Refusal(create, {.body = R"({"spec": {"parts": "no"}})",
                         .content_type = "application/json",
                         .idempotency_key = "k"}) == "spec.parts: must be an array");
  CHECK(Refusal(create, {.body = R"({"spec": {"colour": "COLOUR_GREEN"}})",
                         .content_type = "application/json",
                         .idempotency_key = "k"})
            .starts_with("body: "));
  // A custom method with no body at all is fine: the path and the key say everything.
  const auto polish = Built<test::PolishWidgetRequest>(
      Match(http::verb::post, "/v1/widgets/w-1:polish"), {.idempotency_key = "k-2"});
  CHECK(polish.id() == "w-1");
}

TEST_CASE("Replies are JSON with the proto field names and every field") {
  test::Widget widget;
  widget.set_id("w-1");
  widget.mutable_spec()->set_name("Anvil");
  widget.mutable_spec()->add_parts()->set_price_pence(1234567890123);
  absl::StatusOr<HttpBody> body = RenderReply(Routes().routes()[0], widget);
  REQUIRE(body.ok());
  CHECK(body->content_type == "application/json");
  const auto json = nlohmann::json::parse(body->body);
  CHECK(json["id"] == "w-1");
  CHECK(json["shelf_id"] == "");  // printed though empty
  CHECK(json["version"] == 0);
  CHECK(json["spec"]["colour"] == "COLOUR_UNSPECIFIED");
  CHECK(json["spec"]["parts"][0]["price_pence"] == "1234567890123");
}

TEST_CASE("A document route returns its bytes with their media type") {
  test::RenderedWidget rendered;
  rendered.set_content(std::string("%PDF-1.5\0binary", 15));
  rendered.set_media_type("application/pdf");
  absl::StatusOr<HttpBody> body = RenderReply(Routes().routes()[4], rendered);
  REQUIRE(body.ok());
  CHECK(body->content_type == "application/pdf");
  CHECK(body->body == std::string("%PDF-1.5\0binary", 15));
}

TEST_CASE("An error naming a request field points at it") {
  const Route& create = Routes().routes()[2];
  std::optional<ErrorLocation> at = LocateError(create, "spec.parts[2].price_pence: must be > 0");
  REQUIRE(at.has_value());
  CHECK(at->pointer == "/spec/parts/2/price_pence");
  at = LocateError(create, "spec.counts[\"a/b\"]: too many");
  REQUIRE(at.has_value());
  CHECK(at->pointer == "/spec/counts/a~1b");
  CHECK(!LocateError(create, "widget is RETIRED: cannot change").has_value());
  CHECK(!LocateError(create, "no colon here").has_value());
  CHECK(!LocateError(create, "spec.nothing: x").has_value());
  const Route& list = Routes().routes()[1];
  at = LocateError(list, "page.page_size: must be at most 500");
  REQUIRE(at.has_value());
  CHECK(at->pointer.empty());
  CHECK(at->parameter == "page");
}

}  // namespace
}  // namespace dps::gateway
