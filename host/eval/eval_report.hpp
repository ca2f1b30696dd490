// Presenting evaluations: text tables, JSON, and an SVG plot of F1 and cover per sweep
// scenario (docs/eval.md).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/eval/eval.hpp"
#include "host/sweep/sweep_grid.hpp"

namespace turnpoint {

nlohmann::json eval_to_json(const EvalSummary& s);
std::string eval_to_text(const EvalSummary& s);
std::string sweep_table(const std::vector<Scenario>& scenarios,
                        const std::vector<EvalSummary>& results);
// A line plot (x = scenario, y = F1 and cover in [0, 1]), written by hand.
std::string sweep_svg(const std::vector<Scenario>& scenarios,
                      const std::vector<EvalSummary>& results);

}  // namespace turnpoint
