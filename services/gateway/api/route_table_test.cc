#include "services/gateway/api/route_table.h"

#include <google/protobuf/descriptor.pb.h>

#include <catch2/catch.hpp>

#include "google/api/annotations.pb.h"
#include "testing/widgets.pb.h"

namespace dps::gateway {
namespace {

namespace http = boost::beast::http;
namespace test = dps::gatewaytest::v1;

const google::protobuf::ServiceDescriptor* Widgets() {
  return test::Widget::descriptor()->file()->FindServiceByName("WidgetService");
}

RouteTable WidgetRoutes() {
  absl::StatusOr<RouteTable> table = RouteTable::Build({Widgets()});
  REQUIRE(table.ok());
  return *std::move(table);
}

TEST_CASE("Every RPC with a rule becomes a route served by its package's process") {
  const RouteTable table = WidgetRoutes();
  REQUIRE(table.routes().size() == 6);
  const Route& get = table.routes()[0];
  CHECK(get.Label() == "GET /v1/widgets/{id}");
  CHECK(get.grpc_method == "/dps.gatewaytest.v1.WidgetService/GetWidget");
  CHECK(get.backend == "gatewaytest");
  CHECK(!get.body);
  CHECK(get.idempotency_key == nullptr);
  const Route& create = table.routes()[2];
  CHECK(create.body);
  CHECK(create.idempotency_key != nullptr);
  CHECK(table.routes()[4].response_body != nullptr);
}

TEST_CASE("A path finds its route and binds its variables, decoded") {
  const RouteTable table = WidgetRoutes();
  std::optional<RouteMatch> match = table.Find(http::verb::get, "/v1/widgets/w%2D1");
  REQUIRE(match.has_value());
  CHECK(match->route->rpc->name() == "GetWidget");
  REQUIRE(match->bindings.size() == 1);
  CHECK(match->bindings[0].first->field_path == "id");
  CHECK(match->bindings[0].second == "w-1");

  match = table.Find(http::verb::post, "/v1/widgets/w-2:polish");
  REQUIRE(match.has_value());
  CHECK(match->route->rpc->name() == "PolishWidget");
  CHECK(match->bindings[0].second == "w-2");

  match = table.Find(http::verb::get, "/v1/shelves/s-1/widgets:stream");
  REQUIRE(match.has_value());
  CHECK(match->route->rpc->name() == "StreamWidgets");
  match = table.Find(http::verb::get, "/v1/shelves/s-1/widgets");
  REQUIRE(match.has_value());
  CHECK(match->route->rpc->name() == "ListWidgets");
}

TEST_CASE("Paths that match no route are not found and another method is told apart") {
  const RouteTable table = WidgetRoutes();
  CHECK(!table.Find(http::verb::get, "/v1/widgets").has_value());
  CHECK(!table.Find(http::verb::get, "/v1/widgets/w-1/extra").has_value());
  CHECK(!table.Find(http::verb::get, "/v1/widgets/w-1:polish").has_value());
  CHECK(!table.Find(http::verb::post, "/v1/widgets/w-1:shine").has_value());
  CHECK(!table.Find(http::verb::get, "/v1//widgets").has_value());
  CHECK(!table.Find(http::verb::get, "v1/widgets/w-1").has_value());
  CHECK(!table.Find(http::verb::get, "/v1/widgets/%zz").has_value());
  CHECK(!table.Find(http::verb::delete_, "/v1/widgets/w-1").has_value());
  CHECK(table.PathExists("/v1/widgets/w-1"));
  CHECK(!table.PathExists("/v1/gadgets/g-1"));
}

// A service built on the fly with one RPC and the given rule, to test what the table refuses.
absl::Status BuildWith(const google::api::HttpRule& rule, const std::string& input = "Request",
                       bool second_rule = false) {
  static int counter = 0;
  google::protobuf::FileDescriptorProto file;
  file.set_name("bad_" + std::to_string(++counter) + ".proto");
  file.set_package("dps.bad" + std::to_string(counter) + ".v1");
  file.set_syntax("proto3");
  file.add_dependency("google/protobuf/timestamp.proto");
  auto* request = file.add_message_type();
  request->set_name("Request");
  auto* id = request->add_field();
  id->set_name("id"), id->set_number(1),
      id->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING),
      id->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  auto* rich = file.add_message_type();
  rich->set_name("Rich");
  auto* nested = rich->add_field();
  nested->set_name("items"), nested->set_number(1),
      nested->set_type(google::protobuf::FieldDescriptorProto::TYPE_MESSAGE),
      nested->set_type_name(".dps.bad" + std::to_string(counter) + ".v1.Request"),
      nested->set_label(google::protobuf::FieldDescriptorProto::LABEL_REPEATED);
  auto* service = file.add_service();
  service->set_name("BadService");
  for (int i = 0; i < (second_rule ? 2 : 1); ++i) {
    auto* method = service->add_method();
    method->set_name(i == 0 ? "Call" : "Other");
    method->set_input_type(".dps.bad" + std::to_string(counter) + ".v1." + input);
    method->set_output_type(".dps.bad" + std::to_string(counter) + ".v1.Request");
    *method->mutable_options()->MutableExtension(google::api::http) = rule;
  }
  static google::protobuf::DescriptorPool pool(google::protobuf::DescriptorPool::generated_pool());
  const google::protobuf::FileDescriptor* built = pool.BuildFile(file);
  REQUIRE(built != nullptr);
  return RouteTable::Build({built->service(0)}).status();
}

google::api::HttpRule Get(const std::string& path) {
  google::api::HttpRule rule;
  rule.set_get(path);
  return rule;
}

google::api::HttpRule Post(const std::string& path, const std::string& body) {
  google::api::HttpRule rule;
  rule.set_post(path);
  rule.set_body(body);
  return rule;
}

TEST_CASE("Rules the gateway could not serve faithfully stop it from starting") {
  CHECK(BuildWith(Get("/v1/things/{id}")).ok());
  CHECK(std::string(BuildWith(Get("/v1/things/{id=**}")).message())
            .find("must be one whole segment") != std::string::npos);
  CHECK(std::string(BuildWith(Get("/v1/things/{name}")).message()).find("names no scalar field") !=
        std::string::npos);
  CHECK(std::string(BuildWith(Get("/v1/things"), "Rich").message())
            .find("cannot be carried in a query string") != std::string::npos);
  CHECK(std::string(BuildWith(Post("/v1/things", "")).message()).find("takes the whole body") !=
        std::string::npos);
  CHECK(std::string(BuildWith(Post("/v1/things", "id")).message())
            .find("body must be \"*\" or absent") != std::string::npos);
  CHECK(std::string(BuildWith(Get("/v1/things/{id}"), "Request", true).message())
            .find("could match the same requests") != std::string::npos);
  CHECK(std::string(BuildWith(google::api::HttpRule()).message()).find("must use get") !=
        std::string::npos);
}

TEST_CASE("Percent-decoding") {
  CHECK(PercentDecode("a%20b+c", false) == "a b+c");
  CHECK(PercentDecode("a%20b+c", true) == "a b c");
  CHECK(!PercentDecode("%4", false).has_value());
  CHECK(!PercentDecode("%g0", false).has_value());
}

}  // namespace
}  // namespace dps::gateway
