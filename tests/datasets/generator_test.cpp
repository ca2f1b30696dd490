// Scenario generator: determinism (same seed -> same bits, whatever the thread count or
// chunk size), streamed file == in-memory panel, truth well-formed, and the patterns the
// spec asks for (weekly cycle, Spring Festival dip, missing fraction).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "datasets/generator.hpp"
#include "datasets/spring_festival.hpp"
#include "kernels/error.hpp"
#include "host/io/generator_io.hpp"
#include "host/io/hdf5.hpp"
#include "host/io/truth_io.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "generator_test_" + name + ".h5";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

GeneratorConfig small_config() {
  GeneratorConfig c;
  c.n_series = 37;
  c.n_days = 731;
  c.seed = 42;
  c.missing = 0.05;
  c.n_annotators = 3;
  return c;
}

TEST(SpringFestival, DatesAreTheKnownOnes) {
  // 2020-01-01 is day 18262 (50 years of 365 days + 12 leap days: 18250 + 12); the 2020
  // Spring Festival was on 25 January -> 18262 + 24 = 18286.
  EXPECT_EQ(datasets::days_from_civil(2020, 1, 1), 18262);
  const auto& days = datasets::spring_festival_days();
  ASSERT_EQ(days.size(), 21u);
  EXPECT_EQ(days[2020 - 2015], 18286);
  const auto d2019 = datasets::civil_from_days(days[2019 - 2015]);
  EXPECT_EQ(d2019.month, 2);
  EXPECT_EQ(d2019.day, 5);
  EXPECT_THROW(datasets::parse_iso_date("2019-02-29"), std::invalid_argument);
  EXPECT_EQ(datasets::parse_iso_date("2019-01-01"), 17897);  // 18262 - 365
}

TEST(Generator, SameSeedSameBitsDifferentSeedDifferent) {
  Truth t1, t2;
  const Panel a = generate_panel(small_config(), &t1);
  const Panel b = generate_panel(small_config(), &t2);
  EXPECT_TRUE(testing::same_bits(a.values, b.values));
  ASSERT_EQ(t1.points.size(), t2.points.size());
  GeneratorConfig other = small_config();
  other.seed = 43;
  const Panel c = generate_panel(other, nullptr);
  EXPECT_FALSE(testing::same_bits(a.values, c.values));
}

TEST(Generator, SeriesDoNotDependOnWhichOthersAreGenerated) {
  // Series 30..36 generated alone equal the same rows of the whole panel.
  const GeneratorConfig cfg = small_config();
  const Panel whole = generate_panel(cfg, nullptr);
  const Generator gen(cfg);
  std::vector<double> part(7 * static_cast<std::size_t>(cfg.n_days));
  gen.generate(30, 7, part.data(), nullptr);
  EXPECT_EQ(std::memcmp(part.data(), whole.row(30), part.size() * sizeof(double)), 0);
}

TEST(Generator, StreamedFileEqualsInMemoryPanelAndIsReproducible) {
  const GeneratorConfig cfg = small_config();
  Truth truth;
  const Panel panel = generate_panel(cfg, &truth);
  const std::string small_chunks = temp_path("chunk5"), one_chunk = temp_path("chunk_all"),
                    again = temp_path("chunk_all_again");
  generate_to_file(cfg, small_chunks, 5);
  generate_to_file(cfg, one_chunk, 1000);
  generate_to_file(cfg, again, 1000);
  EXPECT_EQ(slurp(one_chunk), slurp(again)) << "same command must give the same bytes";

  for (const std::string& path : {small_chunks, one_chunk}) {
    h5::File f = h5::File::open(path);
    const auto values = h5::read<double>(f, "values");
    ASSERT_EQ(values.dims.size(), 2u);
    EXPECT_EQ(values.dims[0], static_cast<hsize_t>(cfg.n_series));
    EXPECT_EQ(values.dims[1], static_cast<hsize_t>(cfg.n_days));
    EXPECT_TRUE(testing::same_bits(values.data, panel.values)) << path;
    EXPECT_EQ(h5::read_vector<std::int32_t>(f, "time"), panel.time);
    EXPECT_EQ(h5::read_strings(f, "series_id"), panel.series_id);
    EXPECT_EQ(h5::read_strings(f, "region"), panel.region);
    const Truth back = read_truth(path);
    EXPECT_EQ(back.n_annotators, 3);
    ASSERT_EQ(back.points.size(), truth.points.size());
    for (std::size_t j = 0; j < truth.points.size(); ++j) {
      EXPECT_EQ(back.points[j].series, truth.points[j].series);
      EXPECT_EQ(back.points[j].index, truth.points[j].index);
      EXPECT_EQ(back.points[j].annotator, truth.points[j].annotator);
      EXPECT_EQ(back.points[j].subtype, truth.points[j].subtype);
      EXPECT_EQ(back.points[j].size, truth.points[j].size);
    }
  }
  for (const auto& p : {small_chunks, one_chunk, again}) std::remove(p.c_str());
}

