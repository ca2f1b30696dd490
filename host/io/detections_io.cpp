// detections.h5 (docs/schema.md): root attributes, /config, /series, /detections and the
// optional /path and /crops groups. Written atomically; read back into a DetectionSet with
// every column checked against the series count and day axis.
#include "host/io/detections_io.hpp"

#include <algorithm>

#include "host/core/atomic_file.hpp"
#include "host/core/dates.hpp"
#include "host/core/time_axis.hpp"
#include "host/io/detection_columns.hpp"
#include "kernels/error.hpp"
#include "host/io/hdf5.hpp"

namespace turnpoint {

namespace {

constexpr const char* kFormat = "turnpoint.detections";
constexpr std::int64_t kFormatVersion = 1;

const char* to_string(NoiseScale n) { return n == NoiseScale::none ? "none" : "mad"; }

std::vector<std::vector<std::int32_t>> read_ragged(const h5::Location& g, std::size_t rows) {
  const auto offset = h5::read_vector<std::int64_t>(g, "offset");
  const auto changes = h5::read_vector<std::int32_t>(g, "changes");
  TURNPOINT_EXPECTS(offset.size() == rows + 1, "{}: {}/offset has {} entries, expected {}",
                    g.file(), g.path(), offset.size(), rows + 1);
  TURNPOINT_EXPECTS(offset.front() == 0 && offset.back() == static_cast<std::int64_t>(changes.size()),
                    "{}: {}/offset must run from 0 to the length of {}/changes ({})", g.file(),
                    g.path(), g.path(), changes.size());
  std::vector<std::vector<std::int32_t>> out(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    TURNPOINT_EXPECTS(offset[i] <= offset[i + 1], "{}: {}/offset decreases at row {}", g.file(),
                      g.path(), i);
    out[i].assign(changes.begin() + offset[i], changes.begin() + offset[i + 1]);
  }
  return out;
}

template <class T>
std::vector<T> column(const h5::Location& g, const std::string& name, std::size_t rows) {
  std::vector<T> v = h5::read_vector<T>(g, name);
  TURNPOINT_EXPECTS(v.size() == rows, "{}: {} has {} entries, expected {}", g.file(),
                    g.object(name), v.size(), rows);
  return v;
}

// long_name (and units) of one dataset of group `g`, for h5py and xarray users.
void describe(const h5::Location& g, const std::string& name, const std::string& long_name,
              const std::string& units = "") {
  h5::Location d = g.open_object(name);
  h5::write_attr_string(d, "long_name", long_name);
  if (!units.empty()) h5::write_attr_string(d, "units", units);
}

// A code column's labels as CF flags: flag_values [-1, 0, 1] and flag_meanings
// "unclassified event seasonal" (the integers stay the stored values).
void describe_codes(const h5::Location& g, const std::string& name, const std::string& long_name,
                    const std::vector<std::int8_t>& codes, const std::string& meanings) {
  describe(g, name, long_name);
  h5::Location d = g.open_object(name);
  h5::write_attr_int8s(d, "flag_values", codes);
  h5::write_attr_string(d, "flag_meanings", meanings);
}

// Units of /series/time and /detections/day: days, or step numbers on an index axis.
std::string time_units(Frequency f) { return f == Frequency::index ? "1" : "days since 1970-01-01"; }

void check_series_index(const h5::Location& g, std::int32_t s, std::size_t n, std::size_t row) {
  TURNPOINT_EXPECTS(s >= 0 && static_cast<std::size_t>(s) < n,
                    "{}: {}/series[{}] = {} is not a series row (file has {} series)", g.file(),
                    g.path(), row, s, n);
}

void write_config(const h5::Location& root, const DetectionSet& set) {
  const DetectConfig& c = set.config;
  h5::Location g = root.create_group("config");
  h5::write_attr_string(g, "json", set.config_json);
  h5::write_attr_string(g, "engine_version", set.engine_version);
  h5::write_attr_string(g, "method", to_string(c.method));
  h5::write_attr_string(g, "cost", to_string(c.cost));
  h5::write_attr_string(g, "penalty", to_string(c.penalty));
  h5::write_attr_int(g, "min_size", c.min_size);
  h5::write_attr_int(g, "max_changes", c.max_changes);
  h5::write_attr_string(g, "noise", to_string(c.noise));
  // The rest of DetectConfig, so that read_detections restores it without parsing JSON.
  h5::write_attr_int(g, "basis_trend", c.basis.trend ? 1 : 0);
  h5::write_attr_int(g, "basis_weekly", c.basis.weekly);
  h5::write_attr_int(g, "basis_yearly", c.basis.yearly);
  h5::write_attr_double(g, "crops_min", c.crops_min);
  h5::write_attr_double(g, "crops_max", c.crops_max);
  if (!c.basis.dummy_names.empty()) {
    const std::size_t k = c.basis.dummy_names.size();
    TURNPOINT_EXPECTS(c.basis.dummies.size() % k == 0,
                      "detections: basis has {} dummy names but {} dummy values", k,
                      c.basis.dummies.size());
    h5::write_strings(g, "dummy_names", c.basis.dummy_names);
    std::vector<std::int8_t> d(c.basis.dummies.begin(), c.basis.dummies.end());
    h5::write(g, "dummies", d.data(), {k, c.basis.dummies.size() / k});
  }
}

DetectConfig read_config(const h5::Location& root, DetectionSet& set) {
  h5::Location g = root.open_group("config");
  set.config_json = h5::read_attr_string(g, "json");
  set.engine_version = h5::read_attr_string(g, "engine_version");
  DetectConfig c;
  auto parsed = [&](const char* attr, auto parse) {
    const std::string text = h5::read_attr_string(g, attr);
    try {
      return parse(text);
    } catch (const std::exception& e) {
      TURNPOINT_FAIL("{}: /config attribute {} = '{}': {}", g.file(), attr, text, e.what());
    }
  };
  c.method = parsed("method", parse_method);
  c.cost = parsed("cost", parse_cost);
  c.penalty = parsed("penalty", parse_penalty);
  c.min_size = static_cast<int>(h5::read_attr_int(g, "min_size"));
  c.max_changes = static_cast<int>(h5::read_attr_int(g, "max_changes"));
  const std::string noise = h5::read_attr_string(g, "noise");
  TURNPOINT_EXPECTS(noise == "mad" || noise == "none",
                    "{}: /config attribute noise = '{}', expected mad or none", g.file(), noise);
  c.noise = noise == "none" ? NoiseScale::none : NoiseScale::mad;
  if (g.has_attr("basis_trend")) c.basis.trend = h5::read_attr_int(g, "basis_trend") != 0;
  if (g.has_attr("basis_weekly")) c.basis.weekly = static_cast<int>(h5::read_attr_int(g, "basis_weekly"));
  if (g.has_attr("basis_yearly")) c.basis.yearly = static_cast<int>(h5::read_attr_int(g, "basis_yearly"));
  if (g.has_attr("crops_min")) c.crops_min = h5::read_attr_double(g, "crops_min");
  if (g.has_attr("crops_max")) c.crops_max = h5::read_attr_double(g, "crops_max");
  if (g.has("dummy_names")) {
    c.basis.dummy_names = h5::read_strings(g, "dummy_names");
    h5::Array<std::int8_t> d = h5::read<std::int8_t>(g, "dummies");
    TURNPOINT_EXPECTS(d.dims.size() == 2 && d.dims[0] == c.basis.dummy_names.size(),
                      "{}: /config/dummies must have one row per dummy name ({})", g.file(),
                      c.basis.dummy_names.size());
    c.basis.dummies.assign(d.data.begin(), d.data.end());
  }
  return c;
}

// ---- writing, one function per part of the file (docs/schema.md) --------------------------

// Every per-series column must have one row per series and every turning point must name
// one, or the file would not read back.
void check_writable(const std::string& path, const DetectionSet& set) {
  const std::size_t n = set.series_id.size();
  TURNPOINT_EXPECTS(set.region.size() == n && set.sector.size() == n && set.summary.size() == n,
                    "{}: detection set has {} series ids, {} regions, {} sectors, {} summaries",
                    path, n, set.region.size(), set.sector.size(), set.summary.size());
  for (std::size_t i = 0; i < set.points.size(); ++i) {
    const TurningPoint& p = set.points[i];
    TURNPOINT_EXPECTS(p.series >= 0 && static_cast<std::size_t>(p.series) < n,
                      "{}: turning point {} refers to series {} (set has {})", path, i, p.series, n);
  }
}

void write_root_attributes(const h5::Location& f, const DetectionSet& set, const std::string& format) {
  h5::write_attr_string(f, "format", format);
  h5::write_attr_int(f, "format_version", kFormatVersion);
  h5::write_attr_string(f, "turnpoint_version", TURNPOINT_VERSION);
  h5::write_attr_string(f, "created", utc_now_iso8601());
  h5::write_attr_string(f, "input", set.input);
  if (!set.input_fingerprint.empty()) h5::write_attr_string(f, "input_fingerprint", set.input_fingerprint);
  h5::write_attr_string(f, "units", set.units);
  h5::write_attr_string(f, "backend", set.backend);
  h5::write_attr_string(f, "frequency", to_string(set.frequency));
}

// The columns of `group` (detection_columns order), each a contiguous dataset filled a block
// at a time from `cols`: memory is one block, whatever the size of the result.
constexpr std::size_t kBlockRows = std::size_t{1} << 20;

template <class T>
void write_column(const h5::Location& g, const ColumnSpec& c, const DetectionColumns& cols) {
  const std::size_t n = cols.size(c);
  h5::BlockWriter<T> out(g, c.name, n);
  std::vector<T> block;
  for (std::size_t first = 0; first < n; first += kBlockRows) {
    const std::size_t k = std::min(kBlockRows, n - first);
    block.resize(k);
    cols.read(c, first, k, block.data());
    out.write(first, block.data(), k);
  }
}

void write_columns(const h5::Location& g, const std::string& group, const DetectionColumns& cols) {
  for (const ColumnSpec& c : detection_columns())
    if (group == c.group)
      with_column_type(c.type, [&](auto t) { write_column<decltype(t)>(g, c, cols); });
}

// Rows of a group: those of its first column ("series" in every group).
std::size_t group_rows(const std::string& group, const DetectionColumns& cols) {
  for (const ColumnSpec& c : detection_columns())
    if (group == c.group) return cols.size(c);
  return 0;
}

// /series: the day axis, the names and the per-series summary columns.
void write_series_group(const h5::Location& f, const DetectionSet& set, const DetectionColumns& cols) {
  h5::Location g = f.create_group("series");
  h5::write(g, "time", set.time);
  h5::write_strings(g, "region", set.region);
  h5::write_strings(g, "sector", set.sector);
  h5::write_strings(g, "series_id", set.series_id);
  write_columns(g, "series", cols);
  describe(g, "time", fmt::format("time axis of the input ({}; first day of each step)",
                                   to_string(set.frequency)), time_units(set.frequency));
  h5::write_attr_string(g.open_object("time"), "frequency", to_string(set.frequency));
  describe(g, "region", "region of each series");
  describe(g, "sector", "sector of each series");
  describe(g, "series_id", "unique id of each series");
  describe_codes(g, "status", "what could be analysed", {0, 1, 2}, "ok constant empty");
  describe(g, "n_valid", "number of non-missing time steps");
  describe(g, "n_changes", "number of turning points found");
  describe(g, "cost", "total segment cost of the chosen segmentation");
  describe(g, "penalty", "penalty per change used");
  describe(g, "sigma", "noise scale used by the mean and regression costs", set.units);
}

// /detections: one row per turning point, parallel columns, each written in turn.
void write_points_group(const h5::Location& f, const DetectionSet& set, const DetectionColumns& cols) {
  h5::Location g = f.create_group("detections");
  write_columns(g, "detections", cols);
  describe(g, "series", "row of /series (which series the turning point is in)");
  describe(g, "index", "0-based index on /series/time of the first step of the new segment");
  describe(g, "day", "/series/time at index", time_units(set.frequency));
  describe_codes(g, "kind", "event (level or trend moved) or seasonal (the recurring pattern changed)",
                 {-1, 0, 1}, "unclassified event seasonal");
  describe_codes(g, "shape", "what changed", {-1, 0, 1, 2, 3, 4, 5},
                 "unknown level trend level_trend transient weekly yearly");
  describe(g, "confidence", "confidence in [0, 1] (NaN = not computed)");
  describe(g, "ci_lo", "first index of the interval for index (-1 = not computed)");
  describe(g, "ci_hi", "last index of the interval for index (-1 = not computed)");
  describe(g, "gain", "cost decrease this change brings given its neighbours");
  describe(g, "step", "relative change of the fitted level across the point (-0.3 = a 30 % drop)");
  describe(g, "step_z", "the level step in units of the series' month-to-month wandering");
  describe(g, "rank", "1 = most important turning point of its series");
}

// /path (only when there is one): the segneigh / binseg solution path.
void write_path_group(const h5::Location& f, const DetectionColumns& cols) {
  if (group_rows("path", cols) == 0) return;
  h5::Location g = f.create_group("path");
  write_columns(g, "path", cols);
  describe(g, "series", "row of /series");
  describe(g, "k", "number of changes of this solution");
  describe(g, "cost", "unpenalised segment cost of the best segmentation with k changes");
  describe(g, "offset", "row i's changes are changes[offset[i]:offset[i+1]]");
  describe(g, "changes", "indices on /series/time of the first step of each new segment");
}

// /crops (only when there is one): the CROPS penalty path.
void write_crops_group(const h5::Location& f, const DetectionColumns& cols) {
  if (group_rows("crops", cols) == 0) return;
  h5::Location g = f.create_group("crops");
  write_columns(g, "crops", cols);
  describe(g, "series", "row of /series");
  describe(g, "pen_lo", "lowest penalty for which this segmentation is optimal");
  describe(g, "pen_hi", "highest penalty for which this segmentation is optimal");
  describe(g, "cost", "unpenalised segment cost of the segmentation");
  describe(g, "offset", "row i's changes are changes[offset[i]:offset[i+1]]");
  describe(g, "changes", "indices on /series/time of the first step of each new segment");
}

// ---- reading, the same parts in the same order ---------------------------------------------

void check_format(const h5::Location& f, const std::string& path, const std::string& expected) {
  const char* what = expected == kFormat ? "detections" : expected.c_str();
  TURNPOINT_EXPECTS(f.has_attr("format"),
                    "{}: not a turnpoint {} file (root attribute 'format' is missing)", path, what);
  const std::string format = h5::read_attr_string(f, "format");
  TURNPOINT_EXPECTS(format == expected,
                    "{}: not a turnpoint {} file (format is '{}', expected '{}')", path, what,
                    format, expected);
  const std::int64_t version = h5::read_attr_int(f, "format_version");
  TURNPOINT_EXPECTS(version == kFormatVersion,
                    "{}: detections format_version {} is not supported (this build reads {})", path,
                    version, kFormatVersion);
}

void read_root_attributes(const h5::Location& f, DetectionSet& set) {
  set.input = h5::read_attr_string(f, "input");
  // Files written before the fingerprint existed have none: "" (unknown).
  if (f.has_attr("input_fingerprint")) set.input_fingerprint = h5::read_attr_string(f, "input_fingerprint");
  set.units = h5::read_attr_string(f, "units");
  set.backend = h5::read_attr_string(f, "backend");
}

// The frequency of /series/time: stored since issue 18, inferred for files written before.
void read_frequency(const h5::Location& f, const std::string& path, DetectionSet& set) {
  if (!f.has_attr("frequency")) {
    set.frequency = axis_frequency(set.time, path);
    return;
  }
  const std::string text = h5::read_attr_string(f, "frequency");
  const std::optional<Frequency> freq = parse_frequency(text);
  TURNPOINT_EXPECTS(freq.has_value(), "{}: root attribute frequency = '{}' is not a frequency", path,
                    text);
  set.frequency = *freq;
}

// /series; its series_id fixes the series count every later group is checked against.
void read_series_group(const h5::Location& f, const std::string& path, DetectionSet& set) {
  h5::Location g = f.open_group("series");
  set.time = h5::read_vector<std::int32_t>(g, "time");
  set.series_id = h5::read_strings(g, "series_id");
  const std::size_t n = set.series_id.size();
  set.region = h5::read_strings(g, "region");
  set.sector = h5::read_strings(g, "sector");
  TURNPOINT_EXPECTS(set.region.size() == n && set.sector.size() == n,
                    "{}: /series/region ({}) and /series/sector ({}) must match /series/series_id ({})",
                    path, set.region.size(), set.sector.size(), n);
  const auto status = column<std::int8_t>(g, "status", n);
  const auto n_valid = column<std::int32_t>(g, "n_valid", n);
  const auto n_changes = column<std::int32_t>(g, "n_changes", n);
  const auto cost = column<double>(g, "cost", n);
  const auto penalty = column<double>(g, "penalty", n);
  const auto sigma = column<double>(g, "sigma", n);
  set.summary.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    TURNPOINT_EXPECTS(status[i] >= 0 && status[i] <= 2,
                      "{}: /series/status[{}] = {} is not a series status (0 ok, 1 constant, 2 empty)",
                      path, i, status[i]);
    set.summary[i] = {static_cast<SeriesStatus>(status[i]), n_valid[i], n_changes[i],
                      cost[i], penalty[i], sigma[i]};
  }
}

// /detections; needs /series read first (series count, day axis).
void read_points_group(const h5::Location& f, const std::string& path, DetectionSet& set) {
  const std::size_t n = set.series_id.size();
  h5::Location g = f.open_group("detections");
  const auto series = h5::read_vector<std::int32_t>(g, "series");
  const std::size_t rows = series.size();
  const auto index = column<std::int32_t>(g, "index", rows);
  const auto day = column<std::int32_t>(g, "day", rows);
  const auto kind = column<std::int8_t>(g, "kind", rows);
  const auto confidence = column<double>(g, "confidence", rows);
  const auto ci_lo = column<std::int32_t>(g, "ci_lo", rows);
  const auto ci_hi = column<std::int32_t>(g, "ci_hi", rows);
  const auto gain = column<double>(g, "gain", rows);
  const auto rank = column<std::int32_t>(g, "rank", rows);
  // step / step_z came with the level-step confidence; files written before have none.
  const std::vector<double> unknown(rows, std::nan(""));
  const auto step = g.has("step") ? column<double>(g, "step", rows) : unknown;
  const auto step_z = g.has("step_z") ? column<double>(g, "step_z", rows) : unknown;
  // shape came with the pattern model; files written before have none (unknown).
  const auto shape = g.has("shape") ? column<std::int8_t>(g, "shape", rows)
                                    : std::vector<std::int8_t>(rows, -1);
  set.points.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    check_series_index(g, series[i], n, i);
    TURNPOINT_EXPECTS(kind[i] >= -1 && kind[i] <= 1,
                      "{}: /detections/kind[{}] = {} (expected -1 unclassified, 0 event, 1 seasonal)",
                      path, i, kind[i]);
    TURNPOINT_EXPECTS(index[i] >= 0 && static_cast<std::size_t>(index[i]) < set.time.size(),
                      "{}: /detections/index[{}] = {} is outside the day axis (0..{})", path, i,
                      index[i], set.time.size());
    TURNPOINT_EXPECTS(shape[i] >= -1 && shape[i] <= 5,
                      "{}: /detections/shape[{}] = {} (expected -1..5, docs/schema.md)", path, i,
                      shape[i]);
    TurningPoint& p = set.points[i];
    p.series = series[i];
    p.index = index[i];
    p.day = day[i];
    p.kind = static_cast<TurnKind>(kind[i]);
    p.shape = static_cast<TurnShape>(shape[i]);
    p.confidence = confidence[i];
    p.ci_lo = ci_lo[i];
    p.ci_hi = ci_hi[i];
    p.gain = gain[i];
    p.step = step[i];
    p.step_z = step_z[i];
    p.rank = rank[i];
  }
}

