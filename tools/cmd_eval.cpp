// turnpoint eval: TCPD metrics (F1 with a margin, cover), kind accuracy and location errors
// of detections.h5 -- or of every scenario of a sweep file -- against a file with /truth.
#include <cstdio>
#include <fstream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tools/command_registry.hpp"
#include "host/io/detections_io.hpp"
#include "kernels/error.hpp"
#include "host/eval/eval.hpp"
#include "host/eval/eval_report.hpp"
#include "host/sweep/sweep.hpp"
#include "host/io/truth_io.hpp"

namespace {

struct EvalOptions {
  std::string detections, truth, plot;
  int margin = 5;
  bool json = false;
};

void write_text_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary);
  out << text;
  out.close();
  TURNPOINT_EXPECTS(out.good() && std::rename(tmp.c_str(), path.c_str()) == 0,
                    "{}: cannot write the plot", path);
}

void run(const EvalOptions& o) {
  using namespace turnpoint;
  const Truth truth = read_truth(o.truth);
  if (is_sweep_file(o.detections)) {
    const SweepFile sweep = read_sweep(o.detections);
    std::vector<std::vector<PredictedPoint>> per(sweep.scenarios.size());
    for (const SweepPoint& p : sweep.points)
      per[static_cast<std::size_t>(p.scenario)].push_back({p.series, p.index, TurnKind::unclassified});
    std::vector<EvalSummary> results;
    for (const auto& preds : per)
      results.push_back(evaluate(truth, preds, sweep.n_series(), static_cast<int>(sweep.time.size()),
                                 o.margin));
    const std::string plot = o.plot.empty() ? o.detections + ".svg" : o.plot;
    write_text_file(plot, sweep_svg(sweep.scenarios, results));
    if (o.json) {
      nlohmann::json j = nlohmann::json::array();
      for (std::size_t k = 0; k < results.size(); ++k) {
        nlohmann::json e = eval_to_json(results[k]);
        const Scenario& s = sweep.scenarios[k];
        if (s.is_raw())
          e["scenario"] = {{"index", k}, {"method", s.method}, {"cost", s.cost},
                           {"penalty", s.penalty}, {"min_size", s.min_size},
                           {"max_changes", s.max_changes}};
        else
          e["scenario"] = {{"index", k}, {"model", s.model}, {"penalty_scale", s.penalty_scale},
                           {"min_confidence", s.min_confidence}};
        j.push_back(e);
      }
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("%s", sweep_table(sweep.scenarios, results).c_str());
      std::fprintf(stderr, "plot of F1 and cover per scenario: %s\n", plot.c_str());
    }
    return;
  }
  const DetectionSet set = read_detections(o.detections);
  std::vector<PredictedPoint> preds;
  for (const TurningPoint& p : set.points) preds.push_back({p.series, p.index, p.kind});
  const EvalSummary s = evaluate(truth, preds, static_cast<std::int64_t>(set.series_id.size()),
                                 static_cast<int>(set.time.size()), o.margin);
  if (o.json) std::printf("%s\n", eval_to_json(s).dump(2).c_str());
  else std::printf("%s", eval_to_text(s).c_str());
}

void setup(CLI::App& root) {
  auto opt = std::make_shared<EvalOptions>();
  CLI::App* cmd = root.add_subcommand(
      "eval", "Score detections (or a sweep) against known truth: TCPD F1 with a margin, cover, "
              "kind accuracy, location errors");
  cmd->add_option("detections", opt->detections, "detections.h5 or sweep.h5")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--truth", opt->truth, "file with /truth (series.h5 from `turnpoint generate`)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--margin", opt->margin, "days a detection may be off and still count")
      ->capture_default_str();
  cmd->add_flag("--json", opt->json, "print JSON instead of text");
  cmd->add_option("--plot", opt->plot, "sweeps: SVG plot of F1 and cover (default <sweep>.svg)");
  cmd->callback([opt]() { run(*opt); });
}

const turnpoint::cli::RegisterCommand registered(setup);

}  // namespace
