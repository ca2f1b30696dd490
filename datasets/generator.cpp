#include "datasets/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "datasets/spring_festival.hpp"
#include "kernels/error.hpp"

namespace turnpoint {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ---- random numbers: xoshiro256** seeded by splitmix64, Box-Muller normals -------------
// Written out (not <random>) so a seed gives the same panel with every standard library.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // One independent stream per (seed, series, purpose).
  Rng(std::uint64_t seed, std::int64_t series, std::uint64_t purpose) {
    std::uint64_t sm = seed ^ (0x6a09e667f3bcc909ULL * (static_cast<std::uint64_t>(series) + 1)) ^
                       (0xbb67ae8584caa73bULL * (purpose + 1));
    for (auto& w : s_) w = splitmix64(sm);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int integer(int lo, int hi) {  // [lo, hi]
    return lo + static_cast<int>(uniform() * (hi - lo + 1));
  }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * kPi * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * kPi * u2);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

enum Stream : std::uint64_t { kStructure = 1, kNoise = 2, kMissing = 3, kAnnotators = 4 };

// ---- what a sector looks like (calibrated on Carbon Monitor China daily 2019-2022) -----
struct SectorProfile {
  const char* name;
  double level_lo, level_hi;  // MtCO2/day, drawn log-uniform
  double noise;               // relative sd of daily noise
  double weekly;              // weekday/weekend contrast (fraction of level)
  double yearly;              // yearly amplitude (fraction of level)
  double yearly_peak_doy;     // day of year of the yearly maximum
  double summer;              // second harmonic (Power's summer air-conditioning peak)
  double festival;            // depth of the Spring Festival dip
  double month_steps;         // sd of month-to-month level steps
};

constexpr std::array<SectorProfile, 5> kSectors = {{
    {"Power", 0.05, 1.3, 0.025, 0.010, 0.10, 15.0, 0.05, 0.25, 0.0},
    {"Industry", 0.02, 1.6, 0.020, 0.005, 0.06, 320.0, 0.0, 0.35, 0.04},
    {"Ground Transport", 0.005, 0.22, 0.035, 0.060, 0.05, 200.0, 0.0, 0.45, 0.0},
    {"Residential", 0.005, 0.35, 0.030, 0.0, 0.45, 15.0, 0.0, 0.05, 0.0},
    {"Aviation", 0.0001, 0.0006, 0.020, 0.0, 0.10, 210.0, 0.0, 0.20, 0.06},
}};

constexpr std::array<const char*, 31> kProvinces = {
    "Beijing",  "Tianjin",   "Hebei",     "Shanxi",   "Inner Mongolia", "Liaoning", "Jilin",
    "Heilongjiang", "Shanghai", "Jiangsu", "Zhejiang", "Anhui",          "Fujian",   "Jiangxi",
    "Shandong", "Henan",     "Hubei",     "Hunan",    "Guangdong",      "Guangxi",  "Hainan",
    "Chongqing", "Sichuan",  "Guizhou",   "Yunnan",   "Tibet",          "Shaanxi",  "Gansu",
    "Qinghai",  "Ningxia",   "Xinjiang"};

// Weekly shape with mean zero: weekdays +2/7, weekend -5/7 (Monday = 0).
constexpr std::array<double, 7> kWeekShape = {2.0 / 7, 2.0 / 7, 2.0 / 7, 2.0 / 7,
                                              2.0 / 7, -5.0 / 7, -5.0 / 7};

// Depth profile of the Spring Festival dip k days after New Year's Day: slide down over the
// 10 days before, stay down for a week, recover over the next three weeks.
double festival_profile(int k) {
  if (k < -10 || k > 27) return 0.0;
  if (k < 0) return (10.0 + k) / 10.0;
  if (k <= 6) return 1.0;
  return (27.0 - k) / 21.0;
}

struct Injected {
  int index;
  TruthSubtype subtype;
  double size;
  double recovery;  // shocks only (days)
};

// What one series looks like before its turning points, drawn around its sector's profile.
struct SeriesShape {
  double level = 0;     // MtCO2/day
  double noise = 0;     // relative sd of daily noise
  double weekly = 0;    // weekday/weekend contrast
  double yearly = 0;    // yearly amplitude
  double peak = 0;      // angle of the yearly maximum
  double summer = 0;    // second yearly harmonic
  double festival = 0;  // depth of the Spring Festival dip
  double trend = 0;     // fraction of level per year
  std::vector<double> month_level;  // month-to-month level factors
};

// The draws of the structure stream, in this order (a seed must keep giving the same panel).
SeriesShape draw_shape(Rng& rs, const SectorProfile& p, double noise_factor, int n_months) {
  SeriesShape s;
  s.level = std::exp(rs.uniform(std::log(p.level_lo), std::log(p.level_hi)));
  s.noise = p.noise * rs.uniform(0.7, 1.3) * noise_factor;
  s.weekly = p.weekly * rs.uniform(0.7, 1.3);
  s.yearly = p.yearly * rs.uniform(0.7, 1.3);
  s.peak = (p.yearly_peak_doy + rs.uniform(-10.0, 10.0)) * 2.0 * kPi / 365.25;
  s.summer = p.summer * rs.uniform(0.7, 1.3);
  s.festival = p.festival * rs.uniform(0.7, 1.3);
  s.trend = rs.normal() * 0.03 + 0.02;
  s.month_level.assign(static_cast<std::size_t>(n_months), 1.0);
  if (p.month_steps > 0)
    for (auto& m : s.month_level) m = 1.0 + p.month_steps * rs.normal();
  return s;
}

// A day in [lo, hi] at least min_spacing from every point so far; -1 after 100 misses.
int draw_spaced_day(Rng& rs, const std::vector<Injected>& points, int lo, int hi, int min_spacing) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int candidate = rs.integer(lo, hi);
    bool clear = true;
    for (const auto& q : points) clear = clear && std::abs(q.index - candidate) >= min_spacing;
    if (clear) return candidate;
  }
  return -1;
}

