// turnpoint demo: the whole chain on the real Carbon Monitor China panel shipped with the
// project (demo/carbon_monitor_china_daily.h5, a derived copy; cite Liu et al. 2020, Sci Data
// 7:392): the default model (turnpoint detect with no option) -> the join to the built-in
// catalogue -> reports (Markdown in the seed format, JSON, HTML with a chart), and the
// strongest turning points with their causes on stdout.
//
// --synthetic runs the same chain on a generated CM-like panel with known truth instead and
// scores it (precision, recall, F1, cover, kind accuracy); its reports say they are synthetic
// and link no real policy.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "datasets/generator.hpp"
#include "host/catalogue/catalogue.hpp"
#include "host/core/dates.hpp"
#include "host/core/output_guard.hpp"
#include "host/core/panel_fingerprint.hpp"
#include "host/eval/eval.hpp"
#include "host/explain/explain.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/generator_io.hpp"
#include "host/io/series_io.hpp"
#include "host/io/truth_io.hpp"
#include "host/report/join.hpp"
#include "host/report/report.hpp"
#include "kernels/error.hpp"
#include "tools/command_registry.hpp"

namespace turnpoint::cli {
namespace {

constexpr const char* kDemoPanel = "demo/carbon_monitor_china_daily.h5";

struct DemoArgs {
  std::string out = "demo-out";
  std::string panel;  // empty = the shipped real panel
  bool synthetic = false;
  std::string backend = "auto";
  std::string lang = "zh";
};

void make_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    TURNPOINT_FAIL("cannot create the output folder {}", dir);
}

bool readable(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The shipped panel: next to the working directory (the README runs the demo from the
// repository root), else in the source tree this binary was built from.
std::string demo_panel_path() {
  if (readable(kDemoPanel)) return kDemoPanel;
  const std::string in_tree = std::string(TURNPOINT_SOURCE_DIR) + "/" + kDemoPanel;
  if (readable(in_tree)) return in_tree;
  TURNPOINT_FAIL("the demo panel {} is not here (run the demo from the repository root, or give "
                 "--panel series.h5, or --synthetic)", kDemoPanel);
}

// The input: the real panel (or --panel), or a generated one with its truth.
std::string prepare_input(const DemoArgs& a, Truth* truth) {
  if (!a.synthetic) return a.panel.empty() ? demo_panel_path() : a.panel;
  const std::string path = a.out + "/series.h5";
  generate_to_file(demo_config(), path);
  *truth = read_truth(path);
  return path;
}

void print_score(const DetectionSet& set, const Panel& panel, const Truth& truth) {
  std::vector<PredictedPoint> pred;
  for (const auto& p : set.points) pred.push_back({p.series, p.index, p.kind});
  const EvalSummary ev = evaluate(truth, pred, panel.n_series(), panel.n_time(), 5);
  std::printf("  against the known truth (%lld true turning points, margin 5 days): precision "
              "%.3f  recall %.3f  F1 %.3f  cover %.3f  kind accuracy %.3f\n",
              static_cast<long long>(ev.n_true), ev.precision, ev.recall, ev.f1, ev.cover,
              ev.kind_accuracy());
}

// The most confident turning points that the catalogue explains, each with its strongest
// link, then how many have no linked cause.
void print_top(const DetectionSet& set, const std::vector<PointMatches>& links,
               const Catalogue& catalogue, const std::string& lang) {
  std::vector<std::size_t> linked;
  for (std::size_t k = 0; k < set.points.size() && k < links.size(); ++k)
    if (!links[k].matches.empty()) linked.push_back(k);
  std::stable_sort(linked.begin(), linked.end(), [&](std::size_t x, std::size_t y) {
    const TurningPoint &px = set.points[x], &py = set.points[y];
    if (px.confidence != py.confidence) return px.confidence > py.confidence;
    return links[x].matches.front().check.strength > links[y].matches.front().check.strength;
  });
  const std::size_t shown = std::min<std::size_t>(linked.size(), 12);
  int width = 6;
  for (std::size_t j = 0; j < shown; ++j)
    width = std::max(width, static_cast<int>(set.series_id[set.points[linked[j]].series].size()));
  if (shown > 0)
    std::printf("\n  %-*s %-10s %-9s %-10s %-10s %6s  %s\n", width, "series", "date", "kind",
                "shape", "confidence", "step", "explained by");
  for (std::size_t j = 0; j < shown; ++j) {
    const TurningPoint& p = set.points[linked[j]];
    const Match& m = links[linked[j]].matches.front();
    const CatalogueEntry& e = catalogue.entries[m.entry];
    const std::string& title = lang == "en" && !e.title_en.empty() ? e.title_en : e.title;
    const std::string step = p.step == p.step ? fmt::format("{:+.0f}%", 100.0 * p.step) : "-";
    std::printf("  %-*s %-10s %-9s %-10s %-10.2f %6s  %s (%s)\n", width,
                set.series_id[p.series].c_str(), format_date(p.day).c_str(), to_string(p.kind),
                to_string(p.shape), p.confidence, step.c_str(), title.c_str(),
                (lang == "en" ? m.check.reason_en : m.check.reason_zh).c_str());
  }
  std::printf("\n  %zu of %zu turning points have a linked cause in the built-in catalogue\n",
              linked.size(), set.points.size());
}

void run_demo(const DemoArgs& a) {
  make_dir(a.out);
  Truth truth;
  const std::string series_path = prepare_input(a, &truth);
  const std::string detections_path = a.out + "/detections.h5";
  refuse_output_that_is_input(detections_path, {series_path}, "demo");
  const Panel panel = read_series(series_path);
  std::fprintf(stderr, "demo: %s: %lld series x %d days (%s)\n", series_path.c_str(),
               static_cast<long long>(panel.n_series()), panel.n_time(), panel.source.c_str());

  // The default of `turnpoint detect` (host/explain/explain.hpp, choose_model).
  ExplainOptions opts;
  opts.model = choose_model(panel.time, panel.frequency).model;
  DetectionSet set;
  set.input = series_path;
  set.input_fingerprint = panel_fingerprint(panel);
  explain_panel(panel, DetectConfig{}, opts, set, parse_backend(a.backend));
  write_detections(detections_path, set);

  std::printf("turnpoint demo: %lld series x %d days, model %s: %zu turning points\n",
              static_cast<long long>(panel.n_series()), panel.n_time(), to_string(opts.model),
              set.points.size());
  if (a.synthetic) print_score(set, panel, truth);

  // Synthetic panels are joined to nothing: real policies do not explain simulated data.
  const Catalogue catalogue = a.synthetic ? Catalogue{} : builtin_catalogue();
  const std::vector<PointMatches> links = join(set, catalogue, JoinOptions{});
  print_top(set, links, catalogue, a.lang);

  const std::string report_dir = a.out + "/reports";
  make_dir(report_dir);
  ReportOptions ropts;
  ropts.lang = a.lang;
  const ReportSummary rs = write_reports(set, builtin_catalogue(), report_dir, ropts);
  std::printf("\n  reports: %d series, %d turning points, %d policy links -> %s/index.html\n",
              rs.series, rs.points, rs.links, report_dir.c_str());
  std::printf("  files: %s, %s (inspect with `turnpoint show %s`)\n", series_path.c_str(),
              detections_path.c_str(), detections_path.c_str());
  if (!a.synthetic)
    std::printf("  data: Carbon Monitor China (derived copy); cite Liu et al. 2020, Sci Data 7:392\n");
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* sub = root.add_subcommand(
      "demo",
      "Run the whole chain on the real Carbon Monitor China panel shipped with turnpoint: the "
      "default model, the join to the built-in catalogue, reports");
  sub->add_option("-o,--output", args->out, "Output folder")->capture_default_str();
  sub->add_option("--panel", args->panel, "Another series.h5 instead of the shipped panel")
      ->check(CLI::ExistingFile);
  sub->add_flag("--synthetic", args->synthetic,
                "A generated CM-like panel with known truth instead, scored against it");
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
