#include "host/catalogue/seed_import.hpp"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"

namespace turnpoint {
namespace {

using text::contains;
using text::starts_with;
using text::trim;

// "**label**：value" or "- **label**: value" -> (label, value).
std::optional<std::pair<std::string, std::string>> field_line(const std::string& raw) {
  std::string s = trim(raw);
  if (starts_with(s, "- ")) s = trim(s.substr(2));
  if (!starts_with(s, "**")) return std::nullopt;
  const auto close = s.find("**", 2);
  if (close == std::string::npos) return std::nullopt;
  std::string label = trim(s.substr(2, close - 2));
  std::string rest = trim(s.substr(close + 2));
  // The colon may sit inside the bold span ("**名称：**") or after it.
  for (const char* colon : {"：", ":"}) {
    if (text::ends_with(label, colon)) {
      label = trim(label.substr(0, label.size() - std::string(colon).size()));
      return std::make_pair(label, rest);
    }
    if (starts_with(rest, colon)) return std::make_pair(label, trim(rest.substr(std::string(colon).size())));
  }
  return std::nullopt;
}

// "3. rest" -> (3, rest).
std::optional<std::pair<int, std::string>> numbered_line(const std::string& raw) {
  std::string s = trim(raw);
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i > 3 || i >= s.size() || s[i] != '.') return std::nullopt;
  if (i + 1 < s.size() && s[i + 1] != ' ') return std::nullopt;
  return std::make_pair(std::atoi(s.substr(0, i).c_str()), trim(s.substr(i + 1)));
}

bool is_title_label(const std::string& label) { return contains(label, "名称"); }
bool is_date_label(const std::string& label) {
  return contains(label, "日期") || contains(label, "时间");
}
bool is_issuer_label(const std::string& label) {
  return contains(label, "机构") || contains(label, "部门") || contains(label, "单位");
}
bool is_place_label(const std::string& label) { return label == "地点" || contains(label, "地区"); }
bool is_link_label(const std::string& label) {
  return contains(label, "来源") || contains(label, "网址") || contains(label, "链接") ||
         contains(label, "Source") || contains(label, "URL");
}

void parse_link(const std::string& value, SeedEntry& e, std::vector<std::string>& warnings,
                const std::string& where) {
  const auto lb = value.find('[');
  const auto mid = value.find("](", lb == std::string::npos ? 0 : lb);
  if (lb != std::string::npos && mid != std::string::npos) {
    e.url_text = trim(value.substr(lb + 1, mid - lb - 1));
    const auto close = value.find(')', mid + 2);
    std::string url = close == std::string::npos ? "" : trim(value.substr(mid + 2, close - mid - 2));
    const bool complete = close != std::string::npos && url.size() > 8 &&
                          (starts_with(url, "http://") || starts_with(url, "https://"));
    if (complete) e.url = url;
    else warnings.push_back(fmt::format("{}: entry {} \"{}\": broken or truncated link", where, e.number, e.title));
    return;
  }
  const std::string v = trim(value);
  if (starts_with(v, "http://") || starts_with(v, "https://")) e.url = v;
}

void add_field(SeedEntry& e, const std::string& label, const std::string& value,
               std::vector<std::string>& warnings, const std::string& where) {
  e.fields.emplace_back(label, value);
  if (is_title_label(label) && e.title.empty()) {
    e.title_label = label;
    e.title = value;
  } else if (is_date_label(label) && e.date_text.empty()) {
    e.date_text = value;
    e.date = find_date_in_text(value);
  } else if (is_issuer_label(label) && e.issuer.empty()) {
    e.issuer = value;
  } else if (is_place_label(label) && e.place.empty()) {
    e.place = value;
  } else if (is_link_label(label) && e.url.empty()) {
    parse_link(value, e, warnings, where);
  }
}

TurnKind parse_kind(const std::string& k) {
  if (k == "Event" || k == "event") return TurnKind::event;
  if (k == "Seasonal" || k == "seasonal") return TurnKind::seasonal;
  return TurnKind::unclassified;
}

// "## 转折点: 2021-12-31 (Event) - 置信度: 0.56"
std::optional<SeedSection> section_line(const std::string& line, const std::string& where) {
  std::string s = trim(line);
  if (!starts_with(s, "## ")) return std::nullopt;
  s = trim(s.substr(3));
  std::string day_text;
  if (starts_with(s, "转折点")) s = s.substr(std::string("转折点").size());
  else if (starts_with(s, "Turning point")) s = s.substr(13);
  else return std::nullopt;
  s = trim(s);
  if (starts_with(s, "：")) s = s.substr(3);
  else if (starts_with(s, ":")) s = s.substr(1);
  s = trim(s);
  SeedSection sec;
  auto day = cal::parse_day(s.substr(0, 10));
  TURNPOINT_EXPECTS(day.has_value(), "{}: turning point heading without a YYYY-MM-DD date: {}", where, line);
  sec.day = *day;
  const auto lp = s.find('('), rp = s.find(')');
  if (lp != std::string::npos && rp != std::string::npos && rp > lp)
    sec.kind = parse_kind(trim(s.substr(lp + 1, rp - lp - 1)));
  for (const char* key : {"置信度", "confidence"}) {
    const auto pos = s.find(key);
    if (pos == std::string::npos) continue;
    std::string rest = trim(s.substr(pos + std::string(key).size()));
    if (starts_with(rest, "：")) rest = rest.substr(3);
    else if (starts_with(rest, ":")) rest = rest.substr(1);
    rest = trim(rest);
    char* end = nullptr;
    const double c = std::strtod(rest.c_str(), &end);
    sec.confidence = end == rest.c_str() ? std::nan("") : c;
  }
  return sec;
}

void parse_title(const std::string& line, SeedReport& r) {
  std::string s = trim(trim(line).substr(1));
  const auto space = s.find(' ');
  std::string prov = s.substr(0, space);
  std::string rest = space == std::string::npos ? "" : trim(s.substr(space + 1));
  r.province_label = prov;
  for (const char* suffix : {"省/市", "省", "市", "自治区"})
    if (text::ends_with(prov, suffix) && prov.size() > std::string(suffix).size()) {
      if (auto c = canonical_region(prov)) { r.province = *c; break; }
      prov = prov.substr(0, prov.size() - std::string(suffix).size());
      r.province_label = prov;
      break;
    }
  if (r.province.empty())
    if (auto c = canonical_region(prov)) r.province = *c;
  // Sector: "Industry部门" (seed), "工业部门" (turnpoint zh); "Ground" means Ground Transport.
  std::string sector = rest.substr(0, rest.find(' '));
  const auto dept = sector.find("部门");
  if (dept != std::string::npos) sector = sector.substr(0, dept);
  r.sector_label = sector;
  if (auto c = canonical_sector(sector)) {
    r.sector = *c;
  } else {
    for (const std::string& known : sectors())
      if (!sector.empty() && starts_with(known, sector)) r.sector = known;
  }
}

}  // namespace

