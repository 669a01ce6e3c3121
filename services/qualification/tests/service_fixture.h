// A QualificationService served over real gRPC on a loopback port, on a freshly migrated
// database of the test PostgreSQL, with a clock the test moves. Callers are named by the
// metadata the gateway would send.
#ifndef DPS_SERVICES_QUALIFICATION_TESTS_SERVICE_FIXTURE_H_
#define DPS_SERVICES_QUALIFICATION_TESTS_SERVICE_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "platform/clock/clock.h"
#include "platform/grpc/caller.h"
#include "platform/grpc/server.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/qualification/api/qualification_service.h"

namespace dps::qualification::testing {

namespace v1 = ::dps::qualification::v1;
using ApiRole = dps::common::v1::Role;

class ServiceFixture {
 public:
  // The clock starts at `start` (UTC).
  explicit ServiceFixture(absl::Time start);
  ~ServiceFixture();

  v1::QualificationService::Stub& stub() { return *stub_; }
  platform::FakeClock& clock() { return clock_; }
  platform::PgPool& pool() { return pool_; }
  // host:port of the service, for another service's client.
  std::string target() const;

  // A client context carrying the caller's identity.
  static std::unique_ptr<grpc::ClientContext> As(ApiRole role, const std::string& organisation,
                                                 const std::string& user = "user-1");

  // A fresh idempotency key.
  static std::string Key();

  // How many outbox events of `type` exist.
  int EventCount(const std::string& type);

  // The payload of the latest outbox event of `type` (an empty envelope when there is none).
  dps::events::v1::EventEnvelope LastEvent(const std::string& type);

 private:
  platform::testing::TestDatabase db_;
  platform::PgPool pool_;
  platform::FakeClock clock_;
  std::unique_ptr<QualificationService> service_;
  platform::GrpcServer server_;
  std::unique_ptr<v1::QualificationService::Stub> stub_;
};

}  // namespace dps::qualification::testing

#endif  // DPS_SERVICES_QUALIFICATION_TESTS_SERVICE_FIXTURE_H_
