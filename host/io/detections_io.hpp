// detections.h5: read and write a DetectionSet (schema: docs/schema.md), atomically.
#pragma once
#include <functional>
#include <string>

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

}  // namespace turnpoint
