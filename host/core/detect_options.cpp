#include "host/core/detect_options.hpp"

#include "kernels/error.hpp"

namespace turnpoint {

void add_detect_options(CLI::App& app, DetectOptions& o) {
  app.add_option("--method", o.method, "Search: pelt (exact, pruned), op (exact, optimal partitioning), "
                 "fpop (exact, functional pruning; mean cost, CPU), auto (fpop for the mean cost with a fixed penalty, else pelt), "
                 "segneigh (exact, best for each K = 0..max-changes), binseg (greedy)")
      ->check(CLI::IsMember({"pelt", "op", "fpop", "auto", "segneigh", "binseg"}))
      ->capture_default_str();
  app.add_option("--cost", o.cost, "Segment cost: mean (Gaussian mean, L2), meanvar (Gaussian mean and "
                 "variance), poisson, regression (piecewise regression on --trend/--weekly/--yearly)")
      ->check(CLI::IsMember({"mean", "meanvar", "poisson", "regression"}))
      ->capture_default_str();
  app.add_option("--penalty", o.penalty, "Penalty per change: mbic, bic, aic, hq (as in R's changepoint; "
                 "see docs/penalties.md) or a number >= 0")
      ->capture_default_str();
  app.add_option("--max-changes", o.max_changes, "segneigh: largest K; binseg: most changes")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--min-size", o.min_size, "Minimum segment length in days")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--noise", o.noise, "Noise scale of the mean/regression costs: mad (robust estimate per "
                 "series) or none (sigma = 1, ruptures' raw L2)")
      ->check(CLI::IsMember({"mad", "none"}))
      ->capture_default_str();
  app.add_option("--backend", o.backend, "auto (GPU when usable), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_option("--trend", o.trend, "regression: include a linear trend per segment")->capture_default_str();
  app.add_option("--weekly", o.weekly, "regression: weekly harmonic pairs (0..3)")
      ->check(CLI::Range(0, 3))
      ->capture_default_str();
  app.add_option("--yearly", o.yearly, "regression: yearly harmonic pairs")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  app.add_option("--crops", o.crops, "CROPS: all optimal segmentations for penalties in [MIN, MAX] "
                 "(pelt/op)")
      ->expected(2)
      ->delimiter(',');
}

DetectConfig DetectOptions::to_config(const Panel& panel) const {
  DetectConfig c;
  c.method = method == "auto" ? Method::pelt : parse_method(method);
  c.cost = parse_cost(cost);
  c.penalty = parse_penalty(penalty);
  c.max_changes = max_changes;
  c.min_size = min_size;
  c.noise = noise == "none" ? NoiseScale::none : NoiseScale::mad;
  c.basis.trend = trend;
  c.basis.weekly = weekly;
  c.basis.yearly = yearly;
  if (!crops.empty()) {
    TURNPOINT_EXPECTS(crops.size() == 2, "--crops takes MIN,MAX");
    c.crops_min = crops[0];
    c.crops_max = crops[1];
  }
  // auto: the exact solver that runs fastest for this cost, backend and mode.
  if (method == "auto") c.method = auto_method(c, parse_backend(backend));
  (void)panel;
  return c;
}

}  // namespace turnpoint
