// Markdown report in the seed format (../shared/seeds/000-003), in Chinese or English.
// It parses back with the seed importer (tests/report/report_test.cpp checks the round trip).
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"
#include "host/report/report.hpp"

namespace turnpoint {
namespace {

std::string kind_label(TurnKind k) {
  return k == TurnKind::event ? "Event" : k == TurnKind::seasonal ? "Seasonal" : "Unclassified";
}

std::string confidence_text(double c) {
  return std::isnan(c) ? std::string("n/a") : fmt::format("{:.2f}", c);
}

std::string url_host(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  return url.substr(start, url.find('/', start) - start);
}

std::string date_text(const PolicyDate& d, bool zh) { return zh ? d.to_chinese() : d.to_string(); }

std::string why_linked(const CatalogueEntry& e, const LinkCheck& c, const SeriesReport& r, bool zh) {
  std::string when;
  const int d = c.distance_days;
  if (zh) {
    when = d == 0 ? "与转折点同期" : d > 0 ? fmt::format("晚于转折点 {} 天", d) : fmt::format("早于转折点 {} 天", -d);
    const std::string where = c.region_match == "national" ? "全国" : province_full_chinese(r.region);
    const std::string what = e.sectors.empty() ? "跨部门" : sector_chinese(canonical_sector(r.sector).value_or(r.sector));
    return fmt::format("{}；地区：{}；部门：{}", when, where, what);
  }
  when = d == 0 ? "at the turning point" : d > 0 ? fmt::format("{} days after the turning point", d)
                                                 : fmt::format("{} days before the turning point", -d);
  const std::string where = c.region_match == "national" ? "national" : r.region;
  const std::string what = e.sectors.empty() ? "economy-wide" : r.sector;
  return fmt::format("{}; region: {}; sector: {}", when, where, what);
}

}  // namespace

std::string report_markdown(const SeriesReport& r, const ReportOptions& o) {
  const bool zh = o.lang != "en";
  std::string md;
  const std::string sector = canonical_sector(r.sector).value_or(r.sector);
  if (zh) {
    const std::string sector_zh = sector_chinese(sector);
    md += fmt::format("# {} {}部门 碳排放变点相关政策与事件汇总\n\n", province_full_chinese(r.region),
                      sector_zh.empty() ? sector : sector_zh);
    md += fmt::format("分析时间: {}\n共包含 {} 个重要转折点的相关信息\n\n---\n\n", o.analysed_at, r.points.size());
  } else {
    md += fmt::format("# {} {} sector: policies and events around emission turning points\n\n", r.region, sector);
    md += fmt::format("Analysed: {}\nContains {} turning points\n\n---\n\n", o.analysed_at, r.points.size());
  }
  for (const auto& p : r.points) {
    const TurningPoint& tp = *p.point;
    md += zh ? fmt::format("## 转折点: {} ({}) - 置信度: {}\n\n", cal::format_day(tp.day), kind_label(tp.kind),
                           confidence_text(tp.confidence))
             : fmt::format("## Turning point: {} ({}) - confidence: {}\n\n", cal::format_day(tp.day),
                           kind_label(tp.kind), confidence_text(tp.confidence));
    if (p.entries.empty()) md += zh ? "未找到相关政策或事件。\n\n" : "No related policy or event found.\n\n";
    for (std::size_t k = 0; k < p.entries.size(); ++k) {
      const CatalogueEntry& e = *p.entries[k];
      const bool policy = e.kind == EntryKind::policy;
      if (zh) {
        md += fmt::format("{}. **{}**：{}\n", k + 1, policy ? "政策名称" : "事件名称", e.title);
        md += fmt::format("**{}**：{}\n", policy ? "发布/实施日期" : "发生时间", date_text(e.date, true));
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
        md += fmt::format("**关联依据**：{}\n", why_linked(e, p.checks[k], r, true));
        md += e.url.empty() ? fmt::format("**信息来源网址**：未提供（来源文件 {}）\n\n", e.source.file)
                            : fmt::format("**信息来源网址**：[{}]({})\n\n", e.issuer.empty() ? url_host(e.url) : e.issuer, e.url);
      } else {
        md += fmt::format("{}. **{}**: {}\n", k + 1, policy ? "Policy" : "Event", e.title);
        md += fmt::format("**{}**: {}\n", policy ? "Issued" : "Date", date_text(e.date, false));
        if (!e.issuer.empty()) md += fmt::format("**Issuer**: {}\n", e.issuer);
        if (!e.place.empty()) md += fmt::format("**Place**: {}\n", e.place);
        if (!e.summary.empty()) md += fmt::format("**Summary**: {}\n", e.summary);
        if (!e.targets.empty()) {
          std::string t;
          for (std::size_t i = 0; i < e.targets.size() && i < 3; ++i)
            t += fmt::format("{}{}: {} {}{}", i ? "; " : "", e.targets[i].year, e.targets[i].metric,
                             e.targets[i].value, e.targets[i].unit);
          md += fmt::format("**Targets**: {}\n", t);
        }
        md += fmt::format("**Why linked**: {}\n", why_linked(e, p.checks[k], r, false));
        md += e.url.empty() ? fmt::format("**Source**: none given (imported from {})\n\n", e.source.file)
                            : fmt::format("**Source**: [{}]({})\n\n", e.issuer.empty() ? url_host(e.url) : e.issuer, e.url);
      }
    }
    md += "---\n\n";
  }
  return md;
}

}  // namespace turnpoint
