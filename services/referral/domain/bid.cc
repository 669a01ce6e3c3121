#include "services/referral/domain/bid.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"
#include "services/referral/domain/shared.h"

namespace dps::referral {
namespace {

using platform::Forbidden;
using platform::InvalidField;

// The referral still takes answers: OPEN and before its deadline.
absl::Status CheckTakesAnswers(const Referral& referral, absl::Time now) {
  if (referral.state != ReferralState::kOpen) {
    return Forbidden("referral", absl::StrCat("is ", ReferralStateName(referral.state),
                                              ": it takes no answers"));
  }
  if (now >= referral.response_deadline()) {
    return Forbidden("referral", "the response deadline has passed");
  }
  return absl::OkStatus();
}

bool Listed(const std::vector<std::string>& list, const std::string& code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

template <typename Entry>
bool ListedMarked(const std::vector<Entry>& list, const std::string& code) {
  return std::any_of(list.begin(), list.end(), [&](const Entry& e) { return e.code == code; });
}

absl::Status CheckCodesMet(absl::string_view field, const std::vector<std::string>& met,
                           absl::FunctionRef<bool(const std::string&)> listed,
                           absl::string_view what) {
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < met.size(); ++i) {
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (!listed(met[i])) {
      return InvalidField(at, absl::StrCat("'", met[i], "' is not one of the referral's ", what));
    }
    if (!seen.insert(met[i]).second) {
      return InvalidField(at, absl::StrCat("'", met[i], "' is listed twice"));
    }
  }
  return absl::OkStatus();
}

// Where tendered rates bind, a service is priced at most at its tendered rate, and one without a
// tendered rate is not priced at all (ServiceTerms::tendered_rates_pence).
absl::Status CheckTenderedRate(const ServiceTerms& services, const AdditionalService& service,
                               absl::string_view at) {
  if (!services.tendered_rates_pence) return absl::OkStatus();
  const auto tendered = services.tendered_rates_pence->find(service.code);
  if (tendered == services.tendered_rates_pence->end()) {
    return InvalidField(absl::StrCat(at, ".code"),
                        absl::StrCat("'", service.code,
                                     "' has no rate on the establishment's tendered rate card for "
                                     "the lot: an additional service is charged at its tendered "
                                     "rate"));
  }
  if (service.rate_pence > tendered->second) {
    return InvalidField(absl::StrCat(at, ".rate_pence"),
                        absl::StrCat("must be at most the tendered rate of ", tendered->second,
                                     " pence for '", service.code, "', got ", service.rate_pence));
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view InvitationStateName(InvitationState state) {
  switch (state) {
    case InvitationState::kInvited:
      return "INVITED";
    case InvitationState::kViewed:
      return "VIEWED";
    case InvitationState::kDeclined:
      return "DECLINED";
    case InvitationState::kBid:
      return "BID";
    case InvitationState::kNoResponse:
      return "NO_RESPONSE";
    case InvitationState::kCancelled:
      return "CANCELLED";
  }
  return "UNKNOWN";
}

absl::string_view BidStateName(BidState state) {
  switch (state) {
    case BidState::kSubmitted:
      return "SUBMITTED";
    case BidState::kWithdrawn:
      return "WITHDRAWN";
    case BidState::kExcluded:
      return "EXCLUDED";
    case BidState::kCompliant:
      return "COMPLIANT";
    case BidState::kAwarded:
      return "AWARDED";
    case BidState::kNotAwarded:
      return "NOT_AWARDED";
  }
  return "UNKNOWN";
}

InvitationAnswer AnswerOf(const Invitation& invitation) {
  return {
      invitation.state == InvitationState::kDeclined || invitation.state == InvitationState::kBid,
      invitation.suspended};
}

void MarkViewed(Invitation& invitation, absl::Time now) {
  if (invitation.state != InvitationState::kInvited) return;
  invitation.state = InvitationState::kViewed;
  invitation.viewed_at = now;
}

absl::Status DeclineInvitation(Invitation& invitation, const Referral& referral, Decline decline,
                               absl::Time now) {
  if (auto s = CheckTakesAnswers(referral, now); !s.ok()) return s;
  if (invitation.state != InvitationState::kInvited &&
      invitation.state != InvitationState::kViewed) {
    return Forbidden("invitation", absl::StrCat("cannot decline an invitation that is ",
                                                InvitationStateName(invitation.state)));
  }
  if (decline.reason == DeclineReason::kOther &&
      decline.detail.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidField("detail", "required when the reason is OTHER");
  }
  if (decline.detail.size() > static_cast<size_t>(kMaxTextLength)) {
    return InvalidField("detail", absl::StrCat("must be at most ", kMaxTextLength, " characters"));
  }
  decline.declined_at = now;
  invitation.decline = std::move(decline);
  invitation.state = InvitationState::kDeclined;
  return absl::OkStatus();
}

void EndUnanswered(Invitation& invitation, bool referral_withdrawn) {
  if (invitation.state != InvitationState::kInvited &&
      invitation.state != InvitationState::kViewed) {
    return;
  }
  invitation.state =
      referral_withdrawn ? InvitationState::kCancelled : InvitationState::kNoResponse;
}

void ReopenUnanswered(Invitation& invitation) {
  if (invitation.state != InvitationState::kNoResponse) return;
  invitation.state = invitation.viewed_at ? InvitationState::kViewed : InvitationState::kInvited;
}

absl::Status ValidateBidContent(const BidContent& content, const ReferralSpec& spec,
                                const ServiceTerms& services) {
  // The engine's bounds, checked here: a bid it would refuse at close would hold every bid of the
  // referral sealed with nobody able to award.
  if (auto s = ValidatePence("content.core_fee", content.core_fee_pence); !s.ok()) return s;
  if (content.additional_services.size() > static_cast<size_t>(kMaxAdditionalServices)) {
    return InvalidField("content.additional_services",
                        absl::StrCat("must have at most ", kMaxAdditionalServices, " lines, got ",
                                     content.additional_services.size()));
  }
  absl::flat_hash_set<std::string> priced;
  for (size_t i = 0; i < content.additional_services.size(); ++i) {
    const AdditionalService& service = content.additional_services[i];
    const std::string at = absl::StrCat("content.additional_services[", i, "]");
    if (!Listed(services.codes, service.code)) {
      return InvalidField(
          absl::StrCat(at, ".code"),
          absl::StrCat("'", service.code, "' is not one of the lot's additional services"));
    }
    if (!priced.insert(service.code).second) {
      return InvalidField(absl::StrCat(at, ".code"),
                          absl::StrCat("'", service.code, "' is listed twice"));
    }
    if (service.units <= 0 || service.units > kMaxServiceUnits) {
      return InvalidField(absl::StrCat(at, ".units"),
                          absl::StrCat("must be 1 to ", kMaxServiceUnits, ", got ", service.units));
    }
    if (auto s = ValidatePence(absl::StrCat(at, ".rate_pence"), service.rate_pence); !s.ok()) {
      return s;
    }
    if (auto s = CheckTenderedRate(services, service, at); !s.ok()) return s;
  }
  if (auto s = CheckCodesMet(
          "content.needs_met", content.needs_met,
          [&](const std::string& code) { return ListedMarked(spec.needs, code); }, "needs");
      !s.ok()) {
    return s;
  }
  if (auto s = CheckCodesMet(
          "content.features_met", content.features_met,
          [&](const std::string& code) {
            return Listed(spec.must_have_features, code) ||
                   ListedMarked(spec.desirable_features, code);
          },
          "features");
      !s.ok()) {
    return s;
  }
  if (!spec.outcomes_sought.empty() &&
      content.outcomes_answer.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidField("content.outcomes_answer", "required: the referral seeks outcomes");
  }
  if (content.outcomes_answer.size() > static_cast<size_t>(kMaxTextLength)) {
    return InvalidField("content.outcomes_answer",
                        absl::StrCat("must be at most ", kMaxTextLength, " characters"));
  }
  if (content.fee_justification.size() > static_cast<size_t>(kMaxTextLength)) {
    return InvalidField("content.fee_justification",
                        absl::StrCat("must be at most ", kMaxTextLength, " characters"));
  }
  if (!content.earliest_start) return InvalidField("content.earliest_start", "required");
  return absl::OkStatus();
}

absl::StatusOr<Bid> SubmitBid(Invitation& invitation, const Referral& referral, BidContent content,
                              const ServiceTerms& services, absl::Time now) {
  if (auto s = CheckTakesAnswers(referral, now); !s.ok()) return s;
  if (invitation.suspended) {
    return Forbidden("invitation",
                     "the establishment has been suspended since it was invited and may not bid");
  }
  if (invitation.state != InvitationState::kInvited &&
      invitation.state != InvitationState::kViewed) {
    return Forbidden("invitation", absl::StrCat("cannot bid on an invitation that is ",
                                                InvitationStateName(invitation.state)));
  }
  if (auto s = ValidateBidContent(content, referral.spec, services); !s.ok()) return s;
  Bid bid;
  bid.content = std::move(content);
  bid.submitted_at = now;
  if (!invitation.viewed_at) invitation.viewed_at = now;
  invitation.state = InvitationState::kBid;
  return bid;
}

absl::Status AmendBid(Bid& bid, const Referral& referral, BidContent content,
                      const ServiceTerms& services, absl::Time now) {
  if (auto s = CheckTakesAnswers(referral, now); !s.ok()) return s;
  if (bid.state != BidState::kSubmitted) {
    return Forbidden("bid", absl::StrCat("cannot amend a bid that is ", BidStateName(bid.state)));
  }
  if (auto s = ValidateBidContent(content, referral.spec, services); !s.ok()) return s;
  bid.content = std::move(content);
  bid.amended_at = now;
  return absl::OkStatus();
}

absl::Status WithdrawBid(Bid& bid, Invitation& invitation, const Referral& referral,
                         absl::string_view reason, absl::Time now) {
  if (auto s = CheckTakesAnswers(referral, now); !s.ok()) return s;
  if (bid.state != BidState::kSubmitted) {
    return Forbidden("bid",
                     absl::StrCat("cannot withdraw a bid that is ", BidStateName(bid.state)));
  }
  if (reason.size() > static_cast<size_t>(kMaxTextLength)) {
    return InvalidField("reason", absl::StrCat("must be at most ", kMaxTextLength, " characters"));
  }
  bid.state = BidState::kWithdrawn;
  bid.withdrawn_at = now;
  bid.withdrawal_reason = std::string(reason);
  invitation.state = InvitationState::kViewed;
  return absl::OkStatus();
}

BidState StateAtAward(BidState state, bool winner) {
  if (winner) return BidState::kAwarded;
  return state == BidState::kCompliant ? BidState::kNotAwarded : state;
}

BidState StateWithoutAward(BidState state) {
  return state == BidState::kSubmitted || state == BidState::kCompliant ? BidState::kNotAwarded
                                                                        : state;
}

absl::StatusOr<BidState> StateAtRanking(BidState state, bool compliant) {
  if (state == BidState::kWithdrawn || state == BidState::kAwarded) {
    return Forbidden("bid", absl::StrCat("a bid that is ", BidStateName(state), " is not ranked"));
  }
  return compliant ? BidState::kCompliant : BidState::kExcluded;
}

std::optional<SuspensionFlag> ApplyMembershipChange(Invitation& invitation, MembershipChange change,
                                                    absl::string_view detail) {
  const bool suspended = change != MembershipChange::kReinstated;
  if (invitation.suspended == suspended) return std::nullopt;
  invitation.suspended = suspended;
  switch (change) {
    case MembershipChange::kSuspended:
      return SuspensionFlag{true, absl::StrCat("suspended since invitation: ", detail)};
    case MembershipChange::kExcluded:
      return SuspensionFlag{true, "excluded from the lot since invitation"};
    case MembershipChange::kReinstated:
      break;
  }
  return SuspensionFlag{};
}

bool BidContentVisible(const Referral& referral) {
  return referral.closed_at.has_value() && referral.state != ReferralState::kOpen &&
         referral.state != ReferralState::kDraft;
}

}  // namespace dps::referral
