// The qualification stream read by the referral service, end to end through real Redis: the
// qualification outbox relayed to dps.qualification and consumed into the referral schema.
#include <catch2/catch.hpp>

#include "dps/events/v1/events.pb.h"
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

TEST_CASE("forged entries on the qualification stream are dead-lettered and the rest applied") {
  ReferralFixture f(At(2027, 3, 1));
  platform::RedisClient redis(platform::testing::TestRedisAddress(), absl::Seconds(2));
  // A stream of the test's own, read as the service reads dps.qualification.
  const std::string stream = platform::testing::UniqueName("dps.qualification");
  dps::events::v1::EventEnvelope unrelated;
  unrelated.set_type("qualification.provider.registered");
  const std::vector<std::vector<std::string>> entries = {
      {"XADD", stream, "*", "event_id", "42", "type", "qualification.membership.suspended",
       "payload", unrelated.SerializeAsString()},
      {"XADD", stream, "*", "event_id", "6f0c6d3e-95f4-4a57-9d71-0f1e9a6c2b11", "type",
       "qualification.membership.suspended", "payload", "not protobuf"},
      {"XADD", stream, "*", "event_id", "a1e2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8", "type",
       "qualification.provider.registered", "payload", unrelated.SerializeAsString()},
  };
  for (const auto& entry : entries) REQUIRE(redis.Command(entry).ok());
  platform::StreamConsumer consumer({.stream = stream,
                                     .group = kMembershipGroup,
                                     .consumer = "test",
                                     .block = absl::Milliseconds(50)},
                                    redis, f.pool(), ApplyMembershipEvent, nullptr);
  // One round takes all three off the stream: none is left pending to be retried.
  CHECK(*consumer.PollOnce() == 3);
  CHECK(redis.Command({"XPENDING", stream, kMembershipGroup})->elements[0].integer == 0);
  const platform::RedisValue dead = *redis.Command({"XRANGE", stream + ".dead-letter", "-", "+"});
  REQUIRE(dead.elements.size() == 2);
  std::vector<std::string> reasons;
  for (const platform::RedisValue& letter : dead.elements) {
    const auto& fields = letter.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].string == "reason") reasons.push_back(fields[i + 1].string);
    }
  }
  REQUIRE(reasons.size() == 2);
  CHECK(reasons[0] == "event_id: not a UUID");
  CHECK(reasons[1].find("payload does not parse") != std::string::npos);
}

}  // namespace
}  // namespace dps::referral::testing