SeedReport parse_seed_report(const std::string& content, const std::string& file) {
  SeedReport r;
  r.file = file;
  const auto lines = text::split_lines(content);
  SeedSection* section = nullptr;
  SeedEntry* entry = nullptr;
  bool saw_title = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line = trim(lines[i]);
    const int line_no = static_cast<int>(i) + 1;
    const std::string where = fmt::format("{}:{}", file, line_no);
    if (line.empty() || line == "---") continue;
    if (!saw_title && starts_with(line, "# ")) {
      parse_title(line, r);
      saw_title = true;
      continue;
    }
    if (auto sec = section_line(line, where)) {
      sec->line = line_no;
      r.sections.push_back(*sec);
      section = &r.sections.back();
      entry = nullptr;
      continue;
    }
    if (!section) {
      for (const char* key : {"分析时间", "Analysed"}) {
        if (starts_with(line, key)) {
          std::string v = trim(line.substr(std::string(key).size()));
          if (starts_with(v, "：")) v = v.substr(3);
          else if (starts_with(v, ":")) v = v.substr(1);
          r.analysed_at = trim(v);
        }
      }
      if (auto pos = line.find("共包含"); pos != std::string::npos)
        r.announced = std::atoi(trim(line.substr(pos + std::string("共包含").size())).c_str());
      else if (starts_with(line, "Contains "))
        r.announced = std::atoi(line.substr(9).c_str());
      continue;
    }
    if (auto num = numbered_line(line)) {
      section->entries.emplace_back();
      entry = &section->entries.back();
      entry->number = num->first;
      entry->line = line_no;
      if (auto f = field_line(num->second)) {
        add_field(*entry, f->first, f->second, r.warnings, where);
      } else if (starts_with(num->second, "**")) {  // "1. **《title》**"
        const auto close = num->second.find("**", 2);
        entry->title = trim(num->second.substr(2, close == std::string::npos ? std::string::npos : close - 2));
      } else {
        entry->title = num->second;
      }
      continue;
    }
    if (entry) {
      if (auto f = field_line(line)) {
        add_field(*entry, f->first, f->second, r.warnings, where);
        continue;
      }
      entry = nullptr;  // prose after the entries ("以上…", "未找到其他…") ends the entry
    }
    if (section->entries.empty() && contains(line, "未找到")) section->none_found = true;
  }
  TURNPOINT_EXPECTS(saw_title, "{}: not a seed-format report (no '# ' title line)", file);
  for (const SeedSection& s : r.sections)
    for (const SeedEntry& e : s.entries) {
      if (e.title.empty())
        r.warnings.push_back(fmt::format("{}:{}: entry {} has no title", file, e.line, e.number));
      if (e.url.empty())
        r.warnings.push_back(fmt::format("{}:{}: entry {} \"{}\" has no complete source link", file, e.line, e.number, e.title));
    }
  return r;
}

