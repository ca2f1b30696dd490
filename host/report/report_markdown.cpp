// Markdown report in the seed format (../shared/seeds/000-003), in Chinese or English.
// It parses back with the seed importer (tests/report/report_test.cpp checks the round trip).
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"
#include "host/report/report.hpp"
#include "host/report/report_text.hpp"

namespace turnpoint {
namespace {

using report_text::grade_zh;
using report_text::has_cjk;
using report_text::url_host;

std::string kind_label(TurnKind k) {
  return k == TurnKind::event ? "Event" : k == TurnKind::seasonal ? "Seasonal" : "Unclassified";
}

std::string confidence_text(double c) {
  return std::isnan(c) ? std::string("n/a") : fmt::format("{:.2f}", c);
}

std::string date_text(const PolicyDate& d, bool zh) { return zh ? d.to_chinese() : d.to_string(); }

std::string step_text(double step, bool zh) {
  if (std::isnan(step)) return "";
  return zh ? fmt::format(" - 变化: {:+.0f}%", 100.0 * step) : fmt::format(" - change: {:+.0f}%", 100.0 * step);
}

}  // namespace

std::string report_markdown(const SeriesReport& r, const ReportOptions& o) {
  const bool zh = o.lang != "en";
  std::string md;
  const std::string sector = canonical_sector(r.sector).value_or(r.sector);
  if (zh) {
    const std::string sector_zh = sector_chinese(sector);
    md += fmt::format("# {}{} {}部门 碳排放变点相关政策与事件汇总\n\n", o.synthetic ? "【合成数据】" : "",
                      province_full_chinese(r.region), sector_zh.empty() ? sector : sector_zh);
    md += fmt::format("分析时间: {}\n共包含 {} 个重要转折点的相关信息\n\n", o.analysed_at, r.points.size());
    if (o.synthetic) md += "本报告分析的是合成（模拟）数据，不关联任何真实政策或事件。\n\n";
    md += "---\n\n";
  } else {
    md += fmt::format("# {}{} {} sector: policies and events around emission turning points\n\n",
                      o.synthetic ? "Synthetic data: " : "", r.region, sector);
    md += fmt::format("Analysed: {}\nContains {} turning points\n\n", o.analysed_at, r.points.size());
    if (o.synthetic) md += "This report analyses synthetic (simulated) data; no real policy or event is linked.\n\n";
    md += "---\n\n";
  }
  if (r.points.empty()) md += no_points_text(r.no_points, zh) + "\n\n";
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    md += zh ? fmt::format("## 转折点: {} ({}) - 置信度: {}{}\n\n", format_time(tp.day, r.frequency), kind_label(tp.kind),
                           confidence_text(tp.confidence), step_text(tp.step, true))
             : fmt::format("## Turning point: {} ({}) - confidence: {}{}\n\n", format_time(tp.day, r.frequency),
                           kind_label(tp.kind), confidence_text(tp.confidence), step_text(tp.step, false));
    if (p.entries.empty()) md += zh ? "未找到相关政策或事件。\n\n" : "No related policy or event found.\n\n";
    for (std::size_t k = 0; k < p.entries.size(); ++k) {
      const CatalogueEntry& e = *p.entries[k];
      const LinkCheck& c = p.checks[k];
      const bool policy = e.kind == EntryKind::policy;
      const bool announced = e.announced && !(*e.announced == e.date);
      if (zh) {
        md += fmt::format("{}. **{}**：{}\n", k + 1, policy ? "政策名称" : "事件名称", e.title);
        md += fmt::format("**{}**：{}\n", policy ? "实施日期" : "发生时间", date_text(e.date, true));
        if (announced) md += fmt::format("**发布日期**：{}\n", date_text(*e.announced, true));
        if (!e.issuer.empty()) md += fmt::format("**发布机构**：{}\n", e.issuer);
        if (!e.place.empty()) md += fmt::format("**地点**：{}\n", e.place);
        if (!e.summary.empty()) md += fmt::format("**核心内容**：{}\n", e.summary);
        if (!e.targets.empty()) {
          std::string t;
          for (std::size_t i = 0; i < e.targets.size() && i < 3; ++i)
            t += fmt::format("{}到{}年{} {}{}", i ? "；" : "", e.targets[i].year, e.targets[i].metric,
                             e.targets[i].value, e.targets[i].unit);
          md += fmt::format("**目标指标**：{}\n", t);
        }
        md += fmt::format("**关联依据**：{}（关联强度：{}）\n", c.reason_zh, grade_zh(c.grade));
        md += e.url.empty() ? fmt::format("**信息来源网址**：未提供（来源文件 {}）\n\n", e.source.file)
                            : fmt::format("**信息来源网址**：[{}]({})\n\n", url_host(e.url), e.url);
      } else {
        const std::string title = e.title_en.empty() ? e.title : e.title_en;
        md += fmt::format("{}. **{}**: {}\n", k + 1, policy ? "Policy" : "Event", title);
        md += fmt::format("**{}**: {}\n", policy ? "Entry into force" : "Date", date_text(e.date, false));
        if (announced) md += fmt::format("**Announced**: {}\n", date_text(*e.announced, false));
        if (!e.issuer.empty() && !has_cjk(e.issuer)) md += fmt::format("**Issuer**: {}\n", e.issuer);
        if (!e.place.empty() && !has_cjk(e.place)) md += fmt::format("**Place**: {}\n", e.place);
        if (!e.summary.empty() && !has_cjk(e.summary)) md += fmt::format("**Summary**: {}\n", e.summary);
        md += fmt::format("**Why linked**: {} ({} link)\n", c.reason_en, c.grade);
        md += e.url.empty() ? fmt::format("**Source**: none given (imported from {})\n\n", e.source.file)
                            : fmt::format("**Source**: [{}]({})\n\n", url_host(e.url), e.url);
      }
    }
    md += "---\n\n";
  }
  return md;
}

}  // namespace turnpoint
