// Where each rank of an MPI job runs: its share of its node's CPU threads and its GPU
// (docs/cluster.md, "Placement"). The choices are plain functions here, so that they are
// tested without a launcher; host/cluster/mpi_placement.hpp gathers what they need.
#pragma once
#include <string>
#include <vector>

namespace turnpoint::cluster {

struct RankPlacement {
  int node = 0;         // index of the rank's node (the order of the nodes' lowest ranks)
  int local_rank = 0;   // rank among the ranks of its node
  int cpus = 1;         // CPUs in the rank's affinity mask
  int sharing = 1;      // ranks of its node with the same mask (itself included)
  int threads = 1;      // OpenMP threads it runs
  bool threads_from_env = false;  // OMP_NUM_THREADS chose them
  int gpus = 0;         // CUDA devices it sees (0: none, or not asked for)
  int gpu = -1;         // the device it took; -1: none
};

// OpenMP threads for a rank whose affinity mask holds `cpus` CPUs that `sharing` ranks of
// its node share: an equal share, at least one. A launcher that binds each rank to its own
// cores (OpenMPI's default for a few ranks) gives sharing 1 and the rank's own cores; one
// that binds none (`--bind-to none`) gives every rank the whole node, which the ranks would
// otherwise each fill with threads (measured: bench/RESULTS.md, "MPI").
int threads_for_rank(int cpus, int sharing);

// One line saying where a job's ranks run, from every rank's placement (rank order): nodes,
// the OpenMP threads per rank, and the GPUs.
std::string describe_placement(const std::vector<RankPlacement>& ranks);

}  // namespace turnpoint::cluster
