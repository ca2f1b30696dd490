// `turnpoint import FILE... -o series.h5`: CSV panels -> series.h5 (docs/schema.md).
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "tools/command_registry.hpp"
#include "host/io/csv_import.hpp"
#include "host/core/dates.hpp"
#include "host/core/output_guard.hpp"
#include "host/io/series_io.hpp"

namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::string output;
  turnpoint::ImportOptions options;
};

void run_import(const ImportArgs& args) {
  turnpoint::refuse_output_that_is_input(args.output, args.files, "import");
  const turnpoint::Panel panel = turnpoint::import_csv(args.files, args.options);
  turnpoint::write_series(args.output, panel);
  std::size_t missing = 0;
  for (double v : panel.values) missing += std::isnan(v) ? 1 : 0;
  fmt::print(stderr, "{}: {} series x {} days, {} .. {}, {} missing series-days\n", args.output,
             panel.n_series(), panel.n_time(), turnpoint::format_date(panel.time.front()),
             turnpoint::format_date(panel.time.back()), missing);
}

void setup(CLI::App& root) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = root.add_subcommand(
      "import", "Read CSV panels (Carbon Monitor China, long format, Cui 2021) into one series.h5");
  cmd->footer(
      "Accepted: Carbon Monitor China files (date,state,value,sector, with or without BOM), "
      "long format (region,date,sector,value; the region column may be named "
      "region/state/province/country; value may be value_<units>), and the Cui et al. 2021 "
      "file (province,date,sector,value_MtCO2_per_day,...). Columns are found by name in any "
      "order; extra columns are ignored. Dates: YYYY-MM-DD, YYYY/MM/DD or DD/MM/YYYY. "
      "Regions are normalised to the 31 provinces (plus the national total 'China'), sectors "
      "to Power, Industry, Ground Transport, Residential, Aviation. Days a series lacks "
      "become NaN. The output is written atomically (an existing file survives an error).");
  cmd->add_option("files", args->files, "CSV files to merge")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "series file to write (HDF5)")->required();
  cmd->add_flag("--allow-unknown-regions", args->options.allow_unknown_regions,
                "keep region names that are not provinces as written instead of failing");
  cmd->add_option("--source", args->options.source,
                  "text for the 'source' attribute (default: the input file names)");
  cmd->add_option("--units", args->options.units, "units of the values")
      ->default_val(args->options.units);
  cmd->callback([args] { run_import(*args); });
}

const turnpoint::cli::RegisterCommand registered{setup};

}  // namespace
