// series.h5 and detections.h5 from Python (host/io/series_io.hpp, detections_io.hpp): the
// same readers and writers as the CLI, so a file written from Python is one the CLI reads,
// and the other way round. read_series hands the panel's values to numpy without a copy.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "host/io/detections_io.hpp"
#include "host/core/time_axis.hpp"
#include "host/io/series_io.hpp"
#include "kernels/error.hpp"
#include "python/src/arrays.hpp"
#include "python/src/bindings.hpp"

namespace turnpoint::python {
namespace {

namespace nb = nanobind;

nb::dict read_series_dict(const std::string& path) {
  Panel p;
  {
    nb::gil_scoped_release release;
    p = read_series(path);
  }
  const size_t shape[2] = {static_cast<size_t>(p.n_series()), static_cast<size_t>(p.n_time())};
  auto* heap = new std::vector<double>(std::move(p.values));
  nb::capsule owner(heap, [](void* v) noexcept { delete static_cast<std::vector<double>*>(v); });
  nb::dict d;
  d["values"] = nb::ndarray<nb::numpy, double, nb::ndim<2>>(heap->data(), 2, shape, owner).cast();
  d["time"] = to_numpy(std::move(p.time));
  d["region"] = std::move(p.region);
  d["sector"] = std::move(p.sector);
  d["series_id"] = std::move(p.series_id);
  d["units"] = std::move(p.units);
  d["source"] = std::move(p.source);
  d["frequency"] = std::string(to_string(p.frequency));
  return d;
}

void write_series_arrays(const std::string& path, const Values& values, const Days& days,
                         std::vector<std::string> region, std::vector<std::string> sector,
                         std::vector<std::string> series_id, std::string units, std::string source) {
  const auto n = static_cast<std::int64_t>(values.shape(0));
  const auto t = static_cast<std::int64_t>(values.shape(1));
  TURNPOINT_EXPECTS(static_cast<std::int64_t>(days.shape(0)) == t, "{}: {} dates for {} time steps",
                    path, days.shape(0), t);
  TURNPOINT_EXPECTS(static_cast<std::int64_t>(region.size()) == n, "{}: {} regions for {} series", path,
                    region.size(), n);
  Panel p;
  p.time.assign(days.data(), days.data() + t);
  p.frequency = axis_frequency(p.time, path);
  p.values.assign(values.data(), values.data() + n * t);
  p.region = std::move(region);
  p.sector = std::move(sector);
  p.series_id = std::move(series_id);
  p.units = std::move(units);
  p.source = std::move(source);
  nb::gil_scoped_release release;
  write_series(path, p);
}

}  // namespace

void bind_io(nb::module_& m) {
  using namespace nb::literals;
  m.def("read_series", &read_series_dict, "path"_a);
  m.def("write_series", &write_series_arrays, "path"_a, "values"_a.noconvert(), "days"_a.noconvert(),
        "region"_a, "sector"_a, "series_id"_a, "units"_a, "source"_a);
  m.def(
      "read_detections",
      [](const std::string& path) {
        nb::gil_scoped_release release;
        return read_detections(path);
      },
      "path"_a);
  m.def(
      "write_detections",
      [](const std::string& path, const DetectionSet& set) {
        nb::gil_scoped_release release;
        write_detections(path, set);
      },
      "path"_a, "detections"_a);
}

}  // namespace turnpoint::python
