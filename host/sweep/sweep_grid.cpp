#include "host/sweep/sweep_grid.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/error.hpp"

namespace turnpoint {
namespace {

using nlohmann::json;

// One TOML value: "string", 'string', integer, float or bare word.
json parse_scalar(const std::string& s, const std::string& where) {
  TURNPOINT_EXPECTS(!s.empty(), "{}: empty value", where);
  if ((s.front() == '"' && s.back() == '"') || (s.front() == '\'' && s.back() == '\''))
    return s.size() >= 2 ? s.substr(1, s.size() - 2) : std::string();
  char* end = nullptr;
  const long long i = std::strtoll(s.c_str(), &end, 10);
  if (*end == '\0') return i;
  const double d = std::strtod(s.c_str(), &end);
  if (*end == '\0') return d;
  TURNPOINT_FAIL("{}: cannot read value '{}' (quote strings: \"pelt\")", where, s);
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

json parse_toml_subset(const std::string& text, const std::string& source) {
  json out = json::object();
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = source + ":" + std::to_string(line_no);
    // Strip a comment outside quotes.
    bool quoted = false;
    for (std::size_t k = 0; k < line.size(); ++k) {
      if (line[k] == '"') quoted = !quoted;
      if (line[k] == '#' && !quoted) {
        line.resize(k);
        break;
      }
    }
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    TURNPOINT_EXPECTS(eq != std::string::npos, "{}: expected `key = [values]`, got '{}'", where,
                      line);
    const std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    TURNPOINT_EXPECTS(!out.contains(key), "{}: key '{}' given twice", where, key);
    json arr = json::array();
    if (!value.empty() && value.front() == '[') {
      TURNPOINT_EXPECTS(value.back() == ']', "{}: array must end with ']' on the same line", where);
      value = value.substr(1, value.size() - 2);
      std::string item;
      quoted = false;
      for (std::size_t k = 0; k <= value.size(); ++k) {
        const char ch = k < value.size() ? value[k] : ',';
        if (ch == '"') quoted = !quoted;
        if (ch == ',' && !quoted) {
          const std::string t = trim(item);
          if (!t.empty()) arr.push_back(parse_scalar(t, where));
          item.clear();
        } else {
          item += ch;
        }
      }
    } else {
      arr.push_back(parse_scalar(value, where));
    }
    out[key] = arr;
  }
  return out;
}

std::vector<std::string> strings_of(const json& j, const std::string& key,
                                    const std::string& source) {
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
    else if (v.is_number_integer()) out.push_back(std::to_string(v.get<long long>()));
    else if (v.is_number()) out.push_back(v.dump());
    else TURNPOINT_FAIL("{}: {}: values must be strings or numbers", source, key);
  }
  return out;
}

std::vector<int> ints_of(const json& j, const std::string& key, const std::string& source) {
  std::vector<int> out;
  for (const auto& v : j) {
    TURNPOINT_EXPECTS(v.is_number_integer(), "{}: {}: values must be integers, got {}", source,
                      key, v.dump());
    out.push_back(v.get<int>());
  }
  return out;
}

std::vector<double> doubles_of(const json& j, const std::string& key, const std::string& source) {
  std::vector<double> out;
  for (const auto& v : j) {
    TURNPOINT_EXPECTS(v.is_number() && std::isfinite(v.get<double>()), "{}: {}: values must be numbers, got {}",
                      source, key, v.dump());
    out.push_back(v.get<double>());
  }
  return out;
}

}  // namespace

std::string Scenario::label() const {
  if (is_raw()) return fmt::format("{} {} {} m{} k{}", method, cost, penalty, min_size, max_changes);
  return fmt::format("{} x{:g} c{:g}", model, penalty_scale, min_confidence);
}

DetectConfig Scenario::config() const {
  DetectConfig c;
  c.method = parse_method(method);
  c.cost = parse_cost(cost);
  c.penalty = parse_penalty(penalty);
  c.min_size = min_size;
  c.max_changes = max_changes;
  return c;
}

std::vector<Scenario> SweepGrid::scenarios() const {
  std::vector<Scenario> out;
  if (!raw) {
    for (const auto& m : model)
      for (const double ps : penalty_scale)
        for (const double mc : min_confidence) {
          Scenario s;
          s.model = m;
          s.penalty_scale = ps;
          s.min_confidence = mc;
          out.push_back(s);
        }
    return out;
  }
  for (const auto& m : method)
    for (const auto& c : cost)
      for (const auto& p : penalty)
        for (int s : min_size)
          for (int k : max_changes) out.push_back({m, c, p, s, k, "raw", 1.0, 0.5});
  return out;
}