Injected draw_event(Rng& rs, int index, double sign) {
  Injected q{index, static_cast<TruthSubtype>(rs.integer(0, 2)), 0.0, 0.0};
  switch (q.subtype) {
    case TruthSubtype::level_shift: q.size = sign * rs.uniform(0.10, 0.35); break;
    case TruthSubtype::trend_break: q.size = sign * rs.uniform(0.15, 0.40); break;
    default:
      q.size = -rs.uniform(0.20, 0.60);
      q.recovery = rs.uniform(15.0, 60.0);
  }
  return q;
}

Injected draw_seasonal(Rng& rs, int index, double sign, double& weekly) {
  Injected q{index, static_cast<TruthSubtype>(rs.integer(3, 5)), 0.0, 0.0};
  switch (q.subtype) {
    case TruthSubtype::weekly_amplitude:
      weekly = std::max(weekly, 0.05);  // a weekly cycle must exist to change
      q.size = sign < 0 ? -rs.uniform(0.5, 0.9) : rs.uniform(1.0, 3.0);
      break;
    case TruthSubtype::yearly_amplitude: q.size = sign * rs.uniform(0.3, 0.7); break;
    default: q.size = sign * rs.uniform(20.0, 45.0);
  }
  return q;
}

// The turning points of a series, by day: events first, then seasonal changes, each at a
// day spread out from the others, then a subtype and a size. A weekly-amplitude change may
// raise the shape's weekly contrast.
std::vector<Injected> draw_turning_points(Rng& rs, const GeneratorConfig& c, SeriesShape& shape) {
  std::vector<Injected> points;
  const int n_events = rs.integer(0, c.max_events);
  const int n_seasonal = rs.integer(0, c.max_seasonal);
  const int lo = c.edge_days, hi = c.n_days - 1 - c.edge_days;
  if (hi < lo) return points;  // no room between the edges
  for (int j = 0; j < n_events + n_seasonal; ++j) {
    const int index = draw_spaced_day(rs, points, lo, hi, c.min_spacing);
    if (index < 0) continue;
    const double sign = rs.uniform() < 0.5 ? -1.0 : 1.0;
    points.push_back(j < n_events ? draw_event(rs, index, sign)
                                  : draw_seasonal(rs, index, sign, shape.weekly));
  }
  std::sort(points.begin(), points.end(),
            [](const Injected& a, const Injected& b) { return a.index < b.index; });
  return points;
}

