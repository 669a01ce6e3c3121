// Drafting, reading and withdrawing referrals through gRPC: who may, what is checked, what is kept.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/pg/documents.h"
#include "services/referral/tests/referral_fixture.h"

namespace dps::referral::testing {
namespace {

using qualification::testing::At;
using qualification::testing::ServiceFixture;

v1::CreateReferralRequest CreateRequest(const ReferralFixture& f) {
  v1::CreateReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  *request.mutable_spec() = f.Spec();
  return request;
}

v1::Referral Create(ReferralFixture& f, v1::ReferralSpec spec) {
  v1::CreateReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  *request.mutable_spec() = std::move(spec);
  v1::Referral referral;
  CHECK_OK(f.stub().CreateReferral(Officer().get(), request, &referral));
  return referral;
}

// The status of creating a referral from `spec` as `context`'s caller.
grpc::Status TryCreate(ReferralFixture& f, v1::ReferralSpec spec,
                       std::unique_ptr<grpc::ClientContext> context = Officer()) {
  v1::CreateReferralRequest request;
  request.set_idempotency_key(ServiceFixture::Key());
  *request.mutable_spec() = std::move(spec);
  v1::Referral referral;
  return f.stub().CreateReferral(context.get(), request, &referral);
}

TEST_CASE("a partner authority's officer drafts a referral, kept as written, district tidied") {
  ReferralFixture f(At(2027, 3, 1));
  v1::CreateReferralRequest request = CreateRequest(f);
  request.mutable_spec()->mutable_location()->set_postcode_district(" rh12 ");
  v1::Referral created;
  CHECK_OK(f.stub().CreateReferral(Officer().get(), request, &created));
  CHECK(created.state() == v1::REFERRAL_STATE_DRAFT);
  CHECK(created.placing_authority_id() == kPartner);
  CHECK(created.spec().location().postcode_district() == "RH12");
  CHECK(created.version() == 1);
  REQUIRE(created.history_size() == 1);
  CHECK(created.history(0).actor().user_id() == "officer-1");
  CHECK(created.history(0).actor().role() == "ROLE_PLACING_OFFICER");
  CHECK(created.history(0).actor().organisation_id() == kPartner);

  // The same request again is the same referral, not a second one.
  v1::Referral again;
  CHECK_OK(f.stub().CreateReferral(Officer().get(), request, &again));
  CHECK(again.id() == created.id());

  v1::GetReferralRequest get;
  get.set_id(created.id());
  v1::Referral read;
  CHECK_OK(f.stub().GetReferral(Officer().get(), get, &read));
  CHECK(read.SerializeAsString() == created.SerializeAsString());
  CHECK(f.EventCount("referral.referral.withdrawn") == 0);
}

TEST_CASE("a draft's bad input is refused naming the field, and nothing is written") {
  ReferralFixture f(At(2027, 3, 1));
  v1::ReferralSpec full_postcode = f.Spec();
  full_postcode.mutable_location()->set_postcode_district("RH12 1AB");
  grpc::Status status = TryCreate(f, full_postcode);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() ==
        "spec.location.postcode_district: must be the postcode district only (e.g. \"RH12\"), "
        "never a full postcode: a child's full postcode does not leave the placing authority");

  v1::ReferralSpec unknown_district = f.Spec();
  unknown_district.mutable_location()->set_postcode_district("ZZ99");
  CHECK(TryCreate(f, unknown_district).error_message() ==
        "spec.location.postcode_district: 'ZZ99' is not a postcode district in use");

  v1::ReferralSpec no_gender = f.Spec();
  no_gender.mutable_children(0)->clear_gender();
  CHECK(TryCreate(f, no_gender).error_message() ==
        "spec.children[0].gender: required: MALE, FEMALE or OTHER");

  v1::ReferralSpec no_kind = f.Spec();
  no_kind.clear_kind();
  CHECK(TryCreate(f, no_kind).error_message() == "spec.kind: required: INDIVIDUAL or COHORT");

