// needs: host
// The seasonality model on the real Carbon Monitor China panel (issue 4 acceptance):
// the 2020 COVID drop in Hubei is an `event` with confidence >= 0.9 in Industry, Power and
// Ground Transport; the all-zero Residential series give no turning point and no error;
// Ground Transport's weekly-cycle changes come out as `seasonal`. Reads the CSVs from
// ../shared (never copied into the repository); skipped when they are absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "host/dates.hpp"
#include "host/explain.hpp"

namespace turnpoint {
namespace {

const std::string kDir = TURNPOINT_SOURCE_DIR "/../shared/datasets/carbon_monitor_china_daily/";

// A few lines of CSV parsing (date,state,value,sector) until host/csv_import.hpp lands.
// Appends the series of `regions` (all when empty) of one sector file to the panel.
void add_sector(Panel& p, const std::string& sector, const std::vector<std::string>& regions) {
  std::ifstream in(kDir + sector + "_result.csv");
  ASSERT_TRUE(in.good()) << sector;
  std::map<std::string, std::map<std::int32_t, double>> by_region;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string date, state, value;
    std::getline(ss, date, ',');
    std::getline(ss, state, ',');
    std::getline(ss, value, ',');
    if (!regions.empty() && std::find(regions.begin(), regions.end(), state) == regions.end()) continue;
    const auto d = parse_date(date);
    ASSERT_TRUE(d.has_value()) << line;
    by_region[state][*d] = std::stod(value);
  }
  for (auto& [region, series] : by_region) {
    if (p.time.empty())
      for (auto& kv : series) p.time.push_back(kv.first);
    ASSERT_EQ(series.size(), p.time.size()) << sector << "/" << region;
    p.region.push_back(region);
    p.sector.push_back(sector);
    p.series_id.push_back(region + "/" + sector);
    for (std::int32_t d : p.time) p.values.push_back(series.at(d));
  }
}

TEST(ExplainReal, CovidHubeiZeroResidentialAndGroundTransportWeekly) {
  if (!std::filesystem::exists(kDir + "Industry_result.csv"))
    GTEST_SKIP() << "Carbon Monitor China CSVs not found under " << kDir;
  Panel panel;
  add_sector(panel, "Industry", {"Hubei"});
  add_sector(panel, "Power", {"Hubei"});
  add_sector(panel, "Ground_Transport", {});
  add_sector(panel, "Residential", {"Guangdong", "Shanghai", "Hainan"});
  DetectionSet set;
  classify_and_score(panel, DetectConfig{}, ExplainOptions{}, set, Backend::cpu);

  // Carbon Monitor China's daily values are disaggregated from monthly statistics in
  // Industry and Power, so the lockdown drop (from 23 January 2020) can surface at the
  // 1 January or 1 February month boundary: the window is January-February 2020.
  const std::int32_t lo = days_from_civil(2020, 1, 1), hi = days_from_civil(2020, 2, 29);
  for (std::int64_t s = 0; s < panel.n_series(); ++s) {
    const bool covid_case = panel.region[s] == "Hubei" && panel.sector[s] != "Residential";
    const TurningPoint* covid = nullptr;
    int n_seasonal = 0, n = 0;
    for (const TurningPoint& p : set.points) {
      if (p.series != s) continue;
      ++n;
      n_seasonal += p.kind == TurnKind::seasonal;
      if (p.day >= lo && p.day <= hi && p.kind == TurnKind::event &&
          (!covid || p.confidence > covid->confidence))
        covid = &p;
      std::printf("%s %s %s conf %.2f [%s, %s]\n", panel.series_id[s].c_str(),
                  format_date(p.day).c_str(), to_string(p.kind), p.confidence,
                  format_date(panel.time[p.ci_lo]).c_str(), format_date(panel.time[p.ci_hi]).c_str());
    }
    std::printf("%s: %d turning points, %d seasonal\n", panel.series_id[s].c_str(), n, n_seasonal);
    if (covid_case) {
      EXPECT_NE(covid, nullptr) << panel.series_id[s] << ": no event in January-February 2020";
      if (covid) EXPECT_GE(covid->confidence, 0.9) << panel.series_id[s];
    }
    if (panel.sector[s] == "Residential") {
      EXPECT_EQ(n, 0) << panel.series_id[s];
      EXPECT_EQ(set.summary[s].status, SeriesStatus::constant);
    }
  }
  int gt_seasonal = 0;
  for (const TurningPoint& p : set.points)
    gt_seasonal += panel.sector[p.series] == "Ground_Transport" && p.kind == TurnKind::seasonal;
  // Ground Transport's weekly cycle changes in the panel (e.g. when the weekday/weekend
  // contrast collapses in lockdowns) must surface as seasonal turning points somewhere.
  EXPECT_GT(gt_seasonal, 0);
}

}  // namespace
}  // namespace turnpoint
