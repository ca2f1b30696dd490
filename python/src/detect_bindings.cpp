// Detection from Python: the raw solvers (kernels/detect.hpp, as `turnpoint detect
// --method/--cost/--penalty` runs them) and the models (host/explain/explain.hpp, as
// `turnpoint detect` with no option runs them). The values array is read where it lies for
// the raw solvers (no copy); the models take a Panel, which owns its values, so they get one
// copy (the model then works on its own scaled copy anyway). The GIL is released while the
// engine runs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <omp.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "host/core/calendar.hpp"
#include "host/core/dates.hpp"
#include "host/core/detect_options.hpp"
#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "host/core/time_axis.hpp"
#include "host/explain/explain.hpp"
#include "kernels/detect.hpp"
#include "kernels/error.hpp"
#include "python/src/arrays.hpp"
#include "python/src/bindings.hpp"

namespace turnpoint::python {
namespace {

// Names of the series for the result and for messages (any may be empty lists: then the
// series are called by their row).
struct Labels {
  std::vector<std::string> region, sector, series_id;
  std::string units, input;

  void fill(std::int64_t n) {
    auto pad = [n](std::vector<std::string>& v, bool numbered) {
      if (static_cast<std::int64_t>(v.size()) == n) return;
      TURNPOINT_EXPECTS(v.empty(), "{} labels for {} series", v.size(), n);
      v.resize(static_cast<std::size_t>(n));
      if (numbered)
        for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = std::to_string(i);
    };
    pad(region, false);
    pad(sector, false);
    pad(series_id, true);
  }
  std::string name(std::int64_t row) const {
    const std::string& id = series_id[static_cast<std::size_t>(row)];
    return id == std::to_string(row) ? fmt::format("series {}", row)
                                     : fmt::format("series {} ({})", row, id);
  }
};

// +-inf is refused with the series and the day: NaN is the one way to say "missing".
void check_finite(const double* v, std::int64_t n_series, int n_time, const Labels& labels,
                  const std::vector<std::int32_t>* days) {
  for (std::int64_t i = 0; i < n_series; ++i) {
    const double* row = v + i * n_time;
    for (int t = 0; t < n_time; ++t)
      if (std::isinf(row[t]))
        TURNPOINT_FAIL("{}, time step {}{}: value {} (values must be finite; NaN marks a missing value)",
                       labels.name(i), t,
                       days ? " (" + format_date((*days)[static_cast<std::size_t>(t)]) + ")" : "",
                       row[t]);
  }
}

// The engine names a series by its row ("series 3: ..."); say which series that is.
[[noreturn]] void rethrow_named(const invalid_input& e, const Labels& labels) {
  std::string msg = e.what();
  const std::string key = "series ";
  if (msg.rfind(key, 0) == 0) {
    char* end = nullptr;
    const long row = std::strtol(msg.c_str() + key.size(), &end, 10);
    if (end && *end == ':' && row >= 0 && row < static_cast<long>(labels.series_id.size()))
      msg = labels.name(row) + msg.substr(static_cast<std::size_t>(end - msg.c_str()));
  }
  throw invalid_input(msg);
}

std::vector<std::int32_t> day_axis(const std::optional<Days>& days, int n_time) {
  if (!days) {  // no dates: the index, as days from 1970-01-01
    std::vector<std::int32_t> t(static_cast<std::size_t>(n_time));
    std::iota(t.begin(), t.end(), 0);
    return t;
  }
  TURNPOINT_EXPECTS(static_cast<int>(days->shape(0)) == n_time,
                    "{} dates for {} time steps", days->shape(0), n_time);
  return std::vector<std::int32_t>(days->data(), days->data() + n_time);
}

Panel labelled_panel(std::vector<std::int32_t> time, Labels labels) {
  Panel p;
  p.time = std::move(time);
  p.region = std::move(labels.region);
  p.sector = std::move(labels.sector);
  p.series_id = std::move(labels.series_id);
  if (!labels.units.empty()) p.units = labels.units;
  return p;
}

// One series runs on one thread anyway (the engine parallelises over series); waking the
// OpenMP team for it costs more than the detection of a short series (milliseconds on a
// loaded machine). nthreads is a per-thread setting, so other threads are not affected.
class OneThreadForOneSeries {
 public:
  explicit OneThreadForOneSeries(std::int64_t n_series) : saved_(omp_get_max_threads()), on_(n_series == 1) {
    if (on_) omp_set_num_threads(1);
  }
  ~OneThreadForOneSeries() {
    if (on_) omp_set_num_threads(saved_);
  }
  OneThreadForOneSeries(const OneThreadForOneSeries&) = delete;
  OneThreadForOneSeries& operator=(const OneThreadForOneSeries&) = delete;

