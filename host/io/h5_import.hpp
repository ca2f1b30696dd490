// HDF5 and netCDF-4 files into the panel builder (docs/import.md, "HDF5 and netCDF"): a 2-D
// numeric dataset of any file (h5py, xarray's to_netcdf), its time axis from a dimension
// scale or a named dataset (CF "days since ..." units, date strings or step numbers) and its
// series names from the other dimension; turnpoint's own series.h5 read as it is.
#pragma once
#include <string>

#include "host/io/panel_builder.hpp"
#include "host/io/panel_import.hpp"

namespace turnpoint {

struct H5Info {
  std::string units;  // the values dataset's `units` attribute, if any
};

H5Info read_hdf5_panel(const std::string& path, const ImportOptions& options, PanelBuilder& builder);

// Whether `path` starts with the HDF5 signature (netCDF-4 files do too).
bool is_hdf5_file(const std::string& path);

// "days since 2019-01-01 00:00:00" -> (seconds per unit, epoch day); throws naming `what`.
struct CfTimeUnits {
  double seconds = 86400.0;
  std::int32_t epoch = 0;
};
CfTimeUnits parse_cf_time_units(const std::string& units, const std::string& what);

}  // namespace turnpoint
