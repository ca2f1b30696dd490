// CSV import (host/io/csv_import.hpp). Fixtures are small CSV texts written into a temporary
// folder by each test; expected values are the numbers typed into those texts. The
// real-data tests read ../shared/datasets and skip when it is absent.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "host/io/csv_import.hpp"
#include "host/core/dates.hpp"
#include "kernels/error.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

namespace fs = std::filesystem;

class CsvImport : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }
  // The message of the invalid_input that importing `files` throws ("" if none).
  static std::string error_of(const std::vector<std::string>& files, ImportOptions options = {}) {
    try {
      import_csv(files, options);
    } catch (const invalid_input& e) {
      return e.what();
    }
    return "";
  }
  static std::int64_t find(const Panel& p, const std::string& id) {
    for (std::int64_t i = 0; i < p.n_series(); ++i)
      if (p.series_id[static_cast<std::size_t>(i)] == id) return i;
    return -1;
  }
  static double at(const Panel& p, const std::string& id, const char* date) {
    const std::int64_t i = find(p, id);
    EXPECT_GE(i, 0) << id;
    if (i < 0) return -999;
    return p.row(i)[*parse_date(date) - p.time.front()];
  }

  testing::TempDir tmp_;
};

TEST_F(CsvImport, LongFormatOrderAndValues) {
  const auto f = write("long.csv",
                       "region,date,sector,value\n"
                       "Hubei,2020-01-02,Industry,0.5\n"
                       "Beijing,2020-01-01,Ground Transport,1.25\n"
                       "Hubei,2020-01-01,Power,2\n"
                       "Hubei,2020-01-01,Industry,0.75\n"
                       "Beijing,2020-01-02,Ground Transport,-1e-3\n"
                       "Hubei,2020-01-02,Power,3\n");
  const Panel p = import_csv({f});
  ASSERT_EQ(p.n_series(), 3);
  ASSERT_EQ(p.n_time(), 2);
  EXPECT_EQ(p.time[0], days_from_civil(2020, 1, 1));
  EXPECT_EQ(p.time[1], days_from_civil(2020, 1, 2));
  // Region first, then the canonical sector order (Power before Industry).
  EXPECT_EQ(p.series_id, (std::vector<std::string>{"Beijing/Ground Transport", "Hubei/Power",
                                                   "Hubei/Industry"}));
  EXPECT_EQ(p.region, (std::vector<std::string>{"Beijing", "Hubei", "Hubei"}));
  EXPECT_EQ(p.sector, (std::vector<std::string>{"Ground Transport", "Power", "Industry"}));
  EXPECT_EQ(p.values, (std::vector<double>{1.25, -1e-3, 2, 3, 0.75, 0.5}));
  EXPECT_EQ(p.units, "MtCO2/day");
  EXPECT_EQ(p.source, f);
}

TEST_F(CsvImport, CarbonMonitorFileWithBomAndCrlf) {
  const auto f = write("Power_result.csv",
                       "\xEF\xBB\xBF"
                       "date,state,value,sector\r\n"
                       "2019-01-01,InnerMongolia,0.25,Power\r\n"
                       "2019-01-02,InnerMongolia,0.5,Power\r\n");
  const Panel p = import_csv({f});
  ASSERT_EQ(p.n_series(), 1);
  EXPECT_EQ(p.series_id[0], "Inner Mongolia/Power");
  EXPECT_EQ(p.values, (std::vector<double>{0.25, 0.5}));
}

TEST_F(CsvImport, ColumnOrderDoesNotMatter) {
  const std::vector<std::string> texts = {
      "date,state,value,sector\n2019-01-01,Hubei,1.5,Industry\n2019-01-02,Hubei,2.5,Industry\n",
      "sector,value,date,province\nIndustry,1.5,2019-01-01,Hubei\nIndustry,2.5,2019-01-02,Hubei\n",
      "Value,Sector,Region,Date\n1.5,Industry,Hubei,2019-01-01\n2.5,Industry,Hubei,2019-01-02\n"};
  for (std::size_t k = 0; k < texts.size(); ++k) {
    const Panel p = import_csv({write("perm" + std::to_string(k) + ".csv", texts[k])});
    ASSERT_EQ(p.n_series(), 1) << k;
    EXPECT_EQ(p.series_id[0], "Hubei/Industry") << k;
    EXPECT_EQ(p.values, (std::vector<double>{1.5, 2.5})) << k;
    EXPECT_EQ(p.time.front(), days_from_civil(2019, 1, 1)) << k;
  }
}

