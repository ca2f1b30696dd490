// CSV panels -> Panel: Carbon Monitor China files (date,state,value,sector with a BOM),
// long format (region,date,sector,value; region may be called state/province/country) and
// the Cui et al. 2021 long file (province,date,sector,value_MtCO2_per_day,...). Columns are
// found by header name in any order; extra columns are ignored. See docs/schema.md.
#pragma once
#include <string>
#include <vector>

#include "host/core/panel.hpp"

namespace turnpoint {

struct ImportOptions {
  // Keep region names that are neither one of the 31 provinces nor the national total
  // "China" as they are written (trimmed) instead of failing.
  bool allow_unknown_regions = false;
  std::string units = "MtCO2/day";
  std::string source;  // empty: the input file names, joined by "; "
};

// Reads and merges the files into one panel on a shared daily axis from the earliest to
// the latest date; days a series lacks are NaN. Series are ordered by region (byte order of
// the canonical name), then sector in canonical order (Power, Industry, Ground Transport,
// Residential, Aviation; unknown sectors are an error). Throws invalid_input naming the
// file, the 1-based line and the offending text.
Panel import_csv(const std::vector<std::string>& files, const ImportOptions& options = {});

}  // namespace turnpoint
