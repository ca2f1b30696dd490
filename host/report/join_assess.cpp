// assess_link (host/report/join.hpp): the causal check the join and the reports use, as one
// facet per question -- time, place, sector, direction -- each giving a weight and a phrase
// in English and Chinese, and the strength as their product with the date precision and
// the kind fit. A facet that fails adds its flag to the check and leaves its phrase empty.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"
#include "host/report/join.hpp"

namespace turnpoint {
namespace {

// What one check found: its weight in the strength and its phrase in each language.
struct Facet {
  double weight = 0.0;
  std::string en, zh;
};

std::string days_en(std::int32_t n) { return n == 1 ? "1 day" : fmt::format("{} days", n); }

std::string month_en(const PolicyDate& d) {
  return d.precision == DatePrecision::year ? fmt::format("{}", d.year) : fmt::format("{:04d}-{:02d}", d.year, d.month);
}

// ---- time: cause before effect, with a lead tolerance; a lag that fits the onset ----

// Public `n` days into the month whose first day is the turning point (a monthly step).
Facet time_in_month_step(std::int32_t n, bool announced_earlier) {
  Facet f{0.7, {}, {}};
  if (announced_earlier) {
    f.en = fmt::format("announced {} into the month of this monthly step", days_en(n));
    f.zh = fmt::format("在该月第{}天公布（月度数据阶跃）", n + 1);
  } else {
    f.en = fmt::format("took effect {} into the month of this monthly step", days_en(n));
    f.zh = fmt::format("在该月第{}天生效（月度数据阶跃）", n + 1);
  }
  return f;
}

// Public `n` days after the turning point, within the lead tolerance.
Facet time_within_lead(std::int32_t n, bool announced_earlier, int lead_days) {
  Facet f{1.0 - 0.5 * double(n) / double(std::max(lead_days, 1)), {}, {}};
  if (announced_earlier) {
    f.en = fmt::format("announced {} after (within the {}-day lead tolerance)", days_en(n), lead_days);
    f.zh = fmt::format("晚于转折点{}天公布（在{}天提前量内）", n, lead_days);
  } else {
    f.en = fmt::format("took effect {} after (within the {}-day lead tolerance)", days_en(n), lead_days);
    f.zh = fmt::format("晚于转折点{}天生效（在{}天提前量内）", n, lead_days);
  }
  return f;
}

// Announced before the turning point, in force after it: anticipation.
Facet time_announced(std::int32_t day, std::int32_t pub, std::int32_t first) {
  return {0.7, fmt::format("announced {} before, took effect {} after", days_en(day - pub), days_en(first - day)),
          fmt::format("早于转折点{}天公布，晚{}天生效", day - pub, first - day)};
}

// In force on the turning point's day (or ended `lag` days before it): full weight up to
// `full_lag` days, falling to 0.2 at `max_lag`, flagged beyond.
Facet time_in_force(std::int32_t day, const CatalogueEntry& e, int max_lag, int full_lag, LinkCheck& c) {
  Facet f;
  const std::int32_t first = e.date.first_day(), last = e.date.last_day();
  const std::int32_t lag = day <= last ? 0 : day - last;
  const std::int32_t since = day - first;
  if (lag > max_lag) {
    c.flags.push_back("before-window");
  } else {
    f.weight = lag <= full_lag ? 1.0 : 1.0 - 0.8 * double(lag - full_lag) / double(std::max(max_lag - full_lag, 1));
  }
  if (e.date.precision == DatePrecision::day) {
    f.en = since == 0 ? std::string("took effect on the day") : fmt::format("took effect {} before", days_en(since));
    f.zh = since == 0 ? std::string("当天生效") : fmt::format("早于转折点{}天生效", since);
  } else if (day <= last) {
    f.en = fmt::format("in force in {} (date known to the {})", month_en(e.date), to_string(e.date.precision));
    f.zh = fmt::format("{}内生效（日期精确到{}）", e.date.to_chinese(), e.date.precision == DatePrecision::month ? "月" : "年");
  } else {
    f.en = fmt::format("in force since {}, {} before", month_en(e.date), days_en(lag));
    f.zh = fmt::format("自{}起生效，早于转折点{}天", e.date.to_chinese(), lag);
  }
  return f;
}

Facet time_facet(std::int32_t day, const CatalogueEntry& e, const JoinOptions& o, LinkCheck& c) {
  const std::int32_t first = e.date.first_day();
  const std::int32_t pub = e.first_public_day();
  const Onset onset = e.effective_onset();
  const int max_lag = onset == Onset::immediate ? o.lag_days_immediate : o.lag_days_gradual;
  const int full_lag = onset == Onset::immediate ? 7 : 31;  // full weight up to here
  const bool announced_earlier = e.announced && e.announced->first_day() < first;
  const cal::Civil civ = cal::civil_from_days(day);
  const std::int32_t month_end = cal::days_from_civil(civ.year, civ.month, cal::days_in_month(civ.year, civ.month));
  const bool monthly_step = o.month_steps && civ.day == 1;
  if (day < pub - o.lead_days && !(monthly_step && pub <= month_end)) {
    c.flags.push_back("anachronism");
    return {};
  }
  if (day < pub - o.lead_days) {  // within the month of a monthly step
    c.time_match = "same-month";
    return time_in_month_step(pub - day, announced_earlier);
  }
  if (day < pub) {  // within the lead tolerance before it became public
    c.time_match = "lead";
    return time_within_lead(pub - day, announced_earlier, o.lead_days);
  }
  if (day < first) {  // announced, not yet in force: anticipation
    c.time_match = "announced";
    return time_announced(day, pub, first);
  }
  c.time_match = "effective";
  return time_in_force(day, e, max_lag, full_lag, c);
}

double date_precision_weight(DatePrecision p) {
  return p == DatePrecision::day ? 1.0 : p == DatePrecision::month ? 0.75 : 0.4;
}

// ---- place: the province, a city in it, or national ----
Facet place_facet(const std::string& region, const CatalogueEntry& e, LinkCheck& c) {
  Facet f;
  if (e.scope == Scope::national) {
    c.region_match = "national";
    return {0.7, "national", "全国"};
  }
  if (std::find(e.regions.begin(), e.regions.end(), region) == e.regions.end()) {
    c.flags.push_back("other-region");
    return f;
  }
  if (e.scope == Scope::city) {
    c.region_match = "city";
    f.weight = 0.85;
    f.en = fmt::format("a city in {}", region);
    f.zh = province_full_chinese(region) + (e.place.empty() ? std::string("（市级）") : "（" + e.place + "）");
  } else {
    c.region_match = "province";
    f.weight = 1.0;
    f.en = region;
    f.zh = province_full_chinese(region);
  }
  if (e.regions.size() > 1) {
    f.en += fmt::format(" (one of {} provinces)", e.regions.size());
    f.zh += fmt::format("（{}个省份之一）", e.regions.size());
    f.weight *= 0.95;
  }
  return f;
}

// ---- sector: listed, or economy-wide (no sector tag) ----
Facet sector_facet(const std::string& sector, const CatalogueEntry& e, LinkCheck& c) {
  if (e.sectors.empty()) {
    c.sector_match = "economy-wide";
    return {0.8, "all sectors", "全部门"};
  }
  if (std::find(e.sectors.begin(), e.sectors.end(), sector) == e.sectors.end()) {
    c.flags.push_back("other-sector");
    return {};
  }
  const bool only = e.sectors.size() == 1;
  c.sector_match = only ? "sector" : "multi-sector";
  return {only ? 1.0 : 0.9, only ? sector : fmt::format("{} (one of {} sectors)", sector, e.sectors.size()),
          only ? sector_chinese(sector)
               : fmt::format("{}（{}个部门之一）", sector_chinese(sector), e.sectors.size())};
}

// ---- direction: a lockdown explains a drop, a reopening a rise ----
Facet direction_facet(double step, const CatalogueEntry& e, const JoinOptions& o, LinkCheck& c) {
  if (e.direction == Direction::unknown) {
    c.direction_match = "not-stated";
    return {0.7, "direction not stated", "方向未说明"};
  }
  const bool judged = !std::isnan(step) && std::abs(step) >= o.min_step;
  const char* found_en = !judged ? "" : step < 0 ? "drop" : "rise";
  const char* found_zh = !judged ? "" : step < 0 ? "下降" : "上升";
  const bool down = e.direction == Direction::down;
  const char* exp_en = down ? "drop" : "rise";
  const char* exp_zh = down ? "下降" : "上升";
  if (!judged) {
    c.direction_match = "not-judged";
    return {0.85, fmt::format("{} expected", exp_en), fmt::format("预期{}", exp_zh)};
  }
  if ((step < 0) == down) {
    c.direction_match = "agrees";
    return {1.0, fmt::format("{} expected, {} found", exp_en, found_en), fmt::format("预期{}，实际{}", exp_zh, found_zh)};
  }
  c.direction_match = "contradicts";
  c.flags.push_back("direction-contradicts");
  return {0.7, fmt::format("{} expected but {} found: direction contradicts", exp_en, found_en),
          fmt::format("预期{}，但实际{}（方向相反）", exp_zh, found_zh)};
}

// ---- kind: a sudden event fits an event turning point, a plan a seasonal/level shift ----
double kind_weight(TurnKind kind, Onset onset) {
  if (kind == TurnKind::event) return onset == Onset::immediate ? 1.0 : 0.6;
  if (kind == TurnKind::seasonal) return onset == Onset::immediate ? 0.6 : 0.8;
  return 0.9;
}

// "<time>; <place>; <sector>; <direction>", a failed facet named as such.
void write_reasons(const Facet& time, const Facet& place, const Facet& sector, const Facet& direction,
                   LinkCheck& c) {
  c.reason_en = fmt::format("{}; {}; {}; {}", time.en.empty() ? std::string("outside the time limits") : time.en,
                            place.en.empty() ? std::string("other province") : place.en,
                            sector.en.empty() ? std::string("other sector") : sector.en, direction.en);
  c.reason_zh = fmt::format("{}；{}；{}；{}", time.zh.empty() ? std::string("不在时间范围内") : time.zh,
                            place.zh.empty() ? std::string("其他省份") : place.zh,
                            sector.zh.empty() ? std::string("其他部门") : sector.zh, direction.zh);
}

}  // namespace

LinkCheck assess_link(std::int32_t day, TurnKind kind, double step, const std::string& region_in,
                      const std::string& sector_in, const CatalogueEntry& e, const JoinOptions& o) {
  LinkCheck c = link_window(day, kind, e, o);
  const Facet time = time_facet(day, e, o, c);
  const Facet place = place_facet(canonical_region(region_in).value_or(region_in), e, c);
  const Facet sector = sector_facet(canonical_sector(sector_in).value_or(sector_in), e, c);
  const Facet direction = direction_facet(step, e, o, c);

  c.strength = time.weight * date_precision_weight(e.date.precision) * place.weight * sector.weight * direction.weight *
               kind_weight(kind, e.effective_onset());
  c.score = c.strength;
  c.grade = c.strength >= 0.6 ? "strong" : c.strength >= 0.4 ? "moderate" : "weak";
  if (c.flags.empty() && c.strength < o.min_strength) c.flags.push_back("weak");
  write_reasons(time, place, sector, direction, c);
  return c;
}

}  // namespace turnpoint
