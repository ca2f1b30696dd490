// The design-moment prefix sums of a chunk of series on the device (kernels/classify.hpp's
// fill_design_prefix, one thread per series), shared by the launchers of the split test
// and of the bootstrap. Internal linkage: each *_cuda.cu gets its own copy of the kernel.
#pragma once
#include <cstddef>

#include "kernels/classify.hpp"

namespace turnpoint::kernels {
namespace {

// Layout of one series' prefix sums: xx [p (p + 1) / 2][n + 1] and xy [p + 1][n + 1], each
// as a compensated pair (hi, lo), series after series.
struct DesignPrefix {
  double* xx_hi = nullptr;
  double* xx_lo = nullptr;
  double* xy_hi = nullptr;
  double* xy_lo = nullptr;
  int n = 0, p = 1;
  __host__ __device__ std::size_t n1() const { return static_cast<std::size_t>(n) + 1; }
  __host__ __device__ std::size_t xx_size() const {
    return static_cast<std::size_t>(p) * (p + 1) / 2 * n1();
  }
  __host__ __device__ std::size_t xy_size() const { return (static_cast<std::size_t>(p) + 1) * n1(); }
  // The moments of series s (chunk index) as classify.hpp reads them.
  __device__ MomentView view(long s, int trend_col, const ColumnGroups& groups) const {
    MomentView m;
    const int n1i = n + 1;
    m.xx = PrefixView{xx_hi + s * xx_size(), xx_lo + s * xx_size(), n1i};
    m.xy = PrefixView{xy_hi + s * xy_size(), xy_lo + s * xy_size(), n1i};
    m.p = p;
    m.trend_col = trend_col;
    m.groups = groups;
    return m;
  }
};

// X: [n][p] basis rows (device); y: [S][n] series (device).
__global__ void design_prefix_kernel(const double* X, const double* y, int n_series,
                                     DesignPrefix d) {
  const long s = static_cast<long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (s >= n_series) return;
  fill_design_prefix(X, d.n, d.p, y + s * d.n, d.xx_hi + s * d.xx_size(),
                     d.xx_lo + s * d.xx_size(), d.xy_hi + s * d.xy_size(),
                     d.xy_lo + s * d.xy_size());
}

}  // namespace
}  // namespace turnpoint::kernels
