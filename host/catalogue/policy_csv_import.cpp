#include "host/catalogue/policy_csv_import.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"

namespace turnpoint {

std::vector<std::vector<std::string>> parse_csv(const std::string& t, const std::string& file) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  int line = 1, quote_line = 0;
  auto end_row = [&] {
    row.push_back(field);
    field.clear();
    const bool blank = row.size() == 1 && text::trim(row[0]).empty();
    if (!blank) rows.push_back(row);
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') { field.push_back('"'); ++i; }
        else quoted = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) { quoted = true; quote_line = line; any = true; }
    else if (c == ',') { row.push_back(field); field.clear(); any = true; }
    else if (c == '\r') continue;
    else if (c == '\n') { end_row(); ++line; }
    else { field.push_back(c); any = true; }
  }
  TURNPOINT_EXPECTS(!quoted, "{}:{}: unterminated quoted field", file, quote_line);
  if (any || !field.empty()) end_row();
  return rows;
}

namespace {
int find_column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = text::trim(header[i]);
    if (text::starts_with(h, "\xEF\xBB\xBF")) h = h.substr(3);  // BOM
    for (const char* n : names) {
      std::string lower = h;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (h == n || lower == n) return static_cast<int>(i);
    }
  }
  return -1;
}
}  // namespace

std::vector<CatalogueEntry> import_policy_csv(const std::string& content, const std::string& file,
                                              const PolicyCsvOptions& opt) {
  const auto rows = parse_csv(content, file);
  TURNPOINT_EXPECTS(!rows.empty(), "{}: empty CSV", file);
  const auto& header = rows.front();
  const int c_id = find_column(header, {"ID", "id"});
  const int c_title = find_column(header, {"政策名称", "title", "name"});
  const int c_field = find_column(header, {"领域", "field", "sector"});
  const int c_year = find_column(header, {"年份", "year"});
  const int c_date = find_column(header, {"冲击时间", "date"});
  const int c_url = find_column(header, {"官方来源URL", "url", "source"});
  TURNPOINT_EXPECTS(c_title >= 0, "{}:1: no title column (政策名称 or title)", file);
  TURNPOINT_EXPECTS(c_year >= 0 || c_date >= 0, "{}:1: no date column (冲击时间/date or 年份/year)", file);
  std::string region;
  if (!opt.region.empty()) {
    auto canon = canonical_region(opt.region);
    TURNPOINT_EXPECTS(canon.has_value(), "{}: unknown region \"{}\"", file, opt.region);
    region = *canon;
  }
  const std::string name = std::filesystem::path(file).filename().string();
  std::vector<CatalogueEntry> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const int line = static_cast<int>(r) + 1;
    TURNPOINT_EXPECTS(row.size() == header.size(), "{}:{}: {} fields, the header has {}", file,
                      line, row.size(), header.size());
    auto cell = [&](int c) { return c >= 0 ? text::trim(row[c]) : std::string(); };
    CatalogueEntry e;
    e.title = cell(c_title);
    TURNPOINT_EXPECTS(!e.title.empty(), "{}:{}: empty title", file, line);
    const std::string id = cell(c_id);
    e.id = opt.id_prefix + (id.empty() ? std::to_string(line) : id);
    e.kind = EntryKind::policy;
    std::optional<PolicyDate> date = find_date_in_text(cell(c_date));
    if (!date) date = find_date_in_text(cell(c_year));
    TURNPOINT_EXPECTS(date.has_value(), "{}:{}: no date in \"{}\" nor a year in \"{}\"", file,
                      line, cell(c_date), cell(c_year));
    e.date = *date;
    if (!region.empty()) {
      e.regions = {region};
      e.scope = Scope::provincial;
    } else if (auto ev = places_in_text(e.title); !ev.provinces.empty()) {
      e.regions = ev.provinces;
      e.scope = Scope::provincial;
    } else {
      e.scope = Scope::national;
    }
    e.sectors = classify_sectors(e.title, "");
    if (auto s = canonical_sector(cell(c_field))) e.sectors = {*s};
    e.url = cell(c_url);
    e.source.file = name;
    e.source.line = line;
    e.source.section = fmt::format("row {}", line);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace turnpoint
