#include "services/contracts/app/document_renderer.h"

#include <utility>

#include "platform/crypto/sha256.h"

namespace dps::contracts {

absl::StatusOr<Rendering> RecordingRenderer::Render(const Ipa& ipa,
                                                    const IpaVersion& version) const {
  absl::StatusOr<std::string> bytes = documents_.RenderDocument(ipa, version);
  if (!bytes.ok()) return bytes.status();
  Rendering rendering{platform::Sha256Hex(*bytes), static_cast<int64_t>(bytes->size())};
  rendered_[version.number] = *std::move(bytes);
  return rendering;
}

}  // namespace dps::contracts
