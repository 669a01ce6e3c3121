#include "platform/text/child_identity.h"

#include <array>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/errors/errors.h"

namespace dps::platform {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether `text[at]` starts a word: the text's start, or not preceded by a letter or digit.
bool WordStart(absl::string_view text, size_t at) { return at == 0 || !IsAlnum(text[at - 1]); }
bool WordEnd(absl::string_view text, size_t end) {
  return end >= text.size() || !IsAlnum(text[end]);
}

// --- full postcodes ---------------------------------------------------------------------------

// The lengths of the outward codes at `upper[0]` (A9, A99, A9A, AA9, AA99, AA9A), longer first;
// 0 where there is none.
std::array<size_t, 2> OutwardCodeLengths(absl::string_view upper) {
  size_t i = 0;
  while (i < upper.size() && i < 2 && IsUpper(upper[i])) ++i;
  if (i == 0 || i >= upper.size() || !IsDigit(upper[i])) return {0, 0};
  ++i;
  const bool more = i < upper.size() && (IsDigit(upper[i]) || IsUpper(upper[i]));
  return {more ? i + 1 : 0, i};
}

bool IsInwardCode(absl::string_view upper) {
  return upper.size() >= 3 && IsDigit(upper[0]) && IsUpper(upper[1]) && IsUpper(upper[2]);
}

bool IsPostcodeGap(char c) { return c == ' ' || c == '\t' || c == '-' || c == '\n'; }

// A full postcode at `upper[start]`, with any run of spaces, tabs or hyphens (or none) between
// its halves.
bool FullPostcodeAt(absl::string_view upper, size_t start) {
  if (!WordStart(upper, start)) return false;
  for (size_t outward : OutwardCodeLengths(upper.substr(start))) {
    if (outward == 0) continue;
    size_t inward = start + outward;
    while (inward < upper.size() && IsPostcodeGap(upper[inward])) ++inward;
    if (IsInwardCode(upper.substr(inward)) && WordEnd(upper, inward + 3)) return true;
  }
  return false;
}

// --- dates of birth ---------------------------------------------------------------------------

constexpr std::array<absl::string_view, 7> kBirthWords = {
    "dob", "d.o.b", "d/o/b", "date of birth", "birth date", "born on", "birthday"};

bool BirthWordAt(absl::string_view lower, size_t start) {
  if (!WordStart(lower, start)) return false;
  for (absl::string_view word : kBirthWords) {
    if (absl::StartsWith(lower.substr(start), word) && WordEnd(lower, start + word.size())) {
      return true;
    }
  }
  return false;
}

// Reads 1 to `max` digits at `text[*at]`, advancing; -1 when there are none.
int ReadNumber(absl::string_view text, size_t* at, size_t max) {
  int value = 0;
  size_t n = 0;
  while (*at < text.size() && n < max && IsDigit(text[*at])) {
    value = value * 10 + (text[*at] - '0');
    ++*at;
    ++n;
  }
  return n == 0 ? -1 : value;
}

constexpr std::array<absl::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};

// A month's name or its first three letters at `lower[*at]`, advancing; 0 when there is none.
int ReadMonthName(absl::string_view lower, size_t* at) {
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (!absl::StartsWith(lower.substr(*at), kMonths[m])) continue;
    size_t end = *at + 3;
    while (end < lower.size() && std::isalpha(static_cast<unsigned char>(lower[end]))) ++end;
    *at = end;
    return static_cast<int>(m) + 1;
  }
  return 0;
}

