// Reports: the Markdown seed format (checked line by line and parsed back with the seed
// importer), English, JSON, the HTML/SVG structure (parsed as XML by
// tests/report/report_html_check.py) and, where Chromium is installed, a headless load with a
// screenshot. Flagged entries (anachronism, other-region, other-sector) never appear.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "host/report/report.hpp"
#include "host/catalogue/seed_import.hpp"
#include "host/io/series_io.hpp"
#include "tests/report/report_fixtures.hpp"

namespace turnpoint {
namespace {

namespace fs = std::filesystem;
using testing::D;

// testing::make_entry with the title and URL first, as the reports show them; c2 has an issuer.
CatalogueEntry make(const std::string& id, const std::string& title, EntryKind kind, PolicyDate date,
                    Scope scope, std::vector<std::string> regions, std::vector<std::string> sectors,
                    const std::string& url) {
  CatalogueEntry e = testing::make_entry(id, kind, date, scope, std::move(regions), std::move(sectors), title, url);
  e.issuer = id == "c2" ? "甘肃省人民政府" : "";
  return e;
}

struct Fixture {
  Panel panel;
  DetectionSet set;
  Catalogue cat;
  ReportOptions options;
  Fixture() {
    const std::int32_t t0 = D(2021, 1, 1);
    for (int i = 0; i < 365; ++i) panel.time.push_back(t0 + i);
    panel.region = {"Gansu", "Inner Mongolia", "Beijing"};
    panel.sector = {"Industry", "Power", "Aviation"};
    panel.series_id = {"Gansu/Industry", "Inner Mongolia/Power", "Beijing/Aviation"};
    panel.values.assign(3 * 365, 3.0);
    for (int i = 0; i < 365; ++i) panel.values[i] = i < 182 ? 1.0 : 2.0;
    panel.values[50] = std::nan("");  // a missing day breaks the line
    set.time = panel.time;
    set.region = panel.region;
    set.sector = panel.sector;
    set.series_id = panel.series_id;
    auto tp = [&](int series, int index, TurnKind kind, double conf, int rank) {
      TurningPoint p;
      p.series = series, p.index = index, p.day = t0 + index, p.kind = kind, p.confidence = conf, p.rank = rank;
      return p;
    };
    set.points = {tp(0, 182, TurnKind::event, 0.56, 1), tp(0, 300, TurnKind::seasonal, 0.70, 2),
                  tp(1, 100, TurnKind::unclassified, std::nan(""), 1), tp(2, 31, TurnKind::event, 0.9, 1)};
    const auto E = EntryKind::event, P = EntryKind::policy;
    cat.entries = {
        make("c1", "甘肃某冶炼厂投产", E, PolicyDate::of_day(2021, 7, 1), Scope::provincial, {"Gansu"}, {"Industry"},
             "https://a.example/c1"),
        make("c2", "《甘肃省工业节能方案》", P, PolicyDate::of_month(2021, 10), Scope::provincial, {"Gansu"},
             {"Industry"}, "https://b.example/c2"),
        make("c3", "陕西省钢铁方案", P, PolicyDate::of_day(2021, 7, 1), Scope::provincial, {"Shaanxi"}, {"Industry"},
             "https://c.example/c3"),
        make("c4", "甘肃省未来方案", P, PolicyDate::of_day(2022, 3, 15), Scope::provincial, {"Gansu"}, {"Industry"},
             "https://d.example/c4"),
        make("c5", "全国电力保供通知", P, PolicyDate::of_day(2021, 4, 1), Scope::national, {}, {"Power"}, ""),
        make("c6", "甘肃省建筑节能", P, PolicyDate::of_day(2021, 7, 1), Scope::provincial, {"Gansu"}, {"Residential"},
             "https://e.example/c6"),
    };
    options.analysed_at = "2024-01-02 03:04:05";
  }
};

std::vector<std::string> lines_of(const std::string& s) { return text::split_lines(s); }
bool has_line(const std::string& s, const std::string& line) {
  for (const auto& l : lines_of(s))
    if (l == line) return true;
  return false;
}

TEST(ReportMarkdown, SeedFormatLineByLine) {
  Fixture f;
  const auto reports = build_series_reports(f.set, f.cat, f.options);
  ASSERT_EQ(reports.size(), 3u);
  const std::string md = report_markdown(reports[0], f.options);
  const auto lines = lines_of(md);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "# 甘肃省 工业部门 碳排放变点相关政策与事件汇总");
  EXPECT_EQ(lines[2], "分析时间: 2024-01-02 03:04:05");
  EXPECT_EQ(lines[3], "共包含 2 个重要转折点的相关信息");
  EXPECT_TRUE(has_line(md, "## 转折点: 2021-07-02 (Event) - 置信度: 0.56"));
  EXPECT_TRUE(has_line(md, "## 转折点: 2021-10-28 (Seasonal) - 置信度: 0.70"));
  // 2021-07-02: c1 took effect the day before; c2 (2021-10) comes three months later: an
  // anachronism there, but it is in force during the seasonal change of 2021-10-28.
  EXPECT_TRUE(has_line(md, "1. **事件名称**：甘肃某冶炼厂投产"));
  EXPECT_TRUE(has_line(md, "**发生时间**：2021年7月1日"));
  EXPECT_TRUE(has_line(md, "**关联依据**：早于转折点1天生效；甘肃省；工业；方向未说明（关联强度：强）"));
  EXPECT_EQ(text::count_of(md, "《甘肃省工业节能方案》"), 1u);
  EXPECT_TRUE(has_line(md, "1. **政策名称**：《甘肃省工业节能方案》"));
  EXPECT_TRUE(has_line(md, "**实施日期**：2021年10月"));
  // The source link is labelled with the site it leads to, not with an issuer's name.
  EXPECT_TRUE(has_line(md, "**信息来源网址**：[b.example](https://b.example/c2)"));
  // Never a flagged entry: other province (c3), after the window (c4), other sector (c6).
  for (const char* flagged : {"陕西省钢铁方案", "甘肃省未来方案", "甘肃省建筑节能"})
    EXPECT_EQ(md.find(flagged), std::string::npos) << flagged;

