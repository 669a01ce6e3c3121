// The REST gateway in front of every real service process (real PostgreSQL, Redis and gRPC):
// every route reaches its service, tokens are checked, forged identities are worthless, the
// transport's limits hold, idempotency keys behave, roles see what they may, and the OpenAPI
// document is the route table.
#include <cjose/cjose.h>
#include <grpcpp/grpcpp.h>
#include <openssl/hmac.h>
#include <prometheus/text_serializer.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "dps/referral/v1/referral.grpc.pb.h"
#include "dps/scoring/v1/scoring.grpc.pb.h"
#include "platform/auth/jwt.h"
#include "platform/auth/testing/test_identity.h"
#include "platform/pg/idempotency.h"
#include "services/gateway/api/openapi.h"
#include "services/gateway/api/route_table.h"
#include "tests/support/suite.h"
#include "tools/api_client/http_client.h"

namespace dps::testing {

using api_client::Api;
using api_client::Headers;
using api_client::Http;
using api_client::HttpResult;

namespace {

using dps::common::v1::Role;
using Json = nlohmann::json;

const platform::auth::testing::TestIdentityProvider& Identity() {
  return platform::auth::testing::TestIdentityProvider::Shared();
}

std::string Lead() { return Suite::Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex"); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The path of a route with every variable filled: numbers where the field is a number, the
// audit chain's name where the route names one, a made-up id otherwise.
std::string Filled(const gateway::Route& route) {
  std::string path;
  for (const gateway::Segment& segment : route.segments) {
    path += "/";
    if (!segment.variable()) {
      path += segment.literal;
    } else if (segment.fields.back()->cpp_type() !=
               google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      path += "1";
    } else if (segment.field_path == "service") {
      path += "qualification";
    } else {
      path += "no-such-record";
    }
  }
  if (!route.verb.empty()) path += ":" + route.verb;
  return path;
}

TEST_CASE("Every route in the table reaches its service through the gateway") {
  Suite suite;
  absl::StatusOr<gateway::RouteTable> routes = gateway::RouteTable::Build(gateway::DpsServices());
  REQUIRE(routes.ok());
  REQUIRE(routes->routes().size() >= 133);
  const std::string token = Lead();
  int key = 0;
  for (const gateway::Route& route : routes->routes()) {
    Headers headers;
    if (route.idempotency_key != nullptr) {
      headers.emplace_back("Idempotency-Key", absl::StrCat("every-route-", ++key));
    }
    const HttpResult result =
        Api(suite.gateway_port(), token, std::string(boost::beast::http::to_string(route.method)),
            Filled(route), route.body ? "{}" : "", headers);
    INFO(route.Label() << " answered " << result.status << " " << result.body);
    // Whatever the service said (a record not found, a field required, a role refused), it was
    // the service that said it: the gateway neither failed to route nor refused the request.
    CHECK(result.status != 0);
    CHECK(result.status != 401);
    CHECK(result.status != 405);
    CHECK(result.Json().value("detail", "") != "no resource at this path");
  }
  // And the gateway's own count of calls names every RPC.
  const std::string metrics = Http(suite.metrics_port("gateway"), "GET", "/metrics").body;
  for (const gateway::Route& route : routes->routes()) {
    INFO(route.grpc_method);
    CHECK(metrics.find(absl::StrCat("method=\"", route.grpc_method, "\"")) != std::string::npos);
  }
}

// A token with a header and claims as given, signed by the test users' key.
std::string Forge(const Json& header, const Json& payload) {
  const std::string text = payload.dump();
  cjose_err err;
  cjose_header_t* h = cjose_header_new(&err);
  for (const auto& [name, value] : header.items()) {
    cjose_header_set(h, name.c_str(), value.get<std::string>().c_str(), &err);
  }
  cjose_jws_t* jws =
      cjose_jws_sign(Identity().user_key().jwk(), h, reinterpret_cast<const uint8_t*>(text.data()),
                     text.size(), &err);
  const char* compact = nullptr;
  cjose_jws_export(jws, &compact, &err);
  std::string token(compact);
  cjose_jws_release(jws);
  cjose_header_release(h);
  return token;
}

Json Claims() {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  return {{"iss", platform::auth::testing::kTestIssuer},
          {"aud", platform::auth::testing::kTestAudience},
          {"sub", "officer-1"},
          {"dps_role", "ROLE_PLACING_OFFICER"},
          {"dps_org", "brighton-and-hove"},
          {"exp", now + 600},
          {"nbf", now}};
}

TEST_CASE("Every token fault is refused at the gateway with 401") {
  Suite suite;
  const int port = suite.gateway_port();
  const Json header = {{"alg", "ES256"}, {"kid", Identity().user_key().kid()}};
  auto status_with = [&](const std::string& token) {
    return Api(port, token, "GET", "/v1/referrals").status;
  };
  REQUIRE(status_with(Forge(header, Claims())) == 200);

  auto with = [&](const char* name, Json value) {
    Json claims = Claims();
    if (value.is_null()) {
      claims.erase(name);
    } else {
      claims[name] = value;
    }
    return Forge(header, claims);
  };
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  CHECK(status_with(with("exp", now - 120)) == 401);  // expired
  CHECK(status_with(with("nbf", now + 600)) == 401);  // not yet valid
  CHECK(status_with(with("iss", "https://someone-else.example")) == 401);
  CHECK(status_with(with("aud", "another-api")) == 401);
  CHECK(status_with(with("dps_role", "ROLE_SERVICE")) == 401);  // users are never services
  CHECK(status_with(with("dps_org", nullptr)) == 401);
  Json unknown_kid = header;
  unknown_kid["kid"] = "someone-elses-key";
  CHECK(status_with(Forge(unknown_kid, Claims())) == 401);
  Json jku = header;
  jku["jku"] = "https://evil.example/keys.json";
  CHECK(status_with(Forge(jku, Claims())) == 401);
  // alg none: the claims with no signature at all.
  const std::string none = absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"none"})"), ".",
                                        absl::WebSafeBase64Escape(Claims().dump()), ".");
  CHECK(status_with(none) == 401);
  // HS256 keyed with the public key (the classic confusion): the key decides, not the token.
  const std::string public_jwk = Identity().user_key().PublicJwk();
  const std::string signing_input =
      absl::StrCat(absl::WebSafeBase64Escape(
                       Json({{"alg", "HS256"}, {"kid", Identity().user_key().kid()}}).dump()),
                   ".", absl::WebSafeBase64Escape(Claims().dump()));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), public_jwk.data(), static_cast<int>(public_jwk.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_length);
  CHECK(status_with(absl::StrCat(signing_input, ".",
                                 absl::WebSafeBase64Escape(std::string(reinterpret_cast<char*>(mac),
                                                                       mac_length)))) == 401);
  // A good token with its payload changed.
  std::string tampered = Forge(header, Claims());
  const auto first_dot = tampered.find('.');
  const auto second_dot = tampered.find('.', first_dot + 1);
  Json admin = Claims();
  admin["dps_role"] = "ROLE_LEAD_AUTHORITY_ADMIN";
  tampered.replace(first_dot + 1, second_dot - first_dot - 1,
                   absl::WebSafeBase64Escape(admin.dump()));
  CHECK(status_with(tampered) == 401);
  CHECK(status_with("not-a-token") == 401);
  const HttpResult refused = Api(port, "not-a-token", "GET", "/v1/referrals");
  CHECK(refused.Header("www-authenticate") == "Bearer realm=\"dps\", error=\"invalid_token\"");
  CHECK(refused.Header("content-type") == "application/problem+json");
}

