#include "services/referral/storage/records.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/proto/proto_time.h"

namespace dps::referral {
namespace {

// The deadline column: NULL until the spec names one.
std::optional<std::string> DeadlineColumn(const v1::Referral& referral) {
  if (!referral.spec().has_response_deadline()) return std::nullopt;
  return absl::StrCat(
      absl::ToUnixMicros(platform::FromTimestamp(referral.spec().response_deadline())));
}

}  // namespace

std::string StateColumn(v1::ReferralState state) {
  return v1::ReferralState_Name(state).substr(sizeof("REFERRAL_STATE_") - 1);
}

std::string StateColumn(v1::InvitationState state) {
  return v1::InvitationState_Name(state).substr(sizeof("INVITATION_STATE_") - 1);
}

std::string StateColumn(v1::BidState state) {
  return v1::BidState_Name(state).substr(sizeof("BID_STATE_") - 1);
}

absl::Status InsertReferral(pqxx::work& tx, const v1::Referral& referral,
                            const std::string& lead_authority_id) {
  tx.exec_params0(
      "INSERT INTO referrals (id, system_id, lot_id, placing_authority_id, lead_authority_id, "
      "state, response_deadline, created_at, version, doc) VALUES ($1, $2, $3, $4, $5, $6, "
      "to_timestamp($7::bigint / 1e6), to_timestamp($8::bigint / 1e6), $9, $10::jsonb)",
      referral.id(), referral.spec().system_id(), referral.spec().lot_id(),
      referral.placing_authority_id(), lead_authority_id, StateColumn(referral.state()),
      DeadlineColumn(referral), absl::ToUnixMicros(platform::FromTimestamp(referral.created_at())),
      referral.version(), platform::ToDoc(referral));
  return absl::OkStatus();
}

absl::StatusOr<std::string> LeadAuthorityOf(pqxx::work& tx, const std::string& referral_id) {
  pqxx::result rows =
      tx.exec_params("SELECT lead_authority_id FROM referrals WHERE id = $1", referral_id);
  if (rows.empty())
    return absl::NotFoundError(absl::StrCat("referral ", referral_id, ": not found"));
  return rows[0][0].as<std::string>();
}

absl::StatusOr<std::vector<std::string>> OpenReferralsDueBy(pqxx::work& tx, absl::Time now) {
  static constexpr char kOpenReferralsDue[] =
      "SELECT id FROM referrals WHERE state = 'OPEN' "
      "AND response_deadline <= to_timestamp($1::bigint / 1e6) ORDER BY response_deadline, id";
  std::vector<std::string> ids;
  for (const pqxx::row& row : tx.exec_params(kOpenReferralsDue, absl::ToUnixMicros(now))) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

absl::StatusOr<bool> ClaimOpenReferral(pqxx::work& tx, const std::string& id) {
  static constexpr char kClaimOpenReferral[] =
      "SELECT 1 FROM referrals WHERE id = $1 AND state = 'OPEN' FOR UPDATE SKIP LOCKED";
  return !tx.exec_params(kClaimOpenReferral, id).empty();
}

absl::StatusOr<bool> ProviderInvited(pqxx::work& tx, const std::string& referral_id,
                                     const std::string& provider_id) {
  static constexpr char kProviderInvited[] =
      "SELECT 1 FROM invitations WHERE referral_id = $1 AND provider_id = $2 LIMIT 1";
  return !tx.exec_params(kProviderInvited, referral_id, provider_id).empty();
}

absl::StatusOr<std::vector<std::string>> ClosedReferralsScoredBy(
    pqxx::work& tx, const std::string& lead_authority_id, const std::string& evaluator_user_id) {
  static constexpr char kClosedReferralsScoredBy[] =
      "SELECT id FROM referrals WHERE state = 'CLOSED' AND lead_authority_id = $1 "
      "AND doc->'outcome_evaluator_user_ids' @> to_jsonb(ARRAY[$2::text]) ORDER BY id";
  std::vector<std::string> ids;
  for (const pqxx::row& row :
       tx.exec_params(kClosedReferralsScoredBy, lead_authority_id, evaluator_user_id)) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

absl::StatusOr<InvitationRound> InvitationRoundOf(pqxx::work& tx, const std::string& referral_id,
                                                  const std::string& establishment_id) {
  static constexpr char kInvitationRound[] =
      "SELECT doc->>'round' FROM invitations WHERE referral_id = $1 AND establishment_id = $2";
  const pqxx::result rows = tx.exec_params(kInvitationRound, referral_id, establishment_id);
  InvitationRound found;
  found.invited = !rows.empty();
  if (found.invited && !rows[0][0].is_null()) found.round = rows[0][0].as<int>();
  return found;
}

absl::StatusOr<std::vector<v1::Referral>> ReferralsMissing(
    pqxx::work& tx, const std::vector<std::string>& lot_ids,
    std::optional<absl::Time> published_after, const std::string& establishment_id,
    const platform::Page& page) {
  static constexpr char kReferralsMissing[] =
      "SELECT r.doc FROM referrals r WHERE r.id > $1 AND r.state <> 'DRAFT' "
      "AND r.lot_id = ANY (string_to_array($2, ',')) "
      "AND (NOT $3 OR (r.doc->>'published_at')::timestamptz > "
      "to_timestamp($6::bigint / 1e6)) "
      "AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.referral_id = r.id "
      "AND i.establishment_id = $4) ORDER BY r.id LIMIT $5";
  const int64_t after = published_after.has_value() ? absl::ToUnixMicros(*published_after) : 0;
  std::vector<v1::Referral> referrals;
  for (const pqxx::row& row :
       tx.exec_params(kReferralsMissing, page.after_id, absl::StrJoin(lot_ids, ","),
                      published_after.has_value(), establishment_id, page.size + 1, after)) {
    if (absl::Status s = platform::FromDoc(row[0], referrals.emplace_back()); !s.ok()) return s;
  }
  return referrals;
}

absl::StatusOr<std::vector<std::string>> OpenInvitationsOf(pqxx::work& tx,
                                                           const std::string& lot_id,
                                                           const std::string& establishment_id) {
  static constexpr char kOpenInvitationsOf[] =
      "SELECT i.id FROM invitations i JOIN referrals r ON r.id = i.referral_id "
      "WHERE r.state = 'OPEN' AND r.lot_id = $1 AND i.establishment_id = $2 "
      "ORDER BY r.id, i.id FOR UPDATE OF r, i";
  std::vector<std::string> ids;
  for (const pqxx::row& row : tx.exec_params(kOpenInvitationsOf, lot_id, establishment_id)) {
    ids.push_back(row[0].as<std::string>());
  }
  return ids;
}

absl::Status SaveReferral(pqxx::work& tx, v1::Referral& referral) {
  referral.set_version(referral.version() + 1);
  tx.exec_params0(
      "UPDATE referrals SET system_id = $2, lot_id = $3, state = $4, "
      "response_deadline = to_timestamp($5::bigint / 1e6), version = $6, doc = $7::jsonb "
      "WHERE id = $1",
      referral.id(), referral.spec().system_id(), referral.spec().lot_id(),
      StateColumn(referral.state()), DeadlineColumn(referral), referral.version(),
      platform::ToDoc(referral));
  return absl::OkStatus();
}

absl::Status LoadReferral(pqxx::work& tx, const std::string& id, bool for_update,
                          v1::Referral& referral) {
  return platform::LoadDoc(tx, "referrals", "referral", id, for_update, referral);
}

absl::Status ListReferrals(pqxx::work& tx, const ReferralFilter& filter, const platform::Page& page,
                           v1::ListReferralsResponse& response) {
  pqxx::result rows = tx.exec_params(
      "SELECT doc, id FROM referrals WHERE id > $1 AND ($2 = '' OR system_id = $2) "
      "AND ($3 = '' OR lot_id = $3) AND ($4 = '' OR placing_authority_id = $4) "
      "AND ($5 = '' OR lead_authority_id = $5) "
      "AND ($6 = '' OR state = ANY (string_to_array($6, ','))) ORDER BY id LIMIT $7",
      page.after_id, filter.system_id, filter.lot_id, filter.placing_authority_id,
      filter.lead_authority_id, absl::StrJoin(filter.states, ","), page.size + 1);
  return platform::ReadPage<v1::Referral>(
      rows, page, [&] { return response.add_referrals(); }, response.mutable_page());
}

absl::Status InsertInvitation(pqxx::work& tx, const v1::Invitation& invitation) {
  tx.exec_params0(
      "INSERT INTO invitations (id, referral_id, establishment_id, provider_id, state, version, "
      "doc) VALUES ($1, $2, $3, $4, $5, 1, $6::jsonb)",
      invitation.id(), invitation.referral_id(), invitation.establishment_id(),
      invitation.provider_id(), StateColumn(invitation.state()), platform::ToDoc(invitation));
  return absl::OkStatus();
}

absl::Status SaveInvitation(pqxx::work& tx, v1::Invitation& invitation) {
  tx.exec_params0(
      "UPDATE invitations SET state = $2, version = version + 1, doc = $3::jsonb WHERE id = $1",
      invitation.id(), StateColumn(invitation.state()), platform::ToDoc(invitation));
  return absl::OkStatus();
}

absl::Status LoadInvitation(pqxx::work& tx, const std::string& id, bool for_update,
                            v1::Invitation& invitation) {
  return platform::LoadDoc(tx, "invitations", "invitation", id, for_update, invitation);
}

absl::StatusOr<std::vector<v1::Invitation>> InvitationsOf(pqxx::work& tx,
                                                          const std::string& referral_id,
                                                          bool for_update) {
  pqxx::result rows =
      tx.exec_params(absl::StrCat("SELECT doc FROM invitations WHERE referral_id = $1 ORDER BY id",
                                  for_update ? " FOR UPDATE" : ""),
                     referral_id);
  std::vector<v1::Invitation> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (absl::Status s = platform::FromDoc(rows[i][0], out[i]); !s.ok()) return s;
  }
  return out;
}

absl::StatusOr<std::vector<InvitationStanding>> StandingsOf(pqxx::work& tx,
                                                            const std::string& referral_id) {
  static constexpr char kStandingsOf[] =
      "SELECT state, COALESCE((doc->>'suspended')::boolean, false) "
      "FROM invitations WHERE referral_id = $1";
  std::vector<InvitationStanding> out;
  for (const pqxx::row& row : tx.exec_params(kStandingsOf, referral_id)) {
    InvitationStanding standing{.suspended = row[1].as<bool>()};
    const std::string column = row[0].as<std::string>();
    if (!v1::InvitationState_Parse(absl::StrCat("INVITATION_STATE_", column), &standing.state)) {
      return absl::InternalError(
          absl::StrCat("invitation of referral ", referral_id, ": unknown state column ", column));
    }
    out.push_back(standing);
  }
  return out;
}

absl::Status ListInvitations(pqxx::work& tx, const std::string& referral_id,
                             const std::vector<std::string>& states, const platform::Page& page,
                             v1::ListInvitationsResponse& response) {
  pqxx::result rows = tx.exec_params(
      "SELECT doc, id FROM invitations WHERE referral_id = $1 AND id > $2 "
      "AND ($3 = '' OR state = ANY (string_to_array($3, ','))) ORDER BY id LIMIT $4",
      referral_id, page.after_id, absl::StrJoin(states, ","), page.size + 1);
  return platform::ReadPage<v1::Invitation>(
      rows, page, [&] { return response.add_invitations(); }, response.mutable_page());
}

absl::Status ListInbox(pqxx::work& tx, const InboxFilter& filter, const platform::Page& page,
                       v1::ListInboxResponse& response) {
  pqxx::result rows = tx.exec_params(
      "SELECT i.doc, i.id, r.doc FROM invitations i JOIN referrals r ON r.id = i.referral_id "
      "WHERE i.provider_id = $1 AND i.id > $2 AND ($3 = '' OR i.establishment_id = $3) "
      "AND ($4 = '' OR i.state = ANY (string_to_array($4, ','))) "
      "AND (NOT $5 OR r.state = 'OPEN') ORDER BY i.id LIMIT $6",
      filter.provider_id, page.after_id, filter.establishment_id, absl::StrJoin(filter.states, ","),
      filter.open_only, page.size + 1);
  int count = 0;
  size_t bytes = 0;
  for (const pqxx::row& row : rows) {
    if (page.Full(count, bytes)) {
      response.mutable_page()->set_next_page_token(
          page.TokenAfter(rows[count - 1][1].as<std::string>()));
      break;
    }
    v1::InboxItem& item = *response.add_items();
    if (absl::Status s = platform::FromDoc(row[0], *item.mutable_invitation()); !s.ok()) return s;
    if (absl::Status s = platform::FromDoc(row[2], *item.mutable_referral()); !s.ok()) return s;
    item.set_own_bid_id(item.invitation().bid_id());
    bytes += item.ByteSizeLong();
    ++count;
  }
  return absl::OkStatus();
}

absl::Status InsertBid(pqxx::work& tx, const v1::Bid& bid) {
  tx.exec_params0(
      "INSERT INTO bids (id, referral_id, invitation_id, establishment_id, provider_id, state, "
      "version, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
      bid.id(), bid.referral_id(), bid.invitation_id(), bid.establishment_id(), bid.provider_id(),
      StateColumn(bid.state()), bid.version(), platform::ToDoc(bid));
  return absl::OkStatus();
}

absl::Status SaveBid(pqxx::work& tx, v1::Bid& bid) {
  bid.set_version(bid.version() + 1);
  tx.exec_params0("UPDATE bids SET state = $2, version = $3, doc = $4::jsonb WHERE id = $1",
                  bid.id(), StateColumn(bid.state()), bid.version(), platform::ToDoc(bid));
  return absl::OkStatus();
}

absl::Status LoadBid(pqxx::work& tx, const std::string& id, bool for_update, v1::Bid& bid) {
  return platform::LoadDoc(tx, "bids", "bid", id, for_update, bid);
}

absl::Status ListBids(pqxx::work& tx, const std::string& referral_id,
                      const std::string& provider_id, const std::vector<std::string>& states,
                      const platform::Page& page, v1::ListBidsResponse& response) {
  pqxx::result rows = tx.exec_params(
      "SELECT doc, id FROM bids WHERE referral_id = $1 AND id > $2 "
      "AND ($3 = '' OR provider_id = $3) "
      "AND ($4 = '' OR state = ANY (string_to_array($4, ','))) ORDER BY id LIMIT $5",
      referral_id, page.after_id, provider_id, absl::StrJoin(states, ","), page.size + 1);
  return platform::ReadPage<v1::Bid>(
      rows, page, [&] { return response.add_bids(); }, response.mutable_page());
}

absl::StatusOr<std::vector<v1::Bid>> StandingBidsOf(pqxx::work& tx,
                                                    const std::string& referral_id) {
  pqxx::result rows = tx.exec_params(
      "SELECT doc FROM bids WHERE referral_id = $1 AND state <> 'WITHDRAWN' ORDER BY id FOR UPDATE",
      referral_id);
  std::vector<v1::Bid> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (absl::Status s = platform::FromDoc(rows[i][0], out[i]); !s.ok()) return s;
  }
  return out;
}

absl::Status SaveEvaluation(pqxx::work& tx, const v1::Evaluation& evaluation) {
  tx.exec_params0(
      "INSERT INTO evaluations (referral_id, computed_at, doc) "
      "VALUES ($1, to_timestamp($2::bigint / 1e6), $3::jsonb) ON CONFLICT (referral_id) "
      "DO UPDATE SET computed_at = EXCLUDED.computed_at, doc = EXCLUDED.doc",
      evaluation.referral_id(),
      absl::ToUnixMicros(platform::FromTimestamp(evaluation.computed_at())),
      platform::ToDoc(evaluation));
  return absl::OkStatus();
}

absl::Status LoadEvaluation(pqxx::work& tx, const std::string& referral_id,
                            v1::Evaluation& evaluation) {
  pqxx::result rows =
      tx.exec_params("SELECT doc FROM evaluations WHERE referral_id = $1", referral_id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("evaluation of referral ", referral_id, ": not found"));
  }
  return platform::FromDoc(rows[0][0], evaluation);
}

