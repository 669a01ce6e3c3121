#include "services/contracts/consumers/award_events.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/contracts/app/ipa_use_cases.h"
#include "services/contracts/storage/pg_ipa_repository.h"

namespace dps::contracts {

namespace ev = ::dps::events::v1;

// Facts kept at most; past it the cache starts again (each entry is asked for again once).
constexpr size_t kMaxCachedFacts = 10'000;

std::string AwardConsumer::CacheKey(const AwardRef& ref) const {
  return absl::StrCat(ref.system_id, "/", ref.lot_id, "/", ref.establishment_id);
}

absl::Status AwardConsumer::Prepare(const platform::StreamEvent& event) {
  ev::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError("payload: not an EventEnvelope");
  }
  const std::optional<AwardRef> ref = AwardRefOf(envelope);
  if (!ref) return absl::OkStatus();  // not an award: Apply skips it
  const std::string key = CacheKey(*ref);
  {
    absl::MutexLock lock(&mu_);
    if (cache_.contains(key)) return absl::OkStatus();
  }
  // Asked with nothing held: no lock of ours, no connection, no transaction.
  absl::StatusOr<AwardFacts> facts =
      facts_.FactsOf(event.request_id, ref->system_id, ref->lot_id, ref->establishment_id);
  if (!facts.ok()) {
    // A lot or system the qualification service does not know can never make an IPA.
    if (absl::IsNotFound(facts.status())) {
      return absl::InvalidArgumentError(std::string(facts.status().message()));
    }
    return facts.status();
  }
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCachedFacts) cache_.clear();
  cache_[key] = *std::move(facts);
  return absl::OkStatus();
}

absl::Status AwardConsumer::Apply(pqxx::work& tx, const platform::StreamEvent& event) {
  ev::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.payload)) {
    return absl::InvalidArgumentError("payload: not an EventEnvelope");
  }
  const std::optional<AwardRef> ref = AwardRefOf(envelope);
  if (!ref) return absl::OkStatus();
  AwardFacts facts;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(CacheKey(*ref));
    if (it == cache_.end()) {
      return absl::UnavailableError("the award's lot and system are not known yet");
    }
    facts = it->second;
  }
  absl::StatusOr<IpaSpec> spec = SpecFromAward(envelope, facts);
  if (!spec.ok()) return spec.status();
  PgOpenTransaction uow(tx);
  IpaUseCases cases(uow, renderer_, clock_, new_id_);
  return cases.CreateIpaFromAward(*std::move(spec), {ContractsServiceActor(), event.request_id})
      .status();
}

}  // namespace dps::contracts
