#include "services/referral/storage/market_figures.h"

#include "platform/pg/documents.h"

namespace dps::referral {
namespace {

constexpr char kReferralsByState[] = "SELECT state, count(*) FROM referrals GROUP BY state";
constexpr char kInvitationsByState[] = "SELECT state, count(*) FROM invitations GROUP BY state";
constexpr char kBidsByState[] = "SELECT state, count(*) FROM bids GROUP BY state";
// Uses the timer's own index (referrals_open_by_deadline).
constexpr char kPastDeadline[] =
    "SELECT count(*) FROM referrals WHERE state = 'OPEN' AND response_deadline < now()";
// The award's and the publication's times are in the API form kept in `doc`.
constexpr char kTimeToAward[] = R"sql(
  SELECT count(*),
         percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),
         percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds)
    FROM (SELECT extract(epoch FROM (doc->'award'->>'awarded_at')::timestamptz -
                                    (doc->>'published_at')::timestamptz) AS seconds
            FROM referrals
           WHERE state = 'AWARDED' AND doc->>'published_at' IS NOT NULL
             AND (doc->'award'->>'awarded_at')::timestamptz > now() - interval '30 days') awarded)sql";

}  // namespace

absl::StatusOr<MarketFigures> ReadMarketFigures(pqxx::work& tx) {
  MarketFigures figures;
  figures.referrals_by_state = platform::CountsByKey(tx.exec(kReferralsByState));
  figures.invitations_by_state = platform::CountsByKey(tx.exec(kInvitationsByState));
  figures.bids_by_state = platform::CountsByKey(tx.exec(kBidsByState));
  figures.past_deadline = tx.exec1(kPastDeadline)[0].as<double>();
  const pqxx::row award = tx.exec1(kTimeToAward);
  figures.awarded_recent = award[0].as<double>();
  if (figures.awarded_recent > 0) {
    figures.to_award_p50_seconds = award[1].as<double>();
    figures.to_award_p90_seconds = award[2].as<double>();
  }
  return figures;
}

}  // namespace dps::referral
