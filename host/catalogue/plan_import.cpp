#include "host/catalogue/plan_import.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/catalogue/places.hpp"
#include "host/core/regions.hpp"

namespace turnpoint {
namespace {

const std::u32string kNumerals = U"一二三四五六七八九十";
bool is_numeral(char32_t c) { return kNumerals.find(c) != std::u32string::npos; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Length of the heading marker at the start (0 if none) and its level.
std::pair<int, std::size_t> heading_marker(const std::u32string& s) {
  std::size_t i = 0;
  while (i < s.size() && is_numeral(s[i])) ++i;
  if (i > 0 && i < s.size() && s[i] == U'、') return {1, i + 1};
  if (!s.empty() && (s[0] == U'（' || s[0] == U'(')) {
    std::size_t j = 1;
    while (j < s.size() && text::is_space(s[j])) ++j;
    const std::size_t n0 = j;
    while (j < s.size() && is_numeral(s[j])) ++j;
    const bool numeral = j > n0;
    while (j < s.size() && text::is_space(s[j])) ++j;
    if (numeral && j < s.size() && (s[j] == U'）' || s[j] == U')')) {
      ++j;
      while (j < s.size() && text::is_space(s[j])) ++j;
      return {2, j};
    }
  }
  std::size_t d = 0;
  while (d < s.size() && is_digit(s[d])) ++d;
  if (d > 0 && d <= 2 && d + 1 < s.size() && (s[d] == U'.' || s[d] == U'．') && !is_digit(s[d + 1]))
    return {3, d + 1};
  return {0, 0};
}

bool ends_sentence(const std::u32string& s) {
  if (s.empty()) return true;
  static const std::u32string kEnders = U"。；！？：”」）)!?;:";
  return kEnders.find(s.back()) != std::u32string::npos;
}

}  // namespace

int heading_level(const std::string& paragraph) {
  return heading_marker(text::trim(text::to_u32(paragraph))).first;
}

std::vector<Paragraph> rejoin_page_breaks(const std::vector<std::string>& lines) {
  std::vector<Paragraph> out;
  bool open = false;  // the last paragraph was broken mid-sentence
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::u32string line = text::trim(text::to_u32(lines[i]));
    if (line.empty()) continue;
    const bool heading = heading_marker(line).first > 0;
    if (open && !heading) {
      out.back().text += text::to_utf8(line);
    } else {
      out.push_back({text::to_utf8(line), static_cast<int>(i) + 1});
    }
    const std::u32string cur = text::to_u32(out.back().text);
    // Headings with their text on the same line ("1.推进…。继续…") break like any line.
    open = cur.size() >= 40 && !ends_sentence(cur);
  }
  return out;
}

namespace {

// A span of text about one target year: 到YYYY年[底|末][，] ... up to the next 到YYYY年, 。 or ；
struct YearSpan {
  int year;
  std::size_t begin, end;
};

std::vector<YearSpan> year_spans(const std::u32string& s) {
  std::vector<YearSpan> spans;
  for (std::size_t i = 0; i + 6 <= s.size(); ++i) {
    if (s[i] != U'到' || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3]) ||
        !is_digit(s[i + 4]) || s[i + 5] != U'年')
      continue;
    int year = 0;
    for (int k = 1; k <= 4; ++k) year = year * 10 + int(s[i + k] - '0');
    std::size_t b = i + 6;
    if (b < s.size() && (s[b] == U'底' || s[b] == U'末')) ++b;
    if (!spans.empty() && spans.back().end > i) spans.back().end = i;
    std::size_t e = b;
    while (e < s.size() && s[e] != U'。' && s[e] != U'；' && s[e] != U';') ++e;
    spans.push_back({year, b, e});
  }
  return spans;
}

bool starts_at(const std::u32string& s, std::size_t pos, const std::u32string& w) {
  return pos + w.size() <= s.size() && s.compare(pos, w.size(), w) == 0;
}

// The verb of a quantity starting at `p` and followed by a digit inside the clause.
const std::u32string* quantity_verb(const std::u32string& s, std::size_t p, std::size_t clause_end) {
  static const std::vector<std::u32string> kVerbs = {
      U"提高到", U"提高至", U"提升到", U"提升至", U"不低于", U"不少于", U"不超过", U"控制在",
      U"保持在", U"达到", U"下降", U"降低", U"减少", U"突破", U"超过", U"提高", U"提升",
      U"增长", U"达"};
  for (const auto& v : kVerbs)
    if (starts_at(s, p, v) && p + v.size() < clause_end && is_digit(s[p + v.size()])) return &v;
  return nullptr;
}

