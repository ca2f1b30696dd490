// How the axis is found (docs/import.md, "Time axes"): labels that carry their period
// (YYYY-MM, YYYY-Qn, YYYY, step numbers) give the frequency directly; dates give it by the
// most common step between consecutive dates of a series (1 day, 7 days, a calendar month, a
// quarter or a year), and then every date must sit where that frequency puts it (same
// weekday, same day of the month, ...). --freq instead puts every row in its period.
#include "host/io/panel_builder.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "host/core/dates.hpp"
#include "host/core/regions.hpp"
#include "kernels/error.hpp"

namespace turnpoint {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<std::string>& parts, const char* sep, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < parts.size(); ++i) out += (i > from ? sep : "") + parts[i];
  return out;
}

// The letter --freq takes for a frequency (for hints in messages).
const char* letter(Frequency f) {
  switch (f) {
    case Frequency::daily: return "D";
    case Frequency::weekly: return "W";
    case Frequency::monthly: return "M";
    case Frequency::quarterly: return "Q";
    case Frequency::annual: return "A";
    case Frequency::index: return "index";
  }
  return "?";
}

// Steps between two consecutive dates of a series, by the frequency they suggest.
enum StepClass { kDay, kWeek, kMonth, kQuarter, kYear, kOther, kClasses };
StepClass classify(std::int32_t gap) {
  if (gap < 7) return kDay;
  if (gap < 28) return gap % 7 == 0 ? kWeek : kOther;
  if (gap <= 31 || (gap >= 59 && gap <= 62)) return kMonth;
  if (gap >= 89 && gap <= 92) return kQuarter;
  if (gap == 365 || gap == 366 || gap == 730 || gap == 731) return kYear;
  return kOther;
}
constexpr Frequency kClassFrequency[] = {Frequency::daily, Frequency::weekly, Frequency::monthly,
                                         Frequency::quarterly, Frequency::annual};

bool month_end(const CivilDate& c) {
  return !is_valid_date(c.year, c.month, c.day + 1);
}

}  // namespace

PanelBuilder::PanelBuilder(const ImportOptions& options) : options_(options) {}

void PanelBuilder::begin_source(const std::string& file, const std::string& element) {
  sources_.push_back({file, element, next_base_});
}

std::string PanelBuilder::at(std::uint32_t where) const {
  auto it = std::upper_bound(sources_.begin(), sources_.end(), where,
                             [](std::uint32_t w, const Source& s) { return w < s.base; });
  const Source& s = *(it == sources_.begin() ? it : it - 1);
  const std::uint32_t row = where - s.base;
  return s.element.empty() ? fmt::format("{}:{}", s.file, row)
                           : fmt::format("{} ({} {})", s.file, s.element, row);
}

std::string PanelBuilder::at_current(std::uint32_t row) const { return at(global(row)); }

void PanelBuilder::fail_at(std::uint32_t where, const std::string& what) const {
  throw invalid_input(fmt::format("{}: {}", at(where), what));
}

std::uint32_t PanelBuilder::series(const std::vector<std::string_view>& ids, bool roles,
                                   const std::vector<std::string>& columns, std::uint32_t row) {
  key_.clear();
  for (std::string_view id : ids) key_.append(id).push_back('\x1f');
  if (auto it = by_raw_.find(key_); it != by_raw_.end()) return it->second;

  next_base_ = std::max(next_base_, global(row) + 1);
  TURNPOINT_EXPECTS(!ids.empty(), "{}: a series without a name", at_current(row));
  std::vector<std::string> parts;
  int rank = -1;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const std::string text(trim(ids[k]));
    const std::string column = k < columns.size() ? columns[k] : std::string("id");
    if (text.empty()) {
      if (roles && k == 0) fail_at(global(row), fmt::format("empty region name (column '{}')", column));
      fail_at(global(row), fmt::format("empty name in id column '{}'", column));
    }
    if (roles && k == 0) {
      if (auto canonical = canonical_region(text)) {
        parts.push_back(*canonical);
      } else if (is_national_total(text)) {
        parts.push_back(kNationalTotal);
      } else {
        parts.push_back(text);
        if (!options_.allow_unknown_regions &&
            std::find(unknown_regions_.begin(), unknown_regions_.end(), text) == unknown_regions_.end())
          unknown_regions_.push_back(text);
      }
    } else if (roles && k == 1) {
      if (auto canonical = canonical_sector(text)) {
        parts.push_back(*canonical);
        const auto& names = sectors();
        rank = static_cast<int>(std::find(names.begin(), names.end(), *canonical) - names.begin());
      } else {
        parts.push_back(text);
        rank = static_cast<int>(sectors().size());
        if (std::find(unknown_sectors_.begin(), unknown_sectors_.end(), text) == unknown_sectors_.end())
          unknown_sectors_.push_back(text);
      }
    } else {
      parts.push_back(text);
    }
  }
  const std::string name_key = join(parts, "\x1f");
  std::uint32_t index = 0;
  if (auto it = by_name_.find(name_key); it != by_name_.end()) {
    index = it->second;
  } else {
    index = static_cast<std::uint32_t>(series_.size());
    Series s;
    s.region = parts[0];
    s.sector = parts.size() > 1 ? join(parts, "/", 1) : std::string();
    s.id = join(parts, "/");
    s.parts = parts;
    s.sector_rank = rank;
    series_.push_back(std::move(s));
    by_name_.emplace(name_key, index);
  }
  by_raw_.emplace(key_, index);
  return index;
}

