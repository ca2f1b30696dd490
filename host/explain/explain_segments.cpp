#include "host/explain/explain_segments.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>

#include "host/core/config_json.hpp"
#include "host/core/dates.hpp"
#include "host/explain/confidence_calibration.hpp"
#include "host/explain/holidays.hpp"
#include "kernels/error.hpp"
#include "kernels/validate_config.hpp"

namespace turnpoint {

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

void classify_and_score(const Panel& panel, const DetectConfig& config,
                        const ExplainOptions& options, DetectionSet& set, Backend backend,
                        ExplainTimings* timings) {
  explain::explain_with_segments(panel, config, options, set, backend, timings);
}

namespace explain {
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

kernels::BootstrapSettings bootstrap_settings(const ExplainOptions& o, const DetectConfig& cfg) {
  kernels::BootstrapSettings bs;
  bs.replicates = o.replicates;
  bs.block = o.block;
  bs.tolerance = o.tolerance;
  bs.search = o.search;
  bs.interval = o.interval;
  bs.alpha = o.alpha;
  bs.min_size = kernels::effective_min_size(cfg);
  bs.mbic = cfg.penalty.kind == PenaltyKind::mbic;
  bs.seed = o.seed;
  return bs;
}

// TurningPoint::step and step_z from the move of the fitted level and the level before (in
// the modelled units). The z divides by the standard deviation of the difference of two
// independent batch means (sqrt 2 x batch_sd): a step no larger than the series'
// month-to-month wandering has z ~ 1. Without a batch scale step_z stays NaN.
void step_of(double move, double level_before, bool logged, double batch_sd, TurningPoint& tp) {
  tp.step = relative_step(move, level_before, logged);
  if (batch_sd == batch_sd)
    tp.step_z = batch_sd > 0.0 ? std::abs(move) / (std::sqrt(2.0) * batch_sd)
                               : std::numeric_limits<double>::infinity();
}

// The scored turning points of series i, before ranking.
std::vector<TurningPoint> segment_points(const Panel& panel, std::int64_t i,
                                         const SeriesDetection& r, const kernels::ChangeList& list,
                                         const std::vector<double>& steps,
                                         const std::vector<double>& before,
                                         const std::vector<kernels::ChangeScore>& scores,
                                         double sigma, bool logged, double batch_sd,
                                         const ExplainOptions& o) {
  std::vector<TurningPoint> pts;
  for (std::int64_t j = list.offsets[i]; j < list.offsets[i + 1]; ++j) {
    TurningPoint tp;
    tp.series = static_cast<std::int32_t>(i);
    tp.index = list.changes[j];
    tp.day = panel.time[tp.index];
    tp.kind = list.kinds[j] == kernels::kKindSeasonal ? TurnKind::seasonal : TurnKind::event;
    tp.gain = r.gains[static_cast<std::size_t>(j - list.offsets[i])];  // RSS decrease / sigma^2
    step_of(steps[j] * sigma, before[j] * sigma, logged, batch_sd, tp);
    if (!list.score.empty() && !list.score[j]) continue;  // not scored: dropped
    if (!scores.empty()) {
      tp.confidence = o.calibrate ? calibrated_confidence(scores[j].confidence, tp.kind, tp.step_z)
                                  : scores[j].confidence;
      tp.ci_lo = scores[j].ci_lo;
      tp.ci_hi = scores[j].ci_hi;
      if (tp.confidence < o.min_confidence) continue;  // not reported
    }
    pts.push_back(tp);
  }
  return pts;
}

}  // namespace

kernels::DesignMatrix segments_design(const Panel& panel, const DetectConfig& cfg) {
  return kernels::make_design(basis_spec(cfg, panel), panel.n_time());
}

void remove_festival_profile(std::vector<double>& values, const Panel& panel,
                             const kernels::DesignMatrix& design, const ExplainOptions& o) {
  const int T = panel.n_time();
  if (!o.festival_profile || o.holidays != HolidayCalendar::china || T == 0) return;
  // The anchors are day offsets from the first day: exact on a gap-free daily axis only.
  if (panel.time.back() - panel.time.front() != T - 1) return;
  std::vector<int> anchors;
  const int y0 = std::max(civil_from_days(panel.time.front()).year - 1, kFirstNewYearTable);
  const int y1 = std::min(civil_from_days(panel.time.back()).year + 1, kLastNewYearTable);
  for (int y = y0; y <= y1; ++y) anchors.push_back(chinese_new_year(y) - panel.time.front());
  kernels::subtract_anchor_profile(values.data(), panel.n_series(), design, anchors, -10, 27);
}

NoiseScales noise_scales(const std::vector<double>& values, std::int64_t n,
                         const kernels::DesignMatrix& design, const ExplainOptions& o) {
  NoiseScales s;
  s.sigma.assign(static_cast<std::size_t>(n), 0.0);
  s.batch_sd.assign(static_cast<std::size_t>(n), 0.0);
  kernels::noise_scale_cpu(values.data(), n, design, s.sigma.data(), o.noise_batch,
                           o.noise_batch_cap, s.batch_sd.data());
  return s;
}

std::vector<double> standardise(const std::vector<double>& values, const std::vector<double>& sigma,
                                int T) {
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < sigma.size(); ++i) {
    const double s = sigma[i] > 0.0 ? sigma[i] : 1.0;
    for (int t = 0; t < T; ++t) out[i * T + t] = values[i * T + t] / s;
  }
  return out;
}

