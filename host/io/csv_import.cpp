// CSV import: one pass per file over the whole text (no regex), then a merge onto one
// daily axis. Name lookups are cached per distinct spelling, so a 45,291-row Carbon
// Monitor file costs one hash lookup per row for region and sector.
#include "host/io/csv_import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>

#include "host/core/dates.hpp"
#include "kernels/error.hpp"
#include "host/core/regions.hpp"
#include "host/core/text_file.hpp"

namespace turnpoint {

namespace {

struct Record {
  std::int32_t day;
  double value;
  std::uint32_t file;  // index into the file list
  std::uint32_t line;  // 1-based
};

// (canonical region, sector position in sectors()) -> its rows; std::map keeps the
// output order (region, then canonical sector order) and stable node addresses.
using SeriesMap = std::map<std::pair<std::string, std::size_t>, std::vector<Record>>;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes) into fields.
void split_fields(std::string_view line, std::vector<std::string>& fields, const std::string& file,
                  std::size_t line_no) {
  fields.clear();
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        field.push_back(line[i++]);
      }
      TURNPOINT_EXPECTS(closed, "{}:{}: unterminated quoted field: '{}'", file, line_no, line);
      while (i < line.size() && line[i] != ',') ++i;  // tolerate spaces after the quote
    } else {
      const std::size_t end = std::min(line.find(',', i), line.size());
      field.assign(line.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // the comma
    if (i == line.size()) {  // trailing comma: one more, empty field
      fields.emplace_back();
      break;
    }
  }
}

struct Columns {
  std::size_t date = npos, region = npos, sector = npos, value = npos, count = 0;
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
};

Columns find_columns(const std::vector<std::string>& header, const std::string& file) {
  Columns c;
  c.count = header.size();
  auto take = [&](std::size_t& slot, std::size_t i, const char* role) {
    TURNPOINT_EXPECTS(slot == Columns::npos, "{}:1: two {} columns: '{}' and '{}'", file, role,
                      header[slot], header[i]);
    slot = i;
  };
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string h = lower(trim(header[i]));
    if (h == "date") take(c.date, i, "date");
    else if (h == "region" || h == "state" || h == "province" || h == "country") take(c.region, i, "region");
    else if (h == "sector") take(c.sector, i, "sector");
    else if (h == "value" || h.rfind("value_", 0) == 0) take(c.value, i, "value");
  }
  std::string joined;
  for (const auto& h : header) joined += (joined.empty() ? "" : ",") + h;
  TURNPOINT_EXPECTS(c.date != Columns::npos, "{}:1: missing required column 'date' (header: '{}')", file, joined);
  TURNPOINT_EXPECTS(c.region != Columns::npos,
                    "{}:1: missing required column 'region' (or state/province/country) (header: '{}')",
                    file, joined);
  TURNPOINT_EXPECTS(c.sector != Columns::npos, "{}:1: missing required column 'sector' (header: '{}')", file, joined);
  TURNPOINT_EXPECTS(c.value != Columns::npos,
                    "{}:1: missing required column 'value' (or value_<units>) (header: '{}')", file, joined);
  return c;
}

double parse_value(std::string_view text, const std::string& file, std::size_t line_no) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  double v = 0.0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  TURNPOINT_EXPECTS(!t.empty() && r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(v),
                    "{}:{}: value '{}' is not a finite number", file, line_no, text);
  return v;
}

class Importer {
 public:
  Importer(const std::vector<std::string>& files, const ImportOptions& options)
      : files_(files), options_(options) {}

  void read(std::uint32_t file_index) {
    const std::string& file = files_[file_index];
    std::string text = text::read_file(file);
    std::string_view rest(text);
    if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 BOM
    TURNPOINT_EXPECTS(rest.find_first_not_of(" \t\r\n") != std::string_view::npos,
                      "{}: empty file (no header line)", file);

    std::size_t line_no = 0;
    auto next_line = [&](std::string_view& line) {
      if (rest.empty()) return false;
      const std::size_t nl = rest.find('\n');
      line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_no;
      return true;
    };

    std::string_view line;
    std::vector<std::string> fields;
    next_line(line);
    split_fields(line, fields, file, line_no);
    const Columns col = find_columns(fields, file);

    std::size_t rows = 0;
    // (raw region, raw sector) of the previous distinct pair -> its series, to skip lookups.
    std::unordered_map<std::string, std::vector<Record>*> by_raw_key;
    std::string raw_key;
    while (next_line(line)) {
      if (trim(line).empty()) continue;
      split_fields(line, fields, file, line_no);
      TURNPOINT_EXPECTS(fields.size() == col.count, "{}:{}: expected {} columns, found {}: '{}'", file,
                        line_no, col.count, fields.size(), line);
      const std::string_view date_text = trim(fields[col.date]);
      const std::optional<std::int32_t> day = parse_date(date_text);
      TURNPOINT_EXPECTS(day.has_value(),
                        "{}:{}: unparseable date '{}' (expected YYYY-MM-DD, YYYY/MM/DD or DD/MM/YYYY)",
                        file, line_no, fields[col.date]);
      const double value = parse_value(fields[col.value], file, line_no);
      raw_key.assign(fields[col.region]).append(1, '\x1f').append(fields[col.sector]);
      auto it = by_raw_key.find(raw_key);
      if (it == by_raw_key.end())
        it = by_raw_key.emplace(raw_key, &series_for(fields[col.region], fields[col.sector], file, line_no))
                 .first;
      it->second->push_back({*day, value, file_index, static_cast<std::uint32_t>(line_no)});
      ++rows;
    }
    TURNPOINT_EXPECTS(rows > 0, "{}: empty file (a header but no data rows)", file);
  }

