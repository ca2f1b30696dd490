#include "host/catalogue/catalogue.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "host/catalogue/catalogue_dates.hpp"
#include "host/catalogue/catalogue_text.hpp"
#include "kernels/error.hpp"
#include "host/core/regions.hpp"

namespace turnpoint {

// ---- dates -------------------------------------------------------------------------------
std::int32_t PolicyDate::first_day() const {
  switch (precision) {
    case DatePrecision::day: return cal::days_from_civil(year, month, day);
    case DatePrecision::month: return cal::days_from_civil(year, month, 1);
    case DatePrecision::year: break;
  }
  return cal::days_from_civil(year, 1, 1);
}

std::int32_t PolicyDate::last_day() const {
  switch (precision) {
    case DatePrecision::day: return cal::days_from_civil(year, month, day);
    case DatePrecision::month:
      return cal::days_from_civil(year, month, cal::days_in_month(year, month));
    case DatePrecision::year: break;
  }
  return cal::days_from_civil(year, 12, 31);
}

std::string PolicyDate::to_string() const {
  switch (precision) {
    case DatePrecision::day: return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
    case DatePrecision::month: return fmt::format("{:04d}-{:02d}", year, month);
    case DatePrecision::year: break;
  }
  return fmt::format("{:04d}", year);
}

std::string PolicyDate::to_chinese() const {
  switch (precision) {
    case DatePrecision::day: return fmt::format("{}年{}月{}日", year, month, day);
    case DatePrecision::month: return fmt::format("{}年{}月", year, month);
    case DatePrecision::year: break;
  }
  return fmt::format("{}年", year);
}

namespace {
bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::optional<PolicyDate> PolicyDate::parse(const std::string& t) {
  if (t.size() == 4 && all_digits(t)) {
    PolicyDate d = of_year(std::stoi(t));
    if (cal::valid_civil(d.year, 1, 1)) return d;
  } else if (t.size() == 7 && t[4] == '-' && all_digits(t.substr(0, 4)) && all_digits(t.substr(5))) {
    PolicyDate d = of_month(std::stoi(t.substr(0, 4)), std::stoi(t.substr(5)));
    if (cal::valid_civil(d.year, d.month, 1)) return d;
  } else if (auto day = cal::parse_day(t)) {
    cal::Civil c = cal::civil_from_days(*day);
    return of_day(c.year, c.month, c.day);
  }
  return std::nullopt;
}

std::optional<PolicyDate> find_date_in_text(const std::string& text_utf8) {
  const std::u32string s = text::to_u32(text_utf8);
  auto digit = [](char32_t c) { return c >= '0' && c <= '9'; };
  auto skip_spaces = [&](std::size_t i) {
    while (i < s.size() && text::is_space(s[i])) ++i;
    return i;
  };
  auto read_int = [&](std::size_t& i, int max_digits) {
    int v = 0, n = 0;
    while (i < s.size() && digit(s[i]) && n < max_digits) v = v * 10 + int(s[i++] - '0'), ++n;
    return n == 0 ? -1 : v;
  };
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if (!digit(s[i]) || (i > 0 && digit(s[i - 1]))) continue;
    std::size_t j = i;
    const int year = read_int(j, 4);
    if (j - i != 4 || (j < s.size() && digit(s[j])) || year < 1900 || year > 2100) continue;
    std::size_t k = skip_spaces(j);
    if (k < s.size() && s[k] == U'年') {  // 2021年12月14日 / 2021年12月 / 2021年
      std::size_t m0 = skip_spaces(k + 1);
      std::size_t m1 = m0;
      const int month = read_int(m1, 2);
      std::size_t mk = skip_spaces(m1);
      if (month >= 1 && month <= 12 && mk < s.size() && s[mk] == U'月') {
        std::size_t d0 = skip_spaces(mk + 1), d1 = d0;
        const int day = read_int(d1, 2);
        std::size_t dk = skip_spaces(d1);
        if (day >= 1 && dk < s.size() && (s[dk] == U'日' || s[dk] == U'号') &&
            cal::valid_civil(year, month, day))
          return PolicyDate::of_day(year, month, day);
        return PolicyDate::of_month(year, month);
      }
      return PolicyDate::of_year(year);
    }
    if (j < s.size() && (s[j] == '-' || s[j] == '/' || s[j] == '.')) {  // 2021-10-24
      const char32_t sep = s[j];
      std::size_t m1 = j + 1;
      const int month = read_int(m1, 2);
      if (month >= 1 && month <= 12 && !(m1 < s.size() && digit(s[m1]))) {
        if (m1 < s.size() && s[m1] == sep) {
          std::size_t d1 = m1 + 1;
          const int day = read_int(d1, 2);
          if (day >= 1 && cal::valid_civil(year, month, day)) return PolicyDate::of_day(year, month, day);
        }
        return PolicyDate::of_month(year, month);
      }
    }
    return PolicyDate::of_year(year);  // a bare year
  }
  return std::nullopt;
}

const char* to_string(DatePrecision p) {
  switch (p) {
    case DatePrecision::day: return "day";
    case DatePrecision::month: return "month";
    case DatePrecision::year: return "year";
  }
  return "?";
}
const char* to_string(EntryKind k) { return k == EntryKind::policy ? "policy" : "event"; }
const char* to_string(Direction d) {
  switch (d) {
    case Direction::down: return "down";
    case Direction::up: return "up";
    case Direction::unknown: break;
  }
  return "";
}
const char* to_string(Onset o) {
  switch (o) {
    case Onset::immediate: return "immediate";
    case Onset::gradual: return "gradual";
    case Onset::unknown: break;
  }
  return "";
}

bool well_formed_url(const std::string& url, std::string* why) {
  auto fail = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  std::size_t start = 0;
  if (text::starts_with(url, "https://")) start = 8;
  else if (text::starts_with(url, "http://")) start = 7;
  else return fail("is not http(s)");
  const std::size_t end = url.find_first_of("/?#", start);
  const std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::string host = authority;
  if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    const std::string port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return fail("has a bad port");
    host = host.substr(0, colon);
  }
  if (host.empty()) return fail("has no host");
  if (host.find('.') == std::string::npos || host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string::npos)
    return fail(fmt::format("host \"{}\" is not a domain name", host));
  for (char c : host)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return fail(fmt::format("host \"{}\" has a character other than letters, digits, '-' and '.'", host));
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}')
      return fail("contains a blank or a character that must be percent-encoded");
  }
  return true;
}
const char* to_string(Scope s) {
  switch (s) {
    case Scope::national: return "national";
    case Scope::provincial: return "provincial";
    case Scope::city: return "city";
  }
  return "?";
}

