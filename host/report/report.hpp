// `turnpoint report` (docs/reports.md): per series, a Markdown report in the seed format
// (Chinese, or English with lang "en"), a JSON record for programs, and an HTML page with
// an SVG chart of the series and its turning points; plus index.html for the panel.
// Only links that pass every check of the join are listed (never a flagged entry).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/catalogue/catalogue.hpp"
#include "host/core/detections.hpp"
#include "host/report/join.hpp"
#include "host/core/panel.hpp"

namespace turnpoint {

struct ReportOptions {
  std::string lang = "zh";    // "zh" or "en"
  std::string analysed_at;    // "YYYY-MM-DD HH:MM:SS"; default: now (UTC)
  JoinOptions join;
  int max_entries = 5;        // per turning point
  int max_points = 0;         // per series, the most important by rank; 0 = all
  // Synthetic data (a generator panel): the titles say so and no real policy is linked.
  // write_reports also sets it when the series file's `source` says "(synthetic)".
  bool synthetic = false;
};

// One series' turning points with their links, the model every writer renders.
struct SeriesReport {
  std::int64_t series = 0;
  std::string series_id, region, sector;
  std::string file_stem;  // file name without extension, e.g. "Gansu_Industry"
  Frequency frequency = Frequency::daily;  // of the axis: dates are printed at its precision
  struct Point {
    const TurningPoint* point = nullptr;
    std::vector<const CatalogueEntry*> entries;  // best first
    std::vector<LinkCheck> checks;               // parallel to entries
  };
  std::vector<Point> points;  // by day
  // Why `points` is empty (none when it is not): what the detection said of the series.
  enum class NoPoints { none, constant, too_short, below_threshold, over_report_limit, unknown };
  NoPoints no_points = NoPoints::none;
};

// One sentence for a report without turning points: why it has none.
std::string no_points_text(SeriesReport::NoPoints why, bool zh);

std::vector<SeriesReport> build_series_reports(const DetectionSet& set, const Catalogue& catalogue,
                                               const ReportOptions& options);

// A safe file name for a series id ("Gansu/Industry" -> "Gansu_Industry").
std::string series_file_stem(const std::string& series_id);

std::string report_markdown(const SeriesReport& r, const ReportOptions& options);
std::string report_json(const SeriesReport& r, const ReportOptions& options);

// What a chart draws: the day axis, the series' row (size time->size()) or nullptr when the
// values are not available (the chart then shows the turning points on an empty time axis
// and `note` says why), and the values' units for the y axis.
struct SeriesChart {
  const std::vector<std::int32_t>* time = nullptr;
  const double* values = nullptr;
  std::string units;
  std::string note;
};

// What the index ranks by: the largest level change among a series' listed turning points,
// weighted by confidence (NaN counts as 1). With the series values, a change is the
// difference of the 28-day means after and before the point divided by the series' mean
// level (so a series that leaves zero does not rank by an infinite ratio); without them, the
// detector's relative step |step|. `at` receives the index into r.points of that turning
// point (-1 when none could be measured).
double largest_change(const SeriesReport& r, const SeriesChart* chart, int* at = nullptr);

// "Nice" axis ticks covering [lo, hi]: steps of 1, 2 or 5 x 10^k, about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);
// A tick value written with as many decimals as the step needs ("0.25", "1.5", "20").
std::string tick_label(double value, double step);

std::string report_html(const SeriesReport& r, const SeriesChart& chart, const ReportOptions& options);
// The index: every series ranked by largest_change, each with a small chart of its values,
// turning points and linked entries, and filters by province, sector and kind (a few lines
// of inline script; the page works from file:// without a server).
std::string report_index_html(const std::vector<SeriesReport>& reports, const std::vector<SeriesChart>& charts,
                              const std::string& input, const ReportOptions& options);

struct ReportSummary {
  int series = 0, points = 0, links = 0;
  bool plotted = false;
  std::string plot_note;  // why the charts carry no series values, if they do not
};

// Writes DIR/<stem>.md, DIR/<stem>.json, DIR/<stem>.html and DIR/index.html, each
// atomically. The series values for the charts come from set.input (read_series) when
// it is readable and matches the detections.
ReportSummary write_reports(const DetectionSet& set, const Catalogue& catalogue,
                            const std::string& dir, const ReportOptions& options);

}  // namespace turnpoint
