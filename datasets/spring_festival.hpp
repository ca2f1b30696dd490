// The Chinese New Year (Spring Festival) dates the scenario generator uses, taken from the
// project's one table (host/core/calendar.hpp), and ISO date parsing for its options.
#pragma once
#include <cstdint>
#include <vector>

#include "host/core/calendar.hpp"

namespace turnpoint::datasets {

// The project's calendar (host/core/calendar.hpp, header-only).
using turnpoint::CivilDate;
using turnpoint::civil_from_days;
using turnpoint::days_from_civil;

// "2019-01-01" -> days since 1970-01-01; throws invalid_argument on a malformed date.
std::int32_t parse_iso_date(const char* text);

// First day of the lunar new year, 2015..2035, as days since 1970-01-01, ascending.
const std::vector<std::int32_t>& spring_festival_days();
constexpr int kFirstSpringFestivalYear = 2015;
constexpr int kLastSpringFestivalYear = 2035;

}  // namespace turnpoint::datasets
