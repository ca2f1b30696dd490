// A host model of a group of GPU threads (one warp of 32, or a block of several warps), so
// that the warp- and block-parallel solvers (kernels/pelt_group.hpp, op_group.hpp,
// segneigh_group.hpp, binseg_group.hpp) run, phase by phase, on the CPU and can be tested
// there against the serial solvers, to the index, without a GPU.
//
// The solvers are templates on a group type G written in one style:
//   * per-thread registers are `typename G::template Reg<T>`, indexed by the thread's id;
//   * a phase is `g.each([&](int tid) { ... })`: on the device each thread runs the body for
//     itself; here the body runs for every thread in turn, in an order the test chooses
//     (ascending, descending or shuffled): a phase whose result depended on that order would
//     read what another thread wrote in the same phase, a race on the device, and fails the
//     tests here;
//   * warp collectives (ballot, shuffles) act within each warp of 32, as on the device;
//   * g.sync() separates phases that communicate through shared or global memory
//     (__syncwarp or __syncthreads on the device, nothing here: phases already run one after
//     the other);
//   * code outside `each` is uniform: every thread computes the same values from the same
//     memory (on the device all threads run it, here it runs once).
// kernels/group_device.cuh is the device twin: the same interface on intrinsics.
#pragma once
#include <cstdint>

namespace turnpoint::kernels {

template <int N>
class HostGroup {
  static_assert(N % 32 == 0 && N > 0, "a group is whole warps");

 public:
  static constexpr int kSize = N;

  template <class T>
  struct Reg {
    T v[N];
    T& operator[](int i) { return v[i]; }
    const T& operator[](int i) const { return v[i]; }
  };

  // order 0: ascending thread ids; 1: descending; other values: a shuffle seeded by it.
  explicit HostGroup(std::uint64_t order = 0) {
    for (int i = 0; i < N; ++i) order_[i] = order == 1 ? N - 1 - i : i;
    if (order > 1) {
      std::uint64_t x = order;
      for (int i = N - 1; i > 0; --i) {  // Fisher-Yates with a xorshift generator
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const int j = static_cast<int>(x % static_cast<std::uint64_t>(i + 1));
        const int tmp = order_[i];
        order_[i] = order_[j];
        order_[j] = tmp;
      }
    }
  }

  template <class F>
  void each(F&& f) const {
    for (int i = 0; i < N; ++i) f(order_[i]);
  }

  // Each thread gets the ballot of its own warp (bit l = lane l's predicate).
  Reg<unsigned> ballot(const Reg<bool>& p) const {
    Reg<unsigned> out;
    for (int w = 0; w < N; w += 32) {
      unsigned mask = 0;
      for (int l = 0; l < 32; ++l)
        if (p[w + l]) mask |= 1u << l;
      for (int l = 0; l < 32; ++l) out[w + l] = mask;
    }
    return out;
  }

  // __shfl_xor_sync: thread (warp w, lane l) gets the value of (warp w, lane l ^ m).
  template <class T>
  Reg<T> shfl_xor(const Reg<T>& r, int m) const {
    Reg<T> out;
    for (int t = 0; t < N; ++t) out[t] = r[(t & ~31) | ((t & 31) ^ m)];
    return out;
  }

  void sync() const {}

 private:
  int order_[N];
};

}  // namespace turnpoint::kernels
