#include "services/qualification/storage/register_figures.h"

#include "platform/pg/documents.h"

namespace dps::qualification {
namespace {

constexpr char kMembershipsByState[] = "SELECT state, count(*) FROM memberships GROUP BY state";
// Stored as the enum's full name (APPLICATION_STATE_DRAFT); labelled without the prefix.
constexpr char kApplicationsByState[] =
    "SELECT regexp_replace(state, '^APPLICATION_STATE_', ''), count(*) FROM applications "
    "GROUP BY 1";
constexpr char kEvidenceByState[] = "SELECT state, count(*) FROM evidence GROUP BY state";
// The timer expires evidence the day after its last valid day (UTC), as the timer itself reads.
constexpr char kEvidenceOverdue[] =
    "SELECT count(*) FROM evidence WHERE state = 'VALID' AND expires_on IS NOT NULL "
    "AND expires_on < (now() AT TIME ZONE 'UTC')::date";

}  // namespace

absl::StatusOr<RegisterFigures> ReadRegisterFigures(pqxx::work& tx) {
  RegisterFigures figures;
  figures.memberships_by_state = platform::CountsByKey(tx.exec(kMembershipsByState));
  figures.applications_by_state = platform::CountsByKey(tx.exec(kApplicationsByState));
  figures.evidence_by_state = platform::CountsByKey(tx.exec(kEvidenceByState));
  figures.evidence_overdue = tx.exec1(kEvidenceOverdue)[0].as<double>();
  return figures;
}

}  // namespace dps::qualification
