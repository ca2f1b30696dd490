#include "host/cluster/mpi_placement.hpp"

#include <sched.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <mpi.h>
#include <omp.h>

#include "kernels/device_select.hpp"

namespace turnpoint::cluster {

namespace {

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(fmt::format("MPI: {} failed (code {})", what, rc));
}

// The ranks of this rank's node (MPI_COMM_TYPE_SHARED), freed on scope exit.
struct NodeComm {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0, size = 1;
  explicit NodeComm(int world_rank) {
    check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, world_rank, MPI_INFO_NULL, &comm),
          "MPI_Comm_split_type");
    check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
    check(MPI_Comm_size(comm, &size), "MPI_Comm_size");
  }
  NodeComm(const NodeComm&) = delete;
  NodeComm& operator=(const NodeComm&) = delete;
  ~NodeComm() {
    if (comm != MPI_COMM_NULL) MPI_Comm_free(&comm);
  }
};

// The node's index: how many nodes' first ranks come before this node's first rank.
int node_index(const MpiSession& mpi, const NodeComm& node) {
  int leader = mpi.rank();
  check(MPI_Bcast(&leader, 1, MPI_INT, 0, node.comm), "MPI_Bcast");
  const std::vector<std::int64_t> first = mpi.allgather({node.rank == 0 ? 1 : 0});
  int before = 0;
  for (int r = 0; r < leader; ++r) before += static_cast<int>(first[static_cast<std::size_t>(r)]);
  return before;
}

// CPUs in this rank's affinity mask, and how many ranks of its node have the same mask.
// Every rank takes part in the gather, whether or not it could read its mask (a collective
// skipped by one rank would hang the others).
void cpu_share(const NodeComm& node, RankPlacement& p) {
  struct Mask {
    cpu_set_t cpus;
    int ok;
  } mine{};
  CPU_ZERO(&mine.cpus);
  mine.ok = sched_getaffinity(0, sizeof(mine.cpus), &mine.cpus) == 0 ? 1 : 0;
  std::vector<Mask> all(static_cast<std::size_t>(node.size));
  check(MPI_Allgather(&mine, sizeof(Mask), MPI_BYTE, all.data(), sizeof(Mask), MPI_BYTE, node.comm),
        "MPI_Allgather");
  if (!mine.ok) {
    // No mask to read: assume the whole node is shared by all its ranks.
    p.cpus = omp_get_num_procs();
    p.sharing = node.size;
    return;
  }
  p.cpus = CPU_COUNT(&mine.cpus);
  p.sharing = 0;
  for (const Mask& m : all) p.sharing += m.ok && CPU_EQUAL(&m.cpus, &mine.cpus) ? 1 : 0;
}

}  // namespace

JobPlacement place_ranks(MpiSession& mpi, bool want_gpu) {
  JobPlacement job;
  RankPlacement& p = job.mine;
  {
    const NodeComm node(mpi.rank());
    p.local_rank = node.rank;
    p.node = node_index(mpi, node);
    cpu_share(node, p);
  }
  const char* env = std::getenv("OMP_NUM_THREADS");
  p.threads_from_env = env && *env;
  if (p.threads_from_env) {
    p.threads = omp_get_max_threads();
  } else {
    p.threads = threads_for_rank(p.cpus, p.sharing);
    omp_set_num_threads(p.threads);
  }
  if (want_gpu) {
    const RankError e = mpi.together([&] {
      p.gpus = cuda_device_count();
      p.gpu = use_cuda_device_for(p.local_rank);
    });
    if (e.code != 0) mpi.fail(e);
  }
  const std::vector<std::int64_t> all = mpi.allgather({p.node, p.local_rank, p.cpus, p.sharing, p.threads,
                                                       p.threads_from_env ? 1 : 0, p.gpus, p.gpu});
  std::vector<RankPlacement> ranks(static_cast<std::size_t>(mpi.size()));
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    const std::int64_t* v = all.data() + 8 * r;
    ranks[r] = RankPlacement{static_cast<int>(v[0]), static_cast<int>(v[1]), static_cast<int>(v[2]),
                             static_cast<int>(v[3]), static_cast<int>(v[4]), v[5] != 0,
                             static_cast<int>(v[6]), static_cast<int>(v[7])};
  }
  job.summary = describe_placement(ranks);
  return job;
}

}  // namespace turnpoint::cluster
