// series.h5: read and write a Panel (schema: docs/schema.md). Writes go to a temporary
// file in the same folder and are renamed into place, so a failed write never leaves a
// half-written file or destroys an existing one.
#pragma once
#include <cstdint>
#include <string>

#include "host/core/panel.hpp"
#include "host/io/hdf5.hpp"

namespace turnpoint {

void write_series(const std::string& path, const Panel& panel);
// Throws invalid_input / hdf5_error naming the file (and the dataset) when it is not a
// valid series file.
Panel read_series(const std::string& path);

// A series file read a block of series at a time (HDF5 hyperslabs of /values), so that a
// panel larger than memory is processed in chunks: opening reads and checks everything but
// the values (day axis, names, attributes; O(series) memory), read_rows the values of a
// row range only. read_series is read_rows over every row.
class SeriesReader {
 public:
  explicit SeriesReader(const std::string& path);
  const std::string& path() const { return path_; }
  std::int64_t n_series() const { return header_.n_series(); }
  int n_time() const { return header_.n_time(); }
  // The panel of rows [first, first + count): its values, names, the day axis, units, source.
  Panel read_rows(std::int64_t first, std::int64_t count) const;
  // Everything but the values, for all rows.
  const Panel& header() const { return header_; }

 private:
  std::string path_;
  h5::File file_;
  Panel header_;  // values left empty
};

// The panel's content fingerprint (host/core/panel_fingerprint.hpp, panel_fingerprint of the
// whole panel) from one pass over its values, `chunk_series` series at a time: memory holds
// one block, not the panel.
std::string streamed_fingerprint(const SeriesReader& reader, std::int64_t chunk_series = 4096);

}  // namespace turnpoint
