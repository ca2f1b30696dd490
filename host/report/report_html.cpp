// HTML pages: one per series with an inline SVG chart (the series, its turning points
// marked by kind and confidence, the linked entries marked on the time axis) and an index
// that ranks the series by what changed most, with a small chart per series and filters.
// The markup is well-formed XML (every element closed) so tests can parse it.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"
#include "host/report/report.hpp"
#include "host/report/report_text.hpp"

namespace turnpoint {
namespace {

using report_text::has_cjk;
using report_text::url_host;

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

std::string entry_title(const CatalogueEntry& e, bool zh) { return zh || e.title_en.empty() ? e.title : e.title_en; }

std::string grade_text(const std::string& g, bool zh) { return zh ? report_text::grade_zh(g) : g; }

std::string pct(double step) { return fmt::format("{:+.0f}%", 100.0 * step); }

const char* kStyle = R"(body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}.note{color:#a33}.meta{color:#555}
svg .series{fill:none;stroke:#444;stroke-width:1}svg .axis{stroke:#888;stroke-width:1}
svg .grid{stroke:#e6e6e6;stroke-width:1}svg text{font-size:11px;fill:#333}
svg .tp-event line{stroke:#d62728}svg .tp-seasonal line{stroke:#1f77b4;stroke-dasharray:5 3}
svg .tp-unclassified line{stroke:#7f7f7f}svg .tp-event circle{fill:#d62728}
svg .tp-seasonal circle{fill:#1f77b4}svg .tp-unclassified circle{fill:#7f7f7f}
svg .label{font-size:10px}.legend span{margin-right:16px}
svg .entry-mark path{stroke:none}svg .dir-down path{fill:#2b8cbe}svg .dir-up path{fill:#e6550d}
svg .dir-none path{fill:#777}svg .ytitle{font-size:11px;fill:#555}
.k-event{color:#d62728}.k-seasonal{color:#1f77b4}.g-strong{color:#1a7f37;font-weight:bold}
.g-moderate{color:#9a6700}.g-weak{color:#888}.reason{color:#555;font-size:12px}
.filters{margin:8px 0 12px 0}.filters label{margin-right:14px}.change-down{color:#2b8cbe}.change-up{color:#e6550d}
td.chart{padding:0}
)";

struct Geom {
  double W, H, L, R, T, B;
};

const std::vector<std::int32_t>& chart_days(const SeriesChart& chart) {
  static const std::vector<std::int32_t> none;
  return chart.time ? *chart.time : none;
}

// Where a chart draws: the plot area inside the margins, the day range (the axis, widened to
// every turning point) and the value range (nice ticks over the finite values, or 0..1).
struct ChartFrame {
  Geom g;
  double pw = 0, ph = 0;  // plot width and height
  std::int32_t t0 = 0, t1 = 1;
  double lo = 0, hi = 1;
  std::vector<double> ticks;  // empty without values
  bool have_values = false;
  double x(double day) const { return g.L + (day - t0) / double(t1 - t0) * pw; }
  double y(double v) const { return g.T + (hi - v) / (hi - lo) * ph; }
};

ChartFrame chart_frame(const SeriesReport& r, const SeriesChart& chart, const Geom& g, bool detailed) {
  const std::vector<std::int32_t>& time = chart_days(chart);
  const double* values = chart.values;
  ChartFrame f;
  f.g = g;
  f.pw = g.W - g.L - g.R, f.ph = g.H - g.T - g.B;
  std::int32_t t0 = time.empty() ? 0 : time.front(), t1 = time.empty() ? 1 : time.back();
  if (time.empty() && !r.points.empty()) t0 = t1 = r.points.front().point->day;
  for (const auto& p : r.points) t0 = std::min(t0, p.point->day), t1 = std::max(t1, p.point->day);
  if (t1 <= t0) t1 = t0 + 1;
  f.t0 = t0, f.t1 = t1;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  if (values)
    for (std::size_t i = 0; i < time.size(); ++i)
      if (std::isfinite(values[i])) lo = std::min(lo, values[i]), hi = std::max(hi, values[i]);
  f.have_values = values && std::isfinite(lo);
  if (f.have_values) {
    f.ticks = nice_ticks(lo, hi, detailed ? 5 : 3);
    lo = f.ticks.front(), hi = f.ticks.back();
  } else {
    lo = 0, hi = 1;
  }
  if (hi <= lo) hi = lo + 1;
  f.lo = lo, f.hi = hi;
  return f;
}

std::string svg_open(const Geom& g, const std::string& aria) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\">\n",
      g.W, g.H, esc(aria));
}

// The axes, a grid line on every 1 January (labelled with the year when `detailed`) and,
// detailed with values, the y ticks and the y-axis title (the units).
std::string chart_axes(const ChartFrame& f, const SeriesChart& chart, bool zh, bool detailed) {
  const Geom& g = f.g;
  std::string svg = fmt::format("<g class=\"axes\">\n<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n"
                                "<line class=\"axis\" x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\"/>\n",
                                g.L, g.T + f.ph, g.L + f.pw, g.T);
  const cal::Civil c0 = cal::civil_from_days(f.t0), c1 = cal::civil_from_days(f.t1);
  for (int y = c0.year + (c0.month > 1 || c0.day > 1 ? 1 : 0); y <= c1.year; ++y) {
    const double x = f.x(cal::days_from_civil(y, 1, 1));
    svg += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>", x, g.T, g.T + f.ph);
    if (detailed)
      svg += fmt::format("<text class=\"year\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", x, g.T + f.ph + 26, y);
    svg += "\n";
  }
  if (f.have_values && detailed) {
    const double step = f.ticks.size() > 1 ? f.ticks[1] - f.ticks[0] : 1.0;
    for (double v : f.ticks)
      svg += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\"/>"
                         "<text class=\"ytick\" x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                         g.L, f.y(v), g.L + f.pw, g.L - 6, f.y(v) + 4, tick_label(v, step));
    const std::string ytitle = chart.units.empty() ? (zh ? "数值" : "value") : chart.units;
    svg += fmt::format("<text class=\"ytitle\" x=\"{0}\" y=\"{1:.1f}\" text-anchor=\"middle\" "
                       "transform=\"rotate(-90 {0} {1:.1f})\">{2}</text>\n",
                       14, g.T + f.ph / 2, esc(ytitle));
  }
  return svg + "</g>\n";
}

// The path's points: weekly means (small charts stay small) or every day, the pen lifted
// over missing days.
std::string series_path_data(const ChartFrame& f, const SeriesChart& chart, bool weekly) {
  const std::vector<std::int32_t>& time = chart_days(chart);
  const double* values = chart.values;
  std::string d;
  bool pen = false;
  if (weekly) {
    for (std::size_t i = 0; i < time.size(); i += 7) {
      double sum = 0;
      int n = 0;
      for (std::size_t j = i; j < std::min(time.size(), i + 7); ++j)
        if (std::isfinite(values[j])) sum += values[j], ++n;
      if (n == 0) { pen = false; continue; }
      d += fmt::format("{}{:.1f} {:.1f} ", pen ? "L" : "M", f.x(time[i] + 3), f.y(sum / n));
      pen = true;
    }
  } else {
    for (std::size_t i = 0; i < time.size(); ++i) {
      if (!std::isfinite(values[i])) { pen = false; continue; }
      d += fmt::format("{}{:.1f} {:.1f} ", pen ? "L" : "M", f.x(time[i]), f.y(values[i]));
      pen = true;
    }
  }
  return d;
}

// The series, or (detailed, without values) a note that only the turning points are drawn.
std::string chart_series(const ChartFrame& f, const SeriesChart& chart, bool zh, bool detailed) {
  if (f.have_values)
    return fmt::format("<path class=\"series\" d=\"{}\"/>\n", text::trim(series_path_data(f, chart, !detailed)));
  if (!detailed) return "";
  return fmt::format("<text class=\"novalues\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                     f.g.L + f.pw / 2, f.g.T + f.ph / 2,
                     esc(zh ? "无序列数值：仅显示转折点" : "series values not available: turning points only"));
}

// Linked entries under the time axis: a small triangle at the day each took effect,
// coloured by the expected direction (blue: drop, orange: rise, grey: not stated).
std::string chart_entry_marks(const SeriesReport& r, const ChartFrame& f, bool zh, bool detailed) {
  std::map<const CatalogueEntry*, std::string> entry_tip;
  std::vector<const CatalogueEntry*> entries;  // each once, in order of first link
  for (const auto& p : r.points)
    for (std::size_t k = 0; k < p.entries.size(); ++k) {
      const CatalogueEntry* e = p.entries[k];
      if (!entry_tip.count(e)) {
        entries.push_back(e);
        entry_tip[e] = fmt::format("{} ({}): {}", entry_title(*e, zh), e->date.to_string(),
                                   zh ? p.checks[k].reason_zh : p.checks[k].reason_en);
      }
    }
  std::string svg;
  for (const CatalogueEntry* e : entries) {
    const std::int32_t day = e->date.first_day();
    if (day < f.t0 || day > f.t1) continue;
    const double x = f.x(day), y = f.g.T + f.ph + 2;
    const char* dir = e->direction == Direction::down ? "dir-down" : e->direction == Direction::up ? "dir-up" : "dir-none";
    const double s = detailed ? 5.0 : 3.5;
    svg += fmt::format("<g class=\"entry-mark {}\" data-day=\"{}\" data-id=\"{}\"><title>{}</title>"
                       "<path d=\"M{:.1f} {:.1f} L{:.1f} {:.1f} L{:.1f} {:.1f} Z\"/></g>\n",
                       dir, cal::format_day(day), esc(e->id), esc(entry_tip[e]), x, y, x - s, y + 1.6 * s, x + s,
                       y + 1.6 * s);
  }
  return svg;
}

// A turning point's tooltip: the day, kind, confidence and step, then its linked entries.
std::string point_tip(const SeriesReport::Point& p, Frequency freq, bool zh) {
  const TurningPoint& tp = *p.point;
  std::string tip = fmt::format("{} ({}){}{}", format_time(tp.day, freq), kind_class(tp.kind),
                                std::isnan(tp.confidence) ? std::string() : fmt::format(" {:.2f}", tp.confidence),
                                std::isnan(tp.step) ? std::string() : " " + pct(tp.step));
  for (std::size_t k = 0; k < p.entries.size(); ++k)
    tip += fmt::format("\n{}. {} ({}; {})", k + 1, entry_title(*p.entries[k], zh), p.entries[k]->date.to_string(),
                       zh ? p.checks[k].reason_zh : p.checks[k].reason_en);
  return tip;
}

// Drawn width of a label: CJK characters are wider than Latin ones.
double label_width(const std::string& s) {
  double w = 0;
  for (char32_t c : text::to_u32(s)) w += c < 0x2E80 ? 6.0 : 10.5;
  return w;
}

// A turning point's label on a detailed chart: the date, the number of linked entries and
// the top one, in the first of four rows where it does not overlap a neighbour (`row_end`
// holds where each row's last label ends); the date alone when the full label fits in no
// row, and the last row when not even that fits.
std::string point_label(const SeriesReport::Point& p, Frequency freq, double x, const ChartFrame& f, bool zh,
                        std::vector<double>& row_end) {
  const std::string day = format_time(p.point->day, freq);
  std::string label = p.entries.empty()
                          ? day
                          : fmt::format("{} [{}] {}", day, p.entries.size(),
                                        shorten(entry_title(*p.entries.front(), zh), zh ? 8 : 16));
  int row = -1;
  for (int attempt = 0; attempt < 2 && row < 0; ++attempt) {
    const double w = label_width(label);
    const double lx = std::clamp(x, f.g.L + w / 2, f.g.L + f.pw - w / 2);
    for (int k = 0; k < 4; ++k)
      if (lx - w / 2 > row_end[std::size_t(k)] + 4) { row = k; row_end[std::size_t(k)] = lx + w / 2; break; }
    if (row < 0) label = day;
  }
  const double w = label_width(label);
  const double lx = std::clamp(x, f.g.L + w / 2, f.g.L + f.pw - w / 2);
  if (row < 0) row = 3;
  return fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", lx,
                     14 + 15 * row, esc(label));
}

// Turning points: a vertical line (colour = kind, width/opacity = confidence), a dot,
// and (detailed) a label.
std::string chart_turning_points(const SeriesReport& r, const ChartFrame& f, bool zh, bool detailed) {
  const Geom& g = f.g;
  std::vector<double> row_end(4, -1e9);
  std::string svg;
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    const double conf = std::isnan(tp.confidence) ? 0.5 : std::clamp(tp.confidence, 0.0, 1.0);
    const double x = f.x(tp.day);
    const std::string label_svg = detailed ? point_label(p, r.frequency, x, f, zh, row_end) : std::string();
    svg += fmt::format(
        "<g class=\"tp tp-{}\" data-day=\"{}\" data-confidence=\"{}\" data-entries=\"{}\">"
        "<title>{}</title>"
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke-width=\"{:.2f}\" stroke-opacity=\"{:.2f}\"/>"
        "<circle cx=\"{:.1f}\" cy=\"{}\" r=\"{:.1f}\"/>{}</g>\n",
        kind_class(tp.kind), cal::format_day(tp.day),
        std::isnan(tp.confidence) ? std::string("") : fmt::format("{:.2f}", tp.confidence), p.entries.size(),
        esc(point_tip(p, r.frequency, zh)), x, g.T - 4, x, g.T + f.ph, (detailed ? 1.0 : 0.6) + 2.0 * conf, 0.35 + 0.65 * conf, x,
        g.T - 4, (detailed ? 2.5 : 1.5) + 2.0 * conf, label_svg);
  }
  return svg;
}

// One SVG chart of a series: values (a path broken at missing days, or weekly means when
// not `detailed`), y ticks with the units, yearly grid, turning points, and the linked
// entries marked under the time axis. `detailed` adds labels, tooltips and the y-axis title.
std::string chart_svg(const SeriesReport& r, const SeriesChart& chart, const Geom& g, bool zh, bool detailed,
                      const std::string& aria) {
  const ChartFrame f = chart_frame(r, chart, g, detailed);
  std::string svg = svg_open(g, aria);
  svg += chart_axes(f, chart, zh, detailed);
  svg += chart_series(f, chart, zh, detailed);
  svg += chart_entry_marks(r, f, zh, detailed);
  svg += chart_turning_points(r, f, zh, detailed);
  svg += "</svg>";
  return svg;
}

std::string sector_name(const std::string& sector, bool zh) {
  const std::string s = canonical_sector(sector).value_or(sector);
  return zh ? sector_chinese(s) : s;
}

std::string region_name(const std::string& region, bool zh) { return zh ? province_full_chinese(region) : region; }

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad, hi += pad;
  }
  const double raw = (hi - lo) / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1.0 : norm < 3.5 ? 2.0 : norm < 7.5 ? 5.0 : 10.0) * mag;
  const double first = std::floor(lo / step + 1e-9) * step, last = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> out;
  for (double v = first; v <= last + step * 0.5; v += step) out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  if (out.size() < 2) out.push_back(first + step);
  return out;
}

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", value, std::clamp(decimals, 0, 8));
}

double largest_change(const SeriesReport& r, const SeriesChart* chart, int* at) {
  const bool values = chart && chart->values && chart->time && !chart->time->empty();
  double level = 0;
  if (values) {
    int n = 0;
    for (std::size_t i = 0; i < chart->time->size(); ++i)
      if (std::isfinite(chart->values[i])) level += std::abs(chart->values[i]), ++n;
    level = n ? level / n : 0;
  }
  auto mean = [&](std::int64_t a, std::int64_t b) {  // [a, b) clamped to the axis
    const auto t = static_cast<std::int64_t>(chart->time->size());
    double sum = 0;
    int n = 0;
    for (std::int64_t i = std::max<std::int64_t>(a, 0); i < std::min(b, t); ++i)
      if (std::isfinite(chart->values[i])) sum += chart->values[i], ++n;
    return n ? sum / n : std::nan("");
  };
  double best = -1;
  int where = -1;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const TurningPoint& tp = *r.points[i].point;
    double change = std::nan("");
    if (values && level > 0 && tp.index > 0 && std::size_t(tp.index) < chart->time->size())
      change = std::abs(mean(tp.index, tp.index + 28) - mean(tp.index - 28, tp.index)) / level;
    if (std::isnan(change) && !std::isnan(tp.step)) change = std::abs(tp.step);
    if (std::isnan(change)) continue;
    const double v = change * (std::isnan(tp.confidence) ? 1.0 : tp.confidence);
    if (v > best) best = v, where = static_cast<int>(i);
  }
  if (at) *at = where;
  return where < 0 ? 0.0 : best;
}

std::string report_html(const SeriesReport& r, const SeriesChart& chart, const ReportOptions& o) {
  const bool zh = o.lang != "en";
  const std::string syn = o.synthetic ? (zh ? "【合成数据】" : "Synthetic data: ") : "";
  const std::string title = zh ? fmt::format("{}{} {}部门 碳排放转折点", syn, region_name(r.region, true), sector_name(r.sector, true))
                               : fmt::format("{}{} {}: emission turning points", syn, r.region, sector_name(r.sector, false));
  const Geom g{960, 420, 72, 16, 80, 48};
  const std::string svg = chart_svg(r, chart, g, zh, true, title);
  const bool have_values = chart.values && chart.time;

  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
      zh ? "zh" : "en", esc(title), kStyle, esc(title));
  if (o.synthetic)
    html += fmt::format("<p class=\"note\">{}</p>\n", zh ? "本页分析的是合成（模拟）数据，不关联任何真实政策或事件。"
                                                         : "This page analyses synthetic (simulated) data; no real policy or event is linked.");
  html += fmt::format("<p class=\"meta\">{} {} · {} {} · {}{}</p>\n", zh ? "序列" : "Series", esc(r.series_id),
                      zh ? "分析时间" : "Analysed", esc(o.analysed_at),
                      zh ? fmt::format("共 {} 个转折点", r.points.size()) : fmt::format("{} turning points", r.points.size()),
                      chart.units.empty() ? std::string() : fmt::format(" · {} {}", zh ? "单位" : "units", esc(chart.units)));
  html += fmt::format("<p class=\"legend\"><span class=\"k-event\">━ {}</span><span class=\"k-seasonal\">┅ {}</span>"
                      "<span>{}</span><span>▼ {}</span></p>\n",
                      zh ? "事件型" : "event", zh ? "季节型" : "seasonal",
                      zh ? "线宽与不透明度表示置信度" : "line width and opacity show the confidence",
                      zh ? "时间轴下的三角：关联政策/事件的生效日（蓝：预期下降，橙：预期上升）"
                         : "triangles under the time axis: linked entries on the day they took effect (blue: drop expected, orange: rise expected)");
  html += "<figure>\n" + svg + "\n</figure>\n";
  if (r.points.empty()) html += fmt::format("<p class=\"note\">{}</p>\n", esc(no_points_text(r.no_points, zh)));
  if (!have_values)
    html += fmt::format("<p class=\"note\">{}: {}</p>\n", zh ? "未绘制序列" : "No series plotted", esc(chart.note));
  html += fmt::format("<table class=\"points\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                      zh ? "转折点" : "Turning point", zh ? "类型" : "Kind", zh ? "置信度" : "Confidence",
                      zh ? "变化" : "Change", zh ? "相关政策与事件" : "Linked policies and events");
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    std::string items;
    for (std::size_t k = 0; k < p.entries.size(); ++k) {
      const CatalogueEntry& e = *p.entries[k];
      const LinkCheck& c = p.checks[k];
      const std::string t = entry_title(e, zh);
      const std::string name = e.url.empty() ? esc(t) : fmt::format("<a href=\"{}\">{}</a>", esc(e.url), esc(t));
      const std::string issuer = e.issuer.empty() || (!zh && has_cjk(e.issuer)) ? std::string() : ", " + esc(e.issuer);
      const std::string source = e.url.empty() ? std::string() : fmt::format(" · {} {}", zh ? "来源" : "source", esc(url_host(e.url)));
      items += fmt::format("<li>{} ({}{}) <span class=\"g-{}\">[{}]</span><br/><span class=\"reason\">{}{}</span></li>", name,
                           esc(e.date.to_string()), issuer, esc(c.grade), esc(grade_text(c.grade, zh)),
                           esc(zh ? c.reason_zh : c.reason_en), source);
    }
    html += fmt::format("<tr class=\"tp-row\"><td>{}</td><td class=\"k-{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        format_time(tp.day, r.frequency), kind_class(tp.kind), kind_class(tp.kind),
                        std::isnan(tp.confidence) ? std::string("n/a") : fmt::format("{:.2f}", tp.confidence),
                        std::isnan(tp.step) ? std::string("n/a") : pct(tp.step),
                        items.empty() ? (zh ? "未找到相关政策或事件。" : "No related policy or event found.")
                                      : "<ol>" + items + "</ol>");
  }
  html += fmt::format("</tbody>\n</table>\n<p><a href=\"index.html\">{}</a> · <a href=\"{}.md\">Markdown</a> · "
                      "<a href=\"{}.json\">JSON</a></p>\n</body>\n</html>\n",
                      zh ? "全部序列" : "All series", esc(r.file_stem), esc(r.file_stem));
  return html;
}

