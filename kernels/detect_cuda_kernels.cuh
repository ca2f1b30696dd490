// The detection kernels of the CUDA backend (launched by kernels/detect_cuda.cu), one
// instantiation per cost (CostTag: the host switches on the cost once per batch, so the mean
// cost's kernels carry none of the regression cost's registers and stack) and each with
// __launch_bounds__ from kernels/tuning.hpp:
//   prefix_kernel    one thread per series: compensated prefix sums (serial per series: the
//                    running TwoSum order is what makes them equal to the CPU's to the bit)
//   pelt_kernel      one warp per unit: PELT (kernels/pelt_group.hpp); also CROPS fits
//   op_kernel        one block per unit: optimal partitioning (kernels/op_group.hpp)
//   segneigh_kernel  one block per unit: segment neighbourhood (kernels/segneigh_group.hpp)
//   binseg_kernel    one warp per unit: binary segmentation (kernels/binseg_group.hpp)
//   gather_kernel    packs each unit's changes and gains after the scan of their counts
// The tables the costs read (log(len), 1/len, the regression basis rows) are computed on the
// host with the CPU backend's expressions and uploaded (BatchSpec), so the device evaluates
// exactly the CPU's arithmetic for the mean cost and the regression basis. Internal linkage:
// include from one .cu file only.
#pragma once
#include <cstddef>

#include "kernels/binseg_group.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/group_device.cuh"
#include "kernels/op_group.hpp"
#include "kernels/pelt_group.hpp"
#include "kernels/segmentation.hpp"
#include "kernels/segneigh.hpp"
#include "kernels/segneigh_group.hpp"
#include "kernels/tuning.hpp"

namespace turnpoint::detail {
namespace {

using namespace turnpoint::kernels;
namespace tn = turnpoint::kernels::tuning;

// ---- what the kernels see ----------------------------------------------------------

// The same for every unit of a batch (device pointers).
struct BatchSpec {
  CostId cost = CostId::mean;
  bool mbic = false;
  int n = 0;            // days per series
  int ns = 0;           // statistics per day (stats_count)
  int m = 1;            // effective minimum segment length
  int kmax = 0;         // segneigh / binseg
  int cap = 1;          // capacity for the changes of one unit
  int path_stride = 0;  // ints of path output per unit
  BasisSpec basis{};    // regression: the basis with `rows` (the host-computed table)
  const double* log_len = nullptr;  // log(0..n), for MBIC
  const double* inv_len = nullptr;  // 1/(0..n), for series with no missing day
  int pelt_cap = 0;                 // candidates per warp in shared memory
  bool segneigh_shared = true;      // segment neighbourhood's scratch in shared memory
};

struct SeriesArrays {  // [S] series of a chunk
  double* x = nullptr;          // [S][n] shifted values
  double* hi = nullptr;         // [S][ns (n + 1)] compensated prefix sums
  double* lo = nullptr;
  double* tmp = nullptr;        // [S][ns] scratch of fill_prefix
  double* inv_var = nullptr;    // [S]
  double* var_floor = nullptr;  // [S]
  unsigned char* full = nullptr;  // [S] 1 when the series has no missing day (1/len table)
};

struct UnitArrays {  // [U] units of work (a series, or one CROPS fit of a series)
  int* series = nullptr;  // chunk index of the unit's series
  double* pen = nullptr;
  // OP/PELT: F and last, [U][n + 1] each; PELT's candidate overflow, [U][n + 1] each
  double* F = nullptr;
  int* last = nullptr;
  int* cand_t = nullptr;
  double* cand_f = nullptr;
  int* cand_kill = nullptr;
  double* cand_val = nullptr;
  // segment neighbourhood: table [U][(kmax + 1)(n + 1)] each, scratch when not shared
  double* G = nullptr;
  int* bp = nullptr;
  double* sn_best_v = nullptr;  // [U][kmax kSegNeighThreads]
  int* sn_best_t = nullptr;
  double* sn_tri = nullptr;     // [U][32]
  // binary segmentation workspace, [U][kmax + 1] each
  int* seg_a = nullptr;
  int* seg_b = nullptr;
  int* best_t = nullptr;
  double* best_g = nullptr;
  double* found_g = nullptr;
  // outputs
  int* count = nullptr;      // [U + 1]; count[U] = 0 so that the scan yields the total
  int* offsets = nullptr;    // [U + 1]
  double* cost = nullptr;    // [U]
  int* changes = nullptr;    // [U][cap]
  double* gains = nullptr;   // [U][cap]
  double* path_cost = nullptr;  // [U][kmax + 1]
  int* path = nullptr;          // [U][path_stride]
  int* packed_changes = nullptr;   // [U cap]
  double* packed_gains = nullptr;  // [U cap]
  void* scan_tmp = nullptr;
  std::size_t scan_bytes = 0;
};

__device__ CostParams unit_params(const BatchSpec& b, const SeriesArrays& s, int series) {
  CostParams c;
  c.id = b.cost;
  c.mbic = b.mbic;
  c.n = b.n;
  c.inv_var = s.inv_var[series];
  c.var_floor = s.var_floor[series];
  c.basis = b.basis;
  c.log_len = b.mbic ? b.log_len : nullptr;           // as detect_cpu.cpp
  c.inv_len = s.full[series] ? b.inv_len : nullptr;   // only with no missing day
  return c;
}

__device__ PrefixView unit_prefix(const BatchSpec& b, const SeriesArrays& s, int series) {
  const std::size_t stride = static_cast<std::size_t>(b.ns) * (b.n + 1);
  return PrefixView{s.hi + series * stride, s.lo + series * stride, b.n + 1};
}

template <CostId Id, bool Mbic>
__device__ auto unit_cost(const BatchSpec& b, const SeriesArrays& s, int series) {
  return make_cost<Id, Mbic>(unit_params(b, s, series), unit_prefix(b, s, series));
}

// The chosen segmentation's gains (spread over the group) and total cost (one thread, in
// the serial order of the sum). `ch` must be visible to the whole group.
template <class G, class Cost>
__device__ void finish_unit(const G& g, const Cost& cost, const BatchSpec& b, const UnitArrays& w,
                            int u, const int* ch, int k) {
  double* gains = w.gains + static_cast<std::size_t>(u) * b.cap;
  g.each([&](int i) {
    for (int j = i; j < k; j += G::kSize) gains[j] = change_gain(cost, b.n, ch, k, j);
    if (i == 0) {
      w.count[u] = k;
      w.cost[u] = segmentation_cost(cost, b.n, ch, k);
    }
  });
}

// ---- kernels ---------------------------------------------------------------------------

template <CostId Id>
__global__ void __launch_bounds__(tn::kThreadsPerBlock)
    prefix_kernel(BatchSpec b, SeriesArrays s, int n_series) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n_series) return;
  CostParams cp = unit_params(b, s, i);
  cp.id = Id;  // a constant: only this cost's statistics are compiled in
  const std::size_t stride = static_cast<std::size_t>(b.ns) * (b.n + 1);
  fill_prefix(cp, s.x + static_cast<std::size_t>(i) * b.n, s.hi + i * stride, s.lo + i * stride,
              s.tmp + static_cast<std::size_t>(i) * b.ns);
}

