#include "services/contracts/app/testing/fake_ipa_store.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace dps::contracts::testing {
namespace {

// The fee uplifts of one transaction, over the same copied state as its IPAs: the rules of
// migrations/0002_fee_uplifts.sql (one id, at most one REQUESTED uplift per IPA) and of the
// optimistic version. `before_write` is the transaction's, so it counts as a write.
class FakeUplifts final : public FeeUpliftRepository {
 public:
  FakeUplifts(FakeIpaStore::State& state,
              std::function<absl::Status(const std::string&)> before_write)
      : state_(state), before_write_(std::move(before_write)) {}

  absl::StatusOr<StoredUplift> Load(const std::string& id) override {
    auto it = state_.uplifts.find(id);
    if (it == state_.uplifts.end()) {
      return absl::NotFoundError(absl::StrCat("fee uplift ", id, ": not found"));
    }
    return it->second;
  }
  absl::StatusOr<StoredUplift> LoadForUpdate(const std::string& id) override { return Load(id); }

  absl::StatusOr<std::vector<FeeUplift>> ListForIpa(const std::string& ipa_id) override {
    std::vector<FeeUplift> out;
    for (const auto& [id, stored] : state_.uplifts) {
      if (stored.uplift.ipa_id == ipa_id) out.push_back(stored.uplift);
    }
    // Oldest request first, then by id, as the index fee_uplifts_by_ipa orders them.
    std::stable_sort(out.begin(), out.end(), [](const FeeUplift& a, const FeeUplift& b) {
      return a.requested_at < b.requested_at;
    });
    return out;
  }

  absl::StatusOr<int64_t> Insert(const FeeUplift& uplift) override {
    if (absl::Status s = before_write_("insert_uplift"); !s.ok()) return s;
    if (state_.uplifts.contains(uplift.id)) {
      return absl::AlreadyExistsError(absl::StrCat("fee uplift ", uplift.id, ": already exists"));
    }
    if (absl::Status s = OneRequested(uplift); !s.ok()) return s;
    state_.uplifts[uplift.id] = {uplift, 1};
    return 1;
  }

  absl::StatusOr<int64_t> Save(const FeeUplift& uplift, int64_t expected_version) override {
    if (absl::Status s = before_write_("save_uplift"); !s.ok()) return s;
    auto it = state_.uplifts.find(uplift.id);
    if (it == state_.uplifts.end()) {
      return absl::NotFoundError(absl::StrCat("fee uplift ", uplift.id, ": not found"));
    }
    if (it->second.version != expected_version) {
      return absl::AbortedError(absl::StrCat("fee uplift ", uplift.id, ": version ",
                                             expected_version, " is not the stored ",
                                             it->second.version));
    }
    if (absl::Status s = OneRequested(uplift); !s.ok()) return s;
    it->second = {uplift, expected_version + 1};
    return expected_version + 1;
  }

  absl::StatusOr<UpliftPage> List(const UpliftFilter& filter,
                                  const UpliftPageRequest& page) override {
    UpliftPage out;
    for (const auto& [id, stored] : state_.uplifts) {
      const FeeUplift& u = stored.uplift;
      if (id <= page.after_id) continue;
      if (!filter.ipa_id.empty() && u.ipa_id != filter.ipa_id) continue;
      if (!filter.placing_authority_id.empty() &&
          u.placing_authority_id != filter.placing_authority_id) {
        continue;
      }
      if (!filter.provider_id.empty() && u.provider_id != filter.provider_id) continue;
      if (!filter.lead_authority_id.empty() && u.lead_authority_id != filter.lead_authority_id) {
        continue;
      }
      if (!filter.states.empty() &&
          std::find(filter.states.begin(), filter.states.end(), u.state) == filter.states.end()) {
        continue;
      }
      if (static_cast<int>(out.uplifts.size()) == page.size) {
        out.next_after_id = out.uplifts.back().uplift.id;
        break;
      }
      out.uplifts.push_back(stored);
    }
    return out;
  }