namespace {

// The units of the first chart that states them ("" when none does).
std::string first_units(const std::vector<SeriesChart>& charts) {
  for (const auto& c : charts)
    if (!c.units.empty()) return c.units;
  return "";
}

// The series in index order: the largest confidence-weighted level change first (ties by
// series id); `change` and `change_at` receive largest_change's value and point per series.
std::vector<std::size_t> rank_by_change(const std::vector<SeriesReport>& reports,
                                        const std::vector<SeriesChart>& charts, std::vector<double>& change,
                                        std::vector<int>& change_at) {
  std::vector<std::size_t> order(reports.size());
  change.assign(reports.size(), 0.0);
  change_at.assign(reports.size(), 0);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    order[i] = i;
    change[i] = largest_change(reports[i], i < charts.size() ? &charts[i] : nullptr, &change_at[i]);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (change[a] != change[b]) return change[a] > change[b];
    return reports[a].series_id < reports[b].series_id;
  });
  return order;
}

// The page head, the title, the input and analysis time, and what the ranking means.
std::string index_head(const std::string& title, const std::string& input, const std::string& units,
                       const ReportOptions& o, bool zh) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{} · {} {}{}</p>\n",
      zh ? "zh" : "en", esc(title), kStyle, esc(title), esc(input), zh ? "分析时间" : "Analysed", esc(o.analysed_at),
      units.empty() ? std::string() : fmt::format(" · {} {}", zh ? "单位" : "units", esc(units)));
  if (o.synthetic)
    html += fmt::format("<p class=\"note\">{}</p>\n", zh ? "本报告分析的是合成（模拟）数据，不关联任何真实政策或事件。"
                                                         : "These reports analyse synthetic (simulated) data; no real policy or event is linked.");
  html += fmt::format("<p class=\"meta\">{}</p>\n",
                      zh ? "按变化幅度排序：各序列转折点前后28天均值之差相对于序列平均水平的最大值（乘以置信度）。图中红线为事件型转折点，蓝色虚线为季节型，时间轴下的三角为关联的政策或事件。"
                         : "Ranked by what changed most: the largest change among a series' turning points (28-day "
                           "means after minus before, relative to the series' mean level), weighted by confidence. Red lines: event turning points; blue dashed: seasonal; triangles "
                           "under the time axis: linked policies and events.");
  return html;
}

