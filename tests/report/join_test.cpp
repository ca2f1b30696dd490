// The checked join on a DetectionSet built here (expected matches, flags and ranking
// worked out by hand from docs/catalogue.md), and the audit of the seed reports, which
// must find every defect listed in ../shared/seeds/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "host/report/audit.hpp"
#include "host/catalogue/catalogue_dates.hpp"
#include "kernels/error.hpp"
#include "host/report/join.hpp"
#include "tests/report/report_fixtures.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

using testing::D;
using testing::make_entry;

struct Fixture {
  DetectionSet set;
  Catalogue cat;
  Fixture() {
    set.region = {"Gansu", "Shanxi"};
    set.sector = {"Industry", "Ground Transport"};
    set.series_id = {"Gansu/Industry", "Shanxi/Ground Transport"};
    TurningPoint a;
    a.series = 0, a.day = D(2021, 12, 31), a.kind = TurnKind::event, a.confidence = 0.56, a.rank = 1;
    TurningPoint b;
    b.series = 1, b.day = D(2024, 11, 8), b.kind = TurnKind::seasonal, b.confidence = 0.61, b.rank = 1;
    set.points = {a, b};
    const auto E = EntryKind::event, P = EntryKind::policy;
    const auto PROV = Scope::provincial, NAT = Scope::national;
    cat.entries = {
        make_entry("e1", E, PolicyDate::of_day(2021, 12, 14), PROV, {"Gansu"}, {"Industry"}),
        make_entry("e2", P, PolicyDate::of_month(2022, 3), PROV, {"Gansu"}, {"Industry"}),
        make_entry("e3", E, PolicyDate::of_day(2022, 4, 1), PROV, {"Gansu"}, {"Industry"}),     // after the window
        make_entry("e4", E, PolicyDate::of_day(2021, 9, 29), PROV, {"Gansu"}, {"Industry"}),    // before it
        make_entry("e5", E, PolicyDate::of_day(2021, 12, 20), PROV, {"Shaanxi"}, {"Industry"}), // 陕西, not 山西/甘肃
        make_entry("e6", E, PolicyDate::of_day(2021, 12, 20), PROV, {"Gansu"}, {"Residential"}),
        make_entry("e7", P, PolicyDate::of_day(2021, 10, 24), NAT, {}, {}),
        make_entry("e8", E, PolicyDate::of_year(2021), PROV, {"Gansu"}, {"Industry", "Power"}),
        make_entry("e9", P, PolicyDate::of_month(2024, 11), PROV, {"Shaanxi"}, {"Power"}),      // two failures
        make_entry("e10", P, PolicyDate::of_month(2024, 11), PROV, {"Shaanxi"}, {"Ground Transport"}),
        make_entry("e11", P, PolicyDate::of_day(2025, 1, 15), PROV, {"Shanxi"}, {"Ground Transport"}),
    };
  }
};

std::vector<std::string> ids(const Catalogue& c, const std::vector<Match>& v) {
  std::vector<std::string> out;
  for (const auto& m : v) out.push_back(c.entries[m.entry].id);
  return out;
}

