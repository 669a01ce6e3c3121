// dps-demo-referrals: after dps-demo-data has filled the qualification service, Brighton and
// Hove's placing officer drafts and publishes two referrals in the demo system's residential lot,
// through the referral service's API, for the README's walkthrough:
//   - a 13-year-old boy's, OPEN with its invitations (bids on it stay sealed until it closes);
//   - a 15-year-old girl's, with an evaluator of the lead authority assigned to its outcome
//     answers, where every invited provider but the nearest has declined: the nearest one's bid
//     is the last answer, which closes it, so a newcomer can take it to a signed agreement today
//     instead of waiting for its deadline;
//   - an 11-year-old boy's, already awarded: the nearest provider bid, everyone else declined,
//     and the officer awarded the top-ranked bid, so the contracts service has drawn up a draft
//     placement agreement and the market figures and dashboards have an award to show.
//
// Run again (each `./dps up` does), it finds the authority's referrals there and changes nothing.
// The deadline is two weeks from now and the start four weeks, as an officer would set them.
//
//   dps-demo-referrals --qualification=127.0.0.1:7101 --referral=127.0.0.1:7102
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dps/qualification/v1/qualification.grpc.pb.h"
#include "dps/referral/v1/referral.grpc.pb.h"
#include "platform/auth/token_minter.h"
#include "platform/grpc/caller.h"
#include "platform/proto/proto_time.h"
#include "platform/grpc/tls.h"

ABSL_FLAG(std::string, qualification, "127.0.0.1:7101", "the qualification service");
ABSL_FLAG(std::string, referral, "127.0.0.1:7102", "the referral service");

