// netCDF-4 dimensions on plain HDF5 files (the HDF5 dimension-scale API, H5DS): a 1-D
// dataset marked as the scale of a dimension and attached to the dimensions of the datasets
// that run along it. xarray (h5netcdf engine) then reads series.h5 as a Dataset with named
// dimensions, and the importer finds the axes of a netCDF-4 variable the same way.
#pragma once
#include <string>

#include "host/io/hdf5.hpp"

namespace turnpoint::h5 {

// Makes dataset `scale` of `loc` the dimension scale named `dim_name`.
void set_scale(const Location& loc, const std::string& scale, const std::string& dim_name);
// Attaches the scale to dimension `dim` of `dataset` (both datasets of `loc`).
void attach_scale(const Location& loc, const std::string& dataset, const std::string& scale,
                  unsigned dim);
// The absolute path of the first dimension scale attached to dimension `dim` of `dataset`,
// or "" when none is.
std::string attached_scale(const Location& loc, const std::string& dataset, unsigned dim);

}  // namespace turnpoint::h5