 private:
  int saved_;
  bool on_;
};

std::pair<std::int64_t, int> shape_of(const Values& values) {
  const auto n = static_cast<std::int64_t>(values.shape(0));
  const auto t = values.shape(1);
  TURNPOINT_EXPECTS(n >= 1 && t >= 1, "empty values ({} series x {} time steps)", n, t);
  TURNPOINT_EXPECTS(t <= static_cast<size_t>(INT32_MAX), "{} time steps: at most {}", t, INT32_MAX);
  return {n, static_cast<int>(t)};
}

// ---- the raw solvers ---------------------------------------------------------------------

DetectionSet run_raw(const Values& values, const std::optional<Days>& days,
                     const DetectOptions& options, Labels labels) {
  const auto [n, t] = shape_of(values);
  labels.fill(n);
  std::vector<std::int32_t> time = day_axis(days, t);
  const DetectConfig config = options.to_config(Panel{});
  const Backend backend = parse_backend(options.backend);
  DetectResult result;
  {
    nanobind::gil_scoped_release release;
    const OneThreadForOneSeries one(n);
    check_finite(values.data(), n, t, labels, days ? &time : nullptr);
    try {
      result = detect(values.data(), n, t, time.data(), config, backend);
    } catch (const invalid_input& e) {
      rethrow_named(e, labels);
    }
  }
  const std::string input = labels.input;
  Panel panel = labelled_panel(std::move(time), std::move(labels));
  panel.frequency = days ? axis_frequency(panel.time, "dates") : Frequency::index;
  return make_detection_set(panel, config, result, input);
}

// ---- the models ----------------------------------------------------------------------------

// The axis of series without dates: step numbers 0..T-1 on an index axis (no calendar, so
// the generic model adds no seasonal terms and dates print as step numbers).
std::vector<std::int32_t> index_axis(int n_time) {
  std::vector<std::int32_t> t(static_cast<std::size_t>(n_time));
  std::iota(t.begin(), t.end(), 0);
  return t;
}

nanobind::dict tally_dict(const ExplainTally& t) {
  nanobind::dict d;
  d["candidates"] = t.candidates;
  d["below_confidence"] = t.below_confidence;
  d["ordinary_month_steps"] = t.ordinary_month_steps;
  d["over_max_points"] = t.over_max_points;
  d["reported"] = t.reported;
  d["series_constant"] = t.series_constant;
  d["series_too_short"] = t.series_too_short;
  d["series_none_reported"] = t.series_none_reported;
  return d;
}

std::pair<DetectionSet, nanobind::dict> run_model(const Values& values, const std::optional<Days>& days,
                                                  const ExplainOptions& options,
                                                  const std::optional<DetectOptions>& segments_base,
                                                  const std::string& backend, Labels labels) {
  const auto [n, t] = shape_of(values);
  labels.fill(n);
  TURNPOINT_EXPECTS(days || options.model == ExplainModel::generic,
                    "the {} model needs dates (a calendar); without dates the generic model runs",
                    to_string(options.model));
  std::vector<std::int32_t> time = days ? day_axis(days, t) : index_axis(t);
  const std::string input = labels.input;
  Panel panel = labelled_panel(std::move(time), std::move(labels));
  panel.frequency = days ? axis_frequency(panel.time, "dates") : Frequency::index;
  const Labels names{panel.region, panel.sector, panel.series_id, "", ""};
  DetectionSet set;
  set.input = input;
  ExplainTally tally;
  {
    nanobind::gil_scoped_release release;
    const OneThreadForOneSeries one(n);
    check_finite(values.data(), n, t, names, days ? &panel.time : nullptr);
    panel.values.assign(values.data(), values.data() + n * static_cast<std::int64_t>(t));
    const DetectConfig base = segments_base ? segments_base->to_config(panel) : DetectConfig{};
    try {
      explain_panel(panel, base, options, set, parse_backend(backend), nullptr, &tally);
    } catch (const invalid_input& e) {
      rethrow_named(e, names);
    }
  }
  return {std::move(set), tally_dict(tally)};
}

// ---- the result ----------------------------------------------------------------------------

nanobind::dict points_columns(const DetectionSet& s) {
  const auto& p = s.points;
  nanobind::dict d;
  d["series"] = column<std::int32_t>(p, [](const TurningPoint& x) { return x.series; });
  d["index"] = column<std::int32_t>(p, [](const TurningPoint& x) { return x.index; });
  d["day"] = column<std::int32_t>(p, [](const TurningPoint& x) { return x.day; });
  d["kind"] = column<std::int8_t>(p, [](const TurningPoint& x) { return x.kind; });
  d["shape"] = column<std::int8_t>(p, [](const TurningPoint& x) { return x.shape; });
  d["confidence"] = column<double>(p, [](const TurningPoint& x) { return x.confidence; });
  d["ci_lo"] = column<std::int32_t>(p, [](const TurningPoint& x) { return x.ci_lo; });
  d["ci_hi"] = column<std::int32_t>(p, [](const TurningPoint& x) { return x.ci_hi; });
  d["gain"] = column<double>(p, [](const TurningPoint& x) { return x.gain; });
  d["step"] = column<double>(p, [](const TurningPoint& x) { return x.step; });
  d["step_z"] = column<double>(p, [](const TurningPoint& x) { return x.step_z; });
  d["rank"] = column<std::int32_t>(p, [](const TurningPoint& x) { return x.rank; });
  return d;
}

nanobind::dict summary_columns(const DetectionSet& s) {
  const auto& r = s.summary;
  nanobind::dict d;
  d["status"] = column<std::int8_t>(r, [](const SeriesSummary& x) { return x.status; });
  d["n_valid"] = column<std::int32_t>(r, [](const SeriesSummary& x) { return x.n_valid; });
  d["n_changes"] = column<std::int32_t>(r, [](const SeriesSummary& x) { return x.n_changes; });
  d["cost"] = column<double>(r, [](const SeriesSummary& x) { return x.cost; });
  d["penalty"] = column<double>(r, [](const SeriesSummary& x) { return x.penalty; });
  d["sigma"] = column<double>(r, [](const SeriesSummary& x) { return x.sigma; });
  return d;
}

// Rows with a variable number of changes: the changes of all rows in one array and
// offsets [rows + 1] into it.
template <class Row>
void ragged_changes(const std::vector<Row>& rows, nanobind::dict& d) {
  std::vector<std::int64_t> offsets{0};
  std::vector<std::int32_t> changes;
  for (const Row& r : rows) {
    changes.insert(changes.end(), r.changes.begin(), r.changes.end());
    offsets.push_back(static_cast<std::int64_t>(changes.size()));
  }
  d["offsets"] = to_numpy(std::move(offsets));
  d["changes"] = to_numpy(std::move(changes));
}

nanobind::dict path_columns(const DetectionSet& s) {
  nanobind::dict d;
  d["series"] = column<std::int32_t>(s.path, [](const PathEntry& x) { return x.series; });
  d["k"] = column<std::int32_t>(s.path, [](const PathEntry& x) { return x.k; });
  d["cost"] = column<double>(s.path, [](const PathEntry& x) { return x.cost; });
  ragged_changes(s.path, d);
  return d;
}

nanobind::dict crops_columns(const DetectionSet& s) {
  nanobind::dict d;
  d["series"] = column<std::int32_t>(s.crops, [](const CropsEntry& x) { return x.series; });
  d["pen_lo"] = column<double>(s.crops, [](const CropsEntry& x) { return x.pen_lo; });
  d["pen_hi"] = column<double>(s.crops, [](const CropsEntry& x) { return x.pen_hi; });
  d["cost"] = column<double>(s.crops, [](const CropsEntry& x) { return x.cost; });
  ragged_changes(s.crops, d);
  return d;
}


namespace nb = nanobind;
using namespace nb::literals;

// The settings classes: the raw solver's and the models'.
void bind_options(nb::module_& m) {
  nb::class_<DetectOptions>(m, "DetectOptions", "The raw solver's settings (turnpoint detect --method ...)")
      .def(nb::init<>())
      .def_rw("method", &DetectOptions::method)
      .def_rw("cost", &DetectOptions::cost)
      .def_rw("penalty", &DetectOptions::penalty)
      .def_rw("max_changes", &DetectOptions::max_changes)
      .def_rw("min_size", &DetectOptions::min_size)
      .def_rw("noise", &DetectOptions::noise)
      .def_rw("backend", &DetectOptions::backend)
      .def_rw("trend", &DetectOptions::trend)
      .def_rw("weekly", &DetectOptions::weekly)
      .def_rw("yearly", &DetectOptions::yearly)
      .def_rw("crops", &DetectOptions::crops);

  nb::class_<ExplainOptions>(m, "ExplainOptions", "The models' settings (host/explain/explain.hpp)")
      .def(nb::init<>())
      .def_prop_rw(
          "model", [](const ExplainOptions& o) { return std::string(to_string(o.model)); },
          [](ExplainOptions& o, const std::string& v) { o.model = parse_explain_model(v); })
      .def_prop_rw(
          "holidays",
          [](const ExplainOptions& o) {
            return o.holidays == HolidayCalendar::china  ? std::string("china")
                   : o.holidays == HolidayCalendar::none ? std::string("none")
                                                         : o.holiday_file;
          },
          [](ExplainOptions& o, const std::string& v) {
            if (v == "china") {
              o.holidays = HolidayCalendar::china;
            } else if (v == "none") {
              o.holidays = HolidayCalendar::none;
            } else {
              o.holidays = HolidayCalendar::file;
              o.holiday_file = v;
            }
          })
      .def_rw("trend", &ExplainOptions::trend)
      .def_rw("weekly", &ExplainOptions::weekly)
      .def_rw("yearly", &ExplainOptions::yearly)
      .def_rw("pattern_yearly", &ExplainOptions::pattern_yearly)
      .def_rw("log_scale", &ExplainOptions::log_scale)
      .def_rw("months", &ExplainOptions::months)
      .def_rw("seasonal_changes", &ExplainOptions::seasonal_changes)
      .def_rw("penalty_multiplier", &ExplainOptions::penalty_multiplier)
      .def_rw("max_changes", &ExplainOptions::max_changes)
      .def_rw("min_gap", &ExplainOptions::min_gap)
      .def_rw("replicates", &ExplainOptions::replicates)
      .def_rw("block", &ExplainOptions::block)
      .def_rw("tolerance", &ExplainOptions::tolerance)
      .def_rw("search", &ExplainOptions::search)
      .def_rw("scored", &ExplainOptions::scored)
      .def_rw("alpha", &ExplainOptions::alpha)
      .def_rw("seed", &ExplainOptions::seed)
      .def_rw("calibrate", &ExplainOptions::calibrate)
      .def_rw("min_confidence", &ExplainOptions::min_confidence)
      .def_rw("month_step_z", &ExplainOptions::month_step_z)
      .def_rw("max_points", &ExplainOptions::max_points)
      .def("validate", [](const ExplainOptions& o) { validate(o); });
}

// A detections.h5 in memory, its columns as numpy arrays.
void bind_detection_set(nb::module_& m) {
  nb::class_<DetectionSet>(m, "DetectionSet", "A detections.h5 in memory (host/core/detections.hpp)")
      .def_prop_ro("n_series", [](const DetectionSet& s) { return s.summary.size(); })
      .def_prop_ro("n_points", [](const DetectionSet& s) { return s.points.size(); })
      .def_prop_ro("time", [](const DetectionSet& s) { return to_numpy(std::vector<std::int32_t>(s.time)); })
      .def_rw("region", &DetectionSet::region)
      .def_rw("sector", &DetectionSet::sector)
      .def_rw("series_id", &DetectionSet::series_id)
      .def_rw("input", &DetectionSet::input)
      .def_rw("units", &DetectionSet::units)
      .def_ro("config_json", &DetectionSet::config_json)
      .def_ro("engine_version", &DetectionSet::engine_version)
      .def_ro("backend", &DetectionSet::backend)
      .def("points", &points_columns)
      .def("summary", &summary_columns)
      .def("path", &path_columns)
      .def("crops", &crops_columns);
}

// The entry points: which model, the raw solvers, the models.
void bind_runs(nb::module_& m) {
  m.def("choose_model", [](const Days& days) {
    const std::vector<std::int32_t> t(days.data(), days.data() + days.shape(0));
    const ModelChoice c = choose_model(t, axis_frequency(t, "dates"));
    return std::make_pair(std::string(to_string(c.model)), c.reason);
  }, "days"_a.noconvert());

  m.def(
      "detect_raw",
      [](const Values& values, const std::optional<Days>& days, const DetectOptions& options,
         std::vector<std::string> region, std::vector<std::string> sector,
         std::vector<std::string> series_id, std::string units, std::string input) {
        return run_raw(values, days, options,
                       Labels{std::move(region), std::move(sector), std::move(series_id),
                              std::move(units), std::move(input)});
      },
      "values"_a.noconvert(), "days"_a.noconvert().none(), "options"_a, "region"_a, "sector"_a,
      "series_id"_a, "units"_a, "input"_a);

  m.def(
      "detect_model",
      [](const Values& values, const std::optional<Days>& days, const ExplainOptions& options,
         const std::optional<DetectOptions>& segments_base, const std::string& backend,
         std::vector<std::string> region, std::vector<std::string> sector,
         std::vector<std::string> series_id, std::string units, std::string input) {
        return run_model(values, days, options, segments_base, backend,
                         Labels{std::move(region), std::move(sector), std::move(series_id),
                                std::move(units), std::move(input)});
      },
      "values"_a.noconvert(), "days"_a.noconvert().none(), "options"_a, "segments_base"_a.none(),
      "backend"_a, "region"_a, "sector"_a, "series_id"_a, "units"_a, "input"_a);
}

// What tests and benchmarks ask of the engine itself: code names, per-call time, addresses.
void bind_introspection(nb::module_& m) {
  // The names of the coded columns, from the engine's own to_string (they cannot drift).
  m.def("code_names", [] {
    nb::dict kinds, shapes, status;
    for (TurnKind k : {TurnKind::unclassified, TurnKind::event, TurnKind::seasonal})
      kinds[nb::int_(static_cast<int>(k))] = to_string(k);
    for (TurnShape s : {TurnShape::unknown, TurnShape::level, TurnShape::trend, TurnShape::level_trend,
                        TurnShape::transient, TurnShape::weekly, TurnShape::yearly})
      shapes[nb::int_(static_cast<int>(s))] = to_string(s);
    for (SeriesStatus s : {SeriesStatus::ok, SeriesStatus::constant, SeriesStatus::empty})
      status[nb::int_(static_cast<int>(s))] = to_string(s);
    nb::dict d;
    d["kind"] = kinds;
    d["shape"] = shapes;
    d["status"] = status;
    return d;
  });

  // The engine alone (turnpoint::detect, no Python, no result model): seconds per call, the
  // mean of `repeats` calls, for the per-call overhead benchmark (bench/python_bench.py).
  m.def(
      "engine_seconds",
      [](const Values& values, const DetectOptions& options, int repeats) {
        const auto [n, t] = shape_of(values);
        const std::vector<std::int32_t> time = day_axis(std::nullopt, t);
        const DetectConfig config = options.to_config(Panel{});
        const Backend backend = parse_backend(options.backend);
        nb::gil_scoped_release release;
        const OneThreadForOneSeries one(n);
        const auto t0 = std::chrono::steady_clock::now();
        for (int r = 0; r < repeats; ++r) {
          const DetectResult result = detect(values.data(), n, t, time.data(), config, backend);
        }
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
               std::max(repeats, 1);
      },
      "values"_a.noconvert(), "options"_a, "repeats"_a);

  // Where the engine reads the values: the zero-copy test compares it with the array's own
  // address (tests/python/test_arrays.py).
  m.def("values_address", [](const Values& values) { return reinterpret_cast<std::uintptr_t>(values.data()); },
        "values"_a.noconvert());
}

}  // namespace

void bind_detect(nanobind::module_& m) {
  bind_options(m);
  bind_detection_set(m);
  bind_runs(m);
  bind_introspection(m);
}

}  // namespace turnpoint::python