const TimeLabel& PanelBuilder::label(std::string_view text, std::uint32_t row, std::string_view column,
                                     bool steps) {
  steps = steps || options_.frequency == Frequency::index;
  key_.assign(1, steps ? 's' : 'l').append(text);  // "2019" is a year, or step 2019
  if (auto it = labels_.find(key_); it != labels_.end()) return it->second;
  next_base_ = std::max(next_base_, global(row) + 1);
  const std::optional<TimeLabel> l = parse_time_label(trim(text), steps);
  if (!l)
    fail_at(global(row),
            fmt::format("unparseable date '{}' in column '{}' (expected YYYY-MM-DD, YYYY/MM/DD, "
                        "DD/MM/YYYY, YYYY-MM, YYYY-Qn, YYYY or a step number)",
                        text, column));
  if (!kinds_.count(l->kind)) kinds_.emplace(l->kind, std::make_pair(global(row), std::string(text)));
  return labels_.emplace(key_, *l).first->second;
}

void PanelBuilder::note_kind(LabelKind k, std::uint32_t row, const std::string& text) {
  next_base_ = std::max(next_base_, global(row) + 1);
  if (!kinds_.count(k)) kinds_.emplace(k, std::make_pair(global(row), text));
}

void PanelBuilder::add(std::uint32_t s, const TimeLabel& t, double value, std::uint32_t row) {
  const std::uint32_t where = global(row);
  next_base_ = std::max(next_base_, where + 1);
  series_[s].records.push_back({value, t.value, where});
  ++rows_;
}

Frequency PanelBuilder::find_frequency(std::int32_t& anchor) {
  auto first_of = [&](LabelKind k) { return kinds_.at(k); };
  auto kind_word = [](LabelKind k) { return to_string(k); };
  if (options_.frequency) {
    const Frequency f = *options_.frequency;
    for (const auto& [kind, first] : kinds_) {
      if (f == Frequency::index && kind != LabelKind::step)
        fail_at(first.first, fmt::format("time '{}' is a {}, but --freq index needs step numbers "
                                         "(integers)",
                                         first.second, kind_word(kind)));
      if (f != Frequency::index && kind == LabelKind::step)
        fail_at(first.first, fmt::format("time '{}' is a step number, but --freq {} needs dates",
                                         first.second, letter(f)));
    }
    if (f == Frequency::weekly) {
      anchor = std::numeric_limits<std::int32_t>::max();
      for (const Series& s : series_)
        for (const Record& r : s.records) anchor = std::min(anchor, r.t);
    }
    return f;
  }
  if (kinds_.count(LabelKind::step)) {
    for (const auto& [kind, first] : kinds_)
      if (kind != LabelKind::step)
        fail_at(first.first,
                fmt::format("mixed frequencies: time '{}' is a {}, but {} gives a step number "
                            "('{}')",
                            first.second, kind_word(kind), at(first_of(LabelKind::step).first),
                            first_of(LabelKind::step).second));
    return Frequency::index;
  }
  std::vector<LabelKind> coarse;
  for (LabelKind k : {LabelKind::month, LabelKind::quarter, LabelKind::year})
    if (kinds_.count(k)) coarse.push_back(k);
  if (coarse.size() > 1)
    fail_at(first_of(coarse[1]).first,
            fmt::format("mixed frequencies: time '{}' is a {}, but {} gives a {} ('{}')",
                        first_of(coarse[1]).second, kind_word(coarse[1]), at(first_of(coarse[0]).first),
                        kind_word(coarse[0]), first_of(coarse[0]).second));
  if (coarse.size() == 1) {
    const Frequency f = *label_frequency(coarse[0]);
    // Dates may join them where they name the period's first day (YYYY-MM-01).
    for (const Series& s : series_)
      for (const Record& r : s.records)
        if (period_start(period_of(r.t, f), f) != r.t)
          fail_at(r.where, fmt::format("mixed frequencies: date {} is not the first day of its {}, "
                                       "but {} gives a {} ('{}'); --freq {} puts every row in its {}",
                                       format_date(r.t), step_name(f), at(first_of(coarse[0]).first),
                                       kind_word(coarse[0]), first_of(coarse[0]).second, letter(f),
                                       step_name(f)));
    return f;
  }
  return infer_from_dates(anchor);
}

