// AuditLogService (proto/dps/audit/v1/audit.proto) over a service's own chain: every stateful
// service serves it for its schema's audit_log, added by the service runtime, so qualification,
// referral and contracts answer it the same way.
//
// Who reads what (ScopeOf): a DPS service (ROLE_SERVICE, operations tooling) everything; the
// lead authority's admins and auditors the entries of the purchasing systems their organisation
// leads; placing officers and commissioners the entries about their own authority; providers
// and evaluators nothing (PermissionDenied). An entry outside the caller's scope does not exist
// for Get (NotFound), is left out of List, and is redacted in an export (its hashes kept, so the
// whole chain still verifies). Verify reports only whether the chain holds, so every reader may
// run it.
//
// Export and Verify read the chain in batches, each in its own short transaction: chained
// entries never change, so nothing is held open while a client reads the stream.
#ifndef DPS_PLATFORM_AUDIT_SERVICE_H_
#define DPS_PLATFORM_AUDIT_SERVICE_H_

#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dps/audit/v1/audit.grpc.pb.h"
#include "platform/audit/chain.h"
#include "platform/auth/authenticator.h"
#include "platform/auth/identity.h"
#include "platform/auth/keys.h"
#include "platform/clock/clock.h"
#include "platform/pg/pool.h"

namespace dps::platform::audit {

// The purchasing systems an organisation leads, from the service's own records (each service
// keeps that query in its storage).
using SystemsLedBy = std::function<absl::StatusOr<std::vector<std::string>>(
    pqxx::work& tx, const std::string& organisation_id)>;

// What one caller may read of a chain.
struct ReadScope {
  bool everything = false;
  std::vector<std::string> system_ids;  // entries of these systems
  std::string authority_id;             // entries about this authority
};

// The caller's scope, or PermissionDenied for a role that reads no audit entries.
absl::StatusOr<ReadScope> ScopeOf(pqxx::work& tx, const CallerIdentity& caller,
                                  const SystemsLedBy& systems_led_by);

// Whether `entry` lies within `scope`.
bool InScope(const Entry& entry, const ReadScope& scope);

// An entry as an export shows it outside the reader's scope: the chain fields only.
Entry Redacted(const Entry& entry);

class AuditLogService final : public dps::audit::v1::AuditLogService::Service {
 public:
  struct Options {
    std::string service;  // the chain: "qualification", "referral" or "contracts"
    SystemsLedBy systems_led_by;
    // The keys checkpoints are signed with (the services' key set), read at each Verify so a
    // rotation needs no restart.
    std::function<std::shared_ptr<const auth::KeySet>()> checkpoint_keys;
    int batch_size = 1000;  // entries per transaction in Export and Verify
  };

  AuditLogService(Options options, PgPool& pool, const auth::Authenticator& authenticator,
                  const Clock& clock)
      : options_(std::move(options)), pool_(pool), authenticator_(authenticator), clock_(clock) {}

  grpc::Status GetAuditEntry(grpc::ServerContext* context,
                             const dps::audit::v1::GetAuditEntryRequest* request,
                             dps::audit::v1::AuditEntry* response) override;
  grpc::Status ListAuditEntries(grpc::ServerContext* context,
                                const dps::audit::v1::ListAuditEntriesRequest* request,
                                dps::audit::v1::ListAuditEntriesResponse* response) override;
  grpc::Status ExportAuditLog(
      grpc::ServerContext* context, const dps::audit::v1::ExportAuditLogRequest* request,
      grpc::ServerWriter<dps::audit::v1::ExportAuditLogResponse>* writer) override;
  grpc::Status VerifyAuditChain(grpc::ServerContext* context,
                                const dps::audit::v1::VerifyAuditChainRequest* request,
                                dps::audit::v1::VerifyAuditChainResponse* response) override;

 private:
  // The caller and their scope, after the request's checks and its `service` field.
  absl::StatusOr<std::pair<CallerIdentity, ReadScope>> Admit(
      const grpc::ServerContext& context, const google::protobuf::Message& request,
      const std::string& service);

  Options options_;
  PgPool& pool_;
  const auth::Authenticator& authenticator_;
  const Clock& clock_;
};

}  // namespace dps::platform::audit

#endif  // DPS_PLATFORM_AUDIT_SERVICE_H_
