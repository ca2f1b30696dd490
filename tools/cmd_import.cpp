// `turnpoint import FILE... -o series.h5`: tables (CSV/TSV, gzip), HDF5 and netCDF-4 panels ->
// series.h5 (docs/import.md, docs/schema.md).
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "host/core/time_axis.hpp"
#include "host/io/panel_import.hpp"
#include "host/core/output_guard.hpp"
#include "host/io/series_io.hpp"
#include "kernels/error.hpp"
#include "tools/command_registry.hpp"

namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::string output;
  std::string layout = "auto";
  std::string freq;
  std::string delimiter;
  turnpoint::ImportOptions options;
};

// "days", "months", ... for the summary line.
const char* steps_word(turnpoint::Frequency f) {
  switch (f) {
    case turnpoint::Frequency::daily: return "days";
    case turnpoint::Frequency::weekly: return "weeks";
    case turnpoint::Frequency::monthly: return "months";
    case turnpoint::Frequency::quarterly: return "quarters";
    case turnpoint::Frequency::annual: return "years";
    case turnpoint::Frequency::index: return "steps";
  }
  return "steps";
}

void run_import(ImportArgs& args) {
  using namespace turnpoint;
  refuse_output_that_is_input(args.output, args.files, "import");
  const auto layout = parse_table_layout(args.layout);
  TURNPOINT_EXPECTS(layout.has_value(), "--layout '{}': expected auto, long, columns or rows", args.layout);
  args.options.layout = *layout;
  if (!args.freq.empty()) {
    args.options.frequency = parse_frequency(args.freq);
    TURNPOINT_EXPECTS(args.options.frequency.has_value(),
                      "--freq '{}': expected D, W, M, Q, A (daily, weekly, monthly, quarterly, annual) "
                      "or index",
                      args.freq);
  }
  if (!args.delimiter.empty()) {
    const std::string& d = args.delimiter;
    TURNPOINT_EXPECTS(d == "," || d == ";" || d == "tab" || d == "\\t" || d == "\t",
                      "--delimiter '{}': expected ',', ';' or tab", d);
    args.options.delimiter = d == "," ? ',' : d == ";" ? ';' : '\t';
  }
  const ImportResult r = import_panel(args.files, args.options);
  for (const std::string& w : r.warnings) fmt::print(stderr, "import: warning: {}\n", w);
  write_series(args.output, r.panel);
  const Panel& p = r.panel;
  std::size_t missing = 0;
  for (double v : p.values) missing += std::isnan(v) ? 1 : 0;
  const char* unit = steps_word(p.frequency);
  fmt::print(stderr, "{}: {} series x {} {}, {} .. {}, {} missing series-{}\n", args.output,
             p.n_series(), p.n_time(), unit, format_time(p.time.front(), p.frequency),
             format_time(p.time.back(), p.frequency), missing, unit);
  fmt::print(stderr, "{}: {} axis, {} values read, {} series start late or stop early (NaN outside their span)\n",
             args.output, to_string(p.frequency), r.rows, r.ragged);
}

void setup(CLI::App& root) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = root.add_subcommand(
      "import", "Read panels (CSV/TSV tables, plain or gzip; HDF5; netCDF-4) into one series.h5");
  cmd->footer(
      "Tables: long (one row per series and time step), wide by columns (a time column, then one "
      "column per series) or wide by rows (id columns, then one column per time step); the layout "
      "and columns are found from the header (time: date/time/period/month/year/...; value: value or "
      "value_<units>; ids: region/state/province/country and sector) or named with --layout, "
      "--time-col, --value-col, --id-cols (the first id is the region, the second the sector). "
      "Carbon Monitor China, Cui 2021 and region,date,sector,value files import as they are. "
      "Known province and sector names (English or Chinese) are normalised; other names are kept "
      "as written and listed once in a warning. Empty cells, NA and NaN are missing values. Time: "
      "dates (YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY), months (YYYY-MM), quarters (YYYY-Qn), years "
      "(YYYY) or step numbers (an index axis); the frequency (daily, weekly, monthly, quarterly, "
      "annual) comes from the labels and the most common step between dates, and a date off that "
      "axis is refused with its row unless --freq puts every row in its period (missing steps "
      "become NaN). HDF5 / netCDF-4: a 2-D numeric dataset (--dataset; found when it is the only "
      "one), its time axis from a dimension scale or --time-dataset (CF 'days since ...' units, "
      "date strings, or step numbers), series names from the other dimension's scale, region and "
      "sector datasets, or --names-dataset. The output is written atomically (an existing file "
      "survives an error). See docs/import.md.");
  cmd->add_option("files", args->files, "tables or HDF5 / netCDF-4 files to merge")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "series file to write (HDF5)")->required();
  cmd->add_option("--layout", args->layout, "table layout: auto, long, columns or rows")
      ->default_val(args->layout);
  cmd->add_option("--id-cols", args->options.id_cols,
                  "columns naming a series, comma-separated (first: region, second: sector)")
      ->delimiter(',');
  cmd->add_option("--time-col", args->options.time_col, "the time column");
  cmd->add_option("--value-col", args->options.value_col, "the value column (long tables)");
  cmd->add_option("--freq", args->freq,
                  "put every row in its period of this frequency: D, W, M, Q, A or index "
                  "(default: found from the time labels; irregular dates are refused)");
  cmd->add_option("--delimiter", args->delimiter,
                  "field separator: ',', ';' or tab (default: tab for .tsv/.tab, else from the header)");
  cmd->add_option("--dataset", args->options.dataset, "HDF5: the 2-D values dataset, e.g. /values");
  cmd->add_option("--time-dataset", args->options.time_dataset, "HDF5: the 1-D time axis dataset");
  cmd->add_option("--names-dataset", args->options.names_dataset, "HDF5: the 1-D series names dataset");
  cmd->add_option("--time-dim", args->options.time_dim, "HDF5: which dimension of the dataset is time (0 or 1)");
  cmd->add_flag("--allow-unknown-regions", args->options.allow_unknown_regions,
                "do not list region names that are not provinces in a warning (they are kept either way)");
  cmd->add_option("--source", args->options.source,
                  "text for the 'source' attribute (default: the input file names)");
  cmd->add_option("--units", args->options.units,
                  "units of the values (default: from value_<units>, the HDF5 units attribute, or "
                  "MtCO2/day for a column named value)");
  cmd->add_flag("--quiet", args->options.quiet, "no progress bar");
  cmd->callback([args] { run_import(*args); });
}

const turnpoint::cli::RegisterCommand registered{setup};

}  // namespace