// /path, when the file has one; needs /series read first.
void read_path_group(const h5::Location& f, DetectionSet& set) {
  if (!f.has("path")) return;
  const std::size_t n = set.series_id.size();
  h5::Location g = f.open_group("path");
  const auto series = h5::read_vector<std::int32_t>(g, "series");
  const std::size_t rows = series.size();
  const auto k = column<std::int32_t>(g, "k", rows);
  const auto cost = column<double>(g, "cost", rows);
  auto changes = read_ragged(g, rows);
  set.path.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    check_series_index(g, series[i], n, i);
    set.path[i] = {series[i], k[i], cost[i], std::move(changes[i])};
  }
}

// /crops, when the file has one; needs /series read first.
void read_crops_group(const h5::Location& f, DetectionSet& set) {
  if (!f.has("crops")) return;
  const std::size_t n = set.series_id.size();
  h5::Location g = f.open_group("crops");
  const auto series = h5::read_vector<std::int32_t>(g, "series");
  const std::size_t rows = series.size();
  const auto lo = column<double>(g, "pen_lo", rows);
  const auto hi = column<double>(g, "pen_hi", rows);
  const auto cost = column<double>(g, "cost", rows);
  auto changes = read_ragged(g, rows);
  set.crops.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    check_series_index(g, series[i], n, i);
    set.crops[i] = {series[i], lo[i], hi[i], cost[i], std::move(changes[i])};
  }
}

}  // namespace

