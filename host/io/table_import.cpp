// One pass over each table, a line at a time (no regex, no whole-file buffer); names and time
// labels are looked up once per distinct spelling by the builder, so a row costs a split,
// two hash lookups and a number parse.
#include "host/io/table_import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "host/io/text_lines.hpp"
#include "kernels/error.hpp"

namespace turnpoint {

namespace {

constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool ends_with(const std::string& s, const char* suffix) {
  const std::string_view x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

char pick_delimiter(const std::string& path, std::string_view header) {
  std::string name = lower(path);
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  if (ends_with(name, ".tsv") || ends_with(name, ".tab")) return '\t';
  if (header.find('\t') != std::string_view::npos && header.find(',') == std::string_view::npos) return '\t';
  return ',';
}

// Header names a role takes automatically, in order of preference.
constexpr const char* kTimeNames[] = {"date", "time", "period", "year_month", "month", "quarter",
                                      "year", "week", "step"};

// A time column of step numbers: its integers are steps even when they have four digits.
bool step_column(std::string_view name) {
  const std::string n = lower(name);
  return n == "step" || n == "t" || n == "index" || n == "idx";
}

struct Header {
  std::vector<std::string> names;
  std::string file;
  std::uint32_t line = 1;

  std::string joined() const {
    std::string out;
    for (const auto& h : names) out += (out.empty() ? "" : ",") + h;
    return out;
  }
  // The column named `name` (ignoring case and spaces around it); `option` says which option
  // named it in the error.
  std::size_t named(const std::string& name, const char* option) const {
    std::size_t found = npos;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (lower(names[i]) == lower(name)) {
        TURNPOINT_EXPECTS(found == npos, "{}:{}: two columns are named '{}' ({})", file, line, name, option);
        found = i;
      }
    TURNPOINT_EXPECTS(found != npos, "{}:{}: no column named '{}' ({}); the columns are: {}", file,
                      line, name, option, joined());
    return found;
  }
};

// The columns the header names by itself (no options).
struct AutoColumns {
  std::size_t time = npos, value = npos, region = npos, sector = npos;
};

AutoColumns auto_columns(const Header& h) {
  AutoColumns c;
  std::size_t time_rank = npos;
  auto take = [&](std::size_t& slot, std::size_t i, const char* role) {
    TURNPOINT_EXPECTS(slot == npos, "{}:{}: two {} columns: '{}' and '{}'", h.file, h.line, role,
                      h.names[slot], h.names[i]);
    slot = i;
  };
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    const std::string n = lower(h.names[i]);
    for (std::size_t r = 0; r < std::size(kTimeNames); ++r)
      if (n == kTimeNames[r]) {
        if (r == time_rank) take(c.time, i, "date");
        if (r < time_rank) {
          c.time = i;
          time_rank = r;
        }
      }
    if (n == "value" || n.rfind("value_", 0) == 0) take(c.value, i, "value");
    else if (n == "region" || n == "state" || n == "province" || n == "country") take(c.region, i, "region");
    else if (n == "sector") take(c.sector, i, "sector");
  }
  return c;
}

// Reads the data lines, calling row(fields, line_no) for each non-blank one with the right
// number of fields; returns how many there were.
template <class Row>
std::int64_t for_each_row(LineReader& in, char delim, std::size_t count,
                          const std::function<void(std::uint64_t)>& progress, Row row) {
  std::string_view line;
  std::vector<std::string> fields;
  std::int64_t rows = 0;
  while (in.next(line)) {
    if (trim(line).empty()) continue;
    split_fields(line, delim, fields, in.path(), in.line_no());
    TURNPOINT_EXPECTS(fields.size() == count, "{}:{}: expected {} columns, found {}: '{}'", in.path(),
                      in.line_no(), count, fields.size(), line);
    row(fields, in.line_no());
    if ((++rows & 0xFFFF) == 0 && progress) progress(in.bytes_read());
  }
  if (progress) progress(in.bytes_read());
  return rows;
}

bool parse_cell(std::string_view text, double& v) {
  std::string_view t = trim(text);
  if (t.empty() || t == "NA" || t == "N/A" || t == "#N/A" || t == "NaN" || t == "nan" || t == "null" ||
      t == "NULL") {
    v = std::nan("");
    return true;
  }
  if (t.front() == '+') t.remove_prefix(1);
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  return !t.empty() && r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(v);
}


// A value cell of `file`:`line` (in `column` of a wide table), or the error naming them.
double cell(std::string_view text, const std::string& file, std::uint32_t line,
            std::string_view column = {}) {
  double v = 0.0;
  if (parse_cell(text, v)) return v;
  TURNPOINT_FAIL("{}:{}: value '{}' is not a finite number{}", file, line, text,
                 column.empty() ? std::string() : fmt::format(" (column '{}')", column));
}

}  // namespace

void split_fields(std::string_view line, char delim, std::vector<std::string>& fields,
                  const std::string& file, std::size_t line_no) {
  std::size_t n = 0;
  auto next_field = [&]() -> std::string& {
    if (n == fields.size()) fields.emplace_back();
    std::string& f = fields[n++];
    f.clear();
    return f;
  };
  std::size_t i = 0;
  while (true) {
    std::string& field = next_field();
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
      while (i < line.size() && line[i] != delim) ++i;  // tolerate spaces after the quote
    } else {
      const std::size_t end = std::min(line.find(delim, i), line.size());
      field.assign(line.substr(i, end - i));
      i = end;
    }
    if (i >= line.size()) break;
    ++i;  // the delimiter
    if (i == line.size()) {  // trailing delimiter: one more, empty field
      next_field();
      break;
    }
  }
  fields.resize(n);
}

