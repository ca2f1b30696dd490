// Where the ranks of an MPI job run (host/cluster/placement.hpp, kernels/device_select.hpp):
// the thread share of ranks that share CPUs, the GPU of each local rank, and the job's line.
// The MPI side (masks gathered from real ranks) is tested by tests/cli/mpi_cluster_cli.py.
#include <gtest/gtest.h>

#include "host/cluster/placement.hpp"
#include "kernels/device_select.hpp"

namespace turnpoint::cluster {
namespace {

TEST(Placement, RanksSharingCpusSplitThemAndKeepAtLeastOne) {
  EXPECT_EQ(threads_for_rank(16, 1), 16);  // a rank bound to its own 16 cores
  EXPECT_EQ(threads_for_rank(16, 4), 4);   // --bind-to none, 4 ranks on a 16-core node
  EXPECT_EQ(threads_for_rank(16, 3), 5);
  EXPECT_EQ(threads_for_rank(2, 3), 1);    // oversubscribed: one each, never zero
  EXPECT_EQ(threads_for_rank(1, 1), 1);
  EXPECT_EQ(threads_for_rank(8, 0), 8);    // nothing gathered: the rank's own mask
}

TEST(Placement, LocalRanksTakeTheNodesGpusRoundRobin) {
  EXPECT_EQ(device_for_local_rank(0, 4), 0);
  EXPECT_EQ(device_for_local_rank(3, 4), 3);
  EXPECT_EQ(device_for_local_rank(5, 4), 1);  // more ranks than GPUs: two share device 1
  EXPECT_EQ(device_for_local_rank(2, 1), 0);  // one visible device each (CUDA_VISIBLE_DEVICES)
  EXPECT_EQ(device_for_local_rank(0, 0), -1);
  EXPECT_EQ(device_for_local_rank(-1, 4), -1);
}

TEST(Placement, TheCpuBuildSeesNoGpuAndSelectsNone) {
#if defined(TURNPOINT_HAVE_CUDA)
  GTEST_SKIP() << "the CUDA build: the device count is the machine's";
#else
  EXPECT_EQ(cuda_device_count(), 0);
  EXPECT_EQ(use_cuda_device_for(1), -1);
#endif
}

TEST(Placement, TheJobsLineSaysNodesThreadsAndGpus) {
  std::vector<RankPlacement> cpu(3);
  for (int r = 0; r < 3; ++r) {
    cpu[r].local_rank = r;
    cpu[r].threads = r == 2 ? 2 : 1;
  }
  EXPECT_EQ(describe_placement(cpu), "3 ranks on 1 node; OpenMP threads per rank: 1-2; no GPU");
  cpu[1].threads_from_env = true;
  EXPECT_EQ(describe_placement(cpu), "3 ranks on 1 node; OpenMP threads per rank: 1-2 (OMP_NUM_THREADS); no GPU");

  // 2 nodes x 3 ranks, 2 GPUs per node: devices 0, 1, 0 on each node.
  std::vector<RankPlacement> gpu(6);
  for (int r = 0; r < 6; ++r) {
    gpu[r].node = r / 3;
    gpu[r].local_rank = r % 3;
    gpu[r].threads = 4;
    gpu[r].gpus = 2;
    gpu[r].gpu = device_for_local_rank(r % 3, 2);
  }
  EXPECT_EQ(describe_placement(gpu), "6 ranks on 2 nodes; OpenMP threads per rank: 4; GPU: local rank mod 2 "
                                     "devices per node, 4 devices in use, at most 2 ranks per device");
  EXPECT_EQ(describe_placement({}), "no ranks");
}

}  // namespace
}  // namespace turnpoint::cluster
