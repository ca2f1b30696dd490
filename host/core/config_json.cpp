#include "host/core/config_json.hpp"

#include "kernels/error.hpp"

namespace turnpoint {

nlohmann::json config_to_json(const DetectConfig& c) {
  nlohmann::json j;
  j["engine_version"] = TURNPOINT_VERSION;
  j["method"] = to_string(c.method);
  j["cost"] = to_string(c.cost);
  j["penalty"] = to_string(c.penalty);
  j["max_changes"] = c.max_changes;
  j["min_size"] = c.min_size;
  j["noise"] = c.noise == NoiseScale::mad ? "mad" : "none";
  j["basis"] = {{"intercept", true},
                {"trend", c.basis.trend},
                {"weekly", c.basis.weekly},
                {"yearly", c.basis.yearly},
                {"dummies", c.basis.dummy_names}};
  if (c.crops_max >= 0.0) j["crops"] = {c.crops_min, c.crops_max};
  return j;
}

DetectConfig config_from_json(const nlohmann::json& j) {
  DetectConfig c;
  try {
    c.method = parse_method(j.at("method").get<std::string>());
    c.cost = parse_cost(j.at("cost").get<std::string>());
    c.penalty = parse_penalty(j.at("penalty").get<std::string>());
    c.max_changes = j.at("max_changes").get<int>();
    c.min_size = j.at("min_size").get<int>();
    c.noise = j.value("noise", std::string("mad")) == "none" ? NoiseScale::none : NoiseScale::mad;
    if (j.contains("basis")) {
      const auto& b = j["basis"];
      c.basis.trend = b.value("trend", true);
      c.basis.weekly = b.value("weekly", 0);
      c.basis.yearly = b.value("yearly", 0);
      c.basis.dummy_names = b.value("dummies", std::vector<std::string>{});
    }
    if (j.contains("crops")) {
      c.crops_min = j["crops"].at(0).get<double>();
      c.crops_max = j["crops"].at(1).get<double>();
    }
  } catch (const nlohmann::json::exception& e) {
    TURNPOINT_FAIL("bad detection config JSON: {}", e.what());
  }
  return c;
}

}  // namespace turnpoint
