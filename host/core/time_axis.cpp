#include "host/core/time_axis.hpp"

#include <charconv>

#include <fmt/format.h>

#include "host/core/dates.hpp"
#include "kernels/error.hpp"

namespace turnpoint {

const char* to_string(Frequency f) {
  switch (f) {
    case Frequency::daily: return "daily";
    case Frequency::weekly: return "weekly";
    case Frequency::monthly: return "monthly";
    case Frequency::quarterly: return "quarterly";
    case Frequency::annual: return "annual";
    case Frequency::index: return "index";
  }
  return "?";
}

const char* step_name(Frequency f) {
  switch (f) {
    case Frequency::daily: return "day";
    case Frequency::weekly: return "week";
    case Frequency::monthly: return "calendar month";
    case Frequency::quarterly: return "quarter";
    case Frequency::annual: return "year";
    case Frequency::index: return "step";
  }
  return "?";
}

std::optional<Frequency> parse_frequency(std::string_view text) {
  std::string t(text);
  for (char& c : t)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (t == "daily" || t == "d" || t == "day") return Frequency::daily;
  if (t == "weekly" || t == "w" || t == "week") return Frequency::weekly;
  if (t == "monthly" || t == "m" || t == "ms" || t == "month") return Frequency::monthly;
  if (t == "quarterly" || t == "q" || t == "qs" || t == "quarter") return Frequency::quarterly;
  if (t == "annual" || t == "yearly" || t == "a" || t == "y" || t == "as" || t == "ys" || t == "year")
    return Frequency::annual;
  if (t == "index" || t == "none" || t == "step") return Frequency::index;
  return std::nullopt;
}

namespace {

int month_number(std::int32_t day) {
  const CivilDate c = civil_from_days(day);
  return c.year * 12 + (c.month - 1);
}

// Whether the step from a to b is one step of frequency f.
bool one_step(Frequency f, std::int32_t a, std::int32_t b) {
  switch (f) {
    case Frequency::daily: return b - a == 1;
    case Frequency::weekly: return b - a == 7;
    case Frequency::monthly: return month_number(b) - month_number(a) == 1;
    case Frequency::quarterly: return month_number(b) - month_number(a) == 3;
    case Frequency::annual: return month_number(b) - month_number(a) == 12;
    case Frequency::index: return b - a == 1;
  }
  return false;
}

std::string axis_value(std::int32_t v, Frequency f) {
  return f == Frequency::index ? std::to_string(v) : format_date(v);
}

[[noreturn]] void broken_axis(const std::vector<std::int32_t>& time, std::size_t t,
                              std::optional<Frequency> f, const std::string& file) {
  const Frequency shown = f.value_or(Frequency::daily);
  TURNPOINT_FAIL(
      "{}: /time is not a regular axis: element {} is {} and element {} is {} "
      "({} {} axis steps one {} at a time; a missing step must be a NaN column "
      "of /values, not a gap in the axis)",
      file, t - 1, axis_value(time[t - 1], shown), t, axis_value(time[t], shown),
      f == Frequency::index || f == Frequency::annual ? "an" : "a", f ? to_string(*f) : "regular", f ? step_name(*f) : "day, week, month, quarter or year");
}

}  // namespace

Frequency axis_frequency(const std::vector<std::int32_t>& time, const std::string& file) {
  if (time.size() < 2) return Frequency::daily;
  for (Frequency c : {Frequency::daily, Frequency::weekly, Frequency::monthly,
                      Frequency::quarterly, Frequency::annual})
    if (one_step(c, time[0], time[1])) {
      check_axis(time, c, file);
      return c;
    }
  broken_axis(time, 1, std::nullopt, file);
}

void check_axis(const std::vector<std::int32_t>& time, Frequency f, const std::string& file) {
  for (std::size_t t = 1; t < time.size(); ++t)
    if (!one_step(f, time[t - 1], time[t])) broken_axis(time, t, f, file);
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

std::int64_t period_of(std::int32_t day, Frequency f, std::int32_t anchor) {
  switch (f) {
    case Frequency::daily:
    case Frequency::index: return day;
    case Frequency::weekly: return floor_div(static_cast<std::int64_t>(day) - anchor, 7);
    case Frequency::monthly: return month_number(day);
    case Frequency::quarterly: return floor_div(month_number(day), 3);
    case Frequency::annual: return civil_from_days(day).year;
  }
  return day;
}

std::int32_t period_start(std::int64_t period, Frequency f, std::int32_t anchor) {
  switch (f) {
    case Frequency::daily:
    case Frequency::index: return static_cast<std::int32_t>(period);
    case Frequency::weekly: return static_cast<std::int32_t>(anchor + 7 * period);
    case Frequency::monthly: {
      const std::int64_t y = floor_div(period, 12);
      return days_from_civil(static_cast<int>(y), static_cast<int>(period - 12 * y) + 1, 1);
    }
    case Frequency::quarterly: {
      const std::int64_t y = floor_div(period, 4);
      return days_from_civil(static_cast<int>(y), 3 * static_cast<int>(period - 4 * y) + 1, 1);
    }
    case Frequency::annual: return days_from_civil(static_cast<int>(period), 1, 1);
  }
  return static_cast<std::int32_t>(period);
}

std::string format_time(std::int32_t value, Frequency f) {
  if (f == Frequency::index) return std::to_string(value);
  const CivilDate c = civil_from_days(value);
  switch (f) {
    case Frequency::monthly: return fmt::format("{:04d}-{:02d}", c.year, c.month);
    case Frequency::quarterly: return fmt::format("{:04d}-Q{}", c.year, (c.month - 1) / 3 + 1);
    case Frequency::annual: return fmt::format("{:04d}", c.year);
    default: return format_date(value);
  }
}

const char* to_string(LabelKind k) {
  switch (k) {
    case LabelKind::day: return "date (YYYY-MM-DD)";
    case LabelKind::month: return "month (YYYY-MM)";
    case LabelKind::quarter: return "quarter (YYYY-Qn)";
    case LabelKind::year: return "year (YYYY)";
    case LabelKind::step: return "step number";
  }
  return "?";
}

std::optional<Frequency> label_frequency(LabelKind k) {
  switch (k) {
    case LabelKind::day: return std::nullopt;
    case LabelKind::month: return Frequency::monthly;
    case LabelKind::quarter: return Frequency::quarterly;
    case LabelKind::year: return Frequency::annual;
    case LabelKind::step: return Frequency::index;
  }
  return std::nullopt;
}

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<TimeLabel> parse_time_label(std::string_view t, bool integers_are_steps) {
  // An integer: a step number, or a year when it has four digits and steps were not asked for.
  {
    std::string_view digits = t;
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
    if (all_digits(digits) && digits.size() <= 9) {
      std::int32_t v = 0;
      const char* b = t.data() + (t.front() == '+' ? 1 : 0);
      const auto r = std::from_chars(b, t.data() + t.size(), v);
      if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
      if (!integers_are_steps && t.size() == 4 && digits.size() == 4)
        return TimeLabel{LabelKind::year, days_from_civil(v, 1, 1)};
      return TimeLabel{LabelKind::step, v};
    }
  }
  // A date with a time of day at midnight ("2019-01-01 00:00:00", "2019-01-01T00:00:00"):
  // what pandas and spreadsheets write for dates.
  if (t.size() > 10 && (t[10] == ' ' || t[10] == 'T')) {
    std::string_view clock = t.substr(11);
    if (!clock.empty() && clock.back() == 'Z') clock.remove_suffix(1);
    if (clock == "00:00:00" || clock == "00:00" || clock == "00:00:00.000") t = t.substr(0, 10);
    else return std::nullopt;
  }
  if (t.size() == 10) {
    if (auto d = parse_date(t)) return TimeLabel{LabelKind::day, *d};
    return std::nullopt;
  }
  // YYYY-MM or YYYY/MM
  if (t.size() == 7 && (t[4] == '-' || t[4] == '/') && all_digits(t.substr(0, 4)) &&
      all_digits(t.substr(5, 2))) {
    const int m = to_int(t.substr(5, 2));
    if (m < 1 || m > 12) return std::nullopt;
    return TimeLabel{LabelKind::month, days_from_civil(to_int(t.substr(0, 4)), m, 1)};
  }
  // YYYY-Qn, YYYYQn, YYYY Qn (either case)
  if (t.size() >= 6 && t.size() <= 7 && all_digits(t.substr(0, 4))) {
    std::string_view q = t.substr(4);
    if (q.size() == 3) {
      if (q[0] != '-' && q[0] != ' ') return std::nullopt;
      q.remove_prefix(1);
    }
    if (q.size() == 2 && (q[0] == 'Q' || q[0] == 'q') && q[1] >= '1' && q[1] <= '4')
      return TimeLabel{LabelKind::quarter,
                       days_from_civil(to_int(t.substr(0, 4)), 3 * (q[1] - '1') + 1, 1)};
  }
  return std::nullopt;
}

}  // namespace turnpoint
