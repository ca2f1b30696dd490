#include "host/io/hdf5.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <type_traits>

#include <fmt/format.h>

#include "kernels/error.hpp"

namespace turnpoint::h5 {

// ---- identifiers and errors ---------------------------------------------------------------

Id& Id::operator=(Id&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    closer_ = o.closer_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Id::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void silence_errors() {
  // Per thread in thread-safe builds, so every entry point calls it (it is cheap).
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

namespace {

// Creation properties without modification times: HDF5 stamps every new object with the
// time of day unless told not to, and then two runs of the same analysis differ in bytes.
Id untimed_properties(hid_t cls) {
  Id p(H5Pcreate(cls), H5Pclose);
  if (p.valid() && H5Pset_obj_track_times(p.get(), false) < 0) p.reset();
  return p;
}

herr_t collect_error(unsigned n, const H5E_error2_t* e, void* out) {
  auto& text = *static_cast<std::string*>(out);
  char minor[256] = "";
  H5Eget_msg(e->min_num, nullptr, minor, sizeof minor);
  text += fmt::format("\n  #{:03d}: {} line {} in {}(): {}{}{}", n, e->file_name ? e->file_name : "?",
                      e->line, e->func_name ? e->func_name : "?", e->desc ? e->desc : "",
                      minor[0] ? " -- " : "", minor);
  return 0;
}

}  // namespace

std::string error_stack() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &text);
  H5Eclear2(H5E_DEFAULT);
  return text.empty() ? std::string("\n  (HDF5 reported no error stack)") : text;
}

// ---- locations ------------------------------------------------------------------------------

std::string Location::object(const std::string& name) const {
  if (name.empty()) return path_;
  return path_ == "/" ? "/" + name : path_ + "/" + name;
}

void Location::fail(const std::string& name, const std::string& what) const {
  throw hdf5_error(fmt::format("{}: {}: {}; HDF5 error stack:{}", file_, object(name), what,
                               error_stack()));
}

bool Location::has(const std::string& name) const {
  silence_errors();
  const htri_t r = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (r < 0) fail(name, "cannot check whether the object exists");
  return r > 0;
}

bool Location::has_attr(const std::string& name) const {
  silence_errors();
  const htri_t r = H5Aexists(id(), name.c_str());
  if (r < 0) fail(name, "cannot check whether the attribute exists");
  return r > 0;
}

Location Location::create_group(const std::string& name) const {
  silence_errors();
  const Id gcpl = untimed_properties(H5P_GROUP_CREATE);
  if (!gcpl.valid()) fail(name, "cannot create group properties");
  hid_t g = H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT);
  if (g < 0) fail(name, "cannot create group");
  return Location(Id(g, H5Gclose), file_, object(name));
}

Location Location::open_group(const std::string& name) const {
  silence_errors();
  if (!has(name)) throw invalid_input(fmt::format("{}: group {} is missing", file_, object(name)));
  hid_t g = H5Gopen2(id(), name.c_str(), H5P_DEFAULT);
  if (g < 0) fail(name, "cannot open group");
  return Location(Id(g, H5Gclose), file_, object(name));
}

Location Location::open_object(const std::string& name) const {
  silence_errors();
  if (!has(name)) throw invalid_input(fmt::format("{}: {} is missing", file_, object(name)));
  hid_t o = H5Oopen(id(), name.c_str(), H5P_DEFAULT);
  if (o < 0) fail(name, "cannot open object");
  return Location(Id(o, H5Oclose), file_, object(name));
}

File File::create(const std::string& path) {
  silence_errors();
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0)
    throw hdf5_error(fmt::format("{}: cannot create HDF5 file; HDF5 error stack:{}", path,
                                 error_stack()));
  return File(Id(f, H5Fclose), path, "/");
}

File File::open(const std::string& path) {
  silence_errors();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw invalid_input(fmt::format("{}: no such file", path));
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 == 0)
    throw invalid_input(fmt::format("{}: not an HDF5 file (no HDF5 signature found)", path));
  hid_t f = is_hdf5 > 0 ? H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
  if (f < 0)
    throw hdf5_error(fmt::format("{}: cannot open HDF5 file (damaged or truncated?); HDF5 error "
                                 "stack:{}",
                                 path, error_stack()));
  return File(Id(f, H5Fclose), path, "/");
}

