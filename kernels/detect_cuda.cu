// CUDA backend: the same cost functors as the CPU backend (kernels/*.hpp, compiled for the
// device through TP_HD), launched over batches of series; this file is the host side, the
// kernels are in kernels/detect_cuda_kernels.cuh.
//
// Work decomposition (issue 16): one warp per unit of work (a series, or one CROPS fit of a
// series) for PELT and binary segmentation, one block per unit for OP and segment
// neighbourhood; their phases are the TP_HD templates of kernels/*_group.hpp, which the CPU
// tests run through a host model of a warp (tests/kernels/group_model_test.cpp). Per chunk:
//   host   validation, standardisation and sigma of every series (prepare_series, as on the
//          CPU); series padded with missing days arrive one span at a time (detect.cpp)
//   H2D    shifted values and per-series parameters (pinned staging from a persistent pool)
//   device prefix sums -> solver -> gains and cost -> CUB scan of the change counts ->
//          packed changes
//   D2H    counts/offsets, costs, paths; then the packed changes and gains
// Chunks are sized by device memory only (and split into a few when the batch is large, so
// that transfers overlap kernels); they alternate between two streams and two buffer sets.
// Nothing here calls cudaDeviceSynchronize: the host waits on its own streams only.
//
// Identical answers: kernels/CMakeLists.txt compiles this file with --fmad=false, so the
// device evaluates every expression with the same roundings as the host compiler (no FMA
// contraction; explicit std::fma calls are exact on both); log(length), 1/length and the
// regression basis are tables computed here with the CPU backend's expressions. What remains
// device arithmetic is the log() of data-dependent values in the mean-variance and Poisson
// costs, which may differ from glibc's by an ulp: a change day could then only differ where
// two candidates tie to an ulp.
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <cub/device/device_scan.cuh>

#include "kernels/crops.hpp"
#include "kernels/cuda_check.hpp"
#include "kernels/cuda_memory.cuh"
#include "kernels/detect.hpp"
#include "kernels/detect_cuda.cuh"
#include "kernels/detect_cuda_kernels.cuh"
#include "kernels/pinned_pool.cuh"
#include "kernels/series_prep.hpp"
#include "kernels/tuning.hpp"
#include "kernels/validate_config.hpp"

