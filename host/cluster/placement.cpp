#include "host/cluster/placement.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

namespace turnpoint::cluster {

int threads_for_rank(int cpus, int sharing) { return std::max(1, cpus / std::max(1, sharing)); }

std::string describe_placement(const std::vector<RankPlacement>& ranks) {
  if (ranks.empty()) return "no ranks";
  int nodes = 0, lo = ranks.front().threads, hi = lo;
  bool from_env = false;
  std::map<std::pair<int, int>, int> per_device;  // (node, device) -> ranks
  int gpus_lo = 0, gpus_hi = 0;  // devices seen, over the ranks that took one
  for (const RankPlacement& r : ranks) {
    nodes = std::max(nodes, r.node + 1);
    lo = std::min(lo, r.threads);
    hi = std::max(hi, r.threads);
    from_env = from_env || r.threads_from_env;
    if (r.gpu < 0) continue;
    gpus_lo = per_device.empty() ? r.gpus : std::min(gpus_lo, r.gpus);
    gpus_hi = std::max(gpus_hi, r.gpus);
    ++per_device[{r.node, r.gpu}];
  }
  const int n = static_cast<int>(ranks.size());
  std::string line = fmt::format("{} rank{} on {} node{}; OpenMP threads per rank: {}{}", n, n == 1 ? "" : "s",
                                 nodes, nodes == 1 ? "" : "s", lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi),
                                 from_env ? " (OMP_NUM_THREADS)" : "");
  if (per_device.empty()) return line + "; no GPU";
  int most = 0;
  for (const auto& d : per_device) most = std::max(most, d.second);
  const std::string seen = gpus_lo == gpus_hi ? fmt::format("{}", gpus_lo) : fmt::format("{}-{}", gpus_lo, gpus_hi);
  return line + fmt::format("; GPU: local rank mod {} device{} per node, {} device{} in use, at most {} rank{} per device",
                            seen, gpus_hi == 1 ? "" : "s", per_device.size(), per_device.size() == 1 ? "" : "s",
                            most, most == 1 ? "" : "s");
}

}  // namespace turnpoint::cluster
