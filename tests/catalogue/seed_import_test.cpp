// The seed report importer against expectations written by hand from the seed texts in
// ../shared/seeds (000-003): every numbered entry, field by field.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host/catalogue/catalogue_dates.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/seed_import.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

#define REQUIRE_SEED(var, prefix)                                                      \
  const std::string var = testing::seed_path(prefix);                                  \
  if (var.empty()) GTEST_SKIP() << "seed report " << prefix << "_*.txt not found under " \
                                   "../shared/seeds (the shared data is absent; set "      \
                                   "TURNPOINT_SHARED)"

struct Expected {
  const char* tp;        // turning point of the section
  int number;
  const char* title;
  const char* date;      // PolicyDate::to_string
  const char* issuer;    // "" = none
  const char* place;     // "" = none
  const char* url;       // "" = none (missing or cut off)
  EntryKind kind;
  std::vector<std::string> regions;
  Scope scope;
};

const EntryKind P = EntryKind::policy, E = EntryKind::event;

void check_report(const std::string& path, const std::vector<Expected>& expected) {
  SeedReport r = read_seed_report(path);
  std::vector<const SeedEntry*> entries;
  std::vector<const SeedSection*> owners;
  for (const auto& s : r.sections)
    for (const auto& e : s.entries) entries.push_back(&e), owners.push_back(&s);
  ASSERT_EQ(entries.size(), expected.size()) << path;
  const auto records = seed_report_to_entries(r);
  ASSERT_EQ(records.size(), expected.size()) << path;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Expected& x = expected[i];
    const SeedEntry& e = *entries[i];
    const CatalogueEntry& rec = records[i];
    SCOPED_TRACE(std::string(x.tp) + " #" + std::to_string(x.number) + " " + x.title);
    EXPECT_EQ(cal::format_day(owners[i]->day), x.tp);
    EXPECT_EQ(e.number, x.number);
    EXPECT_EQ(e.title, x.title);
    ASSERT_TRUE(e.date.has_value());
    EXPECT_EQ(e.date->to_string(), x.date);
    EXPECT_EQ(e.issuer, x.issuer);
    EXPECT_EQ(e.place, x.place);
    EXPECT_EQ(e.url, x.url);
    // The record carries the same facts plus provenance.
    EXPECT_EQ(rec.title, x.title);
    EXPECT_EQ(rec.date.to_string(), x.date);
    EXPECT_EQ(rec.url, x.url);
    EXPECT_EQ(rec.kind, x.kind);
    EXPECT_EQ(rec.regions, x.regions);
    EXPECT_EQ(rec.scope, x.scope);
    EXPECT_EQ(rec.source.turning_point, x.tp);
    EXPECT_EQ(rec.source.file, std::filesystem::path(path).filename().string());
    EXPECT_EQ(rec.source.line, e.line);
    EXPECT_GT(rec.source.line, 0);
  }
}

const Scope PROV = Scope::provincial, NAT = Scope::national, CITY = Scope::city;

TEST(SeedImport, Gansu000EveryEntry) {
  REQUIRE_SEED(path, "000");
  const std::string sohu = "https://www.sohu.com/a/647219922_121106869";
  const std::string linxia = "https://www.linxia.gov.cn/lxz/zwgk/zcfg/art/2022/art_6119d499cca54a3786ce13ae12cb2c6d.html";
  check_report(path, {
      {"2020-01-01", 1, "金川集团镍盐有限公司2020年碳排放核查报告结果公示", "2020-01-01", "", "甘肃省金昌市金川区",
       "http://www.jnmc.com/index.php/index/detail/index?id=1511", E, {"Gansu"}, PROV},
      {"2021-12-31", 1, "《甘肃省高耗能行业执行差别电价管理办法》发布", "2021-12-14", "", "甘肃省全境",
       "http://fgw.pingliang.gov.cn/ywgz/jgsf/art/2022/art_ccc69c43839f46c29b9ece2f4dfc580c.html", E, {"Gansu"}, PROV},
      {"2021-12-31", 2, "《甘肃省清洁生产审核实施方案(2021-2023)》发布", "2021-12-20", "", "甘肃省重点工业园区",
       "http://sthj.gansu.gov.cn/sthj/c112985/202112/1908705/files/339ea3c3a3404527a74042773e2c2730.pdf", E, {"Gansu"}, PROV},
      {"2021-12-31", 3, "《关于严格能效约束推动重点领域节能降碳的实施方案》发布", "2021-12-14", "", "甘肃省重点工业城市",
       linxia.c_str(), E, {"Gansu"}, PROV},
      {"2022-01-28", 1, "甘肃省\"十三五\"期间碳强度累计下降", "2021", "", "甘肃省全域", sohu.c_str(), E, {"Gansu"}, PROV},
      {"2022-01-28", 2, "甘肃省减污降碳协同增效实施方案", "2022-01", "", "甘肃省重点工业区域", sohu.c_str(), E, {"Gansu"}, PROV},
      {"2022-01-28", 3, "甘肃省企业日常碳管理手册和甘肃省碳管理监管方法手册编制", "2022-01", "", "全省工业园区",
       sohu.c_str(), E, {"Gansu"}, PROV},
      {"2022-03-01", 1, "《关于严格能效约束推动重点领域节能降碳的实施方案》深化落实", "2022-03", "", "甘肃省重点工业园区",
       linxia.c_str(), E, {"Gansu"}, PROV},
      // Only cities name the place (嘉峪关, 兰州 -> Gansu).
      {"2022-03-01", 2, "推动钢铁行业碳达峰专项行动", "2022-03-15", "", "嘉峪关、兰州等重点钢铁基地",
       "https://news.bjx.com.cn/html/20230512/1306207.shtml", E, {"Gansu"}, CITY},
      // The file ends inside this entry's link: no URL.
      {"2022-03-01", 3, "有色金属行业低碳转型计划", "2022-03-20", "", "金昌、白银等有色金属基地", "", E, {"Gansu"}, CITY},
  });
}

