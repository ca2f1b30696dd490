// turnpoint merge: the part files of one sharded run joined into the detection set a
// one-process run makes, streamed part by part to `out` (commit it to write the same bytes). Refused, naming the
// files: parts of different runs (settings, panel, shard count), a shard given twice,
// overlapping or missing series ranges, and truncated or damaged parts.
#pragma once
#include <string>
#include <vector>

#include "host/cluster/detections_stream.hpp"

namespace turnpoint::cluster {

// Reads every part twice (checked, then streamed in series order): memory is one part.
void merge_parts(const std::vector<std::string>& paths, DetectionsStream& out);

}  // namespace turnpoint::cluster
