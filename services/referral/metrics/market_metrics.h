// The referral market's figures for /metrics, read from the referral schema by a periodic
// collector (platform/metrics/query_gauge.h says why from the tables and why max() across pods):
//
//   dps_referrals{state}                 referrals by state (NO_SUITABLE_OFFER: the no-offer count)
//   dps_invitations{state}               invitations by state (DECLINED: the declines)
//   dps_bids{state}                      bids by state
//   dps_referrals_past_deadline          OPEN referrals whose response deadline has passed: the
//                                        deadline timer should have closed them
//   dps_referrals_awarded_recent         referrals awarded in the last 30 days
//   dps_referral_publication_to_award_seconds{percentile="50"|"90"}
//                                        time from publication to award over those referrals
//                                        (absent while there are none)
//
// Time to award is a gauge of recent percentiles computed in SQL rather than a histogram fed
// from awards as they happen: every replica then exports the same figures, a restart loses
// nothing, and no handler needs changing. Its price: the percentiles are of the last 30 days, not
// of any window a dashboard picks.
#ifndef DPS_SERVICES_REFERRAL_METRICS_MARKET_METRICS_H_
#define DPS_SERVICES_REFERRAL_METRICS_MARKET_METRICS_H_

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "platform/metrics/query_gauge.h"
#include "platform/pg/pool.h"

namespace dps::referral {

class MarketMetrics final {
 public:
  MarketMetrics(platform::PgPool& pool, prometheus::Registry& registry);

  // Reads every figure in one transaction.
  absl::Status Refresh();

 private:
  platform::PgPool& pool_;
  platform::QueryGauge referrals_;
  platform::QueryGauge invitations_;
  platform::QueryGauge bids_;
  prometheus::Gauge& past_deadline_;
  prometheus::Gauge& awarded_recent_;
  prometheus::Family<prometheus::Gauge>& to_award_;
};

}  // namespace dps::referral

#endif  // DPS_SERVICES_REFERRAL_METRICS_MARKET_METRICS_H_
