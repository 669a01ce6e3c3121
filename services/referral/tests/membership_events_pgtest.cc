// The qualification stream read by the referral service, end to end through real Redis: the
// qualification outbox relayed to dps.qualification and consumed into the referral schema.
#include <catch2/catch.hpp>

#include "platform/events/consumer.h"
#include "platform/events/redis_client.h"
#include "platform/events/relay.h"
#include "platform/testing/test_env.h"
#include "services/referral/consumers/membership_events.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::QualifiedMember;
using qualification::testing::QualifiedMemberOf;
using qualification::testing::ServiceFixture;

// Relays the qualification outbox to Redis and consumes the stream into the referral schema,
// until both have nothing left to do.
void DeliverQualificationEvents(ReferralFixture& f, const std::string& group) {
  platform::RedisClient redis(platform::testing::TestRedisAddress(), absl::Seconds(2));
  platform::OutboxRelay relay({.schema = "qualification"}, f.qualification().pool(), redis,
                              nullptr);
  for (;;) {
    absl::StatusOr<int> published = relay.PublishBatch();
    REQUIRE(published.ok());
    if (*published == 0) break;
  }
  platform::StreamConsumer consumer({.stream = "dps.qualification",
                                     .group = group,
                                     .consumer = "test",
                                     .block = absl::Milliseconds(50)},
                                    redis, f.pool(), ApplyMembershipEvent, nullptr);
  for (;;) {
    absl::StatusOr<int> applied = consumer.PollOnce();
    REQUIRE(applied.ok());
    if (*applied == 0) break;
  }
}

TEST_CASE("a member suspended after invitation may not bid, and its bid is flagged") {
  ReferralFixture f(At(2027, 3, 1));
  QualifiedMember(f.qualification(), f.world());
  QualifiedMemberOf(f.qualification(), f.world(), "provider-b");
  const v1::PublishReferralResponse published = f.Publish(f.Spec());
  const v1::Bid bid = f.Bid(kProvider, InvitationOf(published, kProvider).id(), 395000);

  qualification::v1::SuspendMembershipRequest suspend;
  suspend.set_idempotency_key(ServiceFixture::Key());
  suspend.set_system_id(f.world().system_id);
  suspend.set_establishment_id(f.world().establishment_id);
  suspend.set_reason(qualification::v1::SUSPENSION_REASON_LEAD_AUTHORITY_DECISION);
  suspend.set_detail("complaint under review");
  qualification::v1::SuspendMembershipResponse suspended;
  CHECK_OK(f.qualification().stub().SuspendMembership(qualification::testing::Lead().get(), suspend,
                                                      &suspended));
  const std::string group = platform::testing::UniqueName("referral-membership");
  DeliverQualificationEvents(f, group);

  v1::ListInvitationsRequest list;
  list.set_referral_id(published.referral().id());
  v1::ListInvitationsResponse invitations;
  CHECK_OK(f.stub().ListInvitations(Officer().get(), list, &invitations));
  REQUIRE(invitations.invitations_size() == 2);
  for (const v1::Invitation& invitation : invitations.invitations()) {
    INFO(invitation.provider_id());
    CHECK(invitation.suspended() == (invitation.provider_id() == kProvider));
  }
  const v1::Bid flagged = f.ReadOwnBid(kProvider, bid.id());
  CHECK(flagged.flagged_suspended());
  CHECK(flagged.flag_detail() == "suspended since invitation: complaint under review");

  // Applied again (as by a group reading the stream from the start), the events change nothing.
  DeliverQualificationEvents(f, platform::testing::UniqueName("referral-membership"));
  CHECK(f.ReadOwnBid(kProvider, bid.id()).version() == flagged.version());
}

}  // namespace
}  // namespace dps::referral::testing
