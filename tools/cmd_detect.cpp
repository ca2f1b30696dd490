// turnpoint detect series.h5 -o detections.h5: the turning points of every series of a
// panel, written with the settings that made them.
//
// With no option it runs the best model turnpoint has for the data and says which on stderr
// (host/explain/explain.hpp, choose_model): the pattern model for daily series spanning a
// year or more, the generic model otherwise. Giving a solver setting (--method, --cost,
// --penalty, --noise, --crops) runs that raw solver instead, exactly as asked.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "host/core/detect_options.hpp"
#include "host/core/detections.hpp"
#include "host/core/output_guard.hpp"
#include "host/core/panel_fingerprint.hpp"
#include "host/core/progress.hpp"
#include "host/explain/explain.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/series_io.hpp"
#include "kernels/error.hpp"
#include "tools/command_registry.hpp"

namespace turnpoint::cli {
namespace {

struct DetectArgs {
  std::string input, output;
  DetectOptions opts;
  bool quiet = false;
  std::string model = "auto";
  bool kinds = false;       // legacy: the explanation path (see resolve)
  bool confidence = false;  // legacy
  ExplainOptions explain;
  std::string holidays = "china";
  CLI::App* app = nullptr;  // to ask which options the user gave
  bool given(const char* name) const { return app->count(name) > 0; }
};

// What runs: a raw solver when a solver setting is given (and no model is named), else a
// model (auto = chosen from the axis). --kinds/--confidence with solver settings are the
// previous explanation path (the segments model with that solver).
struct Mode {
  bool raw = false;
  ExplainModel model = ExplainModel::pattern;
  std::string why;
};
Mode resolve(const DetectArgs& a, const Panel& panel) {
  const bool solver = a.given("--method") || a.given("--cost") || a.given("--penalty") ||
                      a.given("--noise") || a.given("--crops");
  Mode m;
  if (a.model == "auto" && !a.given("--model") && solver) {
    if (a.kinds || a.confidence) {
      m.model = ExplainModel::segments;
      m.why = "--kinds/--confidence with solver settings";
    } else {
      m.raw = true;
      m.why = "solver settings given";
    }
    return m;
  }
  if (a.model == "auto") {
    const ModelChoice c = choose_model(panel.time);
    m.model = c.model;
    m.why = c.reason;
  } else {
    m.model = parse_explain_model(a.model);
    m.why = "--model";
  }
  return m;
}

// ---- the models ------------------------------------------------------------------------

void print_tally(const ExplainTally& t, const ExplainOptions& ex, std::int64_t n_series) {
  std::fprintf(stderr, "turnpoint detect: %lld candidate turning points, %lld reported",
               static_cast<long long>(t.candidates), static_cast<long long>(t.reported));
  std::string dropped;
  auto part = [&](std::int64_t n, const std::string& why) {
    if (n > 0) dropped += (dropped.empty() ? "" : ", ") + std::to_string(n) + " " + why;
  };
  part(t.below_confidence, "below confidence " + fmt::format("{:g}", ex.min_confidence));
  part(t.ordinary_month_steps, "ordinary month steps");
  part(t.over_max_points, "beyond --max-points " + std::to_string(ex.max_points));
  if (!dropped.empty()) std::fprintf(stderr, " (dropped: %s)", dropped.c_str());
  std::fprintf(stderr, "\n");
  const std::int64_t none = t.series_constant + t.series_too_short + t.series_none_reported;
  if (none > 0)
    std::fprintf(stderr,
                 "turnpoint detect: %lld of %lld series have no turning point: %lld constant or "
                 "all zero, %lld too short, %lld with nothing reported\n",
                 static_cast<long long>(none), static_cast<long long>(n_series),
                 static_cast<long long>(t.series_constant),
                 static_cast<long long>(t.series_too_short),
                 static_cast<long long>(t.series_none_reported));
}

// The segments model's own options are an error with another model: silently ignoring a
// setting the user typed would be a wrong answer to the question asked.
void refuse_segments_options(const DetectArgs& a, ExplainModel model) {
  if (model == ExplainModel::segments) return;
  for (const char* o : {"--bootstrap", "--window", "--search", "--block", "--scored", "--alpha", "--seed"})
    TURNPOINT_EXPECTS(!a.given(o), "{} applies to the segments model only (--model segments); "
                      "this run uses the {} model", o, to_string(model));
}

void run_model(const DetectArgs& a, const Panel& panel, const Mode& mode) {
  refuse_segments_options(a, mode.model);
  TURNPOINT_EXPECTS(mode.model == ExplainModel::segments || a.opts.backend != "cuda",
                    "--backend cuda: the {} model runs on the CPU only (its GPU twin is not "
                    "written yet); use --backend auto or cpu, or a raw solver", to_string(mode.model));
  ExplainOptions ex = a.explain;
  ex.model = mode.model;
  if (a.given("--weekly")) ex.weekly = a.opts.weekly;
  if (a.given("--yearly")) ex.yearly = ex.pattern_yearly = a.opts.yearly;
  if (a.given("--trend")) ex.trend = a.opts.trend;
  if (a.given("--max-changes")) ex.max_changes = a.opts.max_changes;
  if (a.given("--min-size")) ex.min_gap = a.opts.min_size;
  if (a.holidays == "china") {
    ex.holidays = HolidayCalendar::china;
  } else if (a.holidays == "none") {
    ex.holidays = HolidayCalendar::none;
  } else {
    ex.holidays = HolidayCalendar::file;
    ex.holiday_file = a.holidays;
  }
  if (ex.model == ExplainModel::generic) {
    // No calendar: the series as it is (no logs), changes 3 steps apart at the least.
    if (!a.given("--min-size")) ex.min_gap = 3;
    ex.log_scale = false;
  }
  DetectConfig base;
  if (ex.model == ExplainModel::segments) {
    if (a.kinds && !a.confidence) ex.replicates = 0;
    DetectOptions base_opts = a.opts;
    base_opts.cost = "regression";
    // Binary segmentation unless asked otherwise: on the 21-column basis PELT prunes
    // nothing inside a long segment (docs/seasonality.md, "Speed").
    if (!a.given("--method")) base_opts.method = "binseg";
    if (!a.given("--max-changes")) base_opts.max_changes = 20;
    base = base_opts.to_config(panel);
  }
  validate(ex);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: model %s (%s), %lld series x %d time steps\n",
                 to_string(ex.model), mode.why.c_str(), static_cast<long long>(panel.n_series()),
                 panel.n_time());
  DetectionSet set;
  set.input = a.input;
  set.input_fingerprint = panel_fingerprint(panel);
  ExplainTally tally;
  explain_panel(panel, base, ex, set, parse_backend(a.opts.backend), nullptr, &tally);
  write_detections(a.output, set);
  if (!a.quiet) {
    if (ex.model != ExplainModel::segments) print_tally(tally, ex, panel.n_series());
    std::fprintf(stderr, "turnpoint detect: %zu turning points -> %s\n", set.points.size(),
                 a.output.c_str());
  }
}

// ---- the raw solvers -------------------------------------------------------------------

// Settings that hit a limit or depend on the data's scale: said once, before the run.
void warn_about_settings(const DetectArgs& a, const DetectConfig& c, const Panel& panel) {
  if (a.quiet) return;
  if (a.given("--max-changes") && (c.method == Method::pelt || c.method == Method::op))
    std::fprintf(stderr, "turnpoint detect: warning: --max-changes is ignored by --method %s "
                         "(the penalty decides the number of changes)\n", to_string(c.method));
  if (c.noise == NoiseScale::none && (c.cost == CostKind::mean || c.cost == CostKind::regression) &&
      c.penalty.kind != PenaltyKind::manual)
    std::fprintf(stderr, "turnpoint detect: warning: --noise none compares the penalty with the "
                         "raw sum of squares: the answer depends on the units of the data\n");
  if (c.cost == CostKind::poisson) {
    const bool counts = std::all_of(panel.values.begin(), panel.values.end(), [](double v) {
      return std::isnan(v) || (v >= 0.0 && v == std::floor(v));
    });
    if (!counts)
      std::fprintf(stderr, "turnpoint detect: warning: --cost poisson on values that are not "
                           "counts (non-integer or negative): the answer depends on the units\n");
  }
}

void warn_about_result(const DetectArgs& a, const DetectConfig& c, const DetectResult& r) {
  if (a.quiet || c.method != Method::binseg || r.series.empty()) return;
  std::size_t at_cap = 0, ok = 0;
  for (const auto& s : r.series) {
    if (s.status != SeriesStatus::ok) continue;
    ++ok;
    at_cap += static_cast<int>(s.changes.size()) >= c.max_changes ? 1 : 0;
  }
  if (ok > 0 && at_cap == ok)
    std::fprintf(stderr, "turnpoint detect: warning: binary segmentation stopped at --max-changes "
                         "%d in every series: there may be more (raise --max-changes)\n",
                 c.max_changes);
}

void run_raw(const DetectArgs& a, const Panel& panel) {
  const DetectConfig config = a.opts.to_config(panel);
  const Backend backend = parse_backend(a.opts.backend);
  const std::int64_t n = panel.n_series();
  warn_about_settings(a, config, panel);

  // Chunks only to report progress; with no progress bar the whole panel is one batch.
  Progress progress("detect", n, a.quiet);
  const std::int64_t chunk = progress.enabled() ? std::max<std::int64_t>(1, n / 50) : std::max<std::int64_t>(n, 1);
  DetectResult result;
  result.series.reserve(static_cast<size_t>(n));
  for (std::int64_t start = 0; start < n; start += chunk) {
    const std::int64_t len = std::min(chunk, n - start);
    DetectResult part;
    try {
      part = detect(panel.row(start), len, panel.n_time(), panel.time.data(), config, backend);
    } catch (const invalid_input& e) {
      // The engine names series by row; say which series that is.
      std::string msg = e.what();
      const std::string key = "series ";
      if (msg.rfind(key, 0) == 0) {
        const long row = std::strtol(msg.c_str() + key.size(), nullptr, 10) + start;
        if (row >= 0 && row < n)
          msg = fmt::format("{}: series {} ({}){}", a.input, row, panel.series_id[row],
                            msg.substr(msg.find(':')));
      }
      throw invalid_input(msg);
    }
    result.backend_used = part.backend_used;
    for (auto& s : part.series) result.series.push_back(std::move(s));
    progress.update(start + len);
  }
  progress.finish();
  warn_about_result(a, config, result);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: raw solver %s/%s/%s (solver settings given), backend "
                         "%s, %lld series x %d days\n",
                 to_string(config.method), to_string(config.cost), to_string(config.penalty).c_str(),
                 to_string(result.backend_used), static_cast<long long>(n), panel.n_time());
  const DetectionSet set = make_detection_set(panel, config, result, a.input);
  write_detections(a.output, set);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: %zu turning points -> %s\n", set.points.size(),
                 a.output.c_str());
}