// ---- JSON ----------------------------------------------------------------------------
nlohmann::ordered_json to_json(const CatalogueEntry& e) {
  nlohmann::ordered_json j;
  j["id"] = e.id;
  j["title"] = e.title;
  if (!e.title_en.empty()) j["title_en"] = e.title_en;
  j["kind"] = to_string(e.kind);
  j["date"] = e.date.to_string();
  j["precision"] = to_string(e.date.precision);
  if (e.announced) j["announced"] = e.announced->to_string();
  j["scope"] = to_string(e.scope);
  j["regions"] = e.regions;
  j["sectors"] = e.sectors;
  if (!e.issuer.empty()) j["issuer"] = e.issuer;
  if (!e.place.empty()) j["place"] = e.place;
  if (!e.summary.empty()) j["summary"] = e.summary;
  if (e.direction != Direction::unknown) j["direction"] = to_string(e.direction);
  if (e.onset != Onset::unknown) j["onset"] = to_string(e.onset);
  if (!e.topic.empty()) j["topic"] = e.topic;
  if (!e.targets.empty()) {
    auto& t = j["targets"] = nlohmann::ordered_json::array();
    for (const Target& x : e.targets)
      t.push_back({{"year", x.year}, {"metric", x.metric}, {"value", x.value}, {"unit", x.unit}});
  }
  if (!e.url.empty()) j["url"] = e.url;
  nlohmann::ordered_json src;
  src["file"] = e.source.file;
  if (!e.source.section.empty()) src["section"] = e.source.section;
  if (e.source.line > 0) src["line"] = e.source.line;
  if (!e.source.turning_point.empty()) src["turning_point"] = e.source.turning_point;
  if (!e.source.file.empty() || src.size() > 1) j["source"] = src;
  if (!e.verified.empty()) {
    nlohmann::ordered_json v;
    if (!e.verified.via.empty()) v["via"] = e.verified.via;
    if (!e.verified.page.empty()) v["page"] = e.verified.page;
    if (!e.verified.publisher.empty()) v["publisher"] = e.verified.publisher;
    if (!e.verified.seen.empty()) v["seen"] = e.verified.seen;
    j["verified"] = v;
  }
  return j;
}

