#include "host/io/h5_stream.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "kernels/error.hpp"

namespace turnpoint::h5s {

void fail(const std::string& file, const std::string& object, const std::string& what) {
  throw hdf5_error(fmt::format("{}: {}: {}; HDF5 error stack:{}", file, object, what,
                               h5::error_stack()));
}

template <>
hid_t mem_type<std::int8_t>() { return H5T_NATIVE_INT8; }
template <>
hid_t mem_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <>
hid_t mem_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <>
hid_t mem_type<double>() { return H5T_NATIVE_DOUBLE; }

namespace {
template <class T>
hid_t file_type() {
  if constexpr (std::is_same_v<T, std::int8_t>) return H5T_STD_I8LE;
  else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_STD_I32LE;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
  else return H5T_IEEE_F64LE;
}

h5::Id utf8_string_type() {
  h5::Id t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}
}  // namespace

DeterministicFile::DeterministicFile(const std::string& path) : path_(path) {
  h5::silence_errors();
  file_ = h5::Id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!file_.valid()) fail(path, "/", "cannot create HDF5 file");
  dcpl_ = h5::Id(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  gcpl_ = h5::Id(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  if (!dcpl_.valid() || !gcpl_.valid() || H5Pset_obj_track_times(dcpl_.get(), false) < 0 ||
      H5Pset_obj_track_times(gcpl_.get(), false) < 0)
    fail(path, "/", "cannot set up creation properties");
}

hid_t DeterministicFile::group(const std::string& name) {
  hid_t g = H5Gcreate2(file_.get(), name.c_str(), H5P_DEFAULT, gcpl_.get(), H5P_DEFAULT);
  if (g < 0) fail(path_, name, "cannot create group");
  groups_.emplace_back(g, H5Gclose);
  return g;
}

void DeterministicFile::close() {
  groups_.clear();
  if (!file_.valid()) return;
  const hid_t f = file_.release();
  if (H5Fflush(f, H5F_SCOPE_LOCAL) < 0 || H5Fclose(f) < 0)
    fail(path_, "/", "cannot write the file to disk");
}

template <class T>
void write_array(const DeterministicFile& f, hid_t loc, const std::string& name, const T* data,
                 const std::vector<hsize_t>& dims) {
  h5::Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  h5::Id dset(H5Dcreate2(loc, name.c_str(), file_type<T>(), space.get(), H5P_DEFAULT, f.dcpl(),
                         H5P_DEFAULT),
              H5Dclose);
  if (!dset.valid()) fail(f.path(), name, "cannot create dataset");
  hsize_t n = 1;
  for (hsize_t d : dims) n *= d;
  if (n > 0 && H5Dwrite(dset.get(), mem_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    fail(f.path(), name, "cannot write dataset");
}

void write_strings(const DeterministicFile& f, hid_t loc, const std::string& name,
                   const std::vector<std::string>& values) {
  StringSliceWriter w(f, loc, name, values.size(), 0);
  w.write(0, values);
}

void write_attr(const DeterministicFile& f, hid_t loc, const std::string& name,
                const std::string& value) {
  h5::Id type = utf8_string_type();
  h5::Id space(H5Screate(H5S_SCALAR), H5Sclose);
  h5::Id attr(H5Acreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  const char* p = value.c_str();
  if (!attr.valid() || H5Awrite(attr.get(), type.get(), &p) < 0)
    fail(f.path(), "@" + name, "cannot write attribute");
}

void write_attr(const DeterministicFile& f, hid_t loc, const std::string& name,
                std::int64_t value) {
  h5::Id space(H5Screate(H5S_SCALAR), H5Sclose);
  h5::Id attr(H5Acreate2(loc, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  if (!attr.valid() || H5Awrite(attr.get(), H5T_NATIVE_INT64, &value) < 0)
    fail(f.path(), "@" + name, "cannot write attribute");
}

template <class T>
SliceWriter<T>::SliceWriter(const DeterministicFile& f, hid_t loc, const std::string& name,
                            hsize_t rows, hsize_t cols, hsize_t chunk_rows, bool allocate_now)
    : file_(&f), name_(name), cols_(cols) {
  const int rank = cols > 0 ? 2 : 1;
  const hsize_t dims[2] = {rows, cols};
  h5::Id space(H5Screate_simple(rank, dims, nullptr), H5Sclose);
  h5::Id dcpl(H5Pcopy(f.dcpl()), H5Pclose);
  if (rows > 0 && chunk_rows > 0) {
    const hsize_t chunk[2] = {std::min(chunk_rows, rows), std::max<hsize_t>(cols, 1)};
    if (H5Pset_chunk(dcpl.get(), rank, chunk) < 0) fail(f.path(), name, "cannot set chunking");
  }
  // Early allocation, without writing a fill value: every row is written later.
  if (allocate_now && (H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY) < 0 ||
                       H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER) < 0))
    fail(f.path(), name, "cannot ask for early allocation");
  dset_ = h5::Id(H5Dcreate2(loc, name.c_str(), file_type<T>(), space.get(), H5P_DEFAULT,
                            dcpl.get(), H5P_DEFAULT),
                 H5Dclose);
  if (!dset_.valid()) fail(f.path(), name, "cannot create dataset");
}

template <class T>
void SliceWriter<T>::write(hsize_t first_row, hsize_t n_rows, const T* data) {
  if (n_rows == 0) return;
  const int rank = cols_ > 0 ? 2 : 1;
  const hsize_t start[2] = {first_row, 0}, count[2] = {n_rows, cols_};
  h5::Id fspace(H5Dget_space(dset_.get()), H5Sclose);
  h5::Id mspace(H5Screate_simple(rank, count, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0 ||
      H5Dwrite(dset_.get(), mem_type<T>(), mspace.get(), fspace.get(), H5P_DEFAULT, data) < 0)
    fail(file_->path(), name_, fmt::format("cannot write rows {}..{}", first_row, first_row + n_rows));
}

StringSliceWriter::StringSliceWriter(const DeterministicFile& f, hid_t loc,
                                     const std::string& name, hsize_t rows, hsize_t chunk_rows)
    : file_(&f), name_(name), type_(utf8_string_type()) {
  h5::Id space(H5Screate_simple(1, &rows, nullptr), H5Sclose);
  h5::Id dcpl(H5Pcopy(f.dcpl()), H5Pclose);
  if (rows > 0 && chunk_rows > 0) {
    const hsize_t chunk = std::min(chunk_rows, rows);
    if (H5Pset_chunk(dcpl.get(), 1, &chunk) < 0) fail(f.path(), name, "cannot set chunking");
  }
  dset_ = h5::Id(H5Dcreate2(loc, name.c_str(), type_.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose);
  if (!dset_.valid()) fail(f.path(), name, "cannot create dataset");
}

void StringSliceWriter::write(hsize_t first_row, const std::vector<std::string>& values) {
  const hsize_t n = values.size();
  if (n == 0) return;
  std::vector<const char*> ptrs(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) ptrs[i] = values[i].c_str();
  h5::Id fspace(H5Dget_space(dset_.get()), H5Sclose);
  h5::Id mspace(H5Screate_simple(1, &n, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &first_row, nullptr, &n, nullptr) < 0 ||
      H5Dwrite(dset_.get(), type_.get(), mspace.get(), fspace.get(), H5P_DEFAULT, ptrs.data()) < 0)
    fail(file_->path(), name_, "cannot write strings");
}

template <class T>
Appender<T>::Appender(const DeterministicFile& f, hid_t loc, const std::string& name,
                      hsize_t chunk)
    : file_(&f), name_(name) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  h5::Id space(H5Screate_simple(1, &zero, &unlimited), H5Sclose);
  h5::Id dcpl(H5Pcopy(f.dcpl()), H5Pclose);
  if (H5Pset_chunk(dcpl.get(), 1, &chunk) < 0) fail(f.path(), name, "cannot set chunking");
  dset_ = h5::Id(H5Dcreate2(loc, name.c_str(), file_type<T>(), space.get(), H5P_DEFAULT,
                            dcpl.get(), H5P_DEFAULT),
                 H5Dclose);
  if (!dset_.valid()) fail(f.path(), name, "cannot create dataset");
}

template <class T>
void Appender<T>::append(const T* data, hsize_t n) {
  if (n == 0) return;
  const hsize_t new_size = size_ + n;
  if (H5Dset_extent(dset_.get(), &new_size) < 0) fail(file_->path(), name_, "cannot extend");
  h5::Id fspace(H5Dget_space(dset_.get()), H5Sclose);
  h5::Id mspace(H5Screate_simple(1, &n, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &size_, nullptr, &n, nullptr) < 0 ||
      H5Dwrite(dset_.get(), mem_type<T>(), mspace.get(), fspace.get(), H5P_DEFAULT, data) < 0)
    fail(file_->path(), name_, "cannot append");
  size_ = new_size;
}

template <class T>
void Appender<T>::read(hsize_t first, hsize_t n, T* out) const {
  if (n == 0) return;
  if (first + n > size_) fail(file_->path(), name_, "read past the end");
  h5::Id fspace(H5Dget_space(dset_.get()), H5Sclose);
  h5::Id mspace(H5Screate_simple(1, &n, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &first, nullptr, &n, nullptr) < 0 ||
      H5Dread(dset_.get(), mem_type<T>(), mspace.get(), fspace.get(), H5P_DEFAULT, out) < 0)
    fail(file_->path(), name_, "cannot read back");
}

#define TURNPOINT_H5S_INSTANTIATE(T)                                                        \
  template void write_array<T>(const DeterministicFile&, hid_t, const std::string&, const T*, \
                               const std::vector<hsize_t>&);                                 \
  template class SliceWriter<T>;                                                             \
  template class Appender<T>;
TURNPOINT_H5S_INSTANTIATE(std::int8_t)
TURNPOINT_H5S_INSTANTIATE(std::int32_t)
TURNPOINT_H5S_INSTANTIATE(std::int64_t)
TURNPOINT_H5S_INSTANTIATE(double)

}  // namespace turnpoint::h5s
