// Importer for the seed report format (../shared/seeds/000-003, docs/catalogue.md): a
// Markdown report per province and sector, one section per turning point, numbered
// entries with bold field labels. Every numbered entry becomes a catalogue record,
// whatever label variant it uses; 未找到… sections produce none; the turning point an
// entry was attached to is kept as provenance. turnpoint's own Markdown reports use the
// same format and parse back with this importer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/catalogue/catalogue.hpp"
#include "host/core/detections.hpp"

namespace turnpoint {

struct SeedEntry {
  int number = 0;  // as written ("2." -> 2)
  int line = 0;    // 1-based line of the entry's first line
  std::string title_label;  // 政策名称 / 事件名称 / 具体政策名称/事件 / "" (bold title only)
  std::string title;
  std::string date_text;    // the value of the first date/time field, as written
  std::optional<PolicyDate> date;
  std::string issuer, place;
  std::string url, url_text;  // from the Markdown link [url_text](url); url empty if broken
  std::vector<std::pair<std::string, std::string>> fields;  // every labelled field, in order
};

struct SeedSection {
  std::int32_t day = 0;  // the turning point, days since 1970-01-01
  TurnKind kind = TurnKind::unclassified;
  double confidence = 0.0;
  int line = 0;
  bool none_found = false;  // 未找到… and no entry
  std::vector<SeedEntry> entries;
};

struct SeedReport {
  std::string file;                    // name used in messages and provenance
  std::string province_label;          // as written in the title ("Gansu", "甘肃省")
  std::string province;                // canonical, empty if unknown
  std::string sector_label;            // as written ("Industry", "Ground")
  std::string sector;                  // canonical, empty if unknown
  std::string analysed_at;             // 分析时间
  int announced = -1;                  // 共包含 N 个 (-1 if absent)
  std::vector<SeedSection> sections;
  std::vector<std::string> warnings;   // truncated entries, broken links, missing dates
};

// Throws invalid_input naming the file when it is not a report in the seed format.
SeedReport parse_seed_report(const std::string& text, const std::string& file);
SeedReport read_seed_report(const std::string& path);

// One catalogue record per numbered entry (entries without any date are skipped with a
// warning appended to report.warnings). Region: provinces named in title, issuer, place
// or link text (cities count, 山西 != 陕西), else national when a national body is named,
// else the report's own province. Sectors: places.hpp's keyword rules on the title, else
// on the other fields. Kind: 政策… labels -> policy, 事件… -> event, mixed labels -> policy
// when the title names a document (《…》, 方案, 规划, 办法, 意见, 条例, 通知, 计划).
std::vector<CatalogueEntry> seed_report_to_entries(SeedReport& report);

// The record for a single entry (used by the audit, which needs the report context).
std::optional<CatalogueEntry> seed_entry_to_record(const SeedReport& report,
                                                   const SeedSection& section,
                                                   const SeedEntry& entry);

}  // namespace turnpoint