  const std::string md1 = report_markdown(reports[1], f.options);
  EXPECT_EQ(lines_of(md1)[0], "# 内蒙古自治区 电力部门 碳排放变点相关政策与事件汇总");
  EXPECT_TRUE(has_line(md1, "## 转折点: 2021-04-11 (Unclassified) - 置信度: n/a"));
  EXPECT_TRUE(has_line(md1, "1. **政策名称**：全国电力保供通知"));
  const std::string md2 = report_markdown(reports[2], f.options);
  EXPECT_EQ(lines_of(md2)[0], "# 北京市 航空部门 碳排放变点相关政策与事件汇总");
  EXPECT_TRUE(has_line(md2, "未找到相关政策或事件。"));
}

TEST(ReportMarkdown, CountIsTheNumberListed) {
  Fixture f;
  f.options.max_points = 1;
  const auto reports = build_series_reports(f.set, f.cat, f.options);
  const std::string md = report_markdown(reports[0], f.options);
  EXPECT_TRUE(has_line(md, "共包含 1 个重要转折点的相关信息"));
  EXPECT_EQ(text::count_of(md, "## 转折点:"), 1u);
}

TEST(ReportMarkdown, ParsesBackWithTheSeedImporter) {
  Fixture f;
  const auto reports = build_series_reports(f.set, f.cat, f.options);
  for (const auto& r : reports) {
    SeedReport back = parse_seed_report(report_markdown(r, f.options), r.file_stem + ".md");
    EXPECT_EQ(back.province, r.region);
    EXPECT_EQ(back.sector, r.sector);
    EXPECT_EQ(back.announced, static_cast<int>(back.sections.size()));
    ASSERT_EQ(back.sections.size(), r.points.size());
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      EXPECT_EQ(back.sections[i].day, r.points[i].point->day);
      EXPECT_EQ(back.sections[i].kind, r.points[i].point->kind);
      ASSERT_EQ(back.sections[i].entries.size(), r.points[i].entries.size());
      EXPECT_EQ(back.sections[i].none_found, r.points[i].entries.empty());
      for (std::size_t k = 0; k < r.points[i].entries.size(); ++k) {
        const auto& e = back.sections[i].entries[k];
        EXPECT_EQ(e.title, r.points[i].entries[k]->title);
        ASSERT_TRUE(e.date.has_value());
        EXPECT_EQ(*e.date, r.points[i].entries[k]->date);
        EXPECT_EQ(e.url, r.points[i].entries[k]->url);
      }
    }
  }
}

