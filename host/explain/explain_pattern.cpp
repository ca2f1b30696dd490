#include "host/explain/explain_pattern.hpp"

#include <chrono>
#include <cmath>

#include "host/core/calendar.hpp"
#include "host/explain/confidence_calibration.hpp"
#include "host/explain/pattern_basis.hpp"
#include "kernels/pattern_noise.hpp"

namespace turnpoint::explain {

kernels::PatternDesign pattern_design(const Panel& panel, const ExplainOptions& o) {
  if (o.model == ExplainModel::generic) return make_generic_design(panel.time, panel.frequency);
  PatternBasisOptions b;
  b.trend = o.trend;
  b.weekly = o.weekly;
  b.yearly = o.pattern_yearly;
  b.holidays = o.holidays;
  b.holiday_file = o.holiday_file;
  b.months = o.months;
  b.seasonal_changes = o.seasonal_changes;
  return make_pattern_design(panel.time, b);
}

kernels::PatternSearchSettings pattern_settings(const ExplainOptions& o) {
  kernels::PatternSearchSettings s;
  s.penalty_multiplier = o.penalty_multiplier;
  s.max_changes = o.max_changes;
  s.min_gap = o.min_gap;
  return s;
}

double month_level_sd(const kernels::PatternNoise& n) {
  const double marginal = n.sigma_e * n.sigma_e / (1.0 - n.phi * n.phi);
  return std::sqrt(n.tau * n.tau + marginal * kernels::ar_mean_variance(30.4, n.phi));
}

namespace {

TurnShape shape_of(const std::string& family) {
  if (family == "step") return TurnShape::level;
  if (family == "kink" || family == "kink_curved") return TurnShape::trend;
  if (family == "step_kink") return TurnShape::level_trend;
  if (family.rfind("transient", 0) == 0) return TurnShape::transient;
  if (family == "weekly") return TurnShape::weekly;
  if (family == "yearly") return TurnShape::yearly;
  return TurnShape::unknown;
}

// Mean of the modelled series over up to `days` non-missing days before `index`.
double level_before(const double* y, int index, int days) {
  double sum = 0.0;
  int n = 0;
  for (int t = index - 1; t >= 0 && n < days; --t)
    if (y[t] == y[t]) {
      sum += y[t];
      ++n;
    }
  return n > 0 ? sum / n : std::nan("");
}

}  // namespace

std::vector<TurningPoint> pattern_points(const kernels::PatternFit& fit,
                                         const kernels::PatternDesign& d, std::int64_t i,
                                         const ModelledPanel& m, const Panel& panel,
                                         const ExplainOptions& o) {
  std::vector<TurningPoint> pts;
  const int T = panel.n_time();
  const double* y = m.values.data() + i * T;
  const double month_sd = month_level_sd(fit.noise);
  for (const kernels::PatternChange& c : fit.changes) {
    TurningPoint tp;
    tp.series = static_cast<std::int32_t>(i);
    tp.index = c.index;
    tp.day = panel.time[c.index];
    tp.kind = d.families[c.family].kind == kernels::ChangeKind::seasonal ? TurnKind::seasonal
                                                                         : TurnKind::event;
    tp.shape = shape_of(d.families[c.family].name);
    tp.gain = c.gain;
    tp.ci_lo = c.ci_lo;
    tp.ci_hi = c.ci_hi;
    // A level under a tenth of the series' typical size (1 in the standardised units) makes
    // a relative step meaningless: a series of zeros that turns on is not "+90,000 %".
    // (The level in the scaled units, the centre added back: its offset decides "relative".)
    const double before = level_before(y, c.index, 7) + m.centre[i] / m.scale[i];
    tp.step = relative_step(c.level_step, before, m.logged[i] != 0, 0.1);
    tp.step_z = month_sd > 0.0 ? std::abs(c.level_step) / (std::sqrt(2.0) * month_sd)
                               : std::numeric_limits<double>::infinity();
    // The calibration was fitted for the pattern model on daily CM-like series: the
    // generic model reports no confidence (NaN) rather than a number it does not mean.
    if (o.model == ExplainModel::pattern)
      tp.confidence = o.calibrate ? pattern_confidence(c.gain, c.penalty, c.ci_hi - c.ci_lo + 1, tp.shape)
                                  : std::log(c.gain / c.penalty);
    pts.push_back(tp);
  }
  return pts;
}

bool reported(const TurningPoint& p, const Panel& panel, bool month_effects,
              const ExplainOptions& o) {
  if (!std::isnan(p.confidence) && p.confidence < o.min_confidence) return false;
  if (month_effects && o.month_step_z > 0.0 && civil_from_days(panel.time[p.index]).day == 1 &&
      !(p.step_z >= o.month_step_z))
    return false;
  return true;
}

void explain_with_pattern(const Panel& panel, const ExplainOptions& o, DetectionSet& set,
                          ExplainTimings* timings, ExplainTally* tally) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const std::int64_t N = panel.n_series();
  const ModelledPanel m = model_scale(panel, o.log_scale, /*standardise=*/true);
  const kernels::PatternDesign d = pattern_design(panel, o);
  const std::vector<kernels::PatternFit> fits =
      kernels::fit_pattern_cpu(d, m.values.data(), N, pattern_settings(o));
  if (timings) timings->detect_s = std::chrono::duration<double>(clock::now() - t0).count();