TEST(Join, CauseBeforeEffectPlaceSectorAndStrengthByHand) {
  Fixture f;
  const auto r = join(f.set, f.cat, JoinOptions{});
  ASSERT_EQ(r.size(), 2u);
  // The outer window of 2021-12-31 (candidates for near misses): 2021-09-30 .. 2022-03-31.
  EXPECT_EQ(r[0].window_first, D(2021, 9, 30));
  EXPECT_EQ(r[0].window_last, D(2022, 3, 31));
  // Strengths (docs/catalogue.md#the-join), the turning point has no measured step:
  //  e1 event 17 days before, immediate: time 1 - 0.8*(17-7)/(45-7); province 1; sector 1;
  //     direction not stated 0.7; event meets an immediate entry 1.
  //  e8 event dated 2021 (year precision 0.4), the day lies in it; one of two sectors 0.9.
  const double e1 = (1.0 - 0.8 * 10.0 / 38.0) * 0.7;
  const double e8 = 0.4 * 0.9 * 0.7;
  EXPECT_EQ(ids(f.cat, r[0].matches), (std::vector<std::string>{"e1", "e8"}));
  EXPECT_NEAR(r[0].matches[0].check.strength, e1, 1e-9);
  EXPECT_NEAR(r[0].matches[1].check.strength, e8, 1e-9);
  EXPECT_EQ(r[0].matches[0].check.grade, "moderate");
  EXPECT_EQ(r[0].matches[1].check.grade, "weak");
  EXPECT_EQ(r[0].matches[0].rank, 1);
  EXPECT_EQ(r[0].matches[0].check.distance_days, -17);
  EXPECT_EQ(r[0].matches[0].check.time_match, "effective");
  EXPECT_EQ(r[0].matches[1].check.sector_match, "multi-sector");
  EXPECT_EQ(r[0].matches[0].check.reason_en, "took effect 17 days before; Gansu; Industry; direction not stated");
  EXPECT_EQ(r[0].matches[0].check.reason_zh, "早于转折点17天生效；甘肃省；工业；方向未说明");
  // Near misses: each fails exactly one check and says which. e2 (2022-03) and e3
  // (2022-04-01) start after the turning point: anachronisms, e3 outside the outer window;
  // e4 took effect 93 days before, too long for an immediate event (and outside the window);
  // the national plan e7 is too weak: 68 days after a gradual policy took effect, national,
  // economy-wide, against an event turning point.
  std::set<std::pair<std::string, std::string>> near;
  for (const auto& m : r[0].near_misses) {
    ASSERT_EQ(m.check.flags.size(), 1u);
    near.insert({f.cat.entries[m.entry].id, m.check.flags[0]});
  }
  EXPECT_EQ(near, (std::set<std::pair<std::string, std::string>>{
                      {"e2", "anachronism"}, {"e5", "other-region"}, {"e6", "other-sector"}, {"e7", "weak"}}));
  // Shanxi Ground Transport 2024-11-08: Shaanxi entries never match; e11 (2025-01-15) comes
  // two months later: an anachronism.
  EXPECT_TRUE(r[1].matches.empty());
  std::set<std::pair<std::string, std::string>> near1;
  for (const auto& m : r[1].near_misses) near1.insert({f.cat.entries[m.entry].id, m.check.flags[0]});
  EXPECT_EQ(near1, (std::set<std::pair<std::string, std::string>>{{"e10", "other-region"}, {"e11", "anachronism"}}));
}

TEST(Join, OuterWindowsAndMaxMatches) {
  Fixture f;
  JoinOptions o;
  set_join_windows(o, "", "", "1:1");  // seasonal: one month either side
  const auto r = join(f.set, f.cat, o);
  EXPECT_EQ(r[1].window_last, D(2024, 12, 8));
  ASSERT_EQ(r[1].near_misses.size(), 1u);  // e11 now lies beyond the outer window
  EXPECT_EQ(f.cat.entries[r[1].near_misses[0].entry].id, "e10");
  JoinOptions top;
  top.max_matches = 1;
  EXPECT_EQ(ids(f.cat, join(f.set, f.cat, top)[0].matches), (std::vector<std::string>{"e1"}));
  JoinOptions bad;
  EXPECT_THROW(set_join_windows(bad, "3", "", ""), invalid_input);
  EXPECT_THROW(set_join_windows(bad, "", "a:1", ""), invalid_input);
  EXPECT_THROW(set_join_windows(bad, "", "", "-1:2"), invalid_input);
}

CatalogueEntry hubei(const std::string& id, PolicyDate date, Scope scope, Direction dir) {
  CatalogueEntry e = make_entry(id, EntryKind::event, date, scope, {"Hubei"}, {});
  e.direction = dir;
  e.onset = Onset::immediate;
  if (scope == Scope::city) e.place = "武汉";
  return e;
}

TEST(Join, DirectionAgreesOrContradicts) {
  const JoinOptions o;
  const auto lockdown = hubei("l", PolicyDate::of_day(2020, 1, 23), Scope::city, Direction::down);
  const auto reopening = hubei("r", PolicyDate::of_day(2020, 1, 23), Scope::city, Direction::up);
  // A drop two days after the Wuhan lockdown: it agrees.
  const LinkCheck drop = assess_link(D(2020, 1, 25), TurnKind::event, -0.56, "Hubei", "Ground Transport", lockdown, o);
  EXPECT_TRUE(drop.ok());
  EXPECT_EQ(drop.direction_match, "agrees");
  EXPECT_EQ(drop.region_match, "city");
  EXPECT_EQ(drop.reason_en, "took effect 2 days before; a city in Hubei; all sectors; drop expected, drop found");
  EXPECT_EQ(drop.reason_zh, "早于转折点2天生效；湖北省（武汉）；全部门；预期下降，实际下降");
  EXPECT_NEAR(drop.strength, 0.85 * 0.8, 1e-9);  // a city in the province, economy-wide
  EXPECT_EQ(drop.grade, "strong");
  // The same drop against an entry that expects a rise: flagged, never a match, and said.
  const LinkCheck against = assess_link(D(2020, 1, 25), TurnKind::event, -0.56, "Hubei", "Industry", reopening, o);
  EXPECT_EQ(against.flags, std::vector<std::string>{"direction-contradicts"});
  EXPECT_NE(against.reason_en.find("rise expected but drop found: direction contradicts"), std::string::npos);
  // A step too small to judge, or none measured: the direction is not judged.
  EXPECT_EQ(assess_link(D(2020, 1, 25), TurnKind::event, 0.01, "Hubei", "Power", reopening, o).direction_match,
            "not-judged");
  EXPECT_EQ(assess_link(D(2020, 1, 25), TurnKind::event, std::nan(""), "Hubei", "Power", reopening, o).direction_match,
            "not-judged");
  // Another province: other-region, whatever else fits.
  EXPECT_EQ(assess_link(D(2020, 1, 25), TurnKind::event, -0.5, "Hunan", "Power", lockdown, o).flags,
            std::vector<std::string>{"other-region"});
}

