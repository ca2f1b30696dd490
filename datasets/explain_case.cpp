#include "datasets/explain_case.hpp"

#include <algorithm>
#include <cmath>

#include "datasets/generator.hpp"
#include "datasets/spring_festival.hpp"

namespace turnpoint {

ExplainCase make_explain_case(std::uint64_t seed, std::int64_t n_series) {
  ExplainCase c;
  GeneratorConfig config = demo_config();
  config.seed = seed;
  config.n_series = n_series;
  const Generator gen(config);
  c.N = config.n_series;
  c.n = config.n_days;
  c.days = gen.time();
  std::vector<TruthPoint> truth;
  c.y.resize(static_cast<size_t>(c.N) * c.n);
  gen.generate(0, c.N, c.y.data(), &truth);
  for (double& v : c.y) v = v > 0.0 ? std::log(v) : std::log(1e-9);
  c.festival.assign(static_cast<size_t>(c.n), 0);
  for (const std::int32_t ny : datasets::spring_festival_days())
    for (int k = 0; k < 7; ++k) {
      const std::int64_t i = static_cast<std::int64_t>(ny) + k - c.days.front();
      if (i >= 0 && i < c.n) c.festival[static_cast<size_t>(i)] = 1;
    }
  kernels::BasisSpec spec;
  spec.trend = true;
  spec.weekly = 3;
  spec.yearly = 2;
  spec.n_dummies = 1;
  spec.days = c.days.data();
  spec.dummies = c.festival.data();
  c.d = kernels::make_design(spec, c.n);
  std::vector<double> sigma(static_cast<size_t>(c.N));
  kernels::noise_scale_cpu(c.y.data(), c.N, c.d, sigma.data(), 28, 3.0);
  for (std::int64_t i = 0; i < c.N; ++i)
    for (int t = 0; t < c.n; ++t) c.y[i * c.n + t] /= sigma[i] > 0.0 ? sigma[i] : 1.0;
  // Truth is sorted by (series, annotator, index): one pass.
  c.list.offsets.assign(static_cast<size_t>(c.N) + 1, 0);
  size_t next = 0;
  std::vector<int> ch, spaced;
  for (std::int64_t i = 0; i < c.N; ++i) {
    ch.clear();
    for (; next < truth.size() && truth[next].series == i; ++next) {
      if (truth[next].annotator != 0) continue;
      ch.push_back(truth[next].index);
      if (truth[next].index + 100 < c.n - 60) ch.push_back(truth[next].index + 100);
    }
    std::sort(ch.begin(), ch.end());
    spaced.clear();  // at least 30 days apart and from the ends (segments >> p)
    for (const int t : ch)
      if (t >= 30 && t <= c.n - 30 && (spaced.empty() || t - spaced.back() >= 30))
        spaced.push_back(t);
    c.list.changes.insert(c.list.changes.end(), spaced.begin(), spaced.end());
    c.list.offsets[i + 1] = static_cast<std::int64_t>(c.list.changes.size());
  }
  kernels::classify_changes_cpu(c.y.data(), c.N, c.d, c.list, 1e-3, nullptr);
  return c;
}

}  // namespace turnpoint
