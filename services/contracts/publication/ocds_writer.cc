#include "services/contracts/publication/ocds_writer.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "platform/errors/errors.h"
#include "services/contracts/domain/fields.h"

namespace dps::contracts::ocds {
namespace {

using nlohmann::ordered_json;
using platform::InvalidField;
using platform::Quote;

// Value.amount holds integer pence while the tree is built and is written as pounds by Emit:
// nlohmann would write a double, and 3950.00 as 3950.0 (or worse, 0.1 + 0.2).
constexpr char kAmountKey[] = "amount";

// "2027-04-01T09:30:00Z": OCDS date-times are RFC 3339; whole seconds, since a publication does
// not need finer and the same instant must always read the same.
std::string DateTime(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", at, absl::UTCTimeZone());
}

std::string DateTime(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02dT00:00:00Z", day.year(), day.month(), day.day());
}

// A name as published: the register's name, or the id when the IPA was drawn up without one.
const std::string& NameOr(const std::string& name, const std::string& id) {
  return name.empty() ? id : name;
}

ordered_json Money(int64_t pence) {
  ordered_json value;
  value[kAmountKey] = pence;
  value["currency"] = "GBP";
  return value;
}

ordered_json Organisation(const std::string& id, const std::string& name) {
  ordered_json org;
  org["id"] = id;
  org["name"] = NameOr(name, id);
  return org;
}

// The tender of the process the IPA came from: its id, and how it was procured. A referral is a
// mini-competition among the system's admitted members ("selective"); a direct award and a
// call-off from a block contract go to one provider without competition at that point
// ("limited").
ordered_json Tender(const Ipa& ipa) {
  ordered_json tender;
  switch (ipa.source.kind) {
    case SourceKind::kAward:
      tender["id"] = ipa.source.referral_id;
      break;
    case SourceKind::kDirectAward:
      tender["id"] = ipa.source.direct_award_id;
      break;
    case SourceKind::kBlockCallOff:
    case SourceKind::kUnspecified:
      tender["id"] = ipa.source.block_contract_id;
      break;
  }
  tender["status"] = "complete";
  switch (ipa.source.kind) {
    case SourceKind::kAward:
      tender["procurementMethod"] = "selective";
      tender["procurementMethodDetails"] =
          "Mini-competition among the members of the dynamic purchasing system";
      break;
    case SourceKind::kDirectAward:
      tender["procurementMethod"] = "limited";
      tender["procurementMethodDetails"] =
          ipa.source.ranked_call_off
              ? "Call-off from the lot's ranking made at admission to the dynamic purchasing "
                "system"
              : "Direct award under the dynamic purchasing system";
      break;
    case SourceKind::kBlockCallOff:
    case SourceKind::kUnspecified:
      tender["procurementMethod"] = "limited";
      tender["procurementMethodDetails"] =
          "Call-off from a block contract awarded under the dynamic purchasing system";
      break;
  }
  tender["techniques"]["hasDynamicPurchasingSystem"] = true;
  return tender;
}

// OCDS contract status from the IPA's state: not yet signed by both is "pending"; signed (in force
// in law, whether or not the placement has started) is "active"; ended "terminated"; cancelled
// before signature "cancelled".
const char* ContractStatus(IpaState state) {
  switch (state) {
    case IpaState::kDraft:
    case IpaState::kIssued:
      return "pending";
    case IpaState::kSigned:
    case IpaState::kActive:
      return "active";
    case IpaState::kEnded:
      return "terminated";
    case IpaState::kCancelled:
      return "cancelled";
  }
  return "pending";
}

ordered_json Release(const SystemFacts& system, absl::string_view prefix, const PackageScope& scope,
                     const Ipa& ipa, int64_t annual_pence) {
  const Parties& parties = ipa.parties;
  const std::string ocid = OcidOf(prefix, ipa);
  const std::string awarded = DateTime(ipa.awarded_at);
  ordered_json release;
  release["ocid"] = ocid;
  // ValidateScope has checked that a details notice's IPA was entered into.
  const absl::StatusOr<absl::Time> entered_into = EnteredIntoAt(ipa);
  const bool details = scope.kind == PublicationKind::kContractDetailsNotice;
  switch (scope.kind) {
    case PublicationKind::kQuarterly:
      release["id"] = absl::StrCat(ipa.id, "-", QuarterLabel(*scope.quarter));
      break;
    case PublicationKind::kContractDetailsNotice:
      release["id"] = absl::StrCat(ipa.id, "-details-notice");
      break;
    default:
      release["id"] = absl::StrCat(ipa.id, "-award-notice");
      break;
  }
  release["date"] = details ? DateTime(*entered_into) : awarded;
  release["tag"] =
      details ? ordered_json::array({"contract"}) : ordered_json::array({"award", "contract"});
  release["initiationType"] = "tender";
  release["language"] = "en";

  ordered_json buyer = Organisation(parties.placing_authority_id, parties.placing_authority_name);
  ordered_json supplier = Organisation(parties.provider_id, parties.provider_name);
  ordered_json buyer_party = buyer;
  buyer_party["roles"] = ordered_json::array({"buyer"});
  ordered_json supplier_party = supplier;
  supplier_party["roles"] = ordered_json::array({"supplier"});
  release["parties"] = ordered_json::array({buyer_party, supplier_party});
  release["buyer"] = buyer;
  release["tender"] = Tender(ipa);

  ordered_json award;
  award["id"] = ipa.id;
  award["status"] = ipa.state == IpaState::kCancelled ? "cancelled" : "active";
  award["date"] = awarded;
  award["value"] = Money(annual_pence);
  award["suppliers"] = ordered_json::array({supplier});
  release["awards"] = ordered_json::array({award});

  ordered_json contract;
  contract["id"] = ipa.id;
  contract["awardID"] = ipa.id;
  contract["status"] = ContractStatus(ipa.state);
  const IpaTerms& terms = ipa.terms();
  ordered_json period = ordered_json::object();
  if (terms.start_date) period["startDate"] = DateTime(*terms.start_date);
  // An ended placement's period ends on its last day; otherwise on the planned end.
  if (ipa.ended_on) {
    period["endDate"] = DateTime(*ipa.ended_on);
  } else if (terms.planned_end_date) {
    period["endDate"] = DateTime(*terms.planned_end_date);
  }
  if (!period.empty()) contract["period"] = std::move(period);
  contract["value"] = Money(annual_pence);
  if (entered_into.ok()) contract["dateSigned"] = DateTime(*entered_into);
  release["contracts"] = ordered_json::array({contract});

  ordered_json framework;
  framework["id"] = "1";
  framework["relationship"] = ordered_json::array({"framework"});
  framework["title"] = NameOr(system.name, system.id);
  framework["scheme"] = "ocid";
  framework["identifier"] = absl::StrCat(prefix, "-", system.id);
  release["relatedProcesses"] = ordered_json::array({framework});
  return release;
}

void EmitString(const std::string& text, std::string& out) {
  // nlohmann's escaping, with invalid UTF-8 replaced rather than thrown: a name that came in
  // broken must not stop the whole quarter.
  out += ordered_json(text).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Compact JSON in the tree's own key order; integers under kAmountKey are pence, written as
// pounds.
void Emit(const ordered_json& value, bool is_amount, std::string& out) {
  switch (value.type()) {
    case ordered_json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        EmitString(key, out);
        out += ':';
        Emit(item, key == kAmountKey, out);
      }
      out += '}';
      return;
    }
    case ordered_json::value_t::array: {
      out += '[';
      bool first = true;
      for (const ordered_json& item : value) {
        if (!first) out += ',';
        first = false;
        Emit(item, false, out);
      }
      out += ']';
      return;
    }
    case ordered_json::value_t::string:
      EmitString(value.get_ref<const std::string&>(), out);
      return;
    case ordered_json::value_t::number_integer:
    case ordered_json::value_t::number_unsigned:
      out += is_amount ? PoundsOf(value.get<int64_t>()) : absl::StrCat(value.get<int64_t>());
      return;
    default:
      // Booleans and null; the tree holds no floating-point numbers.
      out += value.dump();
      return;
  }
}

absl::Status ValidateScope(const PackageScope& scope, const std::vector<Ipa>& awards) {
  switch (scope.kind) {
    case PublicationKind::kQuarterly:
      if (!scope.quarter) return InvalidField("quarter", "required for a QUARTERLY publication");
      return ValidateQuarter("quarter", *scope.quarter);
    case PublicationKind::kContractAwardNotice:
      if (awards.size() != 1 || awards[0].id != scope.ipa_id) {
        return InvalidField("ipa_id", "a contract award notice holds exactly the IPA it names");
      }
      return absl::OkStatus();
    case PublicationKind::kContractDetailsNotice:
      if (awards.size() != 1 || awards[0].id != scope.ipa_id) {
        return InvalidField("ipa_id", "a contract details notice holds exactly the IPA it names");
      }
      return EnteredIntoAt(awards[0]).status();
    default:
      return InvalidField(
          "kind", absl::StrCat("cannot write a ", PublicationKindName(scope.kind), " package"));
  }
}

}  // namespace

