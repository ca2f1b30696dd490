// A part file: the detections of one --shard range, in the detections.h5 layout (series
// numbered from 0 within the part) under the root format "turnpoint.detections-part", with
// the attributes merge needs to check that the parts are complete, disjoint and of one run:
//   shard, shard_count        I and N of --shard I/N
//   first_series, n_series    the range [first, first + n) of the panel's series
//   total_series              the panel's series count
//   settings_hash             digest of the settings that shape the output (config json,
//                             engine and turnpoint versions, input path, units, backend)
//   input_hash                digest of the panel's content (host/cluster/panel_scan.hpp)
//   n_points                  rows of /detections (a cross-check against damage)
#pragma once
#include <cstdint>
#include <string>

#include "host/cluster/detections_stream.hpp"
#include "host/cluster/shard.hpp"
#include "host/core/detections.hpp"

namespace turnpoint::cluster {

struct PartInfo {
  Shard shard;
  SeriesRange range;
  std::int64_t total_series = 0;
  std::string settings_hash;
  std::string input_hash;
};

// The digest of what must agree between parts, from the set itself.
std::string settings_hash(const DetectionSet& set);

// Writes atomically; info.settings_hash is computed here from the set.
void write_part(const std::string& path, const DetectionSet& set, PartInfo info);
// The same from a streamed result (commits the stream to its output).
void write_part(DetectionsStream& stream, PartInfo info);

struct Part {
  std::string path;
  PartInfo info;
  DetectionSet set;
};
// Reads and checks one part (its own consistency: the range against its series count,
// the settings hash against its content). A missing, truncated or damaged file, or one that
// is not a part, is invalid_input naming the file.
Part read_part(const std::string& path);

}  // namespace turnpoint::cluster