// How often each step between consecutive dates occurs, with the first odd step for messages.
struct PanelBuilder::StepCounts {
  std::array<std::int64_t, kClasses> count{};
  std::pair<std::uint32_t, std::uint32_t> other_example{0, 0};  // global rows of the first odd step
  std::int32_t other_gap = 0;

  void add(std::int32_t gap, std::uint32_t from, std::uint32_t to) {
    const StepClass c = classify(gap);
    ++count[c];
    if (c == kOther && other_gap == 0) {
      other_gap = gap;
      other_example = {from, to};
    }
  }
  std::int64_t total() const { return std::accumulate(count.begin(), count.end(), std::int64_t{0}); }
};

// Steps between consecutive dates within each series (ragged series, gaps and all); with one
// date per series, the steps between the dates of the whole panel. Sorts each series' records.
PanelBuilder::StepCounts PanelBuilder::count_steps() {
  StepCounts steps;
  for (Series& s : series_) {
    auto& recs = s.records;
    std::sort(recs.begin(), recs.end(), [](const Record& a, const Record& b) {
      return a.t != b.t ? a.t < b.t : a.where < b.where;
    });
    for (std::size_t i = 1; i < recs.size(); ++i)
      if (recs[i].t != recs[i - 1].t) steps.add(recs[i].t - recs[i - 1].t, recs[i - 1].where, recs[i].where);
  }
  if (steps.total() > 0) return steps;
  std::vector<std::pair<std::int32_t, std::uint32_t>> all;
  for (const Series& s : series_)
    for (const Record& r : s.records) all.emplace_back(r.t, r.where);
  std::sort(all.begin(), all.end());
  for (std::size_t i = 1; i < all.size(); ++i)
    if (all[i].first != all[i - 1].first)
      steps.add(all[i].first - all[i - 1].first, all[i - 1].second, all[i].second);
  return steps;
}

// The most common regular step; only irregular steps is an error that shows one.
Frequency PanelBuilder::modal_frequency(const StepCounts& steps) const {
  int mode = -1;
  for (int c = kDay; c <= kYear; ++c)
    if (steps.count[c] > 0 && (mode < 0 || steps.count[c] > steps.count[mode])) mode = c;
  if (mode < 0)
    fail_at(steps.other_example.second,
            fmt::format("cannot tell the frequency of the dates: {} days from {} to here, and no "
                        "step of a day, a week, a month, a quarter or a year; give --freq D, W, M, "
                        "Q or A",
                        steps.other_gap, at(steps.other_example.first)));
  return kClassFrequency[mode];
}

// A series that steps only by weeks, months, quarters or years among daily ones.
void PanelBuilder::check_no_coarse_series() const {
  for (const Series& s : series_) {
    const auto& recs = s.records;
    std::array<int, kClasses> own{};
    std::vector<const Record*> firsts;
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (i > 0 && recs[i].t == recs[i - 1].t) continue;
      if (firsts.size() < 3) firsts.push_back(&recs[i]);
      if (i > 0) ++own[classify(recs[i].t - recs[i - 1].t)];
    }
    const int steps = std::accumulate(own.begin(), own.end(), 0);
    for (int c = kWeek; c <= kYear; ++c)
      if (steps >= 2 && own[c] == steps)
        fail_at(firsts[0]->where,
                fmt::format("mixed frequencies: series ({}) steps by {} ({}, {}, {}, ...) but most "
                            "steps in this panel are one day; --freq D keeps its dates as days, "
                            "--freq {} puts every row in its {}",
                            join(s.parts, ", "), step_name(kClassFrequency[c]),
                            format_date(firsts[0]->t), format_date(firsts[1]->t),
                            format_date(firsts[2]->t), letter(kClassFrequency[c]),
                            step_name(kClassFrequency[c])));
  }
}

