// turnpoint detect series.h5 -o detections.h5: the turning points of every series of a
// panel, written with the settings that made them.
//
// With no option it runs the best model turnpoint has for the data and says which on stderr
// (host/explain/explain.hpp, choose_model): the pattern model for daily series spanning a
// year or more, the generic model otherwise. Giving a solver setting (--method, --cost,
// --penalty, --noise, --crops) runs that raw solver instead, exactly as asked.
//
// The panel is read --chunk series at a time (HDF5 hyperslabs), so memory follows the chunk,
// not the panel; --shard I/N runs the I-th of N balanced series ranges and writes a part
// file for `turnpoint merge` (host/cluster, docs/cluster.md). Series are independent, so
// neither changes a single byte of the result. The results are streamed to the output's
// scratch file chunk by chunk (host/cluster/detections_stream.hpp), so they are not held
// either.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "host/cluster/detections_append.hpp"
#include "host/cluster/detections_stream.hpp"
#include "host/cluster/mpi_detect.hpp"
#include "host/cluster/mpi_world.hpp"
#include "host/cluster/panel_scan.hpp"
#include "host/cluster/part_file.hpp"
#include "host/cluster/shard.hpp"
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

using cluster::append_detections;
using cluster::balanced_ranges;
using cluster::DetectionsStream;
using cluster::parse_shard;
using cluster::PanelScan;
using cluster::PartInfo;
using cluster::scan_panel;
using cluster::SeriesRange;

struct DetectArgs {
  std::string input, output;
  DetectOptions opts;
  bool quiet = false;
  std::string model = "auto";
  bool kinds = false;       // legacy: the explanation path (see resolve)
  bool confidence = false;  // legacy
  ExplainOptions explain;
  std::string holidays = "china";
  std::string shard;               // "I/N", empty: the whole panel
  std::int64_t chunk = 4096;       // series read and detected at a time
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
    const ModelChoice c = choose_model(panel.time, panel.frequency);
    m.model = c.model;
    m.why = c.reason;
  } else {
    m.model = parse_explain_model(a.model);
    m.why = "--model";
  }
  return m;
}

// ---- reading the panel a chunk at a time -------------------------------------------------

// Calls f(panel of rows [first, first + n), first) for the chunks of `range`, in order; at
// least once, so that an empty range still yields its settings and day axis.
template <class F>
void for_each_chunk(const SeriesReader& reader, SeriesRange range, std::int64_t chunk, F&& f) {
  const std::int64_t step = std::max<std::int64_t>(1, chunk);
  std::int64_t first = range.first;
  do {
    const std::int64_t n = std::min(step, range.end() - first);
    f(reader.read_rows(first, n), first);
    first += n;
  } while (first < range.end());
}

void add(ExplainTally& into, const ExplainTally& t) {
  into.candidates += t.candidates;
  into.below_confidence += t.below_confidence;
  into.ordinary_month_steps += t.ordinary_month_steps;
  into.over_max_points += t.over_max_points;
  into.reported += t.reported;
  into.series_constant += t.series_constant;
  into.series_too_short += t.series_too_short;
  into.series_none_reported += t.series_none_reported;
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

// Where each chunk's detections go: the output's stream in one process, a scratch stream of
// its own for an MPI rank's range (host/cluster/mpi_detect.hpp).
using DetectionSink = std::function<void(DetectionSet&& part, const std::string& what)>;

void run_model(const DetectArgs& a, const SeriesReader& reader, SeriesRange range,
               const Mode& mode, const DetectionSink& out) {
  const Panel& panel = reader.header();  // the day axis and names; no values
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
                 to_string(ex.model), mode.why.c_str(), static_cast<long long>(range.count),
                 panel.n_time());
  ExplainTally tally;
  // The segments model's bootstrap draws depend on the rows it is given: one chunk.
  const std::int64_t chunk = ex.model == ExplainModel::segments ? range.count : a.chunk;
  for_each_chunk(reader, range, chunk, [&](const Panel& rows, std::int64_t) {
    DetectionSet part;
    part.input = a.input;
    ExplainTally t;
    explain_panel(rows, base, ex, part, parse_backend(a.opts.backend), nullptr, &t);
    out(std::move(part), a.input);
    add(tally, t);
  });
  if (!a.quiet && ex.model != ExplainModel::segments) print_tally(tally, ex, range.count);
}

