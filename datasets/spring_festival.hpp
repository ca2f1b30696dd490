// Civil-date arithmetic and the Chinese New Year (Spring Festival) dates the scenario
// generator needs. Private to datasets/: a larger holiday table may live in host/ later.
#pragma once
#include <cstdint>
#include <vector>

namespace turnpoint::datasets {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int32_t days_from_civil(int year, int month, int day);
CivilDate civil_from_days(std::int32_t days);
// "2019-01-01" -> days since 1970-01-01; throws invalid_argument on a malformed date.
std::int32_t parse_iso_date(const char* text);

// First day of the lunar new year, 2015..2035, as days since 1970-01-01, ascending.
const std::vector<std::int32_t>& spring_festival_days();
constexpr int kFirstSpringFestivalYear = 2015;
constexpr int kLastSpringFestivalYear = 2035;

}  // namespace turnpoint::datasets
