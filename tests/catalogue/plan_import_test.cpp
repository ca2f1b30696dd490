// The plan-text importer against expectations written by hand from
// ../shared/seeds/004_*.txt (甘肃省碳达峰实施方案) and from small texts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/plan_import.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

#define REQUIRE_PLAN(var)                                                                   \
  const std::string var = testing::seed_path("004");                                        \
  if (var.empty()) GTEST_SKIP() << "../shared/seeds/004_*.txt not found (shared data not mounted)"

const CatalogueEntry& by_id(const std::vector<CatalogueEntry>& v, const std::string& id) {
  auto it = std::find_if(v.begin(), v.end(), [&](const CatalogueEntry& e) { return e.id == id; });
  if (it == v.end()) throw std::runtime_error("no entry " + id);
  return *it;
}

std::vector<CatalogueEntry> import_gansu(const std::string& path) {
  PlanImportOptions o;
  o.date = PolicyDate::of_day(2023, 5, 11);
  o.issuer = "甘肃省人民政府";
  return import_plan_text(text::read_file(path), path, o);
}

TEST(PlanImport, HeadingLevels) {
  EXPECT_EQ(heading_level("一、总体要求"), 1);
  EXPECT_EQ(heading_level("十、其他"), 1);
  EXPECT_EQ(heading_level("（三）主要目标。"), 2);
  EXPECT_EQ(heading_level("(二) 融入绿色“一带一路”建设。立足"), 2);
  EXPECT_EQ(heading_level("3.稳步推进水能开发。充分"), 3);
  EXPECT_EQ(heading_level("12．某项"), 3);
  EXPECT_EQ(heading_level("1.3亿千瓦"), 0);  // a number, not a heading
  EXPECT_EQ(heading_level("2030 年碳达峰"), 0);
  EXPECT_EQ(heading_level("——整体谋划、分类施策。"), 0);
}

TEST(PlanImport, RejoinsLinesBrokenAtPageEnds) {
  const std::string long_head(60, 'x');  // a long line that does not end a sentence
  const auto p = rejoin_page_breaks({"标题", "", long_head + "单位", "", "地区生产总值下降。", "", "（一）下一节。"});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text, "标题");  // short lines (titles) are never joined
  EXPECT_EQ(p[1].text, long_head + "单位地区生产总值下降。");
  EXPECT_EQ(p[1].line, 3);
  EXPECT_EQ(p[2].text, "（一）下一节。");
  // A heading after a broken line starts its own paragraph.
  const auto q = rejoin_page_breaks({long_head + "未完", "2.下一条。"});
  ASSERT_EQ(q.size(), 2u);
}

TEST(PlanImport, TargetsFromTheIssueExample) {
  const auto t = extract_targets("到2025年，非化石能源消费比重达到30%");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0], (Target{2025, "非化石能源消费比重", 30.0, "%"}));
  // Spaces from the PDF, two years in one sentence, falling quantities keep their verb.
  const auto u = extract_targets("到 2025 年，大宗固废年利用量达到 3000 万吨左右；到 2030 年，利用量达到 3400 万吨左右。"
                                 "到2030年，单位地区生产总值二氧化碳排放比2005年下降65%以上");
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[0], (Target{2025, "大宗固废年利用量", 3000.0, "万吨"}));
  EXPECT_EQ(u[1], (Target{2030, "利用量", 3400.0, "万吨"}));
  EXPECT_EQ(u[2], (Target{2030, "单位地区生产总值二氧化碳排放比2005年下降", 65.0, "%"}));
  EXPECT_TRUE(extract_targets("到2030年，省级以上重点产业园区全部实施循环化改造。").empty());
  EXPECT_TRUE(extract_targets("新建通道可再生能源电量比例原则上不低于 50%。").empty());  // no year
}

TEST(PlanImport, GansuPlanSectionsCountedByHand) {
  REQUIRE_PLAN(path);
  const auto entries = import_gansu(path);
  // 4 chapters (一 to 四); 3 + 10 + 2 + 5 subsections; 42 numbered measures under 二
  // (5, 4, 6, 4, 3, 4, 4, 4, 4, 4); plus the plan itself.
  int level[4] = {0, 0, 0, 0};
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const std::string id = entries[i].id;
    const auto dots = std::count(id.begin(), id.end(), '.');
    ++level[dots + 1];
  }
  EXPECT_EQ(level[1], 4);
  EXPECT_EQ(level[2], 20);
  EXPECT_EQ(level[3], 42);
  EXPECT_EQ(entries.size(), 67u);
  const CatalogueEntry& plan = entries.front();
  EXPECT_EQ(plan.id, "plan-004");
  EXPECT_EQ(plan.title, "甘肃省碳达峰实施方案");
  EXPECT_EQ(plan.regions, std::vector<std::string>{"Gansu"});
  EXPECT_EQ(plan.scope, Scope::provincial);
  EXPECT_EQ(plan.date.to_string(), "2023-05-11");
  EXPECT_EQ(plan.issuer, "甘肃省人民政府");
  EXPECT_EQ(plan.kind, EntryKind::policy);
}