kernels::ChangeList change_list(const DetectResult& det) {
  kernels::ChangeList list;
  const std::size_t N = det.series.size();
  list.offsets.assign(N + 1, 0);
  for (std::size_t i = 0; i < N; ++i) {
    const auto& ch = det.series[i].changes;
    list.offsets[i + 1] = list.offsets[i] + static_cast<std::int64_t>(ch.size());
    list.changes.insert(list.changes.end(), ch.begin(), ch.end());
  }
  return list;
}

void select_scored(const DetectResult& det, int scored, kernels::ChangeList& list) {
  if (scored <= 0) return;
  list.score.assign(list.changes.size(), 1);
  for (std::size_t i = 0; i < det.series.size(); ++i) {
    const auto& g = det.series[i].gains;
    if (static_cast<int>(g.size()) <= scored) continue;
    std::vector<double> sorted(g);
    std::nth_element(sorted.begin(), sorted.begin() + (scored - 1), sorted.end(),
                     std::greater<double>());
    const double cut = sorted[scored - 1];
    int kept = 0;
    for (std::size_t j = 0; j < g.size(); ++j) {
      const bool keep = g[j] > cut || (g[j] == cut && kept < scored);
      list.score[list.offsets[i] + j] = keep ? 1 : 0;
      kept += keep;
    }
  }
}

void explain_with_segments(const Panel& panel, const DetectConfig& config,
                           const ExplainOptions& options, DetectionSet& set, Backend backend,
                           ExplainTimings* timings) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  ExplainTimings ignored;
  ExplainTimings& tm = timings ? *timings : ignored;
  auto lap = [&](double& into) {
    const auto t1 = clock::now();
    into = std::chrono::duration<double>(t1 - t0).count();
    t0 = t1;
  };
  const DetectConfig cfg = explain_config(panel, config, options);
  const std::int64_t N = panel.n_series();
  const int T = panel.n_time();
  TURNPOINT_EXPECTS(panel.values.size() == static_cast<size_t>(N) * T,
                    "panel has {} values for {} series x {} days", panel.values.size(), N, T);
  kernels::validate_config(cfg, T);
  const kernels::DesignMatrix design = segments_design(panel, cfg);

  // Noise scale from the residuals of one fit of the whole basis, then unit-variance
  // series: the regression cost is RSS / sigma^2 and every test below uses inv_var = 1.
  ModelledPanel m = model_scale(panel, options.log_scale, /*standardise=*/false);
  remove_festival_profile(m.values, panel, design, options);
  const NoiseScales noise = noise_scales(m.values, N, design, options);
  const std::vector<double> scaled = standardise(m.values, noise.sigma, T);
  lap(tm.noise_s);

  const DetectResult det = detect(scaled.data(), N, T, panel.time.data(), cfg, backend);
  kernels::ChangeList list = change_list(det);
  lap(tm.detect_s);

  // The split test and the bootstrap run on the backend the detection ran on.
  const bool on_gpu = det.backend_used == Backend::cuda;
  if (on_gpu) classify_on_gpu(scaled.data(), N, design, list, options.alpha);
  else kernels::classify_changes_cpu(scaled.data(), N, design, list, options.alpha, nullptr);
  std::vector<double> steps(list.changes.size()), before(list.changes.size());
  kernels::level_steps_cpu(scaled.data(), N, design, list, kStepWindow, steps.data(), before.data());
  lap(tm.classify_s);

  std::vector<kernels::ChangeScore> scores;
  if (options.replicates > 0) {
    // The bootstrap is the largest workload: only the `scored` largest-gain changes.
    select_scored(det, options.scored, list);
    std::vector<double> pen(static_cast<size_t>(N));
    for (std::int64_t i = 0; i < N; ++i) pen[i] = det.series[i].penalty;
    const kernels::BootstrapSettings bs = bootstrap_settings(options, cfg);
    if (on_gpu) bootstrap_on_gpu(scaled.data(), N, design, list, pen.data(), bs, scores);
    else kernels::bootstrap_changes_cpu(scaled.data(), N, design, list, pen.data(), bs, scores);
  }
  lap(tm.bootstrap_s);

  describe_panel(panel, set);
  set.config = cfg;
  nlohmann::json provenance = config_to_json(cfg);
  provenance["explain"] = explain_settings_json(options);
  set.config_json = provenance.dump();
  set.backend = to_string(det.backend_used);
  set.points.clear();
  set.summary.assign(static_cast<size_t>(N), SeriesSummary{});
  for (std::int64_t i = 0; i < N; ++i) {
    const SeriesDetection& r = det.series[i];
    const double s = noise.sigma[i] > 0.0 ? noise.sigma[i] : 1.0;
    const std::vector<TurningPoint> kept = rank_and_keep(
        segment_points(panel, i, r, list, steps, before, scores, s, m.logged[i] != 0,
                       noise.batch_sd[i], options),
        options.max_points);
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

}  // namespace explain
}  // namespace turnpoint
