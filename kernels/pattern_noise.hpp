// The noise of one series under the pattern model (kernels/pattern_model.hpp): robust
// estimates from two least-squares fits of the pattern alone, so that the few turning
// points of a series barely move them.
//
//  * phi and sigma_e (daily noise): from w, the residuals of the pattern plus one level per
//    month (month effects removed): g0 = robust variance of w, d1 = robust variance of its
//    day-to-day differences within a month; for AR(1) noise d1 = 2 g0 (1 - phi), so
//    phi = 1 - d1 / (2 g0), clipped to [0, phi_max], and sigma_e^2 = g0 (1 - phi^2).
//  * tau (month effects): from the month means of r, the residuals of the pattern alone:
//    half the robust variance of the differences of consecutive months' means, less what
//    the daily noise contributes to a month mean. Differences, so that a lasting level
//    shift moves one of them only.
// Robust variance: (MAD / 0.6745)^2, or the mean square when the MAD is 0 (a series that is
// constant within most months). phi_max bounds the long-run variance of the daily noise at
// (1 + phi_max) / (1 - phi_max) times its innovation variance (9 for 0.8): residual wander
// smoother than that is not all noise (docs/seasonality.md, "Noise").
#pragma once
#include <vector>

#include "kernels/pattern_model.hpp"

namespace turnpoint::kernels {

// rows: the non-missing day indices of y, ascending. Months with fewer than
// kMinMonthDays observed days do not enter tau.
constexpr int kMinMonthDays = 10;
PatternNoise estimate_pattern_noise(const PatternDesign& design, const double* y,
                                    const std::vector<int>& rows, double phi_max);

// Variance of the mean of L consecutive values of AR(1) noise with unit marginal variance.
double ar_mean_variance(double L, double phi);

// (MAD / 0.6745)^2 of x, or its mean square about the mean when the MAD is 0; 0 for empty x.
double robust_variance(std::vector<double> x);
// The variance with values beyond 2.5 robust (MAD) deviations from the median counted at
// 2.5, scaled to be consistent for normal data: robust and far more efficient than the MAD.
double winsorized_variance(const std::vector<double>& x);

}  // namespace turnpoint::kernels
