// A ReferralService served over real gRPC on a loopback port, on a freshly migrated database of
// the test PostgreSQL, beside a real QualificationService (with its standard world: a LIVE system
// led by West Sussex with Brighton taking part, and one lot) and a real ScoringService, each on its
// own loopback port. The services share the clock the test moves.
#ifndef DPS_SERVICES_REFERRAL_TESTS_REFERRAL_FIXTURE_H_
#define DPS_SERVICES_REFERRAL_TESTS_REFERRAL_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "dps/referral/v1/referral.grpc.pb.h"
#include "platform/grpc/server.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/qualification/tests/world.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/timers/deadline_timer.h"
#include "services/scoring/api/scoring_service.h"

namespace dps::referral::testing {

namespace v1 = ::dps::referral::v1;
using ApiRole = dps::common::v1::Role;
using qualification::testing::kLead;
using qualification::testing::kOutsider;
using qualification::testing::kPartner;
using qualification::testing::kProvider;

class ReferralFixture {
 public:
  explicit ReferralFixture(absl::Time start);
  ~ReferralFixture();

  v1::ReferralService::Stub& stub() { return *stub_; }
  // The response-deadline timer, run by the test when it chooses.
  DeadlineTimer& timer() { return *timer_; }
  qualification::testing::ServiceFixture& qualification() { return qualification_; }
  const qualification::testing::World& world() const { return world_; }

  // How many events of `type` the referral service's outbox holds.
  int EventCount(const std::string& type);

  // A complete referral for a 14-year-old girl from Horsham in the world's lot.
  v1::ReferralSpec Spec() const;

 private:
  qualification::testing::ServiceFixture qualification_;
  qualification::testing::World world_;
  platform::testing::TestDatabase db_;
  platform::PgPool pool_;
  std::unique_ptr<dps::scoring::ScoringService> scoring_;
  platform::GrpcServer scoring_server_;
  std::unique_ptr<QualificationClient> qualification_client_;
  std::unique_ptr<Closer> closer_;
  std::unique_ptr<ReferralService> service_;
  std::unique_ptr<DeadlineTimer> timer_;
  platform::GrpcServer server_;
  std::unique_ptr<v1::ReferralService::Stub> stub_;
};

// A client context carrying the caller's identity.
std::unique_ptr<grpc::ClientContext> As(ApiRole role, const std::string& organisation,
                                        const std::string& user = "user-1");
// A placing officer of Brighton, which takes part in the world's system.
std::unique_ptr<grpc::ClientContext> Officer(const std::string& organisation = kPartner);

}  // namespace dps::referral::testing

#endif  // DPS_SERVICES_REFERRAL_TESTS_REFERRAL_FIXTURE_H_
