#include "host/cluster/mpi_sweep.hpp"

#include <cstdio>
#include <memory>
#include <random>

#include <fmt/format.h>

#include "host/cluster/mpi_placement.hpp"
#include "host/cluster/mpi_progress.hpp"
#include "host/cluster/mpi_world.hpp"
#include "host/cluster/mpi_write.hpp"

namespace turnpoint::cluster {

void mpi_sweep(const SweepOptions& options) {
  MpiSession mpi;
  // The sweep's scenarios run on the CPU (host/sweep/sweep.cpp): threads only, no GPU.
  const JobPlacement placed = place_ranks(mpi, false);
  if (mpi.rank() == 0 && !options.quiet)
    std::fprintf(stderr, "turnpoint sweep: MPI placement: %s\n", placed.summary.c_str());
  SweepTeam team;
  team.rank = mpi.rank();
  team.size = mpi.size();
  // A name for this run, the same on every rank (rank 0's random one): its failure marker.
  std::string run;
  if (mpi.rank() == 0) run = fmt::format("{:016x}", std::random_device{}() * 0x100000000ULL ^ std::random_device{}());
  team.run = mpi.broadcast(run);
  JobProgress progress(mpi, "sweep", "scenarios", 0, options.quiet);
  team.scenarios_done = [&progress](std::int64_t done, std::int64_t total) {
    progress.set_total(total);
    progress.add(done);
  };
  team.batches_over = [&progress] { progress.close(); };
  // The file's rows: every rank writes its own batches' through parallel HDF5.
  team.share = [&mpi](const std::string& value) { return mpi.broadcast(value); };
  team.open_rows_file = [](const std::string& path) { return open_parallel(path); };
  team.on_failure = std::make_shared<std::function<void()>>();
  team.sync = [&mpi, &progress, &team](const std::function<void()>& step) {
    const RankError e = mpi.together(step);
    if (e.code == 0) return;
    // Every rank is here at once (together is collective): the progress counts still on
    // their way are taken, run_sweep's temporary removed, then the job ends.
    progress.close();
    if (*team.on_failure) (*team.on_failure)();
    mpi.fail(e);
  };
  run_sweep(options, team);
}

}  // namespace turnpoint::cluster
