// turnpoint report detections.h5 -o DIR [--lang zh|en] [--catalogue FILE]: per series a
// Markdown report in the seed format, a JSON record and an HTML page with an SVG chart,
// plus DIR/index.html.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "host/catalogue/catalogue.hpp"
#include "host/core/output_guard.hpp"
#include "tools/command_registry.hpp"
#include "tools/join_cli.hpp"
#include "host/io/detections_io.hpp"
#include "host/report/report.hpp"

namespace turnpoint::cli {
namespace {

struct ReportArgs {
  std::string input, output, catalogue;
  JoinWindowArgs windows;
  ReportOptions options;
  bool quiet = false;
};

void run_report(ReportArgs& a) {
  a.windows.apply(a.options.join);
  refuse_output_that_is_input(a.output, {a.input, a.catalogue}, "report");
  const DetectionSet set = read_detections(a.input);
  const Catalogue cat = load_catalogue_or_builtin(a.catalogue);
  const ReportSummary s = write_reports(set, cat, a.output, a.options);
  if (!a.quiet) {
    if (!s.plotted) std::fprintf(stderr, "turnpoint report: charts without series values: %s\n", s.plot_note.c_str());
    std::fprintf(stderr, "turnpoint report: %d series, %d turning points, %d links -> %s/index.html\n", s.series,
                 s.points, s.links, a.output.c_str());
  }
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* sub = root.add_subcommand(
      "report", "Write per-series reports (Markdown in the seed format, JSON, HTML with an SVG chart)");
  sub->add_option("detections", args->input, "detections.h5 (see `turnpoint detect`)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", args->output, "Output folder")->required();
  sub->add_option("--lang", args->options.lang, "Language of the Markdown and HTML: zh or en")
      ->check(CLI::IsMember({"zh", "en"}));
  sub->add_option("--catalogue", args->catalogue, "Catalogue (.jsonl; default: the built-in one)")
      ->check(CLI::ExistingFile);
  sub->add_option("--max-entries", args->options.max_entries, "Entries listed per turning point")
      ->check(CLI::PositiveNumber);
  sub->add_option("--top", args->options.max_points,
                  "List only the N most important turning points per series (by rank; 0 = all)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--analysed-at", args->options.analysed_at,
                  "Time written as 分析时间 (default: now, UTC), for reproducible reports");
  add_join_options(sub, args->options.join, args->windows);
  sub->add_flag("-q,--quiet", args->quiet, "No summary on stderr");
  sub->callback([args] { run_report(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