// The unit written right after the number at `q` ("" when none of the known ones).
std::string unit_at(const std::u32string& s, std::size_t q, std::size_t clause_end) {
  static const std::vector<std::u32string> kUnits = {
      U"万吨标准煤", U"吨标准煤", U"亿千瓦时", U"万千瓦时", U"千瓦时", U"亿千瓦", U"万千瓦",
      U"千瓦", U"亿立方米", U"万立方米", U"立方米", U"万平方米", U"平方米", U"亿吨", U"万吨",
      U"吨", U"亿元", U"万元", U"元", U"万辆", U"辆", U"公里", U"个", U"家", U"座", U"处",
      U"%", U"％"};
  for (const auto& u : kUnits)
    if (starts_at(s, q, u) && q + u.size() <= clause_end) return u == U"％" ? "%" : text::to_utf8(u);
  return "";
}

// What is measured: the clause before the verb, without the hedges 力争/确保 (not part of
// the quantity), and with a falling verb (下降, ...) kept, since it gives the sign.
std::string target_metric(std::u32string metric, const std::u32string& verb) {
  static const std::vector<std::u32string> kFalling = {U"下降", U"降低", U"减少"};
  for (const std::u32string hedge : {U"力争", U"确保"}) {
    if (metric.compare(0, hedge.size(), hedge) == 0) metric.erase(0, hedge.size());
    if (metric.size() >= hedge.size() && metric.compare(metric.size() - hedge.size(), hedge.size(), hedge) == 0)
      metric.erase(metric.size() - hedge.size());
  }
  if (std::find(kFalling.begin(), kFalling.end(), verb) != kFalling.end()) metric += verb;
  return text::to_utf8(text::trim(metric));
}

// The first quantity of the clause [begin, end) as a target for `year`; false when there
// is none (or it measures nothing).
bool clause_target(const std::u32string& s, std::size_t begin, std::size_t end, int year, Target& t) {
  for (std::size_t p = begin; p < end; ++p) {
    const std::u32string* verb = quantity_verb(s, p, end);
    if (!verb) continue;
    std::size_t q = p + verb->size(), n0 = q;
    while (q < end && (is_digit(s[q]) || (s[q] == U'.' && q + 1 < end && is_digit(s[q + 1])))) ++q;
    t.year = year;
    t.value = std::stod(text::to_utf8(s.substr(n0, q - n0)));
    t.unit = unit_at(s, q, end);
    t.metric = target_metric(s.substr(begin, p - begin), *verb);
    return !t.metric.empty();  // one target per clause
  }
  return false;
}

}  // namespace

std::vector<Target> extract_targets(const std::string& passage) {
  const std::u32string s = text::to_u32(text::remove_ascii_spaces(passage));
  std::vector<Target> out;
  for (const YearSpan& sp : year_spans(s)) {
    std::size_t clause_begin = sp.begin;
    while (clause_begin < sp.end && (s[clause_begin] == U'，' || s[clause_begin] == U',')) ++clause_begin;
    while (clause_begin < sp.end) {
      std::size_t clause_end = clause_begin;
      while (clause_end < sp.end && s[clause_end] != U'，' && s[clause_end] != U',') ++clause_end;
      Target t;
      if (clause_target(s, clause_begin, clause_end, sp.year, t)) out.push_back(t);
      clause_begin = clause_end + 1;
    }
  }
  return out;
}

