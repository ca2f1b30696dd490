// Holidays as regressors of the regression basis (docs/seasonality.md): the Chinese New
// Year dates 1990-2060 (facts), China's public holidays, and user-supplied holiday files
// for other countries (CSV: date,name). A holiday regressor is a 0/1 column over the day
// axis, so the Spring Festival dip (a moving date) is explained by the model, not detected.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/core/calendar.hpp"

namespace turnpoint {

// Which holidays the regular pattern models: none, China's public holidays (and the Spring
// Festival), or the holidays of a file (read_holiday_file).
enum class HolidayCalendar { none, china, file };

// First day of the lunar year (Spring Festival, 春节) in `year`, days since 1970-01-01.
// Throws invalid_input outside 1990..2060.
std::int32_t chinese_new_year(int year);

// Qingming (清明): the day of the solar term at 15 degrees solar longitude, 4-6 April,
// by the standard approximation floor(Y * 0.2422 + C) - floor(Y / 4) (Y = year mod 100,
// C = 5.59 before 2000, 4.81 from 2000); exact for 1990-2060 except where noted in
// docs/seasonality.md.
std::int32_t qingming(int year);

// Dragon Boat (端午, 5th day of the 5th lunar month) and Mid-Autumn (中秋, 15th day of the
// 8th lunar month), tabulated 2008-2035 (public holidays since 2008); -1 outside.
std::int32_t dragon_boat(int year);
std::int32_t mid_autumn(int year);

struct Holiday {
  std::int32_t day = 0;  // days since 1970-01-01
  std::string name;      // regressor it belongs to
};

// China's public holidays in [first_year, last_year], one entry per holiday day, names:
//   spring_festival_before3  CNY-10 .. CNY-7  (travel home, factories wind down)
//   spring_festival_before2  CNY-6  .. CNY-4
//   spring_festival_before1  CNY-3  .. CNY-1
//   spring_festival          CNY    .. CNY+3  (the trough)
//   spring_festival_after1   CNY+4  .. CNY+8  (end of the statutory week)
//   spring_festival_after2   CNY+9  .. CNY+15 (until the Lantern Festival)
//   spring_festival_late     CNY+16 .. CNY+27 (slow return of migrant workers)
//   national_day            1-7 October
//   public_holiday          New Year's Day, Qingming, Labour Day (1-7 May to 2007, 1-3
//                           May 2008-2019, 1-5 May from 2020), Dragon Boat, Mid-Autumn
std::vector<Holiday> china_holidays(int first_year, int last_year);

// Reads a holiday file: CSV with columns date,name (a header line "date,name" is
// optional; dates YYYY-MM-DD; '#' starts a comment line). Throws invalid_input naming
// the file and line on a bad date, a missing name or an unreadable file.
std::vector<Holiday> read_holiday_file(const std::string& path);

// 0/1 regressors on a day axis: one column per distinct holiday name that falls on the
// axis at least once (in order of first appearance), [names.size()][time.size()].
struct HolidayRegressors {
  std::vector<std::string> names;
  std::vector<std::uint8_t> dummies;
};
HolidayRegressors holiday_regressors(const std::vector<Holiday>& holidays,
                                     const std::vector<std::int32_t>& time);

// China's holidays over the years the axis spans (clamped to the CNY table).
HolidayRegressors china_holiday_regressors(const std::vector<std::int32_t>& time);

}  // namespace turnpoint
