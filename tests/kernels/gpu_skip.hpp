// The GPU tests' gate (tests/cuda_*_test.cpp, label gpu): TURNPOINT_NEED_GPU() skips a test
// when no GPU is usable, or fails it when TURNPOINT_REQUIRE_GPU=1 (GPU CI and GPU machines:
// a broken driver must not pass as a skip).
#pragma once
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "kernels/detect.hpp"

namespace turnpoint::testing {

inline bool gpu_required() {
  const char* v = std::getenv("TURNPOINT_REQUIRE_GPU");
  return v != nullptr && std::string(v) == "1";
}

#if defined(TURNPOINT_HAVE_CUDA)
inline bool cuda_available() { return detail::cuda_usable(); }
inline const char* why_no_gpu() { return "no usable CUDA device"; }
#else
inline bool cuda_available() { return false; }
inline const char* why_no_gpu() { return "this build has no CUDA backend (TURNPOINT_CUDA=OFF)"; }
#endif

}  // namespace turnpoint::testing

#define TURNPOINT_NEED_GPU()                                                          \
  do {                                                                                \
    if (!::turnpoint::testing::cuda_available()) {                                    \
      if (::turnpoint::testing::gpu_required())                                       \
        FAIL() << "TURNPOINT_REQUIRE_GPU=1 but " << ::turnpoint::testing::why_no_gpu(); \
      GTEST_SKIP() << ::turnpoint::testing::why_no_gpu()                              \
                   << " (set TURNPOINT_REQUIRE_GPU=1 to fail instead)";               \
    }                                                                                 \
  } while (0)
