// turnpoint sweep: every detection setting of a grid over a panel, resumable after a kill.
#include <memory>

#include <CLI/CLI.hpp>

#include "tools/command_registry.hpp"
#include "host/core/output_guard.hpp"
#include "host/sweep/sweep.hpp"
#if TURNPOINT_MPI
#include "host/cluster/mpi_sweep.hpp"
#include "host/cluster/mpi_world.hpp"
#endif

namespace {

void setup(CLI::App& root) {
  auto opt = std::make_shared<turnpoint::SweepOptions>();
  auto quiet = std::make_shared<bool>(false);
  CLI::App* cmd = root.add_subcommand(
      "sweep",
      "Run every scenario of a grid over a panel into one HDF5 file: of the default pipeline "
      "(model x penalty_scale x min_confidence; an empty grid = `detect` with no option) or of raw "
      "solvers (method x cost x penalty x min_size x max_changes); killed, the same command resumes "
      "where it stopped (docs/sweep.md)");
  cmd->add_option("series", opt->series_path, "series file (.h5)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--grid", opt->grid_path, "grid of settings (TOML subset or JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", opt->output, "output sweep file (.h5)")->required();
  cmd->add_option("--batch", opt->batch_scenarios, "scenarios per journal entry")
      ->capture_default_str();
  cmd->add_option("--chunk", opt->chunk_series,
                  "series read at a time (memory holds this many series' values, not the panel's)")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", *quiet, "no progress bar");
  cmd->callback([opt, quiet]() {
    opt->quiet = *quiet;
    turnpoint::refuse_output_that_is_input(opt->output, {opt->series_path, opt->grid_path}, "sweep");
#if TURNPOINT_MPI
    // mpirun -n N: the ranks share the batches through the journal (host/cluster/mpi_sweep.hpp).
    if (turnpoint::cluster::launched_by_mpi()) {
      turnpoint::cluster::mpi_sweep(*opt);
      return;
    }
#endif
    turnpoint::run_sweep(*opt);
  });
}

const turnpoint::cli::RegisterCommand registered(setup);

}  // namespace
