#include "host/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/core/dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/io/series_io.hpp"

namespace turnpoint {

std::string series_file_stem(const std::string& id) {
  std::string out;
  for (char c : id) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
    out.push_back(safe ? c : '_');
  }
  if (out.empty() || out[0] == '.') out.insert(out.begin(), '_');
  return out;
}

namespace {

// From the detection's per-series summary: constant, too short, or nothing reported.
SeriesReport::NoPoints why_no_points(const DetectionSet& set, std::int64_t series) {
  using N = SeriesReport::NoPoints;
  const auto s = static_cast<std::size_t>(series);
  if (s >= set.summary.size()) return N::unknown;
  const SeriesSummary& sm = set.summary[s];
  if (sm.status == SeriesStatus::constant) return N::constant;
  if (sm.status == SeriesStatus::empty) return N::too_short;
  return sm.n_changes > 0 ? N::over_report_limit : N::below_threshold;
}

}  // namespace

std::vector<SeriesReport> build_series_reports(const DetectionSet& set, const Catalogue& cat,
                                               const ReportOptions& options) {
  JoinOptions jo = options.join;
  jo.max_matches = options.max_entries;
  const auto joined = join(set, cat, jo);
  std::vector<SeriesReport> out(set.region.size());
  std::vector<std::string> stems;
  for (std::size_t s = 0; s < out.size(); ++s) {
    SeriesReport& r = out[s];
    r.series = static_cast<std::int64_t>(s);
    r.frequency = set.frequency;
    r.series_id = s < set.series_id.size() ? set.series_id[s] : set.region[s] + "/" + set.sector[s];
    r.region = set.region[s];
    r.sector = set.sector[s];
    r.file_stem = series_file_stem(r.series_id);
    // Two ids that sanitise alike get the row number appended.
    if (std::find(stems.begin(), stems.end(), r.file_stem) != stems.end()) r.file_stem += fmt::format("_{}", s);
    stems.push_back(r.file_stem);
  }
  for (const PointMatches& pm : joined) {
    const TurningPoint& tp = set.points[pm.point];
    TURNPOINT_EXPECTS(tp.series >= 0 && std::size_t(tp.series) < out.size(),
                      "{}: turning point {} names series {} of {}", set.input, pm.point, tp.series, out.size());
    if (options.max_points > 0 && (tp.rank <= 0 || tp.rank > options.max_points)) continue;
    SeriesReport::Point p;
    p.point = &tp;
    for (const Match& m : pm.matches) {
      if (!m.check.ok()) continue;  // never list a flagged entry
      p.entries.push_back(&cat.entries[m.entry]);
      p.checks.push_back(m.check);
    }
    out[tp.series].points.push_back(std::move(p));
  }
  for (auto& r : out) {
    std::stable_sort(r.points.begin(), r.points.end(),
                     [](const auto& a, const auto& b) { return a.point->day < b.point->day; });
    if (r.points.empty()) r.no_points = why_no_points(set, r.series);
  }
  return out;
}

std::string no_points_text(SeriesReport::NoPoints why, bool zh) {
  using N = SeriesReport::NoPoints;
  switch (why) {
    case N::none: return "";
    case N::constant:
      return zh ? "本序列为常数（全为零或同一数值），没有可检测的转折点。"
                : "No turning point: the series is constant (all zero or one value throughout).";
    case N::too_short:
      return zh ? "本序列有效数据太少，无法分析。" : "No turning point: the series has too few valid values to analyse.";
    case N::below_threshold:
      return zh ? "本序列没有达到报告阈值的转折点：其变化都在常规模式与噪声的范围之内。"
                : "No turning point passed the reporting threshold: the series' changes stay within its regular "
                  "pattern and noise.";
    case N::over_report_limit:
      return zh ? "本序列的转折点均不在本报告所选的最重要转折点之内（--max-points）。"
                : "This series' turning points are not among the most important ones this report lists (--max-points).";
    case N::unknown: break;
  }
  return zh ? "未报告转折点。" : "No turning point reported.";
}