 private:
  // The partial unique index: a REQUESTED uplift beside another REQUESTED one of its IPA.
  absl::Status OneRequested(const FeeUplift& uplift) const {
    if (uplift.state != UpliftState::kRequested) return absl::OkStatus();
    for (const auto& [id, stored] : state_.uplifts) {
      if (id != uplift.id && stored.uplift.ipa_id == uplift.ipa_id &&
          stored.uplift.state == UpliftState::kRequested) {
        return absl::AlreadyExistsError(absl::StrCat("fee uplift ", uplift.id,
                                                     ": another request of IPA ", uplift.ipa_id,
                                                     " awaits a decision"));
      }
    }
    return absl::OkStatus();
  }

  FakeIpaStore::State& state_;
  std::function<absl::Status(const std::string&)> before_write_;
};

// The KPI definitions, returns and reviews of one transaction, over the same copied state as its
// IPAs: the rules of migrations/0004_kpis.sql (one id, one return per IPA and period) and of the
// optimistic version. Row locks are not modelled.
class FakeKpis final : public KpiRepository {
 public:
  FakeKpis(FakeIpaStore::State& state, std::function<absl::Status(const std::string&)> before_write)
      : state_(state), before_write_(std::move(before_write)) {}

  absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitions(const std::string& system_id) override {
    auto it = state_.kpi_definitions.find(system_id);
    if (it != state_.kpi_definitions.end()) return it->second;
    StoredKpiDefinitionSet none;
    none.set.system_id = system_id;
    return none;
  }
  absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitionsForShare(
      const std::string& system_id) override {
    return LoadDefinitions(system_id);
  }
  absl::StatusOr<StoredKpiDefinitionSet> LoadDefinitionsForUpdate(
      const std::string& system_id) override {
    return LoadDefinitions(system_id);
  }

  absl::StatusOr<int64_t> SaveDefinitions(const KpiDefinitionSet& set,
                                          int64_t expected_version) override {
    if (absl::Status s = before_write_("save_kpi_definitions"); !s.ok()) return s;
    auto it = state_.kpi_definitions.find(set.system_id);
    const int64_t stored = it == state_.kpi_definitions.end() ? 0 : it->second.version;
    if (stored != expected_version) {
      return absl::AbortedError(absl::StrCat("kpi definitions of system ", set.system_id,
                                             ": changed since version ", expected_version,
                                             " was read"));
    }
    state_.kpi_definitions[set.system_id] = {set, stored + 1};
    return stored + 1;
  }

  absl::StatusOr<std::set<std::string>> CodesInUse(const std::string& system_id) override {
    std::set<std::string> out;
    for (const auto& [id, stored] : state_.kpi_returns) {
      if (stored.kpi_return.system_id != system_id) continue;
      for (const KpiValue& value : stored.kpi_return.values) out.insert(value.code);
    }
    return out;
  }

  absl::StatusOr<StoredKpiReturn> LoadReturn(const std::string& id) override {
    auto it = state_.kpi_returns.find(id);
    if (it == state_.kpi_returns.end()) {
      return absl::NotFoundError(absl::StrCat("kpi return ", id, ": not found"));
    }
    return it->second;
  }
  absl::StatusOr<StoredKpiReturn> LoadReturnForUpdate(const std::string& id) override {
    return LoadReturn(id);
  }

  absl::StatusOr<std::optional<StoredKpiReturn>> FindReturn(const std::string& ipa_id,
                                                            const DateRange& period) override {
    for (const auto& [id, stored] : state_.kpi_returns) {
      if (stored.kpi_return.ipa_id == ipa_id && stored.kpi_return.period == period) return stored;
    }
    return std::nullopt;
  }

