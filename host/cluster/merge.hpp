// turnpoint merge: the part files of one sharded run joined into the detection set a
// one-process run makes (so write_detections writes the same bytes). Refused, naming the
// files: parts of different runs (settings, panel, shard count), a shard given twice,
// overlapping or missing series ranges, and truncated or damaged parts.
#pragma once
#include <string>
#include <vector>

#include "host/core/detections.hpp"

namespace turnpoint::cluster {

DetectionSet merge_parts(const std::vector<std::string>& paths);

}  // namespace turnpoint::cluster
