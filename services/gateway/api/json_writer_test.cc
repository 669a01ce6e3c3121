// The gateway's JSON writer against protobuf's own printer (preserve_proto_field_names,
// always_print_primitive_fields), for every message of the API filled at random many times, and
// for the values whose text needs care. Both outputs are read back as JSON and compared as
// values: the order of an object's keys and the spelling of a number may differ, nothing else.
#include "services/gateway/api/json_writer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "dps/events/v1/events.pb.h"
#include "dps/referral/v1/referral.pb.h"
#include "dps/scoring/v1/scoring.pb.h"

namespace dps::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Ours(const Message& message) {
  std::string out;
  const absl::Status status = AppendJson(message, out);
  REQUIRE(status.ok());
  return out;
}

std::string Protobufs(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  REQUIRE(google::protobuf::util::MessageToJsonString(message, &out, options).ok());
  return out;
}

void CheckSame(const Message& message) {
  const std::string ours = Ours(message);
  const std::string theirs = Protobufs(message);
  INFO(message.GetDescriptor()->full_name() << "\nours:   " << ours << "\ntheirs: " << theirs);
  CHECK(nlohmann::json::parse(ours) == nlohmann::json::parse(theirs));
}

// Fills `message` at random: each field set or left alone, lists of 0 to 2, messages to `depth`.
class Filler {
 public:
  explicit Filler(unsigned seed) : random_(seed) {}

  void Fill(Message& message, int depth) {
    const Descriptor& type = *message.GetDescriptor();
    const Reflection& reflection = *message.GetReflection();
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (Chance(3)) continue;  // left unset
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth <= 0) continue;
      if (field.is_repeated()) {
        const int count = static_cast<int>(random_() % 3);
        for (int j = 0; j < count; ++j) Add(message, reflection, field, depth);
      } else {
        Set(message, reflection, field, depth);
      }
    }
  }

 private:
  bool Chance(int one_in) { return random_() % one_in == 0; }
  int64_t Int() {
    switch (random_() % 4) {
      case 0:
        return 0;
      case 1:
        return static_cast<int64_t>(random_() % 1000) - 500;
      case 2:
        return std::numeric_limits<int32_t>::max();
      default:
        return std::numeric_limits<int32_t>::min();
    }
  }
  double Double() {
    switch (random_() % 5) {
      case 0:
        return 0;
      case 1:
        return 0.1;
      case 2:
        return -1234.5678e10;
      case 3:
        return static_cast<double>(random_()) / 7.0;
      default:
        return 51.4545;
    }
  }
  std::string Text() {
    static const char* const kTexts[] = {"", "BN1", "a \"quoted\" \\ line\nand a tab\t",
                                         "caf\xc3\xa9 \xe2\x80\xa8 <b>&</b>", "\x01\x1f"};
    return kTexts[random_() % 5];
  }
  int Enum(const FieldDescriptor& field) {
    const auto& values = *field.enum_type();
    return values.value(static_cast<int>(random_() % values.value_count()))->number();
  }
  void SetTimestamp(Message& timestamp) {
    static const int32_t kNanos[] = {0, 5000000, 123456000, 1};
    auto& t = static_cast<google::protobuf::Timestamp&>(timestamp);
    t.set_seconds(1800000000 + static_cast<int64_t>(random_() % 100000000));
    t.set_nanos(kNanos[random_() % 4]);
  }

  void Set(Message& message, const Reflection& r, const FieldDescriptor& field, int depth) {
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return r.SetInt32(&message, &field, static_cast<int32_t>(Int()));
      case FieldDescriptor::CPPTYPE_UINT32:
        return r.SetUInt32(&message, &field, static_cast<uint32_t>(random_()));
      case FieldDescriptor::CPPTYPE_INT64:
        return r.SetInt64(&message, &field, Int() * 1000003);
      case FieldDescriptor::CPPTYPE_UINT64:
        return r.SetUInt64(&message, &field, std::numeric_limits<uint64_t>::max() - random_());
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r.SetDouble(&message, &field, Double());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r.SetFloat(&message, &field, static_cast<float>(Double()));
      case FieldDescriptor::CPPTYPE_BOOL:
        return r.SetBool(&message, &field, Chance(2));
      case FieldDescriptor::CPPTYPE_ENUM:
        return r.SetEnumValue(&message, &field, Enum(field));
      case FieldDescriptor::CPPTYPE_STRING:
        return r.SetString(&message, &field, Text());
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message& child = *r.MutableMessage(&message, &field);
        if (child.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
          SetTimestamp(child);
        } else {
          Fill(child, depth - 1);
        }
        return;
      }
    }
  }
  void Add(Message& message, const Reflection& r, const FieldDescriptor& field, int depth) {
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return r.AddInt32(&message, &field, static_cast<int32_t>(Int()));
      case FieldDescriptor::CPPTYPE_UINT32:
        return r.AddUInt32(&message, &field, static_cast<uint32_t>(random_()));
      case FieldDescriptor::CPPTYPE_INT64:
        return r.AddInt64(&message, &field, Int());
      case FieldDescriptor::CPPTYPE_UINT64:
        return r.AddUInt64(&message, &field, random_());
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r.AddDouble(&message, &field, Double());
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r.AddFloat(&message, &field, static_cast<float>(Double()));
      case FieldDescriptor::CPPTYPE_BOOL:
        return r.AddBool(&message, &field, Chance(2));
      case FieldDescriptor::CPPTYPE_ENUM:
        return r.AddEnumValue(&message, &field, Enum(field));
      case FieldDescriptor::CPPTYPE_STRING:
        return r.AddString(&message, &field, Text());
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message& child = *r.AddMessage(&message, &field);
        if (child.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
          SetTimestamp(child);
        } else {
          Fill(child, depth - 1);
        }
        return;
      }
    }
  }

  std::mt19937_64 random_;
};

