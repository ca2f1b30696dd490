// turnpoint join detections.h5 [--catalogue FILE] -o matches.jsonl [--explain]: link each
// turning point with the catalogue entries that pass the time, region and sector checks.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "host/catalogue/catalogue.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "host/core/output_guard.hpp"
#include "tools/command_registry.hpp"
#include "tools/join_cli.hpp"
#include "host/io/detections_io.hpp"
#include "host/report/join.hpp"

namespace turnpoint::cli {
namespace {

struct JoinArgs {
  std::string input, catalogue, output;
  JoinWindowArgs windows;
  int max_matches = 0;
  JoinOptions options;
  bool explain = false, quiet = false;
};

void run_join(const JoinArgs& a) {
  JoinOptions options = a.options;
  a.windows.apply(options);
  options.max_matches = a.max_matches;
  refuse_output_that_is_input(a.output, {a.input, a.catalogue}, "join");
  const DetectionSet set = read_detections(a.input);
  const Catalogue cat = load_catalogue_or_builtin(a.catalogue);
  const auto result = join(set, cat, options);
  text::write_file_atomic(a.output, matches_to_jsonl(set, cat, result, a.explain));
  if (!a.quiet) {
    std::size_t linked = 0, links = 0;
    for (const auto& pm : result) {
      linked += !pm.matches.empty();
      links += pm.matches.size();
    }
    std::fprintf(stderr, "turnpoint join: %zu of %zu turning points linked (%zu links, catalogue of %zu) -> %s\n",
                 linked, result.size(), links, cat.entries.size(), a.output.c_str());
  }
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<JoinArgs>();
  CLI::App* sub = root.add_subcommand(
      "join", "Link each turning point with the policies and events around it (checked: time, region, sector)");
  sub->add_option("detections", args->input, "detections.h5 (see `turnpoint detect`)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--catalogue", args->catalogue, "Catalogue (.jsonl; default: the built-in one)")
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", args->output, "Output matches.jsonl (one line per turning point)")->required();
  sub->add_flag("--explain", args->explain,
                "Also list near misses (entries failing one check) with their flags: anachronism, "
                "before-window, other-region, other-sector");
  sub->add_option("--max-matches", args->max_matches, "Keep the best N matches per turning point (0 = all)")
      ->check(CLI::NonNegativeNumber);
  add_join_options(sub, args->options, args->windows);
  sub->add_flag("-q,--quiet", args->quiet, "No summary on stderr");
  sub->callback([args] { run_join(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
