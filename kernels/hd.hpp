// Host/device qualifiers so that every cost and solver is written once and compiled by
// the C++ compiler for the CPU backend and by nvcc for the CUDA backend.
#pragma once

#if defined(__CUDACC__)
#define TP_HD __host__ __device__ __forceinline__
#else
#define TP_HD inline
#endif

namespace turnpoint::kernels {

// +infinity without <limits> (not usable in device code on every toolkit).
TP_HD double inf() { return __builtin_huge_val(); }

}  // namespace turnpoint::kernels