// PELT (prune = true; CROPS fits too) or OP on one warp per unit.
template <CostId Id, bool Mbic>
__global__ void __launch_bounds__(tn::kPeltWarpsPerBlock * 32)
    pelt_kernel(BatchSpec b, SeriesArrays s, UnitArrays w, int n_units, bool prune) {
  extern __shared__ double turnpoint_detect_smem[];  // kPeltWarpsPerBlock x 3 pelt_cap doubles
  const int warp = static_cast<int>(threadIdx.x) >> 5, lane = static_cast<int>(threadIdx.x) & 31;
  const int u = static_cast<int>(blockIdx.x) * tn::kPeltWarpsPerBlock + warp;
  if (u >= n_units) return;  // the whole warp: nothing below synchronises the block
  const int si = w.series[u];
  const auto cost = unit_cost<Id, Mbic>(b, s, si);
  const std::size_t n1 = static_cast<std::size_t>(b.n) + 1;
  // Shared part of this warp's candidate store: [cap] f, [cap] val, then [cap] t, [cap] kill.
  double* mine = turnpoint_detect_smem + static_cast<std::size_t>(warp) * b.pelt_cap * 3;
  const CandArrays fast{reinterpret_cast<int*>(mine + 2 * b.pelt_cap), mine,
                        reinterpret_cast<int*>(mine + 2 * b.pelt_cap) + b.pelt_cap,
                        mine + b.pelt_cap};
  const CandArrays slow{w.cand_t + u * n1, w.cand_f + u * n1, w.cand_kill + u * n1,
                        w.cand_val + u * n1};
  int* ch = w.changes + static_cast<std::size_t>(u) * b.cap;
  const DeviceGroup<32> g{lane};
  const int k = pelt_group(g, cost, b.n, w.pen[u], b.m, prune, CandStore{fast, b.pelt_cap, slow},
                           w.F + u * n1, w.last + u * n1, ch);
  finish_unit(g, cost, b, w, u, ch, k);
}

// Optimal partitioning on one block per unit.
template <CostId Id, bool Mbic>
__global__ void __launch_bounds__(tn::kOpThreads)
    op_kernel(BatchSpec b, SeriesArrays s, UnitArrays w) {
  constexpr int N = tn::kOpThreads;
  __shared__ double scratch_v[N / 32];
  __shared__ int scratch_t[N / 32];
  const int u = static_cast<int>(blockIdx.x);
  const int si = w.series[u];
  const auto cost = unit_cost<Id, Mbic>(b, s, si);
  const std::size_t n1 = static_cast<std::size_t>(b.n) + 1;
  int* ch = w.changes + static_cast<std::size_t>(u) * b.cap;
  const DeviceGroup<N> g{static_cast<int>(threadIdx.x)};
  const int k = op_group(g, cost, b.n, w.pen[u], b.m, w.F + u * n1, w.last + u * n1, scratch_v,
                         scratch_t, ch);
  finish_unit(g, cost, b, w, u, ch, k);
}

