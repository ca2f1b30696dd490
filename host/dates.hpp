// Calendar days as the project stores them: int32 days since 1970-01-01 (proleptic
// Gregorian, no time zone), converted to and from "YYYY-MM-DD" text.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace turnpoint {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days (exact for every proleptic
// Gregorian date representable here).
std::int32_t days_from_civil(int year, int month, int day);
CivilDate civil_from_days(std::int32_t days);

bool is_valid_date(int year, int month, int day);

// "YYYY-MM-DD".
std::string format_date(std::int32_t days);

// Accepts YYYY-MM-DD, YYYY/MM/DD and DD/MM/YYYY (as in some Carbon Monitor exports);
// nullopt for anything else, including impossible dates (2019-02-29).
std::optional<std::int32_t> parse_date(std::string_view text);

// The current time as ISO 8601 UTC, "2026-11-21T06:05:40Z" (the `created` attribute).
std::string utc_now_iso8601();

}  // namespace turnpoint
