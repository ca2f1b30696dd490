// The checked join (docs/catalogue.md#join): each turning point gets the catalogue entries
// whose date interval overlaps its window (default 3 months before to 3 months after, per
// kind), whose region matches or whose scope is national, and whose sectors include the
// series' sector or are economy-wide. Candidates that fail a check carry flags:
// anachronism (after the window: it cannot have caused the change), before-window,
// other-region, other-sector.
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
  JoinWindow event, seasonal, unclassified;
  int max_matches = 0;      // per turning point; 0 = all
  int max_near_misses = 10; // per turning point, for --explain
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
  double score = 0.0;        // ranking score (docs/catalogue.md#ranking)
  bool ok() const { return flags.empty(); }
  bool has(const std::string& flag) const;
};

// Checks one (turning point, entry) pair. `region` and `sector` are the series' (any
// spelling canonical_region/canonical_sector accept).
LinkCheck check_link(std::int32_t day, TurnKind kind, const std::string& region,
                     const std::string& sector, const CatalogueEntry& entry,
                     const JoinOptions& options);

struct Match {
  std::size_t entry = 0;  // index into the catalogue's entries
  LinkCheck check;
  int rank = 0;           // 1 = best (matches only)
};

struct PointMatches {
  std::size_t point = 0;             // index into DetectionSet::points
  std::int32_t window_first = 0, window_last = 0;  // days, inclusive
  std::vector<Match> matches;        // pass every check, best first
  std::vector<Match> near_misses;    // fail exactly one check (time: within a year), best first
};

// One PointMatches per turning point, in the order of set.points.
std::vector<PointMatches> join(const DetectionSet& set, const Catalogue& catalogue,
                               const JoinOptions& options);

// matches.jsonl: one line per turning point; near misses only when `explain`.
std::string matches_to_jsonl(const DetectionSet& set, const Catalogue& catalogue,
                             const std::vector<PointMatches>& result, bool explain);

}  // namespace turnpoint
