// turnpoint demo: the whole chain on the built-in default panel (a generated CM-like panel
// with known turning points): generate -> detect (with event/seasonal classification and
// bootstrap confidence) -> evaluate against the truth -> join to the built-in policy
// catalogue -> reports (Markdown in the seed format, JSON, HTML with an SVG chart).
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "datasets/generator.hpp"
#include "host/catalogue/catalogue.hpp"
#include "tools/command_registry.hpp"
#include "host/core/dates.hpp"
#include "host/io/detections_io.hpp"
#include "kernels/error.hpp"
#include "host/eval/eval.hpp"
#include "host/explain/explain.hpp"
#include "host/io/generator_io.hpp"
#include "host/report/report.hpp"
#include "host/io/series_io.hpp"
#include "host/io/truth_io.hpp"

namespace turnpoint::cli {
namespace {

struct DemoArgs {
  std::string out = "demo-out";
  int replicates = 50;
  std::string backend = "auto";
  std::string lang = "zh";
};

void make_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    TURNPOINT_FAIL("cannot create the output folder {}", dir);
}

void run_demo(const DemoArgs& a) {
  make_dir(a.out);
  const std::string series_path = a.out + "/series.h5";
  const std::string detections_path = a.out + "/detections.h5";

  const GeneratorConfig gen = demo_config();
  generate_to_file(gen, series_path);
  const Panel panel = read_series(series_path);
  const Truth truth = read_truth(series_path);
  std::fprintf(stderr, "demo: generated %lld series x %d days with %zu known turning points -> %s\n",
               static_cast<long long>(panel.n_series()), panel.n_time(), truth.points.size(),
               series_path.c_str());

  ExplainOptions opts;
  opts.replicates = a.replicates;
  // Binary segmentation over the 21-column regression model: PELT is exact but near
  // O(n^2) regression fits on series with few turning points (minutes for this panel),
  // and the confidence calibration map was fitted with binseg (docs/seasonality.md).
  DetectConfig base;
  base.method = Method::binseg;
  base.max_changes = 20;
  base.penalty = {PenaltyKind::mbic, 0.0};
  DetectionSet set;
  set.input = series_path;
  classify_and_score(panel, base, opts, set, parse_backend(a.backend));
  write_detections(detections_path, set);
  std::fprintf(stderr, "demo: %zu turning points (backend %s) -> %s\n", set.points.size(),
               set.backend.c_str(), detections_path.c_str());

  std::vector<PredictedPoint> pred;
  for (const auto& p : set.points) pred.push_back({p.series, p.index, p.kind});
  const EvalSummary ev = evaluate(truth, pred, panel.n_series(), panel.n_time(), 5);
  std::printf("turnpoint demo: %lld series x %d days, %zu turning points found, %lld true\n",
              static_cast<long long>(panel.n_series()), panel.n_time(), set.points.size(),
              static_cast<long long>(ev.n_true));
  std::printf("  against the known truth (margin 5 days): precision %.3f  recall %.3f  F1 %.3f  "
              "cover %.3f  kind accuracy %.3f\n",
              ev.precision, ev.recall, ev.f1, ev.cover, ev.kind_accuracy());

  // The strongest turning points of the panel, most confident first.
  std::vector<TurningPoint> top = set.points;
  std::sort(top.begin(), top.end(), [](const TurningPoint& x, const TurningPoint& y) {
    return x.confidence != y.confidence ? x.confidence > y.confidence : x.gain > y.gain;
  });
  top.resize(std::min<size_t>(top.size(), 12));
  int width = 6;
  for (const auto& p : top)
    width = std::max(width, static_cast<int>(set.series_id[p.series].size()));
  std::printf("\n  %-*s %-10s %-9s %-10s %s\n", width, "series", "date", "kind", "confidence",
              "interval");
  for (const auto& p : top)
    std::printf("  %-*s %-10s %-9s %-10.2f %s .. %s\n", width, set.series_id[p.series].c_str(),
                format_date(p.day).c_str(), to_string(p.kind), p.confidence,
                p.ci_lo >= 0 ? format_date(set.time[p.ci_lo]).c_str() : "-",
                p.ci_hi >= 0 ? format_date(set.time[p.ci_hi]).c_str() : "-");

  // The generated panel carries real province and sector names, so the built-in catalogue
  // of real policies can be joined to it (the dates are synthetic: links are illustrative).
  const std::string report_dir = a.out + "/reports";
  make_dir(report_dir);
  ReportOptions ropts;
  ropts.lang = a.lang;
  const ReportSummary rs = write_reports(set, builtin_catalogue(), report_dir, ropts);
  std::printf("\n  reports: %d series, %d turning points, %d policy links -> %s/index.html\n",
              rs.series, rs.points, rs.links, report_dir.c_str());
  std::printf("  files: %s, %s (inspect with `turnpoint show %s`)\n", series_path.c_str(),
              detections_path.c_str(), detections_path.c_str());
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* sub = root.add_subcommand(
      "demo", "Run the whole chain on the built-in default panel (generated, with known truth)");
  sub->add_option("-o,--output", args->out, "Output folder")->capture_default_str();
  sub->add_option("--bootstrap", args->replicates, "Bootstrap replicates for the confidence")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--backend", args->backend, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  sub->add_option("--lang", args->lang, "Report language: zh (the seed format) or en")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  sub->callback([args] { run_demo(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
