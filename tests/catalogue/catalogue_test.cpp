// Catalogue model: dates with precision, JSON Lines validation naming every bad line,
// merge/de-duplication, the built-in catalogue, place and sector rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/catalogue/catalogue.hpp"
#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/places.hpp"

namespace turnpoint {
namespace {

std::int32_t D(int y, int m, int d) { return cal::days_from_civil(y, m, d); }

TEST(CatalogueDates, PrecisionIsAnInterval) {
  const PolicyDate month = PolicyDate::of_month(2024, 2);
  EXPECT_EQ(month.first_day(), D(2024, 2, 1));
  EXPECT_EQ(month.last_day(), D(2024, 2, 29));  // leap year: the whole month
  EXPECT_EQ(PolicyDate::of_month(2023, 2).last_day(), D(2023, 2, 28));
  EXPECT_EQ(PolicyDate::of_year(2021).first_day(), D(2021, 1, 1));
  EXPECT_EQ(PolicyDate::of_year(2021).last_day(), D(2021, 12, 31));
  EXPECT_EQ(PolicyDate::of_day(2021, 12, 14).first_day(), PolicyDate::of_day(2021, 12, 14).last_day());
  EXPECT_EQ(D(1970, 1, 1), 0);
  EXPECT_EQ(D(2020, 1, 1), 18262);  // 50 years of 365 days + 12 leap days
}

TEST(CatalogueDates, ParseAndFormat) {
  EXPECT_EQ(PolicyDate::parse("2021-12-14"), PolicyDate::of_day(2021, 12, 14));
  EXPECT_EQ(PolicyDate::parse("2021-12"), PolicyDate::of_month(2021, 12));
  EXPECT_EQ(PolicyDate::parse("2021"), PolicyDate::of_year(2021));
  EXPECT_FALSE(PolicyDate::parse("2021-13"));
  EXPECT_FALSE(PolicyDate::parse("2021-02-29"));
  EXPECT_FALSE(PolicyDate::parse("21-02-01"));
  EXPECT_FALSE(PolicyDate::parse("2021年"));
  EXPECT_EQ(PolicyDate::of_day(2021, 3, 1).to_chinese(), "2021年3月1日");
  EXPECT_EQ(PolicyDate::of_month(2023, 12).to_string(), "2023-12");
  EXPECT_EQ(cal::add_months(D(2021, 8, 31), 1), D(2021, 9, 30));
  EXPECT_EQ(cal::add_months(D(2021, 1, 15), -3), D(2020, 10, 15));
}

TEST(CatalogueDates, FindInFreeText) {
  EXPECT_EQ(find_date_in_text("2021年12月14日"), PolicyDate::of_day(2021, 12, 14));
  EXPECT_EQ(find_date_in_text("2022年3月15日启动"), PolicyDate::of_day(2022, 3, 15));
  EXPECT_EQ(find_date_in_text("2022年1月正式实施"), PolicyDate::of_month(2022, 1));
  EXPECT_EQ(find_date_in_text("2021年度统计报告"), PolicyDate::of_year(2021));
  EXPECT_EQ(find_date_in_text("2023年"), PolicyDate::of_year(2023));
  EXPECT_EQ(find_date_in_text("2021-10-24"), PolicyDate::of_day(2021, 10, 24));
  EXPECT_EQ(find_date_in_text("2016-11-10 实施方案印发"), PolicyDate::of_day(2016, 11, 10));
  EXPECT_EQ(find_date_in_text("2017 年国务院常务会议决定"), PolicyDate::of_year(2017));
  EXPECT_EQ(find_date_in_text("约 2020 年 3 月"), PolicyDate::of_month(2020, 3));
  EXPECT_FALSE(find_date_in_text("近期"));
  EXPECT_FALSE(find_date_in_text("12345"));
}

const char* kGood =
    R"({"id":"a","title":"甲","kind":"policy","date":"2021-12","scope":"provincial","regions":["Gansu"],"sectors":["Industry"],"url":"https://x.example"})";

TEST(CatalogueJsonl, RoundTrip) {
  CatalogueEntry e;
  e.id = "x-1";
  e.title = "《甘肃省碳达峰实施方案》";
  e.kind = EntryKind::policy;
  e.date = PolicyDate::of_day(2023, 5, 11);
  e.scope = Scope::provincial;
  e.regions = {"Gansu"};
  e.sectors = {"Industry", "Power"};
  e.issuer = "甘肃省人民政府";
  e.targets = {{2025, "非化石能源消费比重", 30.0, "%"}};
  e.url = "https://example.org/p";
  e.source = {"004.txt", "全文", 3, ""};
  const Catalogue c = parse_catalogue(catalogue_to_jsonl(Catalogue{{e}}), "mem");
  ASSERT_EQ(c.entries.size(), 1u);
  const CatalogueEntry& r = c.entries[0];
  EXPECT_EQ(r.id, e.id);
  EXPECT_EQ(r.title, e.title);
  EXPECT_EQ(r.date, e.date);
  EXPECT_EQ(r.regions, e.regions);
  EXPECT_EQ(r.sectors, e.sectors);
  EXPECT_EQ(r.issuer, e.issuer);
  EXPECT_EQ(r.targets, e.targets);
  EXPECT_EQ(r.source.file, "004.txt");
  EXPECT_EQ(r.source.line, 3);
}

TEST(CatalogueJsonl, ValidationNamesEveryBadLine) {
  const std::string text = std::string(kGood) + "\n" +
      "{not json\n" +                                                                     // 2
      "\n# a comment\n" +                                                                  // 3, 4
      R"({"id":"b","title":"乙","kind":"rule","date":"2021","scope":"national"})" "\n" +   // 5 kind
      R"({"id":"c","title":"丙","kind":"event","date":"2021-02-30","scope":"national"})" "\n" +  // 6 date
      R"({"id":"d","title":"丁","kind":"event","date":"2021","scope":"provincial","regions":["Atlantis"]})" "\n" +  // 7
      R"({"id":"a","title":"戊","kind":"event","date":"2021","scope":"national","sectors":["Shipping"]})" "\n" +  // 8
      R"({"id":"f","title":"己","kind":"event","date":"2021","scope":"national","url":"ftp://x"})" "\n";  // 9
  std::vector<CatalogueProblem> problems;
  const Catalogue c = parse_catalogue(text, "bad.jsonl", &problems);
  EXPECT_EQ(c.entries.size(), 1u);
  std::vector<int> lines;
  for (const auto& p : problems) lines.push_back(p.line);
  // Line 8 has two problems: a duplicate id and an unknown sector.
  EXPECT_EQ(lines, (std::vector<int>{2, 5, 6, 7, 8, 8, 9}));
  try {
    parse_catalogue(text, "bad.jsonl");
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    const std::string msg = e.what();
    for (int l : {2, 5, 6, 7, 8, 9})
      EXPECT_NE(msg.find("bad.jsonl:" + std::to_string(l) + ":"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Atlantis"), std::string::npos);
    EXPECT_NE(msg.find("duplicate id"), std::string::npos);
  }
}

TEST(CatalogueJsonl, NonCanonicalRegionIsReported) {
  std::vector<CatalogueProblem> problems;
  parse_catalogue(R"({"id":"a","title":"甲","kind":"event","date":"2021","scope":"provincial","regions":["甘肃省"]})",
                  "x", &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("Gansu"), std::string::npos);
}

CatalogueEntry entry(const std::string& id, const std::string& title, PolicyDate d,
                     std::vector<std::string> sectors = {}) {
  CatalogueEntry e;
  e.id = id;
  e.title = title;
  e.date = d;
  e.scope = Scope::provincial;
  e.regions = {"Guizhou"};
  e.sectors = std::move(sectors);
  return e;
}

TEST(CatalogueMerge, DeduplicatesByNormalisedTitleAndDate) {
  Catalogue a{{entry("a1", "贵州省减污降碳协同增效实施方案", PolicyDate::of_month(2023, 12), {"Industry"}),
               entry("a2", "贵州省碳达峰实施方案", PolicyDate::of_day(2022, 11, 4))}};
  Catalogue b{{entry("b1", "《贵州省减污降碳协同增效实施方案》", PolicyDate::of_day(2023, 12, 18), {"Power"}),
               entry("b2", "贵州省减污降碳协同增效实施方案", PolicyDate::of_day(2023, 7, 10)),  // other date
               entry("a2", "另一个文件", PolicyDate::of_year(2020))}};                           // id clash
  b.entries[0].url = "https://x.example/b1";
  int removed = -1;
  const Catalogue m = merge_catalogues({a, b}, &removed);
  EXPECT_EQ(removed, 1);
  ASSERT_EQ(m.entries.size(), 4u);
  const CatalogueEntry& kept = m.entries[0];
  EXPECT_EQ(kept.id, "a1");
  EXPECT_EQ(kept.date, PolicyDate::of_day(2023, 12, 18));  // the more precise date
  EXPECT_EQ(kept.url, "https://x.example/b1");           // filled from the duplicate
  EXPECT_EQ(kept.sectors, (std::vector<std::string>{"Industry", "Power"}));
  EXPECT_EQ(m.entries[2].date, PolicyDate::of_day(2023, 7, 10));
  EXPECT_EQ(m.entries[3].id, "a2~2");
  EXPECT_EQ(text::normalise_title("《贵州省 减污降碳》"), text::normalise_title("贵州省减污降碳"));
}

TEST(BuiltinCatalogue, MatchesTheFileAndIsValid) {
  const std::string on_disk = text::read_file(TURNPOINT_SOURCE_DIR "/catalogue/builtin.jsonl");
  // Fails when the embedded copy is stale: touch host/catalogue/catalogue_builtin.cpp and rebuild.
  EXPECT_EQ(builtin_catalogue_text(), on_disk);
  std::vector<CatalogueProblem> problems;
  const Catalogue c = parse_catalogue(builtin_catalogue_text(), "builtin", &problems);
  EXPECT_TRUE(problems.empty()) << problems.front().line << ": " << problems.front().message;
  EXPECT_GE(c.entries.size(), 30u);
  // Facts only: no long copied text.
  for (const auto& e : c.entries) {
    EXPECT_LE(text::to_u32(e.summary).size(), 80u) << e.id;
    EXPECT_LE(text::to_u32(e.title).size(), 80u) << e.id;
  }
}

TEST(Places, CitiesProvincesAndNationalScope) {
  EXPECT_EQ(province_of_city("兰州"), "Gansu");
  EXPECT_EQ(province_of_city("兰州市"), "Gansu");
  EXPECT_EQ(province_of_city("沈阳"), "Liaoning");
  EXPECT_EQ(province_of_city("太原"), "Shanxi");
  EXPECT_EQ(province_of_city("西安"), "Shaanxi");
  EXPECT_FALSE(province_of_city("Atlantis"));
  // 山西 and 陕西 are never confused.
  EXPECT_EQ(places_in_text("陕西省发展改革委").provinces, std::vector<std::string>{"Shaanxi"});
  EXPECT_EQ(places_in_text("山西省生态环境厅").provinces, std::vector<std::string>{"Shanxi"});
  EXPECT_EQ(places_in_text("Shanxi and Shaanxi").provinces, (std::vector<std::string>{"Shanxi", "Shaanxi"}));
  const PlaceEvidence inner = places_in_text("内蒙古自治区 and Inner Mongolia");
  EXPECT_EQ(inner.provinces, std::vector<std::string>{"Inner Mongolia"});
  const PlaceEvidence city = places_in_text("嘉峪关、兰州等重点钢铁基地");
  EXPECT_EQ(city.provinces, std::vector<std::string>{"Gansu"});
  EXPECT_TRUE(city.via_city);
  EXPECT_TRUE(names_national_scope("国务院"));
  EXPECT_TRUE(names_national_scope("生态环境部联合辽宁省生态环境厅"));
  EXPECT_TRUE(names_national_scope("全国碳排放权交易市场"));
  EXPECT_FALSE(names_national_scope("甘肃省生态环境厅"));
  EXPECT_EQ(province_full_chinese("Inner Mongolia"), "内蒙古自治区");
  EXPECT_EQ(province_full_chinese("Beijing"), "北京市");
  EXPECT_EQ(province_full_chinese("Gansu"), "甘肃省");
}

TEST(Places, SectorKeywordRulesFromTheIssue) {
  using V = std::vector<std::string>;
  EXPECT_EQ(classify_sectors("电力保供", ""), V{"Power"});
  EXPECT_EQ(classify_sectors("火电机组改造", ""), V{"Power"});
  EXPECT_EQ(classify_sectors("光伏基地", ""), V{"Power"});
  EXPECT_EQ(classify_sectors("钢铁去产能", ""), V{"Industry"});
  EXPECT_EQ(classify_sectors("水泥错峰生产", ""), V{"Industry"});
  EXPECT_EQ(classify_sectors("电解铝", ""), V{"Industry"});
  EXPECT_EQ(classify_sectors("工业节能", ""), V{"Industry"});
  EXPECT_EQ(classify_sectors("交通强国", ""), V{"Ground Transport"});
  EXPECT_EQ(classify_sectors("柴油货车污染治理", ""), V{"Ground Transport"});
  EXPECT_EQ(classify_sectors("冬季供暖", ""), V{"Residential"});
  EXPECT_EQ(classify_sectors("绿色建筑", ""), V{"Residential"});
  EXPECT_EQ(classify_sectors("电力与居民供暖", ""), (V{"Power", "Residential"}));  // cross-sector keeps several
  EXPECT_EQ(classify_sectors("民航航空", ""), V{"Aviation"});
  EXPECT_EQ(classify_sectors("钢铁和电力", ""), (V{"Power", "Industry"}));
  // No keyword in the title: the dominant sectors of the body (>= half the top count).
  EXPECT_EQ(classify_sectors("十四五规划", "建筑 建筑 建筑 建材"), V{"Residential"});
  EXPECT_EQ(classify_sectors("十四五规划", "建筑 建筑 钢铁"), (V{"Industry", "Residential"}));
  EXPECT_TRUE(classify_sectors("绿色金融改革", "").empty());  // economy-wide
}

}  // namespace
}  // namespace turnpoint
