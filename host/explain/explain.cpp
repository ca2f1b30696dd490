#include "host/explain/explain.hpp"

#include "host/core/time_axis.hpp"
#include "host/explain/explain_pattern.hpp"
#include "host/explain/explain_segments.hpp"
#include "kernels/error.hpp"

#include <fmt/format.h>

namespace turnpoint {

const char* to_string(ExplainModel m) {
  switch (m) {
    case ExplainModel::pattern: return "pattern";
    case ExplainModel::generic: return "generic";
    case ExplainModel::segments: return "segments";
  }
  return "?";
}

ExplainModel parse_explain_model(const std::string& name) {
  for (ExplainModel m : {ExplainModel::pattern, ExplainModel::generic, ExplainModel::segments})
    if (name == to_string(m)) return m;
  TURNPOINT_FAIL("unknown model '{}' (known: pattern, generic, segments)", name);
}

ModelChoice choose_model(const std::vector<std::int32_t>& time) {
  return choose_model(time, axis_frequency(time, "the panel"));
}

ModelChoice choose_model(const std::vector<std::int32_t>& time, Frequency f) {
  const std::size_t n = time.size();
  if (n < 2) return {ExplainModel::generic, fmt::format("{} time step(s): too short for a calendar", n)};
  if (f == Frequency::index)
    return {ExplainModel::generic, "an index axis (no dates)"};
  if (f != Frequency::daily)
    return {ExplainModel::generic, fmt::format("a {} axis, not daily", to_string(f))};
  const double span = static_cast<double>(time.back() - time.front() + 1);
  if (span < 365.0)
    return {ExplainModel::generic, fmt::format("daily series spanning {:.0f} days (< 1 year)", span)};
  return {ExplainModel::pattern, fmt::format("daily series spanning {:.1f} years", span / 365.25)};
}

void validate(const ExplainOptions& o) {
  TURNPOINT_EXPECTS(o.weekly >= 0 && o.weekly <= 3, "weekly harmonics must be in 0..3 (got {})",
                    o.weekly);
  TURNPOINT_EXPECTS(o.yearly >= 0 && o.yearly <= 4, "yearly harmonics must be in 0..4 (got {})",
                    o.yearly);
  TURNPOINT_EXPECTS(o.alpha > 0.0 && o.alpha < 1.0, "--alpha must be in (0, 1) (got {})", o.alpha);
  TURNPOINT_EXPECTS(o.replicates >= 0, "--bootstrap must be >= 0 (got {})", o.replicates);
  TURNPOINT_EXPECTS(o.block >= 0, "--block must be >= 0 days (got {})", o.block);
  TURNPOINT_EXPECTS(o.tolerance >= 0, "--window must be >= 0 days (got {})", o.tolerance);
  TURNPOINT_EXPECTS(o.search >= o.tolerance, "the re-location search ({} days) must be at least "
                    "the window ({} days)", o.search, o.tolerance);
  TURNPOINT_EXPECTS(o.interval > 0.0 && o.interval < 1.0, "interval coverage must be in (0, 1) "
                    "(got {})", o.interval);
  TURNPOINT_EXPECTS(o.noise_batch_cap >= 1.0, "noise batch cap must be >= 1 (got {})",
                    o.noise_batch_cap);
  TURNPOINT_EXPECTS(o.noise_batch >= 0, "noise batch must be >= 0 days (got {})", o.noise_batch);
  TURNPOINT_EXPECTS(o.penalty_parameters >= 0, "penalty parameters must be >= 0 (got {})",
                    o.penalty_parameters);
  TURNPOINT_EXPECTS(o.model != ExplainModel::segments || o.scored == 0 || o.scored >= o.max_points,
                    "the number of bootstrapped points ({}) must be 0 or >= --max-points ({})",
                    o.scored, o.max_points);
  TURNPOINT_EXPECTS(o.min_confidence >= 0.0 && o.min_confidence <= 1.0,
                    "--min-confidence must be in [0, 1] (got {})", o.min_confidence);
  TURNPOINT_EXPECTS(o.max_points >= 1, "--max-points must be >= 1 (got {})", o.max_points);
  TURNPOINT_EXPECTS(o.holidays != HolidayCalendar::file || !o.holiday_file.empty(),
                    "a holiday file is required with the file calendar");
  TURNPOINT_EXPECTS(o.penalty_multiplier > 0.0, "--penalty-multiplier must be > 0 (got {})",
                    o.penalty_multiplier);
  TURNPOINT_EXPECTS(o.max_changes >= 0, "--max-changes must be >= 0 (got {})", o.max_changes);
  TURNPOINT_EXPECTS(o.min_gap >= 1, "--min-size must be >= 1 day (got {})", o.min_gap);
  TURNPOINT_EXPECTS(o.month_step_z >= 0.0, "the month step rule must be >= 0 (got {})",
                    o.month_step_z);
}

void explain_panel(const Panel& panel, const DetectConfig& base, const ExplainOptions& options,
                   DetectionSet& set, Backend backend, ExplainTimings* timings,
                   ExplainTally* tally) {
  validate(options);
  if (options.model == ExplainModel::segments)
    explain::explain_with_segments(panel, base, options, set, backend, timings);
  else
    explain::explain_with_pattern(panel, options, set, timings, tally);
}

}  // namespace turnpoint
