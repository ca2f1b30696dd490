// series.h5 (docs/schema.md): /time, /values, /region, /sector, /series_id and the root
// attributes. Both directions validate the same invariants, so a file that was written can
// always be read and a file that is read can be trusted.
#include "host/io/series_io.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "host/core/atomic_file.hpp"
#include "host/core/dates.hpp"
#include "host/core/panel_fingerprint.hpp"
#include "host/core/time_axis.hpp"
#include "kernels/error.hpp"
#include "host/io/h5_scales.hpp"
#include "host/io/hdf5.hpp"

namespace turnpoint {

namespace {

constexpr const char* kFormat = "turnpoint.series";
constexpr std::int64_t kFormatVersion = 1;

// Shapes agree, the time axis is regular at its frequency (host/core/time_axis.hpp), series
// ids are unique. The names and the axis; validate() adds the values' size.
void validate_header(const Panel& p, const std::string& file) {
  const std::size_t n = p.region.size();
  TURNPOINT_EXPECTS(p.sector.size() == n, "{}: /sector has {} entries, /region has {}", file,
                    p.sector.size(), n);
  TURNPOINT_EXPECTS(p.series_id.size() == n, "{}: /series_id has {} entries, /region has {}",
                    file, p.series_id.size(), n);
  if (p.frequency == Frequency::daily && p.time.size() >= 2 && p.time[1] - p.time[0] != 1) {
    const Frequency inferred = axis_frequency(p.time, file);
    TURNPOINT_FAIL("{}: /time is a {} axis but the panel says daily (set Panel::frequency)", file,
                   to_string(inferred));
  }
  check_axis(p.time, p.frequency, file);
  std::unordered_set<std::string> seen;
  seen.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    TURNPOINT_EXPECTS(seen.insert(p.series_id[i]).second,
                      "{}: /series_id: duplicate series id '{}' (row {})", file, p.series_id[i], i);
}

void validate(const Panel& p, const std::string& file) {
  TURNPOINT_EXPECTS(p.values.size() == p.region.size() * p.time.size(),
                    "{}: /values has {} elements, expected {} series x {} days", file,
                    p.values.size(), p.region.size(), p.time.size());
  validate_header(p, file);
}

// Attributes that let h5py and xarray users read the file without docs/schema.md, and the
// netCDF dimensions (time, series_id) that xarray's h5netcdf engine names the axes by.
void describe_datasets(const h5::File& f, const Panel& panel) {
  {
    h5::Location time = f.open_object("time");
    if (panel.frequency == Frequency::index) {
      h5::write_attr_string(time, "long_name", "step number (an index axis, no dates)");
      h5::write_attr_string(time, "units", "1");
    } else {
      h5::write_attr_string(time, "long_name", fmt::format("first day of each {} step",
                                                            to_string(panel.frequency)));
      h5::write_attr_string(time, "units", "days since 1970-01-01");
      h5::write_attr_string(time, "calendar", "proleptic_gregorian");
      h5::write_attr_string(time, "standard_name", "time");
    }
    h5::write_attr_string(time, "axis", "T");
    h5::write_attr_string(time, "frequency", to_string(panel.frequency));
  }
  {
    h5::Location values = f.open_object("values");
    h5::write_attr_string(values, "long_name", "value of each series at each time step (NaN = missing)");
    if (!panel.units.empty()) h5::write_attr_string(values, "units", panel.units);
    h5::write_attr_string(values, "coordinates", "region sector");
  }
  h5::write_attr_string(f.open_object("region"), "long_name", "region of each series (province, country, ...)");
  h5::write_attr_string(f.open_object("sector"), "long_name", "sector of each series (may be empty)");
  h5::write_attr_string(f.open_object("series_id"), "long_name", "unique id of each series");
  h5::set_scale(f, "time", "time");
  h5::set_scale(f, "series_id", "series_id");
  h5::attach_scale(f, "values", "series_id", 0);
  h5::attach_scale(f, "values", "time", 1);
  h5::attach_scale(f, "region", "series_id", 0);
  h5::attach_scale(f, "sector", "series_id", 0);
}

}  // namespace

void write_series(const std::string& path, const Panel& panel) {
  validate(panel, path);
  AtomicFile out(path);
  {
    h5::File f = h5::File::create(out.temp_path());
    const hsize_t n = static_cast<hsize_t>(panel.region.size());
    const hsize_t t = static_cast<hsize_t>(panel.time.size());
    h5::write(f, "time", panel.time);
    h5::WriteOptions values_opts;
    values_opts.chunk_rows = 64;  // 64 whole series per chunk: one read per batch of rows
    values_opts.deflate = 4;
    h5::write(f, "values", panel.values.data(), {n, t}, values_opts);
    h5::write_strings(f, "region", panel.region);
    h5::write_strings(f, "sector", panel.sector);
    h5::write_strings(f, "series_id", panel.series_id);
    h5::write_attr_string(f, "format", kFormat);
    h5::write_attr_int(f, "format_version", kFormatVersion);
    h5::write_attr_string(f, "units", panel.units);
    h5::write_attr_string(f, "source", panel.source);
    h5::write_attr_string(f, "turnpoint_version", TURNPOINT_VERSION);
    h5::write_attr_string(f, "created", utc_now_iso8601());
    h5::write_attr_string(f, "frequency", to_string(panel.frequency));
    describe_datasets(f, panel);
    f.close();
  }
  out.commit();
}

SeriesReader::SeriesReader(const std::string& path)
    : path_(path), file_(h5::File::open(path)) {
  const h5::File& f = file_;
  TURNPOINT_EXPECTS(f.has_attr("format"),
                    "{}: not a turnpoint series file (root attribute 'format' is missing)", path);
  const std::string format = h5::read_attr_string(f, "format");
  TURNPOINT_EXPECTS(format == kFormat, "{}: not a turnpoint series file (format is '{}', expected '{}')",
                    path, format, kFormat);
  const std::int64_t version = h5::read_attr_int(f, "format_version");
  TURNPOINT_EXPECTS(version == kFormatVersion,
                    "{}: series format_version {} is not supported (this build reads {})", path,
                    version, kFormatVersion);
  Panel& p = header_;
  p.time = h5::read_vector<std::int32_t>(f, "time");
  const std::vector<hsize_t> dims = h5::dims(f, "values");
  TURNPOINT_EXPECTS(dims.size() == 2, "{}: /values has rank {}, expected 2 [series, days]",
                    path, dims.size());
  p.region = h5::read_strings(f, "region");
  TURNPOINT_EXPECTS(dims[0] == p.region.size() && dims[1] == p.time.size(),
                    "{}: /values has shape [{}, {}], but /region has {} entries and /time {}", path,
                    dims[0], dims[1], p.region.size(), p.time.size());
  p.sector = h5::read_strings(f, "sector");
  p.series_id = h5::read_strings(f, "series_id");
  p.units = f.has_attr("units") ? h5::read_attr_string(f, "units") : std::string();
  p.source = f.has_attr("source") ? h5::read_attr_string(f, "source") : std::string();
  // Files written before the frequency was stored have dated axes: infer it.
  if (f.has_attr("frequency")) {
    const std::string text = h5::read_attr_string(f, "frequency");
    const std::optional<Frequency> freq = parse_frequency(text);
    TURNPOINT_EXPECTS(freq.has_value(),
                      "{}: root attribute frequency = '{}' (expected daily, weekly, monthly, "
                      "quarterly, annual or index)",
                      path, text);
    p.frequency = *freq;
  } else {
    p.frequency = axis_frequency(p.time, path);
  }
  validate_header(p, path);  // the values are checked by their shape above
}

Panel SeriesReader::read_rows(std::int64_t first, std::int64_t count) const {
  TURNPOINT_EXPECTS(first >= 0 && count >= 0 && first + count <= n_series(),
                    "{}: series rows [{}, {}) are outside the panel (0..{})", path_, first,
                    first + count, n_series());
  Panel p;
  p.time = header_.time;
  p.frequency = header_.frequency;
  p.units = header_.units;
  p.source = header_.source;
  const auto b = header_.region.begin() + first, e = b + count;
  p.region.assign(b, e);
  p.sector.assign(header_.sector.begin() + first, header_.sector.begin() + first + count);
  p.series_id.assign(header_.series_id.begin() + first, header_.series_id.begin() + first + count);
  p.values = h5::read_rows(file_, "values", static_cast<hsize_t>(first),
                                   static_cast<hsize_t>(count));
  return p;  // other groups (e.g. /truth from the scenario generator) are left alone
}

Panel read_series(const std::string& path) {
  const SeriesReader reader(path);
  return reader.read_rows(0, reader.n_series());
}

std::string streamed_fingerprint(const SeriesReader& reader, std::int64_t chunk_series) {
  TURNPOINT_EXPECTS(chunk_series >= 1, "chunk size must be >= 1 (got {})", chunk_series);
  PanelFingerprint f(reader.header());
  for (std::int64_t lo = 0; lo < reader.n_series(); lo += chunk_series) {
    const Panel block = reader.read_rows(lo, std::min(chunk_series, reader.n_series() - lo));
    f.add_values(block.values.data(), block.values.size());
  }
  return f.hex();
}

}  // namespace turnpoint