namespace turnpoint::detail {
namespace {

// ---- memory: one device allocation per buffer set, pinned staging from the pool ----
// (Carver, DeviceBlock, Stream, Event: kernels/cuda_memory.cuh; PinnedPool:
// kernels/pinned_pool.cuh)

// Host (pinned) views of one buffer set.
struct HostStage {
  double* x = nullptr;
  double* inv_var = nullptr;
  double* var_floor = nullptr;
  unsigned char* full = nullptr;
  int* series = nullptr;
  double* pen = nullptr;
  int* offsets = nullptr;
  double* cost = nullptr;
  double* path_cost = nullptr;
  int* path = nullptr;
};

void carve_device(Carver& c, const BatchSpec& b, Method method, std::int64_t S, std::int64_t U,
                  std::size_t scan_bytes, SeriesArrays& s, UnitArrays& w) {
  const std::size_t n = static_cast<std::size_t>(b.n), n1 = n + 1;
  const std::size_t ns = static_cast<std::size_t>(b.ns), k1 = static_cast<std::size_t>(b.kmax) + 1;
  const std::size_t cap = static_cast<std::size_t>(b.cap);
  s.x = c.take<double>(S * n);
  s.hi = c.take<double>(S * ns * n1);
  s.lo = c.take<double>(S * ns * n1);
  s.tmp = c.take<double>(S * ns);
  s.inv_var = c.take<double>(S);
  s.var_floor = c.take<double>(S);
  s.full = c.take<unsigned char>(S);
  w.series = c.take<int>(U);
  w.pen = c.take<double>(U);
  if (method == Method::op || method == Method::pelt) {
    w.F = c.take<double>(U * n1);
    w.last = c.take<int>(U * n1);
  }
  if (method == Method::pelt) {  // the candidates beyond the shared part of the store
    w.cand_t = c.take<int>(U * n1);
    w.cand_f = c.take<double>(U * n1);
    w.cand_kill = c.take<int>(U * n1);
    w.cand_val = c.take<double>(U * n1);
  } else if (method == Method::segneigh) {
    w.G = c.take<double>(U * k1 * n1);
    w.bp = c.take<int>(U * k1 * n1);
    if (!b.segneigh_shared) {
      const std::size_t nk = static_cast<std::size_t>(b.kmax) * tn::kSegNeighThreads;
      w.sn_best_v = c.take<double>(U * nk);
      w.sn_best_t = c.take<int>(U * nk);
      w.sn_tri = c.take<double>(U * 32);
    }
  } else if (method == Method::binseg) {
    w.seg_a = c.take<int>(U * k1);
    w.seg_b = c.take<int>(U * k1);
    w.best_t = c.take<int>(U * k1);
    w.best_g = c.take<double>(U * k1);
    w.found_g = c.take<double>(U * k1);
  }
  w.count = c.take<int>(U + 1);
  w.offsets = c.take<int>(U + 1);
  w.cost = c.take<double>(U);
  w.changes = c.take<int>(U * cap);
  w.gains = c.take<double>(U * cap);
  w.path_cost = c.take<double>(U * k1);
  w.path = c.take<int>(U * static_cast<std::size_t>(b.path_stride));
  w.packed_changes = c.take<int>(U * cap);
  w.packed_gains = c.take<double>(U * cap);
  w.scan_tmp = c.take<char>(scan_bytes);
  w.scan_bytes = scan_bytes;
}

void carve_host(Carver& c, const BatchSpec& b, std::int64_t S, std::int64_t U, HostStage& h) {
  const std::size_t k1 = static_cast<std::size_t>(b.kmax) + 1;
  h.x = c.take<double>(S * static_cast<std::size_t>(b.n));
  h.inv_var = c.take<double>(S);
  h.var_floor = c.take<double>(S);
  h.full = c.take<unsigned char>(S);
  h.series = c.take<int>(U);
  h.pen = c.take<double>(U);
  h.offsets = c.take<int>(U + 1);
  h.cost = c.take<double>(U);
  h.path_cost = c.take<double>(U * k1);
  h.path = c.take<int>(U * static_cast<std::size_t>(b.path_stride));
}

// One buffer set: device arrays, pinned staging (pool slots 2i and 2i + 1), a stream and the
// kernel-time events. Members are destroyed in reverse order: the stream (synchronised)
// goes first.
struct BufferSet {
  DeviceBlock device;
  std::size_t slot = 0;  // pool slot of the staging; slot + 1 holds the packed changes
  Event start, stop;
  Stream stream;
  SeriesArrays s;
  UnitArrays w;
  HostStage h;
  std::int64_t n_series = 0;  // in the chunk now in flight
  int n_units = 0;
  std::int64_t first = 0;     // index into the list of ok series
  bool busy = false;
};

// Host views of a finished launch.
struct UnitResults {
  const int* offsets;
  const double* cost;
  const double* path_cost;
  const int* path;
  const int* changes;
  const double* gains;
};

// Dynamic shared memory of the kernels that take it.
std::size_t pelt_shared_bytes(const BatchSpec& b) {
  return static_cast<std::size_t>(tn::kPeltWarpsPerBlock) * b.pelt_cap * 3 * sizeof(double);
}
std::size_t segneigh_shared_bytes(int kmax) {
  const std::size_t nk = static_cast<std::size_t>(kmax) * tn::kSegNeighThreads;
  return nk * (sizeof(double) + sizeof(int)) + 32 * sizeof(double);
}

// ---- one batch ---------------------------------------------------------------------

class CudaBatch {
 public:
  CudaBatch(const double* values, std::int64_t n_series, int n_time, const std::int32_t* days,
            const DetectConfig& cfg, CudaTimings* timings, const CudaOptions& options)
      : values_(values), n_series_(n_series), n_(n_time), days_(days), cfg_(cfg), t_(timings),
        options_(options) {}

  DetectResult run();

 private:
  void prepare(DetectResult& out);
  void upload_constants();
  void plan(std::int64_t n_ok, bool crops);
  void stage_series(BufferSet& set, std::int64_t first, std::int64_t count);
  void launch(BufferSet& set, int n_units, bool with_prefix);
  UnitResults fetch(BufferSet& set);
  void run_plain(DetectResult& out);
  void run_crops(DetectResult& out);

  const double* values_;
  std::int64_t n_series_;
  int n_;
  const std::int32_t* days_;
  const DetectConfig& cfg_;
  CudaTimings* t_;
  CudaOptions options_;

