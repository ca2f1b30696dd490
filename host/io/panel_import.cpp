#include "host/io/panel_import.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "host/core/progress.hpp"
#include "host/io/h5_import.hpp"
#include "host/io/panel_builder.hpp"
#include "host/io/table_import.hpp"
#include "kernels/error.hpp"

namespace turnpoint {

const char* to_string(TableLayout l) {
  switch (l) {
    case TableLayout::automatic: return "auto";
    case TableLayout::long_table: return "long";
    case TableLayout::columns: return "columns";
    case TableLayout::rows: return "rows";
  }
  return "?";
}

std::optional<TableLayout> parse_table_layout(const std::string& text) {
  for (TableLayout l : {TableLayout::automatic, TableLayout::long_table, TableLayout::columns, TableLayout::rows})
    if (text == to_string(l)) return l;
  if (text == "wide") return TableLayout::columns;
  return std::nullopt;
}

namespace {

// Units from a value column's name: value_MtCO2_per_day -> MtCO2/day; "value" alone is
// Carbon Monitor's MtCO2/day; any other name says nothing.
std::string units_from_column(const std::string& column) {
  std::string lower = column;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "value") return "MtCO2/day";
  if (lower.rfind("value_", 0) != 0) return "";
  std::string units = column.substr(6);
  for (std::size_t at; (at = units.find("_per_")) != std::string::npos;) units.replace(at, 5, "/");
  return units;
}

// The same file given twice would report its own rows as duplicates of themselves.
void refuse_repeats(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::error_code ec;
    TURNPOINT_EXPECTS(fs::is_regular_file(inputs[i], ec), "{}: cannot open file (no such file)", inputs[i]);
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code same_ec;
      TURNPOINT_EXPECTS(!fs::equivalent(inputs[i], inputs[j], same_ec),
                        "{}: the same file is given twice (input {} and input {}{})", inputs[i], j + 1,
                        i + 1, inputs[i] == inputs[j] ? "" : fmt::format(", as {}", inputs[j]));
    }
  }
}

}  // namespace

ImportResult import_panel(const std::vector<std::string>& inputs, const ImportOptions& options) {
  TURNPOINT_EXPECTS(!inputs.empty(), "import: no input files");
  refuse_repeats(inputs);
  std::uint64_t total = 0;
  for (const auto& f : inputs) total += std::filesystem::file_size(f);
  Progress bar("import (MB of input)", static_cast<std::int64_t>((total + 999999) / 1000000), options.quiet);
  std::uint64_t done = 0;

  PanelBuilder builder(options);
  std::string units = options.units;
  bool units_found = !units.empty();
  for (const std::string& file : inputs) {
    std::string file_units;
    if (is_hdf5_file(file)) {
      file_units = read_hdf5_panel(file, options, builder).units;
    } else {
      const TableInfo t = read_table(file, options, builder, [&](std::uint64_t bytes) {
        bar.update(static_cast<std::int64_t>((done + bytes) / 1000000));
      });
      file_units = units_from_column(t.value_column);
    }
    done += std::filesystem::file_size(file);
    bar.update(static_cast<std::int64_t>(done / 1000000));
    if (!units_found && !file_units.empty()) {
      units = file_units;
      units_found = true;
    }
  }
  bar.finish();
  std::string source = options.source;
  if (source.empty())
    for (const auto& f : inputs) source += (source.empty() ? "" : "; ") + f;
  return builder.finish(source, units);
}

}  // namespace turnpoint