namespace {

namespace qv1 = ::dps::qualification::v1;
namespace v1 = ::dps::referral::v1;

constexpr char kAuthority[] = "brighton-and-hove";
// The user the walkthrough scores outcome answers as: ./dps token ROLE_EVALUATOR <lead> this.
constexpr char kEvaluator[] = "demo-evaluator";

// A caller through the local identity provider's key.
std::unique_ptr<grpc::ClientContext> As(const std::string& user, dps::common::v1::Role role,
                                        const std::string& organisation) {
  static const dps::platform::auth::TokenMinter* minter = [] {
    absl::StatusOr<dps::platform::auth::TokenMinter> made =
        dps::platform::auth::TokenMinter::FromEnvironment();
    if (!made.ok()) {
      std::cerr << "dps-demo-referrals: " << made.status().message() << "\n";
      std::exit(2);
    }
    return new dps::platform::auth::TokenMinter(*std::move(made));
  }();
  absl::StatusOr<std::string> token =
      minter->TokenFor({.user_id = user, .role = role, .organisation_id = organisation});
  if (!token.ok()) {
    std::cerr << "dps-demo-referrals: " << token.status().message() << "\n";
    std::exit(2);
  }
  auto context = std::make_unique<grpc::ClientContext>();
  dps::platform::AddBearerToken(*context, *token);
  return context;
}

// A placing officer of Brighton and Hove.
std::unique_ptr<grpc::ClientContext> Officer() {
  return As("demo-officer", dps::common::v1::ROLE_PLACING_OFFICER, kAuthority);
}

// Exits with the server's message when a call fails.
void Require(const grpc::Status& status, const std::string& what) {
  if (status.ok()) return;
  std::cerr << "dps-demo-referrals: " << what << ": " << status.error_message() << "\n";
  std::exit(1);
}

v1::ReferralSpec DemoSpec(const std::string& system_id, const std::string& lot_id) {
  const absl::Time now = absl::Now();
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  v1::ReferralSpec spec;
  spec.set_system_id(system_id);
  spec.set_lot_id(lot_id);
  spec.set_kind(v1::REFERRAL_KIND_INDIVIDUAL);
  v1::ChildProfile& child = *spec.add_children();
  child.set_child_key("child-1");
  child.set_age_years(13);
  child.set_gender(dps::common::v1::GENDER_MALE);
  spec.mutable_location()->set_postcode_district("BN3");
  for (const auto& [code, marks] : {std::pair{"ASD", 3}, std::pair{"SEMH", 2}}) {
    dps::scoring::v1::MarkedCode& need = *spec.add_needs();
    need.set_code(code);
    need.set_marks(marks);
  }
  dps::scoring::v1::MarkedCode& feature = *spec.add_desirable_features();
  feature.set_code("education-on-site");
  feature.set_marks(1);
  spec.add_outcomes_sought("Back in full-time education within a term");
  spec.add_outcomes_sought("Keeps weekly contact with his grandmother in Hove");
  spec.set_description(
      "A settled, quiet home with staff experienced in autism; he finds change hard and needs a "
      "gradual introduction.");
  *spec.mutable_start_date() = dps::platform::ToDate(today + 28);
  spec.set_planned_duration_months(12);
  spec.set_radius_miles(40);
  *spec.mutable_response_deadline() = dps::platform::ToTimestamp(
      absl::FromCivil(absl::CivilSecond(today + 14) + 17 * 3600, absl::UTCTimeZone()));
  return spec;
}

// The walkthrough's second child: a 15-year-old girl from Brighton.
v1::ReferralSpec SecondSpec(const std::string& system_id, const std::string& lot_id) {
  v1::ReferralSpec spec = DemoSpec(system_id, lot_id);
  v1::ChildProfile& child = *spec.mutable_children(0);
  child.set_child_key("child-2");
  child.set_age_years(15);
  child.set_gender(dps::common::v1::GENDER_FEMALE);
  spec.mutable_location()->set_postcode_district("BN1");
  spec.clear_outcomes_sought();
  spec.add_outcomes_sought("Sits her GCSEs at her own school next summer");
  spec.set_description(
      "A calm home within reach of her school in Brighton; she is bright, anxious in groups and "
      "needs staff who will keep to what they promise.");
  return spec;
}

// The demo's awarded child: an 11-year-old boy from Hove, no outcome answers to score, so the
// ranking is final as soon as the referral closes. With no outcomes sought nothing can earn an
// outcomes weight, so the referral sets its own weights: the lot's, the outcomes' 10 on needs.
v1::ReferralSpec AwardedSpec(const std::string& system_id, const std::string& lot_id) {
  v1::ReferralSpec spec = DemoSpec(system_id, lot_id);
  v1::ChildProfile& child = *spec.mutable_children(0);
  child.set_child_key("child-3");
  child.set_age_years(11);
  spec.clear_outcomes_sought();
  dps::common::v1::Weights& weights = *spec.mutable_weights();
  weights.set_price(50);
  weights.set_outcomes(0);
  weights.set_needs(20);
  weights.set_features(5);
  weights.set_location(5);
  weights.set_core_competency(20);
  spec.set_description(
      "A small home near Hove with a garden; he loves football and needs help to stay in "
      "school.");
  return spec;
}

v1::Referral CreateAndPublish(v1::ReferralService::Stub& referral, const v1::ReferralSpec& spec,
                              const std::string& key) {
  v1::CreateReferralRequest create;
  create.set_idempotency_key(absl::StrCat("demo-referral-", key));
  *create.mutable_spec() = spec;
  v1::Referral draft;
  Require(referral.CreateReferral(Officer().get(), create, &draft), "create a referral");
  v1::PublishReferralRequest publish;
  publish.set_idempotency_key(absl::StrCat("demo-publish-", draft.id()));
  publish.set_id(draft.id());
  v1::PublishReferralResponse published;
  Require(referral.PublishReferral(Officer().get(), publish, &published), "publish a referral");
  std::cout << "demo referrals: " << kAuthority << " published referral " << draft.id() << " to "
            << published.new_invitations_size() << " establishments\n";
  return published.referral();
}

// A provider's user.
std::unique_ptr<grpc::ClientContext> Provider(const std::string& provider_id) {
  return As("demo-provider", dps::common::v1::ROLE_PROVIDER_USER, provider_id);
}

// Assigns the demo evaluator to the referral's outcome answers.
void AssignEvaluator(v1::ReferralService::Stub& referral, const std::string& referral_id) {
  v1::AssignOutcomeEvaluatorsRequest assign;
  assign.set_idempotency_key(absl::StrCat("demo-evaluators-", referral_id));
  assign.set_referral_id(referral_id);
  assign.add_evaluator_user_ids(kEvaluator);
  v1::Referral assigned;
  Require(referral.AssignOutcomeEvaluators(Officer().get(), assign, &assigned),
          "assign the evaluator");
}

// Has every invited provider but the nearest decline, so the nearest one's answer is the last;
// returns the nearest one's invitation (none when nobody was invited).
std::optional<v1::Invitation> LeaveOneAnswer(v1::ReferralService::Stub& referral,
                                             const std::string& referral_id) {
  std::vector<v1::Invitation> invitations;
  v1::ListInvitationsRequest list;
  list.set_referral_id(referral_id);
  do {
    v1::ListInvitationsResponse page;
    Require(referral.ListInvitations(Officer().get(), list, &page), "list invitations");
    invitations.insert(invitations.end(), page.invitations().begin(), page.invitations().end());
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!list.page().page_token().empty());
  if (invitations.empty()) return std::nullopt;
  std::sort(invitations.begin(), invitations.end(),
            [](const v1::Invitation& a, const v1::Invitation& b) {
              return std::pair(a.distance_miles(), a.id()) < std::pair(b.distance_miles(), b.id());
            });
  for (size_t i = 1; i < invitations.size(); ++i) {
    v1::DeclineInvitationRequest decline;
    decline.set_idempotency_key(absl::StrCat("demo-decline-", invitations[i].id()));
    decline.set_invitation_id(invitations[i].id());
    decline.set_reason(v1::DECLINE_REASON_NO_CAPACITY);
    decline.set_detail("No bed free before the spring.");
    v1::Invitation declined;
    Require(referral.DeclineInvitation(Provider(invitations[i].provider_id()).get(), decline,
                                       &declined),
            "decline an invitation");
  }
  return invitations[0];
}

// The nearest provider bids, which closes the referral; once the ranking is final the officer
// awards the top-ranked bid.
void BidAndAward(v1::ReferralService::Stub& referral, const std::string& referral_id,
                 const v1::Invitation& invitation) {
  v1::SubmitBidRequest submit;
  submit.set_idempotency_key(absl::StrCat("demo-bid-", invitation.id()));
  submit.set_invitation_id(invitation.id());
  v1::BidContent& content = *submit.mutable_content();
  content.mutable_core_fee()->set_pence(348000);
  content.add_needs_met("ASD");
  content.add_needs_met("SEMH");
  *content.mutable_earliest_start() =
      dps::platform::ToDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 28);
  v1::Bid bid;
  Require(referral.SubmitBid(Provider(invitation.provider_id()).get(), submit, &bid),
          "submit a bid");
  // The last answer closes the referral and the scoring service ranks it; the ranking is final
  // at once (no outcome answers to score), so this waits seconds at most.
  v1::Referral closed;
  for (int attempt = 0; attempt < 300; ++attempt) {
    v1::GetReferralRequest get;
    get.set_id(referral_id);
    Require(referral.GetReferral(Officer().get(), get, &closed), "read the referral");
    if (closed.state() == v1::REFERRAL_STATE_EVALUATED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (closed.state() != v1::REFERRAL_STATE_EVALUATED) {
    std::cerr << "dps-demo-referrals: referral " << referral_id
              << " was not ranked within 30 s (state " << v1::ReferralState_Name(closed.state())
              << ")\n";
    std::exit(1);
  }
  v1::AwardReferralRequest award;
  award.set_idempotency_key(absl::StrCat("demo-award-", referral_id));
  award.set_referral_id(referral_id);
  award.set_expected_version(closed.version());
  award.set_bid_id(bid.id());
  award.set_basis(v1::AWARD_BASIS_TOP_RANKED);
  v1::Referral awarded;
  Require(referral.AwardReferral(Officer().get(), award, &awarded), "award the referral");
  std::cout << "demo referrals: referral " << referral_id << " awarded to "
            << invitation.provider_id() << " (state " << v1::ReferralState_Name(awarded.state())
            << ")\n";
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto qualification = qv1::QualificationService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_qualification),
                          dps::platform::ToolChannelCredentials("dps-demo-referrals")));
  auto referral = v1::ReferralService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_referral), dps::platform::ToolChannelCredentials("dps-demo-referrals")));

  v1::ListReferralsResponse existing;
  Require(referral->ListReferrals(Officer().get(), v1::ListReferralsRequest(), &existing),
          "list referrals");
  if (existing.referrals_size() > 0) {
    std::cout << "demo referrals: " << kAuthority << " already has referral "
              << existing.referrals(0).id() << "\n";
    return 0;
  }

  qv1::ListPurchasingSystemsRequest systems_request;
  systems_request.set_authority_id(kAuthority);
  qv1::ListPurchasingSystemsResponse systems;
  Require(qualification->ListPurchasingSystems(Officer().get(), systems_request, &systems),
          "list purchasing systems");
  if (systems.systems_size() == 0) {
    std::cerr << "dps-demo-referrals: " << kAuthority
              << " takes part in no purchasing system; run dps-demo-data first\n";
    return 1;
  }
  const std::string system_id = systems.systems(0).id();
  qv1::ListLotsRequest lots_request;
  lots_request.set_system_id(system_id);
  qv1::ListLotsResponse lots;
  Require(qualification->ListLots(Officer().get(), lots_request, &lots), "list lots");
  std::string lot_id;
  for (const qv1::Lot& lot : lots.lots()) {
    if (lot.code() == "RES") lot_id = lot.id();
  }
  if (lot_id.empty()) {
    std::cerr << "dps-demo-referrals: the demo system has no RES lot\n";
    return 1;
  }

  CreateAndPublish(*referral, DemoSpec(system_id, lot_id), system_id);
  const v1::Referral second =
      CreateAndPublish(*referral, SecondSpec(system_id, lot_id), absl::StrCat(system_id, "-2"));
  AssignEvaluator(*referral, second.id());
  if (const std::optional<v1::Invitation> last = LeaveOneAnswer(*referral, second.id())) {
    std::cout << "demo referrals: referral " << second.id() << " waits for one answer, from "
              << last->provider_id() << "; outcome answers are scored by " << kEvaluator << " of "
              << systems.systems(0).lead_authority_id() << "\n";
  }
  const v1::Referral third =
      CreateAndPublish(*referral, AwardedSpec(system_id, lot_id), absl::StrCat(system_id, "-3"));
  if (const std::optional<v1::Invitation> last = LeaveOneAnswer(*referral, third.id())) {
    BidAndAward(*referral, third.id(), *last);
  }
  return 0;
}
