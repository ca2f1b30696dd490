// Tables into the panel builder (docs/import.md, "Tables"): CSV or TSV, plain or gzip, read a
// line at a time. The layout (long, wide by columns, wide by rows) and its columns come from
// the options or from the header: a time column named date/time/period/..., a value column
// named value or value_<units>, id columns named region/state/province/country and sector.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "host/io/panel_builder.hpp"
#include "host/io/panel_import.hpp"

namespace turnpoint {

struct TableInfo {
  TableLayout layout = TableLayout::long_table;
  std::string value_column;  // long layout: the header of the value column
};

// Reads one table into `builder`. `progress(bytes)` is called now and then with the bytes of
// the file consumed (compressed bytes for gzip).
TableInfo read_table(const std::string& path, const ImportOptions& options, PanelBuilder& builder,
                     const std::function<void(std::uint64_t)>& progress);

// One line split into fields at `delim` (RFC 4180 quotes: "a,b" and "" inside quotes).
// `fields` is reused from line to line. Throws naming file and line on an open quote.
void split_fields(std::string_view line, char delim, std::vector<std::string>& fields,
                  const std::string& file, std::size_t line_no);

// A value cell: a finite number, or NaN for a missing one (empty, NA, N/A, #N/A, NaN, nan,
// null, NULL); throws invalid_input "<where>: value '<text>' is not a finite number" otherwise.
double parse_cell_value(std::string_view text, const std::string& where);

}  // namespace turnpoint
