// `turnpoint show detections.h5`: the turning points of a result file as a table or JSON.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tools/command_registry.hpp"
#include "host/core/dates.hpp"
#include "host/core/time_axis.hpp"
#include "host/io/detections_io.hpp"
#include "kernels/error.hpp"

namespace {

// What produced the file, as the user chose it: the model of the default pipeline (its
// solver settings are internal), or the raw solver's method, cost and penalty.
std::string how_detected(const turnpoint::DetectionSet& set) {
  const std::string raw = fmt::format("method {}, cost {}, penalty {}", turnpoint::to_string(set.config.method),
                                      turnpoint::to_string(set.config.cost),
                                      turnpoint::to_string(set.config.penalty));
  const auto j = nlohmann::json::parse(set.config_json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("explain") || !j["explain"].is_object()) return raw;
  const auto model = j["explain"].value("model", std::string());
  if (model.empty()) return raw;
  return model == "segments" ? fmt::format("model segments: {}", raw) : fmt::format("model {}", model);
}


struct ShowArgs {
  std::string input;
  bool json = false;
  std::string series;
  long limit = 0;
};

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Series ids are matched case-insensitively (ASCII): "hubei" finds "Hubei/Industry".
bool series_matches(const std::string& id, const std::string& filter) {
  return filter.empty() || lower_ascii(id).find(lower_ascii(filter)) != std::string::npos;
}

// The time step of a 0-based index on the result's axis at the axis' precision (2021-03-04,
// 2021-03, 2021-Q1, 2021 or the step number), or "" when the index is not set.
std::string date_at(const turnpoint::DetectionSet& set, std::int32_t index) {
  if (index < 0 || static_cast<std::size_t>(index) >= set.time.size()) return "";
  return turnpoint::format_time(set.time[static_cast<std::size_t>(index)], set.frequency);
}

// The changes of one path row, at most 12 of them (--json lists all).
std::string dates_of(const turnpoint::DetectionSet& set, const std::vector<std::int32_t>& changes) {
  std::string out;
  for (std::size_t i = 0; i < changes.size() && i < 12; ++i) out += (i ? " " : "") + date_at(set, changes[i]);
  if (changes.size() > 12) out += fmt::format(" ... ({} more)", changes.size() - 12);
  return out.empty() ? "-" : out;
}

// The CROPS and segment-neighbourhood / binary-segmentation paths, one table per series, as
// R's changepoint prints them for CROPS: each row a solution (its penalty range or its number
// of changes), its cost and its changes.
void print_paths(const turnpoint::DetectionSet& set, const std::string& filter) {
  std::int32_t current = -1;
  for (const auto& e : set.crops) {
    const std::string& id = set.series_id[static_cast<std::size_t>(e.series)];
    if (!series_matches(id, filter)) continue;
    if (e.series != current) {
      current = e.series;
      fmt::print("\n# CROPS path of {}: the optimal segmentation for each penalty range\n", id);
      fmt::print("{:>12} {:>12} {:>6} {:>14}  {}\n", "pen_lo", "pen_hi", "n_cpts", "cost", "changes");
    }
    fmt::print("{:>12.6g} {:>12.6g} {:>6} {:>14.8g}  {}\n", e.pen_lo, e.pen_hi, e.changes.size(), e.cost,
               dates_of(set, e.changes));
  }
  current = -1;
  const char* method = set.config.method == turnpoint::Method::binseg ? "binary segmentation" : "segment neighbourhood";
  for (const auto& e : set.path) {
    const std::string& id = set.series_id[static_cast<std::size_t>(e.series)];
    if (!series_matches(id, filter)) continue;
    if (e.series != current) {
      current = e.series;
      fmt::print("\n# {} path of {}: the best segmentation with k changes\n", method, id);
      fmt::print("{:>4} {:>14}  {}\n", "k", "cost", "changes");
    }
    fmt::print("{:>4} {:>14.8g}  {}\n", e.k, e.cost, dates_of(set, e.changes));
  }
}

// Adds "crops" and "path" arrays to `out` when the file has them.
void add_paths_json(const turnpoint::DetectionSet& set, const std::string& filter, nlohmann::json& out) {
  nlohmann::json crops = nlohmann::json::array(), path = nlohmann::json::array();
  for (const auto& e : set.crops) {
    const std::string& id = set.series_id[static_cast<std::size_t>(e.series)];
    if (!series_matches(id, filter)) continue;
    nlohmann::json dates = nlohmann::json::array();
    for (std::int32_t c : e.changes) dates.push_back(date_at(set, c));
    crops.push_back({{"series_id", id}, {"pen_lo", e.pen_lo}, {"pen_hi", e.pen_hi}, {"cost", e.cost},
                     {"changes", e.changes}, {"dates", dates}});
  }
  for (const auto& e : set.path) {
    const std::string& id = set.series_id[static_cast<std::size_t>(e.series)];
    if (!series_matches(id, filter)) continue;
    nlohmann::json dates = nlohmann::json::array();
    for (std::int32_t c : e.changes) dates.push_back(date_at(set, c));
    path.push_back({{"series_id", id}, {"k", e.k}, {"cost", e.cost}, {"changes", e.changes}, {"dates", dates}});
  }
  if (!crops.empty()) out["crops"] = std::move(crops);
  if (!path.empty()) out["path"] = std::move(path);
}

nlohmann::json config_as_json(const turnpoint::DetectionSet& set) {
  nlohmann::json j = nlohmann::json::parse(set.config_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return set.config_json;  // keep whatever text was stored
  return j;
}

void run_show(const ShowArgs& args) {
  const turnpoint::DetectionSet set = turnpoint::read_detections(args.input);
  if (!args.series.empty()) {
    std::size_t matching = 0;
    for (const auto& id : set.series_id) matching += series_matches(id, args.series);
    if (matching == 0) {
      std::string some;
      for (std::size_t i = 0; i < set.series_id.size() && i < 5; ++i) some += (i ? ", " : "") + set.series_id[i];
      TURNPOINT_FAIL("{}: no series id contains \"{}\" (ignoring case); {} series, e.g. {}", args.input, args.series,
                     set.series_id.size(), some);
    }
  }
  nlohmann::json rows = nlohmann::json::array();
  std::vector<const turnpoint::TurningPoint*> shown;
  for (const auto& p : set.points) {
    const std::string& id = set.series_id[static_cast<std::size_t>(p.series)];
    if (!series_matches(id, args.series)) continue;
    if (args.limit > 0 && static_cast<long>(shown.size()) >= args.limit) break;
    shown.push_back(&p);
  }
  if (args.json) {
    nlohmann::json out;
    out["file"] = args.input;
    out["input"] = set.input;
    out["units"] = set.units;
    out["backend"] = set.backend;
    out["engine_version"] = set.engine_version;
    out["config"] = config_as_json(set);
    for (const auto* p : shown) {
      nlohmann::json r;
      r["series_id"] = set.series_id[static_cast<std::size_t>(p->series)];
      r["series"] = p->series;
      r["date"] = turnpoint::format_time(p->day, set.frequency);
      r["index"] = p->index;
      r["kind"] = turnpoint::to_string(p->kind);
      r["shape"] = turnpoint::to_string(p->shape);
      r["confidence"] = std::isnan(p->confidence) ? nlohmann::json() : nlohmann::json(p->confidence);
      r["interval"] = p->ci_lo < 0 ? nlohmann::json()
                                   : nlohmann::json::array({date_at(set, p->ci_lo), date_at(set, p->ci_hi)});
      r["gain"] = p->gain;
      r["step"] = std::isnan(p->step) ? nlohmann::json() : nlohmann::json(p->step);
      r["step_z"] = std::isnan(p->step_z) ? nlohmann::json() : nlohmann::json(p->step_z);
      r["rank"] = p->rank;
      rows.push_back(std::move(r));
    }
    out["frequency"] = turnpoint::to_string(set.frequency);
    out["points"] = std::move(rows);
    add_paths_json(set, args.series, out);
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("# {}: {} turning points in {} series ({}, engine {})\n", args.input, set.points.size(),
             set.series_id.size(), how_detected(set), set.engine_version);
  if (shown.empty())
    fmt::print("# no turning points{}\n", args.series.empty() ? std::string() : fmt::format(" in the series matching \"{}\"", args.series));
  fmt::print("{:<32} {:<10} {:>6} {:<12} {:>10} {:<23} {:>12} {:>8} {:>4}\n", "series_id", "date",
             "index", "kind", "confidence", "interval", "gain", "step", "rank");
  for (const auto* p : shown) {
    const std::string conf = std::isnan(p->confidence) ? "-" : fmt::format("{:.3f}", p->confidence);
    const std::string interval =
        p->ci_lo < 0 ? "-" : fmt::format("{}..{}", date_at(set, p->ci_lo), date_at(set, p->ci_hi));
    const std::string step = std::isnan(p->step) ? "-" : fmt::format("{:+.1f}%", 100.0 * p->step);
    fmt::print("{:<32} {:<10} {:>6} {:<12} {:>10} {:<23} {:>12.6g} {:>8} {:>4}\n",
               set.series_id[static_cast<std::size_t>(p->series)], turnpoint::format_time(p->day, set.frequency),
               p->index, turnpoint::to_string(p->kind), conf, interval, p->gain, step, p->rank);
  }
  print_paths(set, args.series);
}

void setup(CLI::App& root) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = root.add_subcommand(
      "show", "Print the turning points of a detections.h5 file (table or JSON)");
  cmd->footer(
      "Prints the turning points of a detections.h5 file: a table (series_id, date, index, "
      "kind, confidence, interval, gain, step = relative change of the level, rank) or, with --json, a JSON document that also "
      "carries the full configuration that produced them. Dates are printed at the axis' precision "
      "(2021-03-04, 2021-03, 2021-Q1, 2021, or the step number of an index axis). Files made with "
      "--crops or by segneigh / binseg also get their solution paths: one table per series of the "
      "changes against the penalty range (CROPS) or the number of changes k.");
  cmd->add_option("file", args->input, "detections file (HDF5)")->required();
  cmd->add_flag("--json", args->json, "print JSON instead of a table");
  cmd->add_option("--series", args->series,
                  "only series whose id contains this text (ignoring case); an error when none does");
  cmd->add_option("--limit", args->limit, "print at most N turning points (0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([args] { run_show(*args); });
}

const turnpoint::cli::RegisterCommand registered{setup};

}  // namespace
