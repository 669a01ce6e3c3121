// Invitations: the authority's list, the provider's inbox, and declines.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/clients/eligibility_query.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kExplainers = {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_PLACING_OFFICER,
                              ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
                              ApiRole::ROLE_AUDITOR};

absl::Status AnnounceDeclined(Call& call, const v1::Referral& referral,
                              const v1::Invitation& invitation) {
  dps::events::v1::EventEnvelope envelope;
  auto& event = *envelope.mutable_invitation_declined();
  event.set_invitation_id(invitation.id());
  event.set_referral_id(referral.id());
  event.set_establishment_id(invitation.establishment_id());
  event.set_provider_id(invitation.provider_id());
  event.set_reason(invitation.decline().reason());
  return platform::Announce(call, kReferralStream, "referral.invitation.declined", "invitation",
                            invitation.id(), referral.spec().system_id(), std::move(envelope));
}

}  // namespace

grpc::Status ReferralService::ListInvitations(grpc::ServerContext* context,
                                              const v1::ListInvitationsRequest* request,
                                              v1::ListInvitationsResponse* response) {
  return calls_.Read(context, *request, kOversight, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    v1::Referral referral;
    if (absl::Status s = LoadReferral(call.tx, request->referral_id(), false, referral); !s.ok()) {
      return s;
    }
    if (absl::Status s = RequireReader(call, referral); !s.ok()) return s;
    absl::StatusOr<std::vector<std::string>> states =
        StateFilter<v1::InvitationState>(request->states());
    if (!states.ok()) return states.status();
    absl::StatusOr<Referral> domain = ToDomain(referral);
    if (!domain.ok()) return domain.status();
    // While bids are sealed the authority may not learn who bid: an invitation that was answered
    // with a bid reads as VIEWED, without its bid id, and the BID state cannot be asked for.
    const bool sealed = !BidContentVisible(*domain);
    if (sealed) {
      const std::string bid = StateColumn(v1::INVITATION_STATE_BID);
      const std::string viewed = StateColumn(v1::INVITATION_STATE_VIEWED);
      if (std::find(states->begin(), states->end(), bid) != states->end()) {
        return absl::PermissionDeniedError(
            "states: which invitations were answered with a bid is sealed until the referral "
            "closes");
      }
      if (std::find(states->begin(), states->end(), viewed) != states->end()) {
        states->push_back(bid);
      }
    }
    if (absl::Status s =
            dps::referral::ListInvitations(call.tx, referral.id(), *states, *page, *response);
        !s.ok()) {
      return s;
    }
    if (sealed) {
      for (v1::Invitation& invitation : *response->mutable_invitations()) {
        invitation.clear_bid_id();
        if (invitation.state() == v1::INVITATION_STATE_BID) {
          invitation.set_state(v1::INVITATION_STATE_VIEWED);
        }
      }
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::ListInbox(grpc::ServerContext* context,
                                        const v1::ListInboxRequest* request,
                                        v1::ListInboxResponse* response) {
  return calls_.Read(context, *request, kProviders, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<std::string>> states =
        StateFilter<v1::InvitationState>(request->states());
    if (!states.ok()) return states.status();
    // A provider's inbox is its own, whatever provider the request names.
    const InboxFilter filter{.provider_id = call.caller.organisation_id,
                             .establishment_id = request->establishment_id(),
                             .states = *states,
                             .open_only = request->open_only()};
    if (absl::Status s = dps::referral::ListInbox(call.tx, filter, *page, *response); !s.ok()) {
      return s;
    }
    for (v1::InboxItem& item : *response->mutable_items()) {
      HideFromProvider(*item.mutable_referral());
    }
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::DeclineInvitation(grpc::ServerContext* context,
                                                const v1::DeclineInvitationRequest* request,
                                                v1::Invitation* response) {
  RankingAsked ranking;
  return SettleAfter(
      calls_.Change(
          context, "DeclineInvitation", request->idempotency_key(), *request, *response, kProviders,
          [&](Call& call) -> absl::Status {
            v1::Invitation& stored = *response;
            v1::Referral referral;
            if (absl::Status s =
                    LoadOwnInvitation(call, request->invitation_id(), stored, referral);
                !s.ok()) {
              return s;
            }
            absl::StatusOr<Referral> domain_referral = ToDomain(referral);
            if (!domain_referral.ok()) return domain_referral.status();
            absl::StatusOr<Invitation> invitation = ToDomain(stored);
            if (!invitation.ok()) return invitation.status();
            absl::StatusOr<DeclineReason> reason = ToDomainDeclineReason(request->reason());
            if (!reason.ok()) return reason.status();
            if (absl::Status s = dps::referral::DeclineInvitation(
                    *invitation, *domain_referral, {*reason, request->detail(), call.now},
                    call.now);
                !s.ok()) {
              return s;
            }
            ApplyToApi(*invitation, stored);
            if (absl::Status s = SaveInvitation(call.tx, stored); !s.ok()) return s;
            referral.set_declined_count(referral.declined_count() + 1);
            if (absl::Status s = SaveReferral(call.tx, referral); !s.ok()) return s;
            if (absl::Status s = AnnounceDeclined(call, referral, stored); !s.ok()) return s;
            return CloseIfAllAnswered(call, referral, ranking);
          }),
      ranking);
}

// Both reads below ask qualification between their own short transactions
// (CallRunner::ReadInSteps), so a slow register holds no pooled connection.
grpc::Status ReferralService::ExplainInvitation(grpc::ServerContext* context,
                                                const v1::ExplainInvitationRequest* request,
                                                v1::ExplainInvitationResponse* response) {
  using Steps = platform::CallRunner::Steps;
  return calls_.ReadInSteps(context, *request, kExplainers, [&](Steps& read) -> absl::Status {
    const bool provider = read.caller.role == ApiRole::ROLE_PROVIDER_USER;
    v1::Referral referral;
    absl::StatusOr<InvitationRound> invited;
    if (absl::Status s = read.in_transaction([&](Call& call) -> absl::Status {
          if (absl::Status s = LoadReferral(call.tx, request->referral_id(), false, referral);
              !s.ok()) {
            return s;
          }
          if (request->establishment_id().empty()) {
            return platform::InvalidField("establishment_id", "required");
          }
          if (!provider) {
            if (absl::Status s = RequireReader(call, referral); !s.ok()) return s;
          }
          invited = InvitationRoundOf(call.tx, referral.id(), request->establishment_id());
          return invited.status();
        });
        !s.ok()) {
      return s;
    }
    if (provider) {
      // A provider asks about its own establishments, of referrals that went out.
      absl::StatusOr<qv1::Establishment> establishment =
          qualification_.Establishment(read.request_id, request->establishment_id());
      if (!establishment.ok() && establishment.status().code() != absl::StatusCode::kNotFound) {
        return establishment.status();
      }
      if (!establishment.ok() || establishment->provider_id() != read.caller.organisation_id ||
          referral.rounds_size() == 0) {
        return absl::NotFoundError(absl::StrCat("referral ", referral.id(), ": not found"));
      }
    }
    if (referral.rounds_size() == 0) {
      return platform::Forbidden("referral", "a draft has invited no one yet");
    }
    // As the latest round asked it, when it started.
    const v1::ReferralRound& round = referral.rounds(referral.rounds_size() - 1);
    absl::StatusOr<qv1::ExplainEligibilityResponse> explained =
        qualification_.Explain(read.request_id,
                               EligibilityQueryFor(referral, round.radius_miles(),
                                                   platform::FromTimestamp(round.started_at())),
                               request->establishment_id());
    if (!explained.ok()) return explained.status();
    response->set_invited(invited->invited);
    response->set_round(invited->round.value_or(round.round()));
    *response->mutable_checks() = explained->checks();
    response->set_distance_miles(explained->distance_miles());
    return absl::OkStatus();
  });
}

grpc::Status ReferralService::ListMissedReferrals(grpc::ServerContext* context,
                                                  const v1::ListMissedReferralsRequest* request,
                                                  v1::ListMissedReferralsResponse* response) {
  using Steps = platform::CallRunner::Steps;
  return calls_.ReadInSteps(context, *request, kProviders, [&](Steps& read) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    if (request->establishment_id().empty()) {
      return platform::InvalidField("establishment_id", "required");
    }
    absl::StatusOr<qv1::Establishment> establishment =
        qualification_.Establishment(read.request_id, request->establishment_id());
    if (!establishment.ok() && establishment.status().code() != absl::StatusCode::kNotFound) {
      return establishment.status();
    }
    if (!establishment.ok() || establishment->provider_id() != read.caller.organisation_id) {
      return absl::NotFoundError(
          absl::StrCat("establishment ", request->establishment_id(), ": not found"));
    }
    absl::StatusOr<std::vector<std::string>> lots =
        qualification_.LotsOf(read.request_id, establishment->id());
    if (!lots.ok()) return lots.status();
    const std::optional<absl::Time> after =
        request->has_published_after()
            ? std::optional<absl::Time>(platform::FromTimestamp(request->published_after()))
            : std::nullopt;
    // Referrals that went out in its lots and did not invite it.
    absl::StatusOr<std::vector<v1::Referral>> missing;
    if (absl::Status s = read.in_transaction([&](Call& call) {
          missing = ReferralsMissing(call.tx, *lots, after, establishment->id(), *page);
          return missing.status();
        });
        !s.ok()) {
      return s;
    }
    int count = 0;
    for (const v1::Referral& referral : *missing) {
      if (page->Full(count, response->ByteSizeLong())) {
        response->mutable_page()->set_next_page_token(page->TokenAfter((*missing)[count - 1].id()));
        break;
      }
      ++count;
      const v1::ReferralRound& round = referral.rounds(referral.rounds_size() - 1);
      absl::StatusOr<qv1::ExplainEligibilityResponse> explained =
          qualification_.Explain(read.request_id,
                                 EligibilityQueryFor(referral, round.radius_miles(),
                                                     platform::FromTimestamp(round.started_at())),
                                 establishment->id());
      if (!explained.ok()) return explained.status();
      // Only what the establishment's own rules said: no needs, age or place of the child.
      v1::MissedReferral& missed = *response->add_referrals();
      missed.set_referral_id(referral.id());
      missed.set_lot_id(referral.spec().lot_id());
      *missed.mutable_published_at() = referral.published_at();
      for (const qv1::EligibilityCheck& check : explained->checks()) {
        if (!check.passed() && !check.not_applied()) missed.add_failed_rules(check.rule());
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace dps::referral
