#include "host/cluster/mpi_sweep.hpp"

#include "host/cluster/mpi_world.hpp"

namespace turnpoint::cluster {

void mpi_sweep(const SweepOptions& options) {
  MpiSession mpi;
  SweepTeam team;
  team.rank = mpi.rank();
  team.size = mpi.size();
  team.sync = [&mpi](const std::function<void()>& step) {
    if (const RankError e = mpi.together(step); e.code != 0) mpi.fail(e);
  };
  run_sweep(options, team);
}

}  // namespace turnpoint::cluster
