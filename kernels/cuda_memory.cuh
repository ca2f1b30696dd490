// RAII owners of the CUDA backend's memory and streams, the carver that lays many arrays
// out in one allocation (one cudaMalloc per buffer set instead of one per array), chunking
// by device memory and the one-thread-per-unit launch geometry. Shared by the CUDA launchers
// (kernels/*_cuda.cu); host code only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include <cuda_runtime.h>

#include "kernels/error.hpp"
#include "kernels/cuda_check.hpp"
#include "kernels/tuning.hpp"

namespace turnpoint::detail {

// Blocks of tuning::kThreadsPerBlock threads for one thread per unit of work.
inline int blocks_for(std::int64_t units) {
  const std::int64_t tpb = kernels::tuning::kThreadsPerBlock;
  return static_cast<int>((units + tpb - 1) / tpb);
}

// Lays arrays out in one block (256-byte aligned); with base == nullptr it only measures.
class Carver {
 public:
  explicit Carver(char* base) : base_(base) {}
  template <class T>
  T* take(std::size_t count) {
    used_ = (used_ + 255) / 256 * 256;
    T* p = base_ ? reinterpret_cast<T*>(base_ + used_) : nullptr;
    used_ += count * sizeof(T);
    return p;
  }
  std::size_t used() const { return used_; }

 private:
  char* base_;
  std::size_t used_ = 0;
};

struct DeviceBlock {
  char* p = nullptr;
  ~DeviceBlock() { if (p) (void)cudaFree(p); }
};
struct PinnedBlock {
  char* p = nullptr;
  std::size_t size = 0;
  ~PinnedBlock() { if (p) (void)cudaFreeHost(p); }
  void ensure(std::size_t bytes, const char* what) {
    if (bytes <= size) return;
    if (p) TURNPOINT_CUDA_TRY_AS(cudaFreeHost(p), what);
    p = nullptr;
    size = 0;
    TURNPOINT_CUDA_TRY_AS(cudaMallocHost(reinterpret_cast<void**>(&p), bytes), what);
    size = bytes;
  }
};
struct Stream {
  cudaStream_t s = nullptr;
  ~Stream() {
    if (s) {
      (void)cudaStreamSynchronize(s);  // nothing may still use buffers freed after this
      (void)cudaStreamDestroy(s);
    }
  }
};
struct Event {
  cudaEvent_t e = nullptr;
  ~Event() { if (e) (void)cudaEventDestroy(e); }
};

// Bytes a call may allocate: `fraction` of the device's free memory now, less `reserved`.
inline double device_budget(double fraction, std::size_t reserved) {
  std::size_t free_b = 0, total_b = 0;
  TURNPOINT_CUDA_TRY(cudaMemGetInfo(&free_b, &total_b));
  return static_cast<double>(free_b) * fraction - static_cast<double>(reserved);
}

// One device block for the arrays `carve` (a callable taking Carver&) lays out: measured
// first, allocated, then carved for real so the callable's pointers point into it.
template <class Carve>
void allocate_carved(DeviceBlock& mem, Carve&& carve, const char* what) {
  Carver measure(nullptr);
  carve(measure);
  TURNPOINT_CUDA_TRY_AS(cudaMalloc(reinterpret_cast<void**>(&mem.p), measure.used()), what);
  Carver real(mem.p);
  carve(real);
}

// Chunks of whole series [bounds[c], bounds[c + 1]) whose bytes (bytes_of(i) for series i,
// plus 256 per array of carver alignment slack) stay within `budget`, at most max_series
// each. A series that does not fit alone is an error naming it and what it needs.
template <class BytesOf>
std::vector<std::int64_t> chunk_bounds(std::int64_t n_series, BytesOf bytes_of, double budget,
                                       std::int64_t max_series, const char* what) {
  constexpr double kSlack = 32 * 256.0;
  std::vector<std::int64_t> bounds{0};
  double used = 0.0;
  for (std::int64_t i = 0; i < n_series; ++i) {
    const double add = static_cast<double>(bytes_of(i));
    TURNPOINT_EXPECTS(add + kSlack <= budget,
                      "{}: series {} needs {:.0f} bytes of device memory, more than the {:.0f} "
                      "this call may use", what, i, add, budget);
    const std::int64_t in_chunk = i - bounds.back();
    if (in_chunk > 0 && (used + add + kSlack > budget || in_chunk >= max_series)) {
      bounds.push_back(i);
      used = 0.0;
    }
    used += add;
  }
  bounds.push_back(n_series);
  return bounds;
}

// The most series and the most changes (CSR offsets [n_series + 1]) of any one chunk: the
// one allocation of a call is sized for them.
struct ChunkExtent {
  std::int64_t series = 0, changes = 0;
};
inline ChunkExtent widest_chunk(const std::vector<std::int64_t>& bounds,
                                const std::vector<std::int64_t>& offsets) {
  ChunkExtent w;
  for (std::size_t c = 0; c + 1 < bounds.size(); ++c) {
    const std::int64_t S = bounds[c + 1] - bounds[c];
    const std::int64_t K = offsets[bounds[c + 1]] - offsets[bounds[c]];
    if (S > w.series) w.series = S;
    if (K > w.changes) w.changes = K;
  }
  return w;
}

}  // namespace turnpoint::detail
