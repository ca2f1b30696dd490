#include "host/sweep/sweep.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <type_traits>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/core/atomic_file.hpp"
#include "kernels/error.hpp"
#include "host/io/h5_stream.hpp"
#include "host/io/hdf5.hpp"
#include "host/core/progress.hpp"
#include "host/io/series_io.hpp"
#include "host/explain/explain.hpp"
#include "host/sweep/sweep_journal.hpp"

namespace turnpoint {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "turnpoint.sweep";
constexpr int kUnitSeries = 16;  // series per unit of work (one thread, one scenario)

// Writes bytes to `target` so that a crash leaves either no file or the whole file.
void durable_write(const fs::path& target, const std::string& bytes) {
  const fs::path tmp = target.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    TURNPOINT_EXPECTS(out.good(), "{}: cannot write the sweep journal", tmp.string());
  }
  TURNPOINT_EXPECTS(fsync_path(tmp, false), "{}: cannot write the sweep journal (disk full?)", tmp.string());
  fs::rename(tmp, target);
  fsync_path(target.parent_path(), true);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Where a process that failed a batch says so (its rank), so that the others stop starting
// batches instead of finishing all of theirs before the job learns of the failure. Named by
// the run (SweepTeam::run), so that a marker of an earlier run -- which a shared file
// system may still show a node after it was removed -- never stops this one; every marker
// is removed when the journal is opened.
fs::path failed_marker(const fs::path& journal, const std::string& run) { return journal / ("failed-" + run); }

fs::path batch_path(const fs::path& journal, std::size_t b) {
  return journal / fmt::format("batch-{:06d}.rec", b);  // host/sweep/sweep_journal.hpp
}

// Series [lo, hi) of a panel as a panel of their own (the default pipeline's unit of work).
Panel sub_panel(const Panel& p, std::int64_t lo, std::int64_t hi) {
  Panel s;
  s.time = p.time;
  s.frequency = p.frequency;
  s.units = p.units;
  s.source = p.source;
  s.values.assign(p.row(lo), p.row(lo) + (hi - lo) * p.n_time());
  s.region.assign(p.region.begin() + lo, p.region.begin() + hi);
  s.sector.assign(p.sector.begin() + lo, p.sector.begin() + hi);
  s.series_id.assign(p.series_id.begin() + lo, p.series_id.begin() + hi);
  return s;
}

// One scenario of the default pipeline on series [lo, hi): what `turnpoint detect` with
// --model, --penalty-scale and --min-confidence reports, as per-series detections with the
// reported points' confidence, kind, shape and rank alongside.
// `panel` holds series [offset, offset + its size) of the whole panel; lo, hi are its rows;
// out and points are indexed by the whole panel's rows.
void run_model_unit(const Panel& panel, std::int64_t offset, const Scenario& sc, std::int64_t lo,
                    std::int64_t hi, std::vector<SeriesDetection>& out,
                    std::vector<std::vector<TurningPoint>>& points) {
  ExplainOptions o;
  o.model = sc.model == "auto" ? choose_model(panel.time, panel.frequency).model : parse_explain_model(sc.model);
  o.penalty_multiplier = sc.penalty_scale;
  o.min_confidence = sc.min_confidence;
  validate(o);
  DetectionSet set;
  explain_panel(sub_panel(panel, lo, hi), DetectConfig{}, o, set);
  for (std::int64_t i = lo; i < hi; ++i) {
    const SeriesSummary& sm = set.summary[static_cast<std::size_t>(i - lo)];
    SeriesDetection& d = out[static_cast<std::size_t>(offset + i)];
    d.status = sm.status;
    d.n_valid = sm.n_valid;
    d.penalty = sm.penalty;
    d.sigma = sm.sigma;
  }
  for (TurningPoint tp : set.points) {
    tp.series += static_cast<std::int32_t>(offset + lo);
    SeriesDetection& d = out[static_cast<std::size_t>(tp.series)];
    d.changes.push_back(tp.index);
    d.gains.push_back(tp.gain);
    points[static_cast<std::size_t>(tp.series)].push_back(tp);
  }
}

// Scenarios [first, first + count) over one block of the panel (`panel`: its series
// [offset, offset + its size)): work units are (scenario, 16 series), spread over the threads.
void run_block(const Panel& panel, std::int64_t offset, const std::vector<Scenario>& scenarios,
               std::size_t first, std::size_t count, const std::vector<DetectConfig>& configs,
               std::vector<std::vector<SeriesDetection>>& results,
               std::vector<std::vector<std::vector<TurningPoint>>>& reported) {
  const std::int64_t n = panel.n_series();
  const int t = panel.n_time();
  const std::int64_t blocks = (n + kUnitSeries - 1) / kUnitSeries;
  const std::int64_t units = static_cast<std::int64_t>(count) * blocks;
  std::string error;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t u = 0; u < units; ++u) {
    const auto s = static_cast<std::size_t>(u / blocks);
    const std::int64_t lo = (u % blocks) * kUnitSeries, hi = std::min(n, lo + kUnitSeries);
    try {
      if (!scenarios[first + s].is_raw()) {
        run_model_unit(panel, offset, scenarios[first + s], lo, hi, results[s], reported[s]);
        continue;
      }
      DetectResult r = detect(panel.row(lo), hi - lo, t, panel.time.data(), configs[s], Backend::cpu);
      for (std::int64_t i = lo; i < hi; ++i)
        results[s][static_cast<std::size_t>(offset + i)] = std::move(r.series[static_cast<std::size_t>(i - lo)]);
    } catch (const std::exception& e) {
#pragma omp critical
      if (error.empty()) error = fmt::format("scenario {}: {}", first + s, e.what());
    }
  }
  TURNPOINT_EXPECTS(error.empty(), "{}", error);
}

