// Any panel in (host/io/panel_import.hpp): the three table layouts, columns named by options,
// gzip and TSV, every time axis (daily, weekly, monthly, quarterly, annual, index), ragged
// series, --freq regularising, and the errors that name file and row. Fixtures are small
// texts typed here; expected values are the numbers typed into them.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "host/core/dates.hpp"
#include "host/io/panel_import.hpp"
#include "host/io/series_io.hpp"
#include "kernels/error.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

class PanelImport : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) { return tmp_.write(name, text); }
  std::string write_gz(const std::string& name, const std::string& text) {
    const std::string p = tmp_.path(name);
    gzFile gz = gzopen(p.c_str(), "wb");
    gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    gzclose(gz);
    return p;
  }
  static std::string error_of(const std::vector<std::string>& files, const ImportOptions& o = {}) {
    try {
      import_panel(files, o);
    } catch (const invalid_input& e) {
      return e.what();
    }
    return "";
  }
  static ImportOptions quiet() {
    ImportOptions o;
    o.quiet = true;
    return o;
  }
  testing::TempDir tmp_;
};

std::int32_t day(const char* text) { return *parse_date(text); }

// The panel every layout below spells: two series, A/x and B/y, three months, one missing.
void expect_ab_panel(const Panel& p) {
  ASSERT_EQ(p.series_id, (std::vector<std::string>{"A/x", "B/y"}));
  EXPECT_EQ(p.region, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(p.sector, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(p.frequency, Frequency::monthly);
  EXPECT_EQ(p.time, (std::vector<std::int32_t>{day("2021-01-01"), day("2021-02-01"), day("2021-03-01")}));
  ASSERT_EQ(p.values.size(), 6u);
  EXPECT_EQ(p.values[0], 1.5);
  EXPECT_EQ(p.values[1], 2.5);
  EXPECT_TRUE(std::isnan(p.values[2]));
  EXPECT_EQ(p.values[3], -1);
  EXPECT_EQ(p.values[4], 0);
  EXPECT_EQ(p.values[5], 4e3);
}

TEST_F(PanelImport, LongWithColumnsNamedByOptions) {
  const auto f = write("long.csv",
                       "place,kind,when,amount_gwh,note\n"
                       "A,x,2021-01,1.5,a\nA,x,2021-02,2.5,\nB,y,2021-01,-1,\nB,y,2021-02,0,\n"
                       "B,y,2021-03,4e3,\nA,x,2021-03,NA,\n");
  ImportOptions o = quiet();
  o.id_cols = {"place", "kind"};
  o.time_col = "when";
  o.value_col = "amount_gwh";
  const ImportResult r = import_panel({f}, o);
  expect_ab_panel(r.panel);
  EXPECT_EQ(r.rows, 6);
  EXPECT_EQ(r.ragged, 1);  // A/x has no value for March
}

TEST_F(PanelImport, WideByColumnsAndByRowsGiveTheSamePanel) {
  const auto cols = write("cols.csv", "date,A/x,B/y\n2021-01-01,1.5,-1\n2021-02-01,2.5,0\n2021-03-01,,4e3\n");
  expect_ab_panel(import_panel({cols}, quiet()).panel);
  // pandas' to_csv of a frame with an unnamed index: the first header cell is empty.
  const auto pandas = write("pandas.csv", ",A/x,B/y\n2021-01,1.5,-1\n2021-02,2.5,0\n2021-03,NaN,4e3\n");
  expect_ab_panel(import_panel({pandas}, quiet()).panel);
  const auto rows = write("rows.csv", "region,sector,2021-01,2021-02,2021-03\nA,x,1.5,2.5,\nB,y,-1,0,4e3\n");
  expect_ab_panel(import_panel({rows}, quiet()).panel);
  const auto rows_ids = write("rows2.csv", "id,2021-01-01,2021-02-01,2021-03-01\nA/x,1.5,2.5,\nB/y,-1,0,4e3\n");
  ImportOptions o = quiet();
  o.layout = TableLayout::rows;
  // One id column: the whole id is the region (the slash kept), so give it as two columns.
  const Panel p = import_panel({rows_ids}, o).panel;
  EXPECT_EQ(p.series_id, (std::vector<std::string>{"A/x", "B/y"}));
  EXPECT_EQ(p.values[5], 4e3);
}

TEST_F(PanelImport, TsvAndGzip) {
  const std::string text = "region\tsector\tdate\tvalue\nA\tx\t2021-01-01\t1.5\nA\tx\t2021-02-01\t2.5\n"
                           "B\ty\t2021-01-01\t-1\nB\ty\t2021-02-01\t0\nB\ty\t2021-03-01\t4e3\n";
  expect_ab_panel(import_panel({write("p.tsv", text)}, quiet()).panel);
  expect_ab_panel(import_panel({write_gz("p.tsv.gz", text)}, quiet()).panel);
  std::string csv = text;
  for (char& c : csv)
    if (c == '\t') c = ',';
  expect_ab_panel(import_panel({write_gz("p.csv.gz", csv)}, quiet()).panel);
}

TEST_F(PanelImport, TruncatedGzipIsAnError) {
  std::string text = "region,sector,date,value\n";
  for (int d = 1; d <= 28; ++d) text += "A,x,2021-02-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + ",1\n";
  const auto gz = write_gz("t.csv.gz", text);
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto cut = write("cut.csv.gz", bytes.substr(0, bytes.size() - 12));
  const std::string e = error_of({cut});
  EXPECT_NE(e.find(cut + ": damaged or truncated gzip data"), std::string::npos) << e;
}

TEST_F(PanelImport, EveryFrequencyFromItsLabels) {
  struct Case {
    const char* labels[3];
    Frequency f;
    std::vector<const char*> days;
    const char* shown;
  };
  const std::vector<Case> cases = {
      {{"2021-03-01", "2021-03-02", "2021-03-04"}, Frequency::daily,
       {"2021-03-01", "2021-03-02", "2021-03-03", "2021-03-04"}, "2021-03-04"},
      {{"2021-03-01", "2021-03-08", "2021-03-22"}, Frequency::weekly,
       {"2021-03-01", "2021-03-08", "2021-03-15", "2021-03-22"}, "2021-03-22"},
      {{"2021-01", "2021-02", "2021-04"}, Frequency::monthly,
       {"2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"}, "2021-04"},
      {{"2021-01-31", "2021-02-28", "2021-04-30"}, Frequency::monthly,  // month ends (pandas "ME")
       {"2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"}, "2021-04"},
      {{"2021-Q1", "2021Q2", "2021 Q4"}, Frequency::quarterly,
       {"2021-01-01", "2021-04-01", "2021-07-01", "2021-10-01"}, "2021-Q4"},
      {{"2019", "2020", "2022"}, Frequency::annual, {"2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01"},
       "2022"},
  };
  for (const Case& c : cases) {
    const auto f = write("f.csv", std::string("region,date,value\nA,") + c.labels[0] + ",1\nA," + c.labels[1] +
                                      ",2\nA," + c.labels[2] + ",4\n");
    const Panel p = import_panel({f}, quiet()).panel;
    EXPECT_EQ(p.frequency, c.f) << c.labels[0];
    std::vector<std::int32_t> want;
    for (const char* d : c.days) want.push_back(day(d));
    EXPECT_EQ(p.time, want) << c.labels[0];
    ASSERT_EQ(p.values.size(), 4u);
    EXPECT_EQ(p.values[0], 1);
    EXPECT_TRUE(std::isnan(p.values[2])) << c.labels[0];
    EXPECT_EQ(p.values[3], 4);
    EXPECT_EQ(format_time(p.time.back(), p.frequency), c.shown);
  }
}

TEST_F(PanelImport, IndexAxis) {
  // Step numbers in a time column, or no time column at all (each row a step).
  const auto steps = write("s.csv", "series,step,value\na,0,1\na,1,2\na,3,4\n");
  ImportOptions o = quiet();
  o.id_cols = {"series"};
  Panel p = import_panel({steps}, o).panel;
  EXPECT_EQ(p.frequency, Frequency::index);
  EXPECT_EQ(p.time, (std::vector<std::int32_t>{0, 1, 2, 3}));
  EXPECT_TRUE(std::isnan(p.values[2]));
  const auto rows = write("r.csv", "a,b\n1,10\n2,20\n3,30\n");
  o = quiet();
  o.layout = TableLayout::columns;
  p = import_panel({rows}, o).panel;
  EXPECT_EQ(p.frequency, Frequency::index);
  EXPECT_EQ(p.time, (std::vector<std::int32_t>{0, 1, 2}));
  EXPECT_EQ(p.series_id, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.values, (std::vector<double>{1, 2, 3, 10, 20, 30}));
  // Four-digit integers are years unless the index axis is asked for.
  const auto years = write("y.csv", "series,when,value\na,2000,1\na,2001,2\n");
  o = quiet();
  o.id_cols = {"series"};
  o.time_col = "when";
  EXPECT_EQ(import_panel({years}, o).panel.frequency, Frequency::annual);
  o.frequency = Frequency::index;
  p = import_panel({years}, o).panel;
  EXPECT_EQ(p.frequency, Frequency::index);
  EXPECT_EQ(p.time, (std::vector<std::int32_t>{2000, 2001}));
  // ... or the column is named step, t or index.
  const auto t = write("t.csv", "series,t,value\na,1000,1\na,1001,2\n");
  o = quiet();
  o.id_cols = {"series"};
  o.time_col = "t";
  p = import_panel({t}, o).panel;
  EXPECT_EQ(p.frequency, Frequency::index);
  EXPECT_EQ(p.time, (std::vector<std::int32_t>{1000, 1001}));
}

TEST_F(PanelImport, RaggedSeriesKeepNaNOutsideTheirSpan) {
  const auto f = write("r.csv",
                       "region,date,value\nearly,2021-01-01,1\nearly,2021-01-02,2\n"
                       "late,2021-01-03,3\nlate,2021-01-04,4\nall,2021-01-01,5\nall,2021-01-04,6\n");
  const ImportResult r = import_panel({f}, quiet());
  const Panel& p = r.panel;
  ASSERT_EQ(p.series_id, (std::vector<std::string>{"all", "early", "late"}));
  EXPECT_EQ(p.n_time(), 4);
  const double* early = p.row(1);
  const double* late = p.row(2);
  EXPECT_EQ(early[1], 2);
  EXPECT_TRUE(std::isnan(early[2]) && std::isnan(early[3]));
  EXPECT_TRUE(std::isnan(late[0]) && std::isnan(late[1]));
  EXPECT_EQ(late[3], 4);
  EXPECT_EQ(r.ragged, 2);  // "all" has gaps inside but spans the axis
}

TEST_F(PanelImport, IrregularDateIsRefusedWithItsRowOrRegularised) {
  const auto f = write("m.csv",
                       "region,date,value\nA,2021-01-01,1\nA,2021-02-01,2\nA,2021-03-15,3\n"
                       "A,2021-04-01,4\nA,2021-05-01,5\n");
  std::string e = error_of({f});
  EXPECT_NE(e.find(f + ":4: date 2021-03-15 is not on this panel's monthly axis (day 1 of each month"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("--freq M puts every row in its calendar month"), std::string::npos) << e;
  ImportOptions o = quiet();
  o.frequency = Frequency::monthly;
  const Panel p = import_panel({f}, o).panel;
  EXPECT_EQ(p.frequency, Frequency::monthly);
  EXPECT_EQ(p.values, (std::vector<double>{1, 2, 3, 4, 5}));
  // Two rows in one month once regularised: a duplicate naming both rows.
  const auto two = write("two.csv", "region,date,value\nA,2021-01-01,1\nA,2021-01-20,2\nA,2021-02-03,3\n");
  e = error_of({two}, o);
  EXPECT_NE(e.find(two + ":3: duplicate row for (A, 2021-01); first given at " + two + ":2 (the same calendar "
                   "month with --freq M)"),
            std::string::npos)
      << e;
  // Daily data with a gap stays daily (missing days are NaN) without --freq.
  const auto gap = write("gap.csv", "region,date,value\nA,2021-01-01,1\nA,2021-01-02,2\nA,2021-01-05,5\n");
  EXPECT_EQ(import_panel({gap}, quiet()).panel.n_time(), 5);
  // Weekly data with one date off the weekday.
  const auto weekly = write("w.csv",
                            "region,date,value\nA,2021-03-01,1\nA,2021-03-08,2\nA,2021-03-16,3\nA,2021-03-22,4\n"
                            "A,2021-03-29,5\nA,2021-04-05,6\n");
  e = error_of({weekly});
  EXPECT_NE(e.find(weekly + ":4: date 2021-03-16 is not on this panel's weekly axis"), std::string::npos) << e;
  o.frequency = Frequency::weekly;
  EXPECT_EQ(import_panel({weekly}, o).panel.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST_F(PanelImport, MixedFrequenciesAreRefused) {
  const auto months = write("a.csv", "region,date,value\nA,2021-01,1\nA,2021-02,2\n");
  const auto quarters = write("b.csv", "region,date,value\nB,2021-Q1,1\nB,2021-Q2,2\n");
  std::string e = error_of({months, quarters});
  EXPECT_NE(e.find(quarters + ":2: mixed frequencies: time '2021-Q1' is a quarter (YYYY-Qn), but " + months +
                   ":2 gives a month (YYYY-MM) ('2021-01')"),
            std::string::npos)
      << e;
  // YYYY-MM and YYYY-MM-01 mix; a date inside a month does not.
  const auto firsts = write("c.csv", "region,date,value\nC,2021-01-01,1\nC,2021-02-01,2\n");
  EXPECT_EQ(import_panel({months, firsts}, quiet()).panel.n_series(), 2);
  const auto inside = write("d.csv", "region,date,value\nD,2021-01-01,1\nD,2021-01-02,2\n");
  e = error_of({months, inside});
  EXPECT_NE(e.find(inside + ":3: mixed frequencies: date 2021-01-02 is not the first day of its calendar month"),
            std::string::npos)
      << e;
  // A series that steps by months among daily ones.
  std::string text = "region,date,value\n";
  for (int d = 1; d <= 9; ++d) text += "daily,2021-01-0" + std::to_string(d) + ",1\n";
  text += "monthly,2021-01-01,1\nmonthly,2021-02-01,2\nmonthly,2021-03-01,3\n";
  const auto mixed = write("e.csv", text);
  e = error_of({mixed});
  EXPECT_NE(e.find(mixed + ":11: mixed frequencies: series (monthly) steps by calendar month (2021-01-01, "
                   "2021-02-01, 2021-03-01, ...) but most steps in this panel are one day"),
            std::string::npos)
      << e;
  // Step numbers and dates.
  const auto steps = write("f.csv", "region,step,value\nS,1,1\nS,2,2\n");
  e = error_of({months, steps});
  EXPECT_NE(e.find("mixed frequencies"), std::string::npos) << e;
}

TEST_F(PanelImport, BadInputNamesFileAndRow) {
  const auto f = write("p.csv", "country,type,date,value_gwh\nX,coal,2021-01-01,1\nX,coal,2021-01-02,oops\n");
  std::string e = error_of({f});
  EXPECT_NE(e.find(f + ":3: value 'oops' is not a finite number"), std::string::npos) << e;
  ImportOptions o = quiet();
  o.id_cols = {"country", "fuel"};
  e = error_of({f}, o);
  EXPECT_NE(e.find(f + ":1: no column named 'fuel' (--id-cols); the columns are: country,type,date,value_gwh"),
            std::string::npos)
      << e;
  o.id_cols = {};
  o.value_col = "value";
  e = error_of({f}, o);
  EXPECT_NE(e.find(f + ":1: no column named 'value' (--value-col)"), std::string::npos) << e;
  const auto wide = write("w.csv", "date,a,b\n2021-01-01,1,2\n2021-01-02,3,x\n");
  e = error_of({wide});
  EXPECT_NE(e.find(wide + ":3: value 'x' is not a finite number (column 'b')"), std::string::npos) << e;
  const auto header_twice = write("h.csv", "id,2021-01,2021-02,2021-01\na,1,2,3\n");
  e = error_of({header_twice});
  EXPECT_NE(e.find(header_twice + ":1: time '2021-01' is in the header twice (columns 2 and 4)"),
            std::string::npos)
      << e;
}

TEST_F(PanelImport, TheSameFileTwiceIsSaidOnce) {
  const auto f = write("a.csv", "region,sector,date,value\nHubei,Power,2020-01-01,1\n");
  std::string e = error_of({f, f});
  EXPECT_NE(e.find(f + ": the same file is given twice (input 1 and input 2)"), std::string::npos) << e;
  const std::string other = tmp_.path("./a.csv");
  e = error_of({f, other});
  EXPECT_NE(e.find("the same file is given twice (input 1 and input 2, as " + f + ")"), std::string::npos) << e;
}

TEST_F(PanelImport, UnitsFromTheValueColumn) {
  const auto a = write("a.csv", "region,date,value_gwh_7day_mean\nA,2021-01-01,1\n");
  EXPECT_EQ(import_panel({a}, quiet()).panel.units, "gwh_7day_mean");
  const auto b = write("b.csv", "region,date,value_MtCO2_per_day\nA,2021-01-01,1\n");
  EXPECT_EQ(import_panel({b}, quiet()).panel.units, "MtCO2/day");
  ImportOptions o = quiet();
  o.units = "t";
  EXPECT_EQ(import_panel({b}, o).panel.units, "t");
}

TEST_F(PanelImport, MonthlyAndIndexPanelsRoundTripThroughSeriesH5) {
  const auto f = write("m.csv", "region,date,value\nA,2021-01,1\nA,2021-03,3\n");
  Panel p = import_panel({f}, quiet()).panel;
  const std::string out = tmp_.path("m.h5");
  write_series(out, p);
  Panel back = read_series(out);
  EXPECT_EQ(back.frequency, Frequency::monthly);
  EXPECT_EQ(back.time, p.time);
  const auto s = write("s.csv", "a,b\n1,10\n2,20\n");
  ImportOptions o = quiet();
  o.layout = TableLayout::columns;
  p = import_panel({s}, o).panel;
  write_series(out, p);
  back = read_series(out);
  EXPECT_EQ(back.frequency, Frequency::index);
  EXPECT_EQ(back.time, (std::vector<std::int32_t>{0, 1}));
  // A panel that says daily but has a monthly axis is refused before anything is written.
  Panel wrong = import_panel({f}, quiet()).panel;
  wrong.frequency = Frequency::daily;
  const std::string e = [&] {
    try {
      write_series(tmp_.path("wrong.h5"), wrong);
    } catch (const invalid_input& x) {
      return std::string(x.what());
    }
    return std::string();
  }();
  EXPECT_NE(e.find("/time is a monthly axis but the panel says daily"), std::string::npos) << e;
  EXPECT_FALSE(std::filesystem::exists(tmp_.path("wrong.h5")));
}

// The real monthly panel: 31 provinces x 83 months, in tonnes.
TEST(PanelImportRealData, CarbonMonitorChinaMonthly) {
  TURNPOINT_SHARED_OR_SKIP(path, "datasets/carbon_monitor_china_monthly/panel_co2_monthly.csv");
  ImportOptions o;
  o.quiet = true;
  o.value_col = "co2_tonnes";
  const ImportResult r = import_panel({path}, o);
  EXPECT_EQ(r.panel.n_series(), 31);
  EXPECT_EQ(r.panel.n_time(), 83);
  EXPECT_EQ(r.panel.frequency, Frequency::monthly);
  EXPECT_EQ(format_time(r.panel.time.front(), r.panel.frequency), "2019-01");
  EXPECT_EQ(format_time(r.panel.time.back(), r.panel.frequency), "2025-11");
  EXPECT_TRUE(r.warnings.empty());
  // The year_month column says the same months.
  o.time_col = "year_month";
  EXPECT_EQ(import_panel({path}, o).panel.time, r.panel.time);
}

}  // namespace
}  // namespace turnpoint
