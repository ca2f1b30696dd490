// Batched classification of turning points (host interface; no CUDA types). The math is
// kernels/classify.hpp; kernels/classify_cpu.cpp runs it over series with OpenMP.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/basis.hpp"
#include "kernels/classify.hpp"

namespace turnpoint::kernels {

// The basis evaluated on the whole day axis, shared by every series of a panel.
struct DesignMatrix {
  std::vector<double> X;  // [n][p] row-major; the trend column holds the raw day index
  int n = 0;
  int p = 1;
  int trend_col = -1;
  ColumnGroups groups;  // weekly, yearly and holiday columns (the split test's groups)
};
DesignMatrix make_design(const BasisSpec& spec, int n);

// Turning points of a batch of series, CSR: series i owns changes[offsets[i]..offsets[i+1]),
// ascending, each the first day of its new segment.
struct ChangeList {
  std::vector<std::int64_t> offsets;  // [n_series + 1]
  std::vector<int> changes;
  std::vector<int> kinds;             // kKindEvent / kKindSeasonal (filled by classify)
  std::vector<std::uint8_t> score;    // bootstrap only changes with score != 0 (empty = all)
};

// Classifies every change against its neighbours (kernels/classify.hpp). values: [n_series]
// [n] already divided by each series' noise scale (so inv_var = 1). Writes list.kinds and,
// when `tests` is not null, the statistics of each change.
void classify_changes_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                          ChangeList& list, double alpha, std::vector<SplitTest>* tests);

#if defined(TURNPOINT_HAVE_CUDA)
// The same on the GPU (kernels/classify_cuda.cu): the design prefix sums of each series
// on the device, then one thread per change running classify_split. Same kinds and
// statistics as the CPU up to rounding. Throws cuda_error on a CUDA failure.
// max_chunk_series: most series per chunk (0 = the tuning default; tests use small ones).
void classify_changes_cuda(const double* values, std::int64_t n_series, const DesignMatrix& d,
                           ChangeList& list, double alpha, std::vector<SplitTest>* tests,
                           std::int64_t max_chunk_series = 0);
#endif

// Noise scale of each series for the regression cost: MAD of the first differences of the
// residuals of one fit of the whole basis (weekly cycle and holidays removed, so they do
// not inflate it; the few jumps at turning points barely move a median), / (0.6745 sqrt 2).
// Falls back to the standard deviation of those differences when the MAD is 0, and 0 for a
// series with fewer than 3 non-missing days or no variation.
// With batch > 0, sigma is raised to the long-run (batch-means) scale when that is larger:
// sqrt(batch) x the robust sd of consecutive means of `batch` residuals (MAD of their
// second differences / (0.6745 sqrt 6): a smooth misfit of the single fit cancels). Residual variation that persists over weeks -- month-
// to-month level steps, a cycle the basis describes only roughly -- then counts as noise,
// not as turning points, while the median of differences ignores the few real jumps.
// The long-run scale is capped at max_ratio x the day-to-day one: where the basis misfits
// the cycle badly (real series), an uncapped scale would hide even a lockdown.
// When batch_sd is not null it receives the uncapped long-run scale / sqrt(batch), i.e. the
// robust standard deviation of the means of `batch` consecutive residuals (NaN when not
// computed): how far a few weeks' level wanders by itself, in the units of `values`.
void noise_scale_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                     double* sigma, int batch = 0, double max_ratio = 3.0,
                     double* batch_sd = nullptr);

// Level step at each change: the mean of the fitted segmentation over the `window` days
// from the change minus its mean over the `window` days before (each side clipped to its
// own segment), in the units of `values`. With window = 7 the weekly cycle cancels, so
// this is the move of the level (and trend) across the change. steps and (when not null)
// before_mean, the mean before: [list.changes.size()].
void level_steps_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                     const ChangeList& list, int window, double* steps,
                     double* before_mean = nullptr);

// Shape of a recurring moving-date effect that 0/1 holiday regressors describe only in steps
// (the Spring Festival dip ramps down and recovers over weeks): the residuals of one fit of
// the whole basis at each day k in [first, last] relative to each anchor (a New Year's day
// index, may lie outside the axis), their median over the anchors that have that day
// (at least 3), subtracted from the series on those days. A median over years, so one
// year's event (a lockdown that starts at the festival) does not become the profile.
void subtract_anchor_profile(double* values, std::int64_t n_series, const DesignMatrix& d,
                             const std::vector<int>& anchors, int first, int last);

}  // namespace turnpoint::kernels
