#include "host/catalogue/catalogue_dates.hpp"

#include <fmt/format.h>

#include "host/core/dates.hpp"

namespace turnpoint::cal {

std::int32_t days_from_civil(int y, int m, int d) { return turnpoint::days_from_civil(y, m, d); }

Civil civil_from_days(std::int32_t z) {
  const CivilDate c = turnpoint::civil_from_days(z);
  return Civil{c.year, c.month, c.day};
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool valid_civil(int year, int month, int day) {
  return year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::int32_t add_months(std::int32_t days, int months) {
  Civil c = civil_from_days(days);
  int total = c.year * 12 + (c.month - 1) + months;
  int y = total / 12, m = total % 12 + 1;
  int d = c.day > days_in_month(y, m) ? days_in_month(y, m) : c.day;
  return days_from_civil(y, m, d);
}

std::string format_day(std::int32_t days) { return format_date(days); }

std::optional<std::int32_t> parse_day(const std::string& t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const int y = std::stoi(t.substr(0, 4)), m = std::stoi(t.substr(5, 2)),
            d = std::stoi(t.substr(8, 2));
  if (!valid_civil(y, m, d)) return std::nullopt;
  return days_from_civil(y, m, d);
}

}  // namespace turnpoint::cal