absl::Status ValidateOcidPrefix(absl::string_view field, absl::string_view prefix) {
  if (prefix.empty()) return InvalidField(field, "required");
  const bool allowed =
      prefix.size() <= kMaxIdLength && std::all_of(prefix.begin(), prefix.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-';
      });
  if (!allowed) {
    return InvalidField(
        field, absl::StrCat("must be 1 to 64 letters, digits or '-', got ", Quote(prefix)));
  }
  return absl::OkStatus();
}

std::string OcidOf(absl::string_view prefix, const Ipa& ipa) {
  switch (ipa.source.kind) {
    case SourceKind::kAward:
      return absl::StrCat(prefix, "-", ipa.source.referral_id);
    case SourceKind::kDirectAward:
      return absl::StrCat(prefix, "-", ipa.source.direct_award_id);
    case SourceKind::kBlockCallOff:
    case SourceKind::kUnspecified:
      break;
  }
  return absl::StrCat(prefix, "-", ipa.source.block_contract_id);
}

std::string PackageUri(absl::string_view prefix, const SystemFacts& system,
                       const PackageScope& scope) {
  if (scope.kind == PublicationKind::kQuarterly && scope.quarter) {
    return absl::StrCat("urn:dps:ocds:", prefix, ":", system.id,
                        ":quarterly:", QuarterLabel(*scope.quarter));
  }
  return absl::StrCat(
      "urn:dps:ocds:", prefix, ":", system.id, ":",
      absl::StrReplaceAll(absl::AsciiStrToLower(PublicationKindName(scope.kind)), {{"_", "-"}}),
      ":", scope.ipa_id);
}

