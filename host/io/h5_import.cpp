#include "host/io/h5_import.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include <fmt/format.h>

#include "host/core/dates.hpp"
#include "host/io/h5_scales.hpp"
#include "host/io/hdf5.hpp"
#include "host/io/series_io.hpp"
#include "kernels/error.hpp"

namespace turnpoint {

bool is_hdf5_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[8] = {};
  in.read(sig, 8);
  return in.gcount() == 8 && std::memcmp(sig, "\x89HDF\r\n\x1a\n", 8) == 0;
}

CfTimeUnits parse_cf_time_units(const std::string& units, const std::string& what) {
  const std::size_t since = units.find(" since ");
  TURNPOINT_EXPECTS(since != std::string::npos,
                    "{}: time units '{}' are not CF time units ('<unit> since <date>')", what, units);
  std::string unit = units.substr(0, since);
  for (char& c : unit)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  CfTimeUnits out;
  if (unit == "days" || unit == "day" || unit == "d") out.seconds = 86400.0;
  else if (unit == "hours" || unit == "hour" || unit == "h") out.seconds = 3600.0;
  else if (unit == "minutes" || unit == "minute" || unit == "min") out.seconds = 60.0;
  else if (unit == "seconds" || unit == "second" || unit == "s") out.seconds = 1.0;
  else if (unit == "weeks" || unit == "week") out.seconds = 7 * 86400.0;
  else
    TURNPOINT_FAIL("{}: time units '{}': unit '{}' is not supported (days, hours, minutes, seconds "
                   "or weeks since a date)",
                   what, units, unit);
  std::string date = units.substr(since + 7);
  while (!date.empty() && date.front() == ' ') date.erase(0, 1);
  // "2019-01-01", "2019-01-01 00:00:00", "2019-01-01T00:00:00Z", "2019-1-1" (netCDF allows it).
  int y = 0, m = 0, d = 0, consumed = 0;
  const bool ok = std::sscanf(date.c_str(), "%d-%d-%d%n", &y, &m, &d, &consumed) == 3 &&
                  is_valid_date(y, m, d);
  TURNPOINT_EXPECTS(ok, "{}: time units '{}': cannot read the date after 'since'", what, units);
  std::string clock = date.substr(static_cast<std::size_t>(consumed));
  while (!clock.empty() && (clock.front() == ' ' || clock.front() == 'T')) clock.erase(0, 1);
  while (!clock.empty() && (clock.back() == 'Z' || clock.back() == ' ')) clock.pop_back();
  TURNPOINT_EXPECTS(clock.empty() || clock == "0:0:0" || clock.find_first_not_of("0:.") == std::string::npos,
                    "{}: time units '{}': the reference time is not midnight (sub-daily axes are "
                    "not supported)",
                    what, units);
  out.epoch = days_from_civil(y, m, d);
  return out;
}

