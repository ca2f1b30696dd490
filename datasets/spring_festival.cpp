#include "datasets/spring_festival.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace turnpoint::datasets {

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
  static const std::vector<std::int32_t> days = [] {
    std::vector<std::int32_t> d;
    for (int y = kFirstSpringFestivalYear; y <= kLastSpringFestivalYear; ++y)
      d.push_back(new_year_day(y));
    return d;
  }();
  return days;
}

}  // namespace turnpoint::datasets