TEST(Join, LeadToleranceAnnouncementAndMonthlySteps) {
  const JoinOptions o;
  auto level1 = hubei("h", PolicyDate::of_day(2020, 1, 24), Scope::provincial, Direction::down);
  // Three days before it took effect: within the 7-day lead tolerance, and it says so.
  const LinkCheck lead = assess_link(D(2020, 1, 21), TurnKind::event, -0.56, "湖北", "Ground Transport", level1, o);
  EXPECT_TRUE(lead.ok());
  EXPECT_EQ(lead.time_match, "lead");
  EXPECT_EQ(lead.reason_en,
            "took effect 3 days after (within the 7-day lead tolerance); Hubei; all sectors; drop expected, drop found");
  EXPECT_NEAR(lead.strength, (1.0 - 0.5 * 3.0 / 7.0) * 0.8, 1e-9);
  // Ten days before: an anachronism.
  EXPECT_EQ(assess_link(D(2020, 1, 14), TurnKind::event, -0.56, "Hubei", "Power", level1, o).flags,
            std::vector<std::string>{"anachronism"});
  // Announced on 2020-03-24, in force from 2020-04-08: a change in between anticipates it.
  auto lifted = hubei("w", PolicyDate::of_day(2020, 4, 8), Scope::city, Direction::up);
  lifted.announced = PolicyDate::of_day(2020, 3, 24);
  const LinkCheck early = assess_link(D(2020, 3, 30), TurnKind::event, 0.4, "Hubei", "Aviation", lifted, o);
  EXPECT_TRUE(early.ok());
  EXPECT_EQ(early.time_match, "announced");
  EXPECT_EQ(early.reason_en.find("announced 6 days before, took effect 9 days after; a city in Hubei"), 0u);
  // A step on the first day of a month (monthly data) may be caused within that month.
  auto mid_march = hubei("m", PolicyDate::of_day(2020, 3, 10), Scope::provincial, Direction::up);
  const LinkCheck month = assess_link(D(2020, 3, 1), TurnKind::event, 0.8, "Hubei", "Industry", mid_march, o);
  EXPECT_TRUE(month.ok());
  EXPECT_EQ(month.time_match, "same-month");
  EXPECT_NE(month.reason_en.find("into the month of this monthly step"), std::string::npos);
  JoinOptions daily = o;
  daily.month_steps = false;
  EXPECT_EQ(assess_link(D(2020, 3, 1), TurnKind::event, 0.8, "Hubei", "Industry", mid_march, daily).flags,
            std::vector<std::string>{"anachronism"});
  // An immediate event 50 days old no longer explains a change (lag limit 45 days).
  EXPECT_EQ(assess_link(D(2020, 3, 14), TurnKind::event, -0.5, "Hubei", "Power", level1, o).flags,
            std::vector<std::string>{"before-window"});
}

TEST(Join, MonthPrecisionIsTheWholeMonth) {
  // A change on 2022-07-05 with a 0:0 window overlaps an entry dated 2022-07 (the month)
  // but not one dated 2022-06-30.
  JoinOptions o;
  set_join_windows(o, "0:0", "", "");
  const auto month = make_entry("m", EntryKind::event, PolicyDate::of_month(2022, 7), Scope::national, {}, {});
  const auto day = make_entry("d", EntryKind::event, PolicyDate::of_day(2022, 6, 30), Scope::national, {}, {});
  EXPECT_TRUE(check_link(D(2022, 7, 5), TurnKind::event, "Gansu", "Power", month, o).ok());
  EXPECT_EQ(check_link(D(2022, 7, 5), TurnKind::event, "Gansu", "Power", day, o).flags,
            std::vector<std::string>{"before-window"});
  // Series names in other spellings are normalised.
  const auto gansu = make_entry("g", EntryKind::event, PolicyDate::of_month(2022, 7), Scope::provincial, {"Gansu"}, {"Power"});
  EXPECT_TRUE(check_link(D(2022, 7, 5), TurnKind::event, "甘肃省", "电力", gansu, o).ok());
}