double parse_cell_value(std::string_view text, const std::string& at) {
  double v = 0.0;
  TURNPOINT_EXPECTS(parse_cell(text, v), "{}: value '{}' is not a finite number", at, text);
  return v;
}

namespace {

// The header and the columns it and the options name: what every layout's reader starts from.
struct Columns {
  Header h;
  char delim = ',';
  AutoColumns a;                    // named by the header itself
  std::size_t time_opt = npos;      // --time-col
  std::size_t value_opt = npos;     // --value-col
  std::vector<std::size_t> id_opt;  // --id-cols
  std::size_t time_col = npos;      // the option's, else the header's
  std::size_t value_col = npos;
  bool index_steps = false;         // --freq index: numbers in labels are steps

  bool is_id(std::size_t i) const {
    if (!id_opt.empty()) return std::find(id_opt.begin(), id_opt.end(), i) != id_opt.end();
    return i == a.region || i == a.sector;
  }
};

// The first non-blank line is the header; columns named by options must exist, whatever the
// layout.
Columns read_header(LineReader& in, const std::string& path, const ImportOptions& options) {
  std::string_view line;
  bool got = false;
  while (in.next(line))
    if (!trim(line).empty()) {
      got = true;
      break;
    }
  TURNPOINT_EXPECTS(got, "{}: empty file (no header line)", path);
  Columns c;
  c.delim = options.delimiter ? options.delimiter : pick_delimiter(path, line);
  c.h.file = path;
  c.h.line = in.line_no();
  split_fields(line, c.delim, c.h.names, path, c.h.line);
  c.a = auto_columns(c.h);
  c.index_steps = options.frequency == Frequency::index;
  c.time_opt = options.time_col.empty() ? npos : c.h.named(options.time_col, "--time-col");
  c.value_opt = options.value_col.empty() ? npos : c.h.named(options.value_col, "--value-col");
  for (const auto& col : options.id_cols) c.id_opt.push_back(c.h.named(col, "--id-cols"));
  c.time_col = c.time_opt != npos ? c.time_opt : c.a.time;
  c.value_col = c.value_opt != npos ? c.value_opt : c.a.value;
  return c;
}

// The layout asked for, or the one the header shows: a value column means long; two or more
// time labels in the header, one row per series; no id columns, one column per series.
TableLayout choose_layout(const Columns& c, TableLayout asked) {
  if (asked != TableLayout::automatic) return asked;
  const Header& h = c.h;
  int labels = 0;
  for (std::size_t i = 0; i < h.names.size(); ++i)
    labels += !c.is_id(i) && i != c.time_col && parse_time_label(trim(h.names[i]), c.index_steps) ? 1 : 0;
  if (c.value_col != npos) return TableLayout::long_table;
  if (labels >= 2) return TableLayout::rows;
  if (c.id_opt.empty() && c.a.region == npos && c.a.sector == npos &&
      (c.time_col != npos || trim(h.names[0]).empty()))
    return TableLayout::columns;
  return TableLayout::long_table;  // and the missing value column is said by its reader
}

using Progress = std::function<void(std::uint64_t)>;

// One row per (series, time): id columns, a time column and a value column.
std::int64_t read_long_table(LineReader& in, const Columns& c, PanelBuilder& builder,
                             const Progress& progress, TableInfo& info) {
  const Header& h = c.h;
  const std::string& path = h.file;
  TURNPOINT_EXPECTS(c.time_col != npos,
                    "{}:{}: missing required column 'date' (or time, period, month, year, ...; "
                    "name it with --time-col) (header: '{}')",
                    path, h.line, h.joined());
  TURNPOINT_EXPECTS(c.value_col != npos,
                    "{}:{}: missing required column 'value' (or value_<units>; name it with "
                    "--value-col) (header: '{}')",
                    path, h.line, h.joined());
  std::vector<std::size_t> ids = c.id_opt;
  if (ids.empty()) {
    TURNPOINT_EXPECTS(c.a.sector == npos || c.a.region != npos,
                      "{}:{}: missing required column 'region' (or state/province/country; or "
                      "name the id columns with --id-cols) (header: '{}')",
                      path, h.line, h.joined());
    if (c.a.region != npos) ids.push_back(c.a.region);
    if (c.a.sector != npos) ids.push_back(c.a.sector);
  }
  const bool roles = !ids.empty();
  std::vector<std::string> id_names;
  for (std::size_t i : ids) id_names.push_back(std::string(trim(h.names[i])));
  const std::string value_name(trim(h.names[c.value_col]));
  info.value_column = value_name;
  const std::size_t time_col = c.time_col, value_col = c.value_col;
  const bool steps = step_column(h.names[time_col]);
  std::vector<std::string_view> views(std::max<std::size_t>(ids.size(), 1));
  return for_each_row(in, c.delim, h.names.size(), progress,
                      [&](const std::vector<std::string>& f, std::uint32_t ln) {
                        if (roles)
                          for (std::size_t k = 0; k < ids.size(); ++k) views[k] = f[ids[k]];
                        else
                          views[0] = value_name;
                        const std::uint32_t s = builder.series(views, roles, id_names, ln);
                        const TimeLabel t = builder.label(f[time_col], ln, h.names[time_col], steps);
                        builder.add(s, t, cell(f[value_col], path, ln), ln);
                      });
}

// One column per series (pandas' DataFrame.to_csv): an optional time column, the rest series.
std::int64_t read_columns_table(LineReader& in, const Columns& c, const ImportOptions& options,
                                PanelBuilder& builder, const Progress& progress) {
  const Header& h = c.h;
  const std::string& path = h.file;
  TURNPOINT_EXPECTS(c.id_opt.empty() && c.value_opt == npos,
                    "{}: --id-cols and --value-col do not apply to a table with one column per "
                    "series (layout columns): every column but the time column is a series",
                    path);
  std::size_t tcol = c.time_col;
  if (tcol == npos && trim(h.names[0]).empty()) tcol = 0;  // pandas' unnamed index column
  TURNPOINT_EXPECTS(tcol != npos || !options.frequency || c.index_steps,
                    "{}:{}: no time column (name it with --time-col), so the rows are steps of "
                    "an index axis, but --freq asks for dates",
                    path, h.line);
  std::vector<std::uint32_t> series(h.names.size());
  std::vector<std::size_t> cols;
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    if (i == tcol) continue;
    const std::string_view name = trim(h.names[i]);
    TURNPOINT_EXPECTS(!name.empty(), "{}:{}: column {} has no name (each column is a series)",
                      path, h.line, i + 1);
    // "Region/Sector" names split as turnpoint writes its series ids.
    const std::size_t slash = name.find('/');
    std::vector<std::string_view> parts{name};
    if (slash != std::string_view::npos) parts = {name.substr(0, slash), name.substr(slash + 1)};
    series[i] = builder.series(parts, true, {"header", "header"}, h.line);
    cols.push_back(i);
  }
  TURNPOINT_EXPECTS(!cols.empty(), "{}:{}: no series columns besides the time column", path, h.line);
  std::int32_t step = 0;
  const bool steps = tcol != npos && step_column(h.names[tcol]);
  return for_each_row(in, c.delim, h.names.size(), progress,
                      [&](const std::vector<std::string>& f, std::uint32_t ln) {
                        TimeLabel t{LabelKind::step, step++};
                        if (tcol != npos) t = builder.label(f[tcol], ln, h.names[tcol], steps);
                        else if (t.value == 0) builder.note_kind(LabelKind::step, ln, "0");
                        for (std::size_t i : cols) builder.add(series[i], t, cell(f[i], path, ln, h.names[i]), ln);
                      });
}

