#include "host/report/join.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/catalogue/catalogue_dates.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"

namespace turnpoint {

bool LinkCheck::has(const std::string& flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

namespace {
JoinWindow parse_window(const std::string& spec, const char* option) {
  const auto colon = spec.find(':');
  char* end = nullptr;
  JoinWindow w;
  bool ok = colon != std::string::npos;
  if (ok) {
    const std::string b = spec.substr(0, colon), a = spec.substr(colon + 1);
    w.months_before = static_cast<int>(std::strtol(b.c_str(), &end, 10));
    ok = !b.empty() && *end == '\0';
    w.months_after = static_cast<int>(std::strtol(a.c_str(), &end, 10));
    ok = ok && !a.empty() && *end == '\0';
  }
  TURNPOINT_EXPECTS(ok && w.months_before >= 0 && w.months_after >= 0 && w.months_before <= 120 &&
                        w.months_after <= 120,
                    "{} \"{}\": expected MONTHS_BEFORE:MONTHS_AFTER, e.g. 3:3", option, spec);
  return w;
}
}  // namespace

void set_join_windows(JoinOptions& o, const std::string& all, const std::string& event,
                      const std::string& seasonal) {
  if (!all.empty()) o.event = o.seasonal = o.unclassified = parse_window(all, "--window");
  if (!event.empty()) o.event = parse_window(event, "--window-event");
  if (!seasonal.empty()) o.seasonal = parse_window(seasonal, "--window-seasonal");
}

namespace {
double precision_weight(DatePrecision p) {
  switch (p) {
    case DatePrecision::day: return 1.0;
    case DatePrecision::month: return 0.8;
    case DatePrecision::year: break;
  }
  return 0.5;
}
}  // namespace

LinkCheck check_link(std::int32_t day, TurnKind kind, const std::string& region_in,
                     const std::string& sector_in, const CatalogueEntry& e,
                     const JoinOptions& options) {
  LinkCheck c;
  const JoinWindow& w = options.window_for(kind);
  c.window_first = cal::add_months(day, -w.months_before);
  c.window_last = cal::add_months(day, w.months_after);
  const std::int32_t first = e.date.first_day(), last = e.date.last_day();
  c.distance_days = first > day ? first - day : last < day ? last - day : 0;
  // Time: the entry's interval must overlap the window.
  if (first > c.window_last) c.flags.push_back("anachronism");
  else if (last < c.window_first) c.flags.push_back("before-window");
  // Region: the series' province among the entry's regions, or national scope.
  const std::string region = canonical_region(region_in).value_or(region_in);
  if (e.scope == Scope::national) c.region_match = "national";
  else if (std::find(e.regions.begin(), e.regions.end(), region) != e.regions.end())
    c.region_match = e.scope == Scope::city ? "city" : "province";
  else c.flags.push_back("other-region");
  // Sector: listed, or economy-wide (no sector tag).
  const std::string sector = canonical_sector(sector_in).value_or(sector_in);
  if (e.sectors.empty()) c.sector_match = "economy-wide";
  else if (std::find(e.sectors.begin(), e.sectors.end(), sector) != e.sectors.end())
    c.sector_match = e.sectors.size() == 1 ? "sector" : "multi-sector";
  else c.flags.push_back("other-sector");
  // Ranking score (docs/catalogue.md#ranking).
  const double half = c.distance_days > 0 ? double(c.window_last - day) : double(day - c.window_first);
  const double time = std::clamp(1.0 - std::abs(c.distance_days) / std::max(half, 1.0), 0.0, 1.0);
  const double region_w = c.region_match == "national" ? 0.5 : c.region_match.empty() ? 0.0 : 1.0;
  const double sector_w = c.sector_match == "sector" ? 1.0 : c.sector_match == "multi-sector" ? 0.75
                        : c.sector_match == "economy-wide" ? 0.5 : 0.0;
  const bool kind_fits = (kind == TurnKind::event && e.kind == EntryKind::event) ||
                         (kind == TurnKind::seasonal && e.kind == EntryKind::policy);
  c.score = 2.0 * time * precision_weight(e.date.precision) + region_w + sector_w + (kind_fits ? 0.25 : 0.0);
  return c;
}

namespace {

std::string days_en(std::int32_t n) { return n == 1 ? "1 day" : fmt::format("{} days", n); }

std::string month_en(const PolicyDate& d) {
  return d.precision == DatePrecision::year ? fmt::format("{}", d.year) : fmt::format("{:04d}-{:02d}", d.year, d.month);
}

}  // namespace

LinkCheck assess_link(std::int32_t day, TurnKind kind, double step, const std::string& region_in,
                      const std::string& sector_in, const CatalogueEntry& e, const JoinOptions& o) {
  LinkCheck c;
  const JoinWindow& w = o.window_for(kind);
  c.window_first = cal::add_months(day, -w.months_before);
  c.window_last = cal::add_months(day, w.months_after);
  const std::int32_t first = e.date.first_day(), last = e.date.last_day();
  const std::int32_t pub = e.first_public_day();
  c.distance_days = first > day ? first - day : last < day ? last - day : 0;
  const Onset onset = e.effective_onset();
  const int max_lag = onset == Onset::immediate ? o.lag_days_immediate : o.lag_days_gradual;
  const int full_lag = onset == Onset::immediate ? 7 : 31;  // full weight up to here

  // ---- time: cause before effect, with a lead tolerance; a lag that fits the onset ----
  double time_w = 0.0;
  const bool announced_earlier = e.announced && e.announced->first_day() < first;
  std::string t_en, t_zh;
  const cal::Civil civ = cal::civil_from_days(day);
  const std::int32_t month_end = cal::days_from_civil(civ.year, civ.month, cal::days_in_month(civ.year, civ.month));
  const bool monthly_step = o.month_steps && civ.day == 1;
  if (day < pub - o.lead_days && !(monthly_step && pub <= month_end)) {
    c.flags.push_back("anachronism");
  } else if (day < pub - o.lead_days) {  // within the month of a monthly step
    c.time_match = "same-month";
    time_w = 0.7;
    const std::int32_t n = pub - day;
    if (announced_earlier) {
      t_en = fmt::format("announced {} into the month of this monthly step", days_en(n));
      t_zh = fmt::format("在该月第{}天公布（月度数据阶跃）", n + 1);
    } else {
      t_en = fmt::format("took effect {} into the month of this monthly step", days_en(n));
      t_zh = fmt::format("在该月第{}天生效（月度数据阶跃）", n + 1);
    }
  } else if (day < pub) {  // within the lead tolerance before it became public
    c.time_match = "lead";
    const std::int32_t n = pub - day;
    time_w = 1.0 - 0.5 * double(n) / double(std::max(o.lead_days, 1));
    if (announced_earlier) {
      t_en = fmt::format("announced {} after (within the {}-day lead tolerance)", days_en(n), o.lead_days);
      t_zh = fmt::format("晚于转折点{}天公布（在{}天提前量内）", n, o.lead_days);
    } else {
      t_en = fmt::format("took effect {} after (within the {}-day lead tolerance)", days_en(n), o.lead_days);
      t_zh = fmt::format("晚于转折点{}天生效（在{}天提前量内）", n, o.lead_days);
    }
  } else if (day < first) {  // announced, not yet in force: anticipation
    c.time_match = "announced";
    time_w = 0.7;
    t_en = fmt::format("announced {} before, took effect {} after", days_en(day - pub), days_en(first - day));
    t_zh = fmt::format("早于转折点{}天公布，晚{}天生效", day - pub, first - day);
  } else {  // in force
    c.time_match = "effective";
    const std::int32_t lag = day <= last ? 0 : day - last;
    const std::int32_t since = day - first;
    if (lag > max_lag) {
      c.flags.push_back("before-window");
    } else {
      time_w = lag <= full_lag ? 1.0 : 1.0 - 0.8 * double(lag - full_lag) / double(std::max(max_lag - full_lag, 1));
    }
    if (e.date.precision == DatePrecision::day) {
      t_en = since == 0 ? std::string("took effect on the day") : fmt::format("took effect {} before", days_en(since));
      t_zh = since == 0 ? std::string("当天生效") : fmt::format("早于转折点{}天生效", since);
    } else if (day <= last) {
      t_en = fmt::format("in force in {} (date known to the {})", month_en(e.date), to_string(e.date.precision));
      t_zh = fmt::format("{}内生效（日期精确到{}）", e.date.to_chinese(), e.date.precision == DatePrecision::month ? "月" : "年");
    } else {
      t_en = fmt::format("in force since {}, {} before", month_en(e.date), days_en(lag));
      t_zh = fmt::format("自{}起生效，早于转折点{}天", e.date.to_chinese(), lag);
    }
  }
  const double precision_w = e.date.precision == DatePrecision::day ? 1.0
                           : e.date.precision == DatePrecision::month ? 0.75 : 0.4;

  // ---- place ----
  const std::string region = canonical_region(region_in).value_or(region_in);
  double place_w = 0.0;
  std::string p_en, p_zh;
  if (e.scope == Scope::national) {
    c.region_match = "national";
    place_w = 0.7;
    p_en = "national";
    p_zh = "全国";
  } else if (std::find(e.regions.begin(), e.regions.end(), region) != e.regions.end()) {
    if (e.scope == Scope::city) {
      c.region_match = "city";
      place_w = 0.85;
      p_en = fmt::format("a city in {}", region);
      p_zh = province_full_chinese(region) + (e.place.empty() ? std::string("（市级）") : "（" + e.place + "）");
    } else {
      c.region_match = "province";
      place_w = 1.0;
      p_en = region;
      p_zh = province_full_chinese(region);
    }
    if (e.regions.size() > 1) {
      p_en += fmt::format(" (one of {} provinces)", e.regions.size());
      p_zh += fmt::format("（{}个省份之一）", e.regions.size());
      place_w *= 0.95;
    }
  } else {
    c.flags.push_back("other-region");
  }

  // ---- sector ----
  const std::string sector = canonical_sector(sector_in).value_or(sector_in);
  double sector_w = 0.0;
  std::string s_en, s_zh;
  if (e.sectors.empty()) {
    c.sector_match = "economy-wide";
    sector_w = 0.8;
    s_en = "all sectors";
    s_zh = "全部门";
  } else if (std::find(e.sectors.begin(), e.sectors.end(), sector) != e.sectors.end()) {
    c.sector_match = e.sectors.size() == 1 ? "sector" : "multi-sector";
    sector_w = e.sectors.size() == 1 ? 1.0 : 0.9;
    s_en = e.sectors.size() == 1 ? sector : fmt::format("{} (one of {} sectors)", sector, e.sectors.size());
    s_zh = e.sectors.size() == 1 ? sector_chinese(sector)
                                 : fmt::format("{}（{}个部门之一）", sector_chinese(sector), e.sectors.size());
  } else {
    c.flags.push_back("other-sector");
  }

  // ---- direction ----
  double dir_w = 0.7;
  std::string d_en, d_zh;
  const bool judged = !std::isnan(step) && std::abs(step) >= o.min_step;
  const char* found_en = !judged ? "" : step < 0 ? "drop" : "rise";
  const char* found_zh = !judged ? "" : step < 0 ? "下降" : "上升";
  if (e.direction == Direction::unknown) {
    c.direction_match = "not-stated";
    d_en = "direction not stated";
    d_zh = "方向未说明";
  } else {
    const bool down = e.direction == Direction::down;
    const char* exp_en = down ? "drop" : "rise";
    const char* exp_zh = down ? "下降" : "上升";
    if (!judged) {
      c.direction_match = "not-judged";
      dir_w = 0.85;
      d_en = fmt::format("{} expected", exp_en);
      d_zh = fmt::format("预期{}", exp_zh);
    } else if ((step < 0) == down) {
      c.direction_match = "agrees";
      dir_w = 1.0;
      d_en = fmt::format("{} expected, {} found", exp_en, found_en);
      d_zh = fmt::format("预期{}，实际{}", exp_zh, found_zh);
    } else {
      c.direction_match = "contradicts";
      c.flags.push_back("direction-contradicts");
      d_en = fmt::format("{} expected but {} found: direction contradicts", exp_en, found_en);
      d_zh = fmt::format("预期{}，但实际{}（方向相反）", exp_zh, found_zh);
    }
  }

  // ---- kind: a sudden event fits an event turning point, a plan a seasonal/level shift ----
  double kind_w = 0.9;
  if (kind == TurnKind::event) kind_w = onset == Onset::immediate ? 1.0 : 0.6;
  else if (kind == TurnKind::seasonal) kind_w = onset == Onset::immediate ? 0.6 : 0.8;

  c.strength = time_w * precision_w * place_w * sector_w * dir_w * kind_w;
  c.score = c.strength;
  c.grade = c.strength >= 0.6 ? "strong" : c.strength >= 0.4 ? "moderate" : "weak";
  if (c.flags.empty() && c.strength < o.min_strength) c.flags.push_back("weak");
  c.reason_en = fmt::format("{}; {}; {}; {}", t_en.empty() ? std::string("outside the time limits") : t_en,
                            p_en.empty() ? std::string("other province") : p_en,
                            s_en.empty() ? std::string("other sector") : s_en, d_en);
  c.reason_zh = fmt::format("{}；{}；{}；{}", t_zh.empty() ? std::string("不在时间范围内") : t_zh,
                            p_zh.empty() ? std::string("其他省份") : p_zh,
                            s_zh.empty() ? std::string("其他部门") : s_zh, d_zh);
  return c;
}

std::vector<PointMatches> join(const DetectionSet& set, const Catalogue& cat, const JoinOptions& opt) {
  std::vector<PointMatches> out;
  out.reserve(set.points.size());
  auto better = [&](const Match& a, const Match& b) {
    if (a.check.strength != b.check.strength) return a.check.strength > b.check.strength;
    if (std::abs(a.check.distance_days) != std::abs(b.check.distance_days))
      return std::abs(a.check.distance_days) < std::abs(b.check.distance_days);
    return cat.entries[a.entry].id < cat.entries[b.entry].id;
  };
  for (std::size_t p = 0; p < set.points.size(); ++p) {
    const TurningPoint& tp = set.points[p];
    const std::string& region = set.region.at(static_cast<std::size_t>(tp.series));
    const std::string& sector = set.sector.at(static_cast<std::size_t>(tp.series));
    PointMatches pm;
    pm.point = p;
    const JoinWindow& w = opt.window_for(tp.kind);
    pm.window_first = cal::add_months(tp.day, -w.months_before);
    pm.window_last = cal::add_months(tp.day, w.months_after);
    for (std::size_t i = 0; i < cat.entries.size(); ++i) {
      const CatalogueEntry& e = cat.entries[i];
      LinkCheck c = assess_link(tp.day, tp.kind, tp.step, region, sector, e, opt);
      if (c.ok()) {
        pm.matches.push_back({i, std::move(c), 0});
      } else if (c.flags.size() == 1) {
        // A near miss, only when the entry lies within the outer search window: older or
        // later ones are not plausible links and would drown the useful flags.
        if (e.date.last_day() < pm.window_first || e.first_public_day() > pm.window_last) continue;
        pm.near_misses.push_back({i, std::move(c), 0});
      }
    }
    std::sort(pm.matches.begin(), pm.matches.end(), better);
    std::sort(pm.near_misses.begin(), pm.near_misses.end(), better);
    if (opt.max_matches > 0 && pm.matches.size() > std::size_t(opt.max_matches))
      pm.matches.resize(std::size_t(opt.max_matches));
    if (pm.near_misses.size() > std::size_t(std::max(opt.max_near_misses, 0)))
      pm.near_misses.resize(std::size_t(std::max(opt.max_near_misses, 0)));
    for (std::size_t r = 0; r < pm.matches.size(); ++r) pm.matches[r].rank = int(r) + 1;
    out.push_back(std::move(pm));
  }
  return out;
}

namespace {
nlohmann::ordered_json match_json(const Catalogue& cat, const Match& m, bool with_flags) {
  const CatalogueEntry& e = cat.entries[m.entry];
  nlohmann::ordered_json j;
  if (m.rank > 0) j["rank"] = m.rank;
  j["id"] = e.id;
  j["title"] = e.title;
  j["kind"] = to_string(e.kind);
  j["date"] = e.date.to_string();
  j["precision"] = to_string(e.date.precision);
  j["scope"] = to_string(e.scope);
  j["regions"] = e.regions;
  j["sectors"] = e.sectors;
  j["score"] = std::round(m.check.score * 1000.0) / 1000.0;
  j["distance_days"] = m.check.distance_days;
  j["region_match"] = m.check.region_match;
  j["sector_match"] = m.check.sector_match;
  j["time_match"] = m.check.time_match;
  j["direction_match"] = m.check.direction_match;
  j["strength"] = std::round(m.check.strength * 1000.0) / 1000.0;
  j["grade"] = m.check.grade;
  j["reason"] = m.check.reason_en;
  j["reason_zh"] = m.check.reason_zh;
  if (e.announced) j["announced"] = e.announced->to_string();
  if (e.direction != Direction::unknown) j["direction"] = to_string(e.direction);
  if (with_flags) j["flags"] = m.check.flags;
  if (!e.url.empty()) j["url"] = e.url;
  return j;
}
}  // namespace

std::string matches_to_jsonl(const DetectionSet& set, const Catalogue& cat,
                             const std::vector<PointMatches>& result, bool explain) {
  std::string out;
  for (const PointMatches& pm : result) {
    const TurningPoint& tp = set.points[pm.point];
    nlohmann::ordered_json j;
    j["series"] = tp.series;
    j["series_id"] = set.series_id.at(tp.series);
    j["region"] = set.region.at(tp.series);
    j["sector"] = set.sector.at(tp.series);
    j["day"] = cal::format_day(tp.day);
    j["index"] = tp.index;
    j["kind"] = to_string(tp.kind);
    if (std::isnan(tp.confidence)) j["confidence"] = nullptr;
    else j["confidence"] = tp.confidence;
    j["rank_in_series"] = tp.rank;
    if (std::isnan(tp.step)) j["step"] = nullptr;
    else j["step"] = tp.step;
    j["window"] = {cal::format_day(pm.window_first), cal::format_day(pm.window_last)};
    auto& ms = j["matches"] = nlohmann::ordered_json::array();
    for (const Match& m : pm.matches) ms.push_back(match_json(cat, m, false));
    if (explain) {
      auto& nm = j["near_misses"] = nlohmann::ordered_json::array();
      for (const Match& m : pm.near_misses) nm.push_back(match_json(cat, m, true));
    }
    out += j.dump() + "\n";
  }
  return out;
}

}  // namespace turnpoint
