// Reading and writing the referral service's records (migration 0001). Every function takes the
// caller's transaction, so a change and its outbox event commit together. Save* bumps the
// record's version; loads with for_update lock the row until the transaction ends, which is how
// two concurrent changes of one referral are serialised.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_RECORDS_H_
#define DPS_SERVICES_REFERRAL_STORAGE_RECORDS_H_

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dps/referral/v1/referral.pb.h"
#include "platform/pg/documents.h"

namespace dps::referral {

namespace v1 = ::dps::referral::v1;

// `lead_authority_id`: the system's lead authority, for the access checks of its admins and
// auditors.
absl::Status InsertReferral(pqxx::work& tx, const v1::Referral& referral,
                            const std::string& lead_authority_id);
// The lead authority recorded at creation.
absl::StatusOr<std::string> LeadAuthorityOf(pqxx::work& tx, const std::string& referral_id);
absl::Status SaveReferral(pqxx::work& tx, v1::Referral& referral);
// NotFound "referral <id>: not found".
absl::Status LoadReferral(pqxx::work& tx, const std::string& id, bool for_update,
                          v1::Referral& referral);

// Which referrals a list reads; empty fields match everything.
struct ReferralFilter {
  std::string system_id;
  std::string lot_id;
  std::string placing_authority_id;
  std::string lead_authority_id;
  std::vector<std::string> states;  // "OPEN", ...
};

// One page of referrals by id.
absl::Status ListReferrals(pqxx::work& tx, const ReferralFilter& filter, const platform::Page& page,
                           v1::ListReferralsResponse& response);

// "OPEN" for REFERRAL_STATE_OPEN: the state column's spelling.
std::string StateColumn(v1::ReferralState state);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_RECORDS_H_
