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
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

std::int32_t D(int y, int m, int d) { return cal::days_from_civil(y, m, d); }

CatalogueEntry make(const std::string& id, EntryKind kind, PolicyDate date, Scope scope,
                    std::vector<std::string> regions, std::vector<std::string> sectors) {
  CatalogueEntry e;
  e.id = id;
  e.title = "title " + id;
  e.kind = kind;
  e.date = date;
  e.scope = scope;
  e.regions = std::move(regions);
  e.sectors = std::move(sectors);
  return e;
}

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
        make("e1", E, PolicyDate::of_day(2021, 12, 14), PROV, {"Gansu"}, {"Industry"}),
        make("e2", P, PolicyDate::of_month(2022, 3), PROV, {"Gansu"}, {"Industry"}),
        make("e3", E, PolicyDate::of_day(2022, 4, 1), PROV, {"Gansu"}, {"Industry"}),     // after the window
        make("e4", E, PolicyDate::of_day(2021, 9, 29), PROV, {"Gansu"}, {"Industry"}),    // before it
        make("e5", E, PolicyDate::of_day(2021, 12, 20), PROV, {"Shaanxi"}, {"Industry"}), // 陕西, not 山西/甘肃
        make("e6", E, PolicyDate::of_day(2021, 12, 20), PROV, {"Gansu"}, {"Residential"}),
        make("e7", P, PolicyDate::of_day(2021, 10, 24), NAT, {}, {}),
        make("e8", E, PolicyDate::of_year(2021), PROV, {"Gansu"}, {"Industry", "Power"}),
        make("e9", P, PolicyDate::of_month(2024, 11), PROV, {"Shaanxi"}, {"Power"}),      // two failures
        make("e10", P, PolicyDate::of_month(2024, 11), PROV, {"Shaanxi"}, {"Ground Transport"}),
        make("e11", P, PolicyDate::of_day(2025, 1, 15), PROV, {"Shanxi"}, {"Ground Transport"}),
    };
  }
};

std::vector<std::string> ids(const Catalogue& c, const std::vector<Match>& v) {
  std::vector<std::string> out;
  for (const auto& m : v) out.push_back(c.entries[m.entry].id);
  return out;
}

TEST(Join, WindowRegionSectorAndRankingByHand) {
  Fixture f;
  const auto r = join(f.set, f.cat, JoinOptions{});
  ASSERT_EQ(r.size(), 2u);
  // Window of 2021-12-31: 2021-09-30 .. 2022-03-31.
  EXPECT_EQ(r[0].window_first, D(2021, 9, 30));
  EXPECT_EQ(r[0].window_last, D(2022, 3, 31));
  // Scores (docs/catalogue.md): e1 2*(1-17/92)+1+1+0.25 = 3.880; e8 2*1*0.5+1+0.75+0.25 = 3.0;
  // e2 2*(1-60/90)*0.8+1+1 = 2.533; e7 2*(1-68/92)+0.5+0.5 = 1.522.
  EXPECT_EQ(ids(f.cat, r[0].matches), (std::vector<std::string>{"e1", "e8", "e2", "e7"}));
  EXPECT_NEAR(r[0].matches[0].check.score, 2.0 * (1.0 - 17.0 / 92.0) + 2.25, 1e-9);
  EXPECT_NEAR(r[0].matches[1].check.score, 3.0, 1e-9);
  EXPECT_NEAR(r[0].matches[2].check.score, 2.0 * (1.0 - 60.0 / 90.0) * 0.8 + 2.0, 1e-9);
  EXPECT_NEAR(r[0].matches[3].check.score, 2.0 * (1.0 - 68.0 / 92.0) + 1.0, 1e-9);
  EXPECT_EQ(r[0].matches[0].rank, 1);
  EXPECT_EQ(r[0].matches[0].check.distance_days, -17);
  EXPECT_EQ(r[0].matches[2].check.distance_days, 60);
  EXPECT_EQ(r[0].matches[1].check.sector_match, "multi-sector");
  EXPECT_EQ(r[0].matches[3].check.region_match, "national");
  EXPECT_EQ(r[0].matches[3].check.sector_match, "economy-wide");
  // Near misses: each fails exactly one check and says which.
  std::set<std::pair<std::string, std::string>> near;
  for (const auto& m : r[0].near_misses) {
    ASSERT_EQ(m.check.flags.size(), 1u);
    near.insert({f.cat.entries[m.entry].id, m.check.flags[0]});
  }
  EXPECT_EQ(near, (std::set<std::pair<std::string, std::string>>{
                      {"e3", "anachronism"}, {"e4", "before-window"}, {"e5", "other-region"}, {"e6", "other-sector"}}));
  // Shanxi Ground Transport 2024-11-08: Shaanxi entries never match.
  EXPECT_EQ(ids(f.cat, r[1].matches), std::vector<std::string>{"e11"});
  ASSERT_EQ(r[1].near_misses.size(), 1u);  // e9 fails two checks: not shown
  EXPECT_EQ(f.cat.entries[r[1].near_misses[0].entry].id, "e10");
  EXPECT_EQ(r[1].near_misses[0].check.flags, std::vector<std::string>{"other-region"});
}

TEST(Join, PerKindWindowsAndMaxMatches) {
  Fixture f;
  JoinOptions o;
  set_join_windows(o, "", "", "1:1");  // seasonal: one month either side
  const auto r = join(f.set, f.cat, o);
  EXPECT_TRUE(r[1].matches.empty());  // e11 (2025-01-15) is now after 2024-12-08
  EXPECT_EQ(r[1].window_last, D(2024, 12, 8));
  EXPECT_EQ(ids(f.cat, r[0].matches).size(), 4u);  // the event window is unchanged
  JoinOptions top;
  top.max_matches = 2;
  EXPECT_EQ(ids(f.cat, join(f.set, f.cat, top)[0].matches), (std::vector<std::string>{"e1", "e8"}));
  JoinOptions bad;
  EXPECT_THROW(set_join_windows(bad, "3", "", ""), invalid_input);
  EXPECT_THROW(set_join_windows(bad, "", "a:1", ""), invalid_input);
  EXPECT_THROW(set_join_windows(bad, "", "", "-1:2"), invalid_input);
}

TEST(Join, MonthPrecisionIsTheWholeMonth) {
  // A change on 2022-07-05 with a 0:0 window overlaps an entry dated 2022-07 (the month)
  // but not one dated 2022-06-30.
  JoinOptions o;
  set_join_windows(o, "0:0", "", "");
  const auto month = make("m", EntryKind::event, PolicyDate::of_month(2022, 7), Scope::national, {}, {});
  const auto day = make("d", EntryKind::event, PolicyDate::of_day(2022, 6, 30), Scope::national, {}, {});
  EXPECT_TRUE(check_link(D(2022, 7, 5), TurnKind::event, "Gansu", "Power", month, o).ok());
  EXPECT_EQ(check_link(D(2022, 7, 5), TurnKind::event, "Gansu", "Power", day, o).flags,
            std::vector<std::string>{"before-window"});
  // Series names in other spellings are normalised.
  const auto gansu = make("g", EntryKind::event, PolicyDate::of_month(2022, 7), Scope::provincial, {"Gansu"}, {"Power"});
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
  // Entries cut off by the end of the file.
  EXPECT_TRUE(keys(r, "incomplete-entry").count({"000", "2022-03-01", 3}));
  EXPECT_TRUE(keys(r, "incomplete-entry").count({"002", "2022-06-01", 1}));
}

}  // namespace
}  // namespace turnpoint