namespace {

std::string basename(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// turnpoint's own series.h5: the panel as written, with its stored frequency.
H5Info read_own_series(const std::string& path, PanelBuilder& builder) {
  const Panel p = read_series(path);
  builder.begin_source(path, "time step");
  const LabelKind kind = p.frequency == Frequency::index       ? LabelKind::step
                         : p.frequency == Frequency::monthly   ? LabelKind::month
                         : p.frequency == Frequency::quarterly ? LabelKind::quarter
                         : p.frequency == Frequency::annual    ? LabelKind::year
                                                               : LabelKind::day;
  if (!p.time.empty()) builder.note_kind(kind, 0, format_time(p.time[0], p.frequency));
  for (std::int64_t i = 0; i < p.n_series(); ++i) {
    const std::size_t r = static_cast<std::size_t>(i);
    std::vector<std::string_view> ids;
    if (p.series_id[r] == p.region[r] + "/" + p.sector[r]) ids = {p.region[r], p.sector[r]};
    else ids = {p.series_id[r]};
    const std::uint32_t s = builder.series(ids, ids.size() == 2, {"/region", "/sector"}, 0);
    for (int t = 0; t < p.n_time(); ++t)
      builder.add(s, TimeLabel{kind, p.time[static_cast<std::size_t>(t)]}, p.row(i)[t],
                  static_cast<std::uint32_t>(t));
  }
  return {p.units};
}

std::string attr_text(const h5::Location& obj, const char* name) {
  if (!obj.has_attr(name)) return "";
  try {
    return h5::read_attr_string(obj, name);
  } catch (const invalid_input&) {
    return "";  // not a string: not the attribute we look for
  }
}

// A 1-D dataset of `n` strings, or "" when `name` is absent, of another length or not text.
bool strings_of_length(const h5::File& f, const std::string& name, std::size_t n,
                       std::vector<std::string>& out) {
  if (name.empty() || !f.has(name)) return false;
  const h5::DatasetInfo info = h5::dataset_info(f, name);
  if (info.dims.size() != 1 || info.dims[0] != n) return false;
  if (info.type_class == H5T_STRING) {
    out = h5::read_strings(f, name);
    return true;
  }
  if (info.numeric()) {
    const h5::Array<double> a = h5::read_numeric(f, name);
    out.clear();
    for (double v : a.data) out.push_back(fmt::format("{}", v));
    return true;
  }
  return false;
}

// Where the values are and how they are laid out: which dimension is time, its labels' dataset.
struct ValuesLayout {
  std::string dataset;        // the 2-D (or 1-D) numeric dataset imported
  h5::DatasetInfo info;       // its shape as stored
  std::vector<hsize_t> dims;  // as 2-D: a 1-D dataset is one series
  int td = -1;                // the time dimension of `dims` (0 or 1)
  std::string time_ds;        // the time labels' dataset, "" for an index axis
  std::size_t n_series = 0, n_time = 0;
};

// The dimension scale attached to dimension d of the values ("" when none).
std::string scale_of(const h5::File& f, const ValuesLayout& L, unsigned d) {
  const bool two_d = L.info.dims.size() == 2;
  return two_d || d == 1 ? h5::attached_scale(f, L.dataset, two_d ? d : 0) : std::string();
}

// The values: the dataset named, or the only 2-D numeric one.
std::string choose_values_dataset(const h5::File& f, const std::string& path, const ImportOptions& o) {
  if (!o.dataset.empty()) return o.dataset;
  std::vector<std::string> candidates;
  std::string all;
  for (const std::string& d : h5::list_datasets(f)) {
    const h5::DatasetInfo info = h5::dataset_info(f, d);
    all += (all.empty() ? "" : ", ") + d;
    if (info.numeric() && info.dims.size() == 2) candidates.push_back(d);
  }
  TURNPOINT_EXPECTS(!candidates.empty(),
                    "{}: no 2-D numeric dataset to import (datasets: {}); name one with --dataset", path,
                    all.empty() ? "none" : all);
  std::string names;
  for (const auto& c : candidates) names += (names.empty() ? "" : ", ") + c;
  TURNPOINT_EXPECTS(candidates.size() == 1, "{}: {} 2-D numeric datasets ({}); name one with --dataset",
                    path, candidates.size(), names);
  return candidates[0];
}

ValuesLayout values_layout(const h5::File& f, const std::string& path, const ImportOptions& o) {
  ValuesLayout L;
  L.dataset = choose_values_dataset(f, path, o);
  TURNPOINT_EXPECTS(f.has(L.dataset), "{}: no dataset '{}' (--dataset)", path, L.dataset);
  L.info = h5::dataset_info(f, L.dataset);
  TURNPOINT_EXPECTS(L.info.numeric(), "{}: dataset {} holds no numbers", path, L.dataset);
  TURNPOINT_EXPECTS(L.info.dims.size() == 1 || L.info.dims.size() == 2,
                    "{}: dataset {} has {} dimensions; import reads a 2-D [series, time] (or 1-D) dataset",
                    path, L.dataset, L.info.dims.size());
  L.dims = L.info.dims;
  if (L.dims.size() == 1) L.dims.insert(L.dims.begin(), 1);  // one series
  return L;
}

bool looks_like_time(const h5::File& f, const std::string& ds) {
  if (ds.empty()) return false;
  const h5::Location obj = f.open_object(ds);
  const std::string units = attr_text(obj, "units");
  const std::string leaf = basename(ds);
  return units.find(" since ") != std::string::npos || leaf == "time" || leaf == "date" ||
         leaf == "dates" || leaf == "period";
}

// Which dimension is time, and its labels' dataset: the options, else a dimension scale that
// looks like time, else a 1-D time/date/dates/period dataset of a matching length, else
// [series, time] with an index axis.
void locate_time_axis(const h5::File& f, const std::string& path, const ImportOptions& o, ValuesLayout& L) {
  int td = o.time_dim;
  TURNPOINT_EXPECTS(td >= -1 && td <= 1, "{}: --time-dim must be 0 or 1 (got {})", path, td);
  std::string time_ds = o.time_dataset;
  if (!time_ds.empty()) {
    TURNPOINT_EXPECTS(f.has(time_ds), "{}: no dataset '{}' (--time-dataset)", path, time_ds);
    const h5::DatasetInfo ti = h5::dataset_info(f, time_ds);
    TURNPOINT_EXPECTS(ti.dims.size() == 1, "{}: {} (--time-dataset) is not 1-D", path, time_ds);
    if (td < 0) td = ti.dims[0] == L.dims[1] ? 1 : ti.dims[0] == L.dims[0] ? 0 : 1;
  } else if (td >= 0) {
    const std::string s = scale_of(f, L, static_cast<unsigned>(td));
    if (!s.empty()) time_ds = s;
  } else {
    for (int d : {1, 0}) {
      const std::string s = scale_of(f, L, static_cast<unsigned>(d));
      if (looks_like_time(f, s)) {
        td = d;
        time_ds = s;
        break;
      }
    }
    if (td < 0)
      for (const char* name : {"time", "date", "dates", "period"})
        if (f.has(name) && h5::dataset_info(f, name).dims.size() == 1) {
          const hsize_t n = h5::dataset_info(f, name).dims[0];
          if (n == L.dims[1] || n == L.dims[0]) {
            time_ds = name;
            td = n == L.dims[1] ? 1 : 0;
            break;
          }
        }
    if (td < 0) td = 1;  // [series, time], no dates: an index axis
  }
  L.td = td;
  L.time_ds = time_ds;
  L.n_series = static_cast<std::size_t>(td == 1 ? L.dims[0] : L.dims[1]);
  L.n_time = static_cast<std::size_t>(td == 1 ? L.dims[1] : L.dims[0]);
}

// Numeric time labels: CF "<unit> since <date>" (whole days) or plain step numbers.
std::vector<TimeLabel> numeric_time_labels(const h5::File& f, const std::string& path, const ValuesLayout& L,
                                           PanelBuilder& builder) {
  const h5::Location obj = f.open_object(L.time_ds);
  const std::string units = attr_text(obj, "units");
  const std::string calendar = attr_text(obj, "calendar");
  TURNPOINT_EXPECTS(calendar.empty() || calendar == "standard" || calendar == "gregorian" ||
                        calendar == "proleptic_gregorian",
                    "{}: {} uses the '{}' calendar; only the Gregorian calendar is supported", path,
                    L.time_ds, calendar);
  const std::vector<double> v = h5::read_numeric(f, L.time_ds).data;
  const bool dated = units.find(" since ") != std::string::npos;
  const CfTimeUnits cf = dated ? parse_cf_time_units(units, path + ": " + L.time_ds) : CfTimeUnits{};
  std::vector<TimeLabel> labels(L.n_time);
  for (std::size_t t = 0; t < L.n_time; ++t) {
    const double x = dated ? v[t] * cf.seconds / 86400.0 : v[t];
    TURNPOINT_EXPECTS(std::isfinite(x) && std::abs(x - std::round(x)) < 1e-9 && std::abs(x) < 1e9,
                      "{}: {}[{}] = {}{}: not a whole {}", path, L.time_ds, t, v[t],
                      units.empty() ? std::string() : " " + units, dated ? "day (sub-daily axes are not supported)" : "step number");
    const std::int32_t k = static_cast<std::int32_t>(std::llround(x));
    labels[t] = dated ? TimeLabel{LabelKind::day, cf.epoch + k} : TimeLabel{LabelKind::step, k};
  }
  if (L.n_time > 0) {
    if (dated)
      builder.note_kind(LabelKind::day, 0, format_date(labels[0].value));
    else
      builder.note_kind(LabelKind::step, 0, std::to_string(labels[0].value));
  }
  return labels;
}

// The time labels: an index axis, dates or periods as text, or numbers (CF or steps).
std::vector<TimeLabel> read_time_labels(const h5::File& f, const std::string& path, const ImportOptions& o,
                                        const ValuesLayout& L, PanelBuilder& builder) {
  std::vector<TimeLabel> labels(L.n_time);
  if (L.time_ds.empty()) {
    TURNPOINT_EXPECTS(!o.frequency || o.frequency == Frequency::index,
                      "{}: {} has no time axis (no dimension scale, no time dataset; name one with "
                      "--time-dataset), so its steps are an index axis, but --freq asks for dates",
                      path, L.dataset);
    for (std::size_t t = 0; t < L.n_time; ++t) labels[t] = {LabelKind::step, static_cast<std::int32_t>(t)};
    if (L.n_time > 0) builder.note_kind(LabelKind::step, 0, "0");
    return labels;
  }
  const h5::DatasetInfo ti = h5::dataset_info(f, L.time_ds);
  TURNPOINT_EXPECTS(ti.dims.size() == 1 && ti.dims[0] == L.n_time,
                    "{}: time dataset {} has shape {} but {} has {} time steps (dimension {})", path,
                    L.time_ds, ti.dims.size() == 1 ? std::to_string(ti.dims[0]) : "not 1-D", L.dataset,
                    L.n_time, L.td);
  if (ti.type_class != H5T_STRING) {
    TURNPOINT_EXPECTS(ti.numeric(), "{}: time dataset {} holds neither numbers nor text", path, L.time_ds);
    return numeric_time_labels(f, path, L, builder);
  }
  const std::vector<std::string> text = h5::read_strings(f, L.time_ds);
  for (std::size_t t = 0; t < L.n_time; ++t)
    labels[t] = builder.label(text[t], static_cast<std::uint32_t>(t), L.time_ds);
  return labels;
}

// The series' names, from the first source that has one per series.
struct SeriesNames {
  std::vector<std::string> names, region, sector;
  bool named = false;     // `names` holds one name per series ("region/sector" or a plain name)
  bool by_roles = false;  // `region` and `sector` hold them
};

// Series names: the option, region + sector datasets, the series dimension's scale, or a
// series_id / series / names dataset; else none (<dataset>_<row> is used).
SeriesNames find_series_names(const h5::File& f, const std::string& path, const ImportOptions& o,
                              const ValuesLayout& L) {
  SeriesNames s;
  if (!o.names_dataset.empty()) {
    TURNPOINT_EXPECTS(f.has(o.names_dataset), "{}: no dataset '{}' (--names-dataset)", path, o.names_dataset);
    TURNPOINT_EXPECTS(strings_of_length(f, o.names_dataset, L.n_series, s.names),
                      "{}: {} (--names-dataset) is not a 1-D dataset of {} names", path, o.names_dataset,
                      L.n_series);
    s.named = true;
  }
  s.by_roles = !s.named && strings_of_length(f, "region", L.n_series, s.region) &&
               strings_of_length(f, "sector", L.n_series, s.sector);
  if (!s.named && !s.by_roles) {
    const std::string scale =
        L.info.dims.size() == 2 ? scale_of(f, L, static_cast<unsigned>(1 - L.td)) : std::string();
    s.named = strings_of_length(f, scale, L.n_series, s.names);
    for (const char* name : {"series_id", "series", "names", "name", "id"})
      if (!s.named) s.named = strings_of_length(f, name, L.n_series, s.names);
  }
  return s;
}

// The builder's series for each row; two rows of one name are an error naming both.
std::vector<std::uint32_t> register_series(const std::string& path, const ValuesLayout& L,
                                           const SeriesNames& s, PanelBuilder& builder) {
  std::vector<std::uint32_t> series(L.n_series);
  std::unordered_map<std::uint32_t, std::size_t> first_row_of;
  for (std::size_t i = 0; i < L.n_series; ++i) {
    std::vector<std::string_view> ids;
    std::string fallback;
    bool roles = true;
    if (s.by_roles) {
      ids = {s.region[i], s.sector[i]};
      if (s.sector[i].empty()) ids.pop_back();
    } else if (s.named) {
      const std::string_view n = s.names[i];
      const std::size_t slash = n.find('/');
      ids = slash == std::string_view::npos ? std::vector<std::string_view>{n}
                                            : std::vector<std::string_view>{n.substr(0, slash), n.substr(slash + 1)};
    } else {
      fallback = fmt::format("{}_{}", basename(L.dataset), i);
      ids = {fallback};
      roles = false;
    }
    series[i] = builder.series(ids, roles, {"series name", "series name"}, 0);
    const auto [it, fresh] = first_row_of.emplace(series[i], i);
    if (!fresh)
      TURNPOINT_FAIL("{}: series {} and {} of {} have the same name '{}'", path, it->second, i,
                     L.dataset, s.named ? s.names[i] : s.by_roles ? s.region[i] + "/" + s.sector[i] : fallback);
  }
  return series;
}

// The values, with netCDF's fill values as missing and its packing undone; returns their units.
std::string add_values(const h5::File& f, const std::string& path, const ValuesLayout& L,
                       const std::vector<TimeLabel>& labels, const std::vector<std::uint32_t>& series,
                       PanelBuilder& builder) {
  const h5::Location vobj = f.open_object(L.dataset);
  double fill = 0.0, missing = 0.0, scale = 1.0, offset = 0.0;
  const bool has_fill = h5::read_attr_number(vobj, "_FillValue", fill);
  const bool has_missing = h5::read_attr_number(vobj, "missing_value", missing);
  h5::read_attr_number(vobj, "scale_factor", scale);
  h5::read_attr_number(vobj, "add_offset", offset);
  const std::vector<double> v = h5::read_numeric(f, L.dataset).data;
  const std::size_t n_series = L.n_series, n_time = L.n_time;
  for (std::size_t i = 0; i < n_series; ++i)
    for (std::size_t t = 0; t < n_time; ++t) {
      double x = L.td == 1 ? v[i * n_time + t] : v[t * n_series + i];
      if ((has_fill && x == fill) || (has_missing && x == missing)) x = std::nan("");
      else if (!std::isnan(x)) {
        x = x * scale + offset;
        TURNPOINT_EXPECTS(std::isfinite(x), "{}: {}[{}, {}] = {} is not a finite number", path, L.dataset,
                          L.td == 1 ? i : t, L.td == 1 ? t : i, x);
      }
      builder.add(series[i], labels[t], x, static_cast<std::uint32_t>(t));
    }
  return attr_text(vobj, "units");
}

}  // namespace

H5Info read_hdf5_panel(const std::string& path, const ImportOptions& o, PanelBuilder& builder) {
  h5::File f = h5::File::open(path);
  if (o.dataset.empty() && f.has_attr("format") && attr_text(f, "format") == "turnpoint.series")
    return read_own_series(path, builder);
  TURNPOINT_EXPECTS(attr_text(f, "format") != "turnpoint.detections",
                    "{}: a detections file (turnpoint detect's output), not a panel to import", path);
  ValuesLayout layout = values_layout(f, path, o);
  locate_time_axis(f, path, o, layout);
  builder.begin_source(path, fmt::format("{} time step", layout.dataset));
  const std::vector<TimeLabel> labels = read_time_labels(f, path, o, layout, builder);
  const SeriesNames names = find_series_names(f, path, o, layout);
  const std::vector<std::uint32_t> series = register_series(path, layout, names, builder);
  return {add_values(f, path, layout, labels, series, builder)};
}

}  // namespace turnpoint
