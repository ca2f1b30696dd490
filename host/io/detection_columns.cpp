#include "host/io/detection_columns.hpp"

#include <algorithm>
#include <cstring>

#include "kernels/error.hpp"

namespace turnpoint {

const std::vector<ColumnSpec>& detection_columns() {
  using C = ColumnType;
  static const std::vector<ColumnSpec> columns = {
      {"series", "status", C::i8},         {"series", "n_valid", C::i32},
      {"series", "n_changes", C::i32},     {"series", "cost", C::f64},
      {"series", "penalty", C::f64},       {"series", "sigma", C::f64},
      {"detections", "series", C::i32},    {"detections", "index", C::i32},
      {"detections", "day", C::i32},       {"detections", "kind", C::i8},
      {"detections", "shape", C::i8},      {"detections", "confidence", C::f64},
      {"detections", "ci_lo", C::i32},     {"detections", "ci_hi", C::i32},
      {"detections", "gain", C::f64},      {"detections", "step", C::f64},
      {"detections", "step_z", C::f64},    {"detections", "rank", C::i32},
      {"path", "series", C::i32},          {"path", "k", C::i32},
      {"path", "cost", C::f64},            {"path", "offset", C::i64},
      {"path", "changes", C::i32},         {"crops", "series", C::i32},
      {"crops", "pen_lo", C::f64},         {"crops", "pen_hi", C::f64},
      {"crops", "cost", C::f64},           {"crops", "offset", C::i64},
      {"crops", "changes", C::i32},
  };
  return columns;
}

namespace {

template <class T, class Rows, class Get>
std::vector<T> gather(const Rows& rows, Get get) {
  std::vector<T> v;
  v.reserve(rows.size());
  for (const auto& r : rows) v.push_back(static_cast<T>(get(r)));
  return v;
}

// Ragged lists (the changes of each path / CROPS row) as offset + flat values.
template <class T, class Entry>
std::vector<T> ragged(const std::vector<Entry>& rows, bool offsets) {
  std::vector<T> v;
  if (offsets) {
    v.reserve(rows.size() + 1);
    std::int64_t end = 0;
    v.push_back(0);
    for (const Entry& e : rows) v.push_back(static_cast<T>(end += static_cast<std::int64_t>(e.changes.size())));
  } else {
    for (const Entry& e : rows)
      for (std::int32_t c : e.changes) v.push_back(static_cast<T>(c));
  }
  return v;
}

template <class T>
std::vector<T> series_column(const DetectionSet& set, const std::string& n) {
  using S = const SeriesSummary&;
  const auto& rows = set.summary;
  if (n == "status") return gather<T>(rows, [](S s) { return static_cast<int>(s.status); });
  if (n == "n_valid") return gather<T>(rows, [](S s) { return s.n_valid; });
  if (n == "n_changes") return gather<T>(rows, [](S s) { return s.n_changes; });
  if (n == "cost") return gather<T>(rows, [](S s) { return s.cost; });
  if (n == "penalty") return gather<T>(rows, [](S s) { return s.penalty; });
  if (n == "sigma") return gather<T>(rows, [](S s) { return s.sigma; });
  TURNPOINT_FAIL("detections: no column /series/{}", n);
}

template <class T>
std::vector<T> point_column(const DetectionSet& set, const std::string& n) {
  using P = const TurningPoint&;
  const auto& rows = set.points;
  if (n == "series") return gather<T>(rows, [](P p) { return p.series; });
  if (n == "index") return gather<T>(rows, [](P p) { return p.index; });
  if (n == "day") return gather<T>(rows, [](P p) { return p.day; });
  if (n == "kind") return gather<T>(rows, [](P p) { return static_cast<int>(p.kind); });
  if (n == "shape") return gather<T>(rows, [](P p) { return static_cast<int>(p.shape); });
  if (n == "confidence") return gather<T>(rows, [](P p) { return p.confidence; });
  if (n == "ci_lo") return gather<T>(rows, [](P p) { return p.ci_lo; });
  if (n == "ci_hi") return gather<T>(rows, [](P p) { return p.ci_hi; });
  if (n == "gain") return gather<T>(rows, [](P p) { return p.gain; });
  if (n == "step") return gather<T>(rows, [](P p) { return p.step; });
  if (n == "step_z") return gather<T>(rows, [](P p) { return p.step_z; });
  if (n == "rank") return gather<T>(rows, [](P p) { return p.rank; });
  TURNPOINT_FAIL("detections: no column /detections/{}", n);
}

template <class T>
std::vector<T> path_column(const DetectionSet& set, const std::string& n) {
  using E = const PathEntry&;
  if (n == "series") return gather<T>(set.path, [](E e) { return e.series; });
  if (n == "k") return gather<T>(set.path, [](E e) { return e.k; });
  if (n == "cost") return gather<T>(set.path, [](E e) { return e.cost; });
  if (n == "offset" || n == "changes") return ragged<T>(set.path, n == "offset");
  TURNPOINT_FAIL("detections: no column /path/{}", n);
}

template <class T>
std::vector<T> crops_column(const DetectionSet& set, const std::string& n) {
  using E = const CropsEntry&;
  if (n == "series") return gather<T>(set.crops, [](E e) { return e.series; });
  if (n == "pen_lo") return gather<T>(set.crops, [](E e) { return e.pen_lo; });
  if (n == "pen_hi") return gather<T>(set.crops, [](E e) { return e.pen_hi; });
  if (n == "cost") return gather<T>(set.crops, [](E e) { return e.cost; });
  if (n == "offset" || n == "changes") return ragged<T>(set.crops, n == "offset");
  TURNPOINT_FAIL("detections: no column /crops/{}", n);
}

}  // namespace

template <class T>
std::vector<T> set_column(const DetectionSet& set, const ColumnSpec& c) {
  const std::string g = c.group;
  if (g == "series") return series_column<T>(set, c.name);
  if (g == "detections") return point_column<T>(set, c.name);
  if (g == "path") return path_column<T>(set, c.name);
  if (g == "crops") return crops_column<T>(set, c.name);
  TURNPOINT_FAIL("detections: no group /{}", g);
}
template std::vector<std::int8_t> set_column<std::int8_t>(const DetectionSet&, const ColumnSpec&);
template std::vector<std::int32_t> set_column<std::int32_t>(const DetectionSet&, const ColumnSpec&);
template std::vector<std::int64_t> set_column<std::int64_t>(const DetectionSet&, const ColumnSpec&);
template std::vector<double> set_column<double>(const DetectionSet&, const ColumnSpec&);

std::size_t SetColumns::size(const ColumnSpec& c) const {
  const std::string g = c.group, n = c.name;
  if (g == "series") return set_.summary.size();
  if (g == "detections") return set_.points.size();
  if (n == "offset") return (g == "path" ? set_.path.size() : set_.crops.size()) + 1;
  if (n == "changes") {
    std::size_t total = 0;
    if (g == "path")
      for (const PathEntry& e : set_.path) total += e.changes.size();
    else
      for (const CropsEntry& e : set_.crops) total += e.changes.size();
    return total;
  }
  return g == "path" ? set_.path.size() : set_.crops.size();
}

template <class T>
void SetColumns::read_cached(const ColumnSpec& c, std::size_t first, std::size_t n, T* out,
                             std::vector<T>& cache) const {
  if (cached_ != &c) {
    i8_ = {};
    i32_ = {};
    i64_ = {};
    f64_ = {};
    cache = set_column<T>(set_, c);
    cached_ = &c;
  }
  TURNPOINT_EXPECTS(first + n <= cache.size(), "detections: /{}/{} rows {}..{} of {}", c.group,
                    c.name, first, first + n, cache.size());
  if (n > 0) std::memcpy(out, cache.data() + first, n * sizeof(T));
}

void SetColumns::read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int8_t* out) const {
  read_cached(c, first, n, out, i8_);
}
void SetColumns::read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int32_t* out) const {
  read_cached(c, first, n, out, i32_);
}
void SetColumns::read(const ColumnSpec& c, std::size_t first, std::size_t n, std::int64_t* out) const {
  read_cached(c, first, n, out, i64_);
}
void SetColumns::read(const ColumnSpec& c, std::size_t first, std::size_t n, double* out) const {
  read_cached(c, first, n, out, f64_);
}

}  // namespace turnpoint
