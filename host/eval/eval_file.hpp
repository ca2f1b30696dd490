// `turnpoint eval` of a detections.h5 that need not fit in memory: its points are read a
// block of rows at a time (hyperslabs) and scored series block by series block (Evaluation).
#pragma once
#include <cstddef>
#include <string>

#include "host/core/detections.hpp"
#include "host/eval/eval.hpp"

namespace turnpoint {

// The scores evaluate() gives for the file's points. `header`: the file's
// read_detections_header. Memory holds `block_rows` points, the truth and a score per
// series; a file whose points are not in series order (written by another tool) is read
// whole instead.
EvalSummary evaluate_detections_file(const std::string& path, const DetectionSet& header, const Truth& truth,
                                     int margin, std::size_t block_rows = std::size_t{1} << 20);

}  // namespace turnpoint