namespace {
std::string get_string(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    TURNPOINT_EXPECTS(!required, "missing field \"{}\"", key);
    return {};
  }
  TURNPOINT_EXPECTS(it->is_string(), "field \"{}\" must be a string", key);
  return it->get<std::string>();
}

std::vector<std::string> get_strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  TURNPOINT_EXPECTS(it->is_array(), "field \"{}\" must be an array of strings", key);
  for (const auto& v : *it) {
    TURNPOINT_EXPECTS(v.is_string(), "field \"{}\" must be an array of strings", key);
    out.push_back(v.get<std::string>());
  }
  return out;
}
}  // namespace

CatalogueEntry entry_from_json(const nlohmann::json& j) {
  TURNPOINT_EXPECTS(j.is_object(), "a line must hold one JSON object");
  CatalogueEntry e;
  e.id = get_string(j, "id", true);
  e.title = get_string(j, "title", true);
  e.title_en = get_string(j, "title_en", false);
  const std::string kind = get_string(j, "kind", true);
  TURNPOINT_EXPECTS(kind == "policy" || kind == "event",
                    "field \"kind\" must be \"policy\" or \"event\", not \"{}\"", kind);
  e.kind = kind == "policy" ? EntryKind::policy : EntryKind::event;
  const std::string date = get_string(j, "date", true);
  auto parsed = PolicyDate::parse(date);
  TURNPOINT_EXPECTS(parsed.has_value(),
                    "field \"date\" \"{}\" is not YYYY-MM-DD, YYYY-MM or YYYY (a real date)", date);
  e.date = *parsed;
  const std::string precision = get_string(j, "precision", false);
  TURNPOINT_EXPECTS(precision.empty() || precision == to_string(e.date.precision),
                    "field \"precision\" \"{}\" does not match date \"{}\" ({})", precision,
                    date, to_string(e.date.precision));
  if (const std::string announced = get_string(j, "announced", false); !announced.empty()) {
    e.announced = PolicyDate::parse(announced);
    TURNPOINT_EXPECTS(e.announced.has_value(),
                      "field \"announced\" \"{}\" is not YYYY-MM-DD, YYYY-MM or YYYY (a real date)", announced);
  }
  const std::string scope = get_string(j, "scope", true);
  if (scope == "national") e.scope = Scope::national;
  else if (scope == "provincial") e.scope = Scope::provincial;
  else if (scope == "city") e.scope = Scope::city;
  else TURNPOINT_FAIL("field \"scope\" must be national, provincial or city, not \"{}\"", scope);
  e.regions = get_strings(j, "regions");
  e.sectors = get_strings(j, "sectors");
  e.issuer = get_string(j, "issuer", false);
  e.place = get_string(j, "place", false);
  e.summary = get_string(j, "summary", false);
  e.url = get_string(j, "url", false);
  const std::string direction = get_string(j, "direction", false);
  if (direction == "down") e.direction = Direction::down;
  else if (direction == "up") e.direction = Direction::up;
  else TURNPOINT_EXPECTS(direction.empty(), "field \"direction\" must be \"down\" or \"up\", not \"{}\"", direction);
  const std::string onset = get_string(j, "onset", false);
  if (onset == "immediate") e.onset = Onset::immediate;
  else if (onset == "gradual") e.onset = Onset::gradual;
  else TURNPOINT_EXPECTS(onset.empty(), "field \"onset\" must be \"immediate\" or \"gradual\", not \"{}\"", onset);
  e.topic = get_string(j, "topic", false);
  if (auto it = j.find("verified"); it != j.end() && !it->is_null()) {
    TURNPOINT_EXPECTS(it->is_object(), "field \"verified\" must be an object");
    e.verified.via = get_string(*it, "via", false);
    e.verified.page = get_string(*it, "page", false);
    e.verified.publisher = get_string(*it, "publisher", false);
    e.verified.seen = get_string(*it, "seen", false);
  }
  if (auto it = j.find("targets"); it != j.end() && !it->is_null()) {
    TURNPOINT_EXPECTS(it->is_array(), "field \"targets\" must be an array");
    for (const auto& t : *it) {
      TURNPOINT_EXPECTS(t.is_object() && t.contains("year") && t["year"].is_number_integer() &&
                            t.contains("value") && t["value"].is_number() &&
                            t.contains("metric") && t["metric"].is_string(),
                        "each target needs integer \"year\", string \"metric\", number \"value\"");
      Target x;
      x.year = t["year"].get<int>();
      x.metric = t["metric"].get<std::string>();
      x.value = t["value"].get<double>();
      if (t.contains("unit") && t["unit"].is_string()) x.unit = t["unit"].get<std::string>();
      e.targets.push_back(x);
    }
  }
  if (auto it = j.find("source"); it != j.end() && !it->is_null()) {
    TURNPOINT_EXPECTS(it->is_object(), "field \"source\" must be an object");
    e.source.file = get_string(*it, "file", false);
    e.source.section = get_string(*it, "section", false);
    e.source.turning_point = get_string(*it, "turning_point", false);
    if (it->contains("line") && (*it)["line"].is_number_integer()) e.source.line = (*it)["line"].get<int>();
  }
  return e;
}

