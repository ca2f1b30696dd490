// HDF5 writing that host/io/hdf5.hpp does not cover: datasets written a slice at a time
// (streaming panels larger than memory) and deterministic output (no object timestamps,
// so the same content gives the same bytes: generator and sweep files are compared
// byte for byte). Reading goes through host/io/hdf5.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <hdf5.h>

#include "host/io/hdf5.hpp"

namespace turnpoint::h5s {

// [[noreturn]]: throws hdf5_error "<what>: <file>:<object>" with the HDF5 error stack.
[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& what);

// A file whose objects carry no modification times.
class DeterministicFile {
 public:
  explicit DeterministicFile(const std::string& path);
  const std::string& path() const { return path_; }
  hid_t root() const { return file_.get(); }
  // Creates a group (no timestamps) and returns its id, owned by this file object.
  hid_t group(const std::string& name);
  hid_t dcpl() const { return dcpl_.get(); }
  void close();  // flushes; throws on failure

 private:
  std::string path_;
  h5::Id file_, dcpl_, gcpl_;
  std::vector<h5::Id> groups_;
};

template <class T>
hid_t mem_type();  // std::int8_t, std::int32_t, std::int64_t, double

// Whole datasets at once (contiguous, so their layout is fixed by their size).
template <class T>
void write_array(const DeterministicFile& f, hid_t loc, const std::string& name, const T* data,
                 const std::vector<hsize_t>& dims);
template <class T>
void write_vector(const DeterministicFile& f, hid_t loc, const std::string& name,
                  const std::vector<T>& v) {
  write_array(f, loc, name, v.data(), {static_cast<hsize_t>(v.size())});
}
void write_strings(const DeterministicFile& f, hid_t loc, const std::string& name,
                   const std::vector<std::string>& values);
void write_attr(const DeterministicFile& f, hid_t loc, const std::string& name,
                const std::string& value);
void write_attr(const DeterministicFile& f, hid_t loc, const std::string& name,
                std::int64_t value);

// A dataset of fixed shape [rows, cols] (cols = 0: 1-D [rows]) filled slice by slice,
// chunked by `chunk_rows` rows. `allocate_now`: its space is placed in the file when it is
// created (contiguous datasets only), so that writing its rows later -- after the file was
// closed and opened again, by several processes through MPI-IO -- changes no metadata.
template <class T>
class SliceWriter {
 public:
  SliceWriter(const DeterministicFile& f, hid_t loc, const std::string& name, hsize_t rows,
              hsize_t cols, hsize_t chunk_rows, bool allocate_now = false);
  void write(hsize_t first_row, hsize_t n_rows, const T* data);

 private:
  const DeterministicFile* file_;
  std::string name_;
  hsize_t cols_;
  h5::Id dset_;
};

// The same for variable-length UTF-8 strings, 1-D.
class StringSliceWriter {
 public:
  StringSliceWriter(const DeterministicFile& f, hid_t loc, const std::string& name, hsize_t rows,
                    hsize_t chunk_rows);
  void write(hsize_t first_row, const std::vector<std::string>& values);

 private:
  const DeterministicFile* file_;
  std::string name_;
  h5::Id dset_, type_;
};

// A 1-D dataset of unknown final length, appended to.
template <class T>
class Appender {
 public:
  Appender(const DeterministicFile& f, hid_t loc, const std::string& name, hsize_t chunk);
  void append(const T* data, hsize_t n);
  void append(const std::vector<T>& v) { append(v.data(), v.size()); }
  hsize_t size() const { return size_; }
  // Elements [first, first + n) appended so far, read back (a scratch column copied out).
  void read(hsize_t first, hsize_t n, T* out) const;

 private:
  const DeterministicFile* file_;
  std::string name_;
  hsize_t size_ = 0;
  h5::Id dset_;
};

}  // namespace turnpoint::h5s
