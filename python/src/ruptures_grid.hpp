// ruptures' searches (Pelt, Dynp, Binseg) on ruptures' candidate grid, solved by turnpoint's
// own solvers (kernels/pelt.hpp, kernels/segneigh.hpp) and split search (kernels/binseg.hpp's
// rule), for turnpoint.compat.ruptures (docs/python.md, "ruptures compatibility").
//
// ruptures' `jump` J restricts the breakpoints to the multiples of J (the last breakpoint is
// always n), and every segment must hold at least `min_size` samples. Seen on the grid of
// positions 0, J, 2J, ..., n (G = ceil(n / J) cells), that is an ordinary segmentation of G
// cells with a minimum of ceil(min_size / J) cells per segment, whose last segment must also
// hold min_size samples (the last cell may be short): GridCost maps a cell segment to its
// samples and makes a too-short last segment infeasible (+inf). With J = 1 the grid is the
// signal itself and nothing is infeasible.
#pragma once
#include <cstdint>
#include <vector>

namespace turnpoint::python {

// ruptures' models: "l2" (CostL2: sum of squared deviations from the segment mean, summed
// over the signal's columns), "normal" (CostNormal, one column: len * log(var + 1e-6), the
// 1e-6 only with add_small_diag) and "linear" (CostLinear: column 0 regressed on the other
// columns by least squares, no intercept unless a column holds one).
enum class RupturesModel { l2, normal, linear };

struct RupturesProblem {
  const double* signal = nullptr;  // [n][d], row-major
  int n = 0;
  int d = 1;
  RupturesModel model = RupturesModel::l2;
  bool add_small_diag = true;  // normal
  int min_size = 2;            // already max(min_size, the cost's own minimum), as ruptures does
  int jump = 5;
};

// Pelt.predict(pen): the breakpoints (ascending, n last).
std::vector<int> ruptures_pelt(const RupturesProblem& p, double pen);
// Dynp.predict(n_bkps).
std::vector<int> ruptures_dynp(const RupturesProblem& p, int n_bkps);
// Binseg.predict(n_bkps=..., pen=..., epsilon=...): exactly one of them is used (n_bkps >= 0,
// else pen when not NaN, else epsilon).
std::vector<int> ruptures_binseg(const RupturesProblem& p, int n_bkps, double pen, double epsilon);
// The summed cost of a segmentation given as ruptures' breakpoints (n last).
double ruptures_sum_of_costs(const RupturesProblem& p, const std::vector<int>& bkps);

}  // namespace turnpoint::python
