// turnpoint detect series.h5 -o detections.h5 [settings]: run an exact change-point search
// over every series of a panel and write detections.h5 with the settings that made it.
#include <algorithm>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/command_registry.hpp"
#include "host/core/detect_options.hpp"
#include "host/core/detections.hpp"
#include "host/io/detections_io.hpp"
#include "kernels/error.hpp"
#include "host/explain/explain.hpp"
#include "host/core/progress.hpp"
#include "host/io/series_io.hpp"

namespace turnpoint::cli {
namespace {

struct DetectArgs {
  std::string input, output;
  DetectOptions opts;
  bool quiet = false;
  // Turning points that mean something (host/explain/explain.hpp, docs/seasonality.md).
  bool kinds = false;
  bool confidence = false;
  ExplainOptions explain;
  std::string holidays = "china";
  CLI::App* app = nullptr;  // to ask which options the user gave
};

// `--kinds` / `--confidence`: detection on the regression cost over the model of the
// regular pattern, then kind, bootstrap confidence and interval, and ranking.
void run_explain(const DetectArgs& a) {
  const Panel panel = read_series(a.input);
  ExplainOptions ex = a.explain;
  if (a.app->count("--weekly")) ex.weekly = a.opts.weekly;
  if (a.app->count("--yearly")) ex.yearly = a.opts.yearly;
  ex.trend = a.opts.trend;
  if (a.holidays == "china") {
    ex.holidays = HolidayCalendar::china;
  } else if (a.holidays == "none") {
    ex.holidays = HolidayCalendar::none;
  } else {
    ex.holidays = HolidayCalendar::file;
    ex.holiday_file = a.holidays;
  }
  if (!a.confidence) ex.replicates = 0;
  validate(ex);
  DetectOptions base_opts = a.opts;
  base_opts.cost = "regression";
  // Binary segmentation unless asked otherwise: on the 21-column basis PELT prunes nothing
  // inside a long segment (minutes for the real panel), and the confidence calibration map
  // was fitted with binary segmentation (docs/seasonality.md, "Speed").
  if (!a.app->count("--method")) base_opts.method = "binseg";
  if (!a.app->count("--max-changes")) base_opts.max_changes = 20;
  const DetectConfig base = base_opts.to_config(panel);
  DetectionSet set;
  set.input = a.input;
  classify_and_score(panel, base, ex, set, parse_backend(a.opts.backend));
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: backend %s, %lld series x %d days, kinds%s\n",
                 set.backend.c_str(), static_cast<long long>(panel.n_series()), panel.n_time(),
                 a.confidence ? " and bootstrap confidence" : "");
  write_detections(a.output, set);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: %zu turning points -> %s\n", set.points.size(),
                 a.output.c_str());
}

void run_detect(const DetectArgs& a) {
  if (a.kinds || a.confidence) return run_explain(a);
  const Panel panel = read_series(a.input);
  const DetectConfig config = a.opts.to_config(panel);
  const Backend backend = parse_backend(a.opts.backend);
  const std::int64_t n = panel.n_series();

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
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: backend %s, %lld series x %d days\n",
                 to_string(result.backend_used), static_cast<long long>(n), panel.n_time());
  const DetectionSet set = make_detection_set(panel, config, result, a.input);
  write_detections(a.output, set);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: %zu turning points -> %s\n", set.points.size(),
                 a.output.c_str());
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* sub = root.add_subcommand(
      "detect", "Find the turning points of every series in series.h5 and write detections.h5");
  sub->add_option("series", args->input, "Input panel (series.h5, see `turnpoint import`)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", args->output, "Output detections.h5")->required();
  add_detect_options(*sub, args->opts);
  sub->add_flag("-q,--quiet", args->quiet, "No progress bar or summary on stderr");
  auto* ex = &args->explain;
  const char* group = "Kinds and confidence (docs/seasonality.md)";
  sub->add_flag("--kinds", args->kinds,
                "Classify each turning point as event or seasonal: detection (binseg, at most 20 "
                "changes, unless --method/--max-changes say otherwise) with the regression "
                "cost on trend + weekly + yearly harmonics + holidays (so the regular cycle and "
                "the Spring Festival dip are modelled, not detected), then a test on which "
                "coefficient group changed")
      ->group(group);
  sub->add_flag("--confidence", args->confidence,
                "Also a block-bootstrap confidence and an interval for each day (implies --kinds)")
      ->group(group);
  sub->add_option("--bootstrap", ex->replicates, "Bootstrap replicates B")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(group);
  sub->add_option("--window", ex->tolerance, "h: a replicate's turning point counts within +-h days")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(group);
  sub->add_option("--search", ex->search, "W: a replicate re-locates a turning point within +-W days")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(group);
  sub->add_option("--block", ex->block, "Bootstrap block length in days (0 = max(14, n^(1/3)))")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(group);
  sub->add_option("--scored", ex->scored, "Bootstrap only the M largest-gain turning points per series (0 = all)")
      ->check(CLI::NonNegativeNumber)->capture_default_str()->group(group);
  sub->add_option("--max-points", ex->max_points, "At most K turning points per series, by confidence then gain")
      ->check(CLI::PositiveNumber)->capture_default_str()->group(group);
  sub->add_option("--min-confidence", ex->min_confidence,
                  "With --confidence: report only turning points whose calibrated confidence is at "
                  "least this (0.5: more likely real than not; 0: every scored point)")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(group);
  sub->add_option("--holidays", args->holidays, "Holiday regressors: china, none, or a CSV file date,name")
      ->capture_default_str()->group(group);
  sub->add_option("--alpha", ex->alpha, "Level of the seasonal-group test")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(group);
  sub->add_option("--seed", ex->seed, "Bootstrap random seed")->capture_default_str()->group(group);
  args->app = sub;
  sub->callback([args] { run_detect(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
