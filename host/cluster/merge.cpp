#include "host/cluster/merge.hpp"

#include <algorithm>
#include <map>

#include <fmt/ranges.h>

#include "host/cluster/part_file.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

// Every part against the first: one run, one panel, one N.
void check_same_run(const Part& a, const Part& b) {
  const PartInfo &x = a.info, &y = b.info;
  TURNPOINT_EXPECTS(x.shard.count == y.shard.count,
                    "parts of different shardings: {} is shard {}/{}, {} is shard {}/{}", a.path,
                    x.shard.index, x.shard.count, b.path, y.shard.index, y.shard.count);
  TURNPOINT_EXPECTS(x.input_hash == y.input_hash && x.total_series == y.total_series,
                    "parts of different input panels: {} ({} series, content {}) and {} ({} "
                    "series, content {})", a.path, x.total_series, x.input_hash, b.path,
                    y.total_series, y.input_hash);
  TURNPOINT_EXPECTS(x.settings_hash == y.settings_hash,
                    "parts of different settings: {} (settings {}) and {} (settings {}); rerun "
                    "every shard with the same options, input path and turnpoint version",
                    a.path, x.settings_hash, b.path, y.settings_hash);
}

}  // namespace

void merge_parts(const std::vector<std::string>& paths, DetectionsStream& out) {
  TURNPOINT_EXPECTS(!paths.empty(), "merge: no part files given");
  // First pass: every part read and checked whole, one at a time; only its info is kept.
  std::vector<Part> parts;
  parts.reserve(paths.size());
  std::map<int, std::string> by_shard;
  for (const std::string& path : paths) {
    Part p = read_part(path);
    p.set = DetectionSet{};
    parts.push_back(std::move(p));
    check_same_run(parts.front(), parts.back());
    const Part& q = parts.back();
    const auto [it, fresh] = by_shard.emplace(q.info.shard.index, path);
    TURNPOINT_EXPECTS(fresh, "shard {}/{} given twice: {} and {}", q.info.shard.index,
                      q.info.shard.count, it->second, path);
  }
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) {
    return a.info.range.first != b.info.range.first ? a.info.range.first < b.info.range.first
                                                    : a.info.shard.index < b.info.shard.index;
  });
  // The ranges must tile 0..total: a gap is a missing part, a step back an overlap.
  const int n_shards = parts.front().info.shard.count;
  std::vector<int> missing;
  for (int s = 0; s < n_shards; ++s)
    if (!by_shard.count(s)) missing.push_back(s);
  std::int64_t next = 0;
  for (const Part& p : parts) {
    const SeriesRange& r = p.info.range;
    TURNPOINT_EXPECTS(r.first <= next, "missing part: series {}..{} are in no part given (shards "
                      "missing: {} of {})", next, r.first, fmt::join(missing, ", "), n_shards);
    TURNPOINT_EXPECTS(r.first == next || r.count == 0,
                      "overlapping parts: {} (series {}..{}) overlaps the part before it, which "
                      "ends at series {}", p.path, r.first, r.end(), next);
    next = std::max(next, r.end());
  }
  const std::int64_t total = parts.front().info.total_series;
  TURNPOINT_EXPECTS(next == total && missing.empty(),
                    "missing part: series {}..{} of {} are in no part given (shards missing: {} "
                    "of {})", next, total, total, fmt::join(missing, ", "), n_shards);
  // Second pass, in series order: each part read again and streamed to the output, so that
  // memory holds one part, not the merged result.
  for (const Part& p : parts) out.append(read_part(p.path).set, p.path);
}

}  // namespace turnpoint::cluster