  BatchSpec spec_{};
  bool crops_ = false;
  Method solver_ = Method::pelt;  // the kernel that runs: cfg_.method, or PELT for CROPS
  std::vector<SeriesPrep> prep_;
  std::vector<std::int64_t> ok_;  // series with status ok, the ones the device sees
  std::vector<double> pen_;       // per series
  // Declared before the buffer sets, so released after their streams are synchronised.
  std::unique_lock<std::mutex> pool_lock_;
  DeviceBlock constants_;  // log(len), 1/len and the regression basis rows
  std::vector<BufferSet> sets_;
  std::int64_t chunk_series_ = 0;
  std::int64_t chunk_units_ = 0;
};

void CudaBatch::prepare(DetectResult& out) {
  out.series.resize(static_cast<std::size_t>(n_series_));
  prep_.resize(static_cast<std::size_t>(n_series_));
  pen_.resize(static_cast<std::size_t>(n_series_));
  const int d = changing_parameters(cfg_);
  std::exception_ptr error;
#pragma omp parallel for schedule(dynamic, 64)
  for (std::int64_t i = 0; i < n_series_; ++i) {
    try {
      const std::string label = std::to_string(i);
      const SeriesPrep p = prepare_series(values_ + i * n_, n_, cfg_, label.c_str());
      if (p.status == SeriesStatus::ok && (p.begin != 0 || p.end != n_))
        throw std::logic_error("CUDA batch given a series padded with missing days "
                               "(detect_cuda_timed runs those through detect_by_span)");
      SeriesDetection& r = out.series[static_cast<std::size_t>(i)];
      r.status = p.status;
      r.n_valid = p.n_valid;
      r.sigma = p.sigma;
      r.penalty = penalty_value(cfg_.penalty, std::max(p.n_valid, 2), d);
      prep_[static_cast<std::size_t>(i)] = p;
      pen_[static_cast<std::size_t>(i)] = r.penalty;
    } catch (...) {
#pragma omp critical(turnpoint_cuda_prep_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  for (std::int64_t i = 0; i < n_series_; ++i)
    if (prep_[static_cast<std::size_t>(i)].status == SeriesStatus::ok) ok_.push_back(i);
}

// The tables every series of the batch shares, computed here with the CPU backend's
// expressions (kernels/detect_cpu.cpp) and uploaded once: log(0..n) for MBIC, 1/(0..n) for
// series with no missing day, and the regression basis rows [n][p] (BasisSpec::rows).
void CudaBatch::upload_constants() {
  const std::size_t n1 = static_cast<std::size_t>(n_) + 1;
  std::vector<double> host(2 * n1);
  for (std::size_t i = 0; i < n1; ++i) host[i] = std::log(static_cast<double>(i));
  host[n1] = 0.0;
  for (std::size_t i = 1; i < n1; ++i) host[n1 + i] = 1.0 / static_cast<double>(i);
  const bool regression = cfg_.cost == CostKind::regression;
  if (regression) {
    TURNPOINT_EXPECTS(days_ != nullptr || n_ == 0, "the regression cost needs the day axis");
    const BasisSpec on_host = basis_spec(cfg_.basis, days_,
                                         cfg_.basis.dummies.empty() ? nullptr : cfg_.basis.dummies.data());
    host.resize(2 * n1 + static_cast<std::size_t>(n_) * on_host.columns());
    basis_table(on_host, n_, host.data() + 2 * n1);
  }
  TURNPOINT_CUDA_TRY_AS(cudaMalloc(reinterpret_cast<void**>(&constants_.p), sizeof(double) * host.size()),
                        "allocating the batch's tables on the device");
  TURNPOINT_CUDA_TRY_AS(cudaMemcpy(constants_.p, host.data(), sizeof(double) * host.size(),
                                   cudaMemcpyHostToDevice),
                        "copying the batch's tables to the device");
  const double* dev = reinterpret_cast<const double*>(constants_.p);
  spec_.log_len = dev;
  spec_.inv_len = dev + n1;
  spec_.basis = basis_spec(cfg_.basis, nullptr, nullptr);  // counts only: rows replace them
  if (regression) spec_.basis.rows = dev + 2 * n1;
}

// Chooses the chunk size from the free device memory and allocates the buffer sets.
void CudaBatch::plan(std::int64_t n_ok, bool crops) {
  // A plain run has one unit per series and pipelines two sets; CROPS fits up to two
  // penalties per series per round, one set (its rounds depend on each other anyway).
  const int n_sets = crops ? 1 : tn::kStreams;
  const std::int64_t units_per_series = crops ? 2 : 1;
  // Chunks by device memory only, except that a large batch is cut in kPipelineChunks (each
  // still filling the GPU) so that transfers overlap kernels; a test may force smaller ones.
  const std::int64_t max_by_int = std::max<std::int64_t>(1, (INT32_MAX - 1) / spec_.cap / 2);
  std::int64_t want = std::min(n_ok, max_by_int);
  if (!crops)
    want = std::min(want, std::max(tn::kFillSeries, (n_ok + tn::kPipelineChunks - 1) / tn::kPipelineChunks));
  if (options_.max_chunk_series > 0) want = std::min(want, options_.max_chunk_series);

  std::size_t free_b = 0, total_b = 0;
  TURNPOINT_CUDA_TRY(cudaMemGetInfo(&free_b, &total_b));
  const double budget = static_cast<double>(free_b) * tn::kDeviceMemoryFraction;
  auto scan_bytes_for = [&](std::int64_t units) {
    std::size_t bytes = 0;
    TURNPOINT_CUDA_TRY_AS(cub::DeviceScan::ExclusiveSum(nullptr, bytes, static_cast<int*>(nullptr),
                                                        static_cast<int*>(nullptr),
                                                        static_cast<int>(units + 1)),
                          "sizing the CUB scan of the change counts");
    return bytes;
  };
  auto set_bytes = [&](std::int64_t S) {
    SeriesArrays s;
    UnitArrays w;
    Carver c(nullptr);
    const std::int64_t U = S * units_per_series;
    carve_device(c, spec_, solver_, S, U, scan_bytes_for(U), s, w);
    return c.used();
  };
  // Largest S (<= want) whose sets fit the budget: per-set bytes are affine in S.
  const double one = static_cast<double>(set_bytes(1));
  const double per = want > 1 ? (static_cast<double>(set_bytes(want)) - one) / static_cast<double>(want - 1) : one;
  std::int64_t S = want;
  if (static_cast<double>(n_sets) * static_cast<double>(set_bytes(S)) > budget)
    S = static_cast<std::int64_t>((budget / n_sets - one) / per) + 1;
  while (S >= 1 && static_cast<double>(n_sets) * static_cast<double>(set_bytes(S)) > budget) --S;
  if (S < 1)
    throw cuda_error(fmt::format(
        "CUDA backend: one series of {} days needs {:.1f} MB of device memory for method {} "
        "and cost {}, but only {:.1f} MB of the {:.1f} MB free may be used; use --backend cpu",
        n_, one / 1e6, to_string(cfg_.method), to_string(cfg_.cost), budget / n_sets / 1e6,
        static_cast<double>(free_b) / 1e6));
  chunk_series_ = S;
  chunk_units_ = S * units_per_series;

  // One chunk needs one buffer set: a small batch allocates (and creates streams) once, not
  // kStreams times.
  const std::int64_t chunks = (n_ok + S - 1) / S;
  sets_ = std::vector<BufferSet>(static_cast<std::size_t>(std::min<std::int64_t>(n_sets, chunks)));
  for (std::size_t i = 0; i < sets_.size(); ++i) {
    BufferSet& set = sets_[i];
    set.slot = 2 * i;
    const std::size_t scan_bytes = scan_bytes_for(chunk_units_);
    Carver measure(nullptr);
    carve_device(measure, spec_, solver_, chunk_series_, chunk_units_, scan_bytes, set.s, set.w);
    TURNPOINT_CUDA_TRY_AS(cudaMalloc(reinterpret_cast<void**>(&set.device.p), measure.used()),
                          fmt::format("allocating {:.1f} MB of device workspace for {} series",
                                      static_cast<double>(measure.used()) / 1e6, chunk_series_)
                              .c_str());
    Carver dev(set.device.p);
    carve_device(dev, spec_, solver_, chunk_series_, chunk_units_, scan_bytes, set.s, set.w);
    Carver hmeasure(nullptr);
    carve_host(hmeasure, spec_, chunk_series_, chunk_units_, set.h);
    Carver host(PinnedPool::instance().get(set.slot, hmeasure.used(),
                                           "allocating pinned host staging buffers"));
    carve_host(host, spec_, chunk_series_, chunk_units_, set.h);
    TURNPOINT_CUDA_TRY(cudaStreamCreateWithFlags(&set.stream.s, cudaStreamNonBlocking));
    TURNPOINT_CUDA_TRY(cudaEventCreate(&set.start.e));
    TURNPOINT_CUDA_TRY(cudaEventCreate(&set.stop.e));
  }
}

// Packs `count` ok series starting at ok_[first] (shifted, as the CPU does) into the
// set's pinned staging and queues their upload.
void CudaBatch::stage_series(BufferSet& set, std::int64_t first, std::int64_t count) {
  const std::size_t n = static_cast<std::size_t>(n_);
#pragma omp parallel for schedule(static)
  for (std::int64_t j = 0; j < count; ++j) {
    const std::int64_t i = ok_[static_cast<std::size_t>(first + j)];
    const SeriesPrep& p = prep_[static_cast<std::size_t>(i)];
    const double* x = values_ + i * n_;
    double* dst = set.h.x + static_cast<std::size_t>(j) * n;
    for (std::size_t t = 0; t < n; ++t) dst[t] = p.value(x[t]);  // standardised, as the CPU does
    set.h.inv_var[j] = p.inv_var;
    set.h.var_floor[j] = p.var_floor;
    set.h.full[j] = p.n_valid == n_ ? 1 : 0;  // as detect_cpu.cpp: the 1/len table only then
  }
  const cudaStream_t st = set.stream.s;
  TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(set.s.x, set.h.x, sizeof(double) * n * count,
                                        cudaMemcpyHostToDevice, st),
                        "copying series values to the device");
  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.s.inv_var, set.h.inv_var, sizeof(double) * count,
                                     cudaMemcpyHostToDevice, st));
  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.s.var_floor, set.h.var_floor, sizeof(double) * count,
                                     cudaMemcpyHostToDevice, st));
  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.s.full, set.h.full, static_cast<std::size_t>(count),
                                     cudaMemcpyHostToDevice, st));
  set.n_series = count;
  set.first = first;
}