void run_detect(const DetectArgs& a) {
  const bool holiday_file = a.holidays != "china" && a.holidays != "none";
  refuse_output_that_is_input(a.output, {a.input, holiday_file ? a.holidays : ""}, "detect");
  const Panel panel = read_series(a.input);
  const Mode mode = resolve(a, panel);
  if (mode.raw) return run_raw(a, panel);
  run_model(a, panel, mode);
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* sub = root.add_subcommand(
      "detect",
      "Find the turning points of every series in series.h5 and write detections.h5. With no "
      "option: the pattern model for daily series spanning a year or more (trend, weekly and "
      "yearly cycles, holidays and month effects modelled; kinds, confidence, intervals), the "
      "generic model otherwise; a solver setting (--method/--cost/--penalty/--noise/--crops) "
      "runs that solver as asked");
  sub->add_option("series", args->input, "Input panel (series.h5, see `turnpoint import`)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", args->output, "Output detections.h5")->required();
  sub->add_option("--model", args->model,
                  "auto (pattern for daily series >= 1 year, else generic), pattern, generic, or "
                  "segments (the previous explanation pipeline)")
      ->check(CLI::IsMember({"auto", "pattern", "generic", "segments"}))
      ->capture_default_str();
  add_detect_options(*sub, args->opts);
  sub->add_flag("-q,--quiet", args->quiet, "No progress bar or summary on stderr");
  auto* ex = &args->explain;
  const char* group = "Models (docs/seasonality.md)";
  sub->add_option("--max-points", ex->max_points, "At most K turning points per series, by confidence then gain")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(group);
  sub->add_option("--min-confidence", ex->min_confidence,
                  "Report only turning points whose calibrated confidence is at least this (0.5: "
                  "more likely real than not; 0: every one found)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(group);
  sub->add_option("--month-step-z", ex->month_step_z,
                  "A turning point on the 1st of a month in a series with month effects is reported "
                  "only when its step is at least this many month-to-month standard deviations (0: "
                  "no rule)")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(group);
  sub->add_option("--penalty-scale", ex->penalty_multiplier,
                  "Multiplies the pattern/generic model's penalty (k + 2) log n per change")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(group);
  sub->add_option("--month-effects", ex->months,
                  "Pattern model: model month-to-month level steps as noise (month random effects; "
                  "their size is estimated per series, 0 where there are none)")
      ->capture_default_str()->group(group);
  sub->add_option("--holidays", args->holidays, "Holidays of the pattern: china, none, or a CSV file date,name")
      ->capture_default_str()->group(group);
  sub->add_flag("--kinds", args->kinds,
                "The explanation path (the default model already gives kinds and confidence; "
                "with solver settings: the segments model with that solver, no bootstrap)")
      ->group(group);
  sub->add_flag("--confidence", args->confidence,
                "As --kinds, with the segments model's bootstrap confidence")
      ->group(group);
  const char* seg = "Segments model only (--model segments)";
  sub->add_option("--bootstrap", ex->replicates, "Bootstrap replicates B")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(seg);
  sub->add_option("--window", ex->tolerance, "h: a replicate's turning point counts within +-h days")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(seg);
  sub->add_option("--search", ex->search, "W: a replicate re-locates a turning point within +-W days")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(seg);
  sub->add_option("--block", ex->block, "Bootstrap block length in days (0 = max(14, n^(1/3)))")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(seg);
  sub->add_option("--scored", ex->scored, "Bootstrap only the M largest-gain turning points per series (0 = all)")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(seg);
  sub->add_option("--alpha", ex->alpha, "Level of the seasonal-group test")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(seg);
  sub->add_option("--seed", ex->seed, "Bootstrap random seed")->capture_default_str()->group(seg);
  args->app = sub;
  sub->callback([args] { run_detect(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
