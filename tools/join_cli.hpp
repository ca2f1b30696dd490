// The join's options as the commands that link turning points to the catalogue spell them
// (join, report: the lead and strength limits and the windows; audit: the windows), written
// once so the three commands cannot drift apart.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "host/report/join.hpp"

namespace turnpoint::cli {

// --window, --window-event, --window-seasonal as given (MONTHS_BEFORE:MONTHS_AFTER).
struct JoinWindowArgs {
  std::string all, event, seasonal;
  // Sets the windows of `options` from the given ones (exit 2 on a malformed one).
  void apply(JoinOptions& options) const { set_join_windows(options, all, event, seasonal); }
};

inline void add_join_window_options(CLI::App* sub, JoinWindowArgs& windows) {
  sub->add_option("--window", windows.all, "Window for every kind, MONTHS_BEFORE:MONTHS_AFTER (default 3:3)");
  sub->add_option("--window-event", windows.event, "Window for event turning points");
  sub->add_option("--window-seasonal", windows.seasonal, "Window for seasonal turning points");
}

// --lead-days and --min-strength into `options`, then the windows.
inline void add_join_options(CLI::App* sub, JoinOptions& options, JoinWindowArgs& windows) {
  sub->add_option("--lead-days", options.lead_days,
                  "A turning point may come at most this many days before an entry became public (default 7)")
      ->check(CLI::Range(0, 60));
  sub->add_option("--min-strength", options.min_strength,
                  "Links weaker than this (0..1) are not listed (default 0.25)")
      ->check(CLI::Range(0.0, 1.0));
  add_join_window_options(sub, windows);
}

}  // namespace turnpoint::cli
