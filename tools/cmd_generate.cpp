// turnpoint generate: a synthetic panel like Carbon Monitor China with known turning points.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "datasets/spring_festival.hpp"
#include "tools/command_registry.hpp"
#include "kernels/error.hpp"
#include "host/io/generator_io.hpp"
#if TURNPOINT_MPI
#include "host/cluster/mpi_generate.hpp"
#include "host/cluster/mpi_world.hpp"
#endif

namespace {

struct GenerateOptions {
  std::string output;
  turnpoint::GeneratorConfig config;
  std::string start = "2019-01-01";
  std::int64_t chunk = 4096;
  bool quiet = false;
};

void setup(CLI::App& root) {
  auto opt = std::make_shared<GenerateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "generate", "Write a synthetic panel (series.h5) with known turning points in /truth");
  cmd->add_option("-o,--output", opt->output, "output series file (.h5)")->required();
  cmd->add_option("--series", opt->config.n_series, "number of series")->capture_default_str();
  cmd->add_option("--days", opt->config.n_days, "number of days")->capture_default_str();
  cmd->add_option("--seed", opt->config.seed, "random seed (same seed -> same file)")
      ->capture_default_str();
  cmd->add_option("--start", opt->start, "first day, YYYY-MM-DD")->capture_default_str();
  cmd->add_option("--missing", opt->config.missing, "fraction of missing days")
      ->capture_default_str();
  cmd->add_option("--max-events", opt->config.max_events, "events per series: 0..this")
      ->capture_default_str();
  cmd->add_option("--max-seasonal", opt->config.max_seasonal,
                  "seasonal changes per series: 0..this")
      ->capture_default_str();
  cmd->add_option("--noise", opt->config.noise, "multiplies every sector's noise level")
      ->capture_default_str();
  cmd->add_option("--annotators", opt->config.n_annotators,
                  "annotators in /truth (1 = exact truth; more = noisy copies)")
      ->capture_default_str();
  cmd->add_option("--chunk", opt->chunk, "series generated and written at a time")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opt->quiet, "no progress bar");
  cmd->callback([opt]() {
    try {
      opt->config.start_day = turnpoint::datasets::parse_iso_date(opt->start.c_str());
    } catch (const std::invalid_argument& e) {
      throw turnpoint::invalid_input(fmt::format("--start: {}", e.what()));
    }
#if TURNPOINT_MPI
    // mpirun -n N: the ranks generate the chunks, rank 0 writes them (host/cluster/mpi_generate.hpp).
    if (turnpoint::cluster::launched_by_mpi()) {
      turnpoint::cluster::mpi_generate(opt->config, opt->output, opt->chunk, opt->quiet);
      return;
    }
#endif
    turnpoint::generate_to_file(opt->config, opt->output, opt->chunk, opt->quiet);
  });
}

const turnpoint::cli::RegisterCommand registered(setup);

}  // namespace