// The weekday most dates fall on; a date on another weekday is an error.
std::int32_t PanelBuilder::weekly_anchor(const std::string& hint) const {
  std::array<std::int64_t, 7> residue{};
  for (const Series& s : series_)
    for (const Record& r : s.records) ++residue[static_cast<std::size_t>(((r.t % 7) + 7) % 7)];
  const auto anchor = static_cast<std::int32_t>(std::max_element(residue.begin(), residue.end()) - residue.begin());
  for (const Series& s : series_)
    for (const Record& r : s.records)
      if (((r.t - anchor) % 7 + 7) % 7 != 0)
        fail_at(r.where, fmt::format("date {} is not on this panel's weekly axis (the most common "
                                     "step is 7 days, on the weekday of {}): {}",
                                     format_date(r.t), format_date(anchor + 7 * ((r.t - anchor) / 7)),
                                     hint));
  return anchor;
}

// Monthly, quarterly, annual: the same place in every period (the same day of the month or
// the month's last day; the same month of the quarter or year).
void PanelBuilder::check_same_place_in_period(Frequency f, const std::string& hint) const {
  std::array<std::int64_t, 32> dom{};
  std::array<std::int64_t, 12> month{};
  std::int64_t ends = 0;
  for (const Series& s : series_)
    for (const Record& r : s.records) {
      const CivilDate c = civil_from_days(r.t);
      ++dom[static_cast<std::size_t>(c.day)];
      ++month[static_cast<std::size_t>(f == Frequency::quarterly ? (c.month - 1) % 3 : c.month - 1)];
      ends += month_end(c) ? 1 : 0;
    }
  const int modal_day = static_cast<int>(std::max_element(dom.begin(), dom.end()) - dom.begin());
  const bool by_end = ends > dom[static_cast<std::size_t>(modal_day)];
  const int modal_month = static_cast<int>(std::max_element(month.begin(), month.end()) - month.begin());
  const std::string place =
      (by_end ? std::string("the last day") : fmt::format("day {}", modal_day)) +
      (f == Frequency::monthly ? " of each month"
       : f == Frequency::quarterly ? fmt::format(" of month {} of each quarter", modal_month + 1)
                                   : fmt::format(" of month {} of each year", modal_month + 1));
  for (const Series& s : series_)
    for (const Record& r : s.records) {
      const CivilDate c = civil_from_days(r.t);
      const bool day_ok = by_end ? month_end(c) : c.day == modal_day;
      const int m = f == Frequency::quarterly ? (c.month - 1) % 3 : c.month - 1;
      const bool month_ok = f == Frequency::monthly || m == modal_month;
      if (!day_ok || !month_ok)
        fail_at(r.where, fmt::format("date {} is not on this panel's {} axis ({}, the most common "
                                     "step): {}",
                                     format_date(r.t), to_string(f), place, hint));
    }
}

Frequency PanelBuilder::infer_from_dates(std::int32_t& anchor) {
  const StepCounts steps = count_steps();
  if (steps.total() == 0) return Frequency::daily;  // one date in the whole panel
  const Frequency f = modal_frequency(steps);
  const std::string hint = fmt::format(
      "an irregular time stamp or mixed frequencies; --freq {} puts every row in its {}, --freq D "
      "keeps every date as a day",
      letter(f), step_name(f));
  if (f == Frequency::daily) check_no_coarse_series();
  else if (f == Frequency::weekly) anchor = weekly_anchor(hint);
  else check_same_place_in_period(f, hint);
  return f;
}