SeedReport read_seed_report(const std::string& path) {
  return parse_seed_report(text::read_file(path),
                           std::filesystem::path(path).filename().string());
}

namespace {
bool names_document(const std::string& title) {
  for (const char* w : {"《", "方案", "规划", "办法", "意见", "条例", "通知", "计划"})
    if (contains(title, w)) return true;
  return false;
}

std::string file_stem_id(const std::string& file) {
  std::string stem = std::filesystem::path(file).stem().string();
  const auto us = stem.find('_');
  return us == std::string::npos ? stem : stem.substr(0, us);
}
}  // namespace

std::optional<CatalogueEntry> seed_entry_to_record(const SeedReport& report,
                                                   const SeedSection& section,
                                                   const SeedEntry& entry) {
  if (!entry.date || entry.title.empty()) return std::nullopt;
  CatalogueEntry e;
  const std::string tp = cal::format_day(section.day);
  e.id = fmt::format("seed-{}-{}-{}", file_stem_id(report.file), tp, entry.number);
  e.title = entry.title;
  if (starts_with(entry.title_label, "政策")) e.kind = EntryKind::policy;
  else if (starts_with(entry.title_label, "事件")) e.kind = EntryKind::event;
  else e.kind = names_document(entry.title) ? EntryKind::policy : EntryKind::event;
  e.date = *entry.date;
  e.issuer = entry.issuer;
  e.place = entry.place;
  e.url = entry.url;
  // Region evidence, most specific field first; link text only as a last resort.
  PlaceEvidence ev = places_in_text(entry.title + " | " + entry.issuer + " | " + entry.place);
  if (ev.provinces.empty() && !ev.national) ev = places_in_text(entry.url_text);
  if (!ev.provinces.empty()) {
    e.regions = ev.provinces;
    e.scope = ev.via_city && ev.provinces.size() == 1 && !contains(entry.title + entry.issuer + entry.place, "省")
                  ? Scope::city
                  : Scope::provincial;
  } else if (ev.national) {
    e.scope = Scope::national;
  } else if (!report.province.empty()) {
    e.regions = {report.province};  // the report's own province: nothing else was named
    e.scope = Scope::provincial;
  }
  std::string body;
  for (const auto& [label, value] : entry.fields)
    if (!is_link_label(label) && !is_title_label(label)) body += value + "\n";
  e.sectors = classify_sectors(entry.title, body);
  e.source.file = report.file;
  e.source.line = entry.line;
  e.source.turning_point = tp;
  e.source.section = fmt::format("转折点 {} #{}", tp, entry.number);
  return e;
}

std::vector<CatalogueEntry> seed_report_to_entries(SeedReport& report) {
  std::vector<CatalogueEntry> out;
  for (const SeedSection& s : report.sections)
    for (const SeedEntry& en : s.entries) {
      if (auto rec = seed_entry_to_record(report, s, en)) out.push_back(std::move(*rec));
      else report.warnings.push_back(fmt::format("{}:{}: entry {} \"{}\" has no date or title: no record",
                                                 report.file, en.line, en.number, en.title));
    }
  return out;
}

}  // namespace turnpoint
