// The segments model's stages (host/explain/explain.hpp), each with one job and its own test
// (tests/explain/explain_segments_test.cpp and explain_stages_test.cpp; the whole model in
// explain_test.cpp):
//
//   model_scale -> remove_festival_profile -> noise_scales -> standardise -> detect
//     -> change_list -> classify_changes -> select_scored -> bootstrap_scores
//     -> segment_points -> rank_and_keep
#pragma once
#include <cstdint>
#include <vector>

#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "host/explain/explain.hpp"
#include "host/explain/explain_stages.hpp"
#include "kernels/bootstrap_batch.hpp"
#include "kernels/classify_batch.hpp"

namespace turnpoint::explain {

// The design of the segments model's regression basis over the panel's axis.
kernels::DesignMatrix segments_design(const Panel& panel, const DetectConfig& config);

// Subtracts the median Spring Festival residual profile over the years (New Year - 10 to
// + 27 days) from every series; only on a gap-free daily axis with the China calendar.
void remove_festival_profile(std::vector<double>& values, const Panel& panel,
                             const kernels::DesignMatrix& design, const ExplainOptions& options);

// Noise scale of each series (day-to-day, raised to the capped long-run scale) and the
// robust sd of its 28-day batch means (kernels::noise_scale_cpu).
struct NoiseScales {
  std::vector<double> sigma, batch_sd;
};
NoiseScales noise_scales(const std::vector<double>& values, std::int64_t n_series,
                         const kernels::DesignMatrix& design, const ExplainOptions& options);

// values / sigma, series by series (sigma 0 -> 1).
std::vector<double> standardise(const std::vector<double>& values, const std::vector<double>& sigma,
                                int n_time);

// The turning points of a detection as the CSR list the split test and bootstrap take.
kernels::ChangeList change_list(const DetectResult& det);

// Marks the `scored` largest-gain changes of each series in list.score (all when 0).
void select_scored(const DetectResult& det, int scored, kernels::ChangeList& list);

// The segments model over the panel (classify_and_score).
void explain_with_segments(const Panel& panel, const DetectConfig& config,
                           const ExplainOptions& options, DetectionSet& set, Backend backend,
                           ExplainTimings* timings);

}  // namespace turnpoint::explain
