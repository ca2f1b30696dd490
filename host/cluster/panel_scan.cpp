#include "host/cluster/panel_scan.hpp"

#include <algorithm>
#include <cmath>

#include "host/cluster/fingerprint.hpp"
#include "host/core/panel_fingerprint.hpp"
#include "host/core/time_axis.hpp"
#include "host/cluster/shard.hpp"

namespace turnpoint::cluster {

PanelScan scan_panel(const SeriesReader& reader, std::int64_t chunk_series) {
  const Panel& h = reader.header();
  Fingerprint fp;
  fp.add(h.time);
  fp.add(h.units);
  fp.add(std::string(to_string(h.frequency)));  // the same days read as months are another panel
  for (const auto* names : {&h.region, &h.sector, &h.series_id})
    for (const std::string& s : *names) fp.add(s);
  PanelScan scan;
  PanelFingerprint input(h);
  const std::int64_t n = reader.n_series();
  const int T = reader.n_time();
  scan.weights.reserve(static_cast<std::size_t>(n));
  const std::int64_t step = std::max<std::int64_t>(1, chunk_series);
  for (std::int64_t first = 0; first < n; first += step) {
    const std::int64_t count = std::min(step, n - first);
    const Panel part = reader.read_rows(first, count);
    fp.add(part.values.data(), part.values.size() * sizeof(double));
    input.add_values(part.values.data(), part.values.size());
    for (std::int64_t i = 0; i < count; ++i) {
      const double* y = part.row(i);
      std::int64_t valid = 0;
      for (int t = 0; t < T; ++t) valid += std::isnan(y[t]) ? 0 : 1;
      scan.weights.push_back(series_weight(valid));
    }
  }
  scan.content_hash = fp.hex();
  scan.input_fingerprint = input.hex();
  return scan;
}

}  // namespace turnpoint::cluster