// The header's columns of a table with one row per series: its id columns (the options', the
// header's region/sector, else those before the first time label) and its time labels.
struct RowsHeader {
  std::vector<std::size_t> ids, label_cols;
  std::vector<TimeLabel> labels;
};

RowsHeader rows_header(const Columns& c, PanelBuilder& builder) {
  const Header& h = c.h;
  const std::string& path = h.file;
  RowsHeader r;
  r.ids = c.id_opt;
  if (r.ids.empty()) {
    if (c.a.region != npos) r.ids.push_back(c.a.region);
    if (c.a.sector != npos) r.ids.push_back(c.a.sector);
  }
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    if (std::find(r.ids.begin(), r.ids.end(), i) != r.ids.end()) continue;
    const std::string_view name = trim(h.names[i]);
    if (parse_time_label(name, c.index_steps)) {
      r.label_cols.push_back(i);
      continue;
    }
    // Without id options, the columns before the first time label name the series.
    TURNPOINT_EXPECTS(c.id_opt.empty() && c.a.region == npos && c.a.sector == npos && r.label_cols.empty(),
                      "{}:{}: column '{}' is neither an id column nor a time label (one row per "
                      "series: id columns, then one column per time step)",
                      path, h.line, h.names[i]);
    r.ids.push_back(i);
  }
  TURNPOINT_EXPECTS(!r.ids.empty(), "{}:{}: no id column before the time labels (name them with --id-cols)",
                    path, h.line);
  TURNPOINT_EXPECTS(!r.label_cols.empty(), "{}:{}: no time labels in the header", path, h.line);
  for (std::size_t k = 0; k < r.label_cols.size(); ++k) {
    r.labels.push_back(builder.label(h.names[r.label_cols[k]], h.line, "header"));
    for (std::size_t j = 0; j < k; ++j)
      TURNPOINT_EXPECTS(r.labels[j].value != r.labels[k].value || r.labels[j].kind != r.labels[k].kind,
                        "{}:{}: time '{}' is in the header twice (columns {} and {})", path, h.line,
                        h.names[r.label_cols[k]], r.label_cols[j] + 1, r.label_cols[k] + 1);
  }
  return r;
}

