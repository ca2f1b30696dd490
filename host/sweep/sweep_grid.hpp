// The grid of a sweep: detection settings to try, read from a small TOML subset
// (`key = [v1, v2, ...]` or `key = v`, # comments) or JSON ({"key": [...]}); docs/sweep.md.
// Two kinds of grid:
//  * the default pipeline (what `turnpoint detect` runs with no option): keys model (auto,
//    pattern, generic), penalty_scale, min_confidence; an empty grid is this, with the
//    defaults auto, 1, 0.5;
//  * raw solvers: keys method, cost, penalty, min_size, max_changes (missing ones take
//    pelt, mean, mbic, 2, 10).
// A grid naming keys of both kinds is refused. The scenario table is the Cartesian product
// in the key order above (the last varies fastest).
#pragma once
#include <string>
#include <vector>

#include "kernels/detect.hpp"

namespace turnpoint {

struct Scenario {
  std::string method, cost, penalty;
  int min_size = 2;
  int max_changes = 10;
  // "raw" (the solver settings above) or the default pipeline's model: auto, pattern, generic.
  std::string model = "raw";
  double penalty_scale = 1.0;   // the default pipeline's --penalty-scale
  double min_confidence = 0.5;  // the default pipeline's --min-confidence
  bool is_raw() const { return model == "raw"; }
  DetectConfig config() const;
  std::string label() const;  // one line for tables and plots
};

struct SweepGrid {
  bool raw = false;  // a grid of raw solver settings (else of the default pipeline)
  std::vector<std::string> model{"auto"};
  std::vector<double> penalty_scale{1.0}, min_confidence{0.5};
  std::vector<std::string> method{"pelt"}, cost{"mean"}, penalty{"mbic"};
  std::vector<int> min_size{2}, max_changes{10};
  std::vector<Scenario> scenarios() const;
  std::string canonical_json() const;  // identifies the grid in the sweep journal
};

// Throws invalid_input naming the file and line for anything it cannot use.
SweepGrid parse_grid_text(const std::string& text, const std::string& source);
SweepGrid read_grid(const std::string& path);

}  // namespace turnpoint
