// The detection settings as command-line options, shared by every subcommand that runs
// detection (detect, demo, sweep), so each setting has one name and one help text.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "host/core/panel.hpp"
#include "kernels/detect.hpp"

#pragma once

namespace turnpoint {

struct DetectOptions {
  std::string method = "pelt";
  std::string cost = "mean";
  std::string penalty = "mbic";
  int max_changes = 10;
  int min_size = 2;
  std::string noise = "mad";
  std::string backend = "auto";
  bool trend = true;
  int weekly = 0;
  int yearly = 0;
  std::vector<double> crops;  // {min, max}

  // Validates and converts; throws invalid_input with the option's name.
  DetectConfig to_config(const Panel& panel) const;
};

void add_detect_options(CLI::App& app, DetectOptions& opts);

}  // namespace turnpoint