TEST(ReportMarkdown, English) {
  Fixture f;
  f.options.lang = "en";
  const auto reports = build_series_reports(f.set, f.cat, f.options);
  const std::string md = report_markdown(reports[0], f.options);
  EXPECT_EQ(lines_of(md)[0], "# Gansu Industry sector: policies and events around emission turning points");
  EXPECT_TRUE(has_line(md, "Contains 2 turning points"));
  EXPECT_TRUE(has_line(md, "## Turning point: 2021-07-02 (Event) - confidence: 0.56"));
  EXPECT_TRUE(has_line(md, "1. **Event**: 甘肃某冶炼厂投产"));  // no English title given: the original
  EXPECT_TRUE(has_line(md, "**Why linked**: took effect 1 day before; Gansu; Industry; direction not stated (strong link)"));
  // A policy's date is when it took effect, and the label says so.
  EXPECT_TRUE(has_line(md, "**Entry into force**: 2021-10"));
  EXPECT_EQ(md.find("Issued"), std::string::npos);
  EXPECT_EQ(md.find("甘肃省人民政府"), std::string::npos);  // a Chinese issuer is not printed in English
  EXPECT_TRUE(has_line(md, "**Source**: [b.example](https://b.example/c2)"));
  EXPECT_TRUE(has_line(report_markdown(reports[2], f.options), "No related policy or event found."));
  // An English title is used when the entry has one.
  f.cat.entries[0].title_en = "Gansu smelter starts production";
  const auto again = build_series_reports(f.set, f.cat, f.options);
  EXPECT_TRUE(has_line(report_markdown(again[0], f.options), "1. **Event**: Gansu smelter starts production"));
}

TEST(ReportJson, ForPrograms) {
  Fixture f;
  const auto reports = build_series_reports(f.set, f.cat, f.options);
  const auto j = nlohmann::json::parse(report_json(reports[0], f.options));
  EXPECT_EQ(j["series_id"], "Gansu/Industry");
  EXPECT_EQ(j["n_turning_points"], 2);
  ASSERT_EQ(j["turning_points"].size(), 2u);
  EXPECT_EQ(j["turning_points"][0]["day"], "2021-07-02");
  EXPECT_EQ(j["turning_points"][0]["kind"], "event");
  ASSERT_EQ(j["turning_points"][0]["entries"].size(), 1u);
  EXPECT_EQ(j["turning_points"][0]["entries"][0]["id"], "c1");
  EXPECT_EQ(j["turning_points"][0]["entries"][0]["distance_days"], -1);
  EXPECT_EQ(j["turning_points"][0]["entries"][0]["grade"], "strong");
  EXPECT_EQ(j["turning_points"][0]["entries"][0]["reason"], "早于转折点1天生效；甘肃省；工业；方向未说明");
  EXPECT_EQ(j["turning_points"][1]["entries"][0]["id"], "c2");
  EXPECT_EQ(j["turning_points"][1]["entries"][0]["time_match"], "effective");
  EXPECT_TRUE(nlohmann::json::parse(report_json(reports[1], f.options))["turning_points"][0]["confidence"].is_null());
}

