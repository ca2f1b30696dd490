// at_end(cost, s): the cost functor for segments that all end at s, as every candidate of one
// DP step does, with the prefix values at s read once into registers (EndPrefix,
// kernels/prefix.hpp) instead of once per candidate. at_end(cost, s)(t, s) is cost(t, s) to
// the bit: the same functor code on the same numbers. The GPU solvers use it per step
// (kernels/pelt_group.hpp, op_group.hpp, segneigh_group.hpp); the regression cost, whose
// many statistics are read as double-doubles, comes back unchanged.
#pragma once
#include "kernels/cost_mbic.hpp"
#include "kernels/cost_mean.hpp"
#include "kernels/cost_meanvar.hpp"
#include "kernels/cost_poisson.hpp"
#include "kernels/hd.hpp"
#include "kernels/prefix.hpp"

namespace turnpoint::kernels {

template <class Cost>
TP_HD Cost at_end(const Cost& c, int) {
  return c;
}

TP_HD MeanCostT<EndPrefix<MeanStats::n_stats>> at_end(const MeanCost& c, int s) {
  return {EndPrefix<MeanStats::n_stats>(c.p, s), c.inv_var, c.inv_len};
}

TP_HD MeanVarCostT<EndPrefix<MeanVarStats::n_stats>> at_end(const MeanVarCost& c, int s) {
  return {EndPrefix<MeanVarStats::n_stats>(c.p, s), c.var_floor, c.inv_len};
}

TP_HD PoissonCostT<EndPrefix<PoissonStats::n_stats>> at_end(const PoissonCost& c, int s) {
  return {EndPrefix<PoissonStats::n_stats>(c.p, s)};
}

template <class Base>
TP_HD auto at_end(const MbicCost<Base>& c, int s) {
  using End = decltype(at_end(c.base, s));
  return MbicCost<End>{at_end(c.base, s), c.n, c.log_len};
}

}  // namespace turnpoint::kernels