// The results of scenarios [first, first + count) on one block of series, as a journal
// record's body, and each scenario's number of turning points there.
json block_results(const std::vector<Scenario>& scenarios, std::size_t first, std::size_t count,
                   const std::vector<std::vector<SeriesDetection>>& results,
                   const std::vector<std::vector<std::vector<TurningPoint>>>& reported,
                   std::vector<std::int64_t>& points) {
  json list = json::array();
  points.assign(count, 0);
  for (std::size_t s = 0; s < count; ++s) {
    json status = json::array(), n_valid = json::array(), cost = json::array(),
         penalty = json::array(), sigma = json::array(), changes = json::array(),
         gains = json::array();
    for (const SeriesDetection& d : results[s]) {
      status.push_back(static_cast<int>(d.status));
      n_valid.push_back(d.n_valid);
      cost.push_back(d.cost);
      penalty.push_back(d.penalty);
      sigma.push_back(d.sigma);
      changes.push_back(d.changes);
      gains.push_back(d.gains);
      points[s] += static_cast<std::int64_t>(d.changes.size());
    }
    json entry = {{"status", status}, {"n_valid", n_valid}, {"cost", cost}, {"penalty", penalty},
                  {"sigma", sigma}, {"changes", changes}, {"gains", gains}};
    if (!scenarios[first + s].is_raw()) {
      json conf = json::array(), kind = json::array(), shape = json::array(), rank = json::array();
      for (const auto& pts : reported[s]) {
        json c = json::array(), k = json::array(), h = json::array(), r = json::array();
        for (const TurningPoint& tp : pts) {
          c.push_back(std::isnan(tp.confidence) ? json() : json(tp.confidence));
          k.push_back(static_cast<int>(tp.kind));
          h.push_back(static_cast<int>(tp.shape));
          r.push_back(tp.rank);
        }
        conf.push_back(c), kind.push_back(k), shape.push_back(h), rank.push_back(r);
      }
      entry["confidence"] = conf, entry["kind"] = kind, entry["shape"] = shape, entry["rank"] = rank;
    }
    list.push_back(entry);
  }
  return list;
}

// Scenarios [first, first + count) over the whole panel, `chunk_series` series at a time,
// each block's results appended to `entry` as one record: memory holds one block of values
// and its results, not the panel's. The values come from `whole` when one chunk holds the
// panel (read once for every batch), else from the file (HDF5 hyperslabs), read again for
// each batch. The results do not depend on the chunk (every series is detected on its own).
void run_batch(const SeriesReader& reader, const Panel* whole, const std::vector<Scenario>& scenarios,
               std::size_t first, std::size_t count, std::int64_t chunk_series, JournalEntryWriter& entry) {
  const std::int64_t n = reader.n_series();
  std::vector<DetectConfig> configs;
  for (std::size_t s = 0; s < count; ++s)
    configs.push_back(scenarios[first + s].is_raw() ? scenarios[first + s].config() : DetectConfig{});
  for (std::int64_t lo = 0; lo < n; lo += chunk_series) {
    const std::int64_t m = std::min(chunk_series, n - lo);
    std::optional<Panel> read;
    if (!whole) read = reader.read_rows(lo, m);
    const Panel& block = whole ? *whole : *read;  // `whole` holds exactly one chunk
    std::vector<std::vector<SeriesDetection>> results(count, std::vector<SeriesDetection>(static_cast<std::size_t>(m)));
    std::vector<std::vector<std::vector<TurningPoint>>> reported(
        count, std::vector<std::vector<TurningPoint>>(static_cast<std::size_t>(m)));
    run_block(block, 0, scenarios, first, count, configs, results, reported);
    JournalRecord r;
    r.first_scenario = static_cast<std::int64_t>(first);
    r.scenarios = static_cast<std::int64_t>(count);
    r.first_series = lo;
    r.series = m;
    r.body = block_results(scenarios, first, count, results, reported, r.points);
    entry.append(r);
  }
}

// Rank of each change in its series: 1 = largest gain; ties by day (as
// host/core/detections.cpp does).
std::vector<std::int32_t> rank_by_gain(std::size_t n_changes, const std::vector<double>& g) {
  std::vector<std::size_t> order(n_changes);
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t c) { return g[a] > g[c]; });
  std::vector<std::int32_t> rank(n_changes);
  for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<std::int32_t>(k + 1);
  return rank;
}

// The rows of one scenario over one journal record's series: its /summary rows and its
// /points rows, built from the record's body and written where they belong.
struct SweepRows {
  // /summary: one row per (scenario, series).
  std::vector<std::int32_t> sum_scenario, sum_series, n_valid, n_changes;
  std::vector<std::int8_t> status;
  std::vector<double> cost, penalty, sigma;
  // /points: one row per turning point.
  std::vector<std::int32_t> p_scenario, p_series, p_index, p_day, p_rank;
  std::vector<double> p_gain, p_confidence;  // confidence NaN for raw solvers
  std::vector<std::int8_t> p_kind, p_shape;  // TurnKind, TurnShape codes (unclassified/level for raw)
};

