// Any panel in (docs/import.md): tables and HDF5 / netCDF-4 files -> one Panel on a regular
// time axis. Tables are CSV or TSV, plain or gzip-compressed, in three layouts -- long (one
// row per series x time step), wide by columns (a time column, then one column per series)
// and wide by rows (id columns, then one column per time step) -- with the columns found by
// name or named by options. HDF5 inputs are a 2-D dataset of any file (h5py, xarray's
// netCDF-4 with CF time units, turnpoint's own series.h5). Every input is streamed into
// per-series records (memory bounded by the panel, not by the text), then the axis
// frequency is found or applied, and the dense panel is built; nothing is written here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/core/panel.hpp"
#include "host/core/time_axis.hpp"

namespace turnpoint {

enum class TableLayout { automatic, long_table, columns, rows };
const char* to_string(TableLayout l);
std::optional<TableLayout> parse_table_layout(const std::string& text);  // auto, long, columns, rows

struct ImportOptions {
  // Keep region names that are neither one of the 31 provinces nor the national total
  // "China" without listing them in a warning (they are kept as written either way).
  bool allow_unknown_regions = false;
  // Units of the values; empty: from the value column's name (value_<units>, "_per_" read
  // as "/"; "value" alone: MtCO2/day, Carbon Monitor's) or the HDF5 dataset's `units`.
  std::string units;
  std::string source;  // empty: the input file names, joined by "; "

  // Tables.
  TableLayout layout = TableLayout::automatic;
  std::vector<std::string> id_cols;  // the columns naming a series (first: region, second: sector)
  std::string time_col;              // the time column (long and wide-by-columns layouts)
  std::string value_col;             // the value column (long layout)
  char delimiter = 0;                // 0: tab for *.tsv / *.tab (also .gz), else by the header

  // The axis: nullopt finds the frequency from the time labels; a frequency puts every row in
  // its period of that frequency (regularising: missing steps become NaN).
  std::optional<Frequency> frequency;

  // HDF5 / netCDF-4 inputs.
  std::string dataset;        // the 2-D values dataset; empty: the only 2-D numeric one
  std::string time_dataset;   // the time axis; empty: the dimension scale or a `time` dataset
  std::string names_dataset;  // series names; empty: dimension scale, region/sector or series_id
  int time_dim = -1;          // which dimension of `dataset` is time (0 or 1); -1: found

  bool quiet = false;  // no progress bar (it is drawn only on a terminal anyway)
};

struct ImportResult {
  Panel panel;
  std::vector<std::string> warnings;  // each said once (unknown names, ...)
  std::int64_t rows = 0;              // observations read (cells of the panel given)
  std::int64_t ragged = 0;            // series that start late or stop early
};

// Reads and merges the inputs (tables or HDF5 files, told apart by the HDF5 signature) into
// one panel. Throws invalid_input naming the file, the line (or dataset element) and the
// offending text: a duplicate (series, time step) with the first occurrence, a time label
// that breaks the frequency, mixed frequencies, a value that is not a number, an unknown
// column named by an option, the same file given twice.
ImportResult import_panel(const std::vector<std::string>& inputs, const ImportOptions& options = {});

}  // namespace turnpoint
