// Sealed bids: submitted, amended and withdrawn by the provider until the deadline; read by the
// bidder at any time and by the authority and the lead authority only once the referral closes.
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "platform/errors/errors.h"
#include "platform/proto/proto_time.h"
#include "services/referral/api/access.h"
#include "services/referral/api/referral_service.h"
#include "services/referral/convert/convert.h"
#include "services/referral/domain/bid.h"
#include "services/referral/storage/records.h"

namespace dps::referral {
namespace {

using platform::Call;

constexpr auto kBidReaders = {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_PLACING_OFFICER,
                              ApiRole::ROLE_COMMISSIONER, ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
                              ApiRole::ROLE_AUDITOR};
// GetBid also answers the contracts service, reading the awarded bid for the agreement (CreateIpa).
constexpr auto kBidGetters = {ApiRole::ROLE_PROVIDER_USER, ApiRole::ROLE_PLACING_OFFICER,
                              ApiRole::ROLE_COMMISSIONER,  ApiRole::ROLE_LEAD_AUTHORITY_ADMIN,
                              ApiRole::ROLE_AUDITOR,       ApiRole::ROLE_SERVICE};

std::vector<std::string> ServiceCodes(const qv1::Lot& lot) {
  std::vector<std::string> codes;
  for (const qv1::VocabularyTerm& term : lot.additional_services()) codes.push_back(term.code());
  return codes;
}

// Bids are sealed until the referral closes: the authorities learn neither who bid nor what
// until then (proto: PERMISSION_DENIED before close), and a referral withdrawn while OPEN never
// unseals. Providers only ever read their own bids, so nothing is sealed from them.
absl::Status RequireUnsealed(const Call& call, const v1::Referral& referral) {
  if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) return absl::OkStatus();
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  if (BidContentVisible(*domain)) return absl::OkStatus();
  if (domain->state == ReferralState::kDraft || domain->state == ReferralState::kOpen) {
    return absl::PermissionDeniedError(absl::StrCat(
        "bids are sealed until ",
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", domain->response_deadline(), absl::UTCTimeZone()),
        " (the response deadline) or until the referral closes earlier"));
  }
  return absl::PermissionDeniedError(
      "bids stay sealed: the referral ended before it closed for bids");
}

// What a bid's additional services are held to, and where it comes from: the lot's codes and,
// under hard ceilings, the rates the establishment tendered (its membership's rate card). Both
// are asked only when the bid prices a service, so a bid of the core fee alone depends on no
// other service being up. The invitation and its referral are read first, unlocked
// (their lot, terms and membership are set at publication), then the qualification service is
// asked with no connection held (CallRunner::Prepare); the handler locks the two afterwards and
// checks they still say what the facts were asked for.
struct BidFacts {
  std::string lot_id;
  std::string membership_id;
  bool needs_codes = false;
  bool needs_rates = false;
  ServiceTerms services;
};

absl::Status ReadBidFacts(Call& call, const std::string& invitation_id,
                          const v1::BidContent& content, BidFacts& facts) {
  v1::Invitation invitation;
  if (absl::Status s = LoadInvitation(call.tx, invitation_id, false, invitation); !s.ok()) {
    return s;
  }
  if (invitation.provider_id() != call.caller.organisation_id) {
    return absl::NotFoundError(absl::StrCat("invitation ", invitation_id, ": not found"));
  }
  v1::Referral referral;
  if (absl::Status s = LoadReferral(call.tx, invitation.referral_id(), false, referral); !s.ok()) {
    return s;
  }
  facts.lot_id = referral.spec().lot_id();
  facts.membership_id = invitation.membership_id();
  facts.needs_codes = !content.additional_services().empty();
  facts.needs_rates = facts.needs_codes &&
                      referral.terms().ceiling_mode() != dps::common::v1::CEILING_MODE_INDICATIVE;
  return absl::OkStatus();
}

absl::Status AskServiceTerms(const QualificationClient& qualification,
                             const std::string& request_id, BidFacts& facts) {
  if (!facts.needs_codes) return absl::OkStatus();
  absl::StatusOr<qv1::Lot> lot = qualification.Lot(request_id, facts.lot_id);
  if (!lot.ok()) return lot.status();
  facts.services = {.codes = ServiceCodes(*lot)};
  if (!facts.needs_rates) return absl::OkStatus();
  absl::StatusOr<qv1::Membership> membership =
      qualification.Membership(request_id, facts.membership_id);
  if (!membership.ok()) return membership.status();
  std::map<std::string, int64_t>& tendered = facts.services.tendered_rates_pence.emplace();
  for (const qv1::AdditionalServiceRate& rate : membership->commercial().rate_card()) {
    tendered[rate.code()] = rate.rate().pence();
  }
  return absl::OkStatus();
}

// The facts were asked for this invitation and referral, locked now (they never change after
// publication: a difference is a defect, refused rather than trusted).
absl::Status CheckFactsStand(const BidFacts& facts, const v1::Invitation& invitation,
                             const v1::Referral& referral) {
  if (referral.spec().lot_id() != facts.lot_id ||
      invitation.membership_id() != facts.membership_id) {
    return absl::AbortedError("the invitation changed while the bid was checked; retry");
  }
  return absl::OkStatus();
}

// What a bid is checked against: the referral, the content as the domain reads it, and what
// binds its additional services.
struct BidInput {
  Referral referral;
  BidContent content;
  ServiceTerms services;
};

absl::StatusOr<BidInput> ReadBidInput(const v1::Referral& referral, const v1::BidContent& content,
                                      ServiceTerms services) {
  absl::StatusOr<Referral> domain = ToDomain(referral);
  if (!domain.ok()) return domain.status();
  absl::StatusOr<BidContent> domain_content = ToDomainContent(content);
  if (!domain_content.ok()) return domain_content.status();
  return BidInput{*std::move(domain), *std::move(domain_content), std::move(services)};
}

absl::Status LoadOwnBid(Call& call, const std::string& bid_id, v1::Bid& bid,
                        v1::Referral& referral) {
  if (absl::Status s = LoadBid(call.tx, bid_id, false, bid); !s.ok()) return s;
  if (bid.provider_id() != call.caller.organisation_id) {
    return absl::NotFoundError(absl::StrCat("bid ", bid_id, ": not found"));
  }
  if (absl::Status s = LoadReferral(call.tx, bid.referral_id(), true, referral); !s.ok()) return s;
  return LoadBid(call.tx, bid_id, true, bid);
}

}  // namespace

