// Calendar facts shared by every part of turnpoint (host, datasets, tests, benches):
// proleptic Gregorian dates <-> days since 1970-01-01, and the Chinese New Year table.
// Header-only and dependency-free, so the scenario generator and the portable GPU test
// binaries (no HDF5, no host library) use the very same code.
#pragma once
#include <cstdint>

namespace turnpoint {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days
// (http://howardhinnant.github.io/date_algorithms.html), exact for every date here.
inline std::int32_t days_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                          // [0, 399]
  const int mp = (month + 9) % 12;                        // March = 0
  const int doy = (153 * mp + 2) / 5 + day - 1;           // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return static_cast<std::int32_t>(era * 146097 + doe - 719468);
}

inline CivilDate civil_from_days(std::int32_t days) {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;                                       // [0, 146096]
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int mp = (5 * doy + 2) / 153;                                     // [0, 11]
  CivilDate d;
  d.day = doy - (153 * mp + 2) / 5 + 1;
  d.month = mp < 10 ? mp + 3 : mp - 9;
  d.year = yoe + era * 400 + (d.month <= 2 ? 1 : 0);
  return d;
}

constexpr int kFirstNewYearTable = 1990;
constexpr int kLastNewYearTable = 2060;

namespace calendar_detail {
struct MonthDay { int month, day; };
// Chinese New Year, 1990..2060 (Hong Kong Observatory / Purple Mountain Observatory
// calendars). Checked in tests against the mean lunation (each date is a new moon).
inline constexpr MonthDay kNewYear[] = {
    {1, 27}, {2, 15}, {2, 4},  {1, 23}, {2, 10}, {1, 31}, {2, 19}, {2, 7},  {1, 28}, {2, 16},  // 1990
    {2, 5},  {1, 24}, {2, 12}, {2, 1},  {1, 22}, {2, 9},  {1, 29}, {2, 18}, {2, 7},  {1, 26},  // 2000
    {2, 14}, {2, 3},  {1, 23}, {2, 10}, {1, 31}, {2, 19}, {2, 8},  {1, 28}, {2, 16}, {2, 5},   // 2010
    {1, 25}, {2, 12}, {2, 1},  {1, 22}, {2, 10}, {1, 29}, {2, 17}, {2, 6},  {1, 26}, {2, 13},  // 2020
    {2, 3},  {1, 23}, {2, 11}, {1, 31}, {2, 19}, {2, 8},  {1, 28}, {2, 15}, {2, 4},  {1, 24},  // 2030
    {2, 12}, {2, 1},  {1, 22}, {2, 10}, {1, 30}, {2, 17}, {2, 6},  {1, 26}, {2, 14}, {2, 2},   // 2040
    {1, 23}, {2, 11}, {2, 1},  {2, 19}, {2, 8},  {1, 28}, {2, 15}, {2, 4},  {1, 24}, {2, 12},  // 2050
    {2, 2}};                                                                                  // 2060
static_assert(sizeof(kNewYear) / sizeof(kNewYear[0]) == kLastNewYearTable - kFirstNewYearTable + 1);
}  // namespace calendar_detail

// First day of the lunar year (Spring Festival, 春节), days since 1970-01-01, for
// kFirstNewYearTable <= year <= kLastNewYearTable (callers check the range).
inline std::int32_t new_year_day(int year) {
  const calendar_detail::MonthDay md = calendar_detail::kNewYear[year - kFirstNewYearTable];
  return days_from_civil(year, md.month, md.day);
}

}  // namespace turnpoint
