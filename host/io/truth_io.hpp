// The truth of a generated panel in HDF5: group /truth of series.h5 (or of a sibling file
// with the same layout), one row per (annotator, turning point); docs/generator.md.
#pragma once
#include <string>
#include <vector>

#include "datasets/generator.hpp"
#include "host/io/h5_stream.hpp"

namespace turnpoint {

// Streams truth rows into /truth of a file being written.
class TruthWriter {
 public:
  TruthWriter(h5s::DeterministicFile& file, std::int32_t n_annotators);
  void append(const std::vector<TruthPoint>& points);

 private:
  h5s::Appender<std::int32_t> series_, index_, day_, annotator_;
  h5s::Appender<std::int8_t> kind_, subtype_;
  h5s::Appender<double> size_;
};

// Reads /truth; throws invalid_input naming the file when it has none or it is malformed
// (points out of order, kinds or subtypes out of range).
Truth read_truth(const std::string& path);

}  // namespace turnpoint
