// Extra entry point of the CUDA backend for the benchmarks: the same detection as
// detail::detect_cuda, plus where the time went. Plain C++ (no CUDA types), so .cpp
// files compiled by the host compiler can include it; only declared when the CUDA backend
// is compiled in.
#pragma once
#include <cstdint>

#include "kernels/detect.hpp"

#if defined(TURNPOINT_HAVE_CUDA)
namespace turnpoint::detail {

struct CudaTimings {
  double kernel_ms = 0.0;     // device time of the kernels (CUDA events), summed over chunks
  double prep_ms = 0.0;       // host: validation, shift, sigma of every series
  double wall_ms = 0.0;       // the whole call, transfers and host work included
  int chunks = 0;             // chunks the batch was split into (device memory)
  std::int64_t units = 0;     // solver launches' units of work (series, or CROPS fits)
};

// Settings for tests and benchmarks; the defaults are what detect() uses.
struct CudaOptions {
  // Most series per chunk; 0: chunks sized by device memory (kernels/tuning.hpp). A test sets
  // it to make a batch take several chunks on a large GPU.
  std::int64_t max_chunk_series = 0;
};

DetectResult detect_cuda_timed(const double* values, std::int64_t n_series, int n_time,
                               const std::int32_t* days, const DetectConfig& config,
                               CudaTimings* timings, const CudaOptions& options = {});

}  // namespace turnpoint::detail
#endif