// ---- the raw solvers -------------------------------------------------------------------

// Settings that hit a limit or depend on the data's scale: said once, before the run.
void warn_about_settings(const DetectArgs& a, const DetectConfig& c) {
  if (a.quiet) return;
  if (a.given("--max-changes") && (c.method == Method::pelt || c.method == Method::op ||
                                  c.method == Method::fpop))
    std::fprintf(stderr, "turnpoint detect: warning: --max-changes is ignored by --method %s "
                         "(the penalty decides the number of changes)\n", to_string(c.method));
  if (c.noise == NoiseScale::none && (c.cost == CostKind::mean || c.cost == CostKind::regression) &&
      c.penalty.kind != PenaltyKind::manual)
    std::fprintf(stderr, "turnpoint detect: warning: --noise none compares the penalty with the "
                         "raw sum of squares: the answer depends on the units of the data\n");
}

bool all_counts(const Panel& panel) {
  return std::all_of(panel.values.begin(), panel.values.end(), [](double v) {
    return std::isnan(v) || (v >= 0.0 && v == std::floor(v));
  });
}

// Series that ran (ok) and those of them that stopped at --max-changes.
struct CapCount {
  std::size_t ok = 0, at_cap = 0;
};

void warn_about_result(const DetectArgs& a, const DetectConfig& c, const CapCount& n) {
  if (a.quiet || c.method != Method::binseg) return;
  if (n.ok > 0 && n.at_cap == n.ok)
    std::fprintf(stderr, "turnpoint detect: warning: binary segmentation stopped at --max-changes "
                         "%d in every series: there may be more (raise --max-changes)\n",
                 c.max_changes);
}

void run_raw(const DetectArgs& a, const SeriesReader& reader, SeriesRange range,
             const DetectionSink& out) {
  const DetectConfig config = a.opts.to_config(reader.header());
  const Backend backend = parse_backend(a.opts.backend);
  warn_about_settings(a, config);

  // Chunks also report progress: at most 1/50 of the range each while a bar is shown.
  Progress progress("detect", range.count, a.quiet);
  const std::int64_t chunk = progress.enabled()
                                 ? std::min(a.chunk, std::max<std::int64_t>(1, range.count / 50))
                                 : a.chunk;
  CapCount caps;
  bool poisson_warned = false;
  Backend used = backend;
  for_each_chunk(reader, range, chunk, [&](const Panel& panel, std::int64_t start) {
    if (config.cost == CostKind::poisson && !a.quiet && !poisson_warned && !all_counts(panel)) {
      poisson_warned = true;
      std::fprintf(stderr, "turnpoint detect: warning: --cost poisson on values that are not "
                           "counts (non-integer or negative): the answer depends on the units\n");
    }
    DetectResult part;
    try {
      part = detect(panel.values.data(), panel.n_series(), panel.n_time(), panel.time.data(),
                    config, backend);
    } catch (const invalid_input& e) {
      // The engine names series by row of the chunk; say which series of the file that is.
      std::string msg = e.what();
      const std::string key = "series ";
      if (msg.rfind(key, 0) == 0) {
        const long row = std::strtol(msg.c_str() + key.size(), nullptr, 10);
        if (row >= 0 && row < panel.n_series())
          msg = fmt::format("{}: series {} ({}){}", a.input, row + start, panel.series_id[row],
                            msg.substr(msg.find(':')));
      }
      throw invalid_input(msg);
    }
    used = part.backend_used;
    for (const auto& s : part.series) {
      if (s.status != SeriesStatus::ok) continue;
      ++caps.ok;
      caps.at_cap += static_cast<int>(s.changes.size()) >= config.max_changes ? 1 : 0;
    }
    out(make_detection_set(panel, config, part, a.input), a.input);
    progress.update(start + panel.n_series() - range.first);
  });
  progress.finish();
  warn_about_result(a, config, caps);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: raw solver %s/%s/%s (solver settings given), backend "
                         "%s, %lld series x %d days\n",
                 to_string(config.method), to_string(config.cost), to_string(config.penalty).c_str(),
                 to_string(used), static_cast<long long>(range.count), reader.n_time());
}

