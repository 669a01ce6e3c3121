// What the use cases render a version with: the document's bytes (the contracts-document work
// provides them), from which the use cases take the SHA-256 and length themselves, so the hash a
// party signs is by construction the hash of the bytes stored beside it.
//
// The domain asks a VersionRenderer for the hash only (services/contracts/domain/ipa.h);
// RecordingRenderer is that VersionRenderer: it renders through a DocumentRenderer, hashes the
// bytes and keeps them by version number for the repository to store with the version.
#ifndef DPS_SERVICES_CONTRACTS_APP_DOCUMENT_RENDERER_H_
#define DPS_SERVICES_CONTRACTS_APP_DOCUMENT_RENDERER_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/contracts/domain/ipa.h"
#include "services/contracts/storage/ipa_repository.h"

namespace dps::contracts {

class DocumentRenderer {
 public:
  virtual ~DocumentRenderer() = default;
  // The rendered bytes of `version` (its number, terms and effective date are set) of `ipa`;
  // the same inputs give the same bytes.
  virtual absl::StatusOr<std::string> RenderDocument(const Ipa& ipa,
                                                     const IpaVersion& version) const = 0;
};

// Renders through `documents` and remembers the bytes of each version it rendered. Not
// thread-safe: one per use-case call.
class RecordingRenderer final : public VersionRenderer {
 public:
  explicit RecordingRenderer(const DocumentRenderer& documents) : documents_(documents) {}
  absl::StatusOr<Rendering> Render(const Ipa& ipa, const IpaVersion& version) const override;

  // The bytes of every version rendered, by number (a version rendered twice keeps the last).
  const NewDocuments& rendered() const { return rendered_; }

 private:
  const DocumentRenderer& documents_;
  mutable NewDocuments rendered_;
};

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_APP_DOCUMENT_RENDERER_H_