std::vector<std::string> validate_entry(const CatalogueEntry& e, bool strict) {
  std::vector<std::string> problems;
  if (text::trim(e.id).empty()) problems.push_back("empty id");
  if (text::trim(e.title).empty()) problems.push_back("empty title");
  if (text::to_u32(e.title).size() > 80)
    problems.push_back(fmt::format("title has {} characters (at most 80: a short title, not copied text)",
                                   text::to_u32(e.title).size()));
  if (text::to_u32(e.title_en).size() > 100)
    problems.push_back(fmt::format("title_en has {} characters (at most 100)", text::to_u32(e.title_en).size()));
  if (text::to_u32(e.summary).size() > 80)
    problems.push_back(fmt::format("summary has {} characters (at most 80: one short sentence)",
                                   text::to_u32(e.summary).size()));
  if (e.date.year < 1900 || e.date.year > 2100)
    problems.push_back(fmt::format("date {} is not plausible", e.date.to_string()));
  if (e.announced && (e.announced->year < 1900 || e.announced->year > 2100))
    problems.push_back(fmt::format("announced date {} is not plausible", e.announced->to_string()));
  if (e.scope != Scope::national && e.regions.empty())
    problems.push_back(fmt::format("scope \"{}\" needs at least one region", to_string(e.scope)));
  for (const std::string& r : e.regions) {
    auto canon = canonical_region(r);
    if (!canon) problems.push_back(fmt::format("unknown region \"{}\"", r));
    else if (*canon != r) problems.push_back(fmt::format("region \"{}\" is not canonical (\"{}\")", r, *canon));
  }
  for (const std::string& s : e.sectors) {
    auto canon = canonical_sector(s);
    if (!canon) problems.push_back(fmt::format("unknown sector \"{}\"", s));
    else if (*canon != s) problems.push_back(fmt::format("sector \"{}\" is not canonical (\"{}\")", s, *canon));
  }
  std::string why;
  if (!e.url.empty() && !well_formed_url(e.url, &why)) problems.push_back(fmt::format("url \"{}\" {}", e.url, why));
  if (!e.verified.page.empty() && !well_formed_url(e.verified.page, &why))
    problems.push_back(fmt::format("verified.page \"{}\" {}", e.verified.page, why));
  if (strict) {
    if (e.url.empty()) problems.push_back("no source url (required of a curated entry)");
    if (e.verified.page.empty())
      problems.push_back("no verified.page: where the facts were checked (required of a curated entry)");
  }
  for (const Target& t : e.targets)
    if (t.year < 1900 || t.year > 2100 || t.metric.empty())
      problems.push_back(fmt::format("target \"{}\" for {} is not plausible", t.metric, t.year));
  return problems;
}