// Queues: units upload, [prefix sums], solver, scan, gather, and the first downloads.
// set.h.series / set.h.pen must hold the n_units units.
void CudaBatch::launch(BufferSet& set, int n_units, bool with_prefix) {
  const cudaStream_t st = set.stream.s;
  const int tpb = tn::kThreadsPerBlock;
  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.w.series, set.h.series, sizeof(int) * n_units,
                                     cudaMemcpyHostToDevice, st));
  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.w.pen, set.h.pen, sizeof(double) * n_units,
                                     cudaMemcpyHostToDevice, st));
  TURNPOINT_CUDA_TRY(cudaMemsetAsync(set.w.count + n_units, 0, sizeof(int), st));
  TURNPOINT_CUDA_TRY(cudaEventRecord(set.start.e, st));
  // The host switch on the cost: one kernel instantiation per cost and MBIC choice.
  const Method solver = solver_;
  const BatchSpec& b = spec_;
  with_cost_tag(b.cost, b.mbic, [&](auto tag) {
    using Tag = decltype(tag);
    if (with_prefix) {
      prefix_kernel<Tag::id><<<blocks_for(set.n_series), tpb, 0, st>>>(b, set.s, static_cast<int>(set.n_series));
      TURNPOINT_CUDA_CHECK_LAUNCH("prefix_kernel (prefix sums of the sufficient statistics)");
    }
    switch (solver) {
      case Method::pelt: {
        const int blocks = (n_units + tn::kPeltWarpsPerBlock - 1) / tn::kPeltWarpsPerBlock;
        pelt_kernel<Tag::id, Tag::mbic><<<blocks, tn::kPeltWarpsPerBlock * 32, pelt_shared_bytes(b), st>>>(
            b, set.s, set.w, n_units, true);
        TURNPOINT_CUDA_CHECK_LAUNCH("pelt_kernel (PELT, one warp per series)");
        break;
      }
      case Method::op:
        op_kernel<Tag::id, Tag::mbic><<<n_units, tn::kOpThreads, 0, st>>>(b, set.s, set.w);
        TURNPOINT_CUDA_CHECK_LAUNCH("op_kernel (optimal partitioning, one block per series)");
        break;
      case Method::segneigh:
        segneigh_kernel<Tag::id, Tag::mbic><<<n_units, tn::kSegNeighThreads,
                                              b.segneigh_shared ? segneigh_shared_bytes(b.kmax) : 0, st>>>(
            b, set.s, set.w);
        TURNPOINT_CUDA_CHECK_LAUNCH("segneigh_kernel (segment neighbourhood, one block per series)");
        break;
      case Method::fpop:  // never here: detect() runs fpop on the CPU (kernels/detect.cpp)
        break;
      case Method::binseg: {
        const int blocks = (n_units + tn::kBinsegWarpsPerBlock - 1) / tn::kBinsegWarpsPerBlock;
        binseg_kernel<Tag::id, Tag::mbic><<<blocks, tn::kBinsegWarpsPerBlock * 32, 0, st>>>(
            b, set.s, set.w, n_units);
        TURNPOINT_CUDA_CHECK_LAUNCH("binseg_kernel (binary segmentation, one warp per series)");
        break;
      }
    }
  });
  std::size_t scan_bytes = set.w.scan_bytes;
  TURNPOINT_CUDA_TRY_AS(cub::DeviceScan::ExclusiveSum(set.w.scan_tmp, scan_bytes, set.w.count,
                                                      set.w.offsets, n_units + 1, st),
                        "CUB scan of the change counts");
  gather_kernel<<<blocks_for(n_units), tpb, 0, st>>>(set.w, n_units, spec_.cap);
  TURNPOINT_CUDA_CHECK_LAUNCH("gather_kernel (packing the changes)");
  TURNPOINT_CUDA_TRY(cudaEventRecord(set.stop.e, st));

  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.h.offsets, set.w.offsets, sizeof(int) * (n_units + 1),
                                     cudaMemcpyDeviceToHost, st));
  TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.h.cost, set.w.cost, sizeof(double) * n_units,
                                     cudaMemcpyDeviceToHost, st));
  if (solver_ == Method::segneigh || solver_ == Method::binseg) {
    const std::size_t k1 = static_cast<std::size_t>(spec_.kmax) + 1;
    TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.h.path_cost, set.w.path_cost,
                                       sizeof(double) * k1 * n_units, cudaMemcpyDeviceToHost, st));
    TURNPOINT_CUDA_TRY(cudaMemcpyAsync(set.h.path, set.w.path,
                                       sizeof(int) * static_cast<std::size_t>(spec_.path_stride) * n_units,
                                       cudaMemcpyDeviceToHost, st));
  }
  set.n_units = n_units;
  set.busy = true;
  if (t_) t_->units += n_units;
}

