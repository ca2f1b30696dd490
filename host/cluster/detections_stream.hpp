// A detect's result written as it is made, so that memory does not grow with the turning
// points: each chunk's DetectionSet is appended to a scratch HDF5 file (one chunked,
// unlimited 1-D dataset per column of host/io/detection_columns.hpp) and only the provenance
// and the O(series) names are held. commit() then writes the final detections.h5 (or part
// file) from the scratch a block at a time through write_detections, whose contiguous layout
// gives the same bytes as a set written from memory, into a temporary renamed into place.
//
// Destroyed without commit (an error on the way), it leaves neither the final file nor the
// scratch. The scratch is an AtomicFile temporary of "<output>.stream", so one left by a
// killed run is removed by the next run with the same output (docs/reliability.md).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "host/core/atomic_file.hpp"
#include "host/core/detections.hpp"
#include "host/io/detection_columns.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/h5_stream.hpp"

namespace turnpoint::cluster {

class DetectionsStream : public DetectionColumns {
 public:
  explicit DetectionsStream(const std::string& output);
  DetectionsStream(const DetectionsStream&) = delete;
  DetectionsStream& operator=(const DetectionsStream&) = delete;
  ~DetectionsStream() override;

  // Appends `part` (series 0.. of its own) after the series already streamed. The first part
  // sets the provenance; a later part whose provenance differs is invalid_input naming `what`.
  void append(const DetectionSet& part, const std::string& what);

  // Provenance and names of everything appended (no rows): set input_fingerprint here.
  DetectionSet& header() { return header_; }
  const DetectionSet& header() const { return header_; }
  std::int64_t n_series() const { return static_cast<std::int64_t>(header_.series_id.size()); }
  std::int64_t n_points() const;
  const std::string& output() const { return output_; }

  // Writes detections.h5 (or, with a format and root hook, a part file) to the output.
  void commit();
  void commit(const std::string& format, const DetectionsRootHook& extra);

  // The scratch columns, read back a block at a time by write_detections.
  std::size_t size(const ColumnSpec& c) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int8_t* out) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int32_t* out) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int64_t* out) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, double* out) const override;

 private:
  using Column = std::variant<std::unique_ptr<h5s::Appender<std::int8_t>>,
                              std::unique_ptr<h5s::Appender<std::int32_t>>,
                              std::unique_ptr<h5s::Appender<std::int64_t>>,
                              std::unique_ptr<h5s::Appender<double>>>;
  template <class T>
  h5s::Appender<T>& column(const ColumnSpec& c) const;
  template <class T>
  void append_column(const DetectionSet& part, const ColumnSpec& c);
  void check_part(const DetectionSet& part, const std::string& what) const;

  std::string output_;
  // Declared in this order so that the columns close before the file, the file before the
  // scratch is removed.
  AtomicFile scratch_;
  h5s::DeterministicFile file_;
  std::vector<Column> columns_;  // parallel to detection_columns()
  DetectionSet header_;
  bool started_ = false;
};

}  // namespace turnpoint::cluster
