// CreateIpa's AwardLookup over the referral service's gRPC API, asked as the contracts service
// itself: the awarded referral and its winning bid, a direct award, or a block contract and one of
// its call-offs, put into the event the referral service announced it with (the fields
// app/award_spec.h reads), dated when it was awarded, made or called off.
#ifndef DPS_SERVICES_CONTRACTS_CLIENTS_REFERRAL_AWARDS_H_
#define DPS_SERVICES_CONTRACTS_CLIENTS_REFERRAL_AWARDS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "dps/referral/v1/referral.grpc.pb.h"
#include "platform/auth/authenticator.h"
#include "services/contracts/app/create_ipa_use_case.h"

namespace dps::contracts {

// OK for a referral awarded for good: state AWARDED, its approval not pending or refused;
// FailedPrecondition naming the state otherwise.
absl::Status RequireAwarded(const dps::referral::v1::Referral& referral);
// The event of an awarded referral (RequireAwarded) won by `bid`, as the referral service
// announces it.
absl::StatusOr<dps::events::v1::EventEnvelope> AwardedEventOf(
    const dps::referral::v1::Referral& referral, const dps::referral::v1::Bid& bid);
dps::events::v1::EventEnvelope DirectAwardEventOf(const dps::referral::v1::DirectAward& award);
// NotFound when the block has no call-off `call_off_id`.
absl::StatusOr<dps::events::v1::EventEnvelope> BlockCallOffEventOf(
    const dps::referral::v1::BlockContract& block, const std::string& call_off_id);

class ReferralAwards final : public AwardLookup {
 public:
  ReferralAwards(std::shared_ptr<grpc::Channel> channel,
                 const platform::auth::ServiceTokens& tokens)
      : stub_(dps::referral::v1::ReferralService::NewStub(std::move(channel))), tokens_(tokens) {}

  absl::StatusOr<dps::events::v1::EventEnvelope> AwardOf(const std::string& request_id,
                                                         const IpaSource& source) const override;

 private:
  using Stub = dps::referral::v1::ReferralService::Stub;
  std::unique_ptr<Stub> stub_;
  const platform::auth::ServiceTokens& tokens_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_CLIENTS_REFERRAL_AWARDS_H_
