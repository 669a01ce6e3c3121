#include "services/contracts/app/testing/fake_publication_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/crypto/sha256.h"

namespace dps::contracts::testing {
namespace {

using Hook = std::function<absl::Status(const std::string&)>;

absl::Status Check(const Hook& before_write, const std::string& what, bool& wrote) {
  wrote = true;
  return before_write ? before_write(what) : absl::OkStatus();
}

// The seeded IPAs, read only: publishing never changes an IPA.
class FakeIpas final : public IpaRepository {
 public:
  explicit FakeIpas(FakePublicationStore::State& state) : state_(state) {}

  absl::StatusOr<StoredIpa> Load(const std::string& id) override {
    auto it = state_.ipas.find(id);
    if (it == state_.ipas.end())
      return absl::NotFoundError(absl::StrCat("ipa ", id, ": not found"));
    return it->second;
  }
  absl::StatusOr<StoredIpa> LoadForUpdate(const std::string& id) override { return Load(id); }
  absl::StatusOr<std::optional<StoredIpa>> FindBySource(const std::string&) override {
    return Unused();
  }
  absl::StatusOr<int64_t> Insert(const Ipa&, const NewDocuments&) override { return Unused(); }
  absl::StatusOr<int64_t> Save(const Ipa&, int64_t, const NewDocuments&) override {
    return Unused();
  }
  absl::StatusOr<std::vector<StoredIpa>> ListDue(absl::Time, int) override { return Unused(); }
  absl::StatusOr<IpaPage> List(const IpaFilter&, const IpaPageRequest&) override {
    return Unused();
  }
  absl::StatusOr<std::string> LoadDocument(const std::string&, int) override { return Unused(); }

 private:
  static absl::Status Unused() {
    return absl::UnimplementedError("fake publication store: IPAs are read only here");
  }
  FakePublicationStore::State& state_;
};

class FakePublications final : public PublicationRepository {
 public:
  FakePublications(FakePublicationStore::State& state, const Hook& before_write, bool& wrote)
      : state_(state), before_write_(before_write), wrote_(wrote) {}

  absl::StatusOr<StoredPublication> Load(const std::string& id) override {
    auto it = state_.publications.find(id);
    if (it == state_.publications.end()) {
      return absl::NotFoundError(absl::StrCat("publication ", id, ": not found"));
    }
    return it->second;
  }
  absl::StatusOr<StoredPublication> LoadForUpdate(const std::string& id) override {
    return Load(id);
  }

  absl::StatusOr<int64_t> Insert(const Publication& p, const std::string& package) override {
    if (absl::Status s = Check(before_write_, "insert", wrote_); !s.ok()) return s;
    if (platform::Sha256Hex(package) != p.sha256) {
      return absl::InternalError(
          absl::StrCat("publication ", p.id, ": the SHA-256 is not of the package"));
    }
    if (state_.publications.contains(p.id)) {
      return absl::AlreadyExistsError(absl::StrCat("publication ", p.id, ": already exists"));
    }
    for (const auto& [id, stored] : state_.publications) {
      const Publication& other = stored.publication;
      const bool same_quarter = p.kind == PublicationKind::kQuarterly && other.kind == p.kind &&
                                other.system_id == p.system_id && other.quarter == p.quarter;
      const bool same_notice =
          p.kind != PublicationKind::kQuarterly && other.kind == p.kind && other.ipa_id == p.ipa_id;
      if (same_quarter || same_notice) {
        return absl::AlreadyExistsError(absl::StrCat("publication ", p.id, ": already produced"));
      }
    }
    state_.publications[p.id] = {p, package, 1};
    return 1;
  }

  absl::StatusOr<int64_t> Save(const Publication& p, int64_t expected_version) override {
    if (absl::Status s = Check(before_write_, "save", wrote_); !s.ok()) return s;
    auto it = state_.publications.find(p.id);
    if (it == state_.publications.end()) {
      return absl::NotFoundError(absl::StrCat("publication ", p.id, ": not found"));
    }
    if (it->second.version != expected_version) {
      return absl::AbortedError(absl::StrCat("publication ", p.id, ": version ", expected_version,
                                             " is not the stored ", it->second.version));
    }
    it->second.publication = p;
    return ++it->second.version;
  }