// The filters: province, sector, kind, only linked series, and the count shown.
std::string index_filters(const std::vector<SeriesReport>& reports, bool zh) {
  std::set<std::string> regions, sectors;
  for (const auto& r : reports) regions.insert(r.region), sectors.insert(r.sector);
  std::string html = "<form class=\"filters\" id=\"filters\" action=\"#\">\n";
  html += fmt::format("<label>{} <select id=\"f-region\"><option value=\"\">{}</option>", zh ? "省份" : "Province",
                      zh ? "全部" : "all");
  for (const auto& r : regions)
    html += fmt::format("<option value=\"{}\">{}</option>", esc(r), esc(region_name(r, zh)));
  html += "</select></label>\n";
  html += fmt::format("<label>{} <select id=\"f-sector\"><option value=\"\">{}</option>", zh ? "部门" : "Sector",
                      zh ? "全部" : "all");
  for (const auto& s : sectors)
    html += fmt::format("<option value=\"{}\">{}</option>", esc(s), esc(sector_name(s, zh)));
  html += "</select></label>\n";
  html += fmt::format("<label>{} <select id=\"f-kind\"><option value=\"\">{}</option><option value=\"event\">{}</option>"
                      "<option value=\"seasonal\">{}</option><option value=\"unclassified\">{}</option></select></label>\n",
                      zh ? "转折点类型" : "Kind", zh ? "全部" : "all", zh ? "事件型" : "event", zh ? "季节型" : "seasonal",
                      zh ? "未分类" : "unclassified");
  html += fmt::format("<label><input type=\"checkbox\" id=\"f-linked\"/> {}</label>\n",
                      zh ? "仅显示有关联的序列" : "only series with links");
  html += fmt::format("<span id=\"f-count\">{0} / {0}</span>\n</form>\n", reports.size());
  return html;
}