TEST(Join, MatchesJsonlHasOneLinePerTurningPoint) {
  Fixture f;
  const auto r = join(f.set, f.cat, JoinOptions{});
  const std::string out = matches_to_jsonl(f.set, f.cat, r, true);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
  EXPECT_NE(out.find("\"day\":\"2021-12-31\""), std::string::npos);
  EXPECT_NE(out.find("\"flags\":[\"anachronism\"]"), std::string::npos);
  EXPECT_EQ(matches_to_jsonl(f.set, f.cat, r, false).find("near_misses"), std::string::npos);
}

// ---- the seed audit ------------------------------------------------------------------
std::vector<std::string> seed_reports() {
  std::vector<std::string> out;
  for (const char* p : {"000", "001", "002", "003"})
    if (const std::string f = testing::seed_path(p); !f.empty()) out.push_back(f);
  return out;
}

using Key = std::tuple<std::string, std::string, int>;  // file prefix, turning point, entry
std::set<Key> keys(const AuditResult& r, const std::string& defect) {
  std::set<Key> out;
  for (const auto& f : r.findings)
    if (f.defect == defect) out.insert({f.file.substr(0, 3), f.turning_point, f.entry});
  return out;
}

TEST(Audit, FindsEveryDefectListedInTheSeedReadme) {
  const auto files = seed_reports();
  if (files.size() != 4) GTEST_SKIP() << "../shared/seeds/000-003 not found (shared data not mounted)";
  const AuditResult r = audit_seed_files(files, JoinOptions{});
  EXPECT_EQ(r.reports, 4);
  EXPECT_EQ(r.sections, 5 + 6 + 7 + 2);
  EXPECT_EQ(r.entries, 10 + 8 + 9 + 6);
  // Count mismatch: headers announce 10 and list 5, 6, 7 (003 announces and lists 2).
  EXPECT_EQ(keys(r, "count-mismatch"), (std::set<Key>{{"000", "", 0}, {"001", "", 0}, {"002", "", 0}}));
  // Anachronisms, worked out by hand against 3-month windows: in 001 the 2023 policies
  // offered for changes in 2020-2021 (README: "2023-12 for a change in 2020-11"), and in
  // 002 the State Council plan of 2021-10-24 offered for a change on 2021-06-14.
  EXPECT_EQ(keys(r, "anachronism"), (std::set<Key>{{"001", "2020-11-20", 1},
                                                   {"001", "2020-11-20", 2},
                                                   {"001", "2020-12-01", 1},
                                                   {"001", "2020-12-01", 2},
                                                   {"001", "2021-11-16", 1},
                                                   {"002", "2021-06-14", 1}}));
  // Wrong province: the Shanxi report's three Shaanxi (陕西) policies, and nothing else.
  EXPECT_EQ(keys(r, "other-region"),
            (std::set<Key>{{"003", "2024-11-08", 1}, {"003", "2024-11-08", 2}, {"003", "2024-11-08", 3}}));
  // Wrong sector in 002: the building-sector plan and the power plant under Industry.
  const auto sector = keys(r, "other-sector");
  EXPECT_TRUE(sector.count({"002", "2022-03-01", 1})) << "building-sector item";
  EXPECT_TRUE(sector.count({"002", "2022-06-01", 1})) << "power-plant item";
  EXPECT_EQ(r.count("before-window"), 0);
  // Reports dated inside the period they report on: the 2020 verification report dated
  // 2020-01-01 and the "2021年度统计报告" date of 000.
  EXPECT_TRUE(keys(r, "report-period-date").count({"000", "2020-01-01", 1}));
  EXPECT_TRUE(keys(r, "report-period-date").count({"000", "2022-01-28", 1}));
  // Entries cut off by the end of the file.
  EXPECT_TRUE(keys(r, "incomplete-entry").count({"000", "2022-03-01", 3}));
  EXPECT_TRUE(keys(r, "incomplete-entry").count({"002", "2022-06-01", 1}));
}

}  // namespace
}  // namespace turnpoint