// Waits for the set's stream, then downloads the packed changes and gains.
UnitResults CudaBatch::fetch(BufferSet& set) {
  const cudaStream_t st = set.stream.s;
  TURNPOINT_CUDA_TRY_AS(cudaStreamSynchronize(st), "running the detection kernels");
  const int total = set.h.offsets[set.n_units];
  const std::size_t int_bytes = (sizeof(int) * static_cast<std::size_t>(total) + 7) / 8 * 8;
  // From the pool: grown (never freed) only when this chunk has more changes than any before.
  char* packed = PinnedPool::instance().get(set.slot + 1,
                                            int_bytes + sizeof(double) * static_cast<std::size_t>(total) + 8,
                                            "allocating pinned host memory for the changes");
  int* changes = reinterpret_cast<int*>(packed);
  double* gains = reinterpret_cast<double*>(packed + int_bytes);
  if (total > 0) {
    TURNPOINT_CUDA_TRY(cudaMemcpyAsync(changes, set.w.packed_changes, sizeof(int) * total,
                                       cudaMemcpyDeviceToHost, st));
    TURNPOINT_CUDA_TRY(cudaMemcpyAsync(gains, set.w.packed_gains, sizeof(double) * total,
                                       cudaMemcpyDeviceToHost, st));
    TURNPOINT_CUDA_TRY_AS(cudaStreamSynchronize(st), "copying the changes to the host");
  }
  if (t_) {
    float ms = 0.0f;
    TURNPOINT_CUDA_TRY(cudaEventElapsedTime(&ms, set.start.e, set.stop.e));
    t_->kernel_ms += ms;
  }
  set.busy = false;
  return UnitResults{set.h.offsets, set.h.cost, set.h.path_cost, set.h.path, changes, gains};
}