TEST(ReportFiles, ASeriesWithoutTurningPointsSaysWhy) {
  Fixture f;
  f.set.points.clear();
  f.set.summary.assign(3, SeriesSummary{});
  f.set.summary[0].status = SeriesStatus::constant;
  f.set.summary[1].status = SeriesStatus::empty;
  // series 2: analysed, nothing reported
  const auto reports = build_series_reports(f.set, f.cat, f.options);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].no_points, SeriesReport::NoPoints::constant);
  EXPECT_EQ(reports[1].no_points, SeriesReport::NoPoints::too_short);
  EXPECT_EQ(reports[2].no_points, SeriesReport::NoPoints::below_threshold);
  ReportOptions en = f.options;
  en.lang = "en";
  EXPECT_NE(report_markdown(reports[0], en).find("the series is constant (all zero"), std::string::npos);
  EXPECT_NE(report_markdown(reports[1], f.options).find("有效数据太少"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(report_json(reports[2], en))["no_points"],
            "No turning point passed the reporting threshold: the series' changes stay within its regular "
            "pattern and noise.");
  EXPECT_NE(report_html(reports[2], SeriesChart{}, en).find("No turning point passed"), std::string::npos);
  // A file without per-series summaries (or a series the report's --max-points left out).
  f.set.summary.clear();
  EXPECT_EQ(build_series_reports(f.set, f.cat, f.options)[0].no_points, SeriesReport::NoPoints::unknown);
  Fixture g;
  g.set.summary.assign(3, SeriesSummary{});
  g.set.summary[0].n_changes = 2;
  g.options.max_points = 1;
  g.set.points[0].rank = 3, g.set.points[1].rank = 4;  // neither among the report's first
  EXPECT_EQ(build_series_reports(g.set, g.cat, g.options)[0].no_points, SeriesReport::NoPoints::over_report_limit);
  // A series with points has no reason.
  EXPECT_EQ(build_series_reports(g.set, g.cat, g.options)[2].no_points, SeriesReport::NoPoints::none);
}

std::string run(const std::string& cmd, int* status = nullptr) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  const int rc = pclose(pipe.release());
  if (status) *status = rc;
  return out;
}

fs::path write_fixture_reports(Fixture& f, const std::string& name, bool with_values) {
  const fs::path dir = fs::path(TURNPOINT_BINARY_DIR) / "report_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  if (with_values) {
    f.set.input = (dir / "series.h5").string();
    write_series(f.set.input, f.panel);
  }
  const ReportSummary s = write_reports(f.set, f.cat, (dir / "out").string(), f.options);
  EXPECT_EQ(s.series, 3);
  EXPECT_EQ(s.points, 4);
  EXPECT_EQ(s.plotted, with_values) << s.plot_note;
  return dir / "out";
}

TEST(ReportFiles, EverySeriesAndAnIndexNoTemporaries) {
  Fixture f;
  const fs::path out = write_fixture_reports(f, "files", true);
  for (const char* stem : {"Gansu_Industry", "Inner_Mongolia_Power", "Beijing_Aviation"})
    for (const char* ext : {".md", ".json", ".html"}) EXPECT_TRUE(fs::exists(out / (std::string(stem) + ext))) << stem << ext;
  EXPECT_TRUE(fs::exists(out / "index.html"));
  int files = 0;
  for (const auto& de : fs::directory_iterator(out)) {
    ++files;
    EXPECT_EQ(de.path().filename().string().find(".tmp"), std::string::npos) << de.path();
  }
  EXPECT_EQ(files, 3 * 3 + 1);
}

std::string python() {
  const std::string venv = TURNPOINT_PYTHON;
  if (fs::exists(venv)) return venv;
  return run("command -v python3").empty() ? "" : "python3";
}

