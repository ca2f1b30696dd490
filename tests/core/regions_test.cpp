// Region and sector normalisation (host/core/regions.hpp). The real-data test checks every
// spelling in Carbon Monitor's own province table (meta_province_names.csv), an
// independent source for the facts written into regions.cpp.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "host/core/regions.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

TEST(Regions, ThirtyOneDistinctProvinces) {
  const auto& ps = provinces();
  ASSERT_EQ(ps.size(), 31u);
  std::set<std::string> names, chinese, full, abbrev;
  for (const auto& p : ps) {
    names.insert(p.name);
    chinese.insert(p.chinese);
    full.insert(p.full);
    abbrev.insert(p.abbrev);
    EXPECT_EQ(canonical_region(p.name), p.name);
    EXPECT_EQ(canonical_region(p.chinese), p.name);
    EXPECT_EQ(canonical_region(p.full), p.name);
  }
  EXPECT_EQ(names.size(), 31u);
  EXPECT_EQ(chinese.size(), 31u);
  EXPECT_EQ(full.size(), 31u);
  EXPECT_EQ(abbrev.size(), 31u);
}

TEST(Regions, ShanxiAndShaanxiAreNeverConfused) {
  EXPECT_EQ(canonical_region("Shanxi"), "Shanxi");
  EXPECT_EQ(canonical_region("山西"), "Shanxi");
  EXPECT_EQ(canonical_region("山西省"), "Shanxi");
  EXPECT_EQ(canonical_region("shanxi"), "Shanxi");
  EXPECT_EQ(canonical_region("Shaanxi"), "Shaanxi");
  EXPECT_EQ(canonical_region("陕西"), "Shaanxi");
  EXPECT_EQ(canonical_region("陕西省"), "Shaanxi");
  EXPECT_EQ(canonical_region("SHAANXI"), "Shaanxi");
}

TEST(Regions, Aliases) {
  EXPECT_EQ(canonical_region("InnerMongolia"), "Inner Mongolia");
  EXPECT_EQ(canonical_region("Inner Mongolia"), "Inner Mongolia");
  EXPECT_EQ(canonical_region(" inner_mongolia "), "Inner Mongolia");
  EXPECT_EQ(canonical_region("内蒙古"), "Inner Mongolia");
  EXPECT_EQ(canonical_region("内蒙古自治区"), "Inner Mongolia");
  EXPECT_EQ(canonical_region("广西壮族自治区"), "Guangxi");
  EXPECT_EQ(canonical_region("宁夏回族自治区"), "Ningxia");
  EXPECT_EQ(canonical_region("新疆维吾尔自治区"), "Xinjiang");
  EXPECT_EQ(canonical_region("西藏自治区"), "Tibet");
  EXPECT_EQ(canonical_region("西藏"), "Tibet");
  EXPECT_EQ(canonical_region("Xizang"), "Tibet");
  EXPECT_EQ(canonical_region("湖北省"), "Hubei");
  EXPECT_EQ(canonical_region("北京市"), "Beijing");
  EXPECT_EQ(canonical_region("重庆市"), "Chongqing");
}

TEST(Regions, NotAmongTheThirtyOne) {
  for (const char* name : {"Hongkong", "Hong Kong", "香港", "Macao", "Macau", "澳门", "Taiwan",
                           "台湾", "Atlantis", "", "Shan xi province"})
    EXPECT_FALSE(canonical_region(name).has_value()) << name;
  EXPECT_FALSE(canonical_region("China").has_value());  // the national total is no province
  EXPECT_TRUE(is_national_total("China"));
  EXPECT_TRUE(is_national_total("全国"));
  EXPECT_TRUE(is_national_total("中国"));
  EXPECT_FALSE(is_national_total("Hubei"));
}

TEST(Regions, EverySpellingOfCarbonMonitorsProvinceTable) {
  TURNPOINT_SHARED_OR_SKIP(path, "datasets/carbon_monitor_china_daily/meta_province_names.csv");
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header: 缩写,中文,拼音,全称,地区,区域
  int rows = 0;
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string abbrev, chinese, pinyin, full;
    std::getline(ss, abbrev, ',');
    std::getline(ss, chinese, ',');
    std::getline(ss, pinyin, ',');
    std::getline(ss, full, ',');
    const auto by_pinyin = canonical_region(pinyin);
    ASSERT_TRUE(by_pinyin.has_value()) << pinyin;
    EXPECT_EQ(canonical_region(chinese), by_pinyin) << chinese;
    EXPECT_EQ(canonical_region(full), by_pinyin) << full;
    seen.insert(*by_pinyin);
    ++rows;
  }
  EXPECT_EQ(rows, 31);
  EXPECT_EQ(seen.size(), 31u);
}

TEST(Sectors, CanonicalNamesAndAliases) {
  EXPECT_EQ(sectors(), (std::vector<std::string>{"Power", "Industry", "Ground Transport",
                                                 "Residential", "Aviation"}));
  EXPECT_EQ(canonical_sector("Power"), "Power");
  EXPECT_EQ(canonical_sector("电力"), "Power");
  EXPECT_EQ(canonical_sector("industry"), "Industry");
  EXPECT_EQ(canonical_sector("工业"), "Industry");
  EXPECT_EQ(canonical_sector("Ground_Transport"), "Ground Transport");
  EXPECT_EQ(canonical_sector("ground transport"), "Ground Transport");
  EXPECT_EQ(canonical_sector("地面交通"), "Ground Transport");
  EXPECT_EQ(canonical_sector("交通"), "Ground Transport");
  EXPECT_EQ(canonical_sector("Residential"), "Residential");
  EXPECT_EQ(canonical_sector("居民"), "Residential");
  EXPECT_EQ(canonical_sector("民用"), "Residential");
  EXPECT_EQ(canonical_sector("Aviation"), "Aviation");
  EXPECT_EQ(canonical_sector("Domestic Aviation"), "Aviation");
  EXPECT_EQ(canonical_sector("航空"), "Aviation");
  EXPECT_FALSE(canonical_sector("Shipping").has_value());
  EXPECT_FALSE(canonical_sector("").has_value());
  EXPECT_EQ(sector_chinese("Ground Transport"), "地面交通");
  EXPECT_EQ(sector_chinese("Power"), "电力");
}

}  // namespace
}  // namespace turnpoint
