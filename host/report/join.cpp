#include "host/report/join.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "host/catalogue/catalogue_dates.hpp"
#include "kernels/error.hpp"
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

LinkCheck link_window(std::int32_t day, TurnKind kind, const CatalogueEntry& e, const JoinOptions& options) {
  LinkCheck c;
  const JoinWindow& w = options.window_for(kind);
  c.window_first = cal::add_months(day, -w.months_before);
  c.window_last = cal::add_months(day, w.months_after);
  const std::int32_t first = e.date.first_day(), last = e.date.last_day();
  c.distance_days = first > day ? first - day : last < day ? last - day : 0;
  return c;
}

LinkCheck check_link(std::int32_t day, TurnKind kind, const std::string& region_in,
                     const std::string& sector_in, const CatalogueEntry& e,
                     const JoinOptions& options) {
  LinkCheck c = link_window(day, kind, e, options);
  const std::int32_t first = e.date.first_day(), last = e.date.last_day();
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
