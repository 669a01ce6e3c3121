#include "services/contracts/api/convert.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/proto/proto_time.h"
#include "services/contracts/domain/ending.h"
#include "services/contracts/domain/test_fixtures.h"

namespace dps::contracts {
namespace {

using testing::Day;
using testing::FakeRenderer;
using testing::HashOf;
using testing::Now;
using testing::Utc;

// The fixtures' terms with everything the API carries set: an incentive, named signatories (the
// officer and the provider user the fixtures sign as), a notice period and a variation template.
IpaTerms FullTerms() {
  IpaTerms terms = testing::ValidTerms();
  terms.costs.additional_services[1].start_date = Day(2027, 5, 1);
  terms.costs.allowances.push_back({"birthday", 5'000, AllowanceFrequency::kAnnual, false});
  terms.incentive =
      Incentive{"Back in full-time education within six months", 150'000, Day(2027, 10, 1)};
  terms.notice_period_days = 28;
  terms.variation_template_id = "variation-template-2";
  terms.signatories = {{Party::kPlacingAuthority, "officer-1", "Pat Officer", "Head of Placements"},
                       {Party::kProvider, "provider-user-1", "Lee Provider", "Registered Manager"}};
  return terms;
}

// Made, issued, signed by both, started on 1 April 2027; the authority agreed to end on
// 30 September, then the provider gave notice on 3 May (ending 31 May).
Ipa FullIpa() {
  IpaSpec spec = testing::ValidSpec();
  spec.terms = FullTerms();
  absl::StatusOr<Ipa> made = CreateIpa(spec, testing::Service(), Now() - absl::Hours(1));
  REQUIRE(made.status() == absl::OkStatus());
  Ipa ipa = *made;
  REQUIRE(Issue(ipa, FakeRenderer(), testing::Officer(), Now()) == absl::OkStatus());
  REQUIRE(testing::SignAs(ipa, testing::Officer(), HashOf(1), Now() + absl::Minutes(5)) ==
          absl::OkStatus());
  REQUIRE(Sign(ipa, {HashOf(1), "", ""}, testing::ProviderUser(), Now() + absl::Minutes(10)) ==
          absl::OkStatus());
  REQUIRE(Activate(ipa, Utc(2027, 4, 1, 0, 5)) == absl::OkStatus());
  REQUIRE(AgreeEnding(ipa, {Day(2027, 9, 30), EndReason::kReturnedHome, "Going home"},
                      testing::Officer(), Utc(2027, 4, 20)) == absl::OkStatus());
  REQUIRE(GiveNotice(ipa,
                     {EndReason::kProviderClosure, "The home closes at the end of May",
                      Day(2027, 5, 3), std::nullopt, false},
                     testing::ProviderUser(), Utc(2027, 5, 3)) == absl::OkStatus());
  return ipa;
}

cv1::Ipa ToProto(const Ipa& ipa, absl::CivilDay today, bool children_visible = true) {
  cv1::Ipa out;
  IpaToProto(ipa, 7, today, children_visible, &out);
  return out;
}

std::string Text(const common::Date& date) {
  return absl::StrCat(date.year(), "-", date.month(), "-", date.day());
}

absl::Time Time(const google::protobuf::Timestamp& at) { return platform::FromTimestamp(at); }

// The message of TermsFromProto's error, which must be InvalidArgument.
std::string ErrorOf(const cv1::IpaTerms& terms) {
  absl::StatusOr<IpaTerms> out = TermsFromProto(terms);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(out.status().message());
}

// The full IPA's terms as IpaToProto writes them.
cv1::IpaTerms FullTermsProto() { return ToProto(FullIpa(), Day(2027, 5, 10)).terms(); }

TEST_CASE("an IPA made through the domain converts with every field") {
  const Ipa ipa = FullIpa();
  const cv1::Ipa out = ToProto(ipa, Day(2027, 5, 10));

  CHECK(out.id() == "ipa-1");
  CHECK(out.system_id() == "system-1");
  CHECK(out.lot_id() == "lot-fostering");
  CHECK(out.source().kind() == cv1::IPA_SOURCE_KIND_AWARD);
  CHECK(out.source().referral_id() == "referral-1");
  CHECK(out.source().bid_id() == "bid-7");
  CHECK(out.source().direct_award_id().empty());
  CHECK(out.placing_authority().id() == "west-sussex");
  CHECK(out.provider().id() == "acme-care");
  CHECK(out.establishment().id() == "acme-care-horsham");
  CHECK(out.placing_authority().name().empty());
  CHECK(out.provision_type() == common::PROVISION_TYPE_FOSTERING);
  CHECK(out.children_size() == 0);
  CHECK_FALSE(out.children_redacted());
  CHECK(out.state() == cv1::IPA_STATE_ACTIVE);
  CHECK(out.current_version_number() == 1);
  CHECK(out.version() == 7);
  CHECK(Time(out.created_at()) == Now() - absl::Hours(1));
  CHECK(Text(out.actual_start_date()) == "2027-4-1");
  CHECK_FALSE(out.has_ended_on());

  const cv1::IpaTerms& terms = out.terms();
  REQUIRE(terms.purposes_size() == 1);
  CHECK(terms.purposes(0) == "A stable foster home while the care plan is completed");
  CHECK(Text(terms.start_date()) == "2027-4-1");
  CHECK(Text(terms.planned_end_date()) == "2029-3-31");
  REQUIRE(terms.contacts_size() == 2);
  CHECK(terms.contacts(0).party() == cv1::PARTY_PLACING_AUTHORITY);
  CHECK(terms.contacts(0).role() == "social worker");
  CHECK(terms.contacts(0).name() == "Sam Jones");
  CHECK(terms.contacts(0).email() == "sam.jones@westsussex.gov.uk");
  CHECK(terms.contacts(0).phone() == "01243 777100");
  CHECK(terms.contacts(1).party() == cv1::PARTY_PROVIDER);
  CHECK(terms.contacts(1).phone().empty());

  const cv1::Costs& costs = terms.costs();
  CHECK(costs.price_basis() == common::PRICE_BASIS_WEEKLY);
  CHECK(costs.core_fee().pence() == 85'000);
  CHECK(costs.core_weekly_fee().pence() == 85'000);
  REQUIRE(costs.discounts_size() == 1);
  CHECK(costs.discounts(0).kind() == cv1::DISCOUNT_KIND_SIBLING);
  CHECK(costs.discounts(0).basis_points() == 500);
  CHECK(costs.discounts(0).weekly_amount().pence() == 4'250);
  REQUIRE(costs.additional_services_size() == 2);
  const cv1::IpaAdditionalService& support = costs.additional_services(0);
  CHECK(support.code() == "1to1-support");
  CHECK(support.description() == "Ten hours a week of one-to-one support");
  CHECK(support.unit() == qualification::v1::RATE_UNIT_WEEKLY);
  CHECK(support.units() == 1);
  CHECK(support.rate().pence() == 30'000);
  CHECK(support.weekly_cost().pence() == 30'000);
  CHECK_FALSE(support.has_start_date());
  CHECK(Text(support.end_date()) == "2027-6-30");
  CHECK(Text(costs.additional_services(1).start_date()) == "2027-5-1");
  REQUIRE(costs.allowances_size() == 2);
  CHECK(costs.allowances(0).kind() == "pocket money");
  CHECK(costs.allowances(0).amount().pence() == 1'000);
  CHECK(costs.allowances(0).frequency() == cv1::ALLOWANCE_FREQUENCY_WEEKLY);
  CHECK(costs.allowances(0).included_in_fee());
  CHECK(costs.allowances(1).frequency() == cv1::ALLOWANCE_FREQUENCY_ANNUAL);
  CHECK_FALSE(costs.allowances(1).included_in_fee());
  // 10 May 2027: £850 less 5%, with 1:1 support (to 30 June) and therapy (from 1 May).
  CHECK(costs.total_weekly_fee().pence() == 85'000 - 4'250 + 30'000 + 10'000);
  CHECK(costs.payment_terms() == "Invoiced four-weekly in arrears, paid within 30 days");

  REQUIRE(terms.has_incentive());
  CHECK(terms.incentive().description() == "Back in full-time education within six months");
  CHECK(terms.incentive().premium().pence() == 150'000);
  CHECK(Text(terms.incentive().achieve_by()) == "2027-10-1");
  CHECK(terms.notice_period_days() == 28);
  CHECK(terms.variation_template_id() == "variation-template-2");
  REQUIRE(terms.documents_size() == 1);
  CHECK(terms.documents(0).title() == "Terms and conditions");
  CHECK(terms.documents(0).uri() == "documents/terms-2027.pdf");
  CHECK(terms.documents(0).sha256() == HashOf(900));
  REQUIRE(terms.signatories_size() == 2);
  CHECK(terms.signatories(1).party() == cv1::PARTY_PROVIDER);
  CHECK(terms.signatories(1).user_id() == "provider-user-1");
  CHECK(terms.signatories(1).name() == "Lee Provider");
  CHECK(terms.signatories(1).position() == "Registered Manager");

  REQUIRE(out.versions_size() == 1);
  const cv1::IpaVersion& version = out.versions(0);
  CHECK(version.version_number() == 1);
  CHECK(version.document_sha256() == HashOf(1));
  CHECK(version.byte_length() == 4096);
  CHECK(version.template_version().empty());
  CHECK(version.variation_id().empty());
  CHECK(Time(version.rendered_at()) == Now());
  REQUIRE(version.signatures_size() == 2);
  const cv1::Signature& authority = version.signatures(0);
  CHECK(authority.party() == cv1::PARTY_PLACING_AUTHORITY);
  CHECK(authority.user_id() == "officer-1");
  CHECK(authority.name() == "A. Signer");
  CHECK(authority.position() == "Head of Service");
  CHECK(Time(authority.signed_at()) == Now() + absl::Minutes(5));
  CHECK(authority.document_sha256() == HashOf(1));
  CHECK(authority.version_number() == 1);
  const cv1::Signature& provider = version.signatures(1);
  CHECK(provider.party() == cv1::PARTY_PROVIDER);
  CHECK(provider.name() == "Lee Provider");  // the named signatory's, as none was typed
  CHECK(provider.position() == "Registered Manager");
  CHECK(Time(provider.signed_at()) == Now() + absl::Minutes(10));

  REQUIRE(out.has_ending());
  const cv1::Ending& ending = out.ending();
  CHECK(ending.basis() == cv1::ENDING_BASIS_NOTICE_BY_PROVIDER);
  CHECK(ending.reason() == cv1::END_REASON_PROVIDER_CLOSURE);
  CHECK(ending.detail() == "The home closes at the end of May");
  CHECK(ending.given_by() == cv1::PARTY_PROVIDER);
  CHECK(Text(ending.notice_given_on()) == "2027-5-3");
  CHECK(Text(ending.end_date()) == "2027-5-31");
  CHECK(Text(ending.authority_agreed_end_date()) == "2027-9-30");
  CHECK_FALSE(ending.has_provider_agreed_end_date());
  CHECK(ending.scheduled());

  REQUIRE(out.history_size() == static_cast<int>(ipa.history.size()));
  const common::HistoryEntry& created = out.history(0);
  CHECK(Time(created.at()) == Now() - absl::Hours(1));
  CHECK(created.actor().user_id() == "contracts");
  CHECK(created.actor().role() == "ROLE_SERVICE");
  CHECK(created.from_state() == "IPA_STATE_DRAFT");
  CHECK(created.to_state() == "IPA_STATE_DRAFT");
  CHECK(created.reason() == "created");
  const common::HistoryEntry& issued = out.history(1);
  CHECK(issued.actor().user_id() == "officer-1");
  CHECK(issued.actor().role() == "ROLE_PLACING_OFFICER");
  CHECK(issued.actor().organisation_id() == "west-sussex");
  CHECK(issued.from_state() == "IPA_STATE_DRAFT");
  CHECK(issued.to_state() == "IPA_STATE_ISSUED");
  for (int i = 0; i < out.history_size(); ++i) {
    INFO("history[" << i << "]");
    CHECK(out.history(i).reason() == ipa.history[i].what);
    CHECK(out.history(i).has_actor() == ipa.history[i].actor.has_value());
  }
}

TEST_CASE("an ended IPA has its end and no scheduled ending and a timer entry has no actor") {
  const Ipa ipa = testing::Ended();
  const cv1::Ipa out = ToProto(ipa, Day(2027, 8, 1));
  CHECK(out.state() == cv1::IPA_STATE_ENDED);
  CHECK(Text(out.ended_on()) == "2027-4-2");
  REQUIRE(out.has_ending());
  CHECK(out.ending().basis() == cv1::ENDING_BASIS_MUTUAL_AGREEMENT);
  CHECK(out.ending().reason() == cv1::END_REASON_PLACEMENT_BREAKDOWN);
  CHECK(out.ending().given_by() == cv1::PARTY_UNSPECIFIED);
  CHECK_FALSE(out.ending().has_notice_given_on());
  CHECK(Text(out.ending().authority_agreed_end_date()) == "2027-4-2");
  CHECK(Text(out.ending().provider_agreed_end_date()) == "2027-4-2");
  CHECK_FALSE(out.ending().scheduled());
  // Priced on its last day, 2 April, when 1:1 support still ran.
  CHECK(out.terms().costs().total_weekly_fee().pence() == 85'000 - 4'250 + 30'000 + 10'000);
  CHECK(out.history(out.history_size() - 1).to_state() == "IPA_STATE_ENDED");
  CHECK_FALSE(out.history(out.history_size() - 1).has_actor());
}

TEST_CASE("the total weekly fee is the cost on the day given or at the start before any") {
  SECTION("active after the 1:1 support ended on 30 June") {
    const cv1::Ipa out = ToProto(testing::Active(), Day(2027, 7, 1));
    CHECK(out.terms().costs().total_weekly_fee().pence() == 85'000 - 4'250 + 10'000);
  }
  SECTION("a draft is priced on its start date") {
    const cv1::Ipa out = ToProto(testing::Draft(), Day(2027, 3, 1));
    CHECK(out.state() == cv1::IPA_STATE_DRAFT);
    CHECK(out.current_version_number() == 0);
    CHECK(out.versions_size() == 0);
    CHECK_FALSE(out.has_ending());
    CHECK_FALSE(out.has_actual_start_date());
    CHECK(out.terms().costs().total_weekly_fee().pence() == 85'000 - 4'250 + 30'000 + 10'000);
  }
  SECTION("a signed IPA before its start is priced on its start date") {
    const cv1::Ipa out = ToProto(testing::Signed(), Day(2027, 3, 2));
    CHECK(out.terms().costs().total_weekly_fee().pence() == 85'000 - 4'250 + 30'000 + 10'000);
  }
  SECTION("a draft without a start date is the core fee less discounts") {
    Ipa ipa = testing::Draft();
    ipa.draft.start_date.reset();
    ipa.draft.planned_end_date.reset();
    const cv1::Ipa out = ToProto(ipa, Day(2027, 3, 1));
    CHECK_FALSE(out.terms().has_start_date());
    CHECK(out.terms().costs().total_weekly_fee().pence() == 85'000 - 4'250);
  }
}

TEST_CASE("children are shown to those who may see them and redacted for everyone else") {
  Ipa ipa = testing::Draft();
  ipa.children = {{.given_names = "Sam",
                   .family_name = "Jones",
                   .preferred_name = "Sammy",
                   .date_of_birth = Day(2013, 4, 3),
                   .gender = Gender::kFemale,
                   .case_reference = "LAC-1234",
                   .home_postcode = "RH12 1AB",
                   .legal_status = "s.20"}};
  const cv1::Ipa hidden = ToProto(ipa, Day(2027, 3, 1), false);
  CHECK(hidden.children_redacted());
  CHECK(hidden.children_size() == 0);
  const cv1::Ipa shown = ToProto(ipa, Day(2027, 3, 1), true);
  CHECK_FALSE(shown.children_redacted());
  REQUIRE(shown.children_size() == 1);
  const cv1::ChildIdentity& child = shown.children(0);
  CHECK(child.given_names() == "Sam");
  CHECK(child.family_name() == "Jones");
  CHECK(child.preferred_name() == "Sammy");
  CHECK(child.date_of_birth().year() == 2013);
  CHECK(child.gender() == dps::common::v1::GENDER_FEMALE);
  CHECK(child.case_reference() == "LAC-1234");
  CHECK(child.home_postcode() == "RH12 1AB");
  CHECK(child.legal_status() == "s.20");
  // And back, as a client sends them.
  absl::StatusOr<std::vector<ChildIdentity>> back = ChildrenFromProto(shown.children());
  REQUIRE(back.status() == absl::OkStatus());
  CHECK(*back == ipa.children);
  cv1::Ipa bad = shown;
  bad.mutable_children(0)->set_gender(static_cast<dps::common::v1::Gender>(9));
  CHECK(ChildrenFromProto(bad.children()).status() ==
        absl::InvalidArgumentError("children[0].gender: unknown value 9"));
  bad = shown;
  bad.mutable_children(0)->mutable_date_of_birth()->set_month(13);
  CHECK(ChildrenFromProto(bad.children()).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a discount's weekly amount is rounded half up as the domain rounds") {
  Ipa ipa = testing::Draft();
  ipa.draft.costs.core_weekly_fee_pence = 85'010;  // 5% is 4250.5p
  ipa.draft.costs.discounts = {{DiscountKind::kSibling, 500}, {DiscountKind::kPermanence, 1}};
  const cv1::Ipa out = ToProto(ipa, Day(2027, 3, 1));
  REQUIRE(out.terms().costs().discounts_size() == 2);
  CHECK(out.terms().costs().discounts(0).weekly_amount().pence() == 4'251);
  CHECK(out.terms().costs().discounts(1).kind() == cv1::DISCOUNT_KIND_PERMANENCE);
  CHECK(out.terms().costs().discounts(1).weekly_amount().pence() == 9);  // 8.501p
}

TEST_CASE("terms read back from what IpaToProto writes are the same terms") {
  const Ipa ipa = FullIpa();
  absl::StatusOr<IpaTerms> back = TermsFromProto(ToProto(ipa, Day(2027, 5, 10)).terms());
  REQUIRE(back.status() == absl::OkStatus());
  CHECK(*back == ipa.terms());
  CHECK(*back == FullTerms());

  // And the fixtures' plain terms, with no incentive and no signatories.
  absl::StatusOr<IpaTerms> plain =
      TermsFromProto(ToProto(testing::Draft(), Day(2027, 3, 1)).terms());
  REQUIRE(plain.status() == absl::OkStatus());
  CHECK(*plain == testing::ValidTerms());
  CHECK_FALSE(plain->incentive.has_value());
}

TEST_CASE("an additional service's weekly cost is weekly_cost or else a weekly rate") {
  cv1::IpaTerms terms = FullTermsProto();
  cv1::IpaAdditionalService* service = terms.mutable_costs()->mutable_additional_services(0);

  SECTION("weekly_cost wins over the rate") {
    service->mutable_rate()->set_pence(99);
    service->mutable_weekly_cost()->set_pence(31'000);
    absl::StatusOr<IpaTerms> out = TermsFromProto(terms);
    REQUIRE(out.status() == absl::OkStatus());
    CHECK(out->costs.additional_services[0].weekly_pence == 31'000);
  }
  SECTION("a weekly rate is taken when weekly_cost is 0") {
    service->clear_weekly_cost();
    service->clear_unit();
    service->clear_units();
    service->mutable_rate()->set_pence(32'000);
    absl::StatusOr<IpaTerms> out = TermsFromProto(terms);
    REQUIRE(out.status() == absl::OkStatus());
    CHECK(out->costs.additional_services[0].weekly_pence == 32'000);
  }
  SECTION("an hourly rate is refused") {
    service->clear_weekly_cost();
    service->set_unit(qualification::v1::RATE_UNIT_HOURLY);
    service->set_units(10);
    CHECK(ErrorOf(terms) ==
          "terms.costs.additional_services[0].unit: only weekly rates are taken here: send "
          "weekly_cost");
  }
  SECTION("a weekly rate for several units is refused") {
    service->clear_weekly_cost();
    service->set_units(3);
    CHECK(ErrorOf(terms) ==
          "terms.costs.additional_services[0].units: a weekly rate is for 1 unit a week, got 3: "
          "send weekly_cost");
  }
  SECTION("no cost at all is the domain's error") {
    service->clear_weekly_cost();
    service->clear_rate();
    CHECK(ErrorOf(terms).rfind("terms.costs.additional_services[0].weekly_pence: ", 0) == 0);
  }
}

TEST_CASE("output-only fields sent by a client are ignored") {
  cv1::IpaTerms terms = FullTermsProto();
  terms.mutable_costs()->mutable_core_weekly_fee()->set_pence(1);
  terms.mutable_costs()->mutable_total_weekly_fee()->set_pence(2);
  terms.mutable_costs()->mutable_discounts(0)->mutable_weekly_amount()->set_pence(3);
  terms.mutable_incentive()->set_earned(true);
  absl::StatusOr<IpaTerms> out = TermsFromProto(terms);
  REQUIRE(out.status() == absl::OkStatus());
  CHECK(*out == FullTerms());
}

TEST_CASE("an enum value the proto does not define is refused naming the field") {
  cv1::IpaTerms terms = FullTermsProto();
  SECTION("contact party") {
    terms.mutable_contacts(1)->set_party(static_cast<cv1::Party>(99));
    CHECK(ErrorOf(terms) == "terms.contacts[1].party: unknown value 99");
  }
  SECTION("discount kind") {
    terms.mutable_costs()->mutable_discounts(0)->set_kind(static_cast<cv1::DiscountKind>(7));
    CHECK(ErrorOf(terms) == "terms.costs.discounts[0].kind: unknown value 7");
  }
  SECTION("allowance frequency") {
    terms.mutable_costs()->mutable_allowances(1)->set_frequency(
        static_cast<cv1::AllowanceFrequency>(-1));
    CHECK(ErrorOf(terms) == "terms.costs.allowances[1].frequency: unknown value -1");
  }
  SECTION("signatory party") {
    terms.mutable_signatories(0)->set_party(static_cast<cv1::Party>(3));
    CHECK(ErrorOf(terms) == "terms.signatories[0].party: unknown value 3");
  }
  SECTION("price basis") {
    terms.mutable_costs()->set_price_basis(static_cast<common::PriceBasis>(42));
    CHECK(ErrorOf(terms) == "terms.costs.price_basis: unknown value 42");
  }
  SECTION("rate unit") {
    terms.mutable_costs()->mutable_additional_services(1)->clear_weekly_cost();
    terms.mutable_costs()->mutable_additional_services(1)->set_unit(
        static_cast<qualification::v1::RateUnit>(42));
    CHECK(ErrorOf(terms) == "terms.costs.additional_services[1].unit: unknown value 42");
  }
  SECTION("a rate for a piece of work") {
    terms.mutable_costs()->mutable_additional_services(1)->clear_weekly_cost();
    terms.mutable_costs()->mutable_additional_services(1)->set_unit(
        qualification::v1::RATE_UNIT_PER_ASSESSMENT);
    CHECK(ErrorOf(terms) ==
          "terms.costs.additional_services[1].unit: a rate per assessment has no weekly "
          "equivalent: send weekly_cost");
  }
}

TEST_CASE("only weekly fees are taken") {
  cv1::IpaTerms terms = FullTermsProto();
  for (const common::PriceBasis basis : {common::PRICE_BASIS_MONTHLY, common::PRICE_BASIS_ANNUAL}) {
    terms.mutable_costs()->set_price_basis(basis);
    CHECK(ErrorOf(terms) == "terms.costs.price_basis: only weekly fees are taken here");
  }
  terms.mutable_costs()->set_price_basis(common::PRICE_BASIS_UNSPECIFIED);
  CHECK(TermsFromProto(terms).ok());
}

TEST_CASE("an impossible date is refused naming the field") {
  cv1::IpaTerms terms = FullTermsProto();
  SECTION("start date") {
    terms.mutable_start_date()->set_month(13);
    CHECK(ErrorOf(terms).rfind("terms.start_date: ", 0) == 0);
  }
  SECTION("a service's end date") {
    terms.mutable_costs()->mutable_additional_services(1)->mutable_end_date()->set_day(32);
    CHECK(ErrorOf(terms).rfind("terms.costs.additional_services[1].end_date: ", 0) == 0);
  }
  SECTION("the incentive's date") {
    terms.mutable_incentive()->mutable_achieve_by()->set_month(0);
    CHECK(ErrorOf(terms).rfind("terms.incentive.achieve_by: ", 0) == 0);
  }
}

TEST_CASE("a domain rule failing is the domain's error under terms") {
  cv1::IpaTerms terms = FullTermsProto();
  SECTION("planned end before start") {
    *terms.mutable_planned_end_date() = platform::ToDate(Day(2027, 3, 31));
    CHECK(ErrorOf(terms) ==
          "terms.planned_end_date: must not be before start_date 2027-04-01, got 2027-03-31");
  }
  SECTION("a service with no end date") {
    terms.mutable_costs()->mutable_additional_services(0)->clear_end_date();
    CHECK(ErrorOf(terms) ==
          "terms.costs.additional_services[0].end_date: required: additional services are "
          "time-limited");
  }
  SECTION("an unspecified contact party") {
    terms.mutable_contacts(0)->set_party(cv1::PARTY_UNSPECIFIED);
    CHECK(ErrorOf(terms) == "terms.contacts[0].party: required: PLACING_AUTHORITY or PROVIDER");
  }
  SECTION("discounts over 100%") {
    terms.mutable_costs()->mutable_discounts(0)->set_basis_points(10'001);
    CHECK(ErrorOf(terms) == "terms.costs.discounts[0].basis_points: must be 1 to 10000, got 10001");
  }
}

TEST_CASE("a source converts both ways and is checked") {
  const IpaSource block{SourceKind::kBlockCallOff, "", "", "", "block-2", "call-off-5"};
  cv1::IpaSource proto;
  SourceToProto(block, &proto);
  CHECK(proto.kind() == cv1::IPA_SOURCE_KIND_BLOCK_CALL_OFF);
  CHECK(proto.block_contract_id() == "block-2");
  CHECK(proto.block_call_off_id() == "call-off-5");
  absl::StatusOr<IpaSource> back = SourceFromProto(proto);
  REQUIRE(back.status() == absl::OkStatus());
  CHECK(back->kind == SourceKind::kBlockCallOff);
  CHECK(back->block_contract_id == "block-2");
  CHECK(back->block_call_off_id == "call-off-5");

  for (const IpaSource& source : {IpaSource{SourceKind::kAward, "referral-1", "bid-7", "", "", ""},
                                  IpaSource{SourceKind::kDirectAward, "", "", "da-3", "", ""}}) {
    cv1::IpaSource p;
    SourceToProto(source, &p);
    absl::StatusOr<IpaSource> b = SourceFromProto(p);
    REQUIRE(b.status() == absl::OkStatus());
    CHECK(*SourceKey(*b) == *SourceKey(source));
  }

  proto.set_kind(static_cast<cv1::IpaSourceKind>(9));
  CHECK(SourceFromProto(proto).status() ==
        absl::InvalidArgumentError("source.kind: unknown value 9"));
  proto.set_kind(cv1::IPA_SOURCE_KIND_AWARD);
  const absl::Status wrong_ids = SourceFromProto(proto).status();
  CHECK(wrong_ids.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(wrong_ids.message()).rfind("source.", 0) == 0);
}

TEST_CASE("list states convert in order and unspecified or unknown ones are refused") {
  google::protobuf::RepeatedField<int> states;
  states.Add(cv1::IPA_STATE_ACTIVE);
  states.Add(cv1::IPA_STATE_DRAFT);
  absl::StatusOr<std::vector<IpaState>> out = StatesFromProto(states);
  REQUIRE(out.status() == absl::OkStatus());
  CHECK(*out == std::vector<IpaState>{IpaState::kActive, IpaState::kDraft});

  states.Add(cv1::IPA_STATE_UNSPECIFIED);
  CHECK(StatesFromProto(states).status() ==
        absl::InvalidArgumentError("states[2]: IPA_STATE_UNSPECIFIED is not a state"));
  states.Set(2, 99);
  CHECK(StatesFromProto(states).status() ==
        absl::InvalidArgumentError("states[2]: unknown value 99"));
  const google::protobuf::RepeatedField<int> none;
  CHECK(StatesFromProto(none).value().empty());
}

TEST_CASE("every domain state has the API state of the same name and back") {
  for (const IpaState state : {IpaState::kDraft, IpaState::kIssued, IpaState::kSigned,
                               IpaState::kActive, IpaState::kEnded, IpaState::kCancelled}) {
    const cv1::IpaState proto = StateToProto(state);
    CHECK(cv1::IpaState_Name(proto) == absl::StrCat("IPA_STATE_", IpaStateName(state)));
    google::protobuf::RepeatedField<int> one;
    one.Add(proto);
    CHECK(StatesFromProto(one).value() == std::vector<IpaState>{state});
  }
}

TEST_CASE("every provision type converts and an unknown one is refused") {
  const std::vector<std::pair<common::ProvisionType, ProvisionType>> types = {
      {common::PROVISION_TYPE_UNSPECIFIED, ProvisionType::kUnspecified},
      {common::PROVISION_TYPE_INMSS, ProvisionType::kInmss},
      {common::PROVISION_TYPE_SPECIALIST_COLLEGE, ProvisionType::kSpecialistCollege},
      {common::PROVISION_TYPE_FOSTERING, ProvisionType::kFostering},
      {common::PROVISION_TYPE_RESIDENTIAL_HOME, ProvisionType::kResidentialHome},
      {common::PROVISION_TYPE_SHORT_BREAKS, ProvisionType::kShortBreaks},
      {common::PROVISION_TYPE_ALTERNATIVE_EDUCATION, ProvisionType::kAlternativeEducation},
      {common::PROVISION_TYPE_SUPPORTED_ACCOMMODATION, ProvisionType::kSupportedAccommodation},
      {common::PROVISION_TYPE_BESPOKE_INTERVENTION, ProvisionType::kBespokeIntervention},
  };
  for (const auto& [proto, domain] : types) {
    INFO(common::ProvisionType_Name(proto));
    CHECK(ProvisionTypeFromProto(proto).value() == domain);
    // And back, as IpaToProto writes it.
    Ipa ipa = testing::Draft();
    ipa.provision_type = domain;
    CHECK(ToProto(ipa, Day(2027, 3, 1)).provision_type() == proto);
  }
  CHECK(ProvisionTypeFromProto(99).status() ==
        absl::InvalidArgumentError("provision_type: unknown value 99"));
}

TEST_CASE("a caller's role maps to the domain's and an unknown role may do nothing") {
  const std::vector<std::pair<common::Role, Role>> roles = {
      {common::ROLE_LEAD_AUTHORITY_ADMIN, Role::kLeadAuthorityAdmin},
      {common::ROLE_EVALUATOR, Role::kEvaluator},
      {common::ROLE_PLACING_OFFICER, Role::kPlacingOfficer},
      {common::ROLE_COMMISSIONER, Role::kCommissioner},
      {common::ROLE_PROVIDER_USER, Role::kProviderUser},
      {common::ROLE_AUDITOR, Role::kAuditor},
      {common::ROLE_SERVICE, Role::kService},
  };
  for (const auto& [proto, domain] : roles) {
    INFO(common::Role_Name(proto));
    absl::StatusOr<Actor> actor = ActorOf({"user-1", proto, "west-sussex"});
    REQUIRE(actor.status() == absl::OkStatus());
    CHECK(actor->user_id == "user-1");
    CHECK(actor->role == domain);
    CHECK(actor->organisation_id == "west-sussex");
    CHECK(common::Role_Name(proto) == absl::StrCat("ROLE_", RoleName(domain)));
  }
  for (const int role : {static_cast<int>(common::ROLE_UNSPECIFIED), 42}) {
    CHECK(ActorOf({"user-1", static_cast<common::Role>(role), "west-sussex"}).status() ==
          absl::PermissionDeniedError("role: not recognised"));
  }
}

}  // namespace
}  // namespace dps::contracts