  absl::StatusOr<int64_t> InsertReturn(const KpiReturn& kpi_return) override {
    if (absl::Status s = before_write_("insert_kpi_return"); !s.ok()) return s;
    if (state_.kpi_returns.contains(kpi_return.id)) {
      return absl::AlreadyExistsError(
          absl::StrCat("kpi return ", kpi_return.id, ": already exists"));
    }
    if (FindReturn(kpi_return.ipa_id, kpi_return.period)->has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("kpi return ", kpi_return.id, ": IPA ",
                                                   kpi_return.ipa_id, " has a return for ",
                                                   FormatRange(kpi_return.period), " already"));
    }
    state_.kpi_returns[kpi_return.id] = {kpi_return, 1};
    return 1;
  }

  absl::StatusOr<int64_t> SaveReturn(const KpiReturn& kpi_return,
                                     int64_t expected_version) override {
    if (absl::Status s = before_write_("save_kpi_return"); !s.ok()) return s;
    auto it = state_.kpi_returns.find(kpi_return.id);
    if (it == state_.kpi_returns.end()) {
      return absl::NotFoundError(absl::StrCat("kpi return ", kpi_return.id, ": not found"));
    }
    if (it->second.version != expected_version) {
      return absl::AbortedError(absl::StrCat("kpi return ", kpi_return.id, ": version ",
                                             expected_version, " is not the stored ",
                                             it->second.version));
    }
    it->second = {kpi_return, expected_version + 1};
    return expected_version + 1;
  }

  absl::StatusOr<KpiReturnPage> ListReturns(const KpiReturnFilter& filter,
                                            const KpiPageRequest& page) override {
    KpiReturnPage out;
    for (const auto& [id, stored] : state_.kpi_returns) {
      const KpiReturn& r = stored.kpi_return;
      if (id <= page.after_id) continue;
      const std::pair<const std::string&, const std::string&> fields[] = {
          {filter.ipa_id, r.ipa_id},
          {filter.establishment_id, r.establishment_id},
          {filter.system_id, r.system_id},
          {filter.placing_authority_id, r.placing_authority_id},
          {filter.provider_id, r.provider_id},
          {filter.lead_authority_id, r.lead_authority_id}};
      if (!std::all_of(std::begin(fields), std::end(fields),
                       [](const auto& f) { return f.first.empty() || f.first == f.second; })) {
        continue;
      }
      if (filter.period && !Overlaps(*filter.period, r.period)) continue;
      if (!filter.states.empty() &&
          std::find(filter.states.begin(), filter.states.end(), r.state) == filter.states.end()) {
        continue;
      }
      if (static_cast<int>(out.returns.size()) == page.size) {
        out.next_after_id = out.returns.back().kpi_return.id;
        break;
      }
      out.returns.push_back(stored);
    }
    return out;
  }

  absl::StatusOr<StoredPerformanceReview> LoadReview(const std::string& id) override {
    auto it = state_.performance_reviews.find(id);
    if (it == state_.performance_reviews.end()) {
      return absl::NotFoundError(absl::StrCat("performance review ", id, ": not found"));
    }
    return it->second;
  }

  absl::StatusOr<int64_t> InsertReview(const PerformanceReview& review) override {
    if (absl::Status s = before_write_("insert_performance_review"); !s.ok()) return s;
    if (!state_.performance_reviews.emplace(review.id, StoredPerformanceReview{review, 1}).second) {
      return absl::AlreadyExistsError(
          absl::StrCat("performance review ", review.id, ": already exists"));
    }
    return 1;
  }

