// The grid of a sweep: detection settings to try, read from a small TOML subset
// (`key = [v1, v2, ...]` or `key = v`, # comments) or JSON ({"key": [...]}). The scenario
// table is the Cartesian product in the fixed key order method, cost, penalty, min_size,
// max_changes (the last varies fastest); docs/sweep.md.
#pragma once
#include <string>
#include <vector>

#include "kernels/detect.hpp"

namespace turnpoint {

struct Scenario {
  std::string method, cost, penalty;
  int min_size = 2;
  int max_changes = 10;
  DetectConfig config() const;
};

struct SweepGrid {
  std::vector<std::string> method{"pelt"}, cost{"mean"}, penalty{"mbic"};
  std::vector<int> min_size{2}, max_changes{10};
  std::vector<Scenario> scenarios() const;
  std::string canonical_json() const;  // identifies the grid in the sweep journal
};

// Throws invalid_input naming the file and line for anything it cannot use.
SweepGrid parse_grid_text(const std::string& text, const std::string& source);
SweepGrid read_grid(const std::string& path);

}  // namespace turnpoint