TEST(SeedImport, Gansu000Structure) {
  REQUIRE_SEED(path, "000");
  const SeedReport r = read_seed_report(path);
  EXPECT_EQ(r.province, "Gansu");
  EXPECT_EQ(r.sector, "Industry");
  EXPECT_EQ(r.analysed_at, "2025-05-01 16:56:12");
  EXPECT_EQ(r.announced, 10);
  ASSERT_EQ(r.sections.size(), 5u);
  EXPECT_EQ(r.sections[0].kind, TurnKind::event);
  EXPECT_DOUBLE_EQ(r.sections[0].confidence, 0.56);
  EXPECT_DOUBLE_EQ(r.sections[4].confidence, 0.57);
  // 2021-03-01: 未找到相关政策或事件。 -> no entry, and no record.
  EXPECT_EQ(cal::format_day(r.sections[1].day), "2021-03-01");
  EXPECT_TRUE(r.sections[1].none_found);
  EXPECT_TRUE(r.sections[1].entries.empty());
  EXPECT_FALSE(r.sections[0].none_found);
}

TEST(SeedImport, Guizhou001EveryEntry) {
  REQUIRE_SEED(path, "001");
  const std::string plan = "https://sthj.guizhou.gov.cn/zwgk/zcwj/tjwj/202312/t20231218_83364842.html";
  check_report(path, {
      {"2020-11-20", 1, "贵州省减污降碳协同增效实施方案", "2023-12", "贵州省生态环境厅联合省发改委、省工信厅等七部门", "",
       plan.c_str(), P, {"Guizhou"}, PROV},
      {"2020-11-20", 2, "能源产业链碳减排重点行动", "2023-01", "贵州省能源局", "",
       "https://www.guizhou.gov.cn/zwgk/zdlygk/jjgzlfz/nyzy/nyjyhkjzbgl/202301/t20230103_77790652.html", P, {"Guizhou"}, PROV},
      // "**事件名称**: …" with an ASCII colon.
      {"2020-12-01", 1, "贵州省碳达峰实施方案", "2022-11-04", "", "贵州省全域",
       "https://www.ndrc.gov.cn/fggz/hjyzy/tdftzh/202211/t20221130_1343039.html", E, {"Guizhou"}, PROV},
      {"2020-12-01", 2, "贵州省减污降碳协同增效实施方案", "2023-07-10", "", "贵州省全域", plan.c_str(), E, {"Guizhou"}, PROV},
      // "具体政策名称/事件" label, 责任机构 as issuer.
      {"2021-06-15", 1, "《贵州省减污降碳协同增效实施方案》编制启动", "2021-06", "贵州省生态环境厅联合中国环科院", "",
       "https://sthj.guizhou.gov.cn/zwgk/hjsj/hjzkgb/202206/P020230309520358970603.pdf", P, {"Guizhou"}, PROV},
      {"2021-06-15", 2, "贵州省能源消费碳排放预测", "2021-06", "贵州省统计局联合贵州大学", "",
       "https://www.hanspub.org/journal/paperinformation?paperid=76316", E, {"Guizhou"}, PROV},
      {"2021-11-16", 1, "《贵州省减污降碳协同增效实施方案》", "2023-12-18", "贵州省生态环境厅等7部门", "", plan.c_str(), P,
       {"Guizhou"}, PROV},
      // Issued by 国务院: national scope; the file ends before its link.
      {"2021-11-16", 2, "《2030年前碳达峰行动方案》", "2021-10-24", "国务院", "", "", P, {}, NAT},
  });
  const SeedReport r = read_seed_report(path);
  EXPECT_EQ(r.announced, 10);
  EXPECT_EQ(r.sections.size(), 6u);
  EXPECT_TRUE(r.sections[2].none_found);  // 2020-12-31
  EXPECT_TRUE(r.sections[3].none_found);  // 2021-03-01: 未找到任何相关政策或事件。
  EXPECT_EQ(r.sections[0].kind, TurnKind::seasonal);
}