  absl::StatusOr<PerformanceReviewPage> ListReviews(const PerformanceReviewFilter& filter,
                                                    const KpiPageRequest& page) override {
    PerformanceReviewPage out;
    for (const auto& [id, stored] : state_.performance_reviews) {
      const PerformanceReview& r = stored.review;
      if (id <= page.after_id) continue;
      const std::pair<const std::string&, const std::string&> fields[] = {
          {filter.system_id, r.system_id},
          {filter.establishment_id, r.establishment_id},
          {filter.provider_id, r.provider_id},
          {filter.lead_authority_id, r.lead_authority_id}};
      if (!std::all_of(std::begin(fields), std::end(fields),
                       [](const auto& f) { return f.first.empty() || f.first == f.second; })) {
        continue;
      }
      if (static_cast<int>(out.reviews.size()) == page.size) {
        out.next_after_id = out.reviews.back().review.id;
        break;
      }
      out.reviews.push_back(stored);
    }
    return out;
  }

 private:
  FakeIpaStore::State& state_;
  std::function<absl::Status(const std::string&)> before_write_;
};

class FakeTransaction final : public IpaRepository, public IpaTransaction {
 public:
  FakeTransaction(FakeIpaStore::State& state,
                  const std::function<absl::Status(const std::string&)>& before_write)
      : state_(state),
        before_write_(before_write),
        uplifts_(state, [this](const std::string& what) { return BeforeWrite(what); }),
        kpis_(state, [this](const std::string& what) { return BeforeWrite(what); }) {}

  bool wrote() const { return wrote_; }

  IpaRepository& ipas() override { return *this; }
  FeeUpliftRepository& uplifts() override { return uplifts_; }
  KpiRepository& kpis() override { return kpis_; }

  absl::Status Publish(const IpaEvent& event) override {
    if (absl::Status s = BeforeWrite("publish"); !s.ok()) return s;
    state_.events.push_back(event);
    return absl::OkStatus();
  }