  v1::ReferralSpec bad_date = f.Spec();
  bad_date.mutable_start_date()->set_month(13);
  CHECK(TryCreate(f, bad_date).error_message() ==
        "spec.start_date: not a calendar date: 2027-13-1");

  v1::ReferralSpec unknown_system = f.Spec();
  unknown_system.set_system_id("system-nope");
  status = TryCreate(f, unknown_system);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(status.error_message() == "spec.system_id: purchasing system 'system-nope' does not exist");

  v1::ReferralSpec unknown_lot = f.Spec();
  unknown_lot.set_lot_id("lot-nope");
  CHECK(TryCreate(f, unknown_lot).error_message() ==
        "spec.lot_id: lot 'lot-nope' is not a lot of purchasing system '" + f.world().system_id +
            "'");

  v1::ListReferralsResponse list;
  CHECK_OK(f.stub().ListReferrals(Officer().get(), v1::ListReferralsRequest(), &list));
  CHECK(list.referrals_size() == 0);
}

TEST_CASE("only authorities taking part in the system draft referrals, and only authors") {
  ReferralFixture f(At(2027, 3, 1));
  const grpc::Status outsider = TryCreate(f, f.Spec(), Officer(kOutsider));
  CHECK(outsider.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(outsider.error_message() ==
        "organisation kent takes no part in purchasing system " + f.world().system_id);
  const grpc::Status provider = TryCreate(f, f.Spec(), As(ApiRole::ROLE_PROVIDER_USER, kProvider));
  CHECK(provider.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status admin = TryCreate(f, f.Spec(), As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead));
  CHECK(admin.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  // The lead authority's own officers place children too.
  CHECK(TryCreate(f, f.Spec(), Officer(kLead)).ok());
}

TEST_CASE("an authority taking part in some lots only drafts and publishes in those only") {
  // West Sussex: Brighton takes part in the fostering lot only, not the world's residential one.
  ReferralFixture f(At(2027, 3, 1));
  qualification::testing::QualifiedMember(f.qualification(), f.world());
  const v1::Referral draft = Create(f, f.Spec());
  qualification::testing::AddLot(f.qualification(), f.world(), "FOS");
  qualification::testing::TakesPartIn(f.qualification(), f.world(), kPartner, {"FOS"});
  const std::string refusal =
      "authority brighton does not take part in lot RES of purchasing "
      "system " +
      f.world().system_id + " (it calls off FOS)";
  const grpc::Status created = TryCreate(f, f.Spec());
  CHECK(created.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(created.error_message() == refusal);
  v1::PublishReferralRequest publish;
  publish.set_idempotency_key(ServiceFixture::Key());
  publish.set_id(draft.id());
  v1::PublishReferralResponse published;
  const grpc::Status refused = f.stub().PublishReferral(Officer().get(), publish, &published);
  CHECK(refused.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(refused.error_message() == refusal);
  CHECK(f.EventCount("referral.referral.published") == 0);
  // The lead's officers place in every lot.
  CHECK(TryCreate(f, f.Spec(), Officer(kLead)).ok());
}

TEST_CASE("a draft is changed by its authority at the version it read") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::Referral draft = Create(f, f.Spec());
  v1::UpdateReferralRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(draft.id());
  update.set_expected_version(draft.version());
  *update.mutable_spec() = f.Spec();
  update.mutable_spec()->set_radius_miles(45);
  v1::Referral updated;
  CHECK_OK(f.stub().UpdateReferral(Officer().get(), update, &updated));
  CHECK(updated.spec().radius_miles() == 45);
  CHECK(updated.version() == 2);

  // A draft's edit announces nothing, yet it is in the audit chain, written with it: who, when,
  // which referral, its system and authority, and the request. Its repeat adds no second entry.
  auto edits = [&] {
    std::vector<std::string> found;
    REQUIRE(f.pool()
                .InTransaction([&](pqxx::work& tx) {
                  for (const pqxx::row& row : tx.exec_params(
                           "SELECT concat_ws('|', actor_user_id, actor_role, "
                           "actor_organisation_id, aggregate_type, aggregate_id, system_id, "
                           "authority_id, to_state, details_json) "
                           "FROM audit_log WHERE action = 'UpdateReferral'")) {
                    found.push_back(row[0].as<std::string>());
                  }
                  return absl::OkStatus();
                })
                .ok());
    return found;
  };
  const std::vector<std::string> audited = edits();
  REQUIRE(audited.size() == 1);
  CHECK(audited[0] == absl::StrCat("officer-1|ROLE_PLACING_OFFICER|", kPartner, "|referral|",
                                   draft.id(), "|", f.world().system_id, "|", kPartner,
                                   "|REFERRAL_STATE_DRAFT|{}"));
  CHECK_OK(f.stub().UpdateReferral(Officer().get(), update, &updated));
  CHECK(edits().size() == 1);

  // Read at version 1, changed since.
  update.set_idempotency_key(ServiceFixture::Key());
  v1::Referral stale;
  const grpc::Status conflict = f.stub().UpdateReferral(Officer().get(), update, &stale);
  CHECK(conflict.error_code() == grpc::StatusCode::ABORTED);
  CHECK(conflict.error_message() ==
        "referral: changed since version 1 (now 2); read it again and retry");

  // Another authority cannot tell the draft exists.
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_expected_version(2);
  const grpc::Status other = f.stub().UpdateReferral(Officer(kLead).get(), update, &stale);
  CHECK(other.error_code() == grpc::StatusCode::NOT_FOUND);

  update.set_idempotency_key(ServiceFixture::Key());
  update.mutable_spec()->mutable_children(0)->set_age_years(26);
  const grpc::Status invalid = f.stub().UpdateReferral(Officer().get(), update, &stale);
  CHECK(invalid.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(invalid.error_message() == "spec.children[0].age_years: must be 0 to 25, got 26");
}

TEST_CASE("authors read their authority's referrals, the lead authority every one of its system") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::Referral brighton = Create(f, f.Spec());
  v1::CreateReferralRequest lead_request = CreateRequest(f);
  v1::Referral west_sussex;
  CHECK_OK(f.stub().CreateReferral(Officer(kLead).get(), lead_request, &west_sussex));

  v1::ListReferralsResponse partner_list;
  CHECK_OK(f.stub().ListReferrals(Officer().get(), v1::ListReferralsRequest(), &partner_list));
  REQUIRE(partner_list.referrals_size() == 1);
  CHECK(partner_list.referrals(0).id() == brighton.id());

  // Asking for another authority's referrals gives one's own: the filter is forced.
  v1::ListReferralsRequest others;
  others.set_placing_authority_id(kLead);
  v1::ListReferralsResponse forced;
  CHECK_OK(f.stub().ListReferrals(Officer().get(), others, &forced));
  REQUIRE(forced.referrals_size() == 1);
  CHECK(forced.referrals(0).id() == brighton.id());

  v1::ListReferralsResponse lead_list;
  CHECK_OK(f.stub().ListReferrals(As(ApiRole::ROLE_AUDITOR, kLead).get(),
                                  v1::ListReferralsRequest(), &lead_list));
  CHECK(lead_list.referrals_size() == 2);

  v1::GetReferralRequest get;
  get.set_id(west_sussex.id());
  v1::Referral read;
  const grpc::Status hidden = f.stub().GetReferral(Officer().get(), get, &read);
  CHECK(hidden.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(hidden.error_message() == "referral " + west_sussex.id() + ": not found");
  CHECK_OK(f.stub().GetReferral(As(ApiRole::ROLE_LEAD_AUTHORITY_ADMIN, kLead).get(), get, &read));
  // A provider reads only referrals it was invited to; it cannot tell this draft exists.
  const grpc::Status provider =
      f.stub().GetReferral(As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), get, &read);
  CHECK(provider.error_code() == grpc::StatusCode::NOT_FOUND);
  v1::ListReferralsResponse provider_list;
  const grpc::Status provider_lists = f.stub().ListReferrals(
      As(ApiRole::ROLE_PROVIDER_USER, kProvider).get(), v1::ListReferralsRequest(), &provider_list);
  CHECK(provider_lists.error_code() == grpc::StatusCode::PERMISSION_DENIED);

  v1::ListReferralsRequest drafts;
  drafts.add_states(v1::REFERRAL_STATE_DRAFT);
  v1::ListReferralsResponse draft_list;
  CHECK_OK(f.stub().ListReferrals(Officer().get(), drafts, &draft_list));
  CHECK(draft_list.referrals_size() == 1);
  drafts.set_states(0, v1::REFERRAL_STATE_OPEN);
  CHECK_OK(f.stub().ListReferrals(Officer().get(), drafts, &draft_list));
  CHECK(draft_list.referrals_size() == 0);
}

TEST_CASE("a list page ends at 1 MiB however large its referrals, and paging reaches each once") {
  ReferralFixture f(At(2027, 3, 1));
  // Four drafts of 400 KB each (20 outcomes of 20,000 characters, the proto's limits): three
  // reach the page's byte budget, so a page of 500 stops there and the fourth follows.
  std::set<std::string> created;
  for (int i = 0; i < 4; ++i) {
    v1::ReferralSpec spec = f.Spec();
    spec.clear_outcomes_sought();
    for (int k = 0; k < 20; ++k) spec.add_outcomes_sought(std::string(20000, 'a' + k));
    created.insert(Create(f, std::move(spec)).id());
  }
  v1::ListReferralsRequest request;
  request.mutable_page()->set_page_size(500);
  std::set<std::string> listed;
  std::vector<int> page_sizes;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListReferralsResponse page;
    CHECK_OK(f.stub().ListReferrals(Officer().get(), request, &page));
    CHECK(page.ByteSizeLong() < 2 * platform::kMaxPageBytes);
    page_sizes.push_back(page.referrals_size());
    for (const v1::Referral& referral : page.referrals())
      CHECK(listed.insert(referral.id()).second);
    if (page.page().next_page_token().empty()) break;
    request.mutable_page()->set_page_token(page.page().next_page_token());
  }
  CHECK(page_sizes == std::vector<int>{3, 1});
  CHECK(listed == created);
}

TEST_CASE("a referral is withdrawn with a reason, announced, and no longer changed") {
  ReferralFixture f(At(2027, 3, 1));
  const v1::Referral draft = Create(f, f.Spec());
  v1::WithdrawReferralRequest withdraw;
  withdraw.set_idempotency_key(ServiceFixture::Key());
  withdraw.set_id(draft.id());
  v1::Referral out;
  const grpc::Status no_reason = f.stub().WithdrawReferral(Officer().get(), withdraw, &out);
  CHECK(no_reason.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(no_reason.error_message() == "reason: required");
  CHECK(f.EventCount("referral.referral.withdrawn") == 0);

  withdraw.set_idempotency_key(ServiceFixture::Key());
  withdraw.set_reason("child placed with family");
  CHECK_OK(f.stub().WithdrawReferral(Officer().get(), withdraw, &out));
  CHECK(out.state() == v1::REFERRAL_STATE_WITHDRAWN);
  CHECK(out.withdrawal_reason() == "child placed with family");
  CHECK(out.history(out.history_size() - 1).to_state() == "WITHDRAWN");
  // Each line names who acted, in which role and for whom, and keeps it once stored.
  for (const dps::common::v1::HistoryEntry& entry : out.history()) {
    CHECK(entry.actor().user_id() == "officer-1");
    CHECK(entry.actor().role() == "ROLE_PLACING_OFFICER");
    CHECK(entry.actor().organisation_id() == kPartner);
  }
  CHECK(f.EventCount("referral.referral.withdrawn") == 1);

  v1::UpdateReferralRequest update;
  update.set_idempotency_key(ServiceFixture::Key());
  update.set_id(draft.id());
  *update.mutable_spec() = f.Spec();
  const grpc::Status closed = f.stub().UpdateReferral(Officer().get(), update, &out);
  CHECK(closed.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(closed.error_message() == "referral: cannot change a referral that is WITHDRAWN");
}

}  // namespace
}  // namespace dps::referral::testing