// One unit per series; chunks alternate between the buffer sets.
void CudaBatch::run_plain(DetectResult& out) {
  const std::int64_t n_ok = static_cast<std::int64_t>(ok_.size());
  const std::size_t k1 = static_cast<std::size_t>(spec_.kmax) + 1;
  const int row_stride = spec_.kmax > 0 ? spec_.kmax : 1;
  auto unpack = [&](BufferSet& set) {
    const UnitResults res = fetch(set);
#pragma omp parallel for schedule(static)
    for (int u = 0; u < set.n_units; ++u) {
      const std::int64_t i = ok_[static_cast<std::size_t>(set.first + u)];
      SeriesDetection& r = out.series[static_cast<std::size_t>(i)];
      const int o = res.offsets[u], k = res.offsets[u + 1] - o;
      r.changes.assign(res.changes + o, res.changes + o + k);
      r.gains.assign(res.gains + o, res.gains + o + k);
      r.cost = res.cost[u];
      const double* pc = res.path_cost + static_cast<std::size_t>(u) * k1;
      const int* path = res.path + static_cast<std::size_t>(u) * spec_.path_stride;
      if (cfg_.method == Method::segneigh) {
        r.path_cost.assign(pc, pc + k1);
        r.path.assign(k1, {});
        for (std::size_t kk = 0; kk < k1; ++kk) {
          if (!(pc[kk] < inf())) continue;
          const int* row = path + kk * row_stride;
          r.path[kk].assign(row, row + kk);
        }
      } else if (cfg_.method == Method::binseg) {
        r.path_cost.assign(pc, pc + k + 1);
        r.path.assign(static_cast<std::size_t>(k) + 1, {});
        for (int j = 0; j <= k; ++j) {
          r.path[j].assign(path, path + j);
          std::sort(r.path[j].begin(), r.path[j].end());
        }
      }
    }
  };
  std::size_t next_set = 0;
  for (std::int64_t first = 0; first < n_ok; first += chunk_series_) {
    BufferSet& set = sets_[next_set];
    next_set = (next_set + 1) % sets_.size();
    if (set.busy) unpack(set);  // the chunk queued on this set two steps ago
    const std::int64_t count = std::min(chunk_series_, n_ok - first);
    stage_series(set, first, count);
    for (std::int64_t j = 0; j < count; ++j) {
      set.h.series[j] = static_cast<int>(j);
      set.h.pen[j] = pen_[static_cast<std::size_t>(ok_[static_cast<std::size_t>(first + j)])];
    }
    launch(set, static_cast<int>(count), true);
    if (t_) ++t_->chunks;
  }
  for (std::size_t j = 0; j < sets_.size(); ++j) {  // oldest first
    BufferSet& set = sets_[(next_set + j) % sets_.size()];
    if (set.busy) unpack(set);
  }
}

