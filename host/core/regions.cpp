// The 31 provinces of mainland China and the five Carbon Monitor sectors, with their
// Chinese names and the spellings found in real files. Facts (abbreviation, Chinese short
// and full name, pinyin) follow Carbon Monitor China's meta_province_names.csv; English
// names are Carbon Monitor's, with spaces ("Inner Mongolia"). Hong Kong, Macao and Taiwan
// are not in the Carbon Monitor China panel and are deliberately unknown.
#include "host/core/regions.hpp"

#include <unordered_map>

namespace turnpoint {

namespace {

// Latin spellings compare without case, spaces, underscores, hyphens or dots, so
// "InnerMongolia", "inner mongolia" and "Inner_Mongolia" are one key. Non-ASCII bytes
// (Chinese) are kept as they are.
std::string latin_key(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

const std::unordered_map<std::string, std::size_t>& province_index() {
  static const std::unordered_map<std::string, std::size_t> index = [] {
    std::unordered_map<std::string, std::size_t> m;
    const auto& ps = provinces();
    for (std::size_t i = 0; i < ps.size(); ++i) {
      m.emplace(latin_key(ps[i].name), i);
      m.emplace(latin_key(ps[i].chinese), i);
      m.emplace(latin_key(ps[i].full), i);
      for (const auto& a : ps[i].aliases) m.emplace(latin_key(a), i);
    }
    return m;
  }();
  return index;
}

struct SectorNames {
  const char* name;
  const char* chinese;
  std::vector<const char*> aliases;
};

const std::vector<SectorNames>& sector_table() {
  static const std::vector<SectorNames> table = {
      {"Power", "电力", {"电力行业", "电力部门"}},
      {"Industry", "工业", {"工业部门"}},
      {"Ground Transport", "地面交通", {"交通", "地面运输", "Transport"}},
      {"Residential", "居民", {"民用", "居民生活"}},
      {"Aviation", "航空", {"Domestic Aviation", "国内航空"}},
  };
  return table;
}

}  // namespace

const std::vector<Province>& provinces() {
  // name, short Chinese, full Chinese, abbreviation, other spellings.
  static const std::vector<Province> table = {
      {"Heilongjiang", "黑龙江", "黑龙江省", "HLJ", {}},
      {"Jilin", "吉林", "吉林省", "JL", {}},
      {"Liaoning", "辽宁", "辽宁省", "LN", {}},
      {"Beijing", "北京", "北京市", "BJ", {}},
      {"Hebei", "河北", "河北省", "HEB", {}},
      {"Inner Mongolia", "内蒙古", "内蒙古自治区", "IM", {"InnerMongolia", "Nei Mongol", "Neimenggu"}},
      {"Shanxi", "山西", "山西省", "SX", {}},
      {"Tianjin", "天津", "天津市", "TJ", {}},
      {"Anhui", "安徽", "安徽省", "AH", {}},
      {"Fujian", "福建", "福建省", "FJ", {}},
      {"Jiangsu", "江苏", "江苏省", "JS", {}},
      {"Jiangxi", "江西", "江西省", "JX", {}},
      {"Shandong", "山东", "山东省", "SD", {}},
      {"Shanghai", "上海", "上海市", "SH", {}},
      {"Zhejiang", "浙江", "浙江省", "ZJ", {}},
      {"Gansu", "甘肃", "甘肃省", "GS", {}},
      {"Ningxia", "宁夏", "宁夏回族自治区", "NX", {"Ningxia Hui"}},
      {"Qinghai", "青海", "青海省", "QH", {}},
      {"Shaanxi", "陕西", "陕西省", "SAX", {}},
      {"Xinjiang", "新疆", "新疆维吾尔自治区", "XJ", {"Xinjiang Uygur", "Xinjiang Uyghur"}},
      {"Guizhou", "贵州", "贵州省", "GZ", {}},
      {"Sichuan", "四川", "四川省", "SC", {}},
      {"Tibet", "西藏", "西藏自治区", "Tibet", {"Xizang"}},
      {"Yunnan", "云南", "云南省", "YN", {}},
      {"Chongqing", "重庆", "重庆市", "CQ", {}},
      {"Guangdong", "广东", "广东省", "GD", {}},
      {"Guangxi", "广西", "广西壮族自治区", "GX", {"Guangxi Zhuang"}},
      {"Hainan", "海南", "海南省", "HAN", {}},
      {"Henan", "河南", "河南省", "HEN", {}},
      {"Hubei", "湖北", "湖北省", "HUB", {}},
      {"Hunan", "湖南", "湖南省", "HUN", {}},
  };
  return table;
}

std::optional<std::string> canonical_region(const std::string& name) {
  const auto& index = province_index();
  const auto it = index.find(latin_key(trim(name)));
  if (it == index.end()) return std::nullopt;
  return provinces()[it->second].name;
}

bool is_national_total(const std::string& name) {
  const std::string k = latin_key(trim(name));
  return k == "china" || k == "中国" || k == "全国" || k == "national";
}

const std::vector<std::string>& sectors() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& s : sector_table()) v.emplace_back(s.name);
    return v;
  }();
  return names;
}

std::optional<std::string> canonical_sector(const std::string& name) {
  static const std::unordered_map<std::string, std::string> index = [] {
    std::unordered_map<std::string, std::string> m;
    for (const auto& s : sector_table()) {
      m.emplace(latin_key(s.name), s.name);
      m.emplace(latin_key(s.chinese), s.name);
      for (const char* a : s.aliases) m.emplace(latin_key(a), s.name);
    }
    return m;
  }();
  const auto it = index.find(latin_key(trim(name)));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

std::string sector_chinese(const std::string& canonical) {
  for (const auto& s : sector_table())
    if (canonical == s.name) return s.chinese;
  return {};
}

}  // namespace turnpoint
