// RAII owners of the CUDA backend's memory and streams, and the carver that lays many
// arrays out in one allocation (one cudaMalloc per buffer set instead of one per array).
// Shared by the CUDA launchers (kernels/*_cuda.cu); host code only.
#pragma once
#include <cstddef>

#include <cuda_runtime.h>

#include "kernels/cuda_check.hpp"

namespace turnpoint::detail {

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

}  // namespace turnpoint::detail
