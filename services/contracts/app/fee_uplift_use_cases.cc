#include "services/contracts/app/fee_uplift_use_cases.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/contracts/app/ipa_events.h"

namespace dps::contracts {
namespace {

// Runs the caller's hook in the transaction that saved `stored`.
absl::Status AfterSave(IpaTransaction& tx, const StoredUplift& stored, const Caller& caller) {
  if (!caller.on_uplift_saved) return absl::OkStatus();
  return caller.on_uplift_saved(tx, stored);
}

// An uplift of an IPA the caller may not read does not exist for them.
absl::Status CheckReadable(const Ipa& ipa, const FeeUplift& uplift, const Actor& actor) {
  if (ReadAccess(ipa, actor).ok()) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("fee uplift ", uplift.id, ": not found"));
}

}  // namespace

FeeUpliftUseCases::FeeUpliftUseCases(IpaUnitOfWork& uow, const DocumentRenderer& renderer,
                                     const platform::Clock& clock,
                                     std::function<std::string()> new_id)
    : uow_(uow), renderer_(renderer), clock_(clock), new_id_(std::move(new_id)) {}

absl::StatusOr<StoredUplift> FeeUpliftUseCases::Request(const std::string& ipa_id,
                                                        UpliftRequestInput input,
                                                        const Caller& caller) {
  StoredUplift result;
  const std::string id = new_id_();
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    // The IPA's lock makes the 12-month rule hold between concurrent requests.
    absl::StatusOr<StoredIpa> ipa = tx.ipas().LoadForUpdate(ipa_id);
    if (!ipa.ok()) return ipa.status();
    if (absl::StatusOr<bool> readable = ReadAccess(ipa->ipa, caller.actor); !readable.ok()) {
      return readable.status();
    }
    absl::StatusOr<std::vector<FeeUplift>> earlier = tx.uplifts().ListForIpa(ipa_id);
    if (!earlier.ok()) return earlier.status();
    const EventContext context{caller.actor, caller.request_id, clock_.Now()};
    absl::StatusOr<FeeUplift> uplift =
        RequestFeeUplift(ipa->ipa, *earlier, id, std::move(input), caller.actor, context.now);
    if (!uplift.ok()) return uplift.status();
    absl::StatusOr<int64_t> version = tx.uplifts().Insert(*uplift);
    if (!version.ok()) return version.status();
    result = {*std::move(uplift), *version};
    if (absl::Status s = AfterSave(tx, result, caller); !s.ok()) return s;
    return tx.Publish(UpliftRequestedEvent(result.uplift, ipa->ipa, context));
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<StoredUplift> FeeUpliftUseCases::Decide(const std::string& uplift_id,
                                                       const UpliftDecision& decision,
                                                       const Caller& caller) {
  // 1. Read both, and let the transaction go.
  absl::StatusOr<StoredUplift> uplift;
  absl::StatusOr<StoredIpa> ipa;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
        uplift = tx.uplifts().Load(uplift_id);
        if (!uplift.ok()) return uplift.status();
        ipa = tx.ipas().Load(uplift->uplift.ipa_id);
        return ipa.status();
      });
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckReadable(ipa->ipa, uplift->uplift, caller.actor); !s.ok()) return s;

  // 2. Decide with nothing held: an approval renders the variation it proposes.
  const EventContext context{caller.actor, caller.request_id, clock_.Now()};
  RecordingRenderer renderer(renderer_);
  const int versions_before = static_cast<int>(ipa->ipa.versions.size());
  if (absl::Status s =
          DecideFeeUplift(uplift->uplift, ipa->ipa, decision, renderer, caller.actor, context.now);
      !s.ok()) {
    return s;
  }
  const bool ipa_changed = static_cast<int>(ipa->ipa.versions.size()) != versions_before;

  // 3. Save each only over the version read.
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
        if (ipa_changed) {
          absl::StatusOr<int64_t> saved =
              tx.ipas().Save(ipa->ipa, ipa->version, renderer.rendered());
          if (!saved.ok()) return saved.status();
          ipa->version = *saved;
        }
        absl::StatusOr<int64_t> saved = tx.uplifts().Save(uplift->uplift, uplift->version);
        if (!saved.ok()) return saved.status();
        uplift->version = *saved;
        if (absl::Status s = AfterSave(tx, *uplift, caller); !s.ok()) return s;
        return tx.Publish(UpliftDecidedEvent(uplift->uplift, ipa->ipa, context));
      });
      !s.ok()) {
    return s;
  }
  return *std::move(uplift);
}

absl::StatusOr<StoredUplift> FeeUpliftUseCases::Withdraw(const std::string& uplift_id,
                                                         const Caller& caller) {
  StoredUplift result;
  const absl::Status s = uow_.Run([&](IpaTransaction& tx) -> absl::Status {
    absl::StatusOr<StoredUplift> uplift = tx.uplifts().LoadForUpdate(uplift_id);
    if (!uplift.ok()) return uplift.status();
    absl::StatusOr<StoredIpa> ipa = tx.ipas().Load(uplift->uplift.ipa_id);
    if (!ipa.ok()) return ipa.status();
    if (absl::Status s = CheckReadable(ipa->ipa, uplift->uplift, caller.actor); !s.ok()) return s;
    const EventContext context{caller.actor, caller.request_id, clock_.Now()};
    const UpliftState before = uplift->uplift.state;
    if (absl::Status s = WithdrawFeeUplift(uplift->uplift, caller.actor, context.now); !s.ok()) {
      return s;
    }
    absl::StatusOr<int64_t> saved = tx.uplifts().Save(uplift->uplift, uplift->version);
    if (!saved.ok()) return saved.status();
    uplift->version = *saved;
    result = *std::move(uplift);
    if (absl::Status s = tx.RecordUnannounced(
            AuditEntryOf({.action = "uplift.withdrawn",
                          .aggregate_type = "fee_uplift",
                          .aggregate_id = result.uplift.id,
                          .system_id = ipa->ipa.system_id,
                          .authority_id = ipa->ipa.parties.placing_authority_id,
                          .from_state = std::string(UpliftStateName(before)),
                          .to_state = std::string(UpliftStateName(result.uplift.state)),
                          .details = {{"ipa_id", result.uplift.ipa_id}}},
                         context));
        !s.ok()) {
      return s;
    }
    return AfterSave(tx, result, caller);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<UpliftPage> FeeUpliftUseCases::List(UpliftFilter filter,
                                                   const UpliftPageRequest& page,
                                                   const Actor& actor) {
  if (absl::Status s = HoldToScope(filter, actor); !s.ok()) return s;
  absl::StatusOr<UpliftPage> found;
  if (absl::Status s = uow_.Run([&](IpaTransaction& tx) {
        found = tx.uplifts().List(filter, page);
        return found.status();
      });
      !s.ok()) {
    return s;
  }
  return found;
}

}  // namespace dps::contracts