// The parts in the order of docs/schema.md; each group is closed before the next opens.
void write_detections(const std::string& path, const DetectionSet& set) {
  write_detections(path, set, kFormat, nullptr);
}

void write_detections(const std::string& path, const DetectionSet& set, const std::string& format,
                      const DetectionsRootHook& extra) {
  check_writable(path, set);
  write_detections(path, set, SetColumns(set), format, extra);
}

void write_detections(const std::string& path, const DetectionSet& header,
                      const DetectionColumns& columns) {
  write_detections(path, header, columns, kFormat, nullptr);
}

void write_detections(const std::string& path, const DetectionSet& header,
                      const DetectionColumns& columns, const std::string& format,
                      const DetectionsRootHook& extra) {
  AtomicFile out(path);
  {
    h5::File f = h5::File::create(out.temp_path());
    write_root_attributes(f, header, format);
    if (extra) extra(f);
    write_config(f, header);
    write_series_group(f, header, columns);
    write_points_group(f, header, columns);
    write_path_group(f, columns);
    write_crops_group(f, columns);
    f.close();
  }
  out.commit();
}

DetectionSet read_detections(const std::string& path) {
  return read_detections(path, kFormat, nullptr);
}

DetectionSet read_detections(const std::string& path, const std::string& format,
                             const DetectionsRootHook& extra) {
  h5::File f = h5::File::open(path);
  check_format(f, path, format);
  if (extra) extra(f);
  DetectionSet set;
  read_root_attributes(f, set);
  set.config = read_config(f, set);
  read_series_group(f, path, set);
  read_frequency(f, path, set);
  read_points_group(f, path, set);
  read_path_group(f, set);
  read_crops_group(f, set);
  return set;
}