TEST(PlanImport, GansuSectionTitlesSectorsAndProvenance) {
  REQUIRE_PLAN(path);
  const auto entries = import_gansu(path);
  EXPECT_EQ(by_id(entries, "plan-004-s1").title, "甘肃省碳达峰实施方案：总体要求");
  EXPECT_EQ(by_id(entries, "plan-004-s1.3").title, "甘肃省碳达峰实施方案：主要目标");
  EXPECT_EQ(by_id(entries, "plan-004-s3.2").title, "甘肃省碳达峰实施方案：融入绿色“一带一路”建设");
  EXPECT_EQ(by_id(entries, "plan-004-s4.5").title, "甘肃省碳达峰实施方案：加强组织实施");
  const CatalogueEntry& steel = by_id(entries, "plan-004-s2.3.2");
  EXPECT_EQ(steel.title, "甘肃省碳达峰实施方案：推动钢铁行业碳达峰");
  EXPECT_EQ(steel.sectors, std::vector<std::string>{"Industry"});  // 钢铁
  EXPECT_EQ(steel.source.line, 67);
  EXPECT_EQ(by_id(entries, "plan-004-s2.3").sectors, std::vector<std::string>{"Industry"});       // 工业
  EXPECT_EQ(by_id(entries, "plan-004-s2.5").sectors, std::vector<std::string>{"Ground Transport"});  // 交通
  EXPECT_EQ(by_id(entries, "plan-004-s2.4.2").sectors, std::vector<std::string>{"Residential"});  // 建筑
  EXPECT_EQ(by_id(entries, "plan-004-s2.1.2").sectors, std::vector<std::string>{"Power"});        // 新能源
  EXPECT_EQ(by_id(entries, "plan-004-s2.1.2").title, "甘肃省碳达峰实施方案：大力发展新能源");
  EXPECT_EQ(by_id(entries, "plan-004-s2.1.2").source.line, 41);
}

TEST(PlanImport, GansuTargetsByHand) {
  REQUIRE_PLAN(path);
  const auto entries = import_gansu(path);
  // （三）主要目标: lines 25-29, the 2025 sentence broken across a page end.
  EXPECT_EQ(by_id(entries, "plan-004-s1.3").targets,
            (std::vector<Target>{{2025, "非化石能源消费比重", 30.0, "%"},
                                 {2025, "单位地区生产总值能源消耗比2020年下降", 12.5, "%"},
                                 {2030, "非化石能源消费比重", 35.0, "%"},
                                 {2030, "单位地区生产总值二氧化碳排放比2005年下降", 65.0, "%"}}));
  EXPECT_EQ(by_id(entries, "plan-004-s2.1.2").targets,
            (std::vector<Target>{{2030, "全省新能源装机容量", 1.3, "亿千瓦"}}));
  EXPECT_EQ(by_id(entries, "plan-004-s2.1.3").targets,
            (std::vector<Target>{{2030, "全省水电装机", 1000.0, "万千瓦"},
                                 {2030, "抽水蓄能电站装机容量", 500.0, "万千瓦"}}));
  EXPECT_EQ(by_id(entries, "plan-004-s2.4.3").targets,
            (std::vector<Target>{{2025, "全省城镇建筑可再生能源替代率", 8.0, "%"},
                                 {2025, "新建公共机构建筑、新建厂房屋顶光伏覆盖率", 50.0, "%"}}));
  EXPECT_EQ(by_id(entries, "plan-004-s2.6.2").targets,
            (std::vector<Target>{{2025, "大宗固废年利用量", 3000.0, "万吨"}, {2030, "利用量", 3400.0, "万吨"}}));
  // The plan record carries every target of the text.
  const auto& all = entries.front().targets;
  EXPECT_NE(std::find(all.begin(), all.end(), Target{2025, "非化石能源消费比重", 30.0, "%"}), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), Target{2030, "全省新能源装机容量", 1.3, "亿千瓦"}), all.end());
}

TEST(PlanImport, GansuPageBreaksRejoined) {
  REQUIRE_PLAN(path);
  const auto paragraphs = rejoin_page_breaks(text::split_lines(text::read_file(path)));
  auto find = [&](const std::string& s) {
    return std::any_of(paragraphs.begin(), paragraphs.end(),
                       [&](const Paragraph& p) { return p.text.find(s) != std::string::npos; });
  };
  // Line 25 ends "…单位", line 27 goes on "地区生产总值二氧化碳排放…".
  EXPECT_TRUE(find("单位地区生产总值二氧化碳排放确保完成国家下达目标任务"));
  // Line 69 ends "…回收、", line 71 goes on "分选和加工网络…".
  EXPECT_TRUE(find("回收、分选和加工网络"));
  // Line 95 ends "…货周转运", line 97 goes on "输效率。".
  EXPECT_TRUE(find("货周转运输效率"));
  for (const Paragraph& p : paragraphs) EXPECT_NE(p.text.rfind("地区生产总值二氧化碳排放确保", 0), 0u);
}

TEST(PlanImport, MissingDateOrRegionIsAClearError) {
  PlanImportOptions o;
  EXPECT_THROW(import_plan_text("某某实施方案\n\n一、总体要求\n", "x.txt", o), invalid_input);
  o.date = PolicyDate::of_year(2022);
  try {
    import_plan_text("某某实施方案\n\n一、总体要求\n", "x.txt", o);
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("--region"), std::string::npos);
  }
  o.region = "陕西";
  const auto v = import_plan_text("某某实施方案\n\n一、总体要求\n", "x.txt", o);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].regions, std::vector<std::string>{"Shaanxi"});
}

}  // namespace
}  // namespace turnpoint