std::string index_table_head(bool zh) {
  return fmt::format("<table class=\"index\">\n<thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
                     "<th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                     zh ? "序列" : "Series", zh ? "地区" : "Province", zh ? "部门" : "Sector",
                     zh ? "图（周均值）" : "Chart (weekly means)", zh ? "转折点" : "Turning points",
                     zh ? "有关联的转折点" : "Linked", zh ? "最大变化" : "Largest change");
}

// The largest change cell: the step of the point that ranked the series, and its day.
std::string change_cell(const SeriesReport& r, int change_at, bool zh) {
  if (change_at < 0) return "–";
  const TurningPoint& tp = *r.points[std::size_t(change_at)].point;
  const std::string step = std::isnan(tp.step) ? std::string("?")
                           : tp.step > 9.99    ? std::string(zh ? "由近零上升" : "rise from near zero")
                                               : pct(tp.step);
  return fmt::format("<span class=\"change-{}\">{}</span> {}", !std::isnan(tp.step) && tp.step < 0 ? "down" : "up",
                     step, cal::format_day(tp.day));
}

// One series' row: its filter attributes (region, sector, kinds, linked, change), its
// link, names, small chart, counts and largest change.
std::string index_row(const SeriesReport& r, const SeriesChart& chart, double change, int change_at, int rank,
                      bool zh) {
  std::size_t linked = 0;
  std::set<std::string> kinds;
  for (const auto& p : r.points) {
    linked += !p.entries.empty();
    kinds.insert(kind_class(p.point->kind));
  }
  std::string kinds_attr;
  for (const auto& k : kinds) kinds_attr += (kinds_attr.empty() ? "" : " ") + k;
  const Geom small{420, 92, 6, 6, 8, 14};
  return fmt::format(
      "<tr class=\"series-row\" data-region=\"{}\" data-sector=\"{}\" data-kinds=\"{}\" data-linked=\"{}\" "
      "data-change=\"{:.4f}\"><td>{}</td><td><a href=\"{}.html\">{}</a></td><td>{}</td><td>{}</td><td class=\"chart\">{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
      esc(r.region), esc(r.sector), esc(kinds_attr), linked > 0 ? 1 : 0, change, rank, esc(r.file_stem),
      esc(r.series_id), esc(region_name(r.region, zh)), esc(sector_name(r.sector, zh)),
      chart_svg(r, chart, small, zh, false, r.series_id), r.points.size(), linked, change_cell(r, change_at, zh));
}