// CROPS (Haynes et al. 2017) with the penalty search on the host (kernels/crops.hpp, the
// same bookkeeping as the CPU backend) and every PELT fit on the device: each round fits
// the pending penalties of every series of the chunk at once, so the set of fits and
// their order, hence the result, are the CPU's.
void CudaBatch::run_crops(DetectResult& out) {
  const double lo = cfg_.crops_min, hi = cfg_.crops_max;
  const std::int64_t n_ok = static_cast<std::int64_t>(ok_.size());
  BufferSet& set = sets_[0];
  for (std::int64_t first = 0; first < n_ok; first += chunk_series_) {
    const std::int64_t count = std::min(chunk_series_, n_ok - first);
    stage_series(set, first, count);
    if (t_) ++t_->chunks;
    std::vector<CropsSearch> st(static_cast<std::size_t>(count), CropsSearch(lo, hi));
    bool with_prefix = true;
    std::vector<std::pair<int, double>> units;  // (series in chunk, penalty)
    for (;;) {
      units.clear();
      for (int j = 0; j < count; ++j)
        for (double pen : st[static_cast<std::size_t>(j)].pending()) units.push_back({j, pen});
      if (units.empty()) break;
      for (std::size_t u = 0; u < units.size(); ++u) {
        set.h.series[u] = units[u].first;
        set.h.pen[u] = units[u].second;
      }
      launch(set, static_cast<int>(units.size()), with_prefix);
      with_prefix = false;
      const UnitResults res = fetch(set);
      std::vector<std::vector<CropsFit>> fits(static_cast<std::size_t>(count));
      for (std::size_t u = 0; u < units.size(); ++u) {
        const int o = res.offsets[u], k = res.offsets[u + 1] - o;
        fits[static_cast<std::size_t>(units[u].first)].push_back(
            CropsFit{units[u].second, k, res.cost[u], std::vector<int>(res.changes + o, res.changes + o + k),
                     std::vector<double>(res.gains + o, res.gains + o + k)});
      }
      for (int j = 0; j < count; ++j)
        if (!fits[static_cast<std::size_t>(j)].empty())
          st[static_cast<std::size_t>(j)].add(std::move(fits[static_cast<std::size_t>(j)]));
    }
    for (int j = 0; j < count; ++j) {
      const CropsSearch& search = st[static_cast<std::size_t>(j)];
      SeriesDetection& r = out.series[static_cast<std::size_t>(ok_[static_cast<std::size_t>(first + j)])];
      r.crops = search.segmentations();
      if (const CropsFit* f = search.fewest_changes()) {
        r.changes = f->changes;
        r.gains = f->gains;  // change_gains of these changes, on the device
        r.cost = f->q;       // segmentation_cost of these changes
      }
    }
  }
}