// One day of the panel's calendar.
struct CalendarDay {
  double year_angle;      // 2 pi (day of year) / 365.25
  std::int8_t dow;        // 0 = Monday
  double festival_depth;  // 0..1
  std::int32_t month_slot;
};

// The value of day t before noise: the shape changed by every turning point up to t.
double noiseless_value(const SeriesShape& s, const std::vector<Injected>& points, int t,
                       const CalendarDay& day) {
  double level_factor = 1.0 + s.trend * t / 365.25;
  double weekly_t = s.weekly, yearly_t = s.yearly, phase_t = 0.0;
  for (const auto& q : points) {
    if (t < q.index) break;
    const double since = t - q.index;
    switch (q.subtype) {
      case TruthSubtype::level_shift: level_factor *= 1.0 + q.size; break;
      case TruthSubtype::trend_break: level_factor *= 1.0 + q.size * since / 365.25; break;
      case TruthSubtype::shock: level_factor *= 1.0 + q.size * std::exp(-since / q.recovery); break;
      case TruthSubtype::weekly_amplitude: weekly_t *= 1.0 + q.size; break;
      case TruthSubtype::yearly_amplitude: yearly_t *= 1.0 + q.size; break;
      case TruthSubtype::yearly_phase: phase_t += q.size * 2.0 * kPi / 365.25; break;
    }
  }
  const double a = day.year_angle - s.peak - phase_t;
  const double seasonal = (1.0 + yearly_t * std::cos(a) + s.summer * std::cos(2.0 * a + kPi)) *
                          (1.0 + weekly_t * kWeekShape[static_cast<std::size_t>(day.dow)]) *
                          (1.0 - s.festival * day.festival_depth) *
                          s.month_level[static_cast<std::size_t>(day.month_slot)];
  return s.level * std::max(level_factor, 0.0) * seasonal;
}

// Each day missing independently with the given chance.
void blank_missing_days(Rng& rm, double missing, double* row, int n) {
  for (int t = 0; t < n; ++t)
    if (rm.uniform() < missing) row[t] = std::numeric_limits<double>::quiet_NaN();
}

// One extra annotator's copy of the truth: each point missed with some chance, the others
// jittered (kept inside the series), duplicates merged.
std::vector<TruthPoint> annotator_copy(Rng& ra, const GeneratorConfig& c, std::int64_t series,
                                       std::int32_t annotator, const std::vector<Injected>& points,
                                       const std::vector<std::int32_t>& time) {
  std::vector<TruthPoint> mine;
  for (const auto& q : points) {
    const bool missed = ra.uniform() < c.annotator_miss;
    const double jitter = ra.normal() * c.annotator_jitter;  // drawn even when missed
    if (missed) continue;
    const int index = std::clamp(q.index + static_cast<int>(std::lround(jitter)), 1, c.n_days - 2);
    mine.push_back({series, index, time[static_cast<std::size_t>(index)], kind_of(q.subtype),
                    q.subtype, q.size, annotator});
  }
  std::sort(mine.begin(), mine.end(),
            [](const TruthPoint& x, const TruthPoint& y) { return x.index < y.index; });
  mine.erase(std::unique(mine.begin(), mine.end(),
                         [](const TruthPoint& x, const TruthPoint& y) { return x.index == y.index; }),
             mine.end());
  return mine;
}

