// What a caller is told when a call fails (ToCallerStatus).
#include "platform/grpc/calls.h"

#include <catch2/catch.hpp>

#include "platform/pg/pool.h"

namespace dps::platform {
namespace {

TEST_CASE("a database error reaches the caller with its code and no PostgreSQL text") {
  const pqxx::sql_error unique("ERROR:  duplicate key value violates unique constraint \"lots_pk\"",
                               "INSERT INTO lots VALUES ('secret')", "23505");
  const grpc::Status already = ToCallerStatus(StatusFromPgException(unique), "req-7");
  CHECK(already.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(already.error_message() ==
        "already exists: a concurrent request made it first (request id req-7)");

  const pqxx::sql_error bad("ERROR:  unsupported Unicode escape sequence", "SELECT doc", "22P05");
  const grpc::Status internal = ToCallerStatus(StatusFromPgException(bad), "req-8");
  CHECK(internal.error_code() == grpc::StatusCode::INTERNAL);
  CHECK(internal.error_message() == "internal error (request id req-8)");
}

TEST_CASE("an internal error's text stays in the log") {
  const grpc::Status status =
      ToCallerStatus(absl::InternalError("stored Lot does not parse: {\"secret\": 1}"), "r");
  CHECK(status.error_code() == grpc::StatusCode::INTERNAL);
  CHECK(status.error_message() == "internal error (request id r)");
}

TEST_CASE("a caller's error keeps its text with quoted values cut to 64 characters") {
  CHECK(ToCallerStatus(absl::InvalidArgumentError("spec.code: must be a code, got \"a b\""), "r")
            .error_message() == "spec.code: must be a code, got \"a b\"");
  const std::string huge(1 << 20, 'x');
  const grpc::Status status = ToCallerStatus(
      absl::InvalidArgumentError("spec.code: must be a code, got \"" + huge + "\" (see the lot)"),
      "r");
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() ==
        "spec.code: must be a code, got \"" + std::string(64, 'x') + "...\" (see the lot)");
  CHECK(ToCallerStatus(absl::NotFoundError(std::string(5000, 'y')), "r").error_message().size() <=
        1024 + 3);
}

}  // namespace
}  // namespace dps::platform
