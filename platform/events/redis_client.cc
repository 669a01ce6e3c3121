#include "platform/events/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/config/secret_file.h"

namespace dps::platform {
namespace {

constexpr char kUnavailablePrefix[] = "redis: ";

absl::StatusOr<RedisValue> Decode(const redisReply* reply) {
  RedisValue value;
  switch (reply->type) {
    case REDIS_REPLY_NIL:
      return value;
    case REDIS_REPLY_INTEGER:
      value.type = RedisValue::Type::kInteger;
      value.integer = reply->integer;
      return value;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      value.type = RedisValue::Type::kString;
      value.string.assign(reply->str, reply->len);
      return value;
    case REDIS_REPLY_ERROR:
      return absl::InternalError(std::string(reply->str, reply->len));
    case REDIS_REPLY_ARRAY:
      value.type = RedisValue::Type::kArray;
      value.elements.reserve(reply->elements);
      for (size_t i = 0; i < reply->elements; ++i) {
        absl::StatusOr<RedisValue> element = Decode(reply->element[i]);
        if (!element.ok()) return element.status();
        value.elements.push_back(std::move(*element));
      }
      return value;
    default:
      return absl::InternalError(absl::StrCat("redis: unexpected reply type ", reply->type));
  }
}

}  // namespace

absl::StatusOr<RedisAddress> ParseRedisAddress(const std::string& text) {
  const auto colon = text.rfind(':');
  RedisAddress address;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &address.port) || address.port < 1 ||
      address.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address: must be host:port, got '", text, "'"));
  }
  address.host = text.substr(0, colon);
  return address;
}

absl::Status AddLoginFromEnvironment(RedisAddress& address, const char* user_env,
                                     const char* password_file_env) {
  const char* user = std::getenv(user_env);
  const char* password_file = std::getenv(password_file_env);
  if (user == nullptr || *user == '\0' || password_file == nullptr || *password_file == '\0') {
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> password = ReadPasswordFile(password_file);
  if (!password.ok()) return password.status();
  address.user = user;
  address.password = *std::move(password);
  return absl::OkStatus();
}

bool IsRedisUnavailable(const absl::Status& status) {
  return absl::IsUnavailable(status) && absl::StartsWith(status.message(), kUnavailablePrefix);
}

RedisClient::RedisClient(RedisAddress address, absl::Duration command_timeout)
    : address_(std::move(address)), command_timeout_(command_timeout) {}

RedisClient::~RedisClient() { Disconnect(); }

void RedisClient::Disconnect() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

absl::Status RedisClient::EnsureConnected() {
  if (context_ != nullptr) return absl::OkStatus();
  const timeval connect_timeout = absl::ToTimeval(absl::Seconds(2));
  context_ = redisConnectWithTimeout(address_.host.c_str(), address_.port, connect_timeout);
  if (context_ == nullptr || context_->err != 0) {
    const std::string why = context_ != nullptr ? context_->errstr : "out of memory";
    Disconnect();
    return absl::UnavailableError(absl::StrCat(kUnavailablePrefix, "cannot connect to ",
                                               address_.host, ":", address_.port, ": ", why));
  }
  redisSetTimeout(context_, absl::ToTimeval(command_timeout_));
  if (!address_.password.empty()) {
    const std::string user = address_.user.empty() ? "default" : address_.user;
    const char* argv[] = {"AUTH", user.c_str(), address_.password.c_str()};
    const size_t lengths[] = {4, user.size(), address_.password.size()};
    auto* reply = static_cast<redisReply*>(redisCommandArgv(context_, 3, argv, lengths));
    if (reply == nullptr) {
      const std::string why = context_->errstr;
      Disconnect();
      return absl::UnavailableError(absl::StrCat(kUnavailablePrefix, "connection to ",
                                                 address_.host, ":", address_.port,
                                                 " failed: ", why));
    }
    // A refused login is a configuration error, not an outage: the reply names it (WRONGPASS).
    const bool refused = reply->type == REDIS_REPLY_ERROR;
    const std::string why = refused ? std::string(reply->str, reply->len) : "";
    freeReplyObject(reply);
    if (refused) {
      Disconnect();
      return absl::PermissionDeniedError(
          absl::StrCat("redis: user ", user, " cannot log in: ", why));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RedisValue> RedisClient::Command(const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> replies = Pipeline({args});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (absl::Status status = EnsureConnected(); !status.ok()) return status;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data());
  }
  std::vector<absl::StatusOr<RedisValue>> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      const std::string why = context_->errstr;
      Disconnect();
      return absl::UnavailableError(absl::StrCat(kUnavailablePrefix, "connection to ",
                                                 address_.host, ":", address_.port,
                                                 " failed: ", why));
    }
    auto* reply = static_cast<redisReply*>(raw);
    replies.push_back(Decode(reply));
    freeReplyObject(reply);
  }
  return replies;
}

}  // namespace dps::platform