// The truth of a series: annotator 0 the injected points themselves, then each extra
// annotator's noisy copy.
void append_truth(const GeneratorConfig& c, std::int64_t series,
                  const std::vector<Injected>& points, const std::vector<std::int32_t>& time,
                  std::vector<TruthPoint>& truth) {
  for (const auto& q : points)
    truth.push_back({series, q.index, time[static_cast<std::size_t>(q.index)], kind_of(q.subtype),
                     q.subtype, q.size, 0});
  Rng ra(c.seed, series, kAnnotators);
  for (int a = 1; a < c.n_annotators; ++a) {
    const std::vector<TruthPoint> mine = annotator_copy(ra, c, series, a, points, time);
    truth.insert(truth.end(), mine.begin(), mine.end());
  }
}

}  // namespace

const char* to_string(TruthSubtype s) {
  switch (s) {
    case TruthSubtype::level_shift: return "level_shift";
    case TruthSubtype::trend_break: return "trend_break";
    case TruthSubtype::shock: return "shock";
    case TruthSubtype::weekly_amplitude: return "weekly_amplitude";
    case TruthSubtype::yearly_amplitude: return "yearly_amplitude";
    case TruthSubtype::yearly_phase: return "yearly_phase";
  }
  return "?";
}

TruthSubtype parse_truth_subtype(const std::string& s) {
  for (int k = 0; k <= 5; ++k)
    if (s == to_string(static_cast<TruthSubtype>(k))) return static_cast<TruthSubtype>(k);
  TURNPOINT_FAIL("unknown turning-point subtype '{}'", s);
}

TurnKind kind_of(TruthSubtype s) {
  return static_cast<int>(s) <= 2 ? TurnKind::event : TurnKind::seasonal;
}

void validate(const GeneratorConfig& c) {
  TURNPOINT_EXPECTS(c.n_series >= 0, "--series must be >= 0 (got {})", c.n_series);
  TURNPOINT_EXPECTS(c.n_days >= 3, "--days must be >= 3 (got {})", c.n_days);
  TURNPOINT_EXPECTS(c.missing >= 0.0 && c.missing < 1.0, "--missing must be in [0, 1) (got {})",
                    c.missing);
  TURNPOINT_EXPECTS(c.max_events >= 0 && c.max_seasonal >= 0,
                    "numbers of turning points must be >= 0");
  TURNPOINT_EXPECTS(c.edge_days >= 1 && c.min_spacing >= 1, "edge and spacing must be >= 1 day");
  TURNPOINT_EXPECTS(c.n_annotators >= 1 && c.n_annotators <= 100,
                    "--annotators must be in 1..100 (got {})", c.n_annotators);
  TURNPOINT_EXPECTS(c.annotator_miss >= 0.0 && c.annotator_miss <= 1.0 &&
                        c.annotator_jitter >= 0.0,
                    "annotator miss rate must be in [0, 1] and jitter >= 0");
  TURNPOINT_EXPECTS(c.noise >= 0.0, "noise factor must be >= 0 (got {})", c.noise);
}

GeneratorConfig demo_config() {
  GeneratorConfig c;
  c.n_series = 155;
  c.n_days = 1461;
  c.seed = 20190101;
  c.start_day = datasets::days_from_civil(2019, 1, 1);
  c.missing = 0.0;
  c.max_events = 2;
  c.max_seasonal = 1;
  return c;
}

