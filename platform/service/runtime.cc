#include "platform/service/runtime.h"

#include <algorithm>
#include <csignal>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "platform/audit/log.h"
#include "platform/config/secret_file.h"
#include "platform/events/outbox.h"
#include "platform/grpc/channel.h"
#include "platform/grpc/server.h"
#include "platform/log/log.h"
#include "platform/pg/idempotency.h"

namespace dps::platform {
namespace {

std::vector<Setting> SettingsFor(const ServiceRuntime::Spec& spec) {
  std::vector<Setting> settings;
  if (spec.serves_grpc) {
    settings.push_back({"grpc-address", "DPS_GRPC_ADDRESS",
                        absl::StrCat("127.0.0.1:", spec.default_grpc_port), SettingKind::kString,
                        true, "host:port the gRPC server listens on"});
  }
  settings.push_back({"metrics-address", "DPS_METRICS_ADDRESS",
                      absl::StrCat("127.0.0.1:", spec.default_metrics_port), SettingKind::kString,
                      true, "host:port serving Prometheus /metrics"});
  if (spec.uses_postgres) {
    settings.push_back({"pg-url", "DPS_PG_URL", "", SettingKind::kString, true,
                        "PostgreSQL connection URL, e.g. postgresql://dps@127.0.0.1:5433/dps"});
    settings.push_back({"pg-password-file", "DPS_PG_PASSWORD_FILE", "", SettingKind::kString, false,
                        "file holding the password of pg-url's role, mode 600 (empty: libpq's "
                        "PGPASSFILE, or none)"});
    settings.push_back({"pg-pool-size", "DPS_PG_POOL_SIZE", "8", SettingKind::kPositive, false,
                        "most PostgreSQL connections this process opens"});
  }
  if (spec.uses_postgres && !spec.schema.empty()) {
    settings.push_back({"pg-relay-role", "DPS_PG_RELAY_ROLE", "dps_relay", SettingKind::kString,
                        false,
                        "the relay's PostgreSQL role, allowed to publish this schema's outbox "
                        "(granted at start when the role exists)"});
  }
  if (spec.serves_grpc) {
    settings.push_back({"grpc-health-address", "DPS_GRPC_HEALTH_ADDRESS", "", SettingKind::kString,
                        false,
                        "host:port of a plaintext listener serving only the gRPC health service, "
                        "for probes that cannot speak TLS (empty: none)"});
  }
  // Every process may call a DPS service (the gateway, the referral service), so every one takes
  // the TLS settings.
  for (Setting& setting : GrpcTlsSettings()) settings.push_back(std::move(setting));
  if (spec.uses_postgres) {
    settings.push_back({"metrics-collect-interval", "DPS_METRICS_COLLECT_INTERVAL", "30s",
                        SettingKind::kDuration, false,
                        "how often figures read from the database (referrals by state, ...) are "
                        "refreshed for /metrics"});
  }
  if (spec.uses_redis) {
    settings.push_back({"redis-address", "DPS_REDIS_ADDRESS", "", SettingKind::kString, true,
                        "Redis host:port carrying the event streams"});
    settings.push_back({"redis-user", "DPS_REDIS_USER", "", SettingKind::kString, false,
                        "this service's Redis ACL user (empty: Redis's default user)"});
    settings.push_back({"redis-password-file", "DPS_REDIS_PASSWORD_FILE", "", SettingKind::kString,
                        false, "file holding redis-user's password, mode 600 (empty: no login)"});
  }
  if (spec.authenticates) {
    settings.push_back({"auth-jwks-file", "DPS_AUTH_JWKS_FILE", "", SettingKind::kString, true,
                        "JWKS file of the identity provider's public keys (re-read when it "
                        "changes)"});
    settings.push_back({"auth-issuer", "DPS_AUTH_ISSUER", "", SettingKind::kString, true,
                        "the identity provider's issuer (iss) users' tokens must carry"});
    settings.push_back({"auth-audience", "DPS_AUTH_AUDIENCE", "dps", SettingKind::kString, true,
                        "the audience (aud) users' tokens must name"});
    settings.push_back({"service-jwks-file", "DPS_SERVICE_JWKS_FILE", "", SettingKind::kString,
                        true, "JWKS file of the DPS services' public keys"});
  }
  if (spec.signs_as_service) {
    settings.push_back({"service-key-file", "DPS_SERVICE_KEY_FILE", "", SettingKind::kString, true,
                        "this service's private signing key (a JWK, EC P-256), mode 600"});
  }
  if (spec.audit_systems_led_by) {
    settings.push_back({"audit-checkpoint-interval", "DPS_AUDIT_CHECKPOINT_INTERVAL", "10m",
                        SettingKind::kDuration, false,
                        "how often a signed checkpoint of the audit chain is issued (when the "
                        "chain has grown)"});
    settings.push_back({"audit-checkpoint-file", "DPS_AUDIT_CHECKPOINT_FILE", "",
                        SettingKind::kString, false,
                        "file each signed checkpoint is also appended to, outside the database "
                        "(empty: the database only)"});
  }
  if (spec.uses_postgres) {
    settings.push_back({"dev-clock-offset-file", "DPS_DEV_CLOCK_OFFSET_FILE", "",
                        SettingKind::kString, false,
                        "development and tests only: a file of seconds added to the time the "
                        "service's rules, timers and records use (platform/clock/offset_clock.h; "
                        "empty: the real time)"});
  }
  settings.insert(settings.end(), spec.extra_settings.begin(), spec.extra_settings.end());
  return settings;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

std::unique_ptr<ServiceRuntime> ServiceRuntime::Start(int argc, char** argv, Spec spec) {
  BlockTerminationSignals();
  const std::string program = "dps-" + spec.name;
  SetLogService(spec.name);
  const std::vector<Setting> settings = SettingsFor(spec);
  absl::StatusOr<Config> config = Config::Load(argc, argv, settings);
  if (!config.ok()) ExitWithStartupError(program, config.status());
  std::unique_ptr<ServiceRuntime> runtime(new ServiceRuntime(std::move(spec), *std::move(config)));
  const Spec& s = runtime->spec_;
  const Config& c = runtime->config_;

  absl::StatusOr<GrpcTls> tls = LoadGrpcTls(c);
  if (!tls.ok()) ExitWithStartupError(program, tls.status());
  runtime->tls_ = *std::move(tls);
  if (s.uses_postgres && !c.String("dev-clock-offset-file").empty()) {
    runtime->offset_clock_ =
        std::make_unique<FileOffsetClock>(c.String("dev-clock-offset-file"), runtime->clock_);
    Log(LogLevel::kWarning, "time moved by the offset in a file: for development and tests only",
        {{"file", c.String("dev-clock-offset-file")}});
  }

  if (s.authenticates) {
    absl::StatusOr<std::unique_ptr<auth::Authenticator>> authenticator =
        auth::Authenticator::Create({.user_jwks_file = c.String("auth-jwks-file"),
                                     .user_issuer = c.String("auth-issuer"),
                                     .user_audience = c.String("auth-audience"),
                                     .service_jwks_file = c.String("service-jwks-file")},
                                    runtime->clock_);
    if (!authenticator.ok()) ExitWithStartupError(program, authenticator.status());
    runtime->authenticator_ = *std::move(authenticator);
  }
  if (s.signs_as_service) {
    absl::StatusOr<auth::PrivateKey> key = auth::PrivateKey::FromFile(c.String("service-key-file"));
    if (!key.ok()) {
      ExitWithStartupError(program, absl::InvalidArgumentError(absl::StrCat(
                                        "service-key-file: ", key.status().message())));
    }
    runtime->service_key_ = *key;
    runtime->service_tokens_ =
        std::make_unique<auth::ServiceTokens>(s.name, *std::move(key), runtime->clock_);
  }
  if (s.audit_systems_led_by) {
    if (!s.authenticates || !s.signs_as_service || s.schema.empty()) {
      ExitWithStartupError(program, absl::InternalError("an audit chain needs a schema, "
                                                        "authentication and a service key"));
    }
    absl::StatusOr<std::unique_ptr<auth::ReloadingKeySet>> keys =
        auth::ReloadingKeySet::Open(c.String("service-jwks-file"), runtime->clock_);
    if (!keys.ok()) ExitWithStartupError(program, keys.status());
    runtime->service_keys_ = *std::move(keys);
  }

  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> metrics =
      MetricsEndpoint::Start(c.String("metrics-address"));
  if (!metrics.ok()) ExitWithStartupError(program, metrics.status());
  runtime->metrics_ = *std::move(metrics);

  if (s.uses_redis) {
    absl::StatusOr<RedisAddress> address = ParseRedisAddress(c.String("redis-address"));
    if (!address.ok()) ExitWithStartupError(program, address.status());
    runtime->redis_address_ = *address;
    runtime->redis_address_.user = c.String("redis-user");
    if (const std::string& file = c.String("redis-password-file"); !file.empty()) {
      absl::StatusOr<std::string> password = ReadPasswordFile(file);
      if (!password.ok()) {
        ExitWithStartupError(program, absl::InvalidArgumentError(absl::StrCat(
                                          "redis-password-file: ", password.status().message())));
      }
      runtime->redis_address_.password = *std::move(password);
    } else if (!runtime->redis_address_.user.empty()) {
      ExitWithStartupError(program, absl::InvalidArgumentError(
                                        "redis-user: needs redis-password-file, its password"));
    }
    RedisClient redis(runtime->redis_address_, absl::Seconds(2));
    if (absl::StatusOr<RedisValue> pong = redis.Command({"PING"}); !pong.ok()) {
      // Reached, but the login was refused, or there was none and the default user is off.
      if (!IsRedisUnavailable(pong.status())) {
        ExitWithStartupError(
            program, absl::PermissionDeniedError(absl::StrCat(
                         "redis-user: Redis refused this process: ", pong.status().message())));
      }
      ExitWithStartupError(program,
                           absl::UnavailableError(absl::StrCat("redis-address: Redis unreachable: ",
                                                               pong.status().message())));
    }
  }
  if (s.uses_postgres) {
    if (const std::string& file = c.String("pg-password-file"); !file.empty()) {
      absl::StatusOr<std::string> password = ReadPasswordFile(file);
      if (!password.ok()) {
        ExitWithStartupError(program, absl::InvalidArgumentError(absl::StrCat(
                                          "pg-password-file: ", password.status().message())));
      }
      runtime->pg_password_ = *std::move(password);
    }
    PgPoolOptions options = runtime->PgOptions(s.schema, c.Int("pg-pool-size"));
    runtime->pool_ = std::make_unique<PgPool>(
        options, RegisterPgPoolMetrics(runtime->registry(), s.schema, options.size));
    if (absl::Status status = runtime->pool_->CheckReachable(); !status.ok()) {
      ExitWithStartupError(program, absl::UnavailableError(absl::StrCat(
                                        "pg-url: PostgreSQL unreachable: ", status.message())));
    }
    if (!s.migrations.empty()) {
      absl::Status migrated = runtime->pool_->WithConnection([&](pqxx::connection& connection) {
        return ApplyMigrations(connection, s.schema, s.migrations);
      });
      if (!migrated.ok()) ExitWithStartupError(program, migrated);
    }
    const bool keeps_idempotency_keys =
        std::any_of(s.migrations.begin(), s.migrations.end(),
                    [](const MigrationSet& set) { return set.component == "platform"; });
    if (keeps_idempotency_keys && !s.schema.empty()) {
      // The audit entries staged with each event get their place in the chain within a second;
      // every replica runs this, and the chainer's lock lets one at a time work.
      runtime->AddWorker([pool = runtime->pool_.get()](std::stop_token stop) {
        while (!stop.stop_requested()) {
          absl::StatusOr<int> chained = 0;
          absl::Status s = pool->InTransaction([&](pqxx::work& tx) {
            chained = audit::ChainPending(tx);
            return chained.status();
          });
          if (!s.ok()) {
            Log(LogLevel::kWarning, "audit entries not chained; retrying",
                {{"error", s.ToString()}});
          }
          // A full batch means more wait: go on at once.
          if (!s.ok() || *chained < 500) RunEvery(stop, absl::Seconds(1));
        }
      });
    }
    if (keeps_idempotency_keys && s.audit_systems_led_by) {
      runtime->StartAuditCheckpoints();
    }
    if (keeps_idempotency_keys) {
      // Every replica prunes; the pruner skips rows another holds, so they never collide.
      runtime->AddWorker([pool = runtime->pool_.get()](std::stop_token stop) {
        while (!stop.stop_requested()) {
          absl::StatusOr<int64_t> pruned = PruneIdempotencyKeys(*pool);
          if (!pruned.ok()) {
            Log(LogLevel::kWarning, "idempotency keys not pruned; retrying in an hour",
                {{"error", pruned.status().ToString()}});
          } else if (*pruned > 0) {
            Log(LogLevel::kInfo, "idempotency keys pruned", {{"deleted", std::to_string(*pruned)}});
          }
          RunEvery(stop, absl::Hours(1));
        }
      });
    }
    if (!s.schema.empty()) {
      absl::Status granted = runtime->pool_->InTransaction([&](pqxx::work& tx) {
        if (tx.exec_params("SELECT to_regclass($1::text)", s.schema + ".outbox")[0][0].is_null()) {
          return absl::OkStatus();
        }
        return GrantOutboxToRelay(tx, s.schema, c.String("pg-relay-role"));
      });
      if (!granted.ok()) {
        ExitWithStartupError(program, absl::FailedPreconditionError(
                                          absl::StrCat("pg-relay-role: ", granted.message())));
      }
    }
  }
  return runtime;
}

PgPoolOptions ServiceRuntime::PgOptions(std::string schema, int size) const {
  return {.url = config_.String("pg-url"),
          .password = pg_password_,
          .schema = std::move(schema),
          .size = size};
}

void ServiceRuntime::AddWorker(std::function<void(std::stop_token)> fn) {
  workers_.push_back(std::move(fn));
}

std::shared_ptr<grpc::Channel> ServiceRuntime::PeerChannel(const std::string& target) {
  return CreatePeerChannel(target, tls_.client, &registry());
}

void ServiceRuntime::AddCollector(std::function<void()> collect) {
  if (collectors_.empty()) {
    const absl::Duration interval = config_.Duration("metrics-collect-interval");
    AddWorker([this, interval](std::stop_token stop) {
      while (!stop.stop_requested()) {
        for (const auto& collect : collectors_) collect();
        RunEvery(stop, interval);
      }
    });
  }
  collectors_.push_back(std::move(collect));
}

bool ServiceRuntime::DependenciesHealthy() {
  if (pool_ != nullptr) {
    absl::Status db = pool_->InTransaction([](pqxx::work& tx) {
      tx.exec1("SELECT 1");
      return absl::OkStatus();
    });
    if (!db.ok()) return false;
  }
  if (spec_.uses_redis) {
    // One connection kept for the checks; it reconnects by itself after a failure.
    if (health_redis_ == nullptr) {
      health_redis_ = std::make_unique<RedisClient>(redis_address_, absl::Seconds(1));
    }
    if (!health_redis_->Command({"PING"}).ok()) return false;
  }
  return true;
}

void ServiceRuntime::StartAuditCheckpoints() {
  audit_service_ = std::make_unique<audit::AuditLogService>(
      audit::AuditLogService::Options{
          .service = spec_.name,
          .systems_led_by = spec_.audit_systems_led_by,
          .checkpoint_keys = [keys = service_keys_.get()] { return keys->Current(); }},
      *pool_, *authenticator_, clock_);
  const absl::Duration interval = config_.Duration("audit-checkpoint-interval");
  const std::string file = config_.String("audit-checkpoint-file");
  AddWorker([this, interval, file](std::stop_token stop) {
    while (!stop.stop_requested()) {
      RunEvery(stop, interval);
      if (stop.stop_requested()) break;
      std::optional<audit::SignedCheckpoint> issued;
      absl::Status s = pool_->InTransaction([&](pqxx::work& tx) -> absl::Status {
        absl::StatusOr<std::optional<audit::SignedCheckpoint>> made =
            audit::IssueCheckpoint(tx, *service_key_, spec_.name, clock_.Now());
        if (!made.ok()) return made.status();
        issued = *std::move(made);
        return absl::OkStatus();
      });
      if (!s.ok()) {
        Log(LogLevel::kWarning, "audit checkpoint not issued; retrying at the next interval",
            {{"error", s.ToString()}});
        continue;
      }
      if (!issued.has_value()) continue;
      Log(LogLevel::kInfo, "audit checkpoint issued",
          {{"size", std::to_string(issued->checkpoint.size)},
           {"head_hash", issued->checkpoint.head_hash}});
      // After the commit: a copy the database's writers cannot take back. A crash between the
      // two loses this copy only; the next checkpoint covers the chain again.
      if (!file.empty()) {
        std::ofstream out(file, std::ios::app);
        out << issued->jws << "\n";
        if (!out) {
          Log(LogLevel::kWarning, "audit checkpoint not appended to the checkpoint file",
              {{"file", file}});
        }
      }
    }
  });
}

int ServiceRuntime::Serve(const std::vector<grpc::Service*>& given) {
  const std::string program = "dps-" + spec_.name;
  std::vector<grpc::Service*> services = given;
  if (audit_service_ != nullptr) services.push_back(audit_service_.get());
  absl::StatusOr<GrpcServer> server = StartGrpcServer(
      config_.String("grpc-address"), services, &registry(),
      {.credentials = tls_.server, .health_address = config_.String("grpc-health-address")});
  if (!server.ok()) ExitWithStartupError(program, server.status());

  std::vector<std::jthread> threads;
  for (auto& worker : workers_) threads.emplace_back(worker);
  // Health follows the dependencies, so a readiness probe stops routing to a process that has
  // lost its database, and routes to it again when the database is back.
  threads.emplace_back([&](std::stop_token stop) {
    bool serving = true;
    while (!stop.stop_requested()) {
      const bool healthy = DependenciesHealthy();
      if (healthy != serving) {
        server->health->SetServing(healthy);
        Log(healthy ? LogLevel::kInfo : LogLevel::kWarning,
            healthy ? "dependencies back; serving" : "dependency down; not serving");
        serving = healthy;
      }
      for (int i = 0; i < 20 && !stop.stop_requested(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });

  Log(LogLevel::kInfo, "serving",
      {{"grpc_port", std::to_string(server->port)},
       {"grpc_tls", tls_.enabled ? "on" : "off"},
       {"health_port", std::to_string(server->health_port)},
       {"metrics_port", std::to_string(metrics_->port())}});
  const int signal = WaitForTerminationSignal();
  Log(LogLevel::kInfo, "stopping", {{"signal", std::to_string(signal)}});
  server->health->SetServing(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  for (auto& thread : threads) thread.request_stop();
  threads.clear();  // joins
  return 0;
}

}  // namespace dps::platform