Catalogue parse_catalogue(const std::string& content, const std::string& name,
                          std::vector<CatalogueProblem>* problems_out, bool strict) {
  Catalogue cat;
  std::vector<CatalogueProblem> problems;
  std::map<std::string, int> id_line;
  std::map<std::string, int> content_line;  // strict: normalised title + date + regions
  const auto lines = text::split_lines(content);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i) + 1;
    const std::string line = text::trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    try {
      nlohmann::json j = nlohmann::json::parse(line);
      CatalogueEntry e = entry_from_json(j);
      auto content_problems = validate_entry(e, strict);
      if (auto [it, fresh] = id_line.emplace(e.id, line_no); !fresh)
        content_problems.push_back(fmt::format("duplicate id \"{}\" (first on line {})", e.id, it->second));
      if (strict) {
        std::string key = text::normalise_title(e.title) + "|" + e.date.to_string();
        for (const auto& r : e.regions) key += "|" + r;
        if (auto [it, fresh] = content_line.emplace(key, line_no); !fresh)
          content_problems.push_back(fmt::format("same title, date and regions as line {}", it->second));
      }
      for (auto& p : content_problems) problems.push_back({line_no, p});
      if (content_problems.empty()) cat.entries.push_back(std::move(e));
    } catch (const nlohmann::json::exception& ex) {
      problems.push_back({line_no, fmt::format("not valid JSON: {}", ex.what())});
    } catch (const invalid_input& ex) {
      problems.push_back({line_no, ex.what()});
    }
  }
  if (problems_out) {
    *problems_out = problems;
  } else if (!problems.empty()) {
    std::string msg = fmt::format("{}: {} bad line(s):", name, problems.size());
    for (const auto& p : problems) msg += fmt::format("\n  {}:{}: {}", name, p.line, p.message);
    throw invalid_input(msg);
  }
  return cat;
}

Catalogue read_catalogue(const std::string& path) {
  return parse_catalogue(text::read_file(path), path);
}

std::string catalogue_to_jsonl(const Catalogue& c) {
  std::string out;
  for (const auto& e : c.entries) out += to_json(e).dump(-1, ' ', false) + "\n";
  return out;
}

void write_catalogue(const std::string& path, const Catalogue& c) {
  text::write_file_atomic(path, catalogue_to_jsonl(c));
}

namespace {
bool contains_interval(const PolicyDate& outer, const PolicyDate& inner) {
  return outer.first_day() <= inner.first_day() && inner.last_day() <= outer.last_day();
}
void add_unique(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const auto& v : from)
    if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}
void absorb(CatalogueEntry& keep, const CatalogueEntry& other) {
  if (other.date.precision < keep.date.precision) keep.date = other.date;  // day < month < year
  if (keep.issuer.empty()) keep.issuer = other.issuer;
  if (keep.place.empty()) keep.place = other.place;
  if (keep.summary.empty()) keep.summary = other.summary;
  if (keep.url.empty()) keep.url = other.url;
  if (keep.targets.empty()) keep.targets = other.targets;
  add_unique(keep.regions, other.regions);
  // An economy-wide entry stays economy-wide; otherwise the union of the tags.
  if (!keep.sectors.empty() && !other.sectors.empty()) add_unique(keep.sectors, other.sectors);
  else keep.sectors.clear();
  if (keep.scope != other.scope && other.scope == Scope::national) keep.scope = Scope::national;
}
}  // namespace

Catalogue merge_catalogues(const std::vector<Catalogue>& parts, int* removed) {
  Catalogue out;
  std::map<std::string, std::vector<std::size_t>> by_title;
  std::map<std::string, int> id_count;
  int dropped = 0;
  for (const Catalogue& part : parts) {
    for (const CatalogueEntry& e : part.entries) {
      const std::string key = text::normalise_title(e.title);
      bool merged = false;
      for (std::size_t idx : by_title[key]) {
        CatalogueEntry& k = out.entries[idx];
        if (contains_interval(k.date, e.date) || contains_interval(e.date, k.date)) {
          absorb(k, e);
          merged = true;
          ++dropped;
          break;
        }
      }
      if (merged) continue;
      CatalogueEntry copy = e;
      // Keep ids unique: a clash between different entries gets a suffix.
      if (int n = id_count[copy.id]++; n > 0) copy.id += fmt::format("~{}", n + 1);
      by_title[key].push_back(out.entries.size());
      out.entries.push_back(std::move(copy));
    }
  }
  if (removed) *removed = dropped;
  return out;
}

Catalogue builtin_catalogue() { return parse_catalogue(builtin_catalogue_text(), "builtin catalogue"); }

Catalogue load_catalogue_or_builtin(const std::string& path) {
  return path.empty() ? builtin_catalogue() : read_catalogue(path);
}

}  // namespace turnpoint
