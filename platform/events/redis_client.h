// A minimal synchronous Redis client over hiredis, enough for Streams.
//
// One client is one connection and is not thread-safe: give each thread its own. On a
// connection error the client drops the connection and reconnects on the next command, so a
// Redis restart costs the caller one UNAVAILABLE status, not a dead process.
#ifndef DPS_PLATFORM_EVENTS_REDIS_CLIENT_H_
#define DPS_PLATFORM_EVENTS_REDIS_CLIENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

struct redisContext;

namespace dps::platform {

// A decoded reply. Redis error replies are returned as a status instead.
struct RedisValue {
  enum class Type { kNil, kInteger, kString, kArray };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string string;  // bulk and status strings
  std::vector<RedisValue> elements;

  bool is_nil() const { return type == Type::kNil; }
};

// Where Redis is and who this process is to it. With a password, every connection logs in
// (AUTH user password) before its first command; without one it is Redis's default user.
struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // the ACL user; empty: "default"
  std::string password;  // never logged
};

// Parses "host:port" (no credentials).
absl::StatusOr<RedisAddress> ParseRedisAddress(const std::string& text);

// For tools and tests that take the address as an argument: adds the login named by two
// environment variables, the user (user_env) and the file holding its password, mode 600
// (password_file_env). Either unset leaves the address as it is.
absl::Status AddLoginFromEnvironment(RedisAddress& address, const char* user_env,
                                     const char* password_file_env);

class RedisClient final {
 public:
  // command_timeout bounds every command; a blocking read must ask for less than that.
  RedisClient(RedisAddress address, absl::Duration command_timeout);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends one command. UNAVAILABLE ("redis: ...") when Redis cannot be reached; INTERNAL with
  // Redis's own text for an error reply (e.g. "BUSYGROUP ...", "NOGROUP ...").
  absl::StatusOr<RedisValue> Command(const std::vector<std::string>& args);

  // Sends several commands in one round trip and returns their replies in order. Stops at the
  // first connection failure.
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

 private:
  absl::Status EnsureConnected();
  void Disconnect();

  const RedisAddress address_;
  const absl::Duration command_timeout_;
  redisContext* context_ = nullptr;
};

// True when the status came from an unreachable Redis (worth retrying later).
bool IsRedisUnavailable(const absl::Status& status);

}  // namespace dps::platform

#endif  // DPS_PLATFORM_EVENTS_REDIS_CLIENT_H_
