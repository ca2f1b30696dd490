#include "host/explain/explain.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <vector>

#include "host/core/config_json.hpp"
#include "kernels/error.hpp"
#include "host/explain/confidence_calibration.hpp"
#include "host/core/dates.hpp"
#include "host/explain/holidays.hpp"
#include "kernels/bootstrap_batch.hpp"
#include "kernels/classify_batch.hpp"
#include "kernels/validate_config.hpp"

namespace turnpoint {

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
  TURNPOINT_EXPECTS(o.scored == 0 || o.scored >= o.max_points,
                    "the number of bootstrapped points ({}) must be 0 or >= --max-points ({})",
                    o.scored, o.max_points);
  TURNPOINT_EXPECTS(o.min_confidence >= 0.0 && o.min_confidence <= 1.0,
                    "--min-confidence must be in [0, 1] (got {})", o.min_confidence);
  TURNPOINT_EXPECTS(o.max_points >= 1, "--max-points must be >= 1 (got {})", o.max_points);
  TURNPOINT_EXPECTS(o.holidays != HolidayCalendar::file || !o.holiday_file.empty(),
                    "a holiday file is required with the file calendar");
}

DetectConfig explain_config(const Panel& panel, const DetectConfig& base,
                            const ExplainOptions& o) {
  validate(o);
  DetectConfig c = base;
  c.cost = CostKind::regression;
  c.noise = NoiseScale::none;
  c.crops_min = c.crops_max = -1.0;
  c.basis = RegressionBasis{};
  c.basis.trend = o.trend;
  c.basis.weekly = o.weekly;
  c.basis.yearly = o.yearly;
  HolidayRegressors h;
  if (o.holidays == HolidayCalendar::china) h = china_holiday_regressors(panel.time);
  if (o.holidays == HolidayCalendar::file)
    h = holiday_regressors(read_holiday_file(o.holiday_file), panel.time);
  c.basis.dummy_names = std::move(h.names);
  c.basis.dummies = std::move(h.dummies);
  if (o.penalty_parameters > 0 && c.penalty.kind != PenaltyKind::manual)
    c.penalty = Penalty{PenaltyKind::manual,
                        penalty_value(c.penalty, std::max(panel.n_time(), 2), o.penalty_parameters)};
  return c;
}

namespace {

kernels::BasisSpec basis_spec(const DetectConfig& c, const Panel& panel) {
  kernels::BasisSpec b;
  b.trend = c.basis.trend;
  b.weekly = c.basis.weekly;
  b.yearly = c.basis.yearly;
  b.n_dummies = static_cast<int>(c.basis.dummy_names.size());
  b.days = panel.time.data();
  b.dummies = c.basis.dummies.empty() ? nullptr : c.basis.dummies.data();
  return b;
}

// Days each side over which the level step is measured: a whole week, so the weekly
// cycle cancels.
constexpr int kStepWindow = 7;

// TurningPoint::step and step_z from the move of the fitted level and the level before (in
// the modelled units: logs for a logged series). The z divides by the standard deviation
// of the difference of two independent batch means (sqrt 2 x batch_sd): a step no larger
// than the series' month-to-month wandering has z ~ 1. Without a batch scale (noise_batch 0, short series)
// step_z stays NaN.
void step_of(double move, double level_before, bool logged, double batch_sd,
             TurningPoint& tp) {
  if (logged) tp.step = std::expm1(move);
  else if (level_before != 0.0) tp.step = move / std::abs(level_before);
  if (batch_sd == batch_sd)
    tp.step_z = batch_sd > 0.0 ? std::abs(move) / (std::sqrt(2.0) * batch_sd)
                               : std::numeric_limits<double>::infinity();
}

// The CUDA twins (kernels/classify_cuda.cu, kernels/bootstrap_cuda.cu); only reached when
// the detection ran on the GPU, which needs the CUDA backend compiled in.
void classify_on_gpu(const double* values, std::int64_t n_series, const kernels::DesignMatrix& d,
                     kernels::ChangeList& list, double alpha) {
#if defined(TURNPOINT_HAVE_CUDA)
  kernels::classify_changes_cuda(values, n_series, d, list, alpha, nullptr);
#else
  (void)values; (void)n_series; (void)d; (void)list; (void)alpha;
  throw invalid_input("the split test on the GPU needs the CUDA backend compiled in");
#endif
}

void bootstrap_on_gpu(const double* values, std::int64_t n_series, const kernels::DesignMatrix& d,
                      const kernels::ChangeList& list, const double* penalty,
                      const kernels::BootstrapSettings& s, std::vector<kernels::ChangeScore>& out) {
#if defined(TURNPOINT_HAVE_CUDA)
  kernels::bootstrap_changes_cuda(values, n_series, d, list, penalty, s, out);
#else
  (void)values; (void)n_series; (void)d; (void)list; (void)penalty; (void)s; (void)out;
  throw invalid_input("the bootstrap on the GPU needs the CUDA backend compiled in");
#endif
}

}  // namespace