TEST(Generator, TruthIsWellFormed) {
  GeneratorConfig cfg = small_config();
  cfg.n_series = 200;
  Truth truth;
  const Panel panel = generate_panel(cfg, &truth);
  int exact = 0;
  for (std::size_t j = 0; j < truth.points.size(); ++j) {
    const TruthPoint& p = truth.points[j];
    ASSERT_GE(p.series, 0);
    ASSERT_LT(p.series, cfg.n_series);
    EXPECT_EQ(p.day, panel.time[static_cast<std::size_t>(p.index)]);
    EXPECT_EQ(p.kind, kind_of(p.subtype));
    EXPECT_EQ(p.kind, static_cast<int>(p.subtype) <= 2 ? TurnKind::event : TurnKind::seasonal);
    if (p.annotator == 0) {
      ++exact;
      EXPECT_GE(p.index, cfg.edge_days);
      EXPECT_LE(p.index, cfg.n_days - 1 - cfg.edge_days);
      if (j > 0 && truth.points[j - 1].series == p.series && truth.points[j - 1].annotator == 0) {
        EXPECT_GE(p.index - truth.points[j - 1].index, cfg.min_spacing);
      }
    }
  }
  // Up to max_events + max_seasonal = 3 per series, 1.5 on average: 200 series give ~300.
  EXPECT_GT(exact, 150);
  EXPECT_LE(exact, 600);
}

TEST(Generator, MissingFractionIsAsAsked) {
  GeneratorConfig cfg = small_config();
  cfg.missing = 0.1;
  const Panel panel = generate_panel(cfg, nullptr);
  std::size_t nan = 0;
  for (double v : panel.values) nan += std::isnan(v);
  const double n = static_cast<double>(panel.values.size());  // 37 * 731 = 27047
  // Binomial(27047, 0.1): sd = sqrt(27047 * 0.09) = 49; allow 6 sd.
  EXPECT_NEAR(static_cast<double>(nan), 0.1 * n, 6 * 49.3);
}

TEST(Generator, WeeklyCycleAndSpringFestivalDipWithoutNoise) {
  GeneratorConfig cfg = small_config();
  cfg.missing = 0.0;
  cfg.noise = 0.0;
  cfg.max_events = 0;
  cfg.max_seasonal = 0;
  Truth truth;
  const Panel panel = generate_panel(cfg, &truth);
  EXPECT_TRUE(truth.points.empty());
  // Series 2 is Beijing/Ground Transport: weekends below weekdays.
  ASSERT_EQ(panel.sector[2], "Ground Transport");
  const double* x = panel.row(2);
  // 2019-01-01 (index 0) was a Tuesday; weeks of Feb-Apr 2019 (indices 63..111) hold no
  // festival days; Saturday 2019-03-02 is index 60.
  double weekday = 0, weekend = 0;
  for (int t = 63; t < 112; ++t) {
    const int dow = (t + 1) % 7;  // Monday = 0; index 0 = Tuesday = 1
    (dow >= 5 ? weekend : weekday) += x[t];
  }
  EXPECT_LT(weekend / 14.0, weekday / 35.0);
  // Spring Festival 2019-02-05 = index 35: the festival week is well below the three
  // weeks before the slide starts (indices 4..24) in every series.
  for (std::int64_t i = 0; i < panel.n_series(); ++i) {
    if (panel.sector[i] == "Residential") continue;  // heating keeps homes going
    double before = 0, festival = 0;
    for (int t = 4; t < 25; ++t) before += panel.row(i)[t];
    for (int t = 35; t < 42; ++t) festival += panel.row(i)[t];
    EXPECT_LT(festival / 7.0, 0.9 * before / 21.0) << panel.series_id[i];
  }
}

TEST(Generator, RejectsBadSettings) {
  GeneratorConfig cfg = small_config();
  cfg.missing = 1.0;
  EXPECT_THROW(generate_panel(cfg, nullptr), invalid_input);
  cfg = small_config();
  cfg.n_days = 2;
  EXPECT_THROW(generate_panel(cfg, nullptr), invalid_input);
}

TEST(Generator, DemoConfigIsTheCarbonMonitorShape) {
  const GeneratorConfig c = demo_config();
  EXPECT_EQ(c.n_series, 31 * 5);
  EXPECT_EQ(c.n_days, 1461);
  EXPECT_EQ(c.start_day, 17897);
}

}  // namespace
}  // namespace turnpoint
