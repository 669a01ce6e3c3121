// Checks on single fields that every part of the contracts domain takes, so the same input gets
// the same rule and the same words wherever it arrives. `field` is the path as the API spells it
// ("terms.costs.additional_services[2].code"); every error is InvalidArgument "field: rule", and
// a value the caller gave is quoted with platform::Quote (at most 64 characters of it).
//
//   RequireText("justification", justification, kMaxLongText)  // not blank, at most 20,000
//   ValidateSha256Hex("document_sha256", hash)                  // 64 lowercase hex digits

#ifndef DPS_SERVICES_CONTRACTS_DOMAIN_FIELDS_H_
#define DPS_SERVICES_CONTRACTS_DOMAIN_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace dps::contracts {

// The largest amount of money taken (£1 billion), as the scoring engine and the referral service
// take it (services share no sources, so each states the bound): a weekly amount times the days
// of a century of placement stays far inside int64.
inline constexpr int64_t kMaxPence = 100'000'000'000;

// Text limits, in characters (Unicode code points), as the API's field limits count them.
inline constexpr size_t kMaxIdLength = 64;
inline constexpr size_t kMaxCodeLength = 32;
inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxShortText = 256;
inline constexpr size_t kMaxLongText = 20'000;
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxPhoneLength = 32;
// The most entries of any list in an IPA (purposes, contacts, services, documents, ...).
inline constexpr size_t kMaxListItems = 100;

// Unicode code points in UTF-8 text.
size_t Characters(absl::string_view text);

// "2027-04-01": how a day is written in messages.
std::string FormatDay(absl::CivilDay day);

// At most `max` characters; may be empty.
absl::Status ValidateLength(absl::string_view field, absl::string_view text, size_t max);

// Not blank (something besides spaces, tabs and line ends) and at most `max` characters.
absl::Status RequireText(absl::string_view field, absl::string_view text, size_t max);

// An identifier: 1 to 64 letters, digits, '-', '_' or '.'. Nothing else, so that an identifier
// never holds the ':' that joins several into a source key.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// An amount that must be charged: 1 to kMaxPence.
absl::Status ValidatePence(absl::string_view field, int64_t pence);

// A SHA-256 digest as lowercase hex: exactly 64 of 0-9 and a-f.
absl::Status ValidateSha256Hex(absl::string_view field, absl::string_view hex);

// At most kMaxListItems entries.
absl::Status ValidateListSize(absl::string_view field, size_t size);

}  // namespace dps::contracts

#endif  // DPS_SERVICES_CONTRACTS_DOMAIN_FIELDS_H_
