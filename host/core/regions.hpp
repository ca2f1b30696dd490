// Region and sector normalisation: canonical English names with Chinese names and aliases.
// 山西 Shanxi and 陕西 Shaanxi are different provinces and are never confused.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace turnpoint {

struct Province {
  std::string name;      // canonical English name, e.g. "Inner Mongolia"
  std::string chinese;   // short Chinese name, e.g. "内蒙古"
  std::string full;      // full Chinese name, e.g. "内蒙古自治区"
  std::string abbrev;    // e.g. "NM"
  std::vector<std::string> aliases;  // other spellings: "InnerMongolia", "Nei Mongol", ...
};

// The 31 provinces of mainland China (provinces, autonomous regions, municipalities).
const std::vector<Province>& provinces();

// Canonical English province name for any spelling (case- and space-insensitive for
// Latin spellings), or nullopt.
std::optional<std::string> canonical_region(const std::string& name);

// The national total of a Carbon Monitor / Cui et al. panel (a row named "China"): not a
// province, but a known region name the importer keeps as "China". Accepts China, 中国,
// 全国 and "national" (case-insensitive).
inline constexpr const char* kNationalTotal = "China";
bool is_national_total(const std::string& name);

// Carbon Monitor sectors: Power, Industry, Ground Transport, Residential, Aviation.
const std::vector<std::string>& sectors();
// Canonical sector for "Ground_Transport", "ground transport", "地面交通", "电力", ...
std::optional<std::string> canonical_sector(const std::string& name);
// Chinese name of a canonical sector ("Power" -> "电力").
std::string sector_chinese(const std::string& canonical);

}  // namespace turnpoint
