// `turnpoint eval` of a detections.h5 that need not fit in memory: its points are read a
// block of rows at a time (hyperslabs) and scored series block by series block (Evaluation).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "host/core/detections.hpp"
#include "host/eval/eval.hpp"
#include "host/sweep/sweep.hpp"

namespace turnpoint {

// The scores evaluate() gives for the file's points. `header`: the file's
// read_detections_header. Memory holds `block_rows` points, the truth and a score per
// series; a file whose points are not in series order (written by another tool) is read
// whole instead.
EvalSummary evaluate_detections_file(const std::string& path, const DetectionSet& header, const Truth& truth,
                                     int margin, std::size_t block_rows = std::size_t{1} << 20);

// The same for every scenario of a sweep file (`header`: its read_sweep_header), one
// summary per scenario as evaluate() gives it for that scenario's points (kinds are not
// scored: a sweep keeps them only for the default pipeline), without the per-series scores
// (per_series left empty: scenarios x series of them). Memory: one block of points, one
// scenario's per-series scores and the truth; a file whose points are not sorted by
// (scenario, series) is read whole instead.
std::vector<EvalSummary> evaluate_sweep_file(const std::string& path, const SweepFile& header, const Truth& truth,
                                             int margin, std::size_t block_rows = std::size_t{1} << 20);

}  // namespace turnpoint
