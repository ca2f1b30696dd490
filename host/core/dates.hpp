// Calendar days as the project stores them: int32 days since 1970-01-01 (proleptic
// Gregorian, no time zone), converted to and from "YYYY-MM-DD" text.
#pragma once
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "host/core/calendar.hpp"

namespace turnpoint {

// CivilDate, days_from_civil and civil_from_days: host/core/calendar.hpp.

bool is_valid_date(int year, int month, int day);

// "YYYY-MM-DD".
std::string format_date(std::int32_t days);

// Accepts YYYY-MM-DD, YYYY/MM/DD and DD/MM/YYYY (as in some Carbon Monitor exports);
// nullopt for anything else, including impossible dates (2019-02-29).
std::optional<std::int32_t> parse_date(std::string_view text);

// The time of the analysis: now, or SOURCE_DATE_EPOCH (seconds since 1970) when that
// environment variable is set, so that repeated runs write identical files.
std::time_t analysis_time();
// analysis_time() formatted with strftime's `format` in UTC.
std::string format_utc(const char* format);
// analysis_time() as ISO 8601 UTC, "2026-11-21T06:05:40Z" (the `created` attribute).
std::string utc_now_iso8601();

}  // namespace turnpoint