void File::close() {
  if (!id_.valid()) return;
  silence_errors();
  const hid_t f = id_.release();
  if (H5Fflush(f, H5F_SCOPE_LOCAL) < 0 || H5Fclose(f) < 0)
    throw hdf5_error(fmt::format("{}: cannot write the file to disk; HDF5 error stack:{}", file_,
                                 error_stack()));
}

// ---- numeric datasets -------------------------------------------------------------------------

namespace {

template <class T>
struct Type;
template <>
struct Type<std::int8_t> {
  static hid_t file() { return H5T_STD_I8LE; }
  static hid_t mem() { return H5T_NATIVE_INT8; }
};
template <>
struct Type<std::int32_t> {
  static hid_t file() { return H5T_STD_I32LE; }
  static hid_t mem() { return H5T_NATIVE_INT32; }
};
template <>
struct Type<std::int64_t> {
  static hid_t file() { return H5T_STD_I64LE; }
  static hid_t mem() { return H5T_NATIVE_INT64; }
};
template <>
struct Type<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
};

// The product of the dims; the largest hsize_t when it overflows (a corrupt file's dims),
// which fits_in_memory then refuses.
hsize_t element_count(const std::vector<hsize_t>& dims) {
  hsize_t n = 1;
  for (hsize_t d : dims) {
    if (d != 0 && n > std::numeric_limits<hsize_t>::max() / d) return std::numeric_limits<hsize_t>::max();
    n *= d;
  }
  return n;
}

// Before allocating for what a file declares: `n` elements of `bytes` each must fit in this
// machine's memory. A corrupt file (or a fuzzer's) can declare 10^11 strings; allocating
// them would abort or be killed instead of refusing the file by name.
void check_fits_in_memory(const Location& loc, const std::string& name, hsize_t n, std::size_t bytes) {
  static const double memory = [] {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
  }();
  const double need = static_cast<double>(n) * static_cast<double>(bytes);
  if (memory > 0.0 && need > memory)
    throw invalid_input(fmt::format("{}: {} declares {} elements ({:.3g} GB in memory), more than this "
                                    "machine's {:.3g} GB: a corrupt file, or data to read in chunks",
                                    loc.file(), loc.object(name), n, need / 1e9, memory / 1e9));
}

Id open_dataset(const Location& loc, const std::string& name) {
  silence_errors();
  if (!loc.has(name))
    throw invalid_input(fmt::format("{}: dataset {} is missing", loc.file(), loc.object(name)));
  hid_t d = H5Dopen2(loc.id(), name.c_str(), H5P_DEFAULT);
  if (d < 0) loc.fail(name, "cannot open dataset");
  return Id(d, H5Dclose);
}

std::vector<hsize_t> dataset_dims(const Location& loc, const std::string& name, hid_t dset) {
  Id space(H5Dget_space(dset), H5Sclose);
  if (!space.valid()) loc.fail(name, "cannot get the dataspace");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) loc.fail(name, "cannot get the rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    loc.fail(name, "cannot get the shape");
  return dims;
}

const char* class_name(H5T_class_t c) {
  switch (c) {
    case H5T_INTEGER: return "integer";
    case H5T_FLOAT: return "float";
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    case H5T_ENUM: return "enum";
    default: return "other";
  }
}

}  // namespace

