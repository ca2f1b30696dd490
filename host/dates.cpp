#include "host/dates.hpp"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace turnpoint {

std::int32_t days_from_civil(int year, int month, int day) {
  // http://howardhinnant.github.io/date_algorithms.html#days_from_civil
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                         // [0, 399]
  const int mp = (month + 9) % 12;                                       // March = 0
  const int doy = (153 * mp + 2) / 5 + day - 1;                          // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                 // [0, 146096]
  return static_cast<std::int32_t>(era * 146097 + doe - 719468);
}

CivilDate civil_from_days(std::int32_t days) {
  // http://howardhinnant.github.io/date_algorithms.html#civil_from_days
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;                                      // [0, 146096]
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               // [0, 365]
  const int mp = (5 * doy + 2) / 153;                                    // [0, 11]
  CivilDate d;
  d.day = doy - (153 * mp + 2) / 5 + 1;
  d.month = mp < 10 ? mp + 3 : mp - 9;
  d.year = yoe + era * 400 + (d.month <= 2 ? 1 : 0);
  return d;
}

bool is_valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= last;
}

std::string format_date(std::int32_t days) {
  const CivilDate d = civil_from_days(days);
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

namespace {

// Parses exactly `width` decimal digits (no sign) or fails.
bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::optional<std::int32_t> parse_date(std::string_view t) {
  int y = 0, m = 0, d = 0;
  if (t.size() == 10 && (t[4] == '-' || t[4] == '/') && t[7] == t[4]) {
    // YYYY-MM-DD or YYYY/MM/DD
    if (!digits(t.substr(0, 4), y) || !digits(t.substr(5, 2), m) || !digits(t.substr(8, 2), d))
      return std::nullopt;
  } else if (t.size() == 10 && t[2] == '/' && t[5] == '/') {
    // DD/MM/YYYY
    if (!digits(t.substr(0, 2), d) || !digits(t.substr(3, 2), m) || !digits(t.substr(6, 4), y))
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!is_valid_date(y, m, d)) return std::nullopt;
  return days_from_civil(y, m, d);
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace turnpoint