// Appends the summary row and the turning points of series i (the record's j-th) in scenario s.
void append_series(SweepRows& t, const json& sc, std::size_t s, std::size_t i, std::size_t j,
                   const Panel& panel) {
  t.sum_scenario.push_back(static_cast<std::int32_t>(s));
  t.sum_series.push_back(static_cast<std::int32_t>(i));
  t.status.push_back(sc.at("status").at(j).get<std::int8_t>());
  t.n_valid.push_back(sc.at("n_valid").at(j).get<std::int32_t>());
  t.cost.push_back(sc.at("cost").at(j).get<double>());
  t.penalty.push_back(sc.at("penalty").at(j).get<double>());
  t.sigma.push_back(sc.at("sigma").at(j).get<double>());
  const auto ch = sc.at("changes").at(j).get<std::vector<int>>();
  const auto g = sc.at("gains").at(j).get<std::vector<double>>();
  t.n_changes.push_back(static_cast<std::int32_t>(ch.size()));
  // Raw solvers rank by gain; the default pipeline's own rank (by confidence, then gain).
  const bool model = sc.contains("rank");
  const std::vector<std::int32_t> rank =
      model ? sc.at("rank").at(j).get<std::vector<std::int32_t>>() : rank_by_gain(ch.size(), g);
  for (std::size_t k = 0; k < ch.size(); ++k) {
    TURNPOINT_EXPECTS(ch[k] >= 0 && static_cast<std::size_t>(ch[k]) < panel.time.size(),
                      "sweep journal: scenario {}, series {}: turning point at index {} of {} days", s, i, ch[k],
                      panel.time.size());
    t.p_scenario.push_back(static_cast<std::int32_t>(s));
    t.p_series.push_back(static_cast<std::int32_t>(i));
    t.p_index.push_back(ch[k]);
    t.p_day.push_back(panel.time[static_cast<std::size_t>(ch[k])]);
    t.p_rank.push_back(rank[k]);
    t.p_gain.push_back(k < g.size() ? g[k] : 0.0);
    const json& c = model ? sc.at("confidence").at(j).at(k) : json();
    t.p_confidence.push_back(c.is_number() ? c.get<double>() : std::nan(""));
    t.p_kind.push_back(static_cast<std::int8_t>(model ? sc.at("kind").at(j).at(k).get<int>() : static_cast<int>(TurnKind::unclassified)));
    t.p_shape.push_back(static_cast<std::int8_t>(model ? sc.at("shape").at(j).at(k).get<int>() : static_cast<int>(TurnShape::unknown)));
  }
}

// Where every scenario's rows go, from the journal's record headers alone: each batch's
// records must cover the panel's series in order, and scenario s's turning points start
// after those of the scenarios before it.
struct SweepLayout {
  std::vector<std::int64_t> first_point;  // per scenario
  std::int64_t points = 0;
};
SweepLayout plan_rows(const fs::path& journal, std::size_t n_batches, std::size_t batch_scenarios,
                      std::size_t n_scenarios, std::int64_t n_series) {
  std::vector<std::int64_t> per_scenario(n_scenarios, 0);
  for (std::size_t b = 0; b < n_batches; ++b) {
    const fs::path entry = batch_path(journal, b);
    const auto first = static_cast<std::int64_t>(b * batch_scenarios);
    const auto count = static_cast<std::int64_t>(std::min(batch_scenarios, n_scenarios - b * batch_scenarios));
    std::int64_t next = 0;
    read_journal_entry(entry, /*bodies=*/false, [&](const JournalRecord& r) {
      TURNPOINT_EXPECTS(r.first_scenario == first && r.scenarios == count && r.first_series == next &&
                            r.series >= 1 && r.points.size() == static_cast<std::size_t>(count),
                        "{}: a record of scenarios {}+{} and series {}+{} where scenarios {}+{} and series {}.. "
                        "were due; delete the journal folder to start over",
                        entry.string(), r.first_scenario, r.scenarios, r.first_series, r.series, first, count, next);
      for (std::int64_t s = 0; s < count; ++s) {
        TURNPOINT_EXPECTS(r.points[static_cast<std::size_t>(s)] >= 0, "{}: a negative count of points", entry.string());
        per_scenario[static_cast<std::size_t>(first + s)] += r.points[static_cast<std::size_t>(s)];
      }
      next += r.series;
    });
    TURNPOINT_EXPECTS(next == n_series, "{}: journal entry has {} series, panel {}", entry.string(), next, n_series);
  }
  SweepLayout l;
  for (const std::int64_t k : per_scenario) {
    l.first_point.push_back(l.points);
    l.points += k;
  }
  return l;
}

