// The columns of detections.h5 that grow with the series and the turning points (docs/
// schema.md), named once, in the order the file stores them, and read a block at a time:
// from a DetectionSet in memory (SetColumns) or from the scratch file a streamed detect
// appends to (host/cluster/detections_stream.hpp). write_detections takes either, so a
// streamed file and one written from memory are the same bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "host/core/detections.hpp"

namespace turnpoint {

enum class ColumnType { i8, i32, i64, f64 };

struct ColumnSpec {
  const char* group;  // "series", "detections", "path" or "crops"
  const char* name;
  ColumnType type;
};

// Every such column in file order. Not among them: /series/time and the name columns
// (region, sector, series_id), which are O(series) strings held in memory.
// The ragged groups' "offset" has one more row than the group ("changes" runs from it).
const std::vector<ColumnSpec>& detection_columns();

// Calls f(T{}) with T the C++ type of `t`.
template <class F>
decltype(auto) with_column_type(ColumnType t, F&& f) {
  switch (t) {
    case ColumnType::i8: return f(std::int8_t{});
    case ColumnType::i32: return f(std::int32_t{});
    case ColumnType::i64: return f(std::int64_t{});
    case ColumnType::f64: break;
  }
  return f(double{});
}

class DetectionColumns {
 public:
  virtual ~DetectionColumns() = default;
  virtual std::size_t size(const ColumnSpec& c) const = 0;
  // Rows [first, first + n) of column c, whose type is T.
  virtual void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int8_t* out) const = 0;
  virtual void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int32_t* out) const = 0;
  virtual void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int64_t* out) const = 0;
  virtual void read(const ColumnSpec& c, std::size_t first, std::size_t n, double* out) const = 0;
};

// One column of a set, as the file stores it (series rows as they are in the set).
template <class T>
std::vector<T> set_column(const DetectionSet& set, const ColumnSpec& c);

// The columns of a set in memory. A column is built whole on its first read and kept until
// another is read: a large set is held once plus one column.
class SetColumns : public DetectionColumns {
 public:
  explicit SetColumns(const DetectionSet& set) : set_(set) {}
  std::size_t size(const ColumnSpec& c) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int8_t* out) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int32_t* out) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int64_t* out) const override;
  void read(const ColumnSpec& c, std::size_t first, std::size_t n, double* out) const override;

 private:
  template <class T>
  void read_cached(const ColumnSpec& c, std::size_t first, std::size_t n, T* out,
                   std::vector<T>& cache) const;
  const DetectionSet& set_;
  mutable const ColumnSpec* cached_ = nullptr;
  mutable std::vector<std::int8_t> i8_;
  mutable std::vector<std::int32_t> i32_;
  mutable std::vector<std::int64_t> i64_;
  mutable std::vector<double> f64_;
};

}  // namespace turnpoint
