#include "host/cluster/part_file.hpp"

#include "host/cluster/fingerprint.hpp"
#include "host/core/time_axis.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/hdf5.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {
constexpr const char* kPartFormat = "turnpoint.detections-part";
constexpr std::int64_t kPartVersion = 1;
}  // namespace

std::string settings_hash(const DetectionSet& set) {
  Fingerprint fp;
  fp.add(std::string(TURNPOINT_VERSION));
  for (const std::string* s : {&set.config_json, &set.engine_version, &set.input, &set.units, &set.backend})
    fp.add(*s);
  fp.add(set.time);
  fp.add(std::string(to_string(set.frequency)));
  return fp.hex();
}

namespace {

// The root attributes merge checks (part_file.hpp).
DetectionsRootHook part_attributes(const PartInfo& info, std::int64_t n_points) {
  return [info, n_points](const h5::Location& root) {
    h5::write_attr_int(root, "part_format_version", kPartVersion);
    h5::write_attr_int(root, "shard", info.shard.index);
    h5::write_attr_int(root, "shard_count", info.shard.count);
    h5::write_attr_int(root, "first_series", info.range.first);
    h5::write_attr_int(root, "n_series", info.range.count);
    h5::write_attr_int(root, "total_series", info.total_series);
    h5::write_attr_string(root, "settings_hash", info.settings_hash);
    h5::write_attr_string(root, "input_hash", info.input_hash);
    h5::write_attr_int(root, "n_points", n_points);
  };
}

void check_part_range(const std::string& path, std::int64_t n_series, const PartInfo& info) {
  TURNPOINT_EXPECTS(n_series == info.range.count, "{}: part holds {} series, its range {}..{} has {}",
                    path, n_series, info.range.first, info.range.end(), info.range.count);
}

}  // namespace

void write_part(const std::string& path, const DetectionSet& set, PartInfo info) {
  info.settings_hash = settings_hash(set);
  check_part_range(path, static_cast<std::int64_t>(set.series_id.size()), info);
  write_detections(path, set, kPartFormat,
                   part_attributes(info, static_cast<std::int64_t>(set.points.size())));
}

void write_part(DetectionsStream& stream, PartInfo info) {
  info.settings_hash = settings_hash(stream.header());
  check_part_range(stream.output(), stream.n_series(), info);
  stream.commit(kPartFormat, part_attributes(info, stream.n_points()));
}

Part read_part(const std::string& path) {
  Part part;
  part.path = path;
  std::int64_t n_points = 0;
  try {
    part.set = read_detections(path, kPartFormat, [&](const h5::Location& root) {
      const std::int64_t version = h5::read_attr_int(root, "part_format_version");
      TURNPOINT_EXPECTS(version == kPartVersion,
                        "{}: part format version {} is not supported (this build reads {})", path,
                        version, kPartVersion);
      PartInfo& i = part.info;
      i.shard.index = static_cast<int>(h5::read_attr_int(root, "shard"));
      i.shard.count = static_cast<int>(h5::read_attr_int(root, "shard_count"));
      i.range.first = h5::read_attr_int(root, "first_series");
      i.range.count = h5::read_attr_int(root, "n_series");
      i.total_series = h5::read_attr_int(root, "total_series");
      i.settings_hash = h5::read_attr_string(root, "settings_hash");
      i.input_hash = h5::read_attr_string(root, "input_hash");
      n_points = h5::read_attr_int(root, "n_points");
    });
  } catch (const hdf5_error& e) {
    // A part cut short in a copy, or a disk that filled up, is the user's to redo.
    TURNPOINT_FAIL("{}: part file is truncated or damaged (rerun its shard): {}", path, e.what());
  }
  const PartInfo& i = part.info;
  TURNPOINT_EXPECTS(i.shard.count >= 1 && i.shard.index >= 0 && i.shard.index < i.shard.count &&
                        i.range.first >= 0 && i.range.count >= 0 &&
                        i.range.end() <= i.total_series,
                    "{}: part attributes are inconsistent (shard {}/{}, series {}..{} of {})", path,
                    i.shard.index, i.shard.count, i.range.first, i.range.end(), i.total_series);
  TURNPOINT_EXPECTS(static_cast<std::int64_t>(part.set.series_id.size()) == i.range.count &&
                        static_cast<std::int64_t>(part.set.points.size()) == n_points,
                    "{}: part is damaged: it holds {} series and {} turning points, its attributes "
                    "say {} and {}", path, part.set.series_id.size(), part.set.points.size(),
                    i.range.count, n_points);
  TURNPOINT_EXPECTS(settings_hash(part.set) == i.settings_hash,
                    "{}: part is damaged: its settings do not match its settings_hash", path);
  return part;
}

}  // namespace turnpoint::cluster
