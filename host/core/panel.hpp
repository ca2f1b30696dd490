// The series model: a panel of series on one shared time axis (DESIGN.md §5), daily unless
// `frequency` says otherwise (host/core/time_axis.hpp). Series may be ragged: NaN before a
// series starts and after it stops; its span is the series.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/core/time_axis.hpp"

namespace turnpoint {

struct Panel {
  std::vector<std::int32_t> time;      // [T] days since 1970-01-01 (index: step numbers), increasing
  Frequency frequency = Frequency::daily;  // of `time`; each time[t] is its step's first day
  std::vector<double> values;          // [N * T] row-major, NaN = missing
  std::vector<std::string> region;     // [N] canonical region names
  std::vector<std::string> sector;     // [N] canonical sector names
  std::vector<std::string> series_id;  // [N] "Region/Sector" unless given
  std::string units = "MtCO2/day";
  std::string source;

  std::int64_t n_series() const { return static_cast<std::int64_t>(region.size()); }
  int n_time() const { return static_cast<int>(time.size()); }
  const double* row(std::int64_t i) const { return values.data() + i * n_time(); }
  double* row(std::int64_t i) { return values.data() + i * n_time(); }
};

}  // namespace turnpoint
