#include "host/explain/holidays.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include "host/core/dates.hpp"
#include "kernels/error.hpp"

namespace turnpoint {
namespace {

struct MonthDay { int month, day; };


constexpr int kFirstLunarHoliday = 2008, kLastLunarHoliday = 2035;
constexpr MonthDay kDragonBoat[] = {
    {6, 8},  {5, 28}, {6, 16}, {6, 6},  {6, 23}, {6, 12}, {6, 2},  {6, 20}, {6, 9},  {5, 30},  // 2008
    {6, 18}, {6, 7},  {6, 25}, {6, 14}, {6, 3},  {6, 22}, {6, 10}, {5, 31}, {6, 19}, {6, 9},   // 2018
    {5, 28}, {6, 16}, {6, 5},  {6, 24}, {6, 12}, {6, 1},  {6, 20}, {6, 10}};                  // 2028
constexpr MonthDay kMidAutumn[] = {
    {9, 14}, {10, 3}, {9, 22}, {9, 12}, {9, 30}, {9, 19}, {9, 8},  {9, 27}, {9, 15}, {10, 4},  // 2008
    {9, 24}, {9, 13}, {10, 1}, {9, 21}, {9, 10}, {9, 29}, {9, 17}, {10, 6}, {9, 25}, {9, 15},  // 2018
    {10, 3}, {9, 22}, {9, 12}, {10, 1}, {9, 19}, {9, 8},  {9, 27}, {9, 16}};                  // 2028
static_assert(sizeof(kDragonBoat) / sizeof(kDragonBoat[0]) == kLastLunarHoliday - kFirstLunarHoliday + 1);
static_assert(sizeof(kMidAutumn) / sizeof(kMidAutumn[0]) == kLastLunarHoliday - kFirstLunarHoliday + 1);

void add_range(std::vector<Holiday>& out, std::int32_t first, int count, const char* name) {
  for (int i = 0; i < count; ++i) out.push_back({first + i, name});
}

std::string trim(std::string s) {
  const char* ws = " \t\r\n\xEF\xBB\xBF";  // also a UTF-8 byte-order mark
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::int32_t chinese_new_year(int year) {
  TURNPOINT_EXPECTS(year >= kFirstNewYearTable && year <= kLastNewYearTable,
                    "Chinese New Year is tabulated for {}-{} only (asked for {})",
                    kFirstNewYearTable, kLastNewYearTable, year);
  return new_year_day(year);
}

std::int32_t qingming(int year) {
  const int y = year % 100;
  const double c = year < 2000 ? 5.59 : 4.81;
  const int day = static_cast<int>(std::floor(y * 0.2422 + c)) - y / 4;
  return days_from_civil(year, 4, day);
}

std::int32_t dragon_boat(int year) {
  if (year < kFirstLunarHoliday || year > kLastLunarHoliday) return -1;
  const MonthDay md = kDragonBoat[year - kFirstLunarHoliday];
  return days_from_civil(year, md.month, md.day);
}

std::int32_t mid_autumn(int year) {
  if (year < kFirstLunarHoliday || year > kLastLunarHoliday) return -1;
  const MonthDay md = kMidAutumn[year - kFirstLunarHoliday];
  return days_from_civil(year, md.month, md.day);
}

std::vector<Holiday> china_holidays(int first_year, int last_year) {
  std::vector<Holiday> out;
  for (int y = first_year; y <= last_year; ++y) {
    if (y >= kFirstNewYearTable && y <= kLastNewYearTable) {
      const std::int32_t cny = chinese_new_year(y);
      // Seven windows: the dip is V-shaped (ramp down, trough, slow return), which boxes
      // of a few days follow far better than one 5-week dummy.
      add_range(out, cny - 10, 4, "spring_festival_before3");
      add_range(out, cny - 6, 3, "spring_festival_before2");
      add_range(out, cny - 3, 3, "spring_festival_before1");
      add_range(out, cny, 4, "spring_festival");
      add_range(out, cny + 4, 5, "spring_festival_after1");
      add_range(out, cny + 9, 7, "spring_festival_after2");
      add_range(out, cny + 16, 12, "spring_festival_late");
    }
    add_range(out, days_from_civil(y, 10, 1), 7, "national_day");
    add_range(out, days_from_civil(y, 1, 1), 1, "public_holiday");
    add_range(out, qingming(y), 1, "public_holiday");
    add_range(out, days_from_civil(y, 5, 1), y < 2008 ? 7 : (y < 2020 ? 3 : 5), "public_holiday");
    if (dragon_boat(y) >= 0) add_range(out, dragon_boat(y), 1, "public_holiday");
    if (mid_autumn(y) >= 0) add_range(out, mid_autumn(y), 1, "public_holiday");
  }
  return out;
}

std::vector<Holiday> read_holiday_file(const std::string& path) {
  std::ifstream in(path);
  TURNPOINT_EXPECTS(in.good(), "cannot open holiday file '{}'", path);
  std::vector<Holiday> out;
  std::string line;
  int row = 0;
  while (std::getline(in, line)) {
    ++row;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t comma = line.find(',');
    TURNPOINT_EXPECTS(comma != std::string::npos,
                      "{}:{}: expected 'date,name', got '{}'", path, row, line);
    const std::string date = trim(line.substr(0, comma));
    const std::string name = trim(line.substr(comma + 1));
    if (out.empty() && date == "date") continue;  // header
    const auto day = parse_date(date);
    TURNPOINT_EXPECTS(day.has_value(), "{}:{}: bad date '{}' (expected YYYY-MM-DD)", path, row,
                      date);
    TURNPOINT_EXPECTS(!name.empty(), "{}:{}: holiday on {} has no name", path, row, date);
    TURNPOINT_EXPECTS(name.find(',') == std::string::npos,
                      "{}:{}: expected two columns 'date,name', got '{}'", path, row, line);
    out.push_back({*day, name});
  }
  TURNPOINT_EXPECTS(in.eof(), "error reading holiday file '{}'", path);
  return out;
}

HolidayRegressors holiday_regressors(const std::vector<Holiday>& holidays,
                                     const std::vector<std::int32_t>& time) {
  HolidayRegressors out;
  const size_t n = time.size();
  if (n == 0) return out;
  std::map<std::int32_t, size_t> index;  // day -> position on the axis
  for (size_t i = 0; i < n; ++i) index[time[i]] = i;
  std::map<std::string, size_t> column;
  for (const Holiday& h : holidays) {
    const auto it = index.find(h.day);
    if (it == index.end()) continue;
    auto c = column.find(h.name);
    if (c == column.end()) {
      c = column.emplace(h.name, out.names.size()).first;
      out.names.push_back(h.name);
      out.dummies.resize(out.names.size() * n, 0);
    }
    out.dummies[c->second * n + it->second] = 1;
  }
  return out;
}

HolidayRegressors china_holiday_regressors(const std::vector<std::int32_t>& time) {
  if (time.empty()) return {};
  // One year of margin each side: the Spring Festival window of a year starts in the
  // previous calendar year at the earliest.
  const int y0 = std::max(civil_from_days(time.front()).year - 1, kFirstNewYearTable);
  const int y1 = std::min(civil_from_days(time.back()).year + 1, kLastNewYearTable);
  return holiday_regressors(china_holidays(y0, y1), time);
}

}  // namespace turnpoint
