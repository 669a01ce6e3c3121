#include "services/qualification/storage/register_loader.h"

#include <algorithm>
#include <exception>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/pg/pool.h"

namespace dps::qualification {
namespace {

using tools::EstablishmentType;

constexpr char kInsertSystem[] =
    "INSERT INTO purchasing_systems (id, name, regime, lead_authority) VALUES ($1, $2, $3, $4)";
constexpr char kInsertLot[] =
    "INSERT INTO lots (id, purchasing_system_id, code, name, weighted) VALUES ($1, $2, $3, $4, $5)";

// The generator's "mixed" takes every gender of the query's vocabulary.
std::vector<std::string> Genders(const std::string& generated) {
  if (generated == "mixed") return {"female", "male", "other"};
  return {generated};
}

std::vector<const char*> LotsOf(EstablishmentType type) {
  switch (type) {
    case EstablishmentType::kChildrensHome:
      return {kResidentialLot};
    case EstablishmentType::kShortBreaks:
      return {kResidentialLot, kSenLot};
    case EstablishmentType::kIndependentFosteringAgency:
      return {kFosteringLot};
    case EstablishmentType::kSupportedAccommodation:
      return {kSupportedLot};
    case EstablishmentType::kResidentialSpecialSchool:
    case EstablishmentType::kSpecialSchool:
    case EstablishmentType::kCollege:
      return {kSenLot};
  }
  return {};
}

std::string Timestamp(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

std::string Degrees(double value) { return absl::StrFormat("%.17g", value); }

}  // namespace

std::string LoadedMembershipId(const std::string& lot_id, const std::string& establishment_id) {
  return absl::StrCat(lot_id, "/", establishment_id);
}

absl::Status LoadGeneratedRegister(pqxx::work& tx,
                                   const std::vector<tools::Establishment>& establishments,
                                   const LoadOptions& options) {
  try {
    tx.exec_params0(kInsertSystem, kLoadedSystemId, "South East regional DPS (generated)",
                    "LIGHT_TOUCH", "West Sussex");
    const std::tuple<const char*, const char*, const char*, bool> lots[] = {
        {kResidentialLot, "residential", "Residential children's homes", true},
        {kFosteringLot, "fostering", "Independent fostering", true},
        {kSenLot, "sen", "Special educational needs", true},
        {kSupportedLot, "supported", "Supported accommodation (16-17)", false},
    };
    for (const auto& [id, code, name, weighted] : lots) {
      tx.exec_params0(kInsertLot, id, kLoadedSystemId, code, name, weighted);
    }

    std::set<std::string> providers;
    for (const tools::Establishment& e : establishments) providers.insert(e.provider_id);
    {
      pqxx::stream_to out(tx, "providers", std::vector<std::string>{"id", "name"});
      for (const std::string& id : providers) out << std::make_tuple(id, "Provider " + id);
      out.complete();
    }
    {
      pqxx::stream_to out(
          tx, "establishments",
          std::vector<std::string>{"id", "provider_id", "name", "type", "inspectorate", "urn",
                                   "local_authority", "postcode_district", "latitude", "longitude",
                                   "min_age", "max_age", "genders", "capacity", "specialisms"});
      for (const tools::Establishment& e : establishments) {
        out << std::make_tuple(e.establishment_id, e.provider_id, e.name,
                               std::string(tools::EstablishmentTypeName(e.type)), e.inspectorate,
                               e.urn, e.local_authority, e.postcode_district, Degrees(e.latitude),
                               Degrees(e.longitude), e.min_age, e.max_age,
                               platform::TextArrayParameter(Genders(e.genders)), e.capacity,
                               platform::TextArrayParameter(e.specialisms));
      }
      out.complete();
    }

    // Memberships and their score history, numbered in one sequence so the spread of states and
    // adjustments does not depend on the lot.
    pqxx::stream_to memberships(
        tx, "memberships",
        std::vector<std::string>{"id", "establishment_id", "lot_id", "state", "state_since",
                                 "state_reason", "qualified_at", "ceiling_fee_pence"});
    struct Score {
      std::string membership_id;
      absl::Time at;
      int score;
      int requested_delta;
      std::string reason;
    };
    std::vector<Score> scores;
    int n = 0;
    for (const tools::Establishment& e : establishments) {
      for (const char* lot : LotsOf(e.type)) {
        const std::string id = LoadedMembershipId(lot, e.establishment_id);
        const absl::Time qualified_at = options.first_qualified_at + absl::Hours(24 * (n % 365));
        std::string state = "QUALIFIED";
        std::string reason;
        absl::Time since = qualified_at;
        if (n % 50 == 7) {
          state = "EXCLUDED";
          reason = "mandatory exclusion: conviction of a director";
          since = qualified_at + absl::Hours(24 * 90);
        } else if (n % 20 == 3) {
          state = "SUSPENDED";
          reason = "Ofsted rating Inadequate";
          since = qualified_at + absl::Hours(24 * 90);
        }
        memberships << std::make_tuple(id, e.establishment_id, std::string(lot), state,
                                       Timestamp(since), reason, Timestamp(qualified_at),
                                       e.ceiling_fee_pence);
        if (lot != kSupportedLot) {
          scores.push_back({id, qualified_at, e.qualification_score, 0, "qualification"});
          if (n % 10 == 3) {
            const int delta = n % 20 < 10 ? 5 : -5;
            scores.push_back({id, qualified_at + absl::Hours(24 * 183),
                              std::clamp(e.qualification_score + delta, 0, 100), delta,
                              "six-monthly contract management review"});
          }
        }
        ++n;
      }
    }
    memberships.complete();

    pqxx::stream_to out(tx, "membership_scores",
                        std::vector<std::string>{"membership_id", "effective_at", "score",
                                                 "requested_delta", "reason", "actor"});
    for (const Score& s : scores) {
      out << std::make_tuple(s.membership_id, Timestamp(s.at), s.score, s.requested_delta, s.reason,
                             std::string("loader"));
    }
    out.complete();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return platform::StatusFromPgException(e);
  }
}

}  // namespace dps::qualification