// One row per series (a wide table, e.g. World Bank style): id columns, then one per time step.
std::int64_t read_rows_table(LineReader& in, const Columns& c, PanelBuilder& builder,
                             const Progress& progress) {
  const Header& h = c.h;
  TURNPOINT_EXPECTS(c.value_opt == npos && c.time_opt == npos,
                    "{}: --value-col and --time-col do not apply to a table with one row per "
                    "series (layout rows): the header holds the time labels",
                    h.file);
  const RowsHeader r = rows_header(c, builder);
  std::vector<std::string> id_names;
  for (std::size_t i : r.ids) id_names.push_back(std::string(trim(h.names[i])));
  std::vector<std::string_view> views(r.ids.size());
  return for_each_row(in, c.delim, h.names.size(), progress,
                      [&](const std::vector<std::string>& f, std::uint32_t ln) {
                        for (std::size_t k = 0; k < r.ids.size(); ++k) views[k] = f[r.ids[k]];
                        const std::uint32_t s = builder.series(views, true, id_names, ln);
                        for (std::size_t k = 0; k < r.label_cols.size(); ++k)
                          builder.add(s, r.labels[k], cell(f[r.label_cols[k]], h.file, ln, h.names[r.label_cols[k]]), ln);
                      });
}

}  // namespace

TableInfo read_table(const std::string& path, const ImportOptions& options, PanelBuilder& builder,
                     const std::function<void(std::uint64_t)>& progress) {
  LineReader in(path);
  builder.begin_source(path);
  const Columns c = read_header(in, path, options);
  TableInfo info;
  info.layout = choose_layout(c, options.layout);
  std::int64_t rows = 0;
  if (info.layout == TableLayout::long_table) rows = read_long_table(in, c, builder, progress, info);
  else if (info.layout == TableLayout::columns) rows = read_columns_table(in, c, options, builder, progress);
  else rows = read_rows_table(in, c, builder, progress);
  TURNPOINT_EXPECTS(rows > 0, "{}: empty file (a header but no data rows)", path);
  return info;
}

}  // namespace turnpoint
