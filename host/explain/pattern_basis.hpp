// The design of the pattern model (kernels/pattern_model.hpp) for a daily axis: the regular
// pattern's columns and the change families searched (docs/seasonality.md, "The pattern
// model").
//
// Pattern: intercept; linear trend; weekly harmonic pairs sin/cos(2 pi k d / 7); yearly
// pairs sin/cos(2 pi k d / 365.2425); with the China calendar, the Spring Festival as a
// smooth shape -- triangular "hat" functions of the day relative to each New Year at knots
// kFestivalKnots, so the V-shaped dip (down over ~10 days, back over ~4 weeks) is fitted
// from all years at once instead of in 0/1 steps -- plus 0/1 columns for National Day and
// the other public holidays; with a holiday file, one 0/1 column per holiday name.
// Months: the calendar month of every day, for the month effects.
//
// Families: step (a level shift), kink (a change of slope), kink_curved (a change of slope
// that bends: (t - tau) and (t - tau)^2 columns), step_kink (step and kink), transient
// with recovery time constants kTransientDays (a drop or rise that fades), weekly (the
// weekly cycle changes) and yearly (the yearly cycle changes).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/core/time_axis.hpp"
#include "host/explain/holidays.hpp"
#include "kernels/pattern_model.hpp"

namespace turnpoint {

struct PatternBasisOptions {
  bool trend = true;
  int weekly = 3;   // pairs; 3 spans every 7-day profile
  int yearly = 2;   // pairs
  int yearly_change = 2;  // pairs (the first ones) in the yearly change family
  HolidayCalendar holidays = HolidayCalendar::china;
  std::string holiday_file;
  bool months = true;       // month effects
  bool seasonal_changes = true;  // search the weekly / yearly families
};

// Knots (days from Chinese New Year) of the festival hat functions, each 4 days wide.
inline constexpr int kFestivalKnots[] = {-12, -8, -4, 0, 4, 8, 12, 16, 20, 24, 28};
inline constexpr int kFestivalHatWidth = 4;
// Recovery time constants (days) of the transient families.
inline constexpr double kTransientDays[] = {7.0, 15.0, 30.0, 60.0};

// time: the daily axis (days since 1970-01-01, strictly increasing; gaps allowed).
kernels::PatternDesign make_pattern_design(const std::vector<std::int32_t>& time,
                                           const PatternBasisOptions& options);

// The generic model's design (host/explain/explain.hpp): intercept and trend over the row
// index, plus the axis' own seasonal cycle where it spans at least two of them -- weekly
// harmonics (3 pairs) for a daily axis, yearly ones for a weekly (period 52.18 rows, 2
// pairs), monthly (12 rows, 2 pairs) or quarterly (4 rows, 1 pair) axis; nothing for
// annual or irregular axes. Families: step, kink, step_kink. No month effects.
kernels::PatternDesign make_generic_design(const std::vector<std::int32_t>& time);
// The same with the axis' stored frequency (Panel::frequency); an index axis gets no cycle.
kernels::PatternDesign make_generic_design(const std::vector<std::int32_t>& time, Frequency frequency);

}  // namespace turnpoint
