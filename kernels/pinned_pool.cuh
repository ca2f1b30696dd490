// A persistent pool of pinned (page-locked) host buffers for the detection launcher
// (kernels/detect_cuda.cu). Why: cudaMallocHost costs milliseconds per hundred megabytes and
// cudaFreeHost may wait for the device, so allocating staging buffers in every call (and,
// worse, growing one while the other stream still runs) costs more than many small batches
// take on the GPU. The pool keeps one buffer per slot for the life of the process and only
// grows it; a buffer outgrown while a stream may still read it is retired, not freed, and
// freed by trim() at the start of the next call, when no stream of ours runs.
// The buffers are never freed at exit (the process's end returns them): freeing pinned
// memory from a static destructor races the CUDA runtime's own teardown.
// Host code only; one detect call at a time holds the pool (lock()).
#pragma once
#include <cstddef>
#include <mutex>
#include <vector>

#include <cuda_runtime.h>

#include "kernels/cuda_check.hpp"

namespace turnpoint::detail {

class PinnedPool {
 public:
  static PinnedPool& instance() {
    static PinnedPool* pool = new PinnedPool();  // deliberately never destroyed (see above)
    return *pool;
  }

  // Held for a whole detect call: the slots are per call, not per thread.
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }

  // Frees the buffers retired by earlier calls. Call only when no stream uses them.
  void trim() {
    for (void* p : retired_) (void)cudaFreeHost(p);
    retired_.clear();
  }

  // At least `bytes` of pinned memory for `slot`; the same buffer as before when it is big
  // enough. Growing retires the old buffer (its contents are not kept).
  char* get(std::size_t slot, std::size_t bytes, const char* what) {
    if (slots_.size() <= slot) slots_.resize(slot + 1);
    Slot& s = slots_[slot];
    if (bytes <= s.size) return s.p;
    const std::size_t want = bytes + bytes / 4;  // some room, so a slightly larger batch reuses it
    void* p = nullptr;
    TURNPOINT_CUDA_TRY_AS(cudaMallocHost(&p, want), what);
    if (s.p) retired_.push_back(s.p);
    s.p = static_cast<char*>(p);
    s.size = want;
    return s.p;
  }

 private:
  struct Slot {
    char* p = nullptr;
    std::size_t size = 0;
  };
  PinnedPool() = default;
  std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<void*> retired_;
};

}  // namespace turnpoint::detail
