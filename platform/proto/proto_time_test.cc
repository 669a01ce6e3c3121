#include "platform/proto/proto_time.h"

#include <catch2/catch.hpp>

#include "dps/referral/v1/referral.pb.h"

namespace dps::platform {
namespace {

TEST_CASE("ToTimestamp is exact from the year 1 to the year 9999") {
  for (const absl::CivilSecond day :
       {absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::CivilSecond(1600, 2, 29, 12, 0, 1),
        absl::CivilSecond(1969, 12, 31, 23, 59, 59), absl::CivilSecond(2300, 1, 1, 0, 0, 0),
        absl::CivilSecond(9999, 12, 31, 23, 59, 59)}) {
    const absl::Time at = absl::FromCivil(day, absl::UTCTimeZone()) + absl::Nanoseconds(123456789);
    INFO(absl::FormatTime(at));
    const google::protobuf::Timestamp stamp = ToTimestamp(at);
    CHECK(stamp.nanos() == 123456789);
    CHECK(FromTimestamp(stamp) == at);
  }
}

TEST_CASE("a Timestamp outside 0001 to 9999 is refused naming its field") {
  dps::referral::v1::CreateReferralRequest request;
  CHECK(CheckTimestamps(request).ok());
  request.mutable_spec()->mutable_response_deadline()->set_seconds(253402300799);  // 9999-12-31
  CHECK(CheckTimestamps(request).ok());
  request.mutable_spec()->mutable_response_deadline()->set_seconds(253402300800);  // year 10000
  CHECK(CheckTimestamps(request) ==
        absl::InvalidArgumentError("spec.response_deadline: must be between "
                                   "0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"));
  request.mutable_spec()->mutable_response_deadline()->set_seconds(-62135596801);  // year 0
  CHECK(absl::IsInvalidArgument(CheckTimestamps(request)));
  // Years that nanoseconds since 1970 cannot hold, which used to be clamped, are refused too
  // when they are out of the range, and kept exactly when they are in it.
  request.mutable_spec()->mutable_response_deadline()->set_seconds(10413792000);  // 2300-01-01
  CHECK(CheckTimestamps(request).ok());
  request.mutable_spec()->mutable_response_deadline()->set_nanos(-1);
  CHECK(CheckTimestamps(request) ==
        absl::InvalidArgumentError("spec.response_deadline.nanos: must be between 0 and "
                                   "999999999"));
}

TEST_CASE("a Timestamp in a repeated message is named with its index") {
  dps::referral::v1::Referral referral;
  referral.add_history();
  referral.add_history()->mutable_at()->set_seconds(-1LL << 40);
  CHECK(CheckTimestamps(referral).message().rfind("history[1].at: must be between", 0) == 0);
}

}  // namespace
}  // namespace dps::platform
