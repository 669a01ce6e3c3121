#include "services/scoring/domain/validate.h"

#include <cmath>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "platform/weights/weights.h"
#include "services/scoring/domain/price.h"

namespace dps::scoring {

namespace {

using CodeSet = absl::flat_hash_set<absl::string_view>;

// Each rule check returns the broken rule's text, or an empty string when the value is fine.
// Field paths are built only when a rule is broken, so validating a large valid request
// allocates no strings per bid.

std::string OutOfRange(int64_t value, int64_t low, int64_t high) {
  if (value >= low && value <= high) return {};
  return absl::StrCat("must be between ", low, " and ", high, ", got ", value);
}

std::string OutOfRange(double value, double low, double high) {
  // Written this way round so NaN is out of range too.
  if (value >= low && value <= high) return {};
  return absl::StrCat("must be between ", low, " and ", high, ", got ", value);
}

std::string BadMoney(int64_t pence) {
  if (pence < 0) return absl::StrCat("must not be negative, got ", pence);
  if (pence > kMaxPence) return absl::StrCat("must be at most ", kMaxPence, " pence, got ", pence);
  return {};
}

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

std::string Indexed(absl::string_view list, size_t index) {
  return absl::StrCat(list, "[", index, "]");
}

absl::Status CheckPoint(absl::string_view field, GeoPoint point) {
  if (std::string rule = OutOfRange(point.latitude, -90.0, 90.0); !rule.empty()) {
    return Invalid(absl::StrCat(field, ".latitude"), rule);
  }
  if (std::string rule = OutOfRange(point.longitude, -180.0, 180.0); !rule.empty()) {
    return Invalid(absl::StrCat(field, ".longitude"), rule);
  }
  return absl::OkStatus();
}

// The product's one weights rule, with what this competition lets a bid earn: no needs or no
// desirable features listed means no bid can earn a weight on them.
absl::Status CheckWeights(const Competition& competition) {
  return platform::CheckWeightsEarnable(
      "weights", competition.weights,
      {.needs = !competition.needs.empty(),
       .desirable_features = !competition.desirable_features.empty()},
      "the referral");
}

absl::Status CheckListSize(absl::string_view field, size_t size) {
  if (size <= kMaxListedCodes) return absl::OkStatus();
  return Invalid(field, absl::StrCat("must list at most ", kMaxListedCodes, " codes, got ", size));
}

absl::Status AddCode(absl::string_view field, absl::string_view code, CodeSet& listed) {
  if (code.empty()) return Invalid(field, "must not be empty");
  if (!listed.insert(code).second) {
    return Invalid(field, absl::StrCat("code \"", code, "\" is listed twice"));
  }
  return absl::OkStatus();
}

absl::Status CheckMarkedCodes(absl::string_view list, const std::vector<MarkedCode>& codes,
                              CodeSet& listed) {
  if (absl::Status s = CheckListSize(list, codes.size()); !s.ok()) return s;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (absl::Status s = AddCode(absl::StrCat(Indexed(list, i), ".code"), codes[i].code, listed);
        !s.ok()) {
      return s;
    }
    if (std::string rule = OutOfRange(int64_t{codes[i].marks}, 1, kMaxMarks); !rule.empty()) {
      return Invalid(absl::StrCat(Indexed(list, i), ".marks"), rule);
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTerms(const Competition& competition) {
  const DiscountRates& rates = competition.discount_rates;
  if (std::string rule = OutOfRange(int64_t{rates.sibling_basis_points}, 0, 10'000);
      !rule.empty()) {
    return Invalid("discount_rates.sibling_basis_points", rule);
  }
  if (std::string rule = OutOfRange(int64_t{rates.permanence_basis_points}, 0, 10'000);
      !rule.empty()) {
    return Invalid("discount_rates.permanence_basis_points", rule);
  }
  const int both = rates.sibling_basis_points + rates.permanence_basis_points;
  if (both > 10'000) {
    return Invalid("discount_rates",
                   absl::StrCat("sibling and permanence discounts together must not exceed 10000 "
                                "basis points, got ",
                                both));
  }
  if (rates.permanence_min_months < 0) {
    return Invalid("discount_rates.permanence_min_months",
                   absl::StrCat("must not be negative, got ", rates.permanence_min_months));
  }
  if (competition.sibling_group_size < 1) {
    return Invalid("sibling_group_size",
                   absl::StrCat("must be at least 1, got ", competition.sibling_group_size));
  }
  if (competition.planned_duration_months < 0) {
    return Invalid("planned_duration_months",
                   absl::StrCat("must not be negative, got ", competition.planned_duration_months));
  }
  const ParentalChoiceSettings& choice = competition.parental_choice;
  if (choice.enabled) {
    if (choice.max_bids < 1) {
      return Invalid("parental_choice.max_bids",
                     absl::StrCat("must be at least 1 when enabled, got ", choice.max_bids));
    }
    if (std::string rule = OutOfRange(choice.within_points, 0.0, 100.0); !rule.empty()) {
      return Invalid("parental_choice.within_points", rule);
    }
  }
  return absl::OkStatus();
}

// One of the referral's lists, as a bid's claims see it: its field name and its length.
struct ListedCodes {
  const char* field;
  size_t size;
};

struct ReferralIndex {
  ListedCodes needs;
  ListedCodes must_have;
  ListedCodes desirable;
};

// "bids[3].core_fee_pence", "bids[3].outcome_scores[1]": built only on failure.
std::string BidField(size_t bid, absl::string_view member) {
  return absl::StrCat(Indexed("bids", bid), ".", member);
}

// A bid's claims on one list, a set of its positions: a bit beyond the list's end claims an
// entry the referral does not have.
absl::Status CheckClaims(size_t b, absl::string_view field, uint64_t claims,
                         const ListedCodes& list) {
  const uint64_t beyond = list.size >= 64 ? 0 : claims >> list.size;
  if (beyond == 0) return absl::OkStatus();
  const int highest = 63 - __builtin_clzll(claims);
  if (list.size == 0) {
    return Invalid(BidField(b, field), absl::StrCat("the referral lists no ", list.field,
                                                    ", so no bit may be set; got bit ", highest));
  }
  return Invalid(BidField(b, field),
                 absl::StrCat("may set only bits 0 to ", list.size - 1, " (the referral lists ",
                              list.size, " ", list.field, "); got bit ", highest));
}

absl::Status CheckBid(const Bid& bid, size_t b, const ReferralIndex& referral) {
  if (std::string rule = OutOfRange(bid.establishment_location.latitude, -90.0, 90.0);
      !rule.empty()) {
    return Invalid(BidField(b, "establishment_latitude"), rule);
  }
  if (std::string rule = OutOfRange(bid.establishment_location.longitude, -180.0, 180.0);
      !rule.empty()) {
    return Invalid(BidField(b, "establishment_longitude"), rule);
  }
  if (std::string rule = BadMoney(bid.ceiling_fee_pence); !rule.empty()) {
    return Invalid(BidField(b, "ceiling_fee_pence"), rule);
  }
  if (std::string rule = BadMoney(bid.core_fee_pence); !rule.empty()) {
    return Invalid(BidField(b, "core_fee_pence"), rule);
  }
  if (bid.additional_services.size() > kMaxAdditionalServices) {
    return Invalid(BidField(b, "additional_services"),
                   absl::StrCat("must have at most ", kMaxAdditionalServices, " lines, got ",
                                bid.additional_services.size()));
  }
  for (size_t i = 0; i < bid.additional_services.size(); ++i) {
    const AdditionalService& service = bid.additional_services[i];
    if (std::string rule = OutOfRange(service.units, 0, kMaxUnits); !rule.empty()) {
      return Invalid(BidField(b, absl::StrCat(Indexed("additional_services", i), ".units")), rule);
    }
    if (std::string rule = BadMoney(service.rate_pence); !rule.empty()) {
      return Invalid(BidField(b, absl::StrCat(Indexed("additional_services", i), ".rate_pence")),
                     rule);
    }
  }
  if (absl::Status s = CheckClaims(b, "needs_met", bid.needs_met, referral.needs); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckClaims(b, "must_have_features_met", bid.must_have_met, referral.must_have);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckClaims(b, "desirable_features_met", bid.desirable_met, referral.desirable);
      !s.ok()) {
    return s;
  }
  if (std::string rule = OutOfRange(bid.qualification_score, 0.0, 100.0); !rule.empty()) {
    return Invalid(BidField(b, "qualification_score"), rule);
  }
  for (size_t i = 0; i < bid.outcome_scores.size(); ++i) {
    if (std::string rule = OutOfRange(int64_t{bid.outcome_scores[i]}, 0, 5); !rule.empty()) {
      return Invalid(BidField(b, Indexed("outcome_scores", i)), rule);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateCompetition(const Competition& competition, const Limits& limits) {
  // First, so an oversized request is refused before any per-bid work.
  if (competition.bids.size() > static_cast<size_t>(limits.max_bids)) {
    return Invalid("bids", absl::StrCat("must have at most ", limits.max_bids, " bids, got ",
                                        competition.bids.size()));
  }
  if (absl::Status s = CheckWeights(competition); !s.ok()) return s;
  if (absl::Status s = CheckPoint("child_location", competition.child_location); !s.ok()) return s;

  // Codes must be unique within each list; the bids then refer to entries by index.
  CodeSet needs, must_have, desirable;
  if (absl::Status s = CheckMarkedCodes("needs", competition.needs, needs); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckListSize("must_have_features", competition.must_have_features.size());
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < competition.must_have_features.size(); ++i) {
    if (absl::Status s =
            AddCode(Indexed("must_have_features", i), competition.must_have_features[i], must_have);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s =
          CheckMarkedCodes("desirable_features", competition.desirable_features, desirable);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckTerms(competition); !s.ok()) return s;
  const ReferralIndex referral{{"needs", competition.needs.size()},
                               {"must-have features", competition.must_have_features.size()},
                               {"desirable features", competition.desirable_features.size()}};

  absl::flat_hash_set<absl::string_view> ids;
  ids.reserve(competition.bids.size());
  for (size_t b = 0; b < competition.bids.size(); ++b) {
    const Bid& bid = competition.bids[b];
    if (bid.id.empty()) return Invalid(BidField(b, "id"), "must not be empty");
    if (!ids.insert(bid.id).second) {
      return Invalid(BidField(b, "id"), absl::StrCat("duplicate bid id \"", bid.id, "\""));
    }
    if (absl::Status s = CheckBid(bid, b, referral); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace dps::scoring
