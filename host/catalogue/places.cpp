#include "host/catalogue/places.hpp"

#include <algorithm>
#include <cctype>

#include "host/catalogue/catalogue_text.hpp"
#include "host/core/regions.hpp"

namespace turnpoint {

const std::vector<std::pair<std::string, std::string>>& city_table() {
  // Provincial capitals, the prefecture-level cities of the seed provinces, large
  // industrial cities, and sub-provincial areas used in policy titles (关中, 陇东 ...).
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"兰州", "Gansu"}, {"嘉峪关", "Gansu"}, {"金昌", "Gansu"}, {"白银", "Gansu"},
      {"天水", "Gansu"}, {"武威", "Gansu"}, {"张掖", "Gansu"}, {"平凉", "Gansu"},
      {"酒泉", "Gansu"}, {"庆阳", "Gansu"}, {"定西", "Gansu"}, {"陇南", "Gansu"},
      {"临夏", "Gansu"}, {"甘南", "Gansu"}, {"陇东", "Gansu"}, {"河西走廊", "Gansu"},
      {"贵阳", "Guizhou"}, {"遵义", "Guizhou"}, {"六盘水", "Guizhou"}, {"安顺", "Guizhou"},
      {"毕节", "Guizhou"}, {"铜仁", "Guizhou"}, {"黔东南", "Guizhou"}, {"黔南", "Guizhou"},
      {"黔西南", "Guizhou"},
      {"沈阳", "Liaoning"}, {"大连", "Liaoning"}, {"鞍山", "Liaoning"}, {"抚顺", "Liaoning"},
      {"本溪", "Liaoning"}, {"丹东", "Liaoning"}, {"锦州", "Liaoning"}, {"营口", "Liaoning"},
      {"阜新", "Liaoning"}, {"辽阳", "Liaoning"}, {"盘锦", "Liaoning"}, {"铁岭", "Liaoning"},
      {"葫芦岛", "Liaoning"}, {"沈抚", "Liaoning"},
      {"太原", "Shanxi"}, {"大同", "Shanxi"}, {"阳泉", "Shanxi"}, {"长治", "Shanxi"},
      {"晋城", "Shanxi"}, {"朔州", "Shanxi"}, {"晋中", "Shanxi"}, {"运城", "Shanxi"},
      {"忻州", "Shanxi"}, {"临汾", "Shanxi"}, {"吕梁", "Shanxi"},
      {"西安", "Shaanxi"}, {"铜川", "Shaanxi"}, {"宝鸡", "Shaanxi"}, {"咸阳", "Shaanxi"},
      {"渭南", "Shaanxi"}, {"延安", "Shaanxi"}, {"汉中", "Shaanxi"}, {"榆林", "Shaanxi"},
      {"安康", "Shaanxi"}, {"商洛", "Shaanxi"}, {"关中", "Shaanxi"}, {"陕北", "Shaanxi"},
      {"富平", "Shaanxi"}, {"华阴", "Shaanxi"}, {"富阎", "Shaanxi"},
      {"石家庄", "Hebei"}, {"唐山", "Hebei"}, {"邯郸", "Hebei"}, {"保定", "Hebei"},
      {"呼和浩特", "Inner Mongolia"}, {"包头", "Inner Mongolia"}, {"鄂尔多斯", "Inner Mongolia"},
      {"长春", "Jilin"}, {"哈尔滨", "Heilongjiang"}, {"大庆", "Heilongjiang"},
      {"南京", "Jiangsu"}, {"苏州", "Jiangsu"}, {"无锡", "Jiangsu"},
      {"杭州", "Zhejiang"}, {"宁波", "Zhejiang"}, {"温州", "Zhejiang"},
      {"合肥", "Anhui"}, {"福州", "Fujian"}, {"厦门", "Fujian"}, {"南昌", "Jiangxi"},
      {"济南", "Shandong"}, {"青岛", "Shandong"}, {"烟台", "Shandong"},
      {"郑州", "Henan"}, {"洛阳", "Henan"}, {"武汉", "Hubei"}, {"宜昌", "Hubei"},
      {"长沙", "Hunan"}, {"广州", "Guangdong"}, {"深圳", "Guangdong"}, {"佛山", "Guangdong"},
      {"东莞", "Guangdong"}, {"南宁", "Guangxi"}, {"柳州", "Guangxi"}, {"海口", "Hainan"},
      {"成都", "Sichuan"}, {"绵阳", "Sichuan"}, {"昆明", "Yunnan"}, {"曲靖", "Yunnan"},
      {"拉萨", "Tibet"}, {"西宁", "Qinghai"}, {"银川", "Ningxia"}, {"乌鲁木齐", "Xinjiang"},
  };
  return table;
}

std::optional<std::string> province_of_city(const std::string& city) {
  std::string name = text::trim(city);
  for (const char* suffix : {"市", "地区", "州"})
    if (text::ends_with(name, suffix) && name.size() > std::string(suffix).size() + 3)
      name.erase(name.size() - std::string(suffix).size());
  for (const auto& [c, p] : city_table())
    if (c == name) return p;
  return std::nullopt;
}

