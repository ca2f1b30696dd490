// The join (docs/catalogue.md#join): which catalogue entries explain a turning point.
//
// Two checks live here:
//  - check_link: the window check the seed audit uses (an entry dated inside the search
//    window around the turning point, of its province or national, of its sector or
//    economy-wide), with the flags anachronism / before-window / other-region / other-sector;
//  - assess_link: the causal link the join and the reports use. Cause before effect (an
//    entry may not become public after the turning point, save a stated lead tolerance for
//    the detector's location error), a lag that fits how the effect arrives (days for a
//    lockdown, months for a plan), the place (the province, a city in it, or national), the
//    sector, and the direction (a lockdown explains a drop, a reopening a rise). Every link
//    gets a strength in [0, 1], a grade and a short reason ("took effect 2 days before;
//    Hubei (武汉); all sectors; drop expected, drop found"). Links that contradict the
//    direction or are weaker than a threshold are not listed as matches.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/catalogue/catalogue.hpp"
#include "host/core/detections.hpp"

namespace turnpoint {

struct JoinWindow {
  int months_before = 3;
  int months_after = 3;
};

struct JoinOptions {
  // The search window around a turning point (audit: the seeds' own window; join: the
  // outer bound for candidates and near misses).
  JoinWindow event, seasonal, unclassified;
  // Cause before effect: a turning point may precede the day an entry became public
  // (announced, or took effect when nothing was announced earlier) by at most this many
  // days: the detector places a change within a few days, and markets move on news.
  int lead_days = 7;
  // How long after an entry took effect it may still explain a turning point: an
  // immediate effect (a lockdown, a flood, a power cut) shows within weeks, a gradual one
  // (a plan, a market, a pledge) within months.
  int lag_days_immediate = 45;
  int lag_days_gradual = 183;
  // A turning point on the first day of a month may be a step of monthly data (Carbon
  // Monitor's Industry and Aviation are disaggregated from monthly statistics): it compares
  // a month with the one before, so an entry that took effect within that month can be its
  // cause. The reason says so ("took effect 9 days into the month of a monthly step").
  bool month_steps = true;
  double min_strength = 0.25;  // weaker links are near misses ("weak"), not matches
  double min_step = 0.02;      // |step| below this: the direction is not judged
  int max_matches = 0;         // per turning point; 0 = all
  int max_near_misses = 10;    // per turning point, for --explain
  const JoinWindow& window_for(TurnKind k) const {
    return k == TurnKind::event ? event : k == TurnKind::seasonal ? seasonal : unclassified;
  }
};

// Window settings from the command line: "B:A" = B months before, A months after (e.g.
// "3:3"). `all` applies to every kind, then `event` / `seasonal` override it; empty
// strings leave a setting alone. Throws invalid_input naming the option when malformed.
void set_join_windows(JoinOptions& options, const std::string& all, const std::string& event,
                      const std::string& seasonal);

struct LinkCheck {
  std::vector<std::string> flags;  // empty = the entry passes every check
  std::int32_t window_first = 0, window_last = 0;  // the turning point's window (days)
  // Signed days from the turning point to the entry's interval: 0 if the day lies in it,
  // > 0 if the entry starts later, < 0 if it ended earlier.
  std::int32_t distance_days = 0;
  std::string region_match;  // "province", "city", "national" or "" (failed)
  std::string sector_match;  // "sector", "multi-sector", "economy-wide" or "" (failed)
  double score = 0.0;        // ranking score: the strength (assess_link) or the window score
  // assess_link only:
  std::string time_match;       // "effective" (after it took effect), "announced" (between
                                // announcement and effect), "lead" (just before it became
                                // public), "same-month" (within the month of a monthly step)
  std::string direction_match;  // "agrees", "contradicts", "not-judged" (no step or too small),
                                // "not-stated" (the entry states no direction)
  double strength = 0.0;        // [0, 1]
  std::string grade;            // "strong" (>= 0.6), "moderate" (>= 0.4), "weak"
  std::string reason_en, reason_zh;
  bool ok() const { return flags.empty(); }
  bool has(const std::string& flag) const;
};

// Where both checks below start: the turning point's window (options.window_for(kind) around
// `day`) and the entry's signed distance from `day` (LinkCheck::distance_days).
LinkCheck link_window(std::int32_t day, TurnKind kind, const CatalogueEntry& entry, const JoinOptions& options);

// The window check (the seed audit). `region` and `sector` are the series' (any spelling
// canonical_region/canonical_sector accept).
LinkCheck check_link(std::int32_t day, TurnKind kind, const std::string& region,
                     const std::string& sector, const CatalogueEntry& entry,
                     const JoinOptions& options);

// The causal check the join uses. `step` is the turning point's relative level change
// (NaN when unknown). Flags: anachronism (public too late to be the cause), before-window
// (took effect too long before for its onset), other-region, other-sector,
// direction-contradicts, weak (strength below options.min_strength).
LinkCheck assess_link(std::int32_t day, TurnKind kind, double step, const std::string& region,
                      const std::string& sector, const CatalogueEntry& entry, const JoinOptions& options);

struct Match {
  std::size_t entry = 0;  // index into the catalogue's entries
  LinkCheck check;
  int rank = 0;           // 1 = best (matches only)
};

struct PointMatches {
  std::size_t point = 0;             // index into DetectionSet::points
  std::int32_t window_first = 0, window_last = 0;  // days, inclusive
  std::vector<Match> matches;        // pass every check, strongest first
  std::vector<Match> near_misses;    // fail exactly one check, strongest first
};

// One PointMatches per turning point, in the order of set.points.
std::vector<PointMatches> join(const DetectionSet& set, const Catalogue& catalogue,
                               const JoinOptions& options);

// matches.jsonl: one line per turning point; near misses only when `explain`.
std::string matches_to_jsonl(const DetectionSet& set, const Catalogue& catalogue,
                             const std::vector<PointMatches>& result, bool explain);

}  // namespace turnpoint