std::string PoundsOf(int64_t pence) {
  // std::abs of INT64_MIN is undefined; no amount comes near it (kMaxPence x 52), but the
  // magnitude is taken unsigned all the same.
  const uint64_t magnitude =
      pence < 0 ? uint64_t{0} - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  return absl::StrFormat("%s%d.%02d", pence < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

absl::StatusOr<std::string> WriteReleasePackage(const SystemFacts& system,
                                                absl::string_view ocid_prefix,
                                                const PackageScope& scope,
                                                const std::vector<Ipa>& awards) {
  if (absl::Status s = ValidateOcidPrefix("ocid_prefix", ocid_prefix); !s.ok()) return s;
  if (absl::Status s = ValidateScope(scope, awards); !s.ok()) return s;
  if (awards.empty()) {
    return InvalidField("awards", "a release package needs at least one award");
  }
  // Each IPA's annual value, checked for overflow together with the sum.
  if (absl::Status s = TotalAnnualValuePence(awards).status(); !s.ok()) return s;

  struct Entry {
    std::string ocid;
    std::string release_id;
    ordered_json release;
  };
  std::vector<Entry> entries;
  absl::Time published = absl::InfinitePast();
  for (const Ipa& ipa : awards) {
    if (ipa.system_id != system.id) {
      return InvalidField("awards", absl::StrCat("IPA ", ipa.id, " is of system ",
                                                 Quote(ipa.system_id), ", not ", Quote(system.id)));
    }
    if (scope.quarter && !AwardedIn(ipa, *scope.quarter)) {
      return InvalidField("awards", absl::StrCat("IPA ", ipa.id, " was not awarded in ",
                                                 QuarterLabel(*scope.quarter)));
    }
    ordered_json release = Release(system, ocid_prefix, scope, ipa, AnnualValuePence(ipa));
    std::string ocid = release["ocid"].get<std::string>();
    std::string id = release["id"].get<std::string>();
    entries.push_back({std::move(ocid), std::move(id), std::move(release)});
    published = std::max(published, scope.kind == PublicationKind::kContractDetailsNotice
                                        ? *EnteredIntoAt(ipa)
                                        : ipa.awarded_at);
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.ocid, a.release_id) < std::tie(b.ocid, b.release_id);
  });

  ordered_json package;
  package["uri"] = PackageUri(ocid_prefix, system, scope);
  package["version"] = "1.1";
  package["publishedDate"] = DateTime(published);
  package["publisher"]["name"] = NameOr(system.lead_authority_name, system.lead_authority_id);
  package["extensions"] = ordered_json::array({kTechniquesExtensionUrl});
  package["releases"] = ordered_json::array();
  for (Entry& entry : entries) package["releases"].push_back(std::move(entry.release));

  std::string out;
  Emit(package, false, out);
  return out;
}

}  // namespace dps::contracts::ocds