// Labels every dataset of a group (long_name, and units where they apply) so that h5py and
// xarray users can read the file without docs/sweep.md.
void describe(const h5s::DeterministicFile& f, hid_t loc,
              const std::vector<std::pair<const char*, const char*>>& long_names, const char* day_units = nullptr) {
  for (const auto& [name, text] : long_names) {
    h5::Id d(H5Dopen2(loc, name, H5P_DEFAULT), H5Dclose);
    if (!d.valid()) h5s::fail(f.path(), name, "cannot open dataset to describe it");
    h5s::write_attr(f, d.get(), "long_name", text);
    if (day_units && (std::string(name) == "day" || std::string(name) == "time"))
      h5s::write_attr(f, d.get(), "units", day_units);
  }
}

// Root attributes and the panel's day axis and names.
void write_sweep_root(h5s::DeterministicFile& f, const SweepOptions& o, const Panel& panel,
                      const std::string& fingerprint, const SweepGrid& grid) {
  const hid_t root = f.root();
  h5s::write_attr(f, root, "format", kFormat);
  h5s::write_attr(f, root, "format_version", std::int64_t{1});
  h5s::write_attr(f, root, "turnpoint_version", TURNPOINT_VERSION);
  h5s::write_attr(f, root, "input", o.series_path);
  h5s::write_attr(f, root, "input_fingerprint", fingerprint);
  h5s::write_attr(f, root, "grid", grid.canonical_json());
  h5s::write_vector(f, root, "time", panel.time);
  h5s::write_strings(f, root, "region", panel.region);
  h5s::write_strings(f, root, "sector", panel.sector);
  h5s::write_strings(f, root, "series_id", panel.series_id);
  describe(f, root,
           {{"time", "time axis of the input (first day of each step)"},
            {"region", "region of each series"},
            {"sector", "sector of each series"},
            {"series_id", "unique id of each series"}},
           panel.frequency == Frequency::index ? "1" : "days since 1970-01-01");
}

// /scenarios: the settings of each scenario, one row each.
void write_scenarios_group(h5s::DeterministicFile& f, const std::vector<Scenario>& scenarios) {
  const hid_t sc = f.group("scenarios");
  std::vector<std::string> model, m, c, p;
  std::vector<std::int32_t> ms, mc;
  std::vector<double> scale, confidence;
  for (const Scenario& s : scenarios) {
    model.push_back(s.model);
    scale.push_back(s.penalty_scale);
    confidence.push_back(s.min_confidence);
    m.push_back(s.method);
    c.push_back(s.cost);
    p.push_back(s.penalty);
    ms.push_back(s.min_size);
    mc.push_back(s.max_changes);
  }
  h5s::write_strings(f, sc, "method", m);
  h5s::write_strings(f, sc, "cost", c);
  h5s::write_strings(f, sc, "penalty", p);
  h5s::write_vector(f, sc, "min_size", ms);
  h5s::write_vector(f, sc, "max_changes", mc);
  h5s::write_strings(f, sc, "model", model);
  h5s::write_vector(f, sc, "penalty_scale", scale);
  h5s::write_vector(f, sc, "min_confidence", confidence);
  describe(f, sc,
           {{"method", "raw solver: op, pelt, fpop, segneigh or binseg"},
            {"cost", "raw solver: segment cost"},
            {"penalty", "raw solver: penalty (mbic, bic, aic, hq or a number)"},
            {"min_size", "raw solver: minimum segment length"},
            {"max_changes", "raw solver: most changes per series"},
            {"model", "raw (a solver scenario) or the default pipeline's model: auto, pattern, generic"},
            {"penalty_scale", "default pipeline: --penalty-scale"},
            {"min_confidence", "default pipeline: --min-confidence"}});
}

// Every column of /summary and /points with its rows in `t`, in file order: f(path, rows).
// The one list of the columns: the layout creates them from it, the rows are written by it.
template <class Rows, class F>
void for_each_column(Rows& t, F&& f) {
  f("/summary/scenario", t.sum_scenario);
  f("/summary/series", t.sum_series);
  f("/summary/status", t.status);
  f("/summary/n_valid", t.n_valid);
  f("/summary/n_changes", t.n_changes);
  f("/summary/cost", t.cost);
  f("/summary/penalty", t.penalty);
  f("/summary/sigma", t.sigma);
  f("/points/scenario", t.p_scenario);
  f("/points/series", t.p_series);
  f("/points/index", t.p_index);
  f("/points/day", t.p_day);
  f("/points/rank", t.p_rank);
  f("/points/gain", t.p_gain);
  f("/points/confidence", t.p_confidence);
  f("/points/kind", t.p_kind);
  f("/points/shape", t.p_shape);
}

bool is_summary(const char* path) { return std::strncmp(path, "/summary/", 9) == 0; }

// The datasets of /summary and /points, created at their final sizes with their space
// placed in the file at once (contiguous), so that their rows can be written later by one or
// several processes without changing the file's metadata.
void create_row_datasets(const h5s::DeterministicFile& f, hsize_t summary_rows, hsize_t points) {
  const SweepRows none;
  for_each_column(none, [&](const char* path, const auto& rows) {
    using T = typename std::decay_t<decltype(rows)>::value_type;
    h5s::SliceWriter<T>(f, f.root(), path, is_summary(path) ? summary_rows : points, 0, 0, /*allocate_now=*/true);
  });
}