std::vector<PlanSection> plan_sections(const std::vector<Paragraph>& paragraphs) {
  std::vector<PlanSection> out;
  int counters[4] = {0, 0, 0, 0};
  std::vector<std::size_t> open;  // indices into out of the currently open sections, by level
  for (const Paragraph& p : paragraphs) {
    const std::u32string s = text::to_u32(p.text);
    const auto [level, marker] = heading_marker(s);
    if (level > 0) {
      ++counters[level];
      for (int l = level + 1; l <= 3; ++l) counters[l] = 0;
      PlanSection sec;
      sec.level = level;
      std::string number;
      for (int l = 1; l <= level; ++l)
        number += (l > 1 ? "." : "") + std::to_string(counters[l] == 0 ? 0 : counters[l]);
      sec.number = number;
      std::u32string rest = text::trim(s.substr(marker));
      const auto stop = rest.find(U'。');
      sec.heading = text::to_utf8(text::trim(stop == std::u32string::npos ? rest : rest.substr(0, stop)));
      sec.body = p.text;
      sec.text = p.text;
      sec.line = p.line;
      while (!open.empty() && out[open.back()].level >= level) open.pop_back();
      for (std::size_t idx : open) out[idx].text += "\n" + p.text;
      open.push_back(out.size());
      out.push_back(std::move(sec));
      continue;
    }
    if (open.empty()) continue;  // preamble before the first heading
    out[open.back()].body += "\n" + p.text;
    for (std::size_t idx : open) out[idx].text += "\n" + p.text;
  }
  return out;
}

std::vector<CatalogueEntry> import_plan_text(const std::string& content, const std::string& file,
                                             const PlanImportOptions& opt) {
  const auto paragraphs = rejoin_page_breaks(text::split_lines(content));
  TURNPOINT_EXPECTS(!paragraphs.empty(), "{}: empty plan text", file);
  CatalogueEntry plan;
  plan.title = opt.title.empty() ? paragraphs.front().text : opt.title;
  std::string stem = std::filesystem::path(file).stem().string();
  if (auto us = stem.find('_'); us != std::string::npos) stem = stem.substr(0, us);
  const std::string prefix = opt.id_prefix.empty() ? "plan-" + stem : opt.id_prefix;
  plan.id = prefix;
  plan.kind = EntryKind::policy;
  if (opt.date) {
    plan.date = *opt.date;
  } else {
    // A date stated near the top (e.g. under the title); never a target year in the text.
    std::optional<PolicyDate> stated;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, paragraphs.size()) && !stated; ++i)
      if (text::to_u32(paragraphs[i].text).size() < 40) stated = find_date_in_text(paragraphs[i].text);
    TURNPOINT_EXPECTS(stated.has_value(),
                      "{}: the text states no issuing date; give one (--date YYYY-MM-DD|YYYY-MM|YYYY)", file);
    plan.date = *stated;
  }
  if (!opt.region.empty()) {
    auto canon = canonical_region(opt.region);
    TURNPOINT_EXPECTS(canon.has_value(), "{}: unknown region \"{}\"", file, opt.region);
    plan.regions = {*canon};
    plan.scope = Scope::provincial;
  } else {
    PlaceEvidence ev = places_in_text(plan.title);
    if (!ev.provinces.empty()) {
      plan.regions = {ev.provinces.front()};
      plan.scope = Scope::provincial;
    } else {
      TURNPOINT_EXPECTS(ev.national, "{}: the title names no region; give one (--region NAME)", file);
      plan.scope = Scope::national;
    }
  }
  plan.issuer = opt.issuer;
  plan.url = opt.url;
  plan.source.file = std::filesystem::path(file).filename().string();
  plan.source.line = paragraphs.front().line;
  plan.source.section = "全文";

  std::vector<CatalogueEntry> out;
  const auto sections = plan_sections(paragraphs);
  std::vector<std::string> all_sectors;
  for (const PlanSection& sec : sections) {
    CatalogueEntry e = plan;
    e.id = fmt::format("{}-s{}", prefix, sec.number);
    e.title = fmt::format("{}：{}", plan.title, sec.heading);
    e.sectors = classify_sectors(sec.heading, sec.text);
    e.targets = extract_targets(sec.body);
    e.url = opt.url;
    e.source.line = sec.line;
    e.source.section = fmt::format("{} {}", sec.number, sec.heading);
    for (const auto& s : e.sectors)
      if (std::find(all_sectors.begin(), all_sectors.end(), s) == all_sectors.end()) all_sectors.push_back(s);
    out.push_back(std::move(e));
  }
  // The plan itself: every target in the text, and the sectors its sections name.
  for (const Paragraph& p : paragraphs)
    for (const Target& t : extract_targets(p.text)) plan.targets.push_back(t);
  for (const std::string& s : sectors())
    if (std::find(all_sectors.begin(), all_sectors.end(), s) != all_sectors.end()) plan.sectors.push_back(s);
  out.insert(out.begin(), plan);
  return out;
}

}  // namespace turnpoint
