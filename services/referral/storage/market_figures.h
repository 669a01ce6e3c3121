// The referral market's figures for /metrics (metrics/market_metrics.h), read in one
// transaction: referrals, invitations and bids by state, referrals OPEN past their deadline, and
// the time from publication to award of the last 30 days' awards.
#ifndef DPS_SERVICES_REFERRAL_STORAGE_MARKET_FIGURES_H_
#define DPS_SERVICES_REFERRAL_STORAGE_MARKET_FIGURES_H_

#include <map>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/statusor.h"

namespace dps::referral {

struct MarketFigures {
  std::map<std::string, double> referrals_by_state;  // "OPEN" -> count
  std::map<std::string, double> invitations_by_state;
  std::map<std::string, double> bids_by_state;
  double past_deadline = 0;         // OPEN referrals whose response deadline has passed
  double awarded_recent = 0;        // awarded in the last 30 days
  double to_award_p50_seconds = 0;  // publication to award, of those; 0 when there are none
  double to_award_p90_seconds = 0;
};

absl::StatusOr<MarketFigures> ReadMarketFigures(pqxx::work& tx);

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_STORAGE_MARKET_FIGURES_H_