// Writes SweepRows into those datasets of the laid-out file `file` (opened serially, or
// through MPI-IO by every process: independent writes of disjoint rows).
class SweepRowsFile {
 public:
  SweepRowsFile(hid_t file, std::string path) : path_(std::move(path)) {
    const SweepRows none;
    for_each_column(none, [&](const char* name, const auto&) {
      h5::Id d(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
      if (!d.valid()) h5s::fail(path_, name, "cannot open the dataset for its rows");
      datasets_.push_back(std::move(d));
    });
  }

  void write(const SweepRows& t, hsize_t summary_row, hsize_t point_row) const {
    std::size_t k = 0;
    for_each_column(t, [&](const char* name, const auto& rows) {
      put(datasets_[k++].get(), name, is_summary(name) ? summary_row : point_row, rows);
    });
  }

 private:
  template <class T>
  void put(hid_t d, const char* name, hsize_t first, const std::vector<T>& v) const {
    if (v.empty()) return;
    const hsize_t count = v.size();
    h5::Id fspace(H5Dget_space(d), H5Sclose);
    h5::Id mspace(H5Screate_simple(1, &count, nullptr), H5Sclose);
    if (!fspace.valid() || !mspace.valid() ||
        H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr) < 0 ||
        H5Dwrite(d, h5s::mem_type<T>(), mspace.get(), fspace.get(), H5P_DEFAULT, v.data()) < 0)
      h5s::fail(path_, name, fmt::format("cannot write rows {}..{}", first, first + count));
  }
  std::string path_;
  std::vector<h5::Id> datasets_;  // for_each_column order
};

void describe_summary_group(h5s::DeterministicFile& f, hid_t su) {
  describe(f, su,
           {{"scenario", "row of /scenarios"},
            {"series", "row of /series_id"},
            {"status", "what could be analysed: 0 ok, 1 constant, 2 empty"},
            {"n_valid", "number of non-missing time steps"},
            {"n_changes", "number of turning points reported"},
            {"cost", "total segment cost (raw solvers; 0 for the default pipeline)"},
            {"penalty", "penalty per change used"},
            {"sigma", "noise scale used"}});
}

void describe_points_group(h5s::DeterministicFile& f, hid_t pt, Frequency frequency) {
  describe(f, pt,
           {{"scenario", "row of /scenarios"},
            {"series", "row of /series_id"},
            {"index", "0-based index on /time of the first step of the new segment"},
            {"day", "/time at index"},
            {"rank", "1 = most important turning point of its series in its scenario"},
            {"gain", "cost decrease this change brings given its neighbours"},
            {"confidence", "confidence in [0, 1] (NaN: raw solvers)"},
            {"kind", "-1 unclassified, 0 event, 1 seasonal"},
            {"shape", "-1 unknown, 0 level, 1 trend, 2 level_trend, 3 transient, 4 weekly, 5 yearly"}},
           frequency == Frequency::index ? "1" : "days since 1970-01-01");
}

// The sweep file without its rows (written by write_batch_rows): root, names, scenarios, and
// /summary and /points at their final sizes, placed and described.
void write_sweep_layout(const std::string& path, const SweepOptions& o, const Panel& panel,
                        const std::string& fingerprint, const SweepGrid& grid,
                        const std::vector<Scenario>& scenarios, const SweepLayout& layout) {
  h5s::DeterministicFile f(path);
  write_sweep_root(f, o, panel, fingerprint, grid);
  write_scenarios_group(f, scenarios);
  const hid_t su = f.group("summary");
  const hid_t pt = f.group("points");
  create_row_datasets(f, static_cast<hsize_t>(scenarios.size()) * static_cast<hsize_t>(panel.n_series()),
                      static_cast<hsize_t>(layout.points));
  describe_summary_group(f, su);
  describe_points_group(f, pt, panel.frequency);
  f.close();
}

// The rows of batch b, read a record at a time from its journal entry and written where the
// layout puts them (by scenario, then series, as a whole-panel assembly would order them).
// Memory: one record.
void write_batch_rows(const SweepRowsFile& file, const fs::path& journal, std::size_t b, const Panel& panel,
                      const SweepLayout& layout) {
  const std::int64_t n = panel.n_series();
  std::vector<std::int64_t> next_point = layout.first_point;  // this batch's scenarios advance
  read_journal_entry(batch_path(journal, b), /*bodies=*/true, [&](const JournalRecord& r) {
    for (std::int64_t k = 0; k < r.scenarios; ++k) {
      const auto s = static_cast<std::size_t>(r.first_scenario + k);
      SweepRows rows;
      try {
        const json& sc = r.body.at(static_cast<std::size_t>(k));
        for (const char* column : {"status", "n_valid", "cost", "penalty", "sigma", "changes", "gains"})
          TURNPOINT_EXPECTS(sc.at(column).size() == static_cast<std::size_t>(r.series),
                            "{}: a record of {} series holds {} of {}", batch_path(journal, b).string(), r.series,
                            sc.at(column).size(), column);
        for (std::int64_t j = 0; j < r.series; ++j)
          append_series(rows, sc, s, static_cast<std::size_t>(r.first_series + j), static_cast<std::size_t>(j), panel);
      } catch (const json::exception& e) {
        TURNPOINT_FAIL("{}: damaged sweep journal entry ({}); delete it to run that batch again",
                       batch_path(journal, b).string(), e.what());
      }
      TURNPOINT_EXPECTS(static_cast<std::int64_t>(rows.p_scenario.size()) == r.points[static_cast<std::size_t>(k)],
                        "{}: a record says {} turning points and holds {}", batch_path(journal, b).string(),
                        r.points[static_cast<std::size_t>(k)], rows.p_scenario.size());
      file.write(rows, static_cast<hsize_t>(s) * static_cast<hsize_t>(n) + static_cast<hsize_t>(r.first_series),
                 static_cast<hsize_t>(next_point[s]));
      next_point[s] += r.points[static_cast<std::size_t>(k)];
    }
  });
}