// The whole panel, or with --shard the range of this shard (balanced over every series'
// observed days, from one streaming pass that also fingerprints the panel for merge).
void run_detect(const DetectArgs& a) {
  TURNPOINT_EXPECTS(a.chunk >= 1, "--chunk {}: at least 1 series", a.chunk);
  const bool holiday_file = a.holidays != "china" && a.holidays != "none";
  refuse_output_that_is_input(a.output, {a.input, holiday_file ? a.holidays : ""}, "detect");
  const SeriesReader reader(a.input);
  const Mode mode = resolve(a, reader.header());
  SeriesRange range{0, reader.n_series()};
  PartInfo part;
#if TURNPOINT_MPI
  // mpirun -n N: the ranks split the series and write one file (host/cluster/mpi_detect.hpp).
  if (cluster::launched_by_mpi()) {
    TURNPOINT_EXPECTS(a.shard.empty(), "--shard with an MPI launcher: the ranks already split "
                      "the panel; give one or the other");
    TURNPOINT_EXPECTS(mode.raw || mode.model != ExplainModel::segments,
                      "mpirun: the segments model's bootstrap depends on the rows it is given; run it in one process");
    const auto scan = [&] { return scan_panel(reader, a.chunk); };
    // Only a raw solver may run on the GPU (the pattern model runs on the CPU only).
    const bool want_gpu = mode.raw && parse_backend(a.opts.backend) != Backend::cpu;
    cluster::mpi_detect(reader, scan, a.output, a.quiet, want_gpu,
                        [&](SeriesRange r, bool quiet, cluster::DetectionsStream& stream,
                            const std::function<void(std::int64_t)>& series_done) {
      DetectArgs rank_args = a;
      rank_args.quiet = quiet;
      const DetectionSink into_stream = [&](DetectionSet&& rows, const std::string& what) {
        stream.append(rows, what);
        series_done(static_cast<std::int64_t>(rows.series_id.size()));
      };
      if (mode.raw)
        run_raw(rank_args, reader, r, into_stream);
      else
        run_model(rank_args, reader, r, mode, into_stream);
    });
    return;
  }
#endif
  // One streaming pass: the panel's fingerprint (detections.h5 input_fingerprint, the whole
  // panel's also in a shard's part) and, for a shard, every series' weight.
  const PanelScan scan = scan_panel(reader, a.chunk);
  if (!a.shard.empty()) {
    part.shard = parse_shard(a.shard);
    TURNPOINT_EXPECTS(mode.raw || mode.model != ExplainModel::segments,
                      "--shard: the segments model's bootstrap depends on the rows it is given, so "
                      "its shards would not merge into the one-process result; run it whole");
    range = balanced_ranges(scan.weights, part.shard.count)[static_cast<std::size_t>(part.shard.index)];
    part.range = range;
    part.total_series = reader.n_series();
    part.input_hash = scan.content_hash;
    if (!a.quiet)
      std::fprintf(stderr, "turnpoint detect: shard %d/%d: series %lld..%lld of %lld\n",
                   part.shard.index, part.shard.count, static_cast<long long>(range.first),
                   static_cast<long long>(range.end()), static_cast<long long>(reader.n_series()));
  }
  // Each chunk's result goes to the output's scratch as it is made (memory: one chunk, not
  // the result); the output appears only when every chunk has run.
  DetectionsStream out(a.output);
  const DetectionSink into_stream = [&out](DetectionSet&& rows, const std::string& what) {
    out.append(rows, what);
  };
  if (mode.raw)
    run_raw(a, reader, range, into_stream);
  else
    run_model(a, reader, range, mode, into_stream);
  out.header().input_fingerprint = scan.input_fingerprint;
  if (a.shard.empty())
    out.commit();
  else
    write_part(out, part);
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint detect: %lld turning points -> %s%s\n",
                 static_cast<long long>(out.n_points()), a.output.c_str(),
                 a.shard.empty() ? "" : " (a part: join with turnpoint merge)");
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
  sub->add_option("--shard", args->shard,
                  "I/N: detect only the I-th (0-based) of N series ranges, balanced by observed "
                  "days, and write a part file for `turnpoint merge` (docs/cluster.md)");
  sub->add_option("--chunk", args->chunk,
                  "Series read and detected at a time: memory grows with chunk x days, not with "
                  "the panel; the result does not depend on it")
      ->capture_default_str();
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
