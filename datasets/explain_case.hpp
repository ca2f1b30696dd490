// A CM-like panel prepared as the explanation prepares it (logs, a harmonic basis with a
// Spring Festival regressor, unit noise scale), with a change list to classify and score:
// the generator's true turning points plus a spurious change 100 days after each (kinds
// from the CPU split test). The shared input of the GPU-vs-CPU test and the GPU bench of
// the explanation kernels (tests/kernels/cuda_explain_test.cpp, bench/cuda_explain_bench.cpp);
// needs no HDF5.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/classify_batch.hpp"

namespace turnpoint {

struct ExplainCase {
  std::vector<double> y;  // [N][n], logs divided by each series' noise scale
  std::vector<std::int32_t> days;
  std::vector<std::uint8_t> festival;  // [n]: New Year's Day .. +6
  kernels::DesignMatrix d;
  kernels::ChangeList list;  // kinds filled
  std::int64_t N = 0;
  int n = 0;
};

// demo_config() with this seed and n_series series (the generator's sectors cycle).
ExplainCase make_explain_case(std::uint64_t seed, std::int64_t n_series = 155);

}  // namespace turnpoint