TEST(SeedImport, Liaoning002EveryEntry) {
  REQUIRE_SEED(path, "002");
  const std::string mofcom = "https://www.mofcom.gov.cn/zcfb/zgdwjjmywg/art/2021/art_12733a8cdc5a4b9d865f5f9496020dce.html";
  const std::string mee = "https://www.mee.gov.cn/xxgk2018/xxgk/xxgk06/202109/W020210916798979681604.pdf";
  check_report(path, {
      {"2020-09-01", 1, "辽宁省控制能源消费增量", "2020", "", "辽宁省全境",
       "https://www.emerald.com/insight/content/doi/10.1108/ijccsm-08-2020-0093/full/html", E, {"Liaoning"}, PROV},
      {"2021-03-01", 1, "Kemether智能工厂开工", "2021-03", "", "中国辽宁省沈阳市铁西区经济技术开发区",
       "https://english.news.cn/20230921/078ccf2c3a764124856a92e93d7c0dfa/c.html", E, {"Liaoning"}, PROV},
      {"2021-06-14", 1, "《2030年前碳达峰行动方案》", "2021-10-24", "国务院", "", mofcom.c_str(), P, {}, NAT},
      {"2021-06-14", 2, "辽宁省重点排放单位2020年度碳排放核查及复核工作", "2021-06", "辽宁省生态环境局、沈抚示范区建设局等部门", "",
       "https://sthj.ln.gov.cn/sthj/zfxxgk/fdzdgknr/jyta/szxta/szxsejschy2022n/5C90FBECEFB942BA833EE0DBF0C14309/index.shtml",
       E, {"Liaoning"}, PROV},
      // Bold titles without a label ("1. **《…》**"), 信息来源 as the link label.
      {"2021-10-31", 1, "《辽宁省碳达峰实施方案》", "2021-10-15", "辽宁省发改委联合12个部门", "", mofcom.c_str(), P,
       {"Liaoning"}, PROV},
      {"2021-10-31", 2, "2021-2022年秋冬季大气污染综合治理攻坚方案", "2021-10-08", "生态环境部联合辽宁省生态环境厅", "",
       mee.c_str(), P, {"Liaoning"}, PROV},
      {"2021-10-31", 3, "锅炉和炉窑综合整治", "2021-10-20", "辽宁省生态环境厅", "", mee.c_str(), E, {"Liaoning"}, PROV},
      {"2022-03-01", 1, "辽宁省\"十四五\"规划实施", "2022-03", "", "辽宁省全域",
       "https://scispace.com/pdf/analysis-of-carbon-emission-reduction-potential-of-ipck52fx.pdf", E, {"Liaoning"}, PROV},
      // Cut off after the date: no issuer, no link; 大连 -> Liaoning.
      {"2022-06-01", 1, "华能大连热电厂3号35万千瓦机组投入商业运营", "2022-06-01", "", "", "", E, {"Liaoning"}, CITY},
  });
  const SeedReport r = read_seed_report(path);
  EXPECT_EQ(r.province, "Liaoning");
  EXPECT_EQ(r.announced, 10);
  EXPECT_EQ(r.sections.size(), 7u);
  EXPECT_TRUE(r.sections[0].none_found);  // 2019-09-01, followed by more prose
}

