// The register keeps its records as the platform's documents (platform/pg/documents.h): the API
// message in `doc`, beside the columns queries need.
#ifndef DPS_SERVICES_QUALIFICATION_STORAGE_DOCUMENTS_H_
#define DPS_SERVICES_QUALIFICATION_STORAGE_DOCUMENTS_H_

#include "platform/pg/documents.h"

namespace dps::qualification {

using platform::CheckVersion;
using platform::FromDoc;
using platform::LoadDoc;
using platform::NewId;
using platform::Page;
using platform::ReadPage;
using platform::ToDoc;
using platform::ToPage;

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_STORAGE_DOCUMENTS_H_