bool names_national_scope(const std::string& t) {
  static const char* kNational[] = {
      "国务院", "中共中央", "党中央", "全国人大", "全国人民代表大会", "生态环境部",
      "国家发展改革委", "国家发改委", "国家发展和改革委员会", "国家能源局", "工业和信息化部",
      "工信部", "财政部", "交通运输部", "住房和城乡建设部", "住建部", "国家统计局",
      "中国人民银行", "七部委", "全国", "中央生态环境保护督察", "Ministry of Ecology",
      "State Council", "NDRC"};
  for (const char* k : kNational)
    if (text::contains(t, k)) return true;
  return false;
}

namespace {
void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}
}  // namespace

PlaceEvidence places_in_text(const std::string& t) {
  PlaceEvidence ev;
  // Chinese province names, in order of first mention.
  std::vector<std::pair<std::size_t, std::string>> hits;
  for (const Province& p : provinces()) {
    std::size_t best = std::string::npos;
    for (const std::string& name : {p.full, p.chinese}) {
      if (name.empty()) continue;
      best = std::min(best, t.find(name));
    }
    if (best != std::string::npos) hits.emplace_back(best, p.name);
  }
  // Latin spellings: each run of letters (and "Inner Mongolia"-style pairs).
  std::vector<std::pair<std::size_t, std::string>> words;
  for (std::size_t i = 0; i < t.size();) {
    if (!std::isalpha(static_cast<unsigned char>(t[i]))) { ++i; continue; }
    std::size_t j = i;
    while (j < t.size() && std::isalpha(static_cast<unsigned char>(t[j]))) ++j;
    words.emplace_back(i, t.substr(i, j - i));
    i = j;
  }
  for (std::size_t w = 0; w < words.size(); ++w) {
    if (words[w].second.size() < 4) continue;
    if (w + 1 < words.size()) {
      if (auto r = canonical_region(words[w].second + " " + words[w + 1].second)) {
        hits.emplace_back(words[w].first, *r);
        ++w;
        continue;
      }
    }
    if (auto r = canonical_region(words[w].second)) hits.emplace_back(words[w].first, *r);
  }
  std::sort(hits.begin(), hits.end());
  for (const auto& h : hits) add_unique(ev.provinces, h.second);
  // Cities only add provinces not named directly.
  std::vector<std::pair<std::size_t, std::string>> city_hits;
  for (const auto& [city, province] : city_table())
    if (auto pos = t.find(city); pos != std::string::npos) city_hits.emplace_back(pos, province);
  std::sort(city_hits.begin(), city_hits.end());
  for (const auto& h : city_hits) {
    if (std::find(ev.provinces.begin(), ev.provinces.end(), h.second) == ev.provinces.end()) {
      ev.provinces.push_back(h.second);
      ev.via_city = true;
    }
  }
  ev.national = names_national_scope(t);
  return ev;
}

std::string province_full_chinese(const std::string& canonical) {
  for (const Province& p : provinces())
    if (p.name == canonical) return p.full.empty() ? p.chinese : p.full;
  return canonical;
}

const std::vector<std::pair<std::string, std::vector<std::string>>>& sector_keywords() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> rules = {
      {"Power", {"电力", "火电", "煤电", "光伏", "风电", "水电", "水能", "核电", "发电", "电厂",
                 "电站", "电网", "电源", "新能源", "储能", "抽水蓄能", "机组", "热电"}},
      {"Industry", {"工业", "钢铁", "水泥", "电解铝", "有色金属", "建材", "石化", "化工",
                    "冶炼", "铁合金", "工厂", "高耗能", "炼钢", "制造业", "焦化"}},
      {"Ground Transport", {"交通", "柴油货车", "货车", "机动车", "汽车", "运输", "铁路",
                            "公路", "燃油车", "车辆"}},
      {"Residential", {"供暖", "供热", "建筑", "居民", "住宅", "散煤", "取暖", "生活垃圾",
                       "公共机构"}},
      {"Aviation", {"航空", "机场", "民航", "飞机"}},
  };
  return rules;
}

std::vector<std::pair<std::string, int>> sector_keyword_hits(const std::string& t) {
  std::vector<std::pair<std::string, int>> hits;
  for (const auto& [sector, words] : sector_keywords()) {
    int n = 0;
    for (const auto& w : words) n += static_cast<int>(text::count_of(t, w));
    hits.emplace_back(sector, n);
  }
  return hits;
}

std::vector<std::string> classify_sectors(const std::string& title, const std::string& body) {
  std::vector<std::string> out;
  for (const auto& [sector, n] : sector_keyword_hits(title))
    if (n > 0) out.push_back(sector);
  if (!out.empty()) return out;
  const auto hits = sector_keyword_hits(body);
  int top = 0;
  for (const auto& h : hits) top = std::max(top, h.second);
  if (top == 0) return out;
  for (const auto& [sector, n] : hits)
    if (n > 0 && 2 * n >= top) out.push_back(sector);
  return out;
}

}  // namespace turnpoint
