// The time axis of a panel: strictly increasing days since 1970-01-01 at one regular
// frequency -- daily, weekly, monthly (one point per calendar month), quarterly or annual --
// or an index axis (no dates: consecutive step numbers, usually 0..T-1). The frequency decides
// the default model (host/explain/explain.hpp) and the seasonal terms of the generic model,
// and the precision dates are printed at; a missing step is a NaN column of /values, never a
// gap in the axis. series.h5 stores it (root attribute `frequency`, docs/schema.md); files
// written before have dated axes only and get it from axis_frequency.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace turnpoint {

enum class Frequency { daily, weekly, monthly, quarterly, annual, index };
const char* to_string(Frequency f);
// "daily"/"D", "weekly"/"W", "monthly"/"M"/"MS", "quarterly"/"Q"/"QS",
// "annual"/"yearly"/"A"/"Y"/"AS"/"YS", "index" (case-insensitive); nullopt otherwise.
std::optional<Frequency> parse_frequency(std::string_view text);
// The unit one step of f moves: "day", "week", "calendar month", "quarter", "year", "step".
const char* step_name(Frequency f);

// The frequency of a dated `time` axis (2 or more points), or throws invalid_input naming
// `file` and the first element that breaks it. A single point or an empty axis counts as
// daily. Never returns index (an index axis cannot be told from days; it is stored).
Frequency axis_frequency(const std::vector<std::int32_t>& time, const std::string& file);

// Throws invalid_input naming `file` and the first element unless `time` steps one f at a
// time (index: consecutive integers).
void check_axis(const std::vector<std::int32_t>& time, Frequency f, const std::string& file);

// Calendar periods: the number of the period (day, month, quarter or year; weeks are
// counted from `anchor`, a day of the week's first day) holding `day`, and the first day of
// a period number. index steps are their own numbers.
std::int64_t period_of(std::int32_t day, Frequency f, std::int32_t anchor = 0);
std::int32_t period_start(std::int64_t period, Frequency f, std::int32_t anchor = 0);

// One axis value at the axis' precision: 2021-03-04 (daily, weekly: the week's first day),
// 2021-03, 2021-Q1, 2021, or the step number of an index axis.
std::string format_time(std::int32_t value, Frequency f);

// A time label as tables write them. day: YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY (and an ISO time
// of day 00:00:00 after a date); month: YYYY-MM or YYYY/MM; quarter: YYYY-Qn, YYYYQn or
// "YYYY Qn"; year: YYYY (four digits); step: any other integer, or every integer when
// `integers_are_steps` (an index axis asked for).
enum class LabelKind { day, month, quarter, year, step };
const char* to_string(LabelKind k);
struct TimeLabel {
  LabelKind kind = LabelKind::day;
  std::int32_t value = 0;  // day, month, quarter, year: the period's first day; step: itself
};
std::optional<TimeLabel> parse_time_label(std::string_view text, bool integers_are_steps = false);
// The frequency a label kind implies (day: nullopt, decided by the steps between dates).
std::optional<Frequency> label_frequency(LabelKind k);

}  // namespace turnpoint
