#include "host/core/dates.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace turnpoint {

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

std::time_t analysis_time() {
  // SOURCE_DATE_EPOCH (reproducible-builds.org): a fixed time makes every output file
  // byte-identical between runs, which the layout and cluster tests compare.
  if (const char* fixed = std::getenv("SOURCE_DATE_EPOCH"); fixed && *fixed) {
    char* end = nullptr;
    const long long v = std::strtoll(fixed, &end, 10);
    if (end && *end == '\0' && v >= 0) return static_cast<std::time_t>(v);
  }
  return std::time(nullptr);
}

std::string format_utc(const char* format) {
  const std::time_t now = analysis_time();
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &utc);
  return buf;
}

std::string utc_now_iso8601() { return format_utc("%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace turnpoint