DetectionSet read_detections_header(const std::string& path) {
  h5::File f = h5::File::open(path);
  check_format(f, path, kFormat);
  DetectionSet set;
  read_root_attributes(f, set);
  set.config = read_config(f, set);
  read_series_group(f, path, set);
  read_frequency(f, path, set);
  return set;
}

void read_point_blocks(const std::string& path, const DetectionSet& header, std::size_t block,
                       const PointBlockFn& f) {
  TURNPOINT_EXPECTS(block >= 1, "a block of {} points", block);
  h5::File file = h5::File::open(path);
  check_format(file, path, kFormat);
  h5::Location g = file.open_group("detections");
  const std::vector<hsize_t> shape = h5::dims(g, "series");
  TURNPOINT_EXPECTS(shape.size() == 1, "{}: /detections/series has rank {}, expected 1", path, shape.size());
  const std::size_t rows = static_cast<std::size_t>(shape[0]);
  // Every column, read here or not, as read_detections checks them (step, step_z and shape
  // are absent from older files).
  for (const char* other : {"index", "day", "kind", "confidence", "ci_lo", "ci_hi", "gain", "rank", "step", "step_z", "shape"}) {
    if (!g.has(other) && (std::string(other) == "step" || std::string(other) == "step_z" || std::string(other) == "shape"))
      continue;
    const std::vector<hsize_t> d = h5::dims(g, other);
    TURNPOINT_EXPECTS(d.size() == 1 && d[0] == shape[0], "{}: {} has {} entries, expected {}", g.file(),
                      g.object(other), d.empty() ? 0 : d[0], rows);
  }
  const std::size_t n = header.series_id.size();
  PointBlock b;
  for (std::size_t first = 0; first < rows; first += block) {
    const std::size_t count = std::min(block, rows - first);
    b.first_row = first;
    b.series = h5::read_vector_rows<std::int32_t>(g, "series", first, count);
    b.index = h5::read_vector_rows<std::int32_t>(g, "index", first, count);
    b.kind = h5::read_vector_rows<std::int8_t>(g, "kind", first, count);
    for (std::size_t i = 0; i < count; ++i) {
      check_series_index(g, b.series[i], n, first + i);
      TURNPOINT_EXPECTS(b.kind[i] >= -1 && b.kind[i] <= 1,
                        "{}: /detections/kind[{}] = {} (expected -1 unclassified, 0 event, 1 seasonal)",
                        path, first + i, b.kind[i]);
      TURNPOINT_EXPECTS(b.index[i] >= 0 && static_cast<std::size_t>(b.index[i]) < header.time.size(),
                        "{}: /detections/index[{}] = {} is outside the day axis (0..{})", path, first + i,
                        b.index[i], header.time.size());
    }
    if (!f(b)) return;
  }
}

}  // namespace turnpoint