absl::StatusOr<std::map<std::string, std::vector<OutcomeScore>>> OutcomeScoresOf(
    pqxx::work& tx, const std::string& referral_id) {
  pqxx::result rows = tx.exec_params(
      "SELECT bid_id, evaluator_user_id, score, comment, "
      "(extract(epoch FROM scored_at) * 1e6)::bigint FROM outcome_scores WHERE referral_id = $1 "
      "ORDER BY bid_id, evaluator_user_id",
      referral_id);
  std::map<std::string, std::vector<OutcomeScore>> out;
  for (const pqxx::row& row : rows) {
    out[row[0].as<std::string>()].push_back({row[1].as<std::string>(), row[2].as<int>(),
                                             row[3].as<std::string>(),
                                             absl::FromUnixMicros(row[4].as<int64_t>())});
  }
  return out;
}

absl::Status SaveOutcomeScores(pqxx::work& tx, const std::string& referral_id,
                               const std::string& bid_id, const std::vector<OutcomeScore>& scores) {
  for (const OutcomeScore& score : scores) {
    tx.exec_params0(
        "INSERT INTO outcome_scores (referral_id, bid_id, evaluator_user_id, score, comment, "
        "scored_at) VALUES ($1, $2, $3, $4, $5, to_timestamp($6::bigint / 1e6)) "
        "ON CONFLICT (bid_id, evaluator_user_id) DO UPDATE SET score = EXCLUDED.score, "
        "comment = EXCLUDED.comment, scored_at = EXCLUDED.scored_at",
        referral_id, bid_id, score.evaluator_user_id, score.score, score.comment,
        absl::ToUnixMicros(score.scored_at));
  }
  return absl::OkStatus();
}

}  // namespace dps::referral
