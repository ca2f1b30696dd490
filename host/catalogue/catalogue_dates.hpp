// Calendar helpers for the catalogue, the join and the reports: days since 1970-01-01 <->
// civil dates (delegating to host/core/dates.hpp), whole-month arithmetic, strict parsing.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace turnpoint::cal {

struct Civil {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

std::int32_t days_from_civil(int year, int month, int day);
Civil civil_from_days(std::int32_t days);
int days_in_month(int year, int month);
bool valid_civil(int year, int month, int day);
// The same day of the month `months` later (or earlier when negative), clamped to the
// month's length (2021-08-31 + 1 month = 2021-09-30).
std::int32_t add_months(std::int32_t days, int months);
// "YYYY-MM-DD".
std::string format_day(std::int32_t days);
// Strict "YYYY-MM-DD" (a real calendar day), or nullopt.
std::optional<std::int32_t> parse_day(const std::string& text);

}  // namespace turnpoint::cal
