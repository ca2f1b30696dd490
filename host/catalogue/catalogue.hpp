// The policy catalogue (DESIGN.md §5, docs/catalogue.md): one policy or event per JSON
// line, with a date of stated precision (a month-precision date is the whole month),
// scope and regions, sectors (empty = economy-wide / cross-sector), quantified targets,
// source URL and provenance.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace turnpoint {

enum class DatePrecision { day, month, year };

struct PolicyDate {
  int year = 0, month = 0, day = 0;  // month/day are 0 when below the precision
  DatePrecision precision = DatePrecision::year;

  static PolicyDate of_day(int y, int m, int d) { return {y, m, d, DatePrecision::day}; }
  static PolicyDate of_month(int y, int m) { return {y, m, 0, DatePrecision::month}; }
  static PolicyDate of_year(int y) { return {y, 0, 0, DatePrecision::year}; }

  std::int32_t first_day() const;  // days since 1970-01-01, inclusive
  std::int32_t last_day() const;   // inclusive: the last day of the month / year
  std::string to_string() const;   // "2021-12-14", "2021-12" or "2021"
  std::string to_chinese() const;  // "2021年12月14日", "2021年12月", "2021年"
  // Parses exactly the forms to_string writes (a real calendar date), or nullopt.
  static std::optional<PolicyDate> parse(const std::string& text);
  bool operator==(const PolicyDate& o) const {
    return year == o.year && month == o.month && day == o.day && precision == o.precision;
  }
};

// First date in free text: 2021年12月14日, 2021年12月, 2021年, 2021-10-24, 2021-10, or a
// bare year 2021 (year precision). Spaces inside ("2021 年 3 月") are allowed.
std::optional<PolicyDate> find_date_in_text(const std::string& text);

enum class EntryKind { policy, event };
enum class Scope { national, provincial, city };
// Expected direction of the effect on emissions ("down": a lockdown, a power cut; "up": a
// reopening, the end of a rationing); unknown when the source does not make it clear.
enum class Direction { unknown, down, up };
// How the effect arrives: at once (a lockdown, a flood) or over months and years (a plan,
// a pledge, a market). Unknown entries count as immediate for events and gradual for
// policies (CatalogueEntry::effective_onset).
enum class Onset { unknown, immediate, gradual };
const char* to_string(DatePrecision p);
const char* to_string(EntryKind k);
const char* to_string(Scope s);
const char* to_string(Direction d);  // "", "down", "up"
const char* to_string(Onset o);      // "", "immediate", "gradual"

struct Target {
  int year = 0;
  std::string metric;  // e.g. "非化石能源消费比重", "单位地区生产总值能源消耗比2020年下降"
  double value = 0.0;
  std::string unit;    // "%", "万千瓦", ... or empty
  bool operator==(const Target& o) const {
    return year == o.year && metric == o.metric && value == o.value && unit == o.unit;
  }
};

struct Provenance {
  std::string file;           // file name the record was imported from
  std::string section;        // e.g. "转折点 2021-12-31 #2" or "二、(三) 3."
  int line = 0;               // 1-based line in that file, 0 = unknown
  std::string turning_point;  // seed reports: the change point it was attached to
};

// Where and how an entry's facts were checked: the stored page that was read (`page`),
// who published it, and what it states (`seen`, one short line in the checker's words).
struct Verification {
  std::string via, page, publisher, seen;
  bool empty() const { return via.empty() && page.empty() && publisher.empty() && seen.empty(); }
};

struct CatalogueEntry {
  std::string id;
  std::string title;     // as written (Chinese for Chinese sources)
  std::string title_en;  // optional English title, used by English reports
  EntryKind kind = EntryKind::policy;
  PolicyDate date;       // when it took effect (policies) or happened (events)
  std::optional<PolicyDate> announced;  // when it was announced or published, if different
  Scope scope = Scope::provincial;
  std::vector<std::string> regions;  // canonical English province names
  std::vector<std::string> sectors;  // canonical sectors; empty = cross-sector
  std::string issuer, place, summary, url;
  std::vector<Target> targets;
  Provenance source;
  Direction direction = Direction::unknown;
  Onset onset = Onset::unknown;
  std::string topic;  // e.g. covid, power-rationing, peak-plan (free text, for grouping)
  Verification verified;

  bool economy_wide() const { return sectors.empty(); }  // matches every sector
  Onset effective_onset() const {
    if (onset != Onset::unknown) return onset;
    return kind == EntryKind::event ? Onset::immediate : Onset::gradual;
  }
  // The first day the entry was public: the earlier of the announcement and the effective date.
  std::int32_t first_public_day() const {
    const std::int32_t f = date.first_day();
    return announced && announced->first_day() < f ? announced->first_day() : f;
  }
};

// True for an http(s) URL with a host name and no blanks or characters that need quoting
// ("https://www.gov.cn/x.htm"); `why` receives the reason when it is not.
bool well_formed_url(const std::string& url, std::string* why = nullptr);

nlohmann::ordered_json to_json(const CatalogueEntry& e);
// Throws invalid_input naming the field when the object is not a valid entry.
CatalogueEntry entry_from_json(const nlohmann::json& j);

struct Catalogue {
  std::vector<CatalogueEntry> entries;
};

struct CatalogueProblem {
  int line = 0;  // 1-based line of the JSONL file
  std::string message;
};

// Reads a JSONL catalogue. Every bad line is reported (not just the first); `problems`
// receives them when given, otherwise the first problem list is thrown as invalid_input
// naming the file and every bad line. Blank lines and lines starting with '#' are skipped.
Catalogue parse_catalogue(const std::string& text, const std::string& name,
                          std::vector<CatalogueProblem>* problems = nullptr, bool strict = false);
Catalogue read_catalogue(const std::string& path);
std::string catalogue_to_jsonl(const Catalogue& c);
void write_catalogue(const std::string& path, const Catalogue& c);  // atomic

// Checks one entry's content (ids, dates, scope/regions, sectors, URL); empty if fine.
// `strict` also requires what a curated entry must carry: a source URL and a record of
// where it was verified (`verified.page`).
std::vector<std::string> validate_entry(const CatalogueEntry& e, bool strict = false);

// Concatenates catalogues and removes duplicates: two entries are the same when their
// normalised titles are equal and one date interval contains the other. The first keeps
// the more precise date and gains the other's missing fields, regions and sectors.
Catalogue merge_catalogues(const std::vector<Catalogue>& parts, int* removed = nullptr);

// The catalogue shipped with turnpoint (catalogue/builtin.jsonl, embedded at build time).
const std::string& builtin_catalogue_text();
Catalogue builtin_catalogue();
// `path` when given, otherwise the built-in catalogue.
Catalogue load_catalogue_or_builtin(const std::string& path);

}  // namespace turnpoint
