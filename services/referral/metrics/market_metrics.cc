#include "services/referral/metrics/market_metrics.h"

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
    referrals_.Set(tx.exec(kReferralsByState));
    invitations_.Set(tx.exec(kInvitationsByState));
    bids_.Set(tx.exec(kBidsByState));
    past_deadline_.Set(tx.exec1(kPastDeadline)[0].as<double>());
    const pqxx::row award = tx.exec1(kTimeToAward);
    const double count = award[0].as<double>();
    awarded_recent_.Set(count);
    if (count > 0) {
      to_award_.Add({{"percentile", "50"}}).Set(award[1].as<double>());
      to_award_.Add({{"percentile", "90"}}).Set(award[2].as<double>());
    }
    return absl::OkStatus();
  });
}

}  // namespace dps::referral