// The laid-out sweep file opened for its rows, in one process.
h5::Id open_rows_file(const std::string& path) {
  h5::silence_errors();
  h5::Id f(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  if (!f.valid()) h5s::fail(path, "/", "cannot open the sweep file for its rows");
  return f;
}

fs::path output_folder(const SweepOptions& o) {
  return fs::path(o.output).parent_path().empty() ? fs::path(".") : fs::path(o.output).parent_path();
}

// The journal folder opened for this sweep: created with its manifest, or checked to be this
// sweep's; the temporaries of a killed run (journal entries, the output's) removed.
void open_journal(const SweepOptions& o, const SweepGrid& grid, const Panel& panel,
                  const std::string& fingerprint, const fs::path& journal) {
  json manifest = {{"format", "turnpoint.sweep-journal"},
                   {"journal_format", 2},  // 2: entries of records (host/sweep/sweep_journal.hpp)
                   {"grid", grid.canonical_json()},
                   {"input", o.series_path},
                   {"input_bytes", fs::file_size(o.series_path)},
                   // The content, not just the name and size: a replaced input of the same
                   // size must not mix its scenarios with the old one's.
                   {"input_fingerprint", fingerprint},
                   {"n_series", panel.n_series()},
                   {"n_time", panel.n_time()},
                   {"batch_scenarios", o.batch_scenarios},
                   {"turnpoint_version", TURNPOINT_VERSION}};
  const fs::path manifest_path = journal / "manifest.json";
  fs::create_directories(journal);
  if (fs::exists(manifest_path)) {
    json old;
    try {
      old = json::parse(slurp(manifest_path));
    } catch (const json::exception&) {
      TURNPOINT_FAIL("{}: damaged sweep journal; delete {} to start over",
                     manifest_path.string(), journal.string());
    }
    if (old != manifest) {
      std::string what;  // which settings differ, for the message
      for (const auto& [key, value] : manifest.items())
        if (!old.contains(key) || old[key] != value)
          what += fmt::format("{}{} ({} then, {} now)", what.empty() ? "" : ", ", key,
                              old.contains(key) ? old[key].dump() : "absent", value.dump());
      TURNPOINT_FAIL("{}: {} is the journal of a different sweep ({}): its results would be "
                     "mixed with this one's; delete {} to start over, or use another -o",
                     o.output, journal.string(), what, journal.string());
    }
  } else {
    durable_write(manifest_path, manifest.dump(2));
  }
  // Temporaries of a killed run are never valid results, nor is its failure this run's.
  for (const auto& e : fs::directory_iterator(journal))
    if (e.path().extension() == ".tmp") fs::remove(e.path());
  for (const auto& e : fs::directory_iterator(journal))
    if (e.path().filename().string().rfind("failed-", 0) == 0) fs::remove(e.path());
  const std::string stale_prefix = "." + fs::path(o.output).filename().string() + ".tmp-";
  for (const auto& e : fs::directory_iterator(output_folder(o)))
    if (e.path().filename().string().rfind(stale_prefix, 0) == 0) fs::remove(e.path());
}

}  // namespace

void run_sweep(const SweepOptions& o) { run_sweep(o, SweepTeam{}); }

