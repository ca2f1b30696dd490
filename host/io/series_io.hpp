// series.h5: read and write a Panel (schema: docs/schema.md). Writes go to a temporary
// file in the same folder and are renamed into place, so a failed write never leaves a
// half-written file or destroys an existing one.
#pragma once
#include <string>

#include "host/core/panel.hpp"

namespace turnpoint {

void write_series(const std::string& path, const Panel& panel);
// Throws invalid_input / hdf5_error naming the file (and the dataset) when it is not a
// valid series file.
Panel read_series(const std::string& path);

}  // namespace turnpoint