Generator::Generator(const GeneratorConfig& config) : config_(config) {
  validate(config_);
  const int n = config_.n_days;
  time_.resize(n);
  dow_.resize(n);
  year_angle_.resize(n);
  festival_shape_.assign(n, 0.0);
  month_slot_.resize(n);
  const datasets::CivilDate first = datasets::civil_from_days(config_.start_day);
  for (int t = 0; t < n; ++t) {
    const std::int32_t day = config_.start_day + t;
    time_[t] = day;
    // 1970-01-01 was a Thursday (Monday = 0 -> Thursday = 3).
    dow_[t] = static_cast<std::int8_t>(((day % 7) + 7 + 3) % 7);
    const datasets::CivilDate d = datasets::civil_from_days(day);
    const double doy = day - datasets::days_from_civil(d.year, 1, 1);
    year_angle_[t] = 2.0 * kPi * doy / 365.25;
    month_slot_[t] = (d.year - first.year) * 12 + (d.month - first.month);
  }
  n_months_ = n > 0 ? month_slot_.back() + 1 : 0;
  for (const std::int32_t ny : datasets::spring_festival_days())
    for (int k = -10; k <= 27; ++k) {
      const std::int64_t t = static_cast<std::int64_t>(ny) + k - config_.start_day;
      if (t >= 0 && t < n) festival_shape_[t] = festival_profile(k);
    }
}

std::string Generator::region(std::int64_t i) const {
  return kProvinces[static_cast<std::size_t>((i / 5) % 31)];
}
std::string Generator::sector(std::int64_t i) const {
  return kSectors[static_cast<std::size_t>(i % 5)].name;
}
std::string Generator::series_id(std::int64_t i) const {
  const std::int64_t replica = i / 155;
  if (replica == 0) return region(i) + "/" + sector(i);
  return fmt::format("{}/{}/{}", region(i), sector(i), replica);
}

void Generator::generate(std::int64_t first, std::int64_t count, double* rows,
                         std::vector<TruthPoint>* truth) const {
  std::vector<std::vector<TruthPoint>> per_series(truth ? count : 0);
  const std::int64_t n = config_.n_days;
#pragma omp parallel for schedule(dynamic, 16)
  for (std::int64_t k = 0; k < count; ++k)
    generate_one(first + k, rows + k * n, truth ? &per_series[k] : nullptr);
  if (truth)
    for (auto& s : per_series) truth->insert(truth->end(), s.begin(), s.end());
}

void Generator::generate_one(std::int64_t i, double* row, std::vector<TruthPoint>* truth) const {
  const int n = config_.n_days;
  // Each purpose draws from its own stream, so that e.g. a missing rate changes no value.
  Rng rs(config_.seed, i, kStructure);
  const SectorProfile& profile = kSectors[static_cast<std::size_t>(i % 5)];
  SeriesShape shape = draw_shape(rs, profile, config_.noise, n_months_);
  const std::vector<Injected> points = draw_turning_points(rs, config_, shape);

  Rng rn(config_.seed, i, kNoise);
  for (int t = 0; t < n; ++t) {
    const CalendarDay day{year_angle_[t], dow_[t], festival_shape_[t], month_slot_[t]};
    const double v = noiseless_value(shape, points, t, day) * (1.0 + shape.noise * rn.normal());
    row[t] = std::max(v, 0.0);
  }
  if (config_.missing > 0) {
    Rng rm(config_.seed, i, kMissing);
    blank_missing_days(rm, config_.missing, row, n);
  }

  if (truth) append_truth(config_, i, points, time_, *truth);
}

Panel generate_panel(const GeneratorConfig& config, Truth* truth) {
  const Generator gen(config);
  Panel panel;
  panel.time = gen.time();
  panel.values.resize(static_cast<std::size_t>(config.n_series) * config.n_days);
  panel.units = "MtCO2/day";
  panel.source = fmt::format("turnpoint generate --seed {} (synthetic)", config.seed);
  for (std::int64_t i = 0; i < config.n_series; ++i) {
    panel.region.push_back(gen.region(i));
    panel.sector.push_back(gen.sector(i));
    panel.series_id.push_back(gen.series_id(i));
  }
  if (truth) {
    truth->n_annotators = config.n_annotators;
    truth->points.clear();
  }
  gen.generate(0, config.n_series, panel.values.data(), truth ? &truth->points : nullptr);
  return panel;
}

}  // namespace turnpoint
