#include "host/io/h5_scales.hpp"

#include <hdf5_hl.h>

#include <fmt/format.h>

#include "kernels/error.hpp"

namespace turnpoint::h5 {

namespace {

Id open(const Location& loc, const std::string& name) {
  silence_errors();
  if (!loc.has(name))
    throw invalid_input(fmt::format("{}: dataset {} is missing", loc.file(), loc.object(name)));
  hid_t d = H5Dopen2(loc.id(), name.c_str(), H5P_DEFAULT);
  if (d < 0) loc.fail(name, "cannot open dataset");
  return Id(d, H5Dclose);
}

herr_t first_scale(hid_t, unsigned, hid_t scale, void* out) {
  char buf[1024];
  const ssize_t n = H5Iget_name(scale, buf, sizeof buf);
  if (n > 0) static_cast<std::string*>(out)->assign(buf, static_cast<std::size_t>(n));
  return 1;  // stop at the first
}

}  // namespace

void set_scale(const Location& loc, const std::string& scale, const std::string& dim_name) {
  Id s = open(loc, scale);
  if (H5DSset_scale(s.get(), dim_name.c_str()) < 0) loc.fail(scale, "cannot make a dimension scale");
}

void attach_scale(const Location& loc, const std::string& dataset, const std::string& scale,
                  unsigned dim) {
  Id d = open(loc, dataset);
  Id s = open(loc, scale);
  if (H5DSattach_scale(d.get(), s.get(), dim) < 0)
    loc.fail(dataset, fmt::format("cannot attach dimension scale {} to dimension {}", scale, dim));
}

std::string attached_scale(const Location& loc, const std::string& dataset, unsigned dim) {
  Id d = open(loc, dataset);
  silence_errors();
  const int n = H5DSget_num_scales(d.get(), dim);
  if (n <= 0) {
    error_stack();  // clears what a dataset without DIMENSION_LIST left behind
    return "";
  }
  std::string out;
  int idx = 0;
  if (H5DSiterate_scales(d.get(), dim, &idx, first_scale, &out) < 0) {
    error_stack();
    return "";
  }
  return out;
}

}  // namespace turnpoint::h5