  describe_panel(panel, set);
  set.config = DetectConfig{};
  set.config.cost = CostKind::regression;
  set.config.noise = NoiseScale::none;
  set.config.max_changes = o.max_changes;
  set.config.min_size = o.min_gap;
  set.config.basis.trend = o.trend;
  set.config.basis.weekly = o.model == ExplainModel::pattern ? o.weekly : 0;
  set.config.basis.yearly = o.model == ExplainModel::pattern ? o.pattern_yearly : 0;
  nlohmann::json provenance;
  provenance["explain"] = explain_settings_json(o);
  provenance["pattern_columns"] = d.column_names;
  std::vector<std::string> families;
  for (const auto& f : d.families) families.push_back(f.name);
  provenance["families"] = families;
  set.config_json = provenance.dump();
  set.backend = "cpu";
  set.points.clear();
  set.summary.assign(static_cast<std::size_t>(N), SeriesSummary{});
  ExplainTally t;
  for (std::int64_t i = 0; i < N; ++i) {
    const kernels::PatternFit& fit = fits[static_cast<std::size_t>(i)];
    std::vector<TurningPoint> kept;
    const bool month_effects = fit.noise.tau > 0.0;
    for (const TurningPoint& p : pattern_points(fit, d, i, m, panel, o)) {
      ++t.candidates;
      if (reported(p, panel, month_effects, o)) kept.push_back(p);
      else if (!std::isnan(p.confidence) && p.confidence < o.min_confidence) ++t.below_confidence;
      else ++t.ordinary_month_steps;
    }
    const std::size_t before_cap = kept.size();
    kept = rank_and_keep(std::move(kept), o.max_points);
    t.over_max_points += static_cast<std::int64_t>(before_cap - kept.size());
    t.reported += static_cast<std::int64_t>(kept.size());
    if (fit.status == SeriesStatus::constant) ++t.series_constant;
    else if (fit.status == SeriesStatus::empty) ++t.series_too_short;
    else if (kept.empty()) ++t.series_none_reported;
    set.points.insert(set.points.end(), kept.begin(), kept.end());
    SeriesSummary& sm = set.summary[static_cast<std::size_t>(i)];
    sm.status = fit.status;
    sm.n_valid = fit.n_valid;
    sm.n_changes = static_cast<std::int32_t>(kept.size());
    sm.penalty = fit.penalty_unit * o.penalty_multiplier;
    sm.sigma = fit.noise.sigma_e * m.scale[static_cast<std::size_t>(i)];
  }
  if (tally) *tally = t;
}

}  // namespace turnpoint::explain