grpc::Status ReferralService::SubmitBid(grpc::ServerContext* context,
                                        const v1::SubmitBidRequest* request, v1::Bid* response) {
  BidFacts facts;
  const platform::CallRunner::Prepare prepare{
      .read =
          [&](Call& call) {
            return ReadBidFacts(call, request->invitation_id(), request->content(), facts);
          },
      .ask =
          [&](const platform::CallerIdentity&, const std::string& request_id) {
            return AskServiceTerms(qualification_, request_id, facts);
          }};
  RankingAsked ranking;
  return SettleAfter(
      calls_.Change(context, "SubmitBid", request->idempotency_key(), *request, *response,
                    kProviders, prepare,
                    [&](Call& call) -> absl::Status {
                      v1::Invitation invitation;
                      v1::Referral referral;
                      if (absl::Status s = LoadOwnInvitation(call, request->invitation_id(),
                                                             invitation, referral);
                          !s.ok()) {
                        return s;
                      }
                      if (absl::Status s = CheckFactsStand(facts, invitation, referral); !s.ok())
                        return s;
                      absl::StatusOr<Invitation> domain_invitation = ToDomain(invitation);
                      if (!domain_invitation.ok()) return domain_invitation.status();
                      absl::StatusOr<BidInput> input =
                          ReadBidInput(referral, request->content(), facts.services);
                      if (!input.ok()) return input.status();
                      absl::StatusOr<Bid> bid = dps::referral::SubmitBid(
                          *domain_invitation, input->referral, std::move(input->content),
                          input->services, call.now);
                      if (!bid.ok()) return bid.status();

                      v1::Bid& out = *response;
                      out.set_id(platform::NewId("bid"));
                      out.set_referral_id(referral.id());
                      out.set_invitation_id(invitation.id());
                      out.set_establishment_id(invitation.establishment_id());
                      out.set_provider_id(invitation.provider_id());
                      out.set_version(1);
                      ApplyToApi(*bid, out);
                      if (absl::Status s = InsertBid(call.tx, out); !s.ok()) return s;
                      ApplyToApi(*domain_invitation, invitation);
                      invitation.set_bid_id(out.id());
                      if (absl::Status s = SaveInvitation(call.tx, invitation); !s.ok()) return s;
                      referral.set_bid_count(referral.bid_count() + 1);
                      if (absl::Status s = SaveReferral(call.tx, referral); !s.ok()) return s;

                      dps::events::v1::EventEnvelope envelope;
                      auto& event = *envelope.mutable_bid_submitted();
                      event.set_bid_id(out.id());
                      event.set_referral_id(referral.id());
                      event.set_invitation_id(invitation.id());
                      event.set_establishment_id(out.establishment_id());
                      event.set_provider_id(out.provider_id());
                      *event.mutable_submitted_at() = out.submitted_at();
                      if (absl::Status s = platform::Announce(
                              call, kReferralStream, "referral.bid.submitted", "bid", out.id(),
                              referral.spec().system_id(), std::move(envelope));
                          !s.ok()) {
                        return s;
                      }
                      return CloseIfAllAnswered(call, referral, ranking);
                    }),
      ranking);
}

