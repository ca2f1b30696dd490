// Where and what a policy text is about: provinces and cities named in free text (cities
// map to their province), national-scope issuers (国务院, 生态环境部, 全国 ...) and the
// sector keyword rules (电力/火电/光伏 -> Power, 钢铁/水泥/电解铝/工业 -> Industry, ...).
// Builds on host/core/regions.hpp (canonical_region / canonical_sector / provinces()).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace turnpoint {

// Canonical province for a Chinese city or sub-provincial area name (兰州 -> Gansu,
// 沈阳 -> Liaoning, 关中 -> Shaanxi), or nullopt.
std::optional<std::string> province_of_city(const std::string& city);
// Every (city, canonical province) pair known.
const std::vector<std::pair<std::string, std::string>>& city_table();

struct PlaceEvidence {
  std::vector<std::string> provinces;  // canonical, in order of first mention
  bool via_city = false;               // some province was only found through a city
  bool national = false;               // a national issuer or 全国 was named
};
// Provinces named directly (甘肃省, 甘肃, Gansu, Inner Mongolia ...) or through a city, and
// whether a national body is named.
PlaceEvidence places_in_text(const std::string& text);
// True when the text names a national issuer or national scope (国务院, 生态环境部,
// 国家发展改革委, 全国 ...).
bool names_national_scope(const std::string& text);

// Display names: 甘肃省, 北京市, 内蒙古自治区 (the right suffix per province).
std::string province_full_chinese(const std::string& canonical);

// Keyword hits per canonical sector (in sectors() order).
std::vector<std::pair<std::string, int>> sector_keyword_hits(const std::string& text);
// The sectors a title names; when it names none, the dominant sectors of the body (those
// with at least half as many keyword hits as the top one); empty = economy-wide.
std::vector<std::string> classify_sectors(const std::string& title, const std::string& body);
// The keywords behind the rules, for the docs and tests.
const std::vector<std::pair<std::string, std::vector<std::string>>>& sector_keywords();

}  // namespace turnpoint