DetectResult CudaBatch::run() {
  const auto t0 = std::chrono::steady_clock::now();
  validate_config(cfg_, n_);
  DetectResult out;
  out.backend_used = Backend::cuda;
  prepare(out);
  const auto t1 = std::chrono::steady_clock::now();
  if (t_) t_->prep_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();

  crops_ = cfg_.crops_max > cfg_.crops_min && cfg_.crops_min >= 0.0;
  // CROPS fits PELT at every penalty, whatever the method (as kernels/detect_cpu.cpp does).
  solver_ = crops_ ? Method::pelt : cfg_.method;
  if (!ok_.empty()) {
    pool_lock_ = PinnedPool::instance().lock();
    PinnedPool::instance().trim();  // no stream of ours runs now
    CostParams cp;
    cp.id = static_cast<CostId>(static_cast<int>(cfg_.cost));
    cp.n = n_;
    cp.basis = basis_spec(cfg_.basis, nullptr, nullptr);  // counts only
    spec_.cost = cp.id;
    spec_.mbic = !crops_ && cfg_.penalty.kind == PenaltyKind::mbic;  // as the CPU backend
    spec_.n = n_;
    spec_.ns = stats_count(cp);
    spec_.m = effective_min_size(cfg_);
    spec_.kmax = cfg_.max_changes;
    const bool dp = solver_ == Method::op || solver_ == Method::pelt;
    spec_.cap = dp ? n_ / spec_.m + 1 : cfg_.max_changes + 1;
    spec_.path_stride = solver_ == Method::segneigh
                            ? (cfg_.max_changes + 1) * std::max(cfg_.max_changes, 1)
                            : solver_ == Method::binseg ? cfg_.max_changes + 1 : 0;
    spec_.pelt_cap = std::min(tn::kPeltSharedCandidates, n_ + 1);
    spec_.segneigh_shared = segneigh_shared_bytes(spec_.kmax) <= tn::kSegNeighSharedBytes;
    upload_constants();
    plan(static_cast<std::int64_t>(ok_.size()), crops_);
    if (crops_)
      run_crops(out);
    else
      run_plain(out);
    // Costs back to data units, every cost and gain checked finite (as the CPU backend).
    for (std::int64_t i : ok_) {
      const std::string label = std::to_string(i);
      finish_series(prep_[static_cast<std::size_t>(i)], label.c_str(), out.series[static_cast<std::size_t>(i)]);
    }
  }
  if (t_)
    t_->wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace

DetectResult detect_cuda_timed(const double* values, std::int64_t n_series, int n_time,
                               const std::int32_t* days, const DetectConfig& config,
                               CudaTimings* timings, const CudaOptions& options) {
  TURNPOINT_EXPECTS(n_series >= 0 && n_time >= 0, "bad panel shape {} x {}", n_series, n_time);
  if (timings) *timings = CudaTimings{};
  // Series padded with missing days run one batch per span (kernels/series_prep.hpp).
  return detect_by_span(values, n_series, n_time, days, config,
                        [&](const double* v, std::int64_t s, int n, const std::int32_t* d,
                            const DetectConfig& c) { return CudaBatch(v, s, n, d, c, timings, options).run(); });
}

DetectResult detect_cuda(const double* values, std::int64_t n_series, int n_time,
                         const std::int32_t* days, const DetectConfig& config) {
  return detect_cuda_timed(values, n_series, n_time, days, config, nullptr);
}

// True iff the runtime sees a device and one of our kernels has an image for it. Never
// prints; without a driver cudaGetDeviceCount just returns an error code.
bool cuda_usable() {
  static const bool usable = [] {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count < 1) {
      (void)cudaGetLastError();
      return false;
    }
    cudaFuncAttributes attr{};
    if (cudaFuncGetAttributes(&attr, prefix_kernel<CostId::mean>) != cudaSuccess) {
      (void)cudaGetLastError();
      return false;
    }
    return true;
  }();
  return usable;
}

}  // namespace turnpoint::detail
