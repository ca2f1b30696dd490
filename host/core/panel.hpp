// The series model: a panel of daily series on one shared day axis (DESIGN.md §5).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace turnpoint {

struct Panel {
  std::vector<std::int32_t> time;      // [T] days since 1970-01-01, strictly increasing
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
