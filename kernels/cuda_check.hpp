// Every CUDA runtime call of the CUDA backend goes through TURNPOINT_CUDA_TRY: a failure
// becomes turnpoint::cuda_error whose message names the operation (the call's text, or
// the label given to TURNPOINT_CUDA_TRY_AS), the CUDA error and where it happened.
// Host code only; include it from *_cuda.cu files.
#pragma once
#include <string>

#include <cuda_runtime.h>

#include "kernels/error.hpp"

namespace turnpoint::detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t e, const char* operation, const char* file,
                                          int line) {
  // Clear the error if it is not sticky, so that a caller who catches this can go on
  // (e.g. fall back to the CPU after an out-of-memory).
  (void)cudaGetLastError();
  throw ::turnpoint::cuda_error(std::string("CUDA error in ") + operation + ": " +
                                cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ") at " +
                                file + ":" + std::to_string(line));
}

}  // namespace turnpoint::detail

// TURNPOINT_CUDA_TRY_AS(cudaMalloc(&p, bytes), "allocating the prefix sums (3 GB)") when
// the call's text would not tell the user what was being done.
#define TURNPOINT_CUDA_TRY_AS(call, operation)                                    \
  do {                                                                            \
    const cudaError_t turnpoint_cuda_err_ = (call);                               \
    if (turnpoint_cuda_err_ != cudaSuccess)                                       \
      ::turnpoint::detail::throw_cuda_error(turnpoint_cuda_err_, (operation),     \
                                            __FILE__, __LINE__);                  \
  } while (0)

#define TURNPOINT_CUDA_TRY(call) TURNPOINT_CUDA_TRY_AS(call, #call)

// After a kernel launch: launch-configuration errors are reported by cudaGetLastError.
#define TURNPOINT_CUDA_CHECK_LAUNCH(kernel_name) \
  TURNPOINT_CUDA_TRY_AS(cudaGetLastError(), "launching kernel " kernel_name)
