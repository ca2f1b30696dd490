// turnpoint eval: TCPD metrics (F1 with a margin, cover), kind accuracy and location errors
// of detections.h5 -- or of every scenario of a sweep file -- against a file with /truth.
#include <cstdio>
#include <fstream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tools/command_registry.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "host/core/dates.hpp"
#include "host/core/output_guard.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/hdf5.hpp"
#include "host/io/series_io.hpp"
#include "kernels/error.hpp"
#include "host/eval/eval.hpp"
#include "host/eval/eval_file.hpp"
#include "host/eval/eval_report.hpp"
#include "host/sweep/sweep.hpp"
#include "host/io/truth_io.hpp"

namespace {

struct EvalOptions {
  std::string detections, truth, plot;
  int margin = 5;
  bool json = false;
};

bool is_series_file(const std::string& path) {
  turnpoint::h5::File f = turnpoint::h5::File::open(path);
  return f.has_attr("format") && turnpoint::h5::read_attr_string(f, "format") == "turnpoint.series";
}

// The truth must describe the very panel the detections were computed from: its points fall
// on the detections' day axis and series; a series file holds the same series ids and days,
// and the same content when the detections recorded their input's fingerprint. Scoring
// against another panel (same shape, other seed) would give numbers without meaning.
void check_truth_belongs(const std::string& truth_path, const turnpoint::Truth& truth,
                         const std::string& detections_path, const std::vector<std::int32_t>& time,
                         const std::vector<std::string>& series_id, const std::string& fingerprint) {
  using namespace turnpoint;
  const std::string other = fmt::format("{} is not the truth of the panel {} was computed from", truth_path,
                                        detections_path);
  for (const TruthPoint& p : truth.points)
    TURNPOINT_EXPECTS(p.series >= 0 && static_cast<std::size_t>(p.series) < series_id.size() && p.index >= 0 &&
                          static_cast<std::size_t>(p.index) < time.size() && time[static_cast<std::size_t>(p.index)] == p.day,
                      "{}: its turning point of series {} on day index {} ({}) is not on the detections' "
                      "{} series x {} days axis",
                      other, p.series, p.index, format_date(p.day), series_id.size(), time.size());
  if (!is_series_file(truth_path)) return;  // a file with /truth only: the axis check above
  // The names and days first, then the values a block of series at a time (a panel larger
  // than memory is fingerprinted as well as a small one).
  const SeriesReader reader(truth_path);
  const Panel& panel = reader.header();
  TURNPOINT_EXPECTS(panel.series_id == series_id && panel.time == time,
                    "{}: its series ids or days differ from the detections' ({} x {} vs {} x {})", other,
                    panel.series_id.size(), panel.time.size(), series_id.size(), time.size());
  const std::string mine = streamed_fingerprint(reader);
  TURNPOINT_EXPECTS(fingerprint.empty() || fingerprint == mine,
                    "{}: same series and days, but other values (content fingerprint {}, the detections' "
                    "input had {})", other, mine, fingerprint);
}

void run(const EvalOptions& o) {
  using namespace turnpoint;
  const Truth truth = read_truth(o.truth);
  if (is_sweep_file(o.detections)) {
    // The points are streamed, a block at a time (host/eval/eval_file.hpp).
    const SweepFile sweep = read_sweep_header(o.detections);
    check_truth_belongs(o.truth, truth, o.detections, sweep.time, sweep.series_id, sweep.input_fingerprint);
    const std::vector<EvalSummary> results = evaluate_sweep_file(o.detections, sweep, truth, o.margin);
    const std::string plot = o.plot.empty() ? o.detections + ".svg" : o.plot;
    refuse_output_that_is_input(plot, {o.detections, o.truth}, "eval");
    text::write_file_atomic(plot, sweep_svg(sweep.scenarios, results));
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
  // The points are streamed (host/eval/eval_file.hpp): memory holds a block of them.
  const DetectionSet header = read_detections_header(o.detections);
  check_truth_belongs(o.truth, truth, o.detections, header.time, header.series_id, header.input_fingerprint);
  const EvalSummary s = evaluate_detections_file(o.detections, header, truth, o.margin);
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