TEST_CASE("Every service refuses a caller that only claims an identity in metadata") {
  Suite suite;
  auto forged = [](grpc::ClientContext& context) {
    context.AddMetadata("x-dps-user", "admin");
    context.AddMetadata("x-dps-role", "ROLE_LEAD_AUTHORITY_ADMIN");
    context.AddMetadata("x-dps-organisation", "west-sussex");
  };
  auto channel = [&](const std::string& service) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", suite.grpc_port(service)),
                               grpc::InsecureChannelCredentials());
  };
  {
    auto stub = dps::qualification::v1::QualificationService::NewStub(channel("qualification"));
    grpc::ClientContext context;
    forged(context);
    dps::qualification::v1::ListPurchasingSystemsResponse response;
    CHECK(stub->ListPurchasingSystems(&context, {}, &response).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
    grpc::ClientContext with_token;
    Identity().Authorize(with_token, {.user_id = "admin",
                                      .role = Role::ROLE_LEAD_AUTHORITY_ADMIN,
                                      .organisation_id = "west-sussex"});
    CHECK(stub->ListPurchasingSystems(&with_token, {}, &response).ok());
  }
  {
    auto stub = dps::referral::v1::ReferralService::NewStub(channel("referral"));
    grpc::ClientContext context;
    forged(context);
    dps::referral::v1::ListReferralsResponse response;
    CHECK(stub->ListReferrals(&context, {}, &response).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    auto stub = dps::scoring::v1::ScoringService::NewStub(channel("scoring"));
    grpc::ClientContext context;
    forged(context);
    dps::scoring::v1::EvaluateResponse response;
    CHECK(stub->Evaluate(&context, {}, &response).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    // A user's token that claims to be a service is no better.
    auto stub = dps::referral::v1::ReferralService::NewStub(channel("referral"));
    grpc::ClientContext context;
    context.AddMetadata(
        "authorization",
        "Bearer " + Forge({{"alg", "ES256"}, {"kid", Identity().user_key().kid()}}, [] {
          Json claims = Claims();
          claims["dps_role"] = "ROLE_SERVICE";
          return claims;
        }()));
    dps::referral::v1::ListReferralsResponse response;
    CHECK(stub->ListReferrals(&context, {}, &response).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
}

// Sends raw bytes on a new connection and returns what comes back before the server closes it
// (or the wait ends).
std::string Raw(int port, const std::string& bytes, std::chrono::seconds wait,
                bool* closed = nullptr) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  boost::asio::write(socket, boost::asio::buffer(bytes));
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  socket.non_blocking(true);
  if (closed != nullptr) *closed = false;
  while (std::chrono::steady_clock::now() < deadline) {
    char buffer[4096];
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(boost::asio::buffer(buffer), ec);
    if (ec == boost::asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (ec) {
      if (closed != nullptr) *closed = true;
      break;
    }
    received.append(buffer, n);
  }
  return received;
}

TEST_CASE("The gateway's limits: body, headers, nesting, rate, slow clients") {
  Suite suite;
  const int port =
      suite.StartGateway({"DPS_GATEWAY_BODY_LIMIT=2048", "DPS_GATEWAY_HEADER_LIMIT=4096",
                          "DPS_GATEWAY_HEADER_TIMEOUT=1s", "DPS_GATEWAY_BODY_TIMEOUT=1s",
                          "DPS_GATEWAY_RATE=2", "DPS_GATEWAY_BURST=3"});
  const std::string provider = Suite::Token(Role::ROLE_PROVIDER_USER, "limits-provider");

  SECTION("a body over the limit is 413 before it is read") {
    // The header announces 10 MB; the answer comes without the body being sent.
    const std::string answer =
        Raw(port,
            "POST /v1/providers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 10000000\r\n\r\n",
            std::chrono::seconds(5));
    CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  }
  SECTION("headers over the limit are 431") {
    const HttpResult result =
        Http(port, "GET", "/v1/referrals", {{"X-Padding", std::string(8000, 'x')}});
    CHECK(result.status == 431);
  }
  SECTION("JSON nested past 32 levels is 400 naming the rule") {
    std::string deep = R"({"spec": {"name": )";
    for (int i = 0; i < 40; ++i) deep += "[";
    const HttpResult result =
        Api(port, provider, "POST", "/v1/providers", deep, {{"Idempotency-Key", "deep-1"}});
    CHECK(result.status == 400);
    CHECK(result.Json()["detail"] == "body: nested deeper than 32 levels");
  }
  SECTION("a caller over its rate gets 429 with Retry-After; others are not slowed") {
    int limited = 0;
    std::string retry_after;
    for (int i = 0; i < 10; ++i) {
      const HttpResult result = Api(port, provider, "GET", "/v1/inbox");
      if (result.status == 429) {
        ++limited;
        retry_after = result.Header("retry-after");
      }
    }
    CHECK(limited >= 5);
    CHECK(retry_after == "1");
    CHECK(Api(port, Suite::Token(Role::ROLE_PROVIDER_USER, "another-provider"), "GET", "/v1/inbox")
              .status == 200);
  }
  SECTION("a client that sends its headers too slowly is cut off") {
    bool closed = false;
    const std::string answer =
        Raw(port, "GET /v1/referrals HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5), &closed);
    CHECK(closed);
    CHECK(answer.empty());
  }
  SECTION("a client that promises a body and does not send it is cut off") {
    bool closed = false;
    Raw(port,
        "POST /v1/providers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n{",
        std::chrono::seconds(5), &closed);
    CHECK(closed);
  }
}

TEST_CASE("Idempotency-Key: a replay gives the first answer, another body 422, in flight 409") {
  Suite suite;
  const int port = suite.gateway_port();
  const std::string provider = Suite::Token(Role::ROLE_PROVIDER_USER, "idem-provider");
  const std::string body = R"({"spec": {"name": "Idem Care Ltd"}})";
  const HttpResult first =
      Api(port, provider, "POST", "/v1/providers", body, {{"Idempotency-Key", "register-1"}});
  REQUIRE(first.status == 200);
  const HttpResult replay =
      Api(port, provider, "POST", "/v1/providers", body, {{"Idempotency-Key", "register-1"}});
  CHECK(replay.status == 200);
  CHECK(replay.Json()["id"] == first.Json()["id"]);
  const HttpResult other =
      Api(port, provider, "POST", "/v1/providers", R"({"spec": {"name": "Another name"}})",
          {{"Idempotency-Key", "register-1"}});
  CHECK(other.status == 422);
  CHECK(Api(port, provider, "POST", "/v1/providers", body).status == 400);  // no key

  // Another request with the same key still being served holds the key's lock: the repeat is
  // told 409 at once rather than waiting or running twice.
  pqxx::connection connection(suite.db_url());
  pqxx::nontransaction holder(connection);
  const std::string lock_name =
      platform::IdempotencyLockName({.scope = "idem-provider/UpdateProvider", .key = "update-1"});
  holder.exec_params("SELECT pg_advisory_lock(hashtextextended($1, 0))", lock_name);
  const std::string update =
      absl::StrCat(R"({"spec": {"name": "Idem Care (South) Ltd"}, "expected_version": )",
                   first.Json()["version"].dump(), "}");
  const std::string path = absl::StrCat("/v1/providers/", first.Json()["id"].get<std::string>());
  const HttpResult in_flight =
      Api(port, provider, "PUT", path, update, {{"Idempotency-Key", "update-1"}});
  CHECK(in_flight.status == 409);
  CHECK(in_flight.Json()["detail"] ==
        "idempotency_key: a request with this key is still being served; retry shortly");
  holder.exec_params("SELECT pg_advisory_unlock(hashtextextended($1, 0))", lock_name);
  const HttpResult retried =
      Api(port, provider, "PUT", path, update, {{"Idempotency-Key", "update-1"}});
  INFO(retried.body);
  CHECK(retried.status == 200);
}

TEST_CASE("The OpenAPI document is the route table, both ways, and the one in the repository") {
  Suite suite;
  const HttpResult served = Http(suite.gateway_port(), "GET", "/v1/openapi.json");
  REQUIRE(served.status == 200);
  CHECK(served.body == ReadFile(absl::StrCat(DPS_SOURCE_DIR, "/proto/openapi.json")));
  const Json document = served.Json();
  absl::StatusOr<gateway::RouteTable> routes = gateway::RouteTable::Build(gateway::DpsServices());
  REQUIRE(routes.ok());
  // Compared by shape: a path shared by two methods is written once, with one set of variable
  // names, while each route names its variable after its own request's field.
  const std::regex variable("\\{[^}]*\\}");
  std::set<std::tuple<std::string, std::string, std::string>> from_routes, from_document;
  for (const gateway::Route& route : routes->routes()) {
    std::string method(boost::beast::http::to_string(route.method));
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    from_routes.emplace(std::regex_replace(route.path_template, variable, "{}"), method,
                        absl::StrCat(route.rpc->service()->name(), "_", route.rpc->name()));
  }
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      from_document.emplace(std::regex_replace(path, variable, "{}"), method,
                            operation["operationId"].get<std::string>());
    }
  }
  CHECK(from_routes.size() == routes->routes().size());
  CHECK(from_routes == from_document);
}

}  // namespace
}  // namespace dps::testing

namespace dps::testing {
namespace {

// Who is asking, in the demo world: West Sussex leads the system; Brighton and Hove placed the
// referrals; East Sussex takes part in the system; Kent does not.
struct Caller {
  std::string name;
  std::string token;
};

TEST_CASE(
    "Each role against each resource family: allowed, refused, or not found where "
    "existence is private") {
  Suite suite({.demo_data = true});
  const int port = suite.gateway_port();
  const std::string officer = Suite::Token(Role::ROLE_PLACING_OFFICER, "brighton-and-hove");
  const Json referrals = Api(port, officer, "GET", "/v1/referrals").Json();
  // The demo's three (dps-demo-referrals): two OPEN and one AWARDED; the 13-year-old's has every
  // invitation unanswered.
  REQUIRE(referrals["referrals"].size() == 3);
  Json open;
  for (const Json& each : referrals["referrals"]) {
    if (each["spec"]["children"][0]["age_years"] == 13) open = each;
  }
  REQUIRE_FALSE(open.is_null());
  const std::string referral = open["id"];
  const std::string system = open["spec"]["system_id"];
  const std::string lot = open["spec"]["lot_id"];
  const Json invitations =
      Api(port, officer, "GET", absl::StrCat("/v1/referrals/", referral, "/invitations")).Json();
  REQUIRE(invitations["invitations"].size() >= 2);
  const std::string invited = invitations["invitations"][0]["provider_id"];
  const std::string invitation = invitations["invitations"][0]["id"];

  const std::map<std::string, std::string> tokens = {
      {"LA", Suite::Token(Role::ROLE_LEAD_AUTHORITY_ADMIN, "west-sussex")},
      {"AU", Suite::Token(Role::ROLE_AUDITOR, "west-sussex")},
      {"EV", Suite::Token(Role::ROLE_EVALUATOR, "west-sussex")},
      {"PO", officer},
      {"CO", Suite::Token(Role::ROLE_COMMISSIONER, "brighton-and-hove")},
      {"PO-partner", Suite::Token(Role::ROLE_PLACING_OFFICER, "east-sussex")},
      {"PO-outsider", Suite::Token(Role::ROLE_PLACING_OFFICER, "kent")},
      {"PR-invited", Suite::Token(Role::ROLE_PROVIDER_USER, invited)},
      {"PR-other", Suite::Token(Role::ROLE_PROVIDER_USER, "a-provider-not-invited")}};

  struct Expectation {
    std::string family;
    std::string method;
    std::string path;
    std::map<std::string, int> status;  // caller -> HTTP status
  };
  const std::vector<Expectation> table = {
      {"purchasing system: read",
       "GET",
       absl::StrCat("/v1/purchasingSystems/", system),
       {{"LA", 200}, {"AU", 200}, {"EV", 200}, {"PO", 200}, {"CO", 200}, {"PR-invited", 200}}},
      {"lots: read",
       "GET",
       absl::StrCat("/v1/lots/", lot),
       {{"LA", 200}, {"PO", 200}, {"PR-other", 200}}},
      {"purchasing system: configure",
       "POST",
       absl::StrCat("/v1/purchasingSystems/", system, ":extend"),
       {{"PO", 403}, {"CO", 403}, {"AU", 403}, {"EV", 403}, {"PR-invited", 403}}},
      {"referral: read",
       "GET",
       absl::StrCat("/v1/referrals/", referral),
       {{"PO", 200},
        {"CO", 200},
        {"LA", 200},
        {"AU", 200},
        {"PR-invited", 200},
        {"PO-partner", 404},
        {"PO-outsider", 404},
        {"PR-other", 404}}},
      {"referral: withdraw",
       "POST",
       absl::StrCat("/v1/referrals/", referral, ":withdraw"),
       {{"LA", 403}, {"AU", 403}, {"EV", 403}, {"PR-invited", 403}, {"PO-partner", 404}}},
      {"invitations: list",
       "GET",
       absl::StrCat("/v1/referrals/", referral, "/invitations"),
       {{"PO", 200}, {"CO", 200}, {"PO-partner", 404}, {"PR-other", 403}}},
      {"bids: sealed before close",
       "GET",
       absl::StrCat("/v1/referrals/", referral, "/bids"),
       {{"PO", 403}, {"CO", 403}, {"LA", 403}, {"AU", 403}, {"PR-invited", 200}}},
      {"inbox",
       "GET",
       "/v1/inbox",
       {{"PR-invited", 200}, {"PR-other", 200}, {"PO", 403}, {"LA", 403}, {"AU", 403}}},
      {"decline an invitation",
       "POST",
       absl::StrCat("/v1/invitations/", invitation, ":decline"),
       {{"PO", 403}, {"LA", 403}, {"PR-other", 404}}},
      {"safeguarding alerts: read",
       "GET",
       absl::StrCat("/v1/purchasingSystems/", system, "/safeguardingAlerts"),
       {{"LA", 200}, {"PO", 200}, {"CO", 200}, {"AU", 200}, {"PR-invited", 403}}},
      {"memberships: the live list",
       "GET",
       absl::StrCat("/v1/memberships?lot_id=", lot),
       {{"LA", 200}, {"PO", 200}, {"AU", 200}, {"PO-outsider", 403}}},
      {"applications: read",
       "GET",
       absl::StrCat("/v1/applications?system_id=", system),
       {{"LA", 200}, {"AU", 200}, {"PO", 403}, {"CO", 403}}},
      {"direct awards: list",
       "GET",
       "/v1/directAwards",
       {{"PO", 200}, {"CO", 200}, {"PR-invited", 403}}},
      // Each service's chain, reached by the service named in the path.
      {"audit log: list",
       "GET",
       "/v1/auditLogs/referral/entries",
       {{"LA", 200}, {"AU", 200}, {"PO", 200}, {"CO", 200}, {"EV", 403}, {"PR-invited", 403}}},
      {"audit log: another authority's entries",
       "GET",
       "/v1/auditLogs/qualification/entries?authority_id=west-sussex",
       {{"PO", 403}, {"CO", 403}}},
      {"audit log: another system's entries",
       "GET",
       "/v1/auditLogs/contracts/entries?system_id=a-system-west-sussex-does-not-lead",
       {{"LA", 403}, {"AU", 403}}},
      {"audit log: an entry",
       "GET",
       "/v1/auditLogs/contracts/entries/999999",
       {{"LA", 404}, {"PR-invited", 403}}},
      {"audit log: verify",
       "GET",
       "/v1/auditLogs/qualification:verify",
       {{"LA", 200}, {"AU", 200}, {"PO", 200}, {"PR-other", 403}}},
  };
  int key = 0;
  for (const Expectation& row : table) {
    for (const auto& [who, expected] : row.status) {
      const HttpResult result =
          Api(port, tokens.at(who), row.method, row.path, row.method == "GET" ? "" : "{}",
              row.method == "GET" ? Headers{}
                                  : Headers{{"Idempotency-Key", absl::StrCat("matrix-", ++key)}});
      INFO(row.family << " as " << who << ": " << result.status << " " << result.body);
      // A refused change is refused before anything else about it is checked: 400 would mean
      // the caller learned something about the request's rules it may not use.
      CHECK(result.status == expected);
    }
  }
}

TEST_CASE(
    "Each service keeps its audit chain, signs checkpoints of it, and verifies it through "
    "the gateway") {
  Suite suite({.demo_data = true, .service_env = {"DPS_AUDIT_CHECKPOINT_INTERVAL=1s"}});
  const int port = suite.gateway_port();
  // The demo data set up West Sussex's system through the qualification service: those changes
  // are in its chain, readable by the lead authority, once chained and covered by a checkpoint
  // (each within a second or two; waited for, never timed).
  Json verdict;
  for (int attempt = 0; attempt < 300; ++attempt) {
    const HttpResult result = Api(port, Lead(), "GET", "/v1/auditLogs/qualification:verify");
    REQUIRE(result.status == 200);
    verdict = result.Json();
    if (verdict.value("detail", "").find("against 0 checkpoints") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO(verdict.dump());
  CHECK(verdict.value("intact", false));
  CHECK(std::stoll(verdict.value("entries_checked", "0")) > 0);
  CHECK(verdict.value("detail", "").find("against 0 checkpoints") == std::string::npos);

  const HttpResult listed =
      Api(port, Lead(), "GET", "/v1/auditLogs/qualification/entries?page.page_size=5");
  REQUIRE(listed.status == 200);
  const Json entries = listed.Json().value("entries", Json::array());
  REQUIRE_FALSE(entries.empty());
  CHECK(entries[0].value("sequence", "") == "1");
  CHECK(entries[0].value("hash", "").size() == 64);

  const HttpResult one = Api(port, Lead(), "GET", "/v1/auditLogs/qualification/entries/1");
  CHECK(one.status == 200);
  CHECK(one.Json().value("hash", "") == entries[0].value("hash", ""));
  // Another chain than the path names is refused, not silently swapped.
  CHECK(Api(port, Lead(), "GET", "/v1/auditLogs/billing/entries").status >= 400);
}

}  // namespace
}  // namespace dps::testing