TEST_F(CsvImport, CuiLayoutWithNationalTotalAndExtraColumns) {
  const auto f = write("cui.csv",
                       "province,date,sector,value_MtCO2_per_day,weekday,holiday\n"
                       "China,2019-01-01,Power,14.25,Tuesday,New Year\n"
                       "Beijing,2019-01-01,Power,0.15,Tuesday,New Year\n"
                       "China,2019-01-02,Power,14.5,Wednesday,\n"
                       "Beijing,2019-01-02,Power,0.25,Wednesday,\n");
  const Panel p = import_csv({f});
  EXPECT_EQ(p.series_id, (std::vector<std::string>{"Beijing/Power", "China/Power"}));
  EXPECT_EQ(at(p, "China/Power", "2019-01-02"), 14.5);
  EXPECT_EQ(at(p, "Beijing/Power", "2019-01-01"), 0.15);
}

TEST_F(CsvImport, ChineseNamesAndShanxiShaanxiStayApart) {
  const auto f = write("cn.csv",
                       "region,date,sector,value\n"
                       "山西,2020-01-01,电力,1\n"
                       "陕西省,2020-01-01,电力,2\n"
                       "内蒙古自治区,2020-01-01,地面交通,3\n"
                       "Shaanxi,2020-01-02,Power,4\n");
  const Panel p = import_csv({f});
  EXPECT_EQ(p.series_id, (std::vector<std::string>{"Inner Mongolia/Ground Transport",
                                                   "Shaanxi/Power", "Shanxi/Power"}));
  EXPECT_EQ(at(p, "Shanxi/Power", "2020-01-01"), 1);
  EXPECT_EQ(at(p, "Shaanxi/Power", "2020-01-01"), 2);
  EXPECT_EQ(at(p, "Shaanxi/Power", "2020-01-02"), 4);
  EXPECT_TRUE(std::isnan(at(p, "Shanxi/Power", "2020-01-02")));
}

TEST_F(CsvImport, MergeTwoFilesOntoOneAxisWithNaNForMissingDays) {
  const auto a = write("a.csv",
                       "date,state,value,sector\n"
                       "2020-01-01,Hubei,1,Power\n"
                       "2020-01-03,Hubei,3,Power\n");  // 2020-01-02 missing
  const auto b = write("b.csv",
                       "region,date,sector,value\n"
                       "Hubei,2020-01-04,Industry,40\n"
                       "Hubei,2020-01-05,Industry,50\n");
  ImportOptions options;
  options.source = "two fixtures";
  options.units = "tCO2/day";
  const Panel p = import_csv({a, b}, options);
  ASSERT_EQ(p.n_time(), 5);
  EXPECT_EQ(p.time.front(), days_from_civil(2020, 1, 1));
  EXPECT_EQ(p.time.back(), days_from_civil(2020, 1, 5));
  ASSERT_EQ(p.series_id, (std::vector<std::string>{"Hubei/Power", "Hubei/Industry"}));
  const double* power = p.row(0);
  const double* industry = p.row(1);
  EXPECT_EQ(power[0], 1);
  EXPECT_TRUE(std::isnan(power[1]));
  EXPECT_EQ(power[2], 3);
  EXPECT_TRUE(std::isnan(power[3]));
  EXPECT_TRUE(std::isnan(power[4]));
  EXPECT_TRUE(std::isnan(industry[0]));
  EXPECT_EQ(industry[3], 40);
  EXPECT_EQ(industry[4], 50);
  EXPECT_EQ(p.source, "two fixtures");
  EXPECT_EQ(p.units, "tCO2/day");
}

TEST_F(CsvImport, OtherDateFormats) {
  const auto f = write("dates.csv",
                       "region,date,sector,value\n"
                       "Hubei,2020/02/28,Power,1\n"
                       "Hubei,29/02/2020,Power,2\n"
                       "Hubei,2020-03-01,Power,3\n");
  const Panel p = import_csv({f});
  ASSERT_EQ(p.n_time(), 3);
  EXPECT_EQ(p.time.front(), days_from_civil(2020, 2, 28));
  EXPECT_EQ(p.values, (std::vector<double>{1, 2, 3}));
}

TEST_F(CsvImport, QuotedFields) {
  const auto f = write("q.csv",
                       "region,date,sector,value\n"
                       "\"Inner Mongolia\",2020-01-01,\"Ground Transport\",\"1.5\"\n");
  const Panel p = import_csv({f});
  EXPECT_EQ(p.series_id[0], "Inner Mongolia/Ground Transport");
  EXPECT_EQ(p.values[0], 1.5);
}

// ---- errors: each names the file, the 1-based line and the offending text ----------------