grpc::Status ReferralService::AmendBid(grpc::ServerContext* context,
                                       const v1::AmendBidRequest* request, v1::Bid* response) {
  BidFacts facts;
  const platform::CallRunner::Prepare prepare{
      .read = [&](Call& call) -> absl::Status {
        v1::Bid bid;
        if (absl::Status s = LoadBid(call.tx, request->bid_id(), false, bid); !s.ok()) return s;
        if (bid.provider_id() != call.caller.organisation_id) {
          return absl::NotFoundError(absl::StrCat("bid ", request->bid_id(), ": not found"));
        }
        return ReadBidFacts(call, bid.invitation_id(), request->content(), facts);
      },
      .ask =
          [&](const platform::CallerIdentity&, const std::string& request_id) {
            return AskServiceTerms(qualification_, request_id, facts);
          }};
  return calls_.Change(
      context, "AmendBid", request->idempotency_key(), *request, *response, kProviders, prepare,
      [&](Call& call) -> absl::Status {
        v1::Bid& stored = *response;
        v1::Referral referral;
        if (absl::Status s = LoadOwnBid(call, request->bid_id(), stored, referral); !s.ok()) {
          return s;
        }
        v1::Invitation invitation;
        if (absl::Status s = LoadInvitation(call.tx, stored.invitation_id(), false, invitation);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = CheckFactsStand(facts, invitation, referral); !s.ok()) return s;
        if (absl::Status s =
                platform::CheckVersion("bid", request->expected_version(), stored.version());
            !s.ok()) {
          return s;
        }
        absl::StatusOr<Bid> bid = ToDomain(stored);
        if (!bid.ok()) return bid.status();
        absl::StatusOr<BidInput> input = ReadBidInput(referral, request->content(), facts.services);
        if (!input.ok()) return input.status();
        if (absl::Status s = dps::referral::AmendBid(
                *bid, input->referral, std::move(input->content), input->services, call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*bid, stored);
        if (absl::Status s = SaveBid(call.tx, stored); !s.ok()) return s;
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_bid_amended();
        event.set_bid_id(stored.id());
        event.set_referral_id(referral.id());
        event.set_establishment_id(stored.establishment_id());
        event.set_provider_id(stored.provider_id());
        *event.mutable_amended_at() = stored.amended_at();
        return platform::Announce(call, kReferralStream, "referral.bid.amended", "bid", stored.id(),
                                  referral.spec().system_id(), std::move(envelope));
      });
}

grpc::Status ReferralService::WithdrawBid(grpc::ServerContext* context,
                                          const v1::WithdrawBidRequest* request,
                                          v1::Bid* response) {
  return calls_.Change(
      context, "WithdrawBid", request->idempotency_key(), *request, *response, kProviders,
      [&](Call& call) -> absl::Status {
        v1::Bid& stored = *response;
        v1::Referral referral;
        if (absl::Status s = LoadOwnBid(call, request->bid_id(), stored, referral); !s.ok()) {
          return s;
        }
        v1::Invitation invitation;
        if (absl::Status s = LoadInvitation(call.tx, stored.invitation_id(), true, invitation);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<Referral> domain_referral = ToDomain(referral);
        if (!domain_referral.ok()) return domain_referral.status();
        absl::StatusOr<Bid> bid = ToDomain(stored);
        if (!bid.ok()) return bid.status();
        absl::StatusOr<Invitation> domain_invitation = ToDomain(invitation);
        if (!domain_invitation.ok()) return domain_invitation.status();
        if (absl::Status s = dps::referral::WithdrawBid(*bid, *domain_invitation, *domain_referral,
                                                        request->reason(), call.now);
            !s.ok()) {
          return s;
        }
        ApplyToApi(*bid, stored);
        if (absl::Status s = SaveBid(call.tx, stored); !s.ok()) return s;
        ApplyToApi(*domain_invitation, invitation);
        invitation.clear_bid_id();
        if (absl::Status s = SaveInvitation(call.tx, invitation); !s.ok()) return s;
        referral.set_bid_count(referral.bid_count() - 1);
        if (absl::Status s = SaveReferral(call.tx, referral); !s.ok()) return s;
        dps::events::v1::EventEnvelope envelope;
        auto& event = *envelope.mutable_bid_withdrawn();
        event.set_bid_id(stored.id());
        event.set_referral_id(referral.id());
        event.set_establishment_id(stored.establishment_id());
        event.set_provider_id(stored.provider_id());
        return platform::Announce(call, kReferralStream, "referral.bid.withdrawn", "bid",
                                  stored.id(), referral.spec().system_id(), std::move(envelope));
      });
}

grpc::Status ReferralService::GetBid(grpc::ServerContext* context, const v1::GetBidRequest* request,
                                     v1::Bid* response) {
  return calls_.Read(context, *request, kBidGetters, [&](Call& call) -> absl::Status {
    if (absl::Status s = LoadBid(call.tx, request->id(), false, *response); !s.ok()) return s;
    v1::Referral referral;
    if (absl::Status s = LoadReferral(call.tx, response->referral_id(), false, referral); !s.ok()) {
      return s;
    }
    if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
      if (response->provider_id() == call.caller.organisation_id) return absl::OkStatus();
      return absl::NotFoundError(absl::StrCat("bid ", response->id(), ": not found"));
    }
    if (absl::Status s = RequireReader(call, referral); !s.ok()) return s;
    return RequireUnsealed(call, referral);
  });
}

grpc::Status ReferralService::ListBids(grpc::ServerContext* context,
                                       const v1::ListBidsRequest* request,
                                       v1::ListBidsResponse* response) {
  return calls_.Read(context, *request, kBidReaders, [&](Call& call) -> absl::Status {
    absl::StatusOr<platform::Page> page = platform::ToPage(*request);
    if (!page.ok()) return page.status();
    v1::Referral referral;
    if (absl::Status s = LoadReferral(call.tx, request->referral_id(), false, referral); !s.ok()) {
      return s;
    }
    std::string provider_id = request->provider_id();
    if (call.caller.role == ApiRole::ROLE_PROVIDER_USER) {
      provider_id = call.caller.organisation_id;  // a provider lists only its own bids
    } else if (absl::Status s = RequireReader(call, referral); !s.ok()) {
      return s;
    } else if (absl::Status s = RequireUnsealed(call, referral); !s.ok()) {
      return s;
    }
    absl::StatusOr<std::vector<std::string>> states = StateFilter<v1::BidState>(request->states());
    if (!states.ok()) return states.status();
    if (absl::Status s =
            dps::referral::ListBids(call.tx, referral.id(), provider_id, *states, *page, *response);
        !s.ok()) {
      return s;
    }
    return absl::OkStatus();
  });
}

}  // namespace dps::referral