std::string SweepGrid::canonical_json() const {
  nlohmann::ordered_json j;
  if (!raw) {
    j["model"] = model;
    j["penalty_scale"] = penalty_scale;
    j["min_confidence"] = min_confidence;
    return j.dump();
  }
  j["method"] = method;
  j["cost"] = cost;
  j["penalty"] = penalty;
  j["min_size"] = min_size;
  j["max_changes"] = max_changes;
  return j.dump();
}

namespace {

// A grid is UTF-8 text: its strings end up in JSON (canonical_json, the sweep journal), whose
// writer throws on anything else -- an "internal error" after the sweep began (fuzzing).
void check_utf8(const std::string& text, const std::string& source) {
  std::size_t line = 1, start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    try {
      (void)json(text.substr(start, end - start)).dump();
    } catch (const json::type_error&) {
      TURNPOINT_FAIL("{}: line {}: not valid UTF-8 text", source, line);
    }
    start = end + 1;
    ++line;
  }
}

}  // namespace

SweepGrid parse_grid_text(const std::string& text, const std::string& source) {
  check_utf8(text, source);
  const std::string t = trim(text);
  json j;
  if (!t.empty() && t.front() == '{') {
    try {
      j = json::parse(t);
    } catch (const json::exception& e) {
      TURNPOINT_FAIL("{}: not valid JSON: {}", source, e.what());
    }
  } else {
    j = parse_toml_subset(text, source);
  }
  SweepGrid g;
  std::string raw_key, model_key;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    json v = it.value().is_array() ? it.value() : json::array({it.value()});
    TURNPOINT_EXPECTS(!v.empty(), "{}: {}: needs at least one value", source, key);
    const bool model_side = key == "model" || key == "penalty_scale" || key == "min_confidence";
    (model_side ? model_key : raw_key) = key;
    if (key == "model") g.model = strings_of(v, key, source);
    else if (key == "penalty_scale") g.penalty_scale = doubles_of(v, key, source);
    else if (key == "min_confidence") g.min_confidence = doubles_of(v, key, source);
    else if (key == "method") g.method = strings_of(v, key, source);
    else if (key == "cost") g.cost = strings_of(v, key, source);
    else if (key == "penalty") g.penalty = strings_of(v, key, source);
    else if (key == "min_size") g.min_size = ints_of(v, key, source);
    else if (key == "max_changes") g.max_changes = ints_of(v, key, source);
    else
      TURNPOINT_FAIL("{}: unknown key '{}' (known: model, penalty_scale, min_confidence for the default "
                     "pipeline; method, cost, penalty, min_size, max_changes for raw solvers)",
                     source, key);
  }
  TURNPOINT_EXPECTS(raw_key.empty() || model_key.empty(),
                    "{}: '{}' is a setting of the default pipeline and '{}' one of a raw solver: a grid "
                    "sweeps one or the other (two sweeps for both)",
                    source, model_key, raw_key);
  g.raw = !raw_key.empty();
  for (const std::string& m : g.model)
    TURNPOINT_EXPECTS(m == "auto" || m == "pattern" || m == "generic",
                      "{}: model: '{}' is not auto, pattern or generic", source, m);
  for (const double ps : g.penalty_scale)
    TURNPOINT_EXPECTS(ps > 0.0, "{}: penalty_scale must be > 0 (got {})", source, ps);
  for (const double mc : g.min_confidence)
    TURNPOINT_EXPECTS(mc >= 0.0 && mc <= 1.0, "{}: min_confidence must be in [0, 1] (got {})", source, mc);
  // Every value must be usable: fail now, not after hours of sweeping.
  for (const Scenario& s : g.scenarios()) {
    if (!s.is_raw()) continue;
    try {
      const DetectConfig c = s.config();
      TURNPOINT_EXPECTS(c.min_size >= 1, "min_size must be >= 1 (got {})", c.min_size);
      TURNPOINT_EXPECTS(c.max_changes >= 0, "max_changes must be >= 0 (got {})", c.max_changes);
    } catch (const invalid_input& e) {
      TURNPOINT_FAIL("{}: {}", source, e.what());
    }
  }
  return g;
}

SweepGrid read_grid(const std::string& path) {
  std::ifstream in(path);
  TURNPOINT_EXPECTS(in.good(), "{}: cannot open the grid file", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_grid_text(ss.str(), path);
}

}  // namespace turnpoint