TEST(SeedImport, Shanxi003EveryEntryAndShaanxiIsNotShanxi) {
  REQUIRE_SEED(path, "003");
  const std::string gov = "https://www.shanxi.gov.cn/zfxxgk/zfcbw/zfgb2/2023nzfgb/d2q_76595/szfwj_77832/202301/t20230119_7825853.shtml";
  const std::string yanan = "http://yjs.yanan.gov.cn/zfgb/2024n/dsq/wjfb/1863514483350069250.html";
  const char* shaanxi_issuer = "陕西省发展改革委（省能源局）";
  check_report(path, {
      {"2023-05-27", 1, "山西省落实全国碳市场政策2023年重点任务部署会暨碳核查启动会", "2023-04-26", "山西省生态环境厅", "",
       "http://www.tanpaifang.com/tanjiaoyi/2023/0511/96833.html", E, {"Shanxi"}, PROV},
      {"2023-05-27", 2, "山西省推动化工行业碳达峰", "2023", "山西省工信厅、省发展改革委等", "", gov.c_str(), E, {"Shanxi"}, PROV},
      {"2023-05-27", 3, "山西省大力开展低碳技术推广示范", "2023",
       "山西省科技厅、省工信厅、省发展改革委、省生态环境厅、山西综改示范区管委会等", "", gov.c_str(), E, {"Shanxi"}, PROV},
      {"2024-11-08", 1, "《关中地区能源结构调整方案》", "2024-11", shaanxi_issuer, "",
       "https://sndrc.shaanxi.gov.cn/sy/ztzl/rdzt/aqsc/zsxg/202504/t20250416_3494099.html", P, {"Shaanxi"}, PROV},
      {"2024-11-08", 2, "《关中地区产业结构调整实施方案》", "2024-11", shaanxi_issuer, "", yanan.c_str(), P, {"Shaanxi"}, PROV},
      {"2024-11-08", 3, "《关中地区供热结构调整方案》", "2024-11", shaanxi_issuer, "", yanan.c_str(), P, {"Shaanxi"}, PROV},
  });
  const SeedReport r = read_seed_report(path);
  EXPECT_EQ(r.province, "Shanxi");
  EXPECT_EQ(r.sector, "Ground Transport");  // written "Ground"
  EXPECT_EQ(r.announced, 2);
  EXPECT_EQ(r.sections.size(), 2u);
}

TEST(SeedImport, LabelVariantsAndFieldsOnSmallText) {
  const std::string text =
      "# 甘肃省 工业部门 碳排放变点相关政策与事件汇总\n\n"
      "分析时间: 2024-01-02 03:04:05\n共包含 2 个重要转折点的相关信息\n\n---\n\n"
      "## 转折点: 2021-12-31 (Seasonal) - 置信度: 0.70\n\n"
      "1. **政策名称**：甲方案\n**发布/实施日期**：2021年12月\n**信息来源网址**：[x](https://a.example/x)\n\n"
      "2. **具体政策名称/事件**：乙项目投产\n   - **发布/发生时间**：2021年\n   - **责任机构**：兰州市政府\n\n"
      "3. **《丙办法》**\n   - **发布日期**：2021-11-03\n\n"
      "## 转折点: 2022-05-01 (Event) - 置信度: 0.51\n\n未找到相关政策或事件。\n";
  SeedReport r = parse_seed_report(text, "small.md");
  EXPECT_EQ(r.province, "Gansu");
  EXPECT_EQ(r.sector, "Industry");
  EXPECT_EQ(r.announced, 2);
  ASSERT_EQ(r.sections.size(), 2u);
  ASSERT_EQ(r.sections[0].entries.size(), 3u);
  const auto& e = r.sections[0].entries;
  EXPECT_EQ(e[0].title_label, "政策名称");
  EXPECT_EQ(e[0].date->precision, DatePrecision::month);
  EXPECT_EQ(e[0].url, "https://a.example/x");
  EXPECT_EQ(e[0].url_text, "x");
  EXPECT_EQ(e[1].title_label, "具体政策名称/事件");
  EXPECT_EQ(e[1].title, "乙项目投产");
  EXPECT_EQ(e[1].date->to_string(), "2021");
  EXPECT_EQ(e[1].issuer, "兰州市政府");
  EXPECT_EQ(e[2].title_label, "");
  EXPECT_EQ(e[2].title, "《丙办法》");
  EXPECT_EQ(e[2].date->to_string(), "2021-11-03");
  EXPECT_TRUE(r.sections[1].none_found);
  auto records = seed_report_to_entries(r);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].kind, EntryKind::policy);
  EXPECT_EQ(records[1].kind, EntryKind::event);   // mixed label, no document word
  EXPECT_EQ(records[2].kind, EntryKind::policy);  // 《…》 names a document
  EXPECT_EQ(records[1].regions, std::vector<std::string>{"Gansu"});
  EXPECT_EQ(records[1].scope, Scope::city);       // only 兰州 names the place
  EXPECT_EQ(records[0].id, "seed-small-2021-12-31-1");
}

TEST(SeedImport, NotAReportIsAClearError) {
  try {
    parse_seed_report("just some text\n", "notes.txt");
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("notes.txt"), std::string::npos);
  }
}

}  // namespace
}  // namespace turnpoint
