#include "services/referral/metrics/market_metrics.h"

#include "services/referral/storage/market_figures.h"

namespace dps::referral {

MarketMetrics::MarketMetrics(platform::PgPool& pool, prometheus::Registry& registry)
    : pool_(pool),
      referrals_(registry, "dps_referrals", "Referrals by state", "state",
                 {"DRAFT", "OPEN", "CLOSED", "EVALUATED", "AWAITING_PARENTAL_CHOICE", "AWARDED",
                  "WITHDRAWN", "NO_SUITABLE_OFFER"}),
      invitations_(registry, "dps_invitations", "Invitations to referrals by state", "state",
                   {"INVITED", "VIEWED", "DECLINED", "BID", "NO_RESPONSE", "CANCELLED"}),
      bids_(registry, "dps_bids", "Bids by state", "state",
            {"SUBMITTED", "WITHDRAWN", "EXCLUDED", "COMPLIANT", "AWARDED", "NOT_AWARDED"}),
      past_deadline_(prometheus::BuildGauge()
                         .Name("dps_referrals_past_deadline")
                         .Help("OPEN referrals whose response deadline has passed")
                         .Register(registry)
                         .Add({})),
      awarded_recent_(prometheus::BuildGauge()
                          .Name("dps_referrals_awarded_recent")
                          .Help("Referrals awarded in the last 30 days")
                          .Register(registry)
                          .Add({})),
      to_award_(prometheus::BuildGauge()
                    .Name("dps_referral_publication_to_award_seconds")
                    .Help("Time from publication to award of the referrals awarded in the last "
                          "30 days, by percentile")
                    .Register(registry)) {}

absl::Status MarketMetrics::Refresh() {
  return pool_.InTransaction([&](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<MarketFigures> figures = ReadMarketFigures(tx);
    if (!figures.ok()) return figures.status();
    referrals_.Set(figures->referrals_by_state);
    invitations_.Set(figures->invitations_by_state);
    bids_.Set(figures->bids_by_state);
    past_deadline_.Set(figures->past_deadline);
    awarded_recent_.Set(figures->awarded_recent);
    if (figures->awarded_recent > 0) {
      to_award_.Add({{"percentile", "50"}}).Set(figures->to_award_p50_seconds);
      to_award_.Add({{"percentile", "90"}}).Set(figures->to_award_p90_seconds);
    }
    return absl::OkStatus();
  });
}

}  // namespace dps::referral