// Segment neighbourhood for K = 0..kmax on one block per unit; the penalised best K is chosen
// here with the CPU backend's penalised_k so that its gains and cost use the device functor.
template <CostId Id, bool Mbic>
__global__ void __launch_bounds__(tn::kSegNeighThreads)
    segneigh_kernel(BatchSpec b, SeriesArrays s, UnitArrays w) {
  constexpr int N = tn::kSegNeighThreads;
  extern __shared__ double turnpoint_detect_smem[];  // when b.segneigh_shared (see below)
  const int u = static_cast<int>(blockIdx.x);
  const int si = w.series[u];
  const auto cost = unit_cost<Id, Mbic>(b, s, si);
  const int kmax = b.kmax;
  const int row_stride = kmax > 0 ? kmax : 1;
  const std::size_t table = static_cast<std::size_t>(kmax + 1) * (b.n + 1);
  const std::size_t nk = static_cast<std::size_t>(kmax) * N;
  SegNeighScratch sc;
  if (b.segneigh_shared) {  // [nk] best_v, [32] tri, [nk] best_t
    sc.best_v = turnpoint_detect_smem;
    sc.tri = turnpoint_detect_smem + nk;
    sc.best_t = reinterpret_cast<int*>(turnpoint_detect_smem + nk + 32);
  } else {
    sc.best_v = w.sn_best_v + u * nk;
    sc.best_t = w.sn_best_t + u * nk;
    sc.tri = w.sn_tri + static_cast<std::size_t>(u) * 32;
  }
  double* path_cost = w.path_cost + static_cast<std::size_t>(u) * (kmax + 1);
  int* changes_k = w.path + static_cast<std::size_t>(u) * b.path_stride;
  const DeviceGroup<N> g{static_cast<int>(threadIdx.x)};
  segneigh_group(g, cost, b.n, kmax, b.m, SegNeighWorkspace{w.G + u * table, w.bp + u * table}, sc,
                 path_cost, changes_k);
  const int best_k = penalised_k(path_cost, kmax, w.pen[u]);  // uniform
  const int* row = changes_k + static_cast<std::size_t>(best_k) * row_stride;
  int* ch = w.changes + static_cast<std::size_t>(u) * b.cap;
  g.each([&](int i) {
    for (int j = i; j < best_k; j += N) ch[j] = row[j];
  });
  g.sync();
  finish_unit(g, cost, b, w, u, ch, best_k);
}

// Binary segmentation on one warp per unit; path[u] receives the changes in discovery order
// and path_cost[j] the cost of the first j of them (sorted), as on the CPU.
template <CostId Id, bool Mbic>
__global__ void __launch_bounds__(tn::kBinsegWarpsPerBlock * 32)
    binseg_kernel(BatchSpec b, SeriesArrays s, UnitArrays w, int n_units) {
  const int warp = static_cast<int>(threadIdx.x) >> 5, lane = static_cast<int>(threadIdx.x) & 31;
  const int u = static_cast<int>(blockIdx.x) * tn::kBinsegWarpsPerBlock + warp;
  if (u >= n_units) return;
  const int si = w.series[u];
  const auto cost = unit_cost<Id, Mbic>(b, s, si);
  const int kmax = b.kmax;
  const std::size_t k1 = static_cast<std::size_t>(kmax) + 1;
  const BinSegWorkspace bw{w.seg_a + u * k1, w.seg_b + u * k1, w.best_t + u * k1,
                           w.best_g + u * k1};
  int* order = w.path + static_cast<std::size_t>(u) * b.path_stride;
  double* path_cost = w.path_cost + u * k1;
  int* ch = w.changes + static_cast<std::size_t>(u) * b.cap;
  const DeviceGroup<32> g{lane};
  const int k = binseg_group(g, cost, b.n, kmax, w.pen[u], b.m, bw, order, w.found_g + u * k1);
  g.each([&](int l) {
    if (l != 0) return;
    // ch[0..j) = the first j discoveries, sorted (insertion keeps it sorted)
    path_cost[0] = segmentation_cost(cost, b.n, ch, 0);
    for (int j = 1; j <= k; ++j) {
      const int t = order[j - 1];
      int i = j - 1;
      for (; i > 0 && ch[i - 1] > t; --i) ch[i] = ch[i - 1];
      ch[i] = t;
      path_cost[j] = segmentation_cost(cost, b.n, ch, j);
    }
  });
  g.sync();
  finish_unit(g, cost, b, w, u, ch, k);
}

// Copies each unit's changes and gains to their place in the packed arrays.
__global__ void __launch_bounds__(tn::kThreadsPerBlock) gather_kernel(UnitArrays w, int n_units, int cap) {
  const int u = blockIdx.x * blockDim.x + threadIdx.x;
  if (u >= n_units) return;
  const int o = w.offsets[u];
  const int k = w.offsets[u + 1] - o;
  const std::size_t from = static_cast<std::size_t>(u) * cap;
  for (int j = 0; j < k; ++j) {
    w.packed_changes[o + j] = w.changes[from + j];
    w.packed_gains[o + j] = w.gains[from + j];
  }
}

}  // namespace
}  // namespace turnpoint::detail
