#include "host/core/time_axis.hpp"

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
  }
  return "?";
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
  }
  return false;
}

}  // namespace

Frequency axis_frequency(const std::vector<std::int32_t>& time, const std::string& file) {
  if (time.size() < 2) return Frequency::daily;
  Frequency f = Frequency::daily;
  bool found = false;
  for (Frequency c : {Frequency::daily, Frequency::weekly, Frequency::monthly,
                      Frequency::quarterly, Frequency::annual})
    if (one_step(c, time[0], time[1])) {
      f = c;
      found = true;
      break;
    }
  for (std::size_t t = 1; t < time.size(); ++t)
    TURNPOINT_EXPECTS(found && one_step(f, time[t - 1], time[t]),
                      "{}: /time is not a regular axis: element {} is {} and element {} is {} "
                      "(a {} axis steps one {} at a time; a missing step must be a NaN column "
                      "of /values, not a gap in the axis)",
                      file, t - 1, format_date(time[t - 1]), t, format_date(time[t]),
                      found ? to_string(f) : "regular",
                      !found                      ? "day, week, month, quarter or year"
                      : f == Frequency::daily     ? "day"
                      : f == Frequency::weekly    ? "week"
                      : f == Frequency::monthly   ? "calendar month"
                      : f == Frequency::quarterly ? "quarter"
                                                  : "year");
  return f;
}

}  // namespace turnpoint
