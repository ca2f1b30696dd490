// Penalties as defined by R's changepoint package (penalty_decision(), version >= 2.2),
// where "the predefined penalties count the changepoint as a parameter":
//   BIC/SIC  (d + 1) log n
//   MBIC     (d + 2) log n   and every segment's cost gets + log(length) (cost_mbic.hpp)
//   AIC      2 (d + 1)
//   HQ       2 (d + 1) log log n
// d = parameters that change at a turning point, n = non-missing days. See docs/penalties.md.
#include <cmath>
#include <cstdlib>

#include "kernels/error.hpp"
#include "kernels/basis.hpp"
#include "kernels/detect.hpp"

namespace turnpoint {

double penalty_value(const Penalty& p, int n, int d) {
  const double ln = std::log(static_cast<double>(n > 1 ? n : 2));
  switch (p.kind) {
    case PenaltyKind::manual: return p.value;
    case PenaltyKind::bic: return (d + 1) * ln;
    case PenaltyKind::mbic: return (d + 2) * ln;
    case PenaltyKind::aic: return 2.0 * (d + 1);
    case PenaltyKind::hq: return 2.0 * (d + 1) * std::log(ln > 1.0 ? ln : 1.0);
  }
  return 0.0;
}

int changing_parameters(const DetectConfig& c) {
  switch (c.cost) {
    case CostKind::mean: return 1;
    case CostKind::meanvar: return 2;
    case CostKind::poisson: return 1;
    case CostKind::regression:
      return 1 + (c.basis.trend ? 1 : 0) + 2 * c.basis.weekly + 2 * c.basis.yearly +
             static_cast<int>(c.basis.dummy_names.size());
  }
  return 1;
}

const char* to_string(Method m) {
  switch (m) {
    case Method::op: return "op";
    case Method::pelt: return "pelt";
    case Method::segneigh: return "segneigh";
    case Method::binseg: return "binseg";
    case Method::fpop: return "fpop";
  }
  return "?";
}
const char* to_string(CostKind c) {
  switch (c) {
    case CostKind::mean: return "mean";
    case CostKind::meanvar: return "meanvar";
    case CostKind::poisson: return "poisson";
    case CostKind::regression: return "regression";
  }
  return "?";
}
const char* to_string(Backend b) {
  switch (b) {
    case Backend::automatic: return "auto";
    case Backend::cpu: return "cpu";
    case Backend::cuda: return "cuda";
  }
  return "?";
}
const char* to_string(SeriesStatus s) {
  switch (s) {
    case SeriesStatus::ok: return "ok";
    case SeriesStatus::constant: return "constant";
    case SeriesStatus::empty: return "empty";
  }
  return "?";
}
std::string to_string(const Penalty& p) {
  switch (p.kind) {
    case PenaltyKind::manual: return fmt::format("{}", p.value);
    case PenaltyKind::bic: return "bic";
    case PenaltyKind::mbic: return "mbic";
    case PenaltyKind::aic: return "aic";
    case PenaltyKind::hq: return "hq";
  }
  return "?";
}

Method parse_method(const std::string& s) {
  if (s == "op") return Method::op;
  if (s == "pelt") return Method::pelt;
  if (s == "segneigh") return Method::segneigh;
  if (s == "binseg") return Method::binseg;
  if (s == "fpop") return Method::fpop;
  TURNPOINT_FAIL("unknown method '{}' (expected op, pelt, fpop, segneigh or binseg)", s);
}
CostKind parse_cost(const std::string& s) {
  if (s == "mean" || s == "l2") return CostKind::mean;
  if (s == "meanvar" || s == "normal") return CostKind::meanvar;
  if (s == "poisson") return CostKind::poisson;
  if (s == "regression") return CostKind::regression;
  TURNPOINT_FAIL("unknown cost '{}' (expected mean, meanvar, poisson or regression)", s);
}
Backend parse_backend(const std::string& s) {
  if (s == "auto") return Backend::automatic;
  if (s == "cpu") return Backend::cpu;
  if (s == "cuda") return Backend::cuda;
  TURNPOINT_FAIL("unknown backend '{}' (expected auto, cpu or cuda)", s);
}
Penalty parse_penalty(const std::string& s) {
  if (s == "bic" || s == "sic" || s == "BIC" || s == "SIC") return {PenaltyKind::bic, 0.0};
  if (s == "mbic" || s == "MBIC") return {PenaltyKind::mbic, 0.0};
  if (s == "aic" || s == "AIC") return {PenaltyKind::aic, 0.0};
  if (s == "hq" || s == "HQ" || s == "hannan-quinn") return {PenaltyKind::hq, 0.0};
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  TURNPOINT_EXPECTS(!s.empty() && end && *end == '\0' && std::isfinite(v) && v >= 0.0,
                    "bad penalty '{}' (expected mbic, bic, aic, hq or a number >= 0)", s);
  return {PenaltyKind::manual, v};
}

}  // namespace turnpoint
