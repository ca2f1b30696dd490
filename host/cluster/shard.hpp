// --shard I/N: which contiguous range of series the I-th of N processes takes. Ranges are
// balanced by work, not by count: a series costs about its number of observed days (the
// solvers and the pattern model are linear in them), so a panel with ragged or
// gap-filled series still splits into parts of about equal run time.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace turnpoint::cluster {

struct Shard {
  int index = 0;  // I, 0-based
  int count = 1;  // N
};
// "I/N" with 0 <= I < N; anything else is invalid_input naming the text.
Shard parse_shard(const std::string& text);

struct SeriesRange {
  std::int64_t first = 0;
  std::int64_t count = 0;
  std::int64_t end() const { return first + count; }
};

// The work of one series: 1 (reading, writing, the fixed cost of a fit) + its observed days.
std::int64_t series_weight(std::int64_t n_valid);

// N contiguous ranges covering every series in order; range k starts at the first series
// whose prefix weight reaches k/N of the total (integer arithmetic: the same on every
// machine). A range may be empty when there are fewer series than parts.
std::vector<SeriesRange> balanced_ranges(const std::vector<std::int64_t>& weights, int parts);

}  // namespace turnpoint::cluster
