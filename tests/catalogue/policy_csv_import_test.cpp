// The CSV policy-list importer against expectations written by hand from
// ../shared/datasets/policy/china_policy_shocks_v0_1_green_subset.csv and small texts.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/policy_csv_import.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {


TEST(PolicyCsvImport, GreenSubsetEveryRowByHand) {
  TURNPOINT_SHARED_OR_SKIP(kCsv, "datasets/policy/china_policy_shocks_v0_1_green_subset.csv");
  const auto v = import_policy_csv(text::read_file(kCsv), kCsv);
  struct Row { const char* id; const char* title; const char* date; const char* url; };
  const std::vector<Row> expected = {
      {"csv-16", "绿色金融改革创新试验区", "2017", "https://www.mee.gov.cn/xxgk/hjyw/201706/t20170615_416061.shtml"},
      {"csv-17", "中央生态环境保护督察", "2016", "https://www.mee.gov.cn/gkml/sthjbgw/qt/201607/t20160719_360975.htm"},
      {"csv-18", "排污许可制改革", "2016-11-10", "https://www.mee.gov.cn/ywgz/pwxkgl/ygzc/201811/t20181128_675285.shtml"},
      {"csv-19", "环境保护税法", "2018-01-01", "https://www.mee.gov.cn/xxgk/hjyw/201612/t20161226_369540.shtml"},
      {"csv-20", "第三批国家低碳城市试点", "2017-01-24", "https://www.ndrc.gov.cn/xxgk/zcfb/tz/201701/t20170124_962888.html"},
      {"csv-21", "全国碳排放权交易市场启动", "2021-07-16", "https://www.mee.gov.cn/ywgz/ydqhbh/wsqtkz/202112/t20211231_965906.shtml"},
      {"csv-22", "长江保护法实施", "2021-03-01", "https://www.mee.gov.cn/ywgz/fgbz/fl/202012/t20201227_814985.shtml"},
  };
  ASSERT_EQ(v.size(), expected.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    SCOPED_TRACE(expected[i].title);
    EXPECT_EQ(v[i].id, expected[i].id);
    EXPECT_EQ(v[i].title, expected[i].title);
    EXPECT_EQ(v[i].date.to_string(), expected[i].date);
    EXPECT_EQ(v[i].url, expected[i].url);
    EXPECT_EQ(v[i].scope, Scope::national);  // a national list, no province in any title
    EXPECT_TRUE(v[i].regions.empty());
    EXPECT_TRUE(v[i].sectors.empty());      // no sector keyword in any title: economy-wide
    EXPECT_EQ(v[i].kind, EntryKind::policy);
    EXPECT_EQ(v[i].source.line, int(i) + 2);
  }
}

TEST(PolicyCsvImport, QuotesEnglishHeadersAndRegionOption) {
  const std::string csv =
      "id,title,year,date,url\n"
      "a,\"Power plan, phase 1\",2020,,https://x.example/a\n"
      "b,山西省火电改造,2021,\"2021-05-06 \"\"印发\"\"\",\n";
  const auto v = import_policy_csv(csv, "mini.csv");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].title, "Power plan, phase 1");
  EXPECT_EQ(v[0].date.to_string(), "2020");
  EXPECT_EQ(v[1].date.to_string(), "2021-05-06");
  EXPECT_EQ(v[1].regions, std::vector<std::string>{"Shanxi"});
  EXPECT_EQ(v[1].scope, Scope::provincial);
  EXPECT_EQ(v[1].sectors, std::vector<std::string>{"Power"});  // 火电
  PolicyCsvOptions o;
  o.region = "Gansu";
  EXPECT_EQ(import_policy_csv(csv, "mini.csv", o)[0].regions, std::vector<std::string>{"Gansu"});
}

TEST(PolicyCsvImport, BadRowsNameFileAndLine) {
  try {
    import_policy_csv("id,title,year\n1,a,2020\n2,b\n", "bad.csv");
    FAIL();
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:3"), std::string::npos) << e.what();
  }
  try {
    import_policy_csv("id,title,year\n1,a,unknown\n", "bad.csv");
    FAIL();
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(import_policy_csv("id,title\n\"open,1\n", "q.csv"), invalid_input);
}

}  // namespace
}  // namespace turnpoint
