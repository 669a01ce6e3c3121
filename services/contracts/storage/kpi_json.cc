#include "services/contracts/storage/kpi_json.h"

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/contracts/storage/ipa_json.h"
#include "services/contracts/storage/record_json.h"

namespace dps::contracts::storage {
namespace {

using nlohmann::json;
using namespace record;  // NOLINT: the shared pieces of every stored document

ProvisionType ParseProvisionType(const json& j) {
  return Parse(j,
               {ProvisionType::kInmss, ProvisionType::kSpecialistCollege, ProvisionType::kFostering,
                ProvisionType::kResidentialHome, ProvisionType::kShortBreaks,
                ProvisionType::kAlternativeEducation, ProvisionType::kSupportedAccommodation,
                ProvisionType::kBespokeIntervention, ProvisionType::kUnspecified},
               &ProvisionTypeName);
}

json RangeToJson(const DateRange& range) {
  return {{"start", Day(range.start)}, {"end", Day(range.end)}};
}
DateRange RangeFromJson(const json& j) { return {ReadDay(j.at("start")), ReadDay(j.at("end"))}; }

}  // namespace

json DefinitionSetToJson(const KpiDefinitionSet& set) {
  json j = {{"system_id", set.system_id}, {"definitions", json::array()}};
  for (const KpiDefinition& d : set.definitions) {
    json definition = {{"code", d.code},
                       {"title", d.title},
                       {"value_type", std::string(KpiValueTypeName(d.value_type))},
                       {"period_months", d.period_months},
                       {"provision_types", json::array()}};
    PutStr(definition, "description", d.description);
    for (ProvisionType type : d.provision_types) {
      definition["provision_types"].push_back(std::string(ProvisionTypeName(type)));
    }
    j["definitions"].push_back(std::move(definition));
  }
  if (set.updated_by) j["updated_by"] = ActorToJson(*set.updated_by);
  if (set.updated_at) j["updated_at"] = FormatInstant(*set.updated_at);
  return j;
}

absl::StatusOr<KpiDefinitionSet> DefinitionSetFromJson(const json& j) {
  KpiDefinitionSet set;
  absl::Status s = Reading("kpi definitions", [&] {
    set.system_id = j.at("system_id").get<std::string>();
    for (const json& d : j.at("definitions")) {
      KpiDefinition definition;
      definition.code = d.at("code").get<std::string>();
      definition.title = d.at("title").get<std::string>();
      definition.description = Str(d, "description");
      definition.value_type = Parse(d.at("value_type"),
                                    {KpiValueType::kCount, KpiValueType::kPercentage,
                                     KpiValueType::kYesNo, KpiValueType::kText},
                                    &KpiValueTypeName);
      definition.period_months = d.at("period_months").get<int>();
      for (const json& type : d.at("provision_types")) {
        definition.provision_types.push_back(ParseProvisionType(type));
      }
      set.definitions.push_back(std::move(definition));
    }
    if (j.contains("updated_by")) set.updated_by = ActorFromJson(j.at("updated_by"));
    if (j.contains("updated_at")) set.updated_at = ReadInstant(j.at("updated_at"));
  });
  if (!s.ok()) return s;
  return set;
}

json KpiReturnToJson(const KpiReturn& r) {
  json j = {{"id", r.id},
            {"ipa_id", r.ipa_id},
            {"system_id", r.system_id},
            {"lead_authority_id", r.lead_authority_id},
            {"placing_authority_id", r.placing_authority_id},
            {"provider_id", r.provider_id},
            {"establishment_id", r.establishment_id},
            {"provision_type", std::string(ProvisionTypeName(r.provision_type))},
            {"period", RangeToJson(r.period)},
            {"values", json::array()},
            {"state", std::string(KpiReturnStateName(r.state))},
            {"submitted_by_user_id", r.submitted_by_user_id},
            {"first_submitted_at", FormatInstant(r.first_submitted_at)},
            {"submitted_at", FormatInstant(r.submitted_at)},
            {"submissions", r.submissions}};
  // Every field of a value is kept: the domain allows only its type's to be set, and storage
  // reads back exactly what it was given.
  for (const KpiValue& v : r.values) {
    json value = {{"code", v.code},
                  {"integer_value", v.integer_value},
                  {"basis_points_value", v.basis_points_value},
                  {"bool_value", v.bool_value}};
    PutStr(value, "text_value", v.text_value);
    j["values"].push_back(std::move(value));
  }
  PutStr(j, "query_note", r.query_note);
  if (r.reviewed_by) j["reviewed_by"] = ActorToJson(*r.reviewed_by);
  if (r.reviewed_at) j["reviewed_at"] = FormatInstant(*r.reviewed_at);
  return j;
}

absl::StatusOr<KpiReturn> KpiReturnFromJson(const json& j) {
  KpiReturn r;
  absl::Status s = Reading("kpi return", [&] {
    r.id = j.at("id").get<std::string>();
    r.ipa_id = j.at("ipa_id").get<std::string>();
    r.system_id = j.at("system_id").get<std::string>();
    r.lead_authority_id = Str(j, "lead_authority_id");
    r.placing_authority_id = j.at("placing_authority_id").get<std::string>();
    r.provider_id = j.at("provider_id").get<std::string>();
    r.establishment_id = j.at("establishment_id").get<std::string>();
    r.provision_type = ParseProvisionType(j.at("provision_type"));
    r.period = RangeFromJson(j.at("period"));
    for (const json& v : j.at("values")) {
      r.values.push_back({v.at("code").get<std::string>(), v.at("integer_value").get<int64_t>(),
                          v.at("basis_points_value").get<int32_t>(), v.at("bool_value").get<bool>(),
                          Str(v, "text_value")});
    }
    r.state =
        Parse(j.at("state"),
              {KpiReturnState::kSubmitted, KpiReturnState::kAccepted, KpiReturnState::kQueried},
              &KpiReturnStateName);
    r.query_note = Str(j, "query_note");
    r.submitted_by_user_id = Str(j, "submitted_by_user_id");
    r.first_submitted_at = ReadInstant(j.at("first_submitted_at"));
    r.submitted_at = ReadInstant(j.at("submitted_at"));
    r.submissions = j.at("submissions").get<int>();
    if (j.contains("reviewed_by")) r.reviewed_by = ActorFromJson(j.at("reviewed_by"));
    if (j.contains("reviewed_at")) r.reviewed_at = ReadInstant(j.at("reviewed_at"));
  });
  if (!s.ok()) return s;
  return r;
}

json PerformanceReviewToJson(const PerformanceReview& r) {
  json j = {{"id", r.id},
            {"system_id", r.system_id},
            {"lead_authority_id", r.lead_authority_id},
            {"establishment_id", r.establishment_id},
            {"provider_id", r.provider_id},
            {"period", RangeToJson(r.period)},
            {"rating", std::string(PerformanceRatingName(r.rating))},
            {"findings", r.findings},
            {"kpi_return_ids", r.kpi_return_ids},
            {"recommended_score_delta", r.recommended_score_delta},
            {"reviewed_by", ActorToJson(r.reviewed_by)},
            {"reviewed_at", FormatInstant(r.reviewed_at)}};
  PutStr(j, "score_adjustment_id", r.score_adjustment_id);
  return j;
}

absl::StatusOr<PerformanceReview> PerformanceReviewFromJson(const json& j) {
  PerformanceReview r;
  absl::Status s = Reading("performance review", [&] {
    r.id = j.at("id").get<std::string>();
    r.system_id = j.at("system_id").get<std::string>();
    r.lead_authority_id = j.at("lead_authority_id").get<std::string>();
    r.establishment_id = j.at("establishment_id").get<std::string>();
    r.provider_id = j.at("provider_id").get<std::string>();
    r.period = RangeFromJson(j.at("period"));
    r.rating = Parse(j.at("rating"),
                     {PerformanceRating::kExceeds, PerformanceRating::kMeets,
                      PerformanceRating::kPartlyMeets, PerformanceRating::kDoesNotMeet},
                     &PerformanceRatingName);
    r.findings = j.at("findings").get<std::string>();
    r.kpi_return_ids = j.at("kpi_return_ids").get<std::vector<std::string>>();
    r.recommended_score_delta = j.at("recommended_score_delta").get<double>();
    r.score_adjustment_id = Str(j, "score_adjustment_id");
    r.reviewed_by = ActorFromJson(j.at("reviewed_by"));
    r.reviewed_at = ReadInstant(j.at("reviewed_at"));
  });
  if (!s.ok()) return s;
  return r;
}

}  // namespace dps::contracts::storage