  Panel finish() {
    Panel p;
    p.units = options_.units;
    p.source = options_.source;
    if (p.source.empty())
      for (const auto& f : files_) p.source += (p.source.empty() ? "" : "; ") + f;
    std::int32_t first = std::numeric_limits<std::int32_t>::max();
    std::int32_t last = std::numeric_limits<std::int32_t>::min();
    for (auto& [key, recs] : series_) {
      std::stable_sort(recs.begin(), recs.end(),
                       [](const Record& a, const Record& b) { return a.day < b.day; });
      for (std::size_t i = 1; i < recs.size(); ++i)
        TURNPOINT_EXPECTS(recs[i].day != recs[i - 1].day,
                          "{}:{}: duplicate row for ({}, {}, {}); first given at {}:{}",
                          files_[recs[i].file], recs[i].line, key.first, sectors()[key.second],
                          format_date(recs[i].day), files_[recs[i - 1].file], recs[i - 1].line);
      first = std::min(first, recs.front().day);
      last = std::max(last, recs.back().day);
    }
    const std::int64_t n_time = static_cast<std::int64_t>(last) - first + 1;
    const std::int64_t n_series = static_cast<std::int64_t>(series_.size());
    TURNPOINT_EXPECTS(n_time * n_series <= (std::int64_t{1} << 31),
                      "{}: dates run from {} to {} ({} days) for {} series: too large a panel; "
                      "is a year mistyped?",
                      p.source, format_date(first), format_date(last), n_time, n_series);
    p.time.resize(static_cast<std::size_t>(n_time));
    for (std::int64_t t = 0; t < n_time; ++t) p.time[static_cast<std::size_t>(t)] = first + static_cast<std::int32_t>(t);
    p.values.assign(static_cast<std::size_t>(n_time * n_series), std::nan(""));
    std::size_t i = 0;
    for (const auto& [key, recs] : series_) {
      p.region.push_back(key.first);
      p.sector.push_back(sectors()[key.second]);
      p.series_id.push_back(key.first + "/" + sectors()[key.second]);
      double* row = p.values.data() + i * static_cast<std::size_t>(n_time);
      for (const Record& r : recs) row[r.day - first] = r.value;
      ++i;
    }
    return p;
  }

 private:
  std::vector<Record>& series_for(const std::string& raw_region, const std::string& raw_sector,
                                  const std::string& file, std::size_t line_no) {
    const std::string_view region_text = trim(raw_region);
    TURNPOINT_EXPECTS(!region_text.empty(), "{}:{}: empty region name", file, line_no);
    std::string region;
    if (auto canonical = canonical_region(std::string(region_text))) {
      region = *canonical;
    } else if (is_national_total(std::string(region_text))) {
      region = kNationalTotal;
    } else {
      TURNPOINT_EXPECTS(options_.allow_unknown_regions,
                        "{}:{}: unknown region '{}' (not one of the 31 provinces nor the national "
                        "total China; --allow-unknown-regions keeps it as written)",
                        file, line_no, raw_region);
      region = std::string(region_text);
    }
    const std::optional<std::string> sector = canonical_sector(raw_sector);
    TURNPOINT_EXPECTS(sector.has_value(),
                      "{}:{}: unknown sector '{}' (known: Power, Industry, Ground Transport, "
                      "Residential, Aviation)",
                      file, line_no, raw_sector);
    const auto& names = sectors();
    const std::size_t s = static_cast<std::size_t>(std::find(names.begin(), names.end(), *sector) - names.begin());
    return series_[{region, s}];
  }

  const std::vector<std::string>& files_;
  const ImportOptions& options_;
  SeriesMap series_;
};

}  // namespace

Panel import_csv(const std::vector<std::string>& files, const ImportOptions& options) {
  TURNPOINT_EXPECTS(!files.empty(), "import: no input files");
  Importer importer(files, options);
  for (std::size_t i = 0; i < files.size(); ++i) importer.read(static_cast<std::uint32_t>(i));
  return importer.finish();
}

}  // namespace turnpoint
