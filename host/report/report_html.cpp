// HTML pages: one per series with an inline SVG chart (the series, its turning points
// marked by kind and confidence, linked entries labelled) and an index for the panel.
// The markup is well-formed XML (every element closed) so tests can parse it.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"
#include "host/report/report.hpp"

namespace turnpoint {
namespace {

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string shorten(const std::string& s, std::size_t max_chars) {
  std::u32string u = text::to_u32(s);
  if (u.size() <= max_chars) return s;
  return text::to_utf8(u.substr(0, max_chars)) + "…";
}

const char* kind_class(TurnKind k) {
  return k == TurnKind::event ? "event" : k == TurnKind::seasonal ? "seasonal" : "unclassified";
}

const char* kStyle = R"(body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}.note{color:#a33}.meta{color:#555}
svg .series{fill:none;stroke:#444;stroke-width:1}svg .axis{stroke:#888;stroke-width:1}
svg .grid{stroke:#e6e6e6;stroke-width:1}svg text{font-size:11px;fill:#333}
svg .tp-event line{stroke:#d62728}svg .tp-seasonal line{stroke:#1f77b4;stroke-dasharray:5 3}
svg .tp-unclassified line{stroke:#7f7f7f}svg .tp-event circle{fill:#d62728}
svg .tp-seasonal circle{fill:#1f77b4}svg .tp-unclassified circle{fill:#7f7f7f}
svg .label{font-size:10px}.legend span{margin-right:16px}
.k-event{color:#d62728}.k-seasonal{color:#1f77b4}
)";

std::string page_title(const SeriesReport& r, bool zh) {
  const std::string sector = canonical_sector(r.sector).value_or(r.sector);
  return zh ? fmt::format("{} {}部门 碳排放转折点", province_full_chinese(r.region), sector_chinese(sector))
            : fmt::format("{} {}: emission turning points", r.region, sector);
}

// Everything up to the page's heading; the series pages and the index share it.
std::string page_head(bool zh, const std::string& title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
      zh ? "zh" : "en", esc(title), kStyle, esc(title));
}

// ---- the chart ----------------------------------------------------------------------------

// Plot area and scales of the chart. Days run over the series' axis widened to every turning
// point (a point may lie outside the plotted values); values over the finite values padded
// by 5 %, or 0..1 when there is nothing to plot.
struct Chart {
  static constexpr double W = 960, H = 400, L = 64, R = 16, T = 80, B = 40;
  static constexpr double pw = W - L - R, ph = H - T - B;
  std::int32_t t0 = 0, t1 = 1;
  double lo = 0, hi = 1;
  bool have_values = false;
  double x_of(double day) const { return L + (day - t0) / double(t1 - t0) * pw; }
  double y_of(double v) const { return T + (hi - v) / (hi - lo) * ph; }
};

Chart chart_scales(const SeriesReport& r, const std::vector<std::int32_t>& time, const double* values) {
  Chart c;
  c.t0 = time.empty() ? 0 : time.front();
  c.t1 = time.empty() ? 1 : time.back();
  for (const auto& p : r.points) c.t0 = std::min(c.t0, p.point->day), c.t1 = std::max(c.t1, p.point->day);
  if (c.t1 <= c.t0) c.t1 = c.t0 + 1;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  if (values)
    for (std::size_t i = 0; i < time.size(); ++i)
      if (std::isfinite(values[i])) lo = std::min(lo, values[i]), hi = std::max(hi, values[i]);
  c.have_values = values && std::isfinite(lo);
  if (!c.have_values) lo = 0, hi = 1;
  if (hi <= lo) hi = lo + 1;
  const double pad = 0.05 * (hi - lo);
  c.lo = lo - pad, c.hi = hi + pad;
  return c;
}

// Axes, the yearly grid with its labels, and the value ticks.
std::string svg_axes(const Chart& c) {
  const double L = Chart::L, T = Chart::T, pw = Chart::pw, ph = Chart::ph;
  std::string svg = fmt::format("<g class=\"axes\">\n<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n"
                                "<line class=\"axis\" x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\"/>\n",
                                L, T + ph, L + pw, T);
  const cal::Civil c0 = cal::civil_from_days(c.t0), c1 = cal::civil_from_days(c.t1);
  for (int y = c0.year + (c0.month > 1 || c0.day > 1 ? 1 : 0); y <= c1.year; ++y) {
    const double x = c.x_of(cal::days_from_civil(y, 1, 1));
    svg += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>"
                       "<text class=\"year\" x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       x, T, T + ph, T + ph + 16, y);
  }
  if (c.have_values)
    for (int k = 0; k <= 4; ++k) {
      const double v = c.lo + (c.hi - c.lo) * k / 4.0;
      svg += fmt::format("<text class=\"ytick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.3g}</text>\n",
                         L - 6, c.y_of(v) + 4, v);
    }
  svg += "</g>\n";
  return svg;
}

// The series as one path, broken at missing days; without values, a note in its place.
std::string svg_series(const Chart& c, const std::vector<std::int32_t>& time, const double* values, bool zh) {
  if (!c.have_values)
    return fmt::format("<text class=\"novalues\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                       Chart::L + Chart::pw / 2, Chart::T + Chart::ph / 2,
                       esc(zh ? "无序列数值：仅显示转折点" : "series values not available: turning points only"));
  std::string d;
  bool pen = false;
  for (std::size_t i = 0; i < time.size(); ++i) {
    if (!std::isfinite(values[i])) { pen = false; continue; }
    d += fmt::format("{}{:.1f} {:.1f} ", pen ? "L" : "M", c.x_of(time[i]), c.y_of(values[i]));
    pen = true;
  }
  return fmt::format("<path class=\"series\" d=\"{}\"/>\n", text::trim(d));
}

// Tooltip of a turning point: its date, kind and confidence, then every linked entry.
std::string point_tooltip(const SeriesReport::Point& p, const std::string& day) {
  const TurningPoint& tp = *p.point;
  std::string tip = fmt::format("{} ({}){}", day, kind_class(tp.kind),
                                std::isnan(tp.confidence) ? std::string() : fmt::format(" {:.2f}", tp.confidence));
  for (std::size_t k = 0; k < p.entries.size(); ++k)
    tip += fmt::format("\n{}. {} ({})", k + 1, p.entries[k]->title, p.entries[k]->date.to_string());
  return tip;
}

// Label of a turning point: the date, the number of linked entries and the top one.
std::string point_label(const SeriesReport::Point& p, const std::string& day) {
  return p.entries.empty() ? day
                           : fmt::format("{} [{}] {}", day, p.entries.size(), shorten(p.entries.front()->title, 8));
}

// Width of a label in pixels, estimated per character (CJK characters are wider).
double label_width(const std::string& s) {
  double w = 0;
  for (char32_t ch : text::to_u32(s)) w += ch < 0x2E80 ? 6.0 : 10.5;
  return w;
}

struct PlacedLabel {
  std::string text;
  double x = 0;  // centre, kept inside the plot area
  int row = 0;   // 0 = top
};

// The four label rows above the plot. A label goes to the first row where it does not
// overlap a neighbour; a label that fits nowhere is cut to the date, and if even the date
// fits nowhere it overlaps in the last row rather than being dropped.
class LabelRows {
 public:
  PlacedLabel place(double x, std::string label, const std::string& day) {
    int row = -1;
    for (int attempt = 0; attempt < 2 && row < 0; ++attempt) {
      const double w = label_width(label);
      const double lx = centre(x, w);
      for (int k = 0; k < 4; ++k)
        if (lx - w / 2 > row_end_[k] + 4) { row = k; row_end_[k] = lx + w / 2; break; }
      if (row < 0) label = day;
    }
    const double lx = centre(x, label_width(label));
    return {std::move(label), lx, row < 0 ? 3 : row};
  }

 private:
  static double centre(double x, double w) { return std::clamp(x, Chart::L + w / 2, Chart::L + Chart::pw - w / 2); }
  std::array<double, 4> row_end_{-1e9, -1e9, -1e9, -1e9};
};

// One turning point: a vertical line (colour = kind, width/opacity = confidence), a dot and
// its label.
std::string svg_point(const Chart& c, const SeriesReport::Point& p, LabelRows& rows) {
  const TurningPoint& tp = *p.point;
  const double conf = std::isnan(tp.confidence) ? 0.5 : std::clamp(tp.confidence, 0.0, 1.0);
  const double x = c.x_of(tp.day);
  const std::string day = cal::format_day(tp.day);
  const PlacedLabel label = rows.place(x, point_label(p, day), day);
  const double T = Chart::T;
  return fmt::format(
      "<g class=\"tp tp-{}\" data-day=\"{}\" data-confidence=\"{}\" data-entries=\"{}\">"
      "<title>{}</title>"
      "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke-width=\"{:.2f}\" stroke-opacity=\"{:.2f}\"/>"
      "<circle cx=\"{:.1f}\" cy=\"{}\" r=\"{:.1f}\"/>"
      "<text class=\"label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
      kind_class(tp.kind), day, std::isnan(tp.confidence) ? std::string("") : fmt::format("{:.2f}", tp.confidence),
      p.entries.size(), esc(point_tooltip(p, day)), x, T - 4, x, T + Chart::ph, 1.0 + 2.0 * conf,
      0.35 + 0.65 * conf, x, T - 4, 2.5 + 2.5 * conf, label.x, 14 + 15 * label.row, esc(label.text));
}

std::string chart_svg(const Chart& c, const SeriesReport& r, const std::vector<std::int32_t>& time,
                      const double* values, const std::string& title, bool zh) {
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\">\n",
      Chart::W, Chart::H, esc(title));
  svg += svg_axes(c);
  svg += svg_series(c, time, values, zh);
  LabelRows rows;
  for (const auto& p : r.points) svg += svg_point(c, p, rows);
  svg += "</svg>";
  return svg;
}

// ---- the page around it -------------------------------------------------------------------

// The line under the heading (series, analysis time, number of points) and the legend.
std::string page_meta(const SeriesReport& r, const ReportOptions& o, bool zh) {
  std::string html = fmt::format("<p class=\"meta\">{} {} · {} {} · {}</p>\n", zh ? "序列" : "Series", esc(r.series_id),
                                 zh ? "分析时间" : "Analysed", esc(o.analysed_at),
                                 zh ? fmt::format("共 {} 个转折点", r.points.size()) : fmt::format("{} turning points", r.points.size()));
  html += fmt::format("<p class=\"legend\"><span class=\"k-event\">━ {}</span><span class=\"k-seasonal\">┅ {}</span>"
                      "<span>{}</span></p>\n",
                      zh ? "事件型 (Event)" : "event", zh ? "季节型 (Seasonal)" : "seasonal",
                      zh ? "线宽与不透明度表示置信度" : "line width and opacity show the confidence");
  return html;
}

// The linked policies and events of one turning point as a numbered list, with links where
// an entry has a URL.
std::string policy_links(const SeriesReport::Point& p, bool zh) {
  std::string items;
  for (std::size_t k = 0; k < p.entries.size(); ++k) {
    const CatalogueEntry& e = *p.entries[k];
    const std::string name = e.url.empty() ? esc(e.title)
                                           : fmt::format("<a href=\"{}\">{}</a>", esc(e.url), esc(e.title));
    items += fmt::format("<li>{} ({}{})</li>", name, esc(e.date.to_string()),
                         e.issuer.empty() ? std::string() : ", " + esc(e.issuer));
  }
  return items.empty() ? (zh ? "未找到相关政策或事件。" : "No related policy or event found.")
                       : "<ol>" + items + "</ol>";
}

// The turning-point table: day, kind, confidence and the linked entries, one row per point.
std::string points_table(const SeriesReport& r, bool zh) {
  std::string html = fmt::format(
      "<table class=\"points\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
      zh ? "转折点" : "Turning point", zh ? "类型" : "Kind", zh ? "置信度" : "Confidence",
      zh ? "相关政策与事件" : "Linked policies and events");
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    html += fmt::format("<tr class=\"tp-row\"><td>{}</td><td class=\"k-{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
                        cal::format_day(tp.day), kind_class(tp.kind), kind_class(tp.kind),
                        std::isnan(tp.confidence) ? std::string("n/a") : fmt::format("{:.2f}", tp.confidence),
                        policy_links(p, zh));
  }
  html += "</tbody>\n</table>\n";
  return html;
}

// Links to the index and to this series' other formats, and the end of the page.
std::string page_foot(const SeriesReport& r, bool zh) {
  return fmt::format("<p><a href=\"index.html\">{}</a> · <a href=\"{}.md\">Markdown</a> · "
                     "<a href=\"{}.json\">JSON</a></p>\n</body>\n</html>\n",
                     zh ? "全部序列" : "All series", esc(r.file_stem), esc(r.file_stem));
}

}  // namespace

std::string report_html(const SeriesReport& r, const std::vector<std::int32_t>& time,
                        const double* values, const std::string& values_note,
                        const ReportOptions& o) {
  const bool zh = o.lang != "en";
  const std::string title = page_title(r, zh);
  const Chart chart = chart_scales(r, time, values);
  std::string html = page_head(zh, title);
  html += page_meta(r, o, zh);
  html += "<figure>\n" + chart_svg(chart, r, time, values, title, zh) + "\n</figure>\n";
  if (!chart.have_values)
    html += fmt::format("<p class=\"note\">{}: {}</p>\n", zh ? "未绘制序列" : "No series plotted", esc(values_note));
  html += points_table(r, zh);
  html += page_foot(r, zh);
  return html;
}
std::string report_index_html(const std::vector<SeriesReport>& reports, const std::string& input,
                              const ReportOptions& o) {
  const bool zh = o.lang != "en";
  const std::string title = zh ? "碳排放转折点报告" : "Emission turning point reports";
  std::string html = page_head(zh, title);
  html += fmt::format("<p class=\"meta\">{} · {} {}</p>\n", esc(input), zh ? "分析时间" : "Analysed", esc(o.analysed_at));
  html += fmt::format("<table class=\"index\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                      zh ? "序列" : "Series", zh ? "地区" : "Region", zh ? "部门" : "Sector",
                      zh ? "转折点" : "Turning points", zh ? "有关联的转折点" : "Linked");
  for (const SeriesReport& r : reports) {
    std::size_t linked = 0;
    for (const auto& p : r.points) linked += !p.entries.empty();
    html += fmt::format("<tr class=\"series-row\"><td><a href=\"{0}.html\">{1}</a></td><td>{2}</td><td>{3}</td>"
                        "<td>{4}</td><td>{5}</td></tr>\n",
                        esc(r.file_stem), esc(r.series_id), esc(r.region), esc(r.sector), r.points.size(), linked);
  }
  html += "</tbody>\n</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace turnpoint
