// CSV panels -> Panel, as before the generic import: Carbon Monitor China files
// (date,state,value,sector with a BOM), long format (region,date,sector,value; region may be
// called state/province/country) and the Cui et al. 2021 long file. It is import_panel
// (host/io/panel_import.hpp) without the warnings: the same columns, names and errors.
#pragma once
#include <string>
#include <vector>

#include "host/core/panel.hpp"
#include "host/io/panel_import.hpp"

namespace turnpoint {

// Reads and merges the files into one panel on a shared axis from the earliest to the latest
// time step; steps a series lacks are NaN. Series are ordered by region (byte order of the
// canonical name), then sector in canonical order (Power, Industry, Ground Transport,
// Residential, Aviation, then other sectors). Throws invalid_input naming the file, the
// 1-based line and the offending text.
Panel import_csv(const std::vector<std::string>& files, const ImportOptions& options = {});

}  // namespace turnpoint