void classify_and_score(const Panel& panel, const DetectConfig& config,
                        const ExplainOptions& options, DetectionSet& set, Backend backend,
                        ExplainTimings* timings) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  auto lap = [&](double* into) {
    const auto t1 = clock::now();
    if (timings) *into = std::chrono::duration<double>(t1 - t0).count();
    t0 = t1;
  };
  ExplainTimings dummy;
  ExplainTimings& tm = timings ? *timings : dummy;
  const DetectConfig cfg = explain_config(panel, config, options);
  const std::int64_t N = panel.n_series();
  const int T = panel.n_time();
  TURNPOINT_EXPECTS(panel.values.size() == static_cast<size_t>(N) * T,
                    "panel has {} values for {} series x {} days", panel.values.size(), N, T);
  kernels::validate_config(cfg, T);
  const kernels::DesignMatrix design = kernels::make_design(basis_spec(cfg, panel), T);

  // Noise scale from the residuals of one fit of the whole basis, then unit-variance
  // series: the regression cost is RSS / sigma^2 and every test below uses inv_var = 1.
  std::vector<double> modelled(panel.values);
  std::vector<std::uint8_t> logged(static_cast<size_t>(N), 0);
  if (options.log_scale)
    for (std::int64_t i = 0; i < N; ++i) {
      double* y = modelled.data() + i * T;
      bool positive = true, any = false;
      for (int t = 0; t < T; ++t)
        if (y[t] == y[t]) { any = true; positive = positive && y[t] > 0.0; }
      if (!positive || !any) continue;
      for (int t = 0; t < T; ++t) y[t] = std::log(y[t]);  // NaN stays NaN
      logged[i] = 1;
    }
  if (options.festival_profile && options.holidays == HolidayCalendar::china && T > 0) {
    std::vector<int> anchors;
    const int y0 = std::max(civil_from_days(panel.time.front()).year - 1, kFirstNewYearTable);
    const int y1 = std::min(civil_from_days(panel.time.back()).year + 1, kLastNewYearTable);
    for (int y = y0; y <= y1; ++y) anchors.push_back(chinese_new_year(y) - panel.time.front());
    // The anchors are day offsets from the first day: exact on a gap-free daily axis.
    if (panel.time.back() - panel.time.front() == T - 1)
      kernels::subtract_anchor_profile(modelled.data(), N, design, anchors, -10, 27);
  }
  std::vector<double> sigma(static_cast<size_t>(N)), batch_sd(static_cast<size_t>(N));
  kernels::noise_scale_cpu(modelled.data(), N, design, sigma.data(), options.noise_batch,
                            options.noise_batch_cap, batch_sd.data());
  std::vector<double> scaled(panel.values.size());
  for (std::int64_t i = 0; i < N; ++i) {
    const double s = sigma[i] > 0.0 ? sigma[i] : 1.0;
    for (int t = 0; t < T; ++t) scaled[i * T + t] = modelled[i * T + t] / s;
  }
  lap(&tm.noise_s);
  const DetectResult det = detect(scaled.data(), N, T, panel.time.data(), cfg, backend);

  kernels::ChangeList list;
  list.offsets.assign(static_cast<size_t>(N) + 1, 0);
  for (std::int64_t i = 0; i < N; ++i) {
    const auto& ch = det.series[i].changes;
    list.offsets[i + 1] = list.offsets[i] + static_cast<std::int64_t>(ch.size());
    list.changes.insert(list.changes.end(), ch.begin(), ch.end());
  }
  lap(&tm.detect_s);
  // The split test and the bootstrap run on the backend the detection ran on.
  const bool on_gpu = det.backend_used == Backend::cuda;
  if (on_gpu) classify_on_gpu(scaled.data(), N, design, list, options.alpha);
  else kernels::classify_changes_cpu(scaled.data(), N, design, list, options.alpha, nullptr);
  std::vector<double> steps(list.changes.size()), before(list.changes.size());
  kernels::level_steps_cpu(scaled.data(), N, design, list, kStepWindow, steps.data(),
                           before.data());
  lap(&tm.classify_s);

  std::vector<kernels::ChangeScore> scores;
  if (options.replicates > 0) {
    // Bootstrap only the `scored` largest-gain changes of each series (the bootstrap is
    // the largest workload; the rest are dropped below).
    if (options.scored > 0) {
      list.score.assign(list.changes.size(), 1);
      for (std::int64_t i = 0; i < N; ++i) {
        const auto& g = det.series[i].gains;
        if (static_cast<int>(g.size()) <= options.scored) continue;
        std::vector<double> sorted(g);
        std::nth_element(sorted.begin(), sorted.begin() + (options.scored - 1), sorted.end(),
                         std::greater<double>());
        const double cut = sorted[options.scored - 1];
        int kept = 0;
        for (size_t j = 0; j < g.size(); ++j) {
          const bool keep = g[j] > cut || (g[j] == cut && kept < options.scored);
          list.score[list.offsets[i] + j] = keep ? 1 : 0;
          kept += keep;
        }
      }
    }
    kernels::BootstrapSettings bs;
    bs.replicates = options.replicates;
    bs.block = options.block;
    bs.tolerance = options.tolerance;
    bs.search = options.search;
    bs.interval = options.interval;
    bs.alpha = options.alpha;
    bs.min_size = kernels::effective_min_size(cfg);
    bs.mbic = cfg.penalty.kind == PenaltyKind::mbic;
    bs.seed = options.seed;
    std::vector<double> pen(static_cast<size_t>(N));
    for (std::int64_t i = 0; i < N; ++i) pen[i] = det.series[i].penalty;
    if (on_gpu) bootstrap_on_gpu(scaled.data(), N, design, list, pen.data(), bs, scores);
    else kernels::bootstrap_changes_cpu(scaled.data(), N, design, list, pen.data(), bs, scores);
  }
  lap(&tm.bootstrap_s);

  if (set.time.empty()) set.time = panel.time;
  if (set.region.empty()) set.region = panel.region;
  if (set.sector.empty()) set.sector = panel.sector;
  if (set.series_id.empty()) set.series_id = panel.series_id;
  if (set.units.empty()) set.units = panel.units;
  set.config = cfg;
  // Traceable: the detection settings plus every explanation setting.
  nlohmann::json provenance = config_to_json(cfg);
  provenance["explain"] = {{"trend", options.trend},
                  {"weekly", options.weekly},
                  {"yearly", options.yearly},
                  {"holidays", options.holidays == HolidayCalendar::china  ? "china"
                               : options.holidays == HolidayCalendar::file ? options.holiday_file
                                                                           : "none"},
                  {"log_scale", options.log_scale},
                  {"noise_batch", options.noise_batch},
                  {"noise_batch_cap", options.noise_batch_cap},
                  {"festival_profile", options.festival_profile},
                  {"penalty_parameters", options.penalty_parameters},
                  {"alpha", options.alpha},
                  {"bootstrap", options.replicates},
                  {"block", options.block},
                  {"window", options.tolerance},
                  {"search", options.search},
                  {"scored", options.scored},
                  {"interval", options.interval},
                  {"calibration", options.calibrate ? calibration_source() : "none (stability)"},
                  {"seed", options.seed},
                  {"min_confidence", options.min_confidence},
                  {"max_points", options.max_points}};
  set.config_json = provenance.dump();
  set.backend = to_string(det.backend_used);
  set.points.clear();
  set.summary.assign(static_cast<size_t>(N), SeriesSummary{});
  for (std::int64_t i = 0; i < N; ++i) {
    const SeriesDetection& r = det.series[i];
    const double s = sigma[i] > 0.0 ? sigma[i] : 1.0;
    std::vector<TurningPoint> pts;
    for (std::int64_t j = list.offsets[i]; j < list.offsets[i + 1]; ++j) {
      const size_t local = static_cast<size_t>(j - list.offsets[i]);
      TurningPoint tp;
      tp.series = static_cast<std::int32_t>(i);
      tp.index = list.changes[j];
      tp.day = panel.time[tp.index];
      tp.kind = list.kinds[j] == kernels::kKindSeasonal ? TurnKind::seasonal : TurnKind::event;
      tp.gain = r.gains[local];  // cost units: RSS decrease / sigma^2
      step_of(steps[j] * s, before[j] * s, logged[i] != 0, batch_sd[i], tp);
      if (!list.score.empty() && !list.score[j]) continue;  // not scored: dropped
      if (!scores.empty()) {
        tp.confidence = options.calibrate
                            ? calibrated_confidence(scores[j].confidence, tp.kind, tp.step_z)
                            : scores[j].confidence;
        tp.ci_lo = scores[j].ci_lo;
        tp.ci_hi = scores[j].ci_hi;
        if (tp.confidence < options.min_confidence) continue;  // not reported
      }
      pts.push_back(tp);
    }
    // Rank by confidence (when computed), then by gain; keep the first max_points.
    std::vector<size_t> order(pts.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const double ca = std::isnan(pts[a].confidence) ? 0.0 : pts[a].confidence;
      const double cb = std::isnan(pts[b].confidence) ? 0.0 : pts[b].confidence;
      if (ca != cb) return ca > cb;
      return pts[a].gain > pts[b].gain;
    });
    const size_t keep = std::min(order.size(), static_cast<size_t>(options.max_points));
    std::vector<TurningPoint> kept;
    for (size_t k = 0; k < keep; ++k) {
      pts[order[k]].rank = static_cast<std::int32_t>(k + 1);
      kept.push_back(pts[order[k]]);
    }
    std::sort(kept.begin(), kept.end(),
              [](const TurningPoint& a, const TurningPoint& b) { return a.index < b.index; });
    set.points.insert(set.points.end(), kept.begin(), kept.end());

    SeriesSummary& sm = set.summary[i];
    sm.status = r.status;
    sm.n_valid = r.n_valid;
    sm.n_changes = static_cast<std::int32_t>(kept.size());
    sm.cost = r.cost;
    sm.penalty = r.penalty;
    sm.sigma = s;
  }
}

}  // namespace turnpoint
