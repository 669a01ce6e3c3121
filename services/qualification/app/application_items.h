// What the handlers that write a draft application share: the check of its items, the evidence
// its answers cite, and "tell us once" (answers carried over from an earlier application).
#ifndef DPS_SERVICES_QUALIFICATION_APP_APPLICATION_ITEMS_H_
#define DPS_SERVICES_QUALIFICATION_APP_APPLICATION_ITEMS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/qualification/v1/qualification.pb.h"
#include "services/qualification/app/announce.h"

namespace dps::qualification {

// The items, answers and prices of `draft` (a draft of `system` whose kind, provider, membership
// and spec are set), for CreateApplication and UpdateApplication.
//
// Every kind but a price resubmission: every item names an establishment of the provider and a
// lot of `system`, and none is a lot the establishment is already a member of (CheckMayApply).
// InvalidArgument naming the item ("spec.items[1].lot_id"), NotFound for an unknown establishment
// or lot, FailedPrecondition for an existing member.
//
// A price resubmission and a reinstatement name the provider's own membership in `system`
// (NotFound for another provider's, as GetMembership), whose establishment and lot are their one
// item (filled in when spec.items is empty). A price resubmission has one commercial submission,
// for that item (filled in when left empty), and no criterion responses. A reinstatement needs a
// SUSPENDED membership (FailedPrecondition naming the state otherwise) and answers only its
// failed items that are criteria (ItemsToResubmit), for its establishment (filled in when empty);
// it has no commercial submission. Neither copies answers. InvalidArgument naming the field
// otherwise.
absl::Status CheckDraft(Call& call, const v1::PurchasingSystem& system, v1::Application& draft);

// The evidence the application's answers cite, in the order they cite it.
absl::StatusOr<std::vector<v1::Evidence>> EvidenceOf(pqxx::work& tx,
                                                     const v1::Application& application);

// "Tell us once": adds to `application` (a new draft of `system`) the answers of the earlier,
// decided application `earlier_id` that PlanReuse allows for each item: answered before, passed,
// evidence unexpired today. An answer the draft already gives for the same criterion and
// establishment is kept. Copied answers are marked `reused`. NotFound when the earlier
// application is another provider's; InvalidArgument when it is another system's;
// FailedPrecondition when it is not decided.
absl::Status PrefillFrom(Call& call, const v1::PurchasingSystem& system,
                         const std::string& earlier_id, v1::Application& application);

}  // namespace dps::qualification

#endif  // DPS_SERVICES_QUALIFICATION_APP_APPLICATION_ITEMS_H_
