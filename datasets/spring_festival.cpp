#include "datasets/spring_festival.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace turnpoint::datasets {

std::int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2), m, d};
}

std::int32_t parse_iso_date(const char* text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31)
    throw std::invalid_argument(std::string("not a date YYYY-MM-DD: '") + text + "'");
  const std::int32_t days = days_from_civil(y, m, d);
  const CivilDate back = civil_from_days(days);
  if (back.month != m || back.day != d)
    throw std::invalid_argument(std::string("no such day: '") + text + "'");
  return days;
}

const std::vector<std::int32_t>& spring_festival_days() {
  // Chinese New Year's Day (正月初一), from the published Chinese calendar.
  static const std::vector<std::int32_t> days = {
      days_from_civil(2015, 2, 19), days_from_civil(2016, 2, 8),  days_from_civil(2017, 1, 28),
      days_from_civil(2018, 2, 16), days_from_civil(2019, 2, 5),  days_from_civil(2020, 1, 25),
      days_from_civil(2021, 2, 12), days_from_civil(2022, 2, 1),  days_from_civil(2023, 1, 22),
      days_from_civil(2024, 2, 10), days_from_civil(2025, 1, 29), days_from_civil(2026, 2, 17),
      days_from_civil(2027, 2, 6),  days_from_civil(2028, 1, 26), days_from_civil(2029, 2, 13),
      days_from_civil(2030, 2, 3),  days_from_civil(2031, 1, 23), days_from_civil(2032, 2, 11),
      days_from_civil(2033, 1, 31), days_from_civil(2034, 2, 19), days_from_civil(2035, 2, 8),
  };
  return days;
}

}  // namespace turnpoint::datasets
