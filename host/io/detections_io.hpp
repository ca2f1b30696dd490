// detections.h5: read and write a DetectionSet (schema: docs/schema.md), atomically.
#pragma once
#include <string>

#include "host/core/detections.hpp"

namespace turnpoint {

void write_detections(const std::string& path, const DetectionSet& set);
DetectionSet read_detections(const std::string& path);

}  // namespace turnpoint