void run_sweep(const SweepOptions& o, const SweepTeam& team) {
  const auto step = [&team](const std::function<void()>& f) {
    if (team.sync)
      team.sync(f);
    else
      f();
  };
  SweepGrid grid;
  std::vector<Scenario> scenarios;
  std::optional<SeriesReader> reader;  // the panel, read a block of series at a time
  std::string fingerprint;
  step([&] {
    TURNPOINT_EXPECTS(o.batch_scenarios >= 1, "--batch must be >= 1 (got {})", o.batch_scenarios);
    TURNPOINT_EXPECTS(o.chunk_series >= 1, "--chunk must be >= 1 (got {})", o.chunk_series);
    grid = read_grid(o.grid_path);
    scenarios = grid.scenarios();
    reader.emplace(o.series_path);
  });
  const Panel& panel = reader->header();  // names and the day axis; no values
  const fs::path journal = o.output + ".journal";
  // One process opens the journal, before any process writes to it.
  step([&] {
    if (team.rank != 0) return;
    fingerprint = streamed_fingerprint(*reader, o.chunk_series);
    open_journal(o, grid, panel, fingerprint, journal);
  });
  // Every process writes into the journal process 0 made: one that cannot see it would
  // fail later with a message about a file it never chose.
  step([&] {
    TURNPOINT_EXPECTS(fs::exists(journal / "manifest.json"),
                      "{}: the sweep journal {} made by process 0 is not visible here: every rank must "
                      "see the output's folder (a shared file system)",
                      o.output, journal.string());
  });

  const std::size_t b_size = static_cast<std::size_t>(o.batch_scenarios);
  const std::size_t n_batches = (scenarios.size() + b_size - 1) / b_size;
  // Process 0's progress bar (one process), or the job's lines (team.scenarios_done).
  Progress progress("sweep", static_cast<std::int64_t>(scenarios.size()),
                    o.quiet || team.rank != 0 || static_cast<bool>(team.scenarios_done));
  step([&] {
    std::optional<Panel> whole;  // the panel, read once, when one chunk holds it
    for (std::size_t b = 0; b < n_batches; ++b) {
      if (static_cast<int>(b % static_cast<std::size_t>(team.size)) != team.rank) continue;
      // Another process failed: the job will end with its error once every process is
      // through this step, so start no more batches (the journal keeps those done).
      if (team.size > 1 && fs::exists(failed_marker(journal, team.run))) break;
      try {
        const std::size_t first = b * b_size, count = std::min(b_size, scenarios.size() - first);
        if (!fs::exists(batch_path(journal, b))) {
          if (!whole && reader->n_series() <= o.chunk_series) whole = reader->read_rows(0, reader->n_series());
          JournalEntryWriter entry(batch_path(journal, b));
          run_batch(*reader, whole ? &*whole : nullptr, scenarios, first, count, o.chunk_series, entry);
          entry.commit();
        }
        progress.update(static_cast<std::int64_t>(first + count));
        if (team.scenarios_done)
          team.scenarios_done(static_cast<std::int64_t>(count), static_cast<std::int64_t>(scenarios.size()));
      } catch (...) {
        if (team.size > 1) std::ofstream(failed_marker(journal, team.run)) << team.rank << '\n';
        throw;
      }
    }
  });
  progress.finish();
  if (team.batches_over) team.batches_over();
  // The file: process 0 lays it out (names, scenarios, every dataset at its size) into the
  // output's temporary; every process then writes the rows of its own batches there (through
  // MPI-IO under a launcher: the parallel write); process 0 renames it into place. The same
  // steps in one process give the same bytes.
  std::optional<AtomicFile> out;  // process 0's
  std::string temp;
  SweepLayout layout;
  if (team.on_failure) *team.on_failure = [&out] { out.reset(); };
  step([&] {
    if (team.rank == 0)
      // Every batch ran and said so; one missing here was written where process 0 cannot see it.
      for (std::size_t b = 0; b < n_batches; ++b)
        TURNPOINT_EXPECTS(fs::exists(batch_path(journal, b)),
                          "{}: batch {} (scenarios {}..{}, run by process {} of {}) is not in the journal "
                          "{}: every rank must see the output's folder (a shared file system)",
                          o.output, b, b * b_size, std::min(scenarios.size(), (b + 1) * b_size) - 1,
                          b % static_cast<std::size_t>(team.size), team.size, journal.string());
    // From the record headers alone: the same on every process.
    layout = plan_rows(journal, n_batches, b_size, scenarios.size(), panel.n_series());
    if (team.rank != 0) return;
    out.emplace(o.output);
    temp = out->temp_path();
    write_sweep_layout(temp, o, panel, fingerprint, grid, scenarios, layout);
  });
  if (team.share) temp = team.share(temp);
  // Every process sees the temporary before any opens it: opening it is collective under MPI.
  step([&] {
    TURNPOINT_EXPECTS(fs::exists(temp), "{}: the sweep file {} laid out by process 0 is not visible here: every "
                      "rank must see the output's folder (a shared file system)", o.output, temp);
  });
  step([&] {
    h5::Id file = team.open_rows_file ? team.open_rows_file(temp) : open_rows_file(temp);
    {
      const SweepRowsFile rows(file.get(), temp);  // its datasets close before the file
      for (std::size_t b = 0; b < n_batches; ++b)
        if (static_cast<int>(b % static_cast<std::size_t>(team.size)) == team.rank)
          write_batch_rows(rows, journal, b, panel, layout);
    }
    if (H5Fclose(file.release()) < 0) h5s::fail(temp, "/", "cannot write the rows to disk");
  });
  step([&] {
    if (team.rank != 0) return;
    out->commit();
    fsync_path(output_folder(o), true);
    fs::remove_all(journal);
  });
  if (team.on_failure) *team.on_failure = nullptr;
}

bool is_sweep_file(const std::string& path) {
  h5::File f = h5::File::open(path);
  return f.has_attr("format") && h5::read_attr_string(f, "format") == kFormat;
}

