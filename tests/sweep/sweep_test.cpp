// Sweeps: the grid parser (TOML subset and JSON), the scenario table as a Cartesian
// product, and that a sweep's results equal detect() run scenario by scenario.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "datasets/generator.hpp"
#include "kernels/error.hpp"
#include "host/io/hdf5.hpp"
#include "host/io/series_io.hpp"
#include "host/explain/explain.hpp"
#include "host/sweep/sweep.hpp"
#include "host/sweep/sweep_grid.hpp"

namespace turnpoint {
namespace {

TEST(SweepGrid, TomlSubsetGivesTheCartesianProductInKeyOrder) {
  const SweepGrid g = parse_grid_text(
      "# comment\nmethod = [\"pelt\", \"binseg\"]\npenalty = [\"mbic\", 25.5] # trailing\n"
      "min_size = [2, 5, 9]\n",
      "grid.toml");
  const auto s = g.scenarios();
  // 2 methods x 1 cost x 2 penalties x 3 min sizes x 1 max_changes = 12.
  ASSERT_EQ(s.size(), 12u);
  EXPECT_EQ(s[0].method, "pelt");
  EXPECT_EQ(s[0].penalty, "mbic");
  EXPECT_EQ(s[0].min_size, 2);
  EXPECT_EQ(s[1].min_size, 5);  // last key varies fastest
  EXPECT_EQ(s[3].penalty, "25.5");
  EXPECT_EQ(s[3].min_size, 2);
  EXPECT_EQ(s[6].method, "binseg");
  EXPECT_EQ(s[11].method, "binseg");
  EXPECT_EQ(s[11].penalty, "25.5");
  EXPECT_EQ(s[11].min_size, 9);
  EXPECT_EQ(s[0].cost, "mean");  // default
}

TEST(SweepGrid, JsonAndTomlAgree) {
  const SweepGrid a = parse_grid_text("cost = [\"mean\", \"meanvar\"]\nmax_changes = 3\n", "a");
  const SweepGrid b = parse_grid_text("{\"cost\": [\"mean\", \"meanvar\"], \"max_changes\": [3]}", "b");
  EXPECT_EQ(a.canonical_json(), b.canonical_json());
}

TEST(SweepGrid, BadGridsNameTheProblem) {
  try {
    parse_grid_text("method = [\"pelt\"]\nspeed = [1]\n", "g.toml");
    FAIL();
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key 'speed'"), std::string::npos);
  }
  EXPECT_THROW(parse_grid_text("method = [\"fast\"]\n", "g"), invalid_input);
  EXPECT_THROW(parse_grid_text("min_size = [0]\n", "g"), invalid_input);
  EXPECT_THROW(parse_grid_text("min_size = [\"two\"]\n", "g"), invalid_input);
  EXPECT_THROW(parse_grid_text("method pelt\n", "g"), invalid_input);
}

TEST(Sweep, ResultsEqualDetectPerScenario) {
  namespace fs = std::filesystem;
  GeneratorConfig cfg;
  cfg.n_series = 20;
  cfg.n_days = 400;
  cfg.seed = 9;
  cfg.missing = 0.02;
  const Panel panel = generate_panel(cfg, nullptr);
  const std::string dir = ::testing::TempDir();
  const std::string series = dir + "sweep_test_series.h5", grid = dir + "sweep_test_grid.toml",
                    out = dir + "sweep_test_out.h5";
  write_series(series, panel);
  std::ofstream(grid) << "method = [\"pelt\", \"binseg\"]\npenalty = [\"mbic\", \"40\"]\n"
                         "min_size = [3]\n";
  SweepOptions o{series, grid, out, 3, true};
  run_sweep(o);
  EXPECT_FALSE(fs::exists(out + ".journal"));
  const SweepFile s = read_sweep(out);
  ASSERT_EQ(s.scenarios.size(), 4u);
  EXPECT_EQ(s.n_series(), 20);
  for (std::size_t k = 0; k < s.scenarios.size(); ++k) {
    const DetectResult r = detect(panel.values.data(), panel.n_series(), panel.n_time(),
                                  panel.time.data(), s.scenarios[k].config(), Backend::cpu);
    std::vector<std::vector<int>> got(20);
    for (const SweepPoint& p : s.points)
      if (p.scenario == static_cast<int>(k)) got[static_cast<std::size_t>(p.series)].push_back(p.index);
    for (std::size_t i = 0; i < 20; ++i)
      EXPECT_EQ(got[i], r.series[i].changes) << "scenario " << k << " series " << i;
  }
  for (const auto& p : {series, grid, out}) std::remove(p.c_str());
}

TEST(SweepGrid, AnEmptyGridSweepsTheDefaultPipelineAndKindsDoNotMix) {
  const SweepGrid empty = parse_grid_text("# nothing\n", "g.toml");
  EXPECT_FALSE(empty.raw);
  ASSERT_EQ(empty.scenarios().size(), 1u);
  EXPECT_EQ(empty.scenarios()[0].model, "auto");
  EXPECT_EQ(empty.scenarios()[0].penalty_scale, 1.0);
  EXPECT_EQ(empty.scenarios()[0].min_confidence, 0.5);
  const SweepGrid g = parse_grid_text("model = [\"pattern\"]\npenalty_scale = [0.5, 1, 2]\nmin_confidence = [0, 0.5]\n", "g");
  ASSERT_EQ(g.scenarios().size(), 6u);
  EXPECT_EQ(g.scenarios()[1].min_confidence, 0.5);
  EXPECT_EQ(g.scenarios()[2].penalty_scale, 1.0);
  EXPECT_EQ(g.scenarios()[5].label(), "pattern x2 c0.5");
  EXPECT_TRUE(parse_grid_text("penalty = [\"bic\"]\n", "g").raw);
  auto error_of = [](const std::string& text) {
    try {
      parse_grid_text(text, "g.toml");
    } catch (const invalid_input& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("model = [\"pattern\"]\nmethod = [\"pelt\"]\n").find("one or the other"), std::string::npos);
  EXPECT_NE(error_of("model = [\"segments\"]\n").find("'segments' is not auto, pattern or generic"), std::string::npos);
  EXPECT_NE(error_of("penalty_scale = [0]\n").find("penalty_scale must be > 0"), std::string::npos);
  EXPECT_NE(error_of("min_confidence = [1.5]\n").find("min_confidence must be in [0, 1]"), std::string::npos);
}

TEST(Sweep, DefaultPipelineScenariosEqualItsDetectRun) {
  GeneratorConfig cfg;
  cfg.n_series = 20;  // two units of 16 series: the split must not change any answer
  cfg.n_days = 730;
  cfg.seed = 21;
  cfg.missing = 0.01;
  const Panel panel = generate_panel(cfg, nullptr);
  const std::string dir = ::testing::TempDir();
  const std::string series = dir + "sweep_model_series.h5", grid = dir + "sweep_model_grid.toml",
                    out = dir + "sweep_model_out.h5";
  write_series(series, panel);
  std::ofstream(grid) << "penalty_scale = [1, 3]\nmin_confidence = [0.5]\n";
  run_sweep(SweepOptions{series, grid, out, 1, true});
  const SweepFile s = read_sweep(out);
  ASSERT_EQ(s.scenarios.size(), 2u);
  std::size_t total = 0;
  for (std::size_t k = 0; k < s.scenarios.size(); ++k) {
    ExplainOptions o;  // what `turnpoint detect --penalty-scale X` runs on a daily panel of two years
    o.model = ExplainModel::pattern;
    o.penalty_multiplier = s.scenarios[k].penalty_scale;
    DetectionSet set;
    explain_panel(panel, DetectConfig{}, o, set);
    std::vector<SweepPoint> mine;
    for (const SweepPoint& p : s.points)
      if (p.scenario == static_cast<int>(k)) mine.push_back(p);
    ASSERT_EQ(mine.size(), set.points.size()) << "scenario " << k;
    total += mine.size();
    for (std::size_t j = 0; j < mine.size(); ++j) {
      EXPECT_EQ(mine[j].series, set.points[j].series);
      EXPECT_EQ(mine[j].index, set.points[j].index);
      EXPECT_EQ(mine[j].rank, set.points[j].rank);
      EXPECT_EQ(mine[j].kind, set.points[j].kind);
      EXPECT_DOUBLE_EQ(mine[j].confidence, set.points[j].confidence);
    }
  }
  EXPECT_GT(total, 0u);  // the generator's changes are found: the comparison is not of two empty sets
  {  // every dataset says what it holds (h5py / xarray users read it without the docs)
    const h5::File f = h5::File::open(out);
    EXPECT_EQ(h5::read_attr_string(f.open_group("points").open_object("kind"), "long_name"),
              "-1 unclassified, 0 event, 1 seasonal");
    EXPECT_EQ(h5::read_attr_string(f.open_group("points").open_object("day"), "units"), "days since 1970-01-01");
    EXPECT_EQ(h5::read_attr_string(f.open_group("summary").open_object("status"), "long_name"),
              "what could be analysed: 0 ok, 1 constant, 2 empty");
    EXPECT_EQ(h5::read_attr_string(f.open_object("time"), "units"), "days since 1970-01-01");
  }
  for (const auto& p : {series, grid, out}) std::remove(p.c_str());
}

// A process of a team (an MPI rank) starts no more batches once another process has failed
// one (the journal's "failed-<run>" marker), so the job ends with that error without waiting for
// the others to run all of theirs. Played here as rank 0 of 2 in one process: the test's
// sync writes the marker as the batch step begins, as rank 1 would on failing; rank 0 must
// then start none of its batches 0, 2, 4 (and without the marker it runs all three). Either
// way the assembly then finds a batch missing (its own first, or rank 1's, as no rank 1 ran).
TEST(Sweep, AProcessStartsNoMoreBatchesOnceAnotherFailed) {
  namespace fs = std::filesystem;
  GeneratorConfig cfg;
  cfg.n_series = 6;
  cfg.n_days = 200;
  cfg.seed = 4;
  const Panel panel = generate_panel(cfg, nullptr);
  const std::string dir = ::testing::TempDir();
  const std::string series = dir + "sweep_team_series.h5", grid = dir + "sweep_team_grid.toml",
                    out = dir + "sweep_team_out.h5";
  write_series(series, panel);
  std::ofstream(grid) << "penalty = [10, 20, 30, 40, 50, 60]\n";  // 6 batches of 1
  // The marker of this run; of an earlier run (a shared file system may still show it); none.
  for (const std::string marker : {"failed-run2", "failed-run1", ""}) {
    const bool other_failed = marker == "failed-run2";
    fs::remove_all(out + ".journal");
    SweepTeam team;
    team.rank = 0;
    team.size = 2;
    team.run = "run2";
    int step = 0;
    team.sync = [&](const std::function<void()>& f) {
      if (++step == 4 && !marker.empty()) std::ofstream(out + ".journal/" + marker) << "1\n";  // the batch step
      f();
    };
    try {
      run_sweep(SweepOptions{series, grid, out, 1, true}, team);
      FAIL() << "assembled without rank 1's batches";
    } catch (const invalid_input& e) {
      const std::string missing = other_failed ? "batch 0 (scenarios 0..0, run by process 0 of 2)"
                                               : "batch 1 (scenarios 1..1, run by process 1 of 2)";
      EXPECT_NE(std::string(e.what()).find(missing + " is not in the journal"), std::string::npos) << e.what();
    }
    int entries = 0;
    for (const auto& e : fs::directory_iterator(out + ".journal"))
      entries += e.path().extension() == ".rec" ? 1 : 0;
    EXPECT_EQ(entries, other_failed ? 0 : 3) << "marker '" << marker << "'";
  }
  fs::remove_all(out + ".journal");
  for (const auto& p : {series, grid}) std::remove(p.c_str());
}

}  // namespace
}  // namespace turnpoint
