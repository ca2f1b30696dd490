// detections.h5: read and write a DetectionSet (schema: docs/schema.md), atomically.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "host/core/detections.hpp"
#include "host/io/hdf5.hpp"

namespace turnpoint {
class DetectionColumns;
}

namespace turnpoint {

void write_detections(const std::string& path, const DetectionSet& set);
DetectionSet read_detections(const std::string& path);

// The same layout under another root `format` (the part files of host/cluster): `extra`
// writes, or reads and checks, that format's own attributes on the open root.
using DetectionsRootHook = std::function<void(const h5::Location& root)>;
void write_detections(const std::string& path, const DetectionSet& set, const std::string& format,
                      const DetectionsRootHook& extra);
void write_detections(const std::string& path, const DetectionSet& header,
                      const DetectionColumns& columns);
// The file of `header` (provenance, day axis and names; its rows are not read) with the
// growing columns read a block at a time from `columns` (host/io/detection_columns.hpp):
// how a streamed detect writes a result it never holds whole. Same bytes as from memory.
void write_detections(const std::string& path, const DetectionSet& header,
                      const DetectionColumns& columns, const std::string& format,
                      const DetectionsRootHook& extra);
DetectionSet read_detections(const std::string& path, const std::string& format,
                             const DetectionsRootHook& extra);

// A detections.h5 without its rows: provenance, settings, day axis, names and the per-series
// summary (O(series)), for readers that stream the points (`eval`).
DetectionSet read_detections_header(const std::string& path);
// The points' series, index and kind, `block` rows at a time (hyperslabs: memory holds one
// block, not the file's points), checked as read_detections checks them; `header` is the
// file's read_detections_header. Rows come in file order; `f` returns false to stop.
struct PointBlock {
  std::size_t first_row = 0;
  std::vector<std::int32_t> series, index;
  std::vector<std::int8_t> kind;
};
using PointBlockFn = std::function<bool(const PointBlock&)>;
void read_point_blocks(const std::string& path, const DetectionSet& header, std::size_t block,
                       const PointBlockFn& f);

}  // namespace turnpoint
