// Calendar days as the project stores them: int32 days since 1970-01-01 (proleptic
// Gregorian, no time zone), converted to and from "YYYY-MM-DD" text.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "host/calendar.hpp"

namespace turnpoint {

// CivilDate, days_from_civil and civil_from_days: host/calendar.hpp.

bool is_valid_date(int year, int month, int day);

// "YYYY-MM-DD".
std::string format_date(std::int32_t days);

// Accepts YYYY-MM-DD, YYYY/MM/DD and DD/MM/YYYY (as in some Carbon Monitor exports);
// nullopt for anything else, including impossible dates (2019-02-29).
std::optional<std::int32_t> parse_date(std::string_view text);

// The current time as ISO 8601 UTC, "2026-11-21T06:05:40Z" (the `created` attribute).
std::string utc_now_iso8601();

}  // namespace turnpoint
