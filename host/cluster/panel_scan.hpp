// One streaming pass over a series file for --shard: the work of every series (to balance
// the ranges) and a digest of the panel's content (so that merge can tell parts made from
// different panels apart). Memory: one chunk of series.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/io/series_io.hpp"

namespace turnpoint::cluster {

struct PanelScan {
  std::vector<std::int64_t> weights;  // [N] series_weight(observed days)
  std::string content_hash;           // day axis, names, units and values
  std::string input_fingerprint;      // host/core/panel_fingerprint.hpp, as detections.h5 stores it
};

PanelScan scan_panel(const SeriesReader& reader, std::int64_t chunk_series);

}  // namespace turnpoint::cluster