template <class T>
void write(const Location& loc, const std::string& name, const T* data,
           const std::vector<hsize_t>& dims, const WriteOptions& options) {
  silence_errors();
  Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  if (!space.valid()) loc.fail(name, "cannot create the dataspace");
  Id dcpl = untimed_properties(H5P_DATASET_CREATE);
  if (!dcpl.valid()) loc.fail(name, "cannot create dataset properties");
  const hsize_t n = element_count(dims);
  if (options.chunk_rows > 0 && dims.size() == 2 && n > 0) {
    const hsize_t chunk[2] = {std::min(options.chunk_rows, dims[0]), dims[1]};
    if (H5Pset_chunk(dcpl.get(), 2, chunk) < 0) loc.fail(name, "cannot set chunking");
    if (options.deflate > 0 &&
        (H5Pset_shuffle(dcpl.get()) < 0 ||
         H5Pset_deflate(dcpl.get(), static_cast<unsigned>(options.deflate)) < 0))
      loc.fail(name, "cannot set the deflate filter");
  }
  Id dset(H5Dcreate2(loc.id(), name.c_str(), Type<T>::file(), space.get(), H5P_DEFAULT,
                     dcpl.get(), H5P_DEFAULT),
          H5Dclose);
  if (!dset.valid()) loc.fail(name, "cannot create dataset");
  // Zero-size writes are skipped: some HDF5 versions reject a null buffer even then.
  if (n > 0 && H5Dwrite(dset.get(), Type<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    loc.fail(name, "cannot write dataset");
}

namespace {

// The type class T needs, refused naming the dataset when the file holds another.
void expect_class(const Location& loc, const std::string& name, hid_t type, H5T_class_t want) {
  const H5T_class_t cls = H5Tget_class(type);
  if (cls != want)
    throw invalid_input(fmt::format("{}: dataset {} holds {} values, expected {}", loc.file(),
                                    loc.object(name), class_name(cls), class_name(want)));
}

// Reads the n elements of `dset` that file_space selects (H5S_ALL: all) into out as T.
// Integers wider than T are read wide and range-checked; `first` numbers the elements in
// the messages (the selection's first element).
template <class T>
void read_elements(const Location& loc, const std::string& name, hid_t dset, hid_t type, hid_t mem_space,
                   hid_t file_space, hsize_t n, hsize_t first, T* out) {
  if (n == 0) return;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, std::int64_t>) {
    if (H5Tget_size(type) > sizeof(T)) {
      // A wider integer in the file (h5py writes int64 by default): read wide, then check.
      check_fits_in_memory(loc, name, n, sizeof(std::int64_t) + sizeof(T));
      std::vector<std::int64_t> wide(static_cast<std::size_t>(n));
      if (H5Dread(dset, H5T_NATIVE_INT64, mem_space, file_space, H5P_DEFAULT, wide.data()) < 0)
        loc.fail(name, "cannot read dataset");
      for (std::size_t i = 0; i < wide.size(); ++i) {
        if (wide[i] < std::numeric_limits<T>::min() || wide[i] > std::numeric_limits<T>::max())
          throw invalid_input(fmt::format("{}: dataset {}: element {} = {} is out of range",
                                          loc.file(), loc.object(name), first + i, wide[i]));
        out[i] = static_cast<T>(wide[i]);
      }
      return;
    }
  }
  if (H5Dread(dset, Type<T>::mem(), mem_space, file_space, H5P_DEFAULT, out) < 0)
    loc.fail(name, "cannot read dataset");
}

}  // namespace

template <class T>
Array<T> read(const Location& loc, const std::string& name) {
  Id dset = open_dataset(loc, name);
  Array<T> out;
  out.dims = dataset_dims(loc, name, dset.get());
  Id type(H5Dget_type(dset.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the data type");
  expect_class(loc, name, type.get(), std::is_integral_v<T> ? H5T_INTEGER : H5T_FLOAT);
  const hsize_t n = element_count(out.dims);
  check_fits_in_memory(loc, name, n, sizeof(T));
  out.data.resize(static_cast<std::size_t>(n));
  read_elements(loc, name, dset.get(), type.get(), H5S_ALL, H5S_ALL, n, 0, out.data.data());
  return out;
}

template <class T>
std::vector<T> read_vector_rows(const Location& loc, const std::string& name, hsize_t first, hsize_t count) {
  Id dset = open_dataset(loc, name);
  const std::vector<hsize_t> shape = dataset_dims(loc, name, dset.get());
  if (shape.size() != 1)
    throw invalid_input(fmt::format("{}: dataset {} has rank {}, expected 1", loc.file(), loc.object(name),
                                    shape.size()));
  if (first > shape[0] || count > shape[0] - first)
    throw invalid_input(fmt::format("{}: dataset {}: elements [{}, {}) are outside its {}", loc.file(),
                                    loc.object(name), first, first + count, shape[0]));
  Id type(H5Dget_type(dset.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the data type");
  expect_class(loc, name, type.get(), std::is_integral_v<T> ? H5T_INTEGER : H5T_FLOAT);
  check_fits_in_memory(loc, name, count, sizeof(T));
  std::vector<T> out(static_cast<std::size_t>(count));
  if (count == 0) return out;
  Id file_space(H5Dget_space(dset.get()), H5Sclose);
  if (!file_space.valid()) loc.fail(name, "cannot get the dataspace");
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr) < 0)
    loc.fail(name, "cannot select elements");
  Id mem_space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  if (!mem_space.valid()) loc.fail(name, "cannot create the memory dataspace");
  read_elements(loc, name, dset.get(), type.get(), mem_space.get(), file_space.get(), count, first, out.data());
  return out;
}

std::vector<hsize_t> dims(const Location& loc, const std::string& name) {
  Id dset = open_dataset(loc, name);
  return dataset_dims(loc, name, dset.get());
}

std::vector<double> read_rows(const Location& loc, const std::string& name, hsize_t first,
                              hsize_t count) {
  Id dset = open_dataset(loc, name);
  const std::vector<hsize_t> shape = dataset_dims(loc, name, dset.get());
  if (shape.size() != 2)
    throw invalid_input(fmt::format("{}: dataset {} has rank {}, expected 2", loc.file(),
                                    loc.object(name), shape.size()));
  if (first + count > shape[0])
    throw invalid_input(fmt::format("{}: dataset {}: rows [{}, {}) are outside its {} rows",
                                    loc.file(), loc.object(name), first, first + count, shape[0]));
  Id type(H5Dget_type(dset.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the data type");
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT)
    throw invalid_input(fmt::format("{}: dataset {} holds {} values, expected {}", loc.file(),
                                    loc.object(name), class_name(cls), class_name(H5T_FLOAT)));
  check_fits_in_memory(loc, name, element_count({count, shape[1]}), sizeof(double));
  std::vector<double> out(static_cast<std::size_t>(count * shape[1]));
  if (out.empty()) return out;
  Id file_space(H5Dget_space(dset.get()), H5Sclose);
  if (!file_space.valid()) loc.fail(name, "cannot get the dataspace");
  const hsize_t start[2] = {first, 0}, block[2] = {count, shape[1]};
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, block, nullptr) < 0)
    loc.fail(name, "cannot select rows");
  Id mem_space(H5Screate_simple(2, block, nullptr), H5Sclose);
  if (!mem_space.valid()) loc.fail(name, "cannot create the memory dataspace");
  if (H5Dread(dset.get(), H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT,
              out.data()) < 0)
    loc.fail(name, "cannot read rows");
  return out;
}

template <class T>
std::vector<T> read_vector(const Location& loc, const std::string& name) {
  Array<T> a = read<T>(loc, name);
  if (a.dims.size() != 1)
    throw invalid_input(fmt::format("{}: dataset {} has rank {}, expected 1", loc.file(),
                                    loc.object(name), a.dims.size()));
  return std::move(a.data);
}

Array<double> read_numeric(const Location& loc, const std::string& name) {
  Id dset = open_dataset(loc, name);
  Array<double> out;
  out.dims = dataset_dims(loc, name, dset.get());
  Id type(H5Dget_type(dset.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the data type");
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw invalid_input(fmt::format("{}: dataset {} holds {} values, expected numbers", loc.file(),
                                    loc.object(name), class_name(cls)));
  check_fits_in_memory(loc, name, element_count(out.dims), sizeof(double));
  out.data.resize(static_cast<std::size_t>(element_count(out.dims)));
  if (!out.data.empty() &&
      H5Dread(dset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data.data()) < 0)
    loc.fail(name, "cannot read dataset");
  return out;
}

DatasetInfo dataset_info(const Location& loc, const std::string& name) {
  Id dset = open_dataset(loc, name);
  DatasetInfo info;
  info.dims = dataset_dims(loc, name, dset.get());
  Id type(H5Dget_type(dset.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the data type");
  info.type_class = H5Tget_class(type.get());
  return info;
}

namespace {

#if H5_VERSION_GE(1, 12, 0)
using ObjectInfo = H5O_info2_t;
#else
using ObjectInfo = H5O_info_t;
#endif

herr_t collect_dataset(hid_t, const char* name, const ObjectInfo* info, void* out) {
  if (info->type == H5O_TYPE_DATASET && name[0] != '.')
    static_cast<std::vector<std::string>*>(out)->push_back(std::string("/") + name);
  return 0;
}

}  // namespace

std::vector<std::string> list_datasets(const Location& file) {
  silence_errors();
  std::vector<std::string> out;
#if H5_VERSION_GE(1, 12, 0)
  if (H5Ovisit3(file.id(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &out, H5O_INFO_BASIC) < 0)
#else
  if (H5Ovisit2(file.id(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &out, H5O_INFO_BASIC) < 0)
#endif
    file.fail("", "cannot list the datasets");
  return out;
}

template <class T>
BlockWriter<T>::BlockWriter(const Location& loc, const std::string& name, hsize_t size)
    : loc_(&loc), name_(name) {
  silence_errors();
  Id space(H5Screate_simple(1, &size, nullptr), H5Sclose);
  if (!space.valid()) loc.fail(name, "cannot create the dataspace");
  Id dcpl = untimed_properties(H5P_DATASET_CREATE);
  if (!dcpl.valid()) loc.fail(name, "cannot create dataset properties");
  dset_ = Id(H5Dcreate2(loc.id(), name.c_str(), Type<T>::file(), space.get(), H5P_DEFAULT,
                        dcpl.get(), H5P_DEFAULT),
             H5Dclose);
  if (!dset_.valid()) loc.fail(name, "cannot create dataset");
}

template <class T>
void BlockWriter<T>::write(hsize_t first, const T* data, hsize_t count) {
  if (count == 0) return;
  Id fspace(H5Dget_space(dset_.get()), H5Sclose);
  Id mspace(H5Screate_simple(1, &count, nullptr), H5Sclose);
  if (!fspace.valid() || !mspace.valid() ||
      H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr) < 0 ||
      H5Dwrite(dset_.get(), Type<T>::mem(), mspace.get(), fspace.get(), H5P_DEFAULT, data) < 0)
    loc_->fail(name_, "cannot write dataset");
}

#define TURNPOINT_H5_INSTANTIATE(T)                                                        \
  template void write<T>(const Location&, const std::string&, const T*,                   \
                         const std::vector<hsize_t>&, const WriteOptions&);               \
  template Array<T> read<T>(const Location&, const std::string&);                         \
  template std::vector<T> read_vector<T>(const Location&, const std::string&);            \
  template std::vector<T> read_vector_rows<T>(const Location&, const std::string&, hsize_t, hsize_t); \
  template class BlockWriter<T>;
TURNPOINT_H5_INSTANTIATE(std::int8_t)
TURNPOINT_H5_INSTANTIATE(std::int32_t)
TURNPOINT_H5_INSTANTIATE(std::int64_t)
TURNPOINT_H5_INSTANTIATE(double)
#undef TURNPOINT_H5_INSTANTIATE

// ---- strings ----------------------------------------------------------------------------------

namespace {

Id utf8_vlen_type(const Location& loc, const std::string& name) {
  Id t(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!t.valid() || H5Tset_size(t.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(t.get(), H5T_CSET_UTF8) < 0)
    loc.fail(name, "cannot make the UTF-8 string type");
  return t;
}

// Reads `count` strings from a dataset or attribute whose file type is `ftype`.
// read_fn(mem_type, buffer) performs the H5Dread / H5Aread.
template <class ReadFn>
std::vector<std::string> read_string_values(const Location& loc, const std::string& name,
                                            hid_t ftype, hid_t space, std::size_t count,
                                            ReadFn read_fn) {
  if (H5Tget_class(ftype) != H5T_STRING)
    throw invalid_input(fmt::format("{}: {} holds {} values, expected strings", loc.file(),
                                    loc.object(name), class_name(H5Tget_class(ftype))));
  const htri_t is_vlen = H5Tis_variable_str(ftype);
  check_fits_in_memory(loc, name, count, sizeof(std::string) + (is_vlen > 0 ? sizeof(char*) : H5Tget_size(ftype)));
  std::vector<std::string> out(count);
  if (count == 0) return out;
  const htri_t vlen = H5Tis_variable_str(ftype);
  if (vlen < 0) loc.fail(name, "cannot inspect the string type");
  if (vlen > 0) {
    Id mtype(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!mtype.valid() || H5Tset_size(mtype.get(), H5T_VARIABLE) < 0 ||
        H5Tset_cset(mtype.get(), H5Tget_cset(ftype)) < 0)
      loc.fail(name, "cannot make the string memory type");
    std::vector<char*> ptrs(count, nullptr);
    if (read_fn(mtype.get(), static_cast<void*>(ptrs.data())) < 0) loc.fail(name, "cannot read strings");
    for (std::size_t i = 0; i < count; ++i)
      if (ptrs[i]) out[i] = ptrs[i];
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(mtype.get(), space, H5P_DEFAULT, ptrs.data());
#else
    H5Dvlen_reclaim(mtype.get(), space, H5P_DEFAULT, ptrs.data());
#endif
  } else {
    const std::size_t size = H5Tget_size(ftype);
    Id mtype(H5Tcopy(ftype), H5Tclose);
    if (!mtype.valid()) loc.fail(name, "cannot copy the string type");
    std::vector<char> buf(size * count);
    if (read_fn(mtype.get(), static_cast<void*>(buf.data())) < 0) loc.fail(name, "cannot read strings");
    const bool space_padded = H5Tget_strpad(ftype) == H5T_STR_SPACEPAD;
    for (std::size_t i = 0; i < count; ++i) {
      const char* s = buf.data() + i * size;
      std::size_t len = strnlen(s, size);
      if (space_padded)
        while (len > 0 && s[len - 1] == ' ') --len;
      out[i].assign(s, len);
    }
  }
  return out;
}

}  // namespace

void write_strings(const Location& loc, const std::string& name,
                   const std::vector<std::string>& values) {
  silence_errors();
  Id type = utf8_vlen_type(loc, name);
  const hsize_t n = values.size();
  Id space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  if (!space.valid()) loc.fail(name, "cannot create the dataspace");
  const Id dcpl = untimed_properties(H5P_DATASET_CREATE);
  if (!dcpl.valid()) loc.fail(name, "cannot create dataset properties");
  Id dset(H5Dcreate2(loc.id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(),
                     H5P_DEFAULT),
          H5Dclose);
  if (!dset.valid()) loc.fail(name, "cannot create dataset");
  std::vector<const char*> ptrs(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) ptrs[i] = values[i].c_str();
  if (n > 0 && H5Dwrite(dset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    loc.fail(name, "cannot write strings");
}

std::vector<std::string> read_strings(const Location& loc, const std::string& name) {
  Id dset = open_dataset(loc, name);
  const std::vector<hsize_t> dims = dataset_dims(loc, name, dset.get());
  if (dims.size() != 1)
    throw invalid_input(fmt::format("{}: dataset {} has rank {}, expected 1", loc.file(),
                                    loc.object(name), dims.size()));
  Id type(H5Dget_type(dset.get()), H5Tclose);
  Id space(H5Dget_space(dset.get()), H5Sclose);
  if (!type.valid() || !space.valid()) loc.fail(name, "cannot inspect dataset");
  return read_string_values(loc, name, type.get(), space.get(), static_cast<std::size_t>(dims[0]),
                            [&](hid_t mtype, void* buf) {
                              return H5Dread(dset.get(), mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
                            });
}

// ---- attributes -------------------------------------------------------------------------------

namespace {

void write_attr(const Location& loc, const std::string& name, hid_t ftype, hid_t mtype,
                const void* value) {
  silence_errors();
  if (loc.has_attr(name) && H5Adelete(loc.id(), name.c_str()) < 0)
    loc.fail(name, "cannot replace attribute");
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  if (!space.valid()) loc.fail(name, "cannot create the dataspace");
  Id attr(H5Acreate2(loc.id(), name.c_str(), ftype, space.get(), H5P_DEFAULT, H5P_DEFAULT),
          H5Aclose);
  if (!attr.valid()) loc.fail(name, "cannot create attribute");
  if (H5Awrite(attr.get(), mtype, value) < 0) loc.fail(name, "cannot write attribute");
}

Id open_attr(const Location& loc, const std::string& name) {
  silence_errors();
  if (!loc.has_attr(name))
    throw invalid_input(fmt::format("{}: attribute {} is missing on {}", loc.file(), name, loc.path()));
  hid_t a = H5Aopen(loc.id(), name.c_str(), H5P_DEFAULT);
  if (a < 0) loc.fail(name, "cannot open attribute");
  return Id(a, H5Aclose);
}

template <class T>
T read_numeric_attr(const Location& loc, const std::string& name, hid_t mtype, bool allow_int) {
  Id attr = open_attr(loc, name);
  Id type(H5Aget_type(attr.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the attribute type");
  const H5T_class_t cls = H5Tget_class(type.get());
  const bool ok = cls == (std::is_integral_v<T> ? H5T_INTEGER : H5T_FLOAT) ||
                  (allow_int && cls == H5T_INTEGER);
  if (!ok)
    throw invalid_input(fmt::format("{}: attribute {} on {} holds a {} value, expected a number",
                                    loc.file(), name, loc.path(), class_name(cls)));
  Id space(H5Aget_space(attr.get()), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw invalid_input(fmt::format("{}: attribute {} on {} is not a scalar", loc.file(), name,
                                    loc.path()));
  T value{};
  if (H5Aread(attr.get(), mtype, &value) < 0) loc.fail(name, "cannot read attribute");
  return value;
}

}  // namespace

void write_attr_string(const Location& loc, const std::string& name, const std::string& value) {
  Id type = utf8_vlen_type(loc, name);
  const char* p = value.c_str();
  write_attr(loc, name, type.get(), type.get(), &p);
}

void write_attr_int(const Location& loc, const std::string& name, std::int64_t value) {
  write_attr(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void write_attr_double(const Location& loc, const std::string& name, double value) {
  write_attr(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

std::string read_attr_string(const Location& loc, const std::string& name) {
  Id attr = open_attr(loc, name);
  Id type(H5Aget_type(attr.get()), H5Tclose);
  Id space(H5Aget_space(attr.get()), H5Sclose);
  if (!type.valid() || !space.valid()) loc.fail(name, "cannot inspect attribute");
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw invalid_input(fmt::format("{}: attribute {} on {} is not a scalar", loc.file(), name,
                                    loc.path()));
  return read_string_values(loc, name, type.get(), space.get(), 1,
                            [&](hid_t mtype, void* buf) { return H5Aread(attr.get(), mtype, buf); })
      .front();
}

std::int64_t read_attr_int(const Location& loc, const std::string& name) {
  return read_numeric_attr<std::int64_t>(loc, name, H5T_NATIVE_INT64, false);
}

double read_attr_double(const Location& loc, const std::string& name) {
  return read_numeric_attr<double>(loc, name, H5T_NATIVE_DOUBLE, true);
}

void write_attr_int8s(const Location& loc, const std::string& name,
                      const std::vector<std::int8_t>& values) {
  silence_errors();
  if (loc.has_attr(name) && H5Adelete(loc.id(), name.c_str()) < 0)
    loc.fail(name, "cannot replace attribute");
  const hsize_t n = values.size();
  Id space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  if (!space.valid()) loc.fail(name, "cannot create the dataspace");
  Id attr(H5Acreate2(loc.id(), name.c_str(), H5T_STD_I8LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
          H5Aclose);
  if (!attr.valid()) loc.fail(name, "cannot create attribute");
  if (n > 0 && H5Awrite(attr.get(), H5T_NATIVE_INT8, values.data()) < 0)
    loc.fail(name, "cannot write attribute");
}

bool read_attr_number(const Location& loc, const std::string& name, double& out) {
  if (!loc.has_attr(name)) return false;
  Id attr = open_attr(loc, name);
  Id type(H5Aget_type(attr.get()), H5Tclose);
  if (!type.valid()) loc.fail(name, "cannot get the attribute type");
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) return false;
  Id space(H5Aget_space(attr.get()), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) return false;
  if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &out) < 0) loc.fail(name, "cannot read attribute");
  return true;
}

}  // namespace turnpoint::h5