TEST_F(CsvImport, UnparseableDate) {
  const auto f = write("d.csv", "region,date,sector,value\nHubei,2020-01-01,Power,1\nHubei,2020-13-01,Power,2\n");
  const std::string e = error_of({f});
  EXPECT_NE(e.find(f + ":3:"), std::string::npos) << e;
  EXPECT_NE(e.find("'2020-13-01'"), std::string::npos) << e;
}

TEST_F(CsvImport, DuplicateWithinAFile) {
  const auto f = write("dup.csv",
                       "region,date,sector,value\n"
                       "Hubei,2020-01-01,Power,1\n"
                       "Hubei,2020-01-02,Power,2\n"
                       "湖北,2020-01-01,电力,3\n");
  const std::string e = error_of({f});
  EXPECT_NE(e.find(f + ":4: duplicate row for (Hubei, Power, 2020-01-01)"), std::string::npos) << e;
  EXPECT_NE(e.find("first given at " + f + ":2"), std::string::npos) << e;
}

TEST_F(CsvImport, DuplicateAcrossFiles) {
  const auto a = write("a.csv", "region,date,sector,value\nHubei,2020-01-01,Power,1\n");
  const auto b = write("b.csv", "region,date,sector,value\nHubei,2020-01-02,Power,2\nHubei,2020-01-01,Power,1\n");
  const std::string e = error_of({a, b});
  EXPECT_NE(e.find(b + ":3: duplicate row"), std::string::npos) << e;
  EXPECT_NE(e.find("first given at " + a + ":2"), std::string::npos) << e;
}

TEST_F(CsvImport, BadValues) {
  for (const char* bad : {"abc", "inf", "-Infinity", "1.5x", "1,5", "--1"}) {
    const std::string text = std::string("region,date,sector,value\nHubei,2020-01-01,Power,1\n") +
                             "Hubei,2020-01-02,Power," + (std::string(bad) == "1,5" ? "\"1,5\"" : bad) + "\n";
    const auto f = write("v.csv", text);
    const std::string e = error_of({f});
    EXPECT_NE(e.find(f + ":3: value '" + bad + "' is not a finite number"), std::string::npos)
        << bad << " -> " << e;
  }
}

// Empty cells and the usual missing-value markers are missing values (NaN), not errors.
TEST_F(CsvImport, MissingCellsAreNaN) {
  for (const char* missing : {"", "NA", "N/A", "#N/A", "NaN", "nan", "null", "NULL", " NA "}) {
    const auto f = write("m.csv", std::string("region,date,sector,value\nHubei,2020-01-01,Power,1\n"
                                              "Hubei,2020-01-02,Power,") + missing + "\nHubei,2020-01-03,Power,3\n");
    const Panel p = import_csv({f});
    ASSERT_EQ(p.n_time(), 3) << missing;
    EXPECT_EQ(p.values[0], 1) << missing;
    EXPECT_TRUE(std::isnan(p.values[1])) << missing;
    EXPECT_EQ(p.values[2], 3) << missing;
  }
}

TEST_F(CsvImport, MissingRequiredColumn) {
  const auto f = write("m.csv", "date,state,sector\n2020-01-01,Hubei,Power\n");
  const std::string e = error_of({f});
  EXPECT_NE(e.find(f + ":1: missing required column 'value'"), std::string::npos) << e;
  const auto g = write("m2.csv", "date,value,sector\n2020-01-01,1,Power\n");
  EXPECT_NE(error_of({g}).find(g + ":1: missing required column 'region'"), std::string::npos);
}

TEST_F(CsvImport, WrongColumnCount) {
  const auto f = write("c.csv",
                       "region,date,sector,value\n"
                       "Hubei,2020-01-01,Power,1\n"
                       "Hubei,2020-01-02,Power,2,extra\n");
  const std::string e = error_of({f});
  EXPECT_NE(e.find(f + ":3: expected 4 columns, found 5: 'Hubei,2020-01-02,Power,2,extra'"),
            std::string::npos)
      << e;
}

TEST_F(CsvImport, EmptyFiles) {
  const auto zero = write("zero.csv", "");
  EXPECT_NE(error_of({zero}).find(zero + ": empty file"), std::string::npos);
  const auto bom = write("bom.csv", "\xEF\xBB\xBF\n");
  EXPECT_NE(error_of({bom}).find(bom + ": empty file"), std::string::npos);
  const auto header = write("header.csv", "region,date,sector,value\n\n");
  EXPECT_NE(error_of({header}).find(header + ": empty file (a header but no data rows)"),
            std::string::npos);
}