// Every record on its period, each series sorted; duplicates (after regularising too) are
// refused. Returns the first and last period of the panel.
std::pair<std::int64_t, std::int64_t> PanelBuilder::place_records(Frequency f, std::int32_t anchor) {
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < series_.size(); ++i) {
    auto& recs = series_[i].records;
    if (recs.empty()) continue;  // named, but no time step (an HDF5 dataset without any)
    for (Record& r : recs) r.t = static_cast<std::int32_t>(period_of(r.t, f, anchor));
    std::sort(recs.begin(), recs.end(), [](const Record& a, const Record& b) {
      return a.t != b.t ? a.t < b.t : a.where < b.where;
    });
    for (std::size_t k = 1; k < recs.size(); ++k)
      if (recs[k].t == recs[k - 1].t)
        fail_at(recs[k].where,
                fmt::format("duplicate row for ({}, {}); first given at {}{}", join(series_[i].parts, ", "),
                            format_time(period_start(recs[k].t, f, anchor), f), at(recs[k - 1].where),
                            options_.frequency ? fmt::format(" (the same {} with --freq {})",
                                                             step_name(f), letter(f))
                                               : std::string()));
    first = std::min<std::int64_t>(first, recs.front().t);
    last = std::max<std::int64_t>(last, recs.back().t);
  }
  return {first, last};
}

// The series in panel order (region, then sector as Carbon Monitor lists them, then id), each
// a row of `n_time` values from period `first`; counts the ragged ones and frees the records.
void PanelBuilder::fill_rows(ImportResult& out, std::int64_t first, std::int64_t n_time) {
  Panel& p = out.panel;
  const std::int64_t n_series = static_cast<std::int64_t>(series_.size());
  std::vector<std::size_t> order(series_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Series& x = series_[a];
    const Series& y = series_[b];
    if (x.region != y.region) return x.region < y.region;
    if (x.sector_rank != y.sector_rank) return x.sector_rank < y.sector_rank;
    return x.id < y.id;
  });
  p.values.assign(static_cast<std::size_t>(n_time * n_series), std::nan(""));
  std::size_t row = 0;
  for (std::size_t i : order) {
    Series& s = series_[i];
    p.region.push_back(s.region);
    p.sector.push_back(s.sector);
    p.series_id.push_back(s.id);
    double* values = p.values.data() + row * static_cast<std::size_t>(n_time);
    std::int64_t lo = n_time, hi = -1;
    for (const Record& r : s.records) {
      const std::int64_t t = r.t - first;
      values[t] = r.value;
      if (!std::isnan(r.value)) {
        lo = std::min(lo, t);
        hi = std::max(hi, t);
      }
    }
    out.ragged += (hi >= lo && (lo > 0 || hi < n_time - 1)) ? 1 : 0;
    std::vector<Record>().swap(s.records);  // the memory goes as the panel fills
    ++row;
  }
}

// Names kept as written though they are no province / Carbon Monitor sector: said once each.
void PanelBuilder::warn_unknown_names(ImportResult& out) const {
  auto listed = [](const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < 12; ++i) text += (i ? ", " : "") + names[i];
    if (names.size() > 12) text += fmt::format(" and {} more", names.size() - 12);
    return text;
  };
  if (!unknown_regions_.empty())
    out.warnings.push_back(fmt::format(
        "{} region name(s) are not provinces of mainland China and are kept as written: {}",
        unknown_regions_.size(), listed(unknown_regions_)));
  if (!unknown_sectors_.empty())
    out.warnings.push_back(fmt::format(
        "{} sector name(s) are not Carbon Monitor sectors and are kept as written: {}",
        unknown_sectors_.size(), listed(unknown_sectors_)));
}

ImportResult PanelBuilder::finish(const std::string& source, const std::string& units) {
  ImportResult out;
  Panel& p = out.panel;
  p.source = source;
  p.units = units;
  TURNPOINT_EXPECTS(!series_.empty(), "{}: no data rows", source);
  std::int32_t anchor = 0;
  const Frequency f = find_frequency(anchor);
  p.frequency = f;
  const auto [first, last] = place_records(f, anchor);
  TURNPOINT_EXPECTS(first <= last, "{}: no time steps", source);
  const std::int64_t n_time = last - first + 1;
  const std::int64_t n_series = static_cast<std::int64_t>(series_.size());
  TURNPOINT_EXPECTS(n_time * n_series <= (std::int64_t{1} << 31),
                    "{}: time runs from {} to {} ({} {} steps) for {} series: too large a panel; "
                    "is a year mistyped?",
                    source, format_time(period_start(first, f, anchor), f),
                    format_time(period_start(last, f, anchor), f), n_time, to_string(f), n_series);
  p.time.resize(static_cast<std::size_t>(n_time));
  for (std::int64_t t = 0; t < n_time; ++t)
    p.time[static_cast<std::size_t>(t)] = period_start(first + t, f, anchor);
  fill_rows(out, first, n_time);
  out.rows = rows_;
  warn_unknown_names(out);
  series_.clear();
  return out;
}

}  // namespace turnpoint