// The filters' script and the end of the page.
const char* kIndexScript = R"(<script>
//<![CDATA[
(function () {
  var region = document.getElementById('f-region'), sector = document.getElementById('f-sector');
  var kind = document.getElementById('f-kind'), linked = document.getElementById('f-linked');
  var count = document.getElementById('f-count'), rows = document.querySelectorAll('tr.series-row');
  function apply() {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = (!region.value || row.getAttribute('data-region') === region.value) &&
               (!sector.value || row.getAttribute('data-sector') === sector.value) &&
               (!kind.value || (' ' + row.getAttribute('data-kinds') + ' ').indexOf(' ' + kind.value + ' ') >= 0) &&
               (!linked.checked || row.getAttribute('data-linked') === '1');
      row.style.display = ok ? '' : 'none';
      if (ok) shown++;
    }
    count.textContent = shown + ' / ' + rows.length;
  }
  region.onchange = sector.onchange = kind.onchange = linked.onchange = apply;
  // Filters can be given in the address: index.html#region=Hubei&sector=Industry&kind=event&linked=1
  var parts = window.location.hash.replace(/^#/, '').split('&');
  for (var j = 0; j < parts.length; j++) {
    var kv = parts[j].split('='), v = decodeURIComponent(kv[1] || '');
    if (kv[0] === 'region') region.value = v;
    if (kv[0] === 'sector') sector.value = v;
    if (kv[0] === 'kind') kind.value = v;
    if (kv[0] === 'linked') linked.checked = v === '1';
  }
  apply();
})();
//]]>
</script>
</body>
</html>
)";

}  // namespace

std::string report_index_html(const std::vector<SeriesReport>& reports, const std::vector<SeriesChart>& charts,
                              const std::string& input, const ReportOptions& o) {
  const bool zh = o.lang != "en";
  const std::string title = std::string(o.synthetic ? (zh ? "【合成数据】" : "Synthetic data: ") : "") +
                            (zh ? "碳排放转折点报告" : "Emission turning point reports");
  std::vector<double> change;
  std::vector<int> change_at;
  const std::vector<std::size_t> order = rank_by_change(reports, charts, change, change_at);
  std::string html = index_head(title, input, first_units(charts), o, zh);
  html += index_filters(reports, zh);
  html += index_table_head(zh);
  int rank = 0;
  for (std::size_t i : order)
    html += index_row(reports[i], i < charts.size() ? charts[i] : SeriesChart{}, change[i], change_at[i], ++rank, zh);
  html += "</tbody>\n</table>\n";
  html += kIndexScript;
  return html;
}

}  // namespace turnpoint
