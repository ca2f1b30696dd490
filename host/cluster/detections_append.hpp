// Joins detection sets of consecutive series ranges into one, as if one run had seen them
// all: the chunks of a streamed detect and the parts of a merge. The series columns are
// concatenated and every turning point / path / CROPS row is renumbered by the offset of
// its range, so the result is the set (and the file) a one-process run makes.
#pragma once
#include <cstdint>
#include <string>

#include "host/core/detections.hpp"

namespace turnpoint::cluster {

// Appends `part` (series 0.. of its own) after the series already in `into`. The first
// part sets the provenance (settings, day axis, input, units, backend); a later part whose
// provenance differs is invalid_input naming `what` (a chunk or a part file).
void append_detections(DetectionSet& into, DetectionSet&& part, const std::string& what);

// The provenance of `part` (settings, day axis, input, fingerprint, units, backend), copied
// into `into`; and the check that a later part has the same (invalid_input naming `what`).
void take_provenance(DetectionSet& into, const DetectionSet& part);
void check_same_provenance(const DetectionSet& a, const DetectionSet& b, const std::string& what);

}  // namespace turnpoint::cluster
