// turnpoint.compat.ruptures' engine: ruptures' Pelt, Dynp and Binseg on one signal
// (python/src/ruptures_grid.hpp), with the GIL released.
#include <cmath>
#include <string>
#include <vector>

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "kernels/error.hpp"
#include "python/src/arrays.hpp"
#include "python/src/bindings.hpp"
#include "python/src/ruptures_grid.hpp"

namespace turnpoint::python {
namespace {

namespace nb = nanobind;

RupturesModel parse_model(const std::string& m) {
  if (m == "l2") return RupturesModel::l2;
  if (m == "normal") return RupturesModel::normal;
  if (m == "linear") return RupturesModel::linear;
  TURNPOINT_FAIL("model '{}' is not supported (supported: l2, normal, linear)", m);
}

RupturesProblem problem(const Signal& signal, const std::string& model, int min_size, int jump,
                        bool add_small_diag) {
  RupturesProblem p;
  p.signal = signal.data();
  TURNPOINT_EXPECTS(signal.shape(0) <= 2147483647u, "{} samples: too many", signal.shape(0));
  p.n = static_cast<int>(signal.shape(0));
  p.d = static_cast<int>(signal.shape(1));
  p.model = parse_model(model);
  p.min_size = min_size;
  p.jump = jump;
  p.add_small_diag = add_small_diag;
  return p;
}

}  // namespace

void bind_ruptures(nb::module_& m) {
  using namespace nb::literals;
  m.def(
      "ruptures_predict",
      [](const Signal& signal, const std::string& model, const std::string& method, int min_size, int jump,
         bool add_small_diag, int n_bkps, double pen, double epsilon) {
        const RupturesProblem p = problem(signal, model, min_size, jump, add_small_diag);
        nb::gil_scoped_release release;
        if (method == "pelt") return ruptures_pelt(p, pen);
        if (method == "dynp") return ruptures_dynp(p, n_bkps);
        if (method == "binseg") return ruptures_binseg(p, n_bkps, pen, epsilon);
        TURNPOINT_FAIL("unknown search '{}' (pelt, dynp, binseg)", method);
      },
      "signal"_a.noconvert(), "model"_a, "method"_a, "min_size"_a, "jump"_a, "add_small_diag"_a,
      "n_bkps"_a, "pen"_a, "epsilon"_a);
  m.def(
      "ruptures_sum_of_costs",
      [](const Signal& signal, const std::string& model, bool add_small_diag, const std::vector<int>& bkps) {
        const RupturesProblem p = problem(signal, model, 1, 1, add_small_diag);
        nb::gil_scoped_release release;
        return ruptures_sum_of_costs(p, bkps);
      },
      "signal"_a.noconvert(), "model"_a, "add_small_diag"_a, "bkps"_a);
}

}  // namespace turnpoint::python
