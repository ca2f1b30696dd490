// The device twin of kernels/group_model.hpp: one thread's view of a group of N threads
// (N = 32: one warp, tid = its lane; N = blockDim.x: a whole block). The solvers
// (kernels/*_group.hpp) are written once against this interface; here each thread runs the
// body of a phase for itself and the collectives are the warp intrinsics.
// The members are __host__ __device__ with device-only bodies so that the solvers' TP_HD
// templates instantiate cleanly in nvcc's host pass (where they are never called).
#pragma once

#include "kernels/hd.hpp"

namespace turnpoint::kernels {

template <int N>
struct DeviceGroup {
  static_assert(N % 32 == 0 && N > 0, "a group is whole warps");
  static constexpr int kSize = N;
  static constexpr unsigned kFull = 0xffffffffu;

  template <class T>
  struct Reg {
    T v;
    __host__ __device__ T& operator[](int) { return v; }
    __host__ __device__ const T& operator[](int) const { return v; }
  };

  int tid;

  template <class F>
  __host__ __device__ __forceinline__ void each(F&& f) const {
    f(tid);
  }

  __host__ __device__ __forceinline__ Reg<unsigned> ballot(const Reg<bool>& p) const {
#if defined(__CUDA_ARCH__)
    return {__ballot_sync(kFull, p.v)};
#else
    return {p.v ? 1u : 0u};  // never called on the host
#endif
  }

  template <class T>
  __host__ __device__ __forceinline__ Reg<T> shfl_xor(const Reg<T>& r, int m) const {
#if defined(__CUDA_ARCH__)
    return {__shfl_xor_sync(kFull, r.v, m)};
#else
    (void)m;
    return r;  // never called on the host
#endif
  }

  __host__ __device__ __forceinline__ void sync() const {
#if defined(__CUDA_ARCH__)
    if constexpr (N == 32)
      __syncwarp();
    else
      __syncthreads();
#endif
  }
};

}  // namespace turnpoint::kernels