  absl::StatusOr<std::optional<StoredPublication>> FindQuarterly(const std::string& system_id,
                                                                 const Quarter& quarter) override {
    for (const auto& [id, stored] : state_.publications) {
      const Publication& p = stored.publication;
      if (p.kind == PublicationKind::kQuarterly && p.system_id == system_id &&
          p.quarter == quarter) {
        return stored;
      }
    }
    return std::nullopt;
  }

  absl::StatusOr<std::optional<StoredPublication>> FindNotice(const std::string& ipa_id,
                                                              PublicationKind kind) override {
    for (const auto& [id, stored] : state_.publications) {
      if (stored.publication.kind == kind && stored.publication.ipa_id == ipa_id) return stored;
    }
    return std::nullopt;
  }

  absl::StatusOr<PublicationPage> List(const std::string& system_id,
                                       const PublicationPageRequest& page) override {
    if (page.size < 1 || page.size > 500) {
      return absl::InvalidArgumentError(absl::StrCat("page.size: must be 1 to 500"));
    }
    PublicationPage out;
    for (auto it = state_.publications.upper_bound(page.after_id); it != state_.publications.end();
         ++it) {
      const Publication& p = it->second.publication;
      if (p.system_id != system_id) continue;
      if (page.kind != PublicationKind::kUnspecified && p.kind != page.kind) continue;
      if (static_cast<int>(out.publications.size()) == page.size) {
        out.next_after_id = out.publications.back().publication.id;
        break;
      }
      out.publications.push_back({p, "", it->second.version});
    }
    return out;
  }

  absl::StatusOr<std::vector<std::string>> ListAwardsBetween(const std::string& system_id,
                                                             absl::Time from,
                                                             absl::Time to) override {
    std::vector<std::string> ids;
    for (const auto& [id, stored] : state_.ipas) {
      const absl::Time at = stored.ipa.awarded_at;
      if (stored.ipa.system_id == system_id && at >= from && at < to) ids.push_back(id);
    }
    return ids;
  }

 private:
  FakePublicationStore::State& state_;
  const Hook& before_write_;
  bool& wrote_;
};

class FakeTransaction final : public PublicationTransaction {
 public:
  FakeTransaction(FakePublicationStore::State& state, const Hook& before_write, bool& wrote)
      : state_(state),
        before_write_(before_write),
        wrote_(wrote),
        ipas_(state),
        publications_(state, before_write, wrote) {}

  PublicationRepository& publications() override { return publications_; }
  IpaRepository& ipas() override { return ipas_; }
  absl::Status Publish(const IpaEvent& event) override {
    if (absl::Status s = Check(before_write_, "publish", wrote_); !s.ok()) return s;
    state_.events.push_back(event);
    return absl::OkStatus();
  }
  absl::Status RecordResponse(const RequestRecord& record) override {
    if (absl::Status s = Check(before_write_, "record", wrote_); !s.ok()) return s;
    if (!state_.responses.emplace(std::pair{record.scope, record.key}, record).second) {
      return absl::AlreadyExistsError("idempotency_key: already served");
    }
    return absl::OkStatus();
  }

 private:
  FakePublicationStore::State& state_;
  const Hook& before_write_;
  bool& wrote_;
  FakeIpas ipas_;
  FakePublications publications_;
};

}  // namespace

absl::Status FakePublicationStore::Run(const Work& work) {
  ++transactions_;
  State copy = state_;
  bool wrote = false;
  FakeTransaction tx(copy, before_write, wrote);
  if (absl::Status s = work(tx); !s.ok()) return s;
  state_ = std::move(copy);
  if (wrote) ++commits_that_wrote_;
  return absl::OkStatus();
}

}  // namespace dps::contracts::testing