// Names that are not provinces or Carbon Monitor sectors are kept as written and listed once
// in a warning (however many rows use them).
TEST_F(CsvImport, UnknownRegionIsKeptAndListedOnce) {
  const auto f = write("r.csv",
                       "region,date,sector,value\nHubei,2020-01-01,Power,1\nHong Kong,2020-01-01,Power,2\n"
                       "Hong Kong,2020-01-02,Power,3\n");
  const ImportResult r = import_panel({f});
  EXPECT_EQ(r.panel.series_id, (std::vector<std::string>{"Hong Kong/Power", "Hubei/Power"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("1 region name(s) are not provinces of mainland China and are kept as "
                               "written: Hong Kong"),
            std::string::npos)
      << r.warnings[0];
  ImportOptions keep;
  keep.allow_unknown_regions = true;
  EXPECT_TRUE(import_panel({f}, keep).warnings.empty());
}

TEST_F(CsvImport, UnknownSectorIsKeptAfterTheKnownOnes) {
  const auto f = write("s.csv", "region,date,sector,value\nHubei,2020-01-01,Shipping,1\nHubei,2020-01-01,电力,2\n");
  const ImportResult r = import_panel({f});
  EXPECT_EQ(r.panel.series_id, (std::vector<std::string>{"Hubei/Power", "Hubei/Shipping"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("kept as written: Shipping"), std::string::npos) << r.warnings[0];
}

TEST_F(CsvImport, MissingFile) {
  const std::string f = tmp_.path("nope.csv");
  EXPECT_NE(error_of({f}).find(f + ": cannot open file"), std::string::npos);
}

// ---- real data ----------------------------------------------------------------------------

// The value of one row of a Carbon Monitor file, found by plain text search (an independent
// path from the importer's parser).
double csv_value(const std::string& path, const std::string& row_prefix) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(row_prefix, 0) == 0) {
      const auto from = row_prefix.size();
      return std::strtod(line.substr(from, line.find(',', from) - from).c_str(), nullptr);
    }
  ADD_FAILURE() << row_prefix << " not found in " << path;
  return 0;
}

TEST(CsvImportRealData, CarbonMonitorChina) {
  TURNPOINT_SHARED_OR_SKIP(root, "datasets/carbon_monitor_china_daily");
  const std::string dir = root + "/";
  std::vector<std::string> files;
  for (const char* s : {"Power", "Industry", "Ground_Transport", "Residential", "Aviation"})
    files.push_back(dir + s + "_result.csv");
  const Panel p = import_csv(files);
  EXPECT_EQ(p.n_series(), 155);
  EXPECT_EQ(p.n_time(), 1461);
  EXPECT_EQ(format_date(p.time.front()), "2019-01-01");
  EXPECT_EQ(format_date(p.time.back()), "2022-12-31");
  std::size_t nan = 0;
  for (double v : p.values) nan += std::isnan(v) ? 1 : 0;
  EXPECT_EQ(nan, 0u);
  const double expected = csv_value(dir + "Industry_result.csv", "2020-01-01,Hubei,");
  std::int64_t hubei = -1;
  for (std::int64_t i = 0; i < p.n_series(); ++i)
    if (p.series_id[static_cast<std::size_t>(i)] == "Hubei/Industry") hubei = i;
  ASSERT_GE(hubei, 0);
  EXPECT_EQ(p.row(hubei)[days_from_civil(2020, 1, 1) - p.time.front()], expected);
  EXPECT_EQ(p.series_id.front(), "Anhui/Power");
  EXPECT_EQ(p.series_id.back(), "Zhejiang/Aviation");
}

TEST(CsvImportRealData, Cui2021WithTheMissingLeapDay) {
  TURNPOINT_SHARED_OR_SKIP(path, "datasets/cui2021_china_daily/cui2021_long.csv");
  const Panel p = import_csv({path});
  EXPECT_EQ(p.n_series(), 32 * 3);  // 31 provinces + China, three sectors
  EXPECT_EQ(p.n_time(), 731);
  const int leap = days_from_civil(2020, 2, 29) - p.time.front();
  std::size_t nan = 0;
  for (std::int64_t i = 0; i < p.n_series(); ++i) {
    const std::size_t r = static_cast<std::size_t>(i);
    const bool transport = p.sector[r] == "Ground Transport";
    EXPECT_EQ(std::isnan(p.row(i)[leap]), transport) << p.series_id[r];
    for (int t = 0; t < p.n_time(); ++t) nan += std::isnan(p.row(i)[t]) ? 1 : 0;
  }
  EXPECT_EQ(nan, 32u);  // only the leap day of the 32 Ground Transport series
  EXPECT_EQ(p.region.front(), "Anhui");
  bool has_china = false;
  for (const auto& r : p.region) has_china |= r == "China";
  EXPECT_TRUE(has_china);
}

}  // namespace
}  // namespace turnpoint
