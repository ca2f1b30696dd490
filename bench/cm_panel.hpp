// The real Carbon Monitor China daily panel (155 series x 1,461 days) for the benchmarks and
// the GPU tests, from either of two sources:
//  * the five CSV files of ../shared/datasets/carbon_monitor_china_daily (the source of truth,
//    read on the build machine), or
//  * one small binary file (kPanelFileName, written by bench/pack_cm_panel.cpp into the GPU
//    bundle), because the GPU machine has no ../shared and no HDF5 library.
// Both give the same panel: one series per (sector, province), sectors in file order
// (Aviation, Ground_Transport, Industry, Power, Residential), provinces by name, on the union
// of all dates; a day a series lacks is NaN. Header-only, no dependency but the calendar.
//
// File layout (little-endian, what x86-64 writes natively):
//   "TPPANEL1"                         8 bytes
//   int64 n_series, int32 n_time, int32 0
//   int32 days[n_time]                 days since 1970-01-01
//   float64 values[n_series][n_time]   NaN = missing
//   per series: uint16 length, name bytes ("Sector/Province")
//   uint64 FNV-1a hash of every byte before it (a truncated or altered copy fails to load)
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "host/core/calendar.hpp"

namespace turnpoint::bench {

inline constexpr const char* kPanelFileName = "cm_china_daily.tpp";

struct CmPanel {
  std::int64_t n_series = 0;
  int n_time = 0;
  std::vector<double> values;        // [n_series][n_time], NaN = missing
  std::vector<std::int32_t> days;    // days since 1970-01-01
  std::vector<std::string> names;    // "Sector/Province"
  std::string source;                // the file or folder it was read from
  std::string error;                 // non-empty when it could not be read
  bool ok() const { return error.empty() && n_series > 0; }
};

namespace detail {

inline std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

inline std::uint64_t fnv1a(const char* p, std::size_t n, std::uint64_t h = 1469598103934665603ull) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace detail

// The five CSV files of `dir` (columns date,state,value found by header name; UTF-8 BOM
// tolerated).
inline CmPanel load_cm_csv(const std::string& dir) {
  CmPanel p;
  p.source = dir;
  const char* sectors[] = {"Aviation", "Ground_Transport", "Industry", "Power", "Residential"};
  std::map<std::pair<std::string, std::string>, std::map<std::int32_t, double>> cells;
  std::vector<std::pair<std::string, std::string>> keys;
  std::map<std::int32_t, int> all_days;
  for (const char* sector : sectors) {
    const std::string path = dir + "/" + sector + "_result.csv";
    std::ifstream in(path);
    if (!in) {
      p.error = "cannot open " + path;
      return p;
    }
    std::string line;
    std::getline(in, line);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto header = detail::split_csv(line);
    auto col = [&](const char* name) {
      return static_cast<int>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    const int c_date = col("date"), c_state = col("state"), c_value = col("value");
    const int n_cols = static_cast<int>(header.size());
    if (c_date >= n_cols || c_state >= n_cols || c_value >= n_cols) {
      p.error = path + ": header lacks date, state or value";
      return p;
    }
    std::vector<std::pair<std::string, std::string>> sector_keys;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      const auto f = detail::split_csv(line);
      if (static_cast<int>(f.size()) < n_cols) continue;
      int y = 0, m = 0, d = 0;
      if (std::sscanf(f[c_date].c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
        p.error = path + ": bad date '" + f[c_date] + "'";
        return p;
      }
      const std::int32_t day = days_from_civil(y, m, d);
      const std::pair<std::string, std::string> key{sector, f[c_state]};
      auto& series = cells[key];
      if (series.empty()) sector_keys.push_back(key);
      series[day] = std::stod(f[c_value]);
      all_days.emplace(day, 0);
    }
    std::sort(sector_keys.begin(), sector_keys.end());
    keys.insert(keys.end(), sector_keys.begin(), sector_keys.end());
  }
  int idx = 0;
  for (auto& [day, i] : all_days) {
    i = idx++;
    p.days.push_back(day);
  }
  p.n_series = static_cast<std::int64_t>(keys.size());
  p.n_time = static_cast<int>(p.days.size());
  p.values.assign(static_cast<std::size_t>(p.n_series) * p.n_time,
                  std::numeric_limits<double>::quiet_NaN());
  for (std::int64_t s = 0; s < p.n_series; ++s) {
    p.names.push_back(keys[s].first + "/" + keys[s].second);
    for (const auto& [day, v] : cells[keys[s]]) p.values[s * p.n_time + all_days[day]] = v;
  }
  return p;
}

// Writes `p` in the file layout above; false (and errno) on failure.
inline bool write_cm_file(const CmPanel& p, const std::string& path) {
  std::string buf("TPPANEL1", 8);
  auto put = [&](const void* v, std::size_t n) { buf.append(static_cast<const char*>(v), n); };
  const std::int64_t ns = p.n_series;
  const std::int32_t nt = p.n_time, zero = 0;
  put(&ns, 8);
  put(&nt, 4);
  put(&zero, 4);
  put(p.days.data(), sizeof(std::int32_t) * p.days.size());
  put(p.values.data(), sizeof(double) * p.values.size());
  for (const std::string& name : p.names) {
    const auto len = static_cast<std::uint16_t>(name.size());
    put(&len, 2);
    put(name.data(), name.size());
  }
  const std::uint64_t h = detail::fnv1a(buf.data(), buf.size());
  put(&h, 8);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  return static_cast<bool>(out.flush());
}

inline CmPanel read_cm_file(const std::string& path) {
  CmPanel p;
  p.source = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    p.error = "cannot open " + path;
    return p;
  }
  const std::string buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t at = 0;
  auto get = [&](void* v, std::size_t n) {
    if (at + n > buf.size()) return false;
    std::memcpy(v, buf.data() + at, n);
    at += n;
    return true;
  };
  char magic[8];
  std::int64_t ns = 0;
  std::int32_t nt = 0, zero = 0;
  if (!get(magic, 8) || std::memcmp(magic, "TPPANEL1", 8) != 0 || !get(&ns, 8) || !get(&nt, 4) ||
      !get(&zero, 4) || ns <= 0 || nt <= 0 || ns > (1 << 20) || nt > (1 << 24)) {
    p.error = path + ": not a turnpoint panel file (bad header)";
    return p;
  }
  p.n_series = ns;
  p.n_time = nt;
  p.days.resize(static_cast<std::size_t>(nt));
  p.values.resize(static_cast<std::size_t>(ns) * static_cast<std::size_t>(nt));
  bool ok = get(p.days.data(), 4 * p.days.size()) && get(p.values.data(), 8 * p.values.size());
  for (std::int64_t s = 0; ok && s < ns; ++s) {
    std::uint16_t len = 0;
    ok = get(&len, 2) && at + len <= buf.size();
    if (ok) {
      p.names.emplace_back(buf.data() + at, len);
      at += len;
    }
  }
  std::uint64_t h = 0;
  const std::size_t body = at;
  if (!ok || !get(&h, 8) || at != buf.size() || h != detail::fnv1a(buf.data(), body)) {
    p = CmPanel{};
    p.source = path;
    p.error = path + ": truncated or corrupt panel file (size or checksum)";
  }
  return p;
}

// The folder holding the running executable ("" if unknown): the bundle keeps the panel file
// next to its binaries.
inline std::string executable_dir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<std::size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string{} : path.substr(0, slash);
}

// The real panel from the first source that exists: $TURNPOINT_CM_PANEL (a panel file; when
// set it must load), kPanelFileName next to the executable, then each CSV folder given. The
// result's error lists every place looked at when none had it.
inline CmPanel find_cm_panel(const std::vector<std::string>& csv_dirs) {
  if (const char* env = std::getenv("TURNPOINT_CM_PANEL"); env && *env) return read_cm_file(env);
  std::string tried;
  const std::string exe = executable_dir();
  if (!exe.empty()) {
    const std::string f = exe + "/" + kPanelFileName;
    if (std::ifstream(f)) return read_cm_file(f);
    tried += f;
  }
  for (const std::string& dir : csv_dirs) {
    if (dir.empty()) continue;
    if (std::ifstream(dir + "/Power_result.csv")) return load_cm_csv(dir);
    tried += (tried.empty() ? "" : ", ") + dir;
  }
  CmPanel p;
  p.error = "real panel not found (looked for $TURNPOINT_CM_PANEL, " + tried + ")";
  return p;
}

}  // namespace turnpoint::bench
