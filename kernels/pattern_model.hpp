// The model of the regular pattern with turning points (docs/seasonality.md, "The pattern
// model"): one series is
//
//   y_t = x_t' beta  +  sum_j z_j(t; tau_j)' gamma_j  +  m_month(t)  +  u_t ,
//
// where x_t is the regular pattern shared by the whole series (intercept, trend, weekly and
// yearly harmonics, holiday shapes), each turning point j adds the columns z_j of its family
// from its day tau_j on (a level step, a kink of the trend, a transient drop with recovery,
// a change of the weekly or the yearly cycle), m_month is a month random effect (variance
// tau^2: the month-to-month steps of series disaggregated from monthly statistics are noise,
// not turning points, unless they are exceptional) and u_t is AR(1) noise (phi, innovation
// variance sigma_e^2). Turning points are chosen by generalised least squares: the series,
// the pattern and the candidate columns are whitened (AR(1) filter, month effects as ridge
// rows), and a candidate's gain is its drop of the whitened residual sum of squares / sigma_e^2.
//
// This header holds the data that describe the model; the search is kernels/pattern_search.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace turnpoint::kernels {

// Onset shape of a change column, as a function of d = t - tau >= 0 (0 before tau):
//   s(d) = (d / 365.25)^m * exp(-d / rho)     (rho = 0: no decay)
// m = 0, rho = 0: a step; m = 1: a kink of the trend (per year); rho > 0: a transient that
// decays with time constant rho days.
struct OnsetShape {
  int m = 0;
  double rho = 0.0;
};

// One column of a change family: the pattern column `base` (-1 = the constant 1) times the
// onset shape.
struct FamilyColumn {
  int base = -1;
  OnsetShape shape;
};

enum class ChangeKind : std::int8_t { event = 0, seasonal = 1 };

struct ChangeFamily {
  std::string name;  // step, kink, step_kink, transient7, ..., weekly, yearly
  ChangeKind kind = ChangeKind::event;
  std::vector<FamilyColumn> columns;
};

// The pattern shared by every series of a panel (one day axis): the dense design, the month
// of each day and the change families that may be searched.
struct PatternDesign {
  int n = 0;                    // days on the axis
  int p = 0;                    // pattern columns
  std::vector<double> X;        // [n][p] row-major; column 0 is the intercept
  std::vector<std::string> column_names;  // [p]
  std::vector<int> month;       // [n] 0-based month of each day (month effects); empty = none
  int n_months = 0;
  std::vector<ChangeFamily> families;
  const double* row(int t) const { return X.data() + static_cast<std::size_t>(t) * p; }
};

// Noise of one series (estimated by estimate_pattern_noise, kernels/pattern_noise.hpp).
struct PatternNoise {
  double phi = 0.0;       // AR(1) coefficient of the daily noise, in [0, phi_max]
  double sigma_e = 0.0;   // innovation standard deviation of the daily noise
  double tau = 0.0;       // standard deviation of the month effects (0 = none)
};

}  // namespace turnpoint::kernels
