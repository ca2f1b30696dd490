// turnpoint merge parts... -o detections.h5: the part files of `turnpoint detect --shard I/N`
// joined into the file one process would have written (the same bytes, with the same
// SOURCE_DATE_EPOCH). Parts that are missing, given twice, overlapping, from another run
// or truncated are refused, naming the files (host/cluster/merge.hpp, docs/cluster.md).
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "host/cluster/merge.hpp"
#include "tools/command_registry.hpp"

namespace turnpoint::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> parts;
  std::string output;
  bool quiet = false;
};

void run_merge(const MergeArgs& a) {
  cluster::DetectionsStream out(a.output);
  cluster::merge_parts(a.parts, out);
  out.commit();
  if (!a.quiet)
    std::fprintf(stderr, "turnpoint merge: %zu parts, %lld series, %lld turning points -> %s\n",
                 a.parts.size(), static_cast<long long>(out.n_series()),
                 static_cast<long long>(out.n_points()), a.output.c_str());
}

const RegisterCommand reg([](CLI::App& root) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* sub = root.add_subcommand(
      "merge",
      "Join the part files of `turnpoint detect --shard I/N` (one per I) into the detections.h5 "
      "a one-process run writes; refuses missing, duplicate, overlapping, mismatched or "
      "truncated parts");
  sub->add_option("parts", args->parts, "Part files, in any order")->required();
  sub->add_option("-o,--output", args->output, "Output detections.h5")->required();
  sub->add_flag("-q,--quiet", args->quiet, "No summary on stderr");
  sub->callback([args] { run_merge(*args); });
});

}  // namespace
}  // namespace turnpoint::cli