nlohmann::json html_structure(const fs::path& html) {
  const std::string py = python();
  if (py.empty()) return nullptr;
  int status = 0;
  const std::string out = run(py + " " TURNPOINT_SOURCE_DIR "/tests/report/report_html_check.py '" + html.string() + "' 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  return nlohmann::json::parse(out, nullptr, false);
}

TEST(ReportHtml, SvgStructureParsedAsXml) {
  Fixture f;
  const fs::path out = write_fixture_reports(f, "html", true);
  const auto j = html_structure(out / "Gansu_Industry.html");
  if (j.is_null()) GTEST_SKIP() << "no Python to parse the HTML";
  ASSERT_TRUE(j.is_object()) << "the HTML is not well-formed XML";
  EXPECT_EQ(j["svg"], 1);
  EXPECT_EQ(j["series_paths"], 1);
  EXPECT_EQ(j["path_points"], 364);  // 365 days, one missing
  EXPECT_EQ(j["path_moves"], 2);     // the missing day breaks the line in two
  ASSERT_EQ(j["marks"].size(), 2u);
  EXPECT_EQ(j["marks"][0]["kind"], "event");
  EXPECT_EQ(j["marks"][0]["day"], "2021-07-02");
  EXPECT_EQ(j["marks"][0]["entries"], 1);
  // x = left margin 72 + 182/364 of the 872-pixel plot width.
  EXPECT_NEAR(j["marks"][0]["x"].get<double>(), 508.0, 0.05);
  EXPECT_EQ(j["marks"][1]["kind"], "seasonal");
  EXPECT_EQ(j["marks"][1]["entries"], 1);
  EXPECT_NE(j["marks"][0]["label"].get<std::string>().find("2021-07-02 [1]"), std::string::npos);
  // The linked entries are marked on the time axis (c1 on 2021-07-01, c2 from 2021-10-01).
  EXPECT_EQ(j["entry_marks"], (std::vector<std::string>{"2021-07-01", "2021-10-01"}));
  // The y axis: its unit, and round ticks at an even step (values 1..2 -> 1.0, 1.2, ... 2.0).
  EXPECT_EQ(j["ytitle"], "MtCO2/day");
  const auto ticks = j["yticks"].get<std::vector<std::string>>();
  EXPECT_EQ(ticks, (std::vector<std::string>{"1.0", "1.2", "1.4", "1.6", "1.8", "2.0"}));
  for (const auto& t : ticks) EXPECT_LE(t.size(), 3u) << t;
  EXPECT_EQ(j["rows"], 2);
  const auto links = j["links"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(links.begin(), links.end(), "https://a.example/c1"), links.end());
  EXPECT_EQ(std::find(links.begin(), links.end(), "https://c.example/c3"), links.end());  // flagged
  const auto index = html_structure(out / "index.html");
  EXPECT_EQ(index["links"].size(), 3u);
  // The index ranks the series by their largest change and carries one chart per series
  // with its turning points and linked entries, and the filters.
  EXPECT_EQ(index["svg"], 3);
  EXPECT_EQ(index["series_rows"], 3);
  // Gansu Industry doubles at its first turning point; the other two series are flat.
  EXPECT_EQ(index["row_regions"][0], "Gansu");
  EXPECT_EQ(index["filters"], (std::vector<std::string>{"f-region", "f-sector", "f-kind"}));
}

TEST(ReportHtml, EnglishPagesCarryNoChineseLabels) {
  Fixture f;
  f.options.lang = "en";
  const fs::path out = write_fixture_reports(f, "english", true);
  for (const char* page : {"Gansu_Industry.html", "index.html", "Inner_Mongolia_Power.html"}) {
    std::string html = text::read_file((out / page).string());
    for (const auto& e : f.cat.entries) {  // entry titles are content, not labels
      for (std::size_t at; (at = html.find(e.title)) != std::string::npos;) html.erase(at, e.title.size());
    }
    for (unsigned char c : html) EXPECT_FALSE(c >= 0xE3 && c <= 0xE9) << page << ": a CJK character in a label";
  }
}

TEST(ReportFiles, SyntheticDataIsSaidAndLinksNoPolicy) {
  Fixture f;
  f.panel.source = "turnpoint generate --series 3 --days 365 --seed 1 (synthetic)";
  const fs::path out = write_fixture_reports(f, "synthetic", true);
  const std::string md = text::read_file((out / "Gansu_Industry.md").string());
  EXPECT_EQ(lines_of(md)[0], "# 【合成数据】甘肃省 工业部门 碳排放变点相关政策与事件汇总");
  EXPECT_EQ(md.find("甘肃某冶炼厂投产"), std::string::npos);
  const std::string html = text::read_file((out / "index.html").string());
  EXPECT_NE(html.find("合成数据"), std::string::npos);
}

TEST(ReportHtml, WithoutSeriesValuesTheChartSaysSo) {
  Fixture f;
  const fs::path out = write_fixture_reports(f, "novalues", false);
  const std::string html = text::read_file((out / "Gansu_Industry.html").string());
  EXPECT_NE(html.find("class=\"note\""), std::string::npos);
  const auto j = html_structure(out / "Gansu_Industry.html");
  if (j.is_null()) return;
  EXPECT_EQ(j["series_paths"], 0);
  EXPECT_EQ(j["marks"].size(), 2u);
}

TEST(ReportHtml, LoadsInHeadlessChromiumAndWritesAScreenshot) {
  std::string chromium = run("command -v chromium || command -v chromium-browser");
  while (!chromium.empty() && (chromium.back() == '\n' || chromium.back() == '\r')) chromium.pop_back();
  if (chromium.empty()) GTEST_SKIP() << "chromium not installed (Debian package `chromium`); HTML not checked in a browser";
  Fixture f;
  const fs::path out = write_fixture_reports(f, "chromium", true);
  const fs::path page = out / "Gansu_Industry.html";
  const fs::path png = out / "Gansu_Industry.png";
  const std::string flags = " --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,800 ";
  int status = 0;
  const std::string log = run("timeout 120 '" + chromium + "'" + flags + "--enable-logging=stderr --v=0 --screenshot='" +
                              png.string() + "' 'file://" + page.string() + "' 2>&1", &status);
  EXPECT_EQ(status, 0) << log;
  ASSERT_TRUE(fs::exists(png)) << log;
  const std::string bytes = text::read_file(png.string());
  EXPECT_GT(bytes.size(), 5000u);  // a real picture, not an empty page
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_EQ(log.find("Uncaught"), std::string::npos) << log;
  EXPECT_EQ(log.find("ERROR:CONSOLE"), std::string::npos) << log;
  // The DOM the browser built has the chart and one mark per turning point.
  const std::string dom = run("timeout 120 '" + chromium + "'" + flags + "--dump-dom 'file://" + page.string() + "' 2>/dev/null");
  EXPECT_NE(dom.find("<svg"), std::string::npos);
  EXPECT_EQ(text::count_of(dom, "class=\"tp tp-"), 2u);
  EXPECT_NE(dom.find("class=\"series\""), std::string::npos);
  // The index filters in the browser: a province given in the address hides the other rows.
  const fs::path index = out / "index.html";
  const std::string all = run("timeout 120 '" + chromium + "'" + flags + "--dump-dom 'file://" + index.string() + "' 2>/dev/null");
  EXPECT_EQ(text::count_of(all, "class=\"series-row\""), 3u);
  EXPECT_EQ(text::count_of(all, "display: none"), 0u);
  EXPECT_NE(all.find("3 / 3"), std::string::npos);
  const std::string gansu = run("timeout 120 '" + chromium + "'" + flags + "--dump-dom 'file://" + index.string() +
                                "#region=Gansu' 2>/dev/null");
  EXPECT_EQ(text::count_of(gansu, "display: none"), 2u);
  EXPECT_NE(gansu.find("1 / 3"), std::string::npos);
  const std::string event = run("timeout 120 '" + chromium + "'" + flags + "--dump-dom 'file://" + index.string() +
                                "#kind=event&sector=Aviation' 2>/dev/null");
  EXPECT_NE(event.find("1 / 3"), std::string::npos);  // Beijing Aviation has an event point
  const fs::path index_png = out / "index.png";
  run("timeout 120 '" + chromium + "'" + flags + "--screenshot='" + index_png.string() + "' 'file://" + index.string() + "' 2>&1");
  EXPECT_TRUE(fs::exists(index_png));
}

}  // namespace
}  // namespace turnpoint