  absl::Status RecordUnannounced(const platform::audit::Entry& entry) override {
    if (absl::Status s = BeforeWrite("audit"); !s.ok()) return s;
    state_.audit_entries.push_back(entry);
    return absl::OkStatus();
  }
  absl::Status RecordResponse(const RequestRecord& record) override {
    if (absl::Status s = BeforeWrite("record"); !s.ok()) return s;
    if (!state_.responses.emplace(std::pair(record.scope, record.key), record).second) {
      return absl::AlreadyExistsError("idempotency_key: already served");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<StoredIpa> Load(const std::string& id) override {
    auto it = state_.ipas.find(id);
    if (it == state_.ipas.end())
      return absl::NotFoundError(absl::StrCat("ipa ", id, ": not found"));
    return it->second;
  }
  absl::StatusOr<StoredIpa> LoadForUpdate(const std::string& id) override { return Load(id); }

  absl::StatusOr<std::optional<StoredIpa>> FindBySource(const std::string& source_key) override {
    for (const auto& [id, stored] : state_.ipas) {
      if (SourceKey(stored.ipa.source).value_or("") == source_key) return stored;
    }
    return std::nullopt;
  }

  absl::StatusOr<int64_t> Insert(const Ipa& ipa, const NewDocuments& documents) override {
    if (absl::Status s = BeforeWrite("insert"); !s.ok()) return s;
    absl::StatusOr<std::string> key = SourceKey(ipa.source);
    if (!key.ok()) return key.status();
    absl::StatusOr<std::optional<StoredIpa>> same_source = FindBySource(*key);
    if (state_.ipas.contains(ipa.id) || same_source->has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("ipa ", ipa.id, ": already exists"));
    }
    if (absl::Status s = KeepDocuments(ipa, documents, 0); !s.ok()) return s;
    state_.ipas[ipa.id] = {ipa, 1};
    return 1;
  }

  absl::StatusOr<int64_t> Save(const Ipa& ipa, int64_t expected_version,
                               const NewDocuments& documents) override {
    if (absl::Status s = BeforeWrite("save"); !s.ok()) return s;
    auto it = state_.ipas.find(ipa.id);
    if (it == state_.ipas.end()) {
      return absl::NotFoundError(absl::StrCat("ipa ", ipa.id, ": not found"));
    }
    if (it->second.version != expected_version) {
      return absl::AbortedError(absl::StrCat("ipa ", ipa.id, ": version ", expected_version,
                                             " is not the stored ", it->second.version));
    }
    const int stored_versions = static_cast<int>(it->second.ipa.versions.size());
    if (absl::Status s = KeepDocuments(ipa, documents, stored_versions); !s.ok()) return s;
    it->second = {ipa, expected_version + 1};
    return expected_version + 1;
  }

  absl::StatusOr<std::vector<StoredIpa>> ListDue(absl::Time now, int limit) override {
    std::vector<std::pair<absl::Time, const StoredIpa*>> due;
    for (const auto& [id, stored] : state_.ipas) {
      if (std::optional<absl::Time> at = NextTimerDue(stored.ipa); at && *at <= now) {
        due.emplace_back(*at, &stored);
      }
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<StoredIpa> out;
    for (const auto& [at, stored] : due) {
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back(*stored);
    }
    return out;
  }

  absl::StatusOr<IpaPage> List(const IpaFilter& filter, const IpaPageRequest& page) override {
    IpaPage out;
    for (const auto& [id, stored] : state_.ipas) {
      const Ipa& ipa = stored.ipa;
      if (id <= page.after_id) continue;
      if (!filter.placing_authority_id.empty() &&
          ipa.parties.placing_authority_id != filter.placing_authority_id) {
        continue;
      }
      if (!filter.provider_id.empty() && ipa.parties.provider_id != filter.provider_id) continue;
      if (!filter.lead_authority_id.empty() && ipa.lead_authority_id != filter.lead_authority_id) {
        continue;
      }
      if (!filter.system_id.empty() && ipa.system_id != filter.system_id) continue;
      if (!filter.establishment_id.empty() &&
          ipa.parties.establishment_id != filter.establishment_id) {
        continue;
      }
      if (!filter.states.empty() &&
          std::find(filter.states.begin(), filter.states.end(), ipa.state) == filter.states.end()) {
        continue;
      }
      if (static_cast<int>(out.ipas.size()) == page.size) {
        out.next_after_id = out.ipas.back().ipa.id;
        break;
      }
      out.ipas.push_back(stored);
    }
    return out;
  }

  absl::StatusOr<std::string> LoadDocument(const std::string& ipa_id, int number) override {
    auto it = state_.documents.find({ipa_id, number});
    if (it == state_.documents.end()) return absl::NotFoundError("no such version");
    return it->second;
  }

 private:
  absl::Status BeforeWrite(const std::string& what) {
    wrote_ = true;
    return before_write_ ? before_write_(what) : absl::OkStatus();
  }

  // Every version above `stored` must come with bytes; stored ones are never replaced.
  absl::Status KeepDocuments(const Ipa& ipa, const NewDocuments& documents, int stored) {
    for (const IpaVersion& v : ipa.versions) {
      if (v.number <= stored) continue;
      auto bytes = documents.find(v.number);
      if (bytes == documents.end() || static_cast<int64_t>(bytes->second.size()) != v.byte_length) {
        return absl::InternalError(absl::StrCat("ipa ", ipa.id, " version ", v.number,
                                                ": new, without its rendered bytes"));
      }
      state_.documents[{ipa.id, v.number}] = bytes->second;
    }
    return absl::OkStatus();
  }

  FakeIpaStore::State& state_;
  const std::function<absl::Status(const std::string&)>& before_write_;
  FakeUplifts uplifts_;
  FakeKpis kpis_;
  bool wrote_ = false;
};

}  // namespace

absl::Status FakeIpaStore::Run(const Work& work) {
  State copy = state_;
  FakeTransaction tx(copy, before_write);
  const absl::Status s = work(tx);
  if (!s.ok()) return s;
  if (tx.wrote()) ++commits_that_wrote_;
  state_ = std::move(copy);
  return absl::OkStatus();
}

}  // namespace dps::contracts::testing
