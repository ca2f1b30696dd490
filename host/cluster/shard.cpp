#include "host/cluster/shard.hpp"

#include <cstdlib>

#include "kernels/error.hpp"

namespace turnpoint::cluster {

Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  auto number = [&](const std::string& s, long& out) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) return false;
    out = std::strtol(s.c_str(), nullptr, 10);
    return true;
  };
  long i = 0, n = 0;
  TURNPOINT_EXPECTS(slash != std::string::npos && number(text.substr(0, slash), i) &&
                        number(text.substr(slash + 1), n),
                    "--shard '{}': expected I/N, e.g. 0/4 (the I-th of N parts, 0-based)", text);
  TURNPOINT_EXPECTS(n >= 1 && i < n, "--shard '{}': I must be in 0..N-1 and N at least 1", text);
  return {static_cast<int>(i), static_cast<int>(n)};
}

std::int64_t series_weight(std::int64_t n_valid) { return 1 + n_valid; }

std::vector<SeriesRange> balanced_ranges(const std::vector<std::int64_t>& weights, int parts) {
  TURNPOINT_EXPECTS(parts >= 1, "balanced_ranges: {} parts", parts);
  const std::int64_t n = static_cast<std::int64_t>(weights.size());
  std::int64_t total = 0;
  for (std::int64_t w : weights) {
    TURNPOINT_EXPECTS(w >= 0, "balanced_ranges: negative weight {}", w);
    total += w;
  }
  // starts[k]: the first series i with prefix(i) * parts >= k * total (prefix(i) = the
  // weight of series 0..i-1); prefix is non-decreasing, so one pass finds them all.
  std::vector<std::int64_t> starts(static_cast<std::size_t>(parts) + 1, n);
  starts[0] = 0;
  std::int64_t prefix = 0;
  int k = 1;
  for (std::int64_t i = 0; i <= n && k < parts; ++i) {
    while (k < parts && prefix * parts >= static_cast<std::int64_t>(k) * total)
      starts[static_cast<std::size_t>(k++)] = i;
    if (i < n) prefix += weights[static_cast<std::size_t>(i)];
  }
  std::vector<SeriesRange> out(static_cast<std::size_t>(parts));
  for (int p = 0; p < parts; ++p)
    out[static_cast<std::size_t>(p)] = {starts[static_cast<std::size_t>(p)],
                                        starts[static_cast<std::size_t>(p) + 1] - starts[static_cast<std::size_t>(p)]};
  return out;
}

}  // namespace turnpoint::cluster
