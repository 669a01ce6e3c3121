// A ReferralService served over real gRPC on a loopback port, on a freshly migrated database of
// the test PostgreSQL, beside a real QualificationService (with its standard world: a LIVE system
// led by West Sussex with Brighton taking part, and one lot) and a real ScoringService, each on its
// own loopback port. The services share the clock the test moves.
#ifndef DPS_SERVICES_REFERRAL_TESTS_REFERRAL_FIXTURE_H_
#define DPS_SERVICES_REFERRAL_TESTS_REFERRAL_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "dps/events/v1/events.pb.h"
#include "dps/referral/v1/referral.grpc.pb.h"
#include "platform/grpc/server.h"
#include "platform/pg/pool.h"
#include "platform/testing/test_env.h"
#include "services/qualification/tests/world.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/clients/grpc_qualification_client.h"
#include "services/referral/clients/grpc_scoring_client.h"
#include "services/referral/timers/deadline_timer.h"
#include "services/scoring/api/scoring_service.h"

namespace dps::referral::testing {

namespace v1 = ::dps::referral::v1;
using ApiRole = dps::common::v1::Role;
using qualification::testing::kLead;
using qualification::testing::kOutsider;
using qualification::testing::kPartner;
using qualification::testing::kProvider;

// The scoring engine as the referral service reaches it, over real gRPC, with two controls for
// tests: the engine can be taken down and brought back (while down, calls go to a port where
// nothing listens), and a hook can run while the next ranking waits for its answer, as another
// request arriving then would.
class SwitchableScoring final : public ScoringClient {
 public:
  SwitchableScoring(int live_port, const platform::auth::ServiceTokens& tokens);
  absl::StatusOr<dps::scoring::v1::EvaluateResponse> Evaluate(
      const std::string& request_id,
      const dps::scoring::v1::EvaluateRequest& request) const override;
  void SetUp(bool up) { up_ = up; }
  void DuringNextEvaluate(std::function<void()> hook) { hook_ = std::move(hook); }

 private:
  GrpcScoringClient live_;
  GrpcScoringClient dead_;
  std::atomic<bool> up_ = true;
  mutable std::function<void()> hook_;
};

class ReferralFixture {
 public:
  // The world's system runs under `regime` (LIGHT_TOUCH: a 72-hour response period). Without
  // `scoring_reachable` the scoring engine starts down (SetScoringUp).
  explicit ReferralFixture(absl::Time start,
                           dps::common::v1::Regime regime = dps::common::v1::REGIME_PCR2015_DPS,
                           bool scoring_reachable = true);
  ~ReferralFixture();

  v1::ReferralService::Stub& stub() { return *stub_; }
  // host:port of the referral service, for a client of its own.
  std::string target() const;
  // The referral service's own database (schema referral).
  platform::PgPool& pool() { return pool_; }
  // The scoring engine taken down or brought back; a hook run while the next ranking waits.
  void SetScoringUp(bool up) { scoring_client_->SetUp(up); }
  void DuringNextRanking(std::function<void()> hook) {
    scoring_client_->DuringNextEvaluate(std::move(hook));
  }
  // The response-deadline timer, run by the test when it chooses.
  DeadlineTimer& timer() { return *timer_; }
  qualification::testing::ServiceFixture& qualification() { return qualification_; }
  const qualification::testing::World& world() const { return world_; }

  // How many events of `type` the referral service's outbox holds.
  int EventCount(const std::string& type);
  // The newest event of `type` in the referral service's outbox (empty when there is none).
  dps::events::v1::EventEnvelope LastEvent(const std::string& type);

  // A complete referral for a 14-year-old girl from Horsham in the world's lot.
  v1::ReferralSpec Spec() const;

  // A referral of `spec` drafted and published by the authority's officer (Brighton's unless
  // named).
  v1::PublishReferralResponse Publish(const v1::ReferralSpec& spec,
                                      const std::string& authority = kPartner);

  // `provider`'s bid on its invitation: meets the need, answers the outcomes, starts on time.
  v1::Bid Bid(const std::string& provider, const std::string& invitation_id,
              int64_t core_fee_pence);

  // The referral and a bid as Brighton's officer reads them.
  v1::Referral Read(const std::string& referral_id);
  v1::Bid ReadBid(const std::string& bid_id);
  // A bid as its provider reads it: the only reader while the referral's bids are sealed.
  v1::Bid ReadOwnBid(const std::string& provider, const std::string& bid_id);

 private:
  qualification::testing::ServiceFixture qualification_;
  qualification::testing::World world_;
  platform::testing::TestDatabase db_;
  platform::PgPool pool_;
  std::unique_ptr<dps::scoring::ScoringService> scoring_;
  platform::GrpcServer scoring_server_;
  std::unique_ptr<QualificationClient> qualification_client_;
  std::unique_ptr<SwitchableScoring> scoring_client_;
  std::unique_ptr<Ranker> ranker_;
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
// A user of the provider (the world's standard one unless named).
std::unique_ptr<grpc::ClientContext> ProviderUser(const std::string& provider = kProvider);

// The invitation of `provider` among those a publication made.
v1::Invitation InvitationOf(const v1::PublishReferralResponse& published,
                            const std::string& provider);

}  // namespace dps::referral::testing

#endif  // DPS_SERVICES_REFERRAL_TESTS_REFERRAL_FIXTURE_H_
