// HTML pages: one per series with an inline SVG chart (the series, its turning points
// marked by kind and confidence, linked entries labelled) and an index for the panel.
// The markup is well-formed XML (every element closed) so tests can parse it.
#include <algorithm>
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

}  // namespace

std::string report_html(const SeriesReport& r, const std::vector<std::int32_t>& time,
                        const double* values, const std::string& values_note,
                        const ReportOptions& o) {
  const bool zh = o.lang != "en";
  const std::string sector = canonical_sector(r.sector).value_or(r.sector);
  const std::string title = zh ? fmt::format("{} {}部门 碳排放转折点", province_full_chinese(r.region), sector_chinese(sector))
                               : fmt::format("{} {}: emission turning points", r.region, sector);
  // Chart geometry.
  const double W = 960, H = 400, L = 64, R = 16, T = 80, B = 40;
  const double pw = W - L - R, ph = H - T - B;
  std::int32_t t0 = time.empty() ? 0 : time.front(), t1 = time.empty() ? 1 : time.back();
  for (const auto& p : r.points) t0 = std::min(t0, p.point->day), t1 = std::max(t1, p.point->day);
  if (t1 <= t0) t1 = t0 + 1;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  if (values)
    for (std::size_t i = 0; i < time.size(); ++i)
      if (std::isfinite(values[i])) lo = std::min(lo, values[i]), hi = std::max(hi, values[i]);
  const bool have_values = values && std::isfinite(lo);
  if (!have_values) lo = 0, hi = 1;
  if (hi <= lo) hi = lo + 1;
  const double pad = 0.05 * (hi - lo);
  lo -= pad, hi += pad;
  auto X = [&](double day) { return L + (day - t0) / double(t1 - t0) * pw; };
  auto Y = [&](double v) { return T + (hi - v) / (hi - lo) * ph; };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\">\n",
      W, H, esc(title));
  // Axes, yearly grid and labels, value ticks.
  svg += fmt::format("<g class=\"axes\">\n<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n"
                     "<line class=\"axis\" x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\"/>\n",
                     L, T + ph, L + pw, T);
  const cal::Civil c0 = cal::civil_from_days(t0), c1 = cal::civil_from_days(t1);
  for (int y = c0.year + (c0.month > 1 || c0.day > 1 ? 1 : 0); y <= c1.year; ++y) {
    const double x = X(cal::days_from_civil(y, 1, 1));
    svg += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>"
                       "<text class=\"year\" x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       x, T, T + ph, T + ph + 16, y);
  }
  if (have_values)
    for (int k = 0; k <= 4; ++k) {
      const double v = lo + (hi - lo) * k / 4.0;
      svg += fmt::format("<text class=\"ytick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.3g}</text>\n",
                         L - 6, Y(v) + 4, v);
    }
  svg += "</g>\n";
  // The series: one path, broken at missing days.
  if (have_values) {
    std::string d;
    bool pen = false;
    for (std::size_t i = 0; i < time.size(); ++i) {
      if (!std::isfinite(values[i])) { pen = false; continue; }
      d += fmt::format("{}{:.1f} {:.1f} ", pen ? "L" : "M", X(time[i]), Y(values[i]));
      pen = true;
    }
    svg += fmt::format("<path class=\"series\" d=\"{}\"/>\n", text::trim(d));
  } else {
    svg += fmt::format("<text class=\"novalues\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                       L + pw / 2, T + ph / 2, esc(zh ? "无序列数值：仅显示转折点" : "series values not available: turning points only"));
  }
  // Turning points: a vertical line (colour = kind, width/opacity = confidence), a dot, and
  // a label with the date, the number of linked entries and the top one. Labels go to the
  // first of four rows where they do not overlap a neighbour (widths estimated per
  // character); a label that fits nowhere is cut to the date.
  std::vector<double> row_end(4, -1e9);
  auto width_of = [](const std::string& s) {
    double w = 0;
    for (char32_t c : text::to_u32(s)) w += c < 0x2E80 ? 6.0 : 10.5;
    return w;
  };
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    const double conf = std::isnan(tp.confidence) ? 0.5 : std::clamp(tp.confidence, 0.0, 1.0);
    const double x = X(tp.day);
    const std::string day = cal::format_day(tp.day);
    std::string tip = fmt::format("{} ({}){}", day, kind_class(tp.kind),
                                  std::isnan(tp.confidence) ? std::string() : fmt::format(" {:.2f}", tp.confidence));
    for (std::size_t k = 0; k < p.entries.size(); ++k)
      tip += fmt::format("\n{}. {} ({})", k + 1, p.entries[k]->title, p.entries[k]->date.to_string());
    std::string label = p.entries.empty() ? day
                        : fmt::format("{} [{}] {}", day, p.entries.size(), shorten(p.entries.front()->title, 8));
    int row = -1;
    for (int attempt = 0; attempt < 2 && row < 0; ++attempt) {
      const double w = width_of(label);
      const double lx = std::clamp(x, L + w / 2, L + pw - w / 2);
      for (int k = 0; k < 4; ++k)
        if (lx - w / 2 > row_end[k] + 4) { row = k; row_end[k] = lx + w / 2; break; }
      if (row < 0) label = day;
    }
    const double w = width_of(label);
    const double lx = std::clamp(x, L + w / 2, L + pw - w / 2);
    if (row < 0) row = 3;  // nowhere free: overlap in the last row rather than drop the date
    svg += fmt::format(
        "<g class=\"tp tp-{}\" data-day=\"{}\" data-confidence=\"{}\" data-entries=\"{}\">"
        "<title>{}</title>"
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke-width=\"{:.2f}\" stroke-opacity=\"{:.2f}\"/>"
        "<circle cx=\"{:.1f}\" cy=\"{}\" r=\"{:.1f}\"/>"
        "<text class=\"label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
        kind_class(tp.kind), day, std::isnan(tp.confidence) ? std::string("") : fmt::format("{:.2f}", tp.confidence),
        p.entries.size(), esc(tip), x, T - 4, x, T + ph, 1.0 + 2.0 * conf, 0.35 + 0.65 * conf, x, T - 4,
        2.5 + 2.5 * conf, lx, 14 + 15 * row, esc(label));
  }
  svg += "</svg>";

  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
      zh ? "zh" : "en", esc(title), kStyle, esc(title));
  html += fmt::format("<p class=\"meta\">{} {} · {} {} · {}</p>\n", zh ? "序列" : "Series", esc(r.series_id),
                      zh ? "分析时间" : "Analysed", esc(o.analysed_at),
                      zh ? fmt::format("共 {} 个转折点", r.points.size()) : fmt::format("{} turning points", r.points.size()));
  html += fmt::format("<p class=\"legend\"><span class=\"k-event\">━ {}</span><span class=\"k-seasonal\">┅ {}</span>"
                      "<span>{}</span></p>\n",
                      zh ? "事件型 (Event)" : "event", zh ? "季节型 (Seasonal)" : "seasonal",
                      zh ? "线宽与不透明度表示置信度" : "line width and opacity show the confidence");
  html += "<figure>\n" + svg + "\n</figure>\n";
  if (!have_values)
    html += fmt::format("<p class=\"note\">{}: {}</p>\n", zh ? "未绘制序列" : "No series plotted", esc(values_note));
  html += fmt::format("<table class=\"points\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                      zh ? "转折点" : "Turning point", zh ? "类型" : "Kind", zh ? "置信度" : "Confidence",
                      zh ? "相关政策与事件" : "Linked policies and events");
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    std::string items;
    for (std::size_t k = 0; k < p.entries.size(); ++k) {
      const CatalogueEntry& e = *p.entries[k];
      const std::string name = e.url.empty() ? esc(e.title)
                                             : fmt::format("<a href=\"{}\">{}</a>", esc(e.url), esc(e.title));
      items += fmt::format("<li>{} ({}{})</li>", name, esc(e.date.to_string()),
                           e.issuer.empty() ? std::string() : ", " + esc(e.issuer));
    }
    html += fmt::format("<tr class=\"tp-row\"><td>{}</td><td class=\"k-{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
                        cal::format_day(tp.day), kind_class(tp.kind), kind_class(tp.kind),
                        std::isnan(tp.confidence) ? std::string("n/a") : fmt::format("{:.2f}", tp.confidence),
                        items.empty() ? (zh ? "未找到相关政策或事件。" : "No related policy or event found.")
                                      : "<ol>" + items + "</ol>");
  }
  html += fmt::format("</tbody>\n</table>\n<p><a href=\"index.html\">{}</a> · <a href=\"{}.md\">Markdown</a> · "
                      "<a href=\"{}.json\">JSON</a></p>\n</body>\n</html>\n",
                      zh ? "全部序列" : "All series", esc(r.file_stem), esc(r.file_stem));
  return html;
}

std::string report_index_html(const std::vector<SeriesReport>& reports, const std::string& input,
                              const ReportOptions& o) {
  const bool zh = o.lang != "en";
  const std::string title = zh ? "碳排放转折点报告" : "Emission turning point reports";
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{} · {} {}</p>\n",
      zh ? "zh" : "en", esc(title), kStyle, esc(title), esc(input), zh ? "分析时间" : "Analysed", esc(o.analysed_at));
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