SweepFile read_sweep_header(const std::string& path) {
  h5::File f = h5::File::open(path);
  TURNPOINT_EXPECTS(f.has_attr("format") && h5::read_attr_string(f, "format") == kFormat,
                    "{}: not a turnpoint sweep file", path);
  SweepFile s;
  if (f.has_attr("input_fingerprint")) s.input_fingerprint = h5::read_attr_string(f, "input_fingerprint");
  s.time = h5::read_vector<std::int32_t>(f, "time");
  s.series_id = h5::read_strings(f, "series_id");
  h5::Location sc = f.open_group("scenarios");
  const auto m = h5::read_strings(sc, "method"), c = h5::read_strings(sc, "cost"),
             p = h5::read_strings(sc, "penalty");
  const auto ms = h5::read_vector<std::int32_t>(sc, "min_size"),
             mc = h5::read_vector<std::int32_t>(sc, "max_changes");
  TURNPOINT_EXPECTS(c.size() == m.size() && p.size() == m.size() && ms.size() == m.size() &&
                        mc.size() == m.size(),
                    "{}: /scenarios columns have different lengths", path);
  for (std::size_t k = 0; k < m.size(); ++k) s.scenarios.push_back({m[k], c[k], p[k], ms[k], mc[k], "raw", 1.0, 0.5});
  if (sc.has("model")) {  // files before the default pipeline's sweeps have none
    const auto model = h5::read_strings(sc, "model");
    const auto scale = h5::read_vector<double>(sc, "penalty_scale"),
               confidence = h5::read_vector<double>(sc, "min_confidence");
    TURNPOINT_EXPECTS(model.size() == m.size() && scale.size() == m.size() && confidence.size() == m.size(),
                      "{}: /scenarios columns have different lengths", path);
    for (std::size_t k = 0; k < m.size(); ++k) {
      s.scenarios[k].model = model[k];
      s.scenarios[k].penalty_scale = scale[k];
      s.scenarios[k].min_confidence = confidence[k];
    }
  }
  return s;
}

SweepFile read_sweep(const std::string& path) {
  SweepFile s = read_sweep_header(path);
  h5::File f = h5::File::open(path);
  h5::Location pt = f.open_group("points");
  const auto ps = h5::read_vector<std::int32_t>(pt, "scenario"),
             pi = h5::read_vector<std::int32_t>(pt, "series"),
             px = h5::read_vector<std::int32_t>(pt, "index"),
             pd = h5::read_vector<std::int32_t>(pt, "day"),
             pr = h5::read_vector<std::int32_t>(pt, "rank");
  const auto pg = h5::read_vector<double>(pt, "gain");
  TURNPOINT_EXPECTS(pi.size() == ps.size() && px.size() == ps.size() && pd.size() == ps.size() &&
                        pr.size() == ps.size() && pg.size() == ps.size(),
                    "{}: /points columns have different lengths", path);
  for (std::size_t k = 0; k < ps.size(); ++k) {
    TURNPOINT_EXPECTS(ps[k] >= 0 && static_cast<std::size_t>(ps[k]) < s.scenarios.size() &&
                          pi[k] >= 0 && pi[k] < s.n_series() && px[k] >= 0 &&
                          static_cast<std::size_t>(px[k]) < s.time.size(),
                      "{}: /points row {} is out of range", path, k);
    s.points.push_back({ps[k], pi[k], px[k], pd[k], pr[k], pg[k]});
  }
  if (pt.has("confidence")) {
    const auto pc = h5::read_vector<double>(pt, "confidence");
    const auto pk = h5::read_vector<std::int8_t>(pt, "kind");
    TURNPOINT_EXPECTS(pc.size() == ps.size() && pk.size() == ps.size(), "{}: /points columns have different lengths",
                      path);
    for (std::size_t k = 0; k < ps.size(); ++k) {
      s.points[k].confidence = pc[k];
      s.points[k].kind = static_cast<TurnKind>(pk[k]);
    }
  }
  return s;
}

void read_sweep_point_blocks(const std::string& path, const SweepFile& header, std::size_t block,
                             const SweepPointBlockFn& f) {
  TURNPOINT_EXPECTS(block >= 1, "a block of {} points", block);
  h5::File file = h5::File::open(path);
  h5::Location pt = file.open_group("points");
  const std::vector<hsize_t> shape = h5::dims(pt, "scenario");
  TURNPOINT_EXPECTS(shape.size() == 1, "{}: /points/scenario has rank {}, expected 1", path, shape.size());
  // Every column, read or not, as read_sweep checks them.
  for (const char* other : {"series", "index", "day", "rank", "gain"})
    TURNPOINT_EXPECTS(h5::dims(pt, other) == shape, "{}: /points columns have different lengths", path);
  for (const char* other : {"confidence", "kind"})
    TURNPOINT_EXPECTS(!pt.has(other) || h5::dims(pt, other) == shape, "{}: /points columns have different lengths",
                      path);
  const auto rows = static_cast<std::size_t>(shape[0]);
  SweepPointBlock b;
  for (std::size_t first = 0; first < rows; first += block) {
    const std::size_t count = std::min(block, rows - first);
    b.first_row = first;
    b.scenario = h5::read_vector_rows<std::int32_t>(pt, "scenario", first, count);
    b.series = h5::read_vector_rows<std::int32_t>(pt, "series", first, count);
    b.index = h5::read_vector_rows<std::int32_t>(pt, "index", first, count);
    for (std::size_t k = 0; k < count; ++k)
      TURNPOINT_EXPECTS(b.scenario[k] >= 0 && static_cast<std::size_t>(b.scenario[k]) < header.scenarios.size() &&
                            b.series[k] >= 0 && b.series[k] < header.n_series() && b.index[k] >= 0 &&
                            static_cast<std::size_t>(b.index[k]) < header.time.size(),
                        "{}: /points row {} is out of range", path, first + k);
    if (!f(b)) return;
  }
}

}  // namespace turnpoint
