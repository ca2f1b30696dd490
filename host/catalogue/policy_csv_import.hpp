// Importer for simple CSV policy lists (../shared/datasets/policy/): one row per policy
// with id, title, field, year, a date phrase and a source URL. Chinese or English headers:
// ID|id, 政策名称|title, 领域|field, 年份|year, 冲击时间|date, 官方来源URL|url.
#pragma once
#include <string>
#include <vector>

#include "host/catalogue/catalogue.hpp"

namespace turnpoint {

struct PolicyCsvOptions {
  std::string region;         // empty: national scope unless the title names a province
  std::string id_prefix = "csv-";
};

// RFC 4180 fields (quotes, doubled quotes, commas inside quotes); one record per line.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& file);

// Date: the first date in the date phrase (2016-11-10 -> day precision), else the year
// column (year precision). Sectors: the keyword rules on the title. Throws invalid_input
// naming file and row for a missing column, a wrong field count, or no usable date.
std::vector<CatalogueEntry> import_policy_csv(const std::string& text, const std::string& file,
                                              const PolicyCsvOptions& options = {});

}  // namespace turnpoint