std::string report_json(const SeriesReport& r, const ReportOptions& options) {
  nlohmann::ordered_json j;
  j["series"] = r.series;
  j["series_id"] = r.series_id;
  j["region"] = r.region;
  j["sector"] = r.sector;
  j["analysed_at"] = options.analysed_at;
  if (options.synthetic) j["synthetic"] = true;
  if (r.points.empty()) j["no_points"] = no_points_text(r.no_points, false);
  j["n_turning_points"] = r.points.size();
  auto& pts = j["turning_points"] = nlohmann::ordered_json::array();
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    nlohmann::ordered_json o;
    o["day"] = cal::format_day(tp.day);
    if (r.frequency != Frequency::daily) o["time"] = format_time(tp.day, r.frequency);
    o["index"] = tp.index;
    o["kind"] = to_string(tp.kind);
    if (std::isnan(tp.confidence)) o["confidence"] = nullptr;
    else o["confidence"] = tp.confidence;
    o["rank"] = tp.rank;
    o["gain"] = tp.gain;
    if (!std::isnan(tp.step)) o["step"] = tp.step;
    if (tp.ci_lo >= 0 && tp.ci_hi >= 0) o["ci_index"] = {tp.ci_lo, tp.ci_hi};
    auto& es = o["entries"] = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < p.entries.size(); ++k) {
      nlohmann::ordered_json e = to_json(*p.entries[k]);
      const LinkCheck& c = p.checks[k];
      e["rank"] = k + 1;
      e["score"] = std::round(c.score * 1000.0) / 1000.0;
      e["strength"] = std::round(c.strength * 1000.0) / 1000.0;
      e["grade"] = c.grade;
      e["reason"] = options.lang == "en" ? c.reason_en : c.reason_zh;
      e["distance_days"] = c.distance_days;
      e["time_match"] = c.time_match;
      e["region_match"] = c.region_match;
      e["sector_match"] = c.sector_match;
      e["direction_match"] = c.direction_match;
      es.push_back(e);
    }
    pts.push_back(o);
  }
  return j.dump(2) + "\n";
}

ReportSummary write_reports(const DetectionSet& set, const Catalogue& cat_in, const std::string& dir,
                            const ReportOptions& options_in) {
  ReportOptions options = options_in;
  TURNPOINT_EXPECTS(options.lang == "zh" || options.lang == "en", "--lang \"{}\": expected zh or en", options.lang);
  if (options.analysed_at.empty()) options.analysed_at = format_utc("%Y-%m-%d %H:%M:%S");
  ReportSummary summary;
  // The chart values: the detections' input panel, when it can be read and matches.
  Panel panel;
  bool have_panel = false;
  if (set.input.empty()) {
    summary.plot_note = "the detections file names no input series file";
  } else {
    try {
      panel = read_series(set.input);
      if (panel.time != set.time) {
        summary.plot_note = fmt::format("{} has a different day axis than the detections", set.input);
      } else {
        have_panel = true;
        summary.plotted = true;
      }
      // A generator panel: say so, and link no real policy to it.
      if (text::contains(panel.source, "(synthetic)")) options.synthetic = true;
    } catch (const std::exception& e) {
      summary.plot_note = fmt::format("series values not readable ({})", e.what());
    }
  }
  const Catalogue empty;
  const Catalogue& cat = options.synthetic ? empty : cat_in;
  const auto reports = build_series_reports(set, cat, options);
  std::vector<SeriesChart> charts(reports.size());
  const std::string units = !set.units.empty() ? set.units : have_panel ? panel.units : std::string();
  for (std::size_t s = 0; s < reports.size(); ++s) {
    charts[s].time = &set.time;
    charts[s].units = units;
    charts[s].note = summary.plot_note;
    if (!have_panel) continue;
    for (std::int64_t k = 0; k < panel.n_series(); ++k)
      if (panel.series_id[std::size_t(k)] == reports[s].series_id) {
        charts[s].values = panel.row(k);
        break;
      }
    if (!charts[s].values) charts[s].note = fmt::format("series {} not found in {}", reports[s].series_id, set.input);
  }
  std::filesystem::create_directories(dir);
  const std::filesystem::path base(dir);
  // All files of the folder are written, then renamed into place together: a failure or a
  // kill leaves the previous report as it was (docs/reliability.md).
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t s = 0; s < reports.size(); ++s) {
    const SeriesReport& r = reports[s];
    files.emplace_back((base / (r.file_stem + ".md")).string(), report_markdown(r, options));
    files.emplace_back((base / (r.file_stem + ".json")).string(), report_json(r, options));
    files.emplace_back((base / (r.file_stem + ".html")).string(), report_html(r, charts[s], options));
    ++summary.series;
    summary.points += static_cast<int>(r.points.size());
    for (const auto& p : r.points) summary.links += static_cast<int>(p.entries.size());
  }
  files.emplace_back((base / "index.html").string(), report_index_html(reports, charts, set.input, options));
  text::write_files_atomic(files);
  return summary;
}

}  // namespace turnpoint