// Every message type declared in the API's files, nested ones included.
std::vector<const Descriptor*> ApiMessages() {
  static const char* const kFiles[] = {"dps/audit/v1/audit.proto",
                                       "dps/common/v1/common.proto",
                                       "dps/common/v1/terms.proto",
                                       "dps/contracts/v1/contracts.proto",
                                       "dps/contracts/v1/market_intelligence.proto",
                                       "dps/events/v1/events.proto",
                                       "dps/qualification/v1/qualification.proto",
                                       "dps/referral/v1/referral.proto",
                                       "dps/scoring/v1/scoring.proto"};
  // The gateway serves no event, so nothing else links the events' file in.
  REQUIRE(dps::events::v1::EventEnvelope::descriptor() != nullptr);
  std::vector<const Descriptor*> out;
  std::vector<const Descriptor*> pending;
  for (const char* name : kFiles) {
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    INFO(name);
    REQUIRE(file != nullptr);
    for (int i = 0; i < file->message_type_count(); ++i) pending.push_back(file->message_type(i));
  }
  while (!pending.empty()) {
    const Descriptor* type = pending.back();
    pending.pop_back();
    if (!type->options().map_entry()) out.push_back(type);
    for (int i = 0; i < type->nested_type_count(); ++i) pending.push_back(type->nested_type(i));
  }
  return out;
}

TEST_CASE("every message of the API is written as protobuf's printer writes it") {
  const std::vector<const Descriptor*> types = ApiMessages();
  REQUIRE(types.size() > 100);
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  Filler filler(20261207);
  for (const Descriptor* type : types) {
    for (int round = 0; round < 8; ++round) {
      std::unique_ptr<Message> message(factory->GetPrototype(type)->New());
      if (round > 0) filler.Fill(*message, 3);
      CheckSame(*message);
    }
  }
}

TEST_CASE("numbers, text, times and optional fields that need care") {
  dps::scoring::v1::Bid input;
  CheckSame(input);  // optional fields unset: left out
  input.set_establishment_latitude(std::numeric_limits<double>::quiet_NaN());
  input.set_establishment_longitude(-std::numeric_limits<double>::infinity());
  input.set_ceiling_fee_pence(0);  // set to its default: printed
  CheckSame(input);
  const std::string ours = Ours(input);
  CHECK(ours.find("\"establishment_latitude\":\"NaN\"") != std::string::npos);
  CHECK(ours.find("\"ceiling_fee_pence\":\"0\"") != std::string::npos);

  dps::referral::v1::Referral referral;
  referral.set_id("ref-\x01\"\\</");
  referral.mutable_published_at()->set_seconds(1800000000);
  referral.mutable_published_at()->set_nanos(120000000);
  CheckSame(referral);
  CHECK(Ours(referral).find("\"published_at\":\"2027-01-15T08:00:00.120Z\"") != std::string::npos);
  referral.mutable_published_at()->set_nanos(1000);
  CHECK(Ours(referral).find("\"published_at\":\"2027-01-15T08:00:00.000001Z\"") !=
        std::string::npos);
}

TEST_CASE("a timestamp out of range is refused and leaves the text as it was") {
  dps::referral::v1::Referral referral;
  referral.mutable_published_at()->set_seconds(253402300800);  // 10000-01-01
  std::string out = "kept";
  CHECK(AppendJson(referral, out).code() == absl::StatusCode::kInvalidArgument);
  CHECK(out == "kept");
}

}  // namespace
}  // namespace dps::gateway
