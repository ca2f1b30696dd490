#include "host/explain/pattern_basis.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "host/core/calendar.hpp"
#include "host/core/time_axis.hpp"
#include "host/explain/holidays.hpp"
#include "kernels/error.hpp"

namespace turnpoint {
namespace {

constexpr double kTwoPi = 6.283185307179586;

using Columns = std::vector<std::vector<double>>;

void add(Columns& cols, std::vector<std::string>& names, std::vector<double> c, std::string name) {
  cols.push_back(std::move(c));
  names.push_back(std::move(name));
}

// Harmonic pairs of `period` days; returns the index of the first column.
int harmonics(Columns& cols, std::vector<std::string>& names, const std::vector<std::int32_t>& time,
              int pairs, double period, const char* label) {
  const int first = static_cast<int>(cols.size());
  for (int k = 1; k <= pairs; ++k) {
    std::vector<double> s(time.size()), c(time.size());
    for (std::size_t t = 0; t < time.size(); ++t) {
      const double phase = std::fmod(std::fmod(static_cast<double>(time[t]), period) + period, period) / period;
      s[t] = std::sin(kTwoPi * k * phase);
      c[t] = std::cos(kTwoPi * k * phase);
    }
    add(cols, names, std::move(s), fmt::format("{}_sin{}", label, k));
    add(cols, names, std::move(c), fmt::format("{}_cos{}", label, k));
  }
  return first;
}

void festival_hats(Columns& cols, std::vector<std::string>& names,
                   const std::vector<std::int32_t>& time) {
  const int y0 = std::max(civil_from_days(time.front()).year - 1, kFirstNewYearTable);
  const int y1 = std::min(civil_from_days(time.back()).year + 1, kLastNewYearTable);
  for (const int knot : kFestivalKnots) {
    std::vector<double> h(time.size(), 0.0);
    bool any = false;
    for (int y = y0; y <= y1; ++y) {
      const std::int32_t ny = chinese_new_year(y);
      for (std::size_t t = 0; t < time.size(); ++t) {
        const double d = std::abs(static_cast<double>(time[t] - ny - knot)) / kFestivalHatWidth;
        if (d < 1.0) {
          h[t] += 1.0 - d;
          any = true;
        }
      }
    }
    if (any) add(cols, names, std::move(h), fmt::format("spring_festival_{:+d}", knot));
  }
}

}  // namespace

kernels::PatternDesign make_pattern_design(const std::vector<std::int32_t>& time,
                                           const PatternBasisOptions& o) {
  TURNPOINT_EXPECTS(o.weekly >= 0 && o.weekly <= 3, "weekly harmonics must be in 0..3 (got {})", o.weekly);
  TURNPOINT_EXPECTS(o.yearly >= 0 && o.yearly <= 4, "yearly harmonics must be in 0..4 (got {})", o.yearly);
  kernels::PatternDesign d;
  d.n = static_cast<int>(time.size());
  if (d.n == 0) return d;
  Columns cols;
  std::vector<std::string> names;
  add(cols, names, std::vector<double>(time.size(), 1.0), "intercept");
  if (o.trend) {
    std::vector<double> tr(time.size());
    // Years from the middle of the axis: a well-scaled column.
    const double mid = 0.5 * (time.front() + time.back());
    for (std::size_t t = 0; t < time.size(); ++t) tr[t] = (time[t] - mid) / 365.25;
    add(cols, names, std::move(tr), "trend");
  }
  const int weekly = harmonics(cols, names, time, o.weekly, 7.0, "weekly");
  const int yearly = harmonics(cols, names, time, o.yearly, 365.2425, "yearly");
  HolidayRegressors dummies;
  if (o.holidays == HolidayCalendar::china) {
    festival_hats(cols, names, time);
    const HolidayRegressors all = china_holiday_regressors(time);
    for (std::size_t k = 0; k < all.names.size(); ++k) {
      if (all.names[k].rfind("spring_festival", 0) == 0) continue;  // the hats stand for it
      dummies.names.push_back(all.names[k]);
      dummies.dummies.insert(dummies.dummies.end(), all.dummies.begin() + k * time.size(),
                             all.dummies.begin() + (k + 1) * time.size());
    }
  } else if (o.holidays == HolidayCalendar::file) {
    dummies = holiday_regressors(read_holiday_file(o.holiday_file), time);
  }
  for (std::size_t k = 0; k < dummies.names.size(); ++k) {
    std::vector<double> c(time.size());
    for (std::size_t t = 0; t < time.size(); ++t) c[t] = dummies.dummies[k * time.size() + t];
    add(cols, names, std::move(c), dummies.names[k]);
  }

  d.p = static_cast<int>(cols.size());
  d.column_names = names;
  d.X.resize(time.size() * cols.size());
  for (std::size_t t = 0; t < time.size(); ++t)
    for (std::size_t c = 0; c < cols.size(); ++c) d.X[t * cols.size() + c] = cols[c][t];

  if (o.months) {
    d.month.resize(time.size());
    const CivilDate first = civil_from_days(time.front());
    for (std::size_t t = 0; t < time.size(); ++t) {
      const CivilDate c = civil_from_days(time[t]);
      d.month[t] = (c.year - first.year) * 12 + (c.month - first.month);
    }
    d.n_months = d.month.back() + 1;
  }

  using kernels::ChangeKind;
  using kernels::FamilyColumn;
  d.families.push_back({"step", ChangeKind::event, {FamilyColumn{-1, {0, 0.0}}}});
  if (o.trend) {
    d.families.push_back({"kink", ChangeKind::event, {FamilyColumn{-1, {1, 0.0}}}});
    // A kink whose new slope bends: the generator's break log(1 + s (t - tau)+ / 365.25)
    // and real slowdowns flatten over the years, and a straight kink fitted to them moves
    // its day to trade the curvature off; a free square term lets the day stay
    // (docs/seasonality.md, I.5).
    d.families.push_back({"kink_curved", ChangeKind::event, {FamilyColumn{-1, {1, 0.0}}, FamilyColumn{-1, {2, 0.0}}}});
    d.families.push_back({"step_kink", ChangeKind::event, {FamilyColumn{-1, {0, 0.0}}, FamilyColumn{-1, {1, 0.0}}}});
  }
  for (const double rho : kTransientDays)
    d.families.push_back({fmt::format("transient{}", static_cast<int>(rho)), ChangeKind::event,
                          {FamilyColumn{-1, {0, rho}}}});
  if (o.seasonal_changes) {
    if (o.weekly > 0) {
      kernels::ChangeFamily f{"weekly", ChangeKind::seasonal, {}};
      for (int c = 0; c < 2 * o.weekly; ++c) f.columns.push_back({weekly + c, {0, 0.0}});
      d.families.push_back(std::move(f));
    }
    if (o.yearly > 0) {
      kernels::ChangeFamily f{"yearly", ChangeKind::seasonal, {}};
      for (int c = 0; c < 2 * std::min(o.yearly, o.yearly_change); ++c)
        f.columns.push_back({yearly + c, {0, 0.0}});
      d.families.push_back(std::move(f));
    }
  }
  return d;
}

kernels::PatternDesign make_generic_design(const std::vector<std::int32_t>& time) {
  return make_generic_design(time, axis_frequency(time, "the panel"));
}

kernels::PatternDesign make_generic_design(const std::vector<std::int32_t>& time, Frequency frequency) {
  kernels::PatternDesign d;
  const int n = static_cast<int>(time.size());
  d.n = n;
  if (n == 0) return d;
  Columns cols;
  std::vector<std::string> names;
  add(cols, names, std::vector<double>(time.size(), 1.0), "intercept");
  std::vector<double> tr(time.size());
  for (int t = 0; t < n; ++t) tr[t] = (t - 0.5 * (n - 1)) / std::max(1, n);
  add(cols, names, std::move(tr), "trend");
  struct Cycle { double period; int pairs; const char* label; };
  Cycle cycle{0.0, 0, ""};
  switch (frequency) {
    case Frequency::daily: cycle = {7.0, 3, "weekly"}; break;
    case Frequency::weekly: cycle = {52.1775, 2, "yearly"}; break;
    case Frequency::monthly: cycle = {12.0, 2, "yearly"}; break;
    case Frequency::quarterly: cycle = {4.0, 1, "yearly"}; break;
    case Frequency::annual:
    case Frequency::index: break;
  }
  if (cycle.pairs > 0 && n >= 2 * cycle.period) {
    // Phase over the rows: each sin/cos pair absorbs the cycle's offset.
    std::vector<std::int32_t> phase(time.size());
    for (int t = 0; t < n; ++t) phase[t] = t;
    harmonics(cols, names, phase, cycle.pairs, cycle.period, cycle.label);
  }
  d.p = static_cast<int>(cols.size());
  d.column_names = names;
  d.X.resize(time.size() * cols.size());
  for (std::size_t t = 0; t < time.size(); ++t)
    for (std::size_t c = 0; c < cols.size(); ++c) d.X[t * cols.size() + c] = cols[c][t];
  using kernels::ChangeKind;
  using kernels::FamilyColumn;
  d.families.push_back({"step", ChangeKind::event, {FamilyColumn{-1, {0, 0.0}}}});
  d.families.push_back({"kink", ChangeKind::event, {FamilyColumn{-1, {1, 0.0}}}});
  d.families.push_back({"step_kink", ChangeKind::event, {FamilyColumn{-1, {0, 0.0}}, FamilyColumn{-1, {1, 0.0}}}});
  return d;
}

}  // namespace turnpoint