// The year of a full calendar date at `lower[start]`, or -1: "03/04/2013", "3.4.13", "2013-04-03",
// "3 April 2013", "3rd Apr 2013".
int DateYearAt(absl::string_view lower, size_t start) {
  if (!WordStart(lower, start) || !IsDigit(lower[start])) return -1;
  size_t at = start;
  const int first = ReadNumber(lower, &at, 4);
  if (at - start == 4) {  // year-month-day
    if (at >= lower.size() || lower[at] != '-') return -1;
    ++at;
    const int month = ReadNumber(lower, &at, 2);
    if (month < 1 || month > 12 || at >= lower.size() || lower[at] != '-') return -1;
    ++at;
    const int day = ReadNumber(lower, &at, 2);
    return day >= 1 && day <= 31 && WordEnd(lower, at) ? first : -1;
  }
  if (first < 1 || first > 31 || at >= lower.size()) return -1;
  const char separator = lower[at];
  if (separator == '/' || separator == '.' || separator == '-') {  // day/month/year
    ++at;
    const int month = ReadNumber(lower, &at, 2);
    if (month < 1 || month > 12 || at >= lower.size() || lower[at] != separator) return -1;
    ++at;
    const size_t year_start = at;
    const int year = ReadNumber(lower, &at, 4);
    if (year < 0 || !WordEnd(lower, at)) return -1;
    if (at - year_start == 4) return year;
    return at - year_start == 2 ? 2000 + year : -1;  // a two-digit year read as this century
  }
  // day [st|nd|rd|th] month-name year
  while (at < lower.size() && std::isalpha(static_cast<unsigned char>(lower[at])) &&
         at - start < 4) {
    ++at;
  }
  if (at >= lower.size() || lower[at] != ' ') return -1;
  ++at;
  if (ReadMonthName(lower, &at) == 0) return -1;
  if (at < lower.size() && lower[at] == ',') ++at;
  if (at >= lower.size() || lower[at] != ' ') return -1;
  ++at;
  const size_t year_start = at;
  const int year = ReadNumber(lower, &at, 4);
  return at - year_start == 4 && WordEnd(lower, at) ? year : -1;
}

// --- case numbers and phone numbers -------------------------------------------------------------

// A word of letters and digits, joined by '-' or '/', at `text[start]`: "LAC-204551" is a case
// number (letters and four or more digits); so is a run of six or more digits.
bool CaseNumberAt(absl::string_view text, size_t start) {
  if (!WordStart(text, start) || !IsAlnum(text[start])) return false;
  int letters = 0, digits = 0, run = 0, longest_run = 0;
  size_t at = start;
  while (at < text.size()) {
    const char c = text[at];
    if (IsDigit(c)) {
      ++digits;
      longest_run = std::max(longest_run, ++run);
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      ++letters;
      run = 0;
    } else if ((c == '-' || c == '/') && at + 1 < text.size() && IsAlnum(text[at + 1])) {
      run = 0;
    } else {
      break;
    }
    ++at;
  }
  return longest_run >= 6 || (letters > 0 && digits >= 4);
}

// A UK phone number at `text[start]`: 0 and 10 or 11 digits in all, or +44 and 11 to 13 (the
// "(0)" some write after it counted), with single spaces, hyphens or brackets between digits.
bool PhoneNumberAt(absl::string_view text, size_t start) {
  if (!WordStart(text, start)) return false;
  const bool international = absl::StartsWith(text.substr(start), "+44");
  if (!international && text[start] != '0') return false;
  size_t at = international ? start + 1 : start;
  int digits = 0, gap = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (IsDigit(c)) {
      ++digits;
      gap = 0;
    } else if ((c == ' ' || c == '-' || c == '(' || c == ')') && ++gap <= 2) {
    } else {
      break;
    }
    ++at;
  }
  if (at < text.size() && IsAlnum(text[at])) return false;
  return international ? digits >= 11 && digits <= 13 : digits >= 10 && digits <= 11;
}

}  // namespace

std::optional<ChildIdentifier> FindChildIdentifier(absl::string_view text) {
  const std::string upper = absl::AsciiStrToUpper(text);
  const std::string lower = absl::AsciiStrToLower(text);
  for (size_t at = 0; at < text.size(); ++at) {
    if (FullPostcodeAt(upper, at)) return ChildIdentifier{"a full postcode", at};
    if (BirthWordAt(lower, at)) return ChildIdentifier{"a date of birth", at};
    if (DateYearAt(lower, at) >= 0) {
      return ChildIdentifier{"a full date, which may be a date of birth", at};
    }
    if (PhoneNumberAt(text, at)) return ChildIdentifier{"a phone number", at};
    if (CaseNumberAt(text, at)) return ChildIdentifier{"a case or record number", at};
  }
  return std::nullopt;
}

absl::Status RejectChildIdentifiers(absl::string_view field, absl::string_view text) {
  const std::optional<ChildIdentifier> found = FindChildIdentifier(text);
  if (!found.has_value()) return absl::OkStatus();
  return InvalidField(
      field, absl::StrCat("must not identify a child: it holds ", found->kind, " (at character ",
                          found->at,
                          "); write the postcode district only, and no name, full date, "
                          "case number or phone number"));
}

}  // namespace dps::platform
