#include "host/cluster/detections_append.hpp"

#include <iterator>

#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

template <class T>
void move_append(std::vector<T>& into, std::vector<T>& from) {
  into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

void check_same_provenance(const DetectionSet& a, const DetectionSet& b, const std::string& what) {
  auto same = [&](bool equal, const char* field) {
    TURNPOINT_EXPECTS(equal, "{}: its {} differs from that of the series before it (not a part of "
                      "the same run)", what, field);
  };
  same(a.time == b.time, "day axis");
  same(a.frequency == b.frequency, "axis frequency");
  same(a.config_json == b.config_json, "settings (config json)");
  same(a.engine_version == b.engine_version, "engine version");
  same(a.input == b.input, "input path");
  same(a.units == b.units, "units");
  same(a.backend == b.backend, "backend");
}

void take_provenance(DetectionSet& into, const DetectionSet& part) {
  into.time = part.time;
  into.frequency = part.frequency;
  into.input = part.input;
  into.input_fingerprint = part.input_fingerprint;
  into.units = part.units;
  into.config = part.config;
  into.config_json = part.config_json;
  into.engine_version = part.engine_version;
  into.backend = part.backend;
}

void append_detections(DetectionSet& into, DetectionSet&& part, const std::string& what) {
  const bool first = into.series_id.empty() && into.config_json.empty();
  if (first)
    take_provenance(into, part);
  else
    check_same_provenance(into, part, what);
  const auto offset = static_cast<std::int32_t>(into.series_id.size());
  for (TurningPoint& p : part.points) p.series += offset;
  for (PathEntry& e : part.path) e.series += offset;
  for (CropsEntry& e : part.crops) e.series += offset;
  move_append(into.region, part.region);
  move_append(into.sector, part.sector);
  move_append(into.series_id, part.series_id);
  move_append(into.summary, part.summary);
  move_append(into.points, part.points);
  move_append(into.path, part.path);
  move_append(into.crops, part.crops);
}

}  // namespace turnpoint::cluster
