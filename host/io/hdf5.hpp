// Thin RAII wrappers over the HDF5 C API, one per call family: files, groups, 1-D/2-D
// numeric datasets (optionally chunked + deflated), UTF-8 string arrays and scalar
// attributes. Every failing call throws turnpoint::hdf5_error whose message names the
// file and the object and carries the HDF5 error stack; HDF5's own printing to stderr is
// switched off so that the message is said once, by us.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <hdf5.h>

namespace turnpoint::h5 {

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id(Id&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& o) noexcept;
  ~Id() { reset(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  hid_t release() {
    hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }
  void reset();  // closes quietly (destructors must not throw)

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// The current HDF5 error stack of this thread, one line per entry (then clears it).
std::string error_stack();
// Turns off HDF5's automatic printing of errors for this thread.
void silence_errors();

// An open file or group, with the names used in messages.
class Location {
 public:
  hid_t id() const { return id_.get(); }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }  // "/" or "/config"
  std::string object(const std::string& name) const;  // "/config/method"

  // Throws hdf5_error "<file>: <object>: <what>" plus the HDF5 error stack.
  [[noreturn]] void fail(const std::string& name, const std::string& what) const;

  bool has(const std::string& name) const;       // a link of that name exists here
  bool has_attr(const std::string& name) const;  // an attribute of that name exists here
  Location create_group(const std::string& name) const;
  Location open_group(const std::string& name) const;
  // A dataset (or group) of this location opened for its attributes: the attribute
  // functions below then read and write that object's attributes.
  Location open_object(const std::string& name) const;

 protected:
  Location(Id id, std::string file, std::string path)
      : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}
  Id id_;
  std::string file_;
  std::string path_;
};

class File : public Location {
 public:
  // Creates (truncates) a file for writing.
  static File create(const std::string& path);
  // Opens an existing file read-only; a missing file or one without an HDF5 signature is
  // invalid_input, a damaged (e.g. truncated) one hdf5_error, both naming the file.
  static File open(const std::string& path);
  // Flushes and closes, reporting failures (the destructor would swallow them).
  void close();

 private:
  using Location::Location;
};

// A numeric dataset read back: data in row-major order and its shape.
template <class T>
struct Array {
  std::vector<T> data;
  std::vector<hsize_t> dims;
};

struct WriteOptions {
  hsize_t chunk_rows = 0;  // > 0: chunk a 2-D dataset as (chunk_rows, columns)
  int deflate = 0;         // > 0: shuffle + deflate at this level (needs chunking)
};

// T is one of std::int8_t, std::int32_t, std::int64_t, double.
template <class T>
void write(const Location& loc, const std::string& name, const T* data,
           const std::vector<hsize_t>& dims, const WriteOptions& options = {});
template <class T>
void write(const Location& loc, const std::string& name, const std::vector<T>& data) {
  write(loc, name, data.data(), {static_cast<hsize_t>(data.size())});
}
// A 1-D dataset of `size` elements created exactly as write() creates it (contiguous, so the
// file's bytes do not depend on how it was filled) and filled a block at a time: a column too
// large to hold is written from a stream (host/cluster/detections_stream.hpp).
template <class T>
class BlockWriter {
 public:
  BlockWriter(const Location& loc, const std::string& name, hsize_t size);
  // Elements [first, first + count) of the dataset.
  void write(hsize_t first, const T* data, hsize_t count);

 private:
  const Location* loc_;
  std::string name_;
  Id dset_;
};
// Any integer (T integral) or float (T = double) dataset; integers wider than T are
// range-checked rather than clipped.
template <class T>
Array<T> read(const Location& loc, const std::string& name);
// A 1-D dataset (throws naming the object when it has another rank).
template <class T>
std::vector<T> read_vector(const Location& loc, const std::string& name);
// Elements [first, first + count) of a 1-D dataset (a hyperslab: only those are read), as
// read_vector converts them; the streaming readers use it to hold a block of a column.
template <class T>
std::vector<T> read_vector_rows(const Location& loc, const std::string& name, hsize_t first, hsize_t count);
// Any integer or float dataset converted to double (files of other tools).
Array<double> read_numeric(const Location& loc, const std::string& name);

// What a dataset holds, without reading it: its shape and HDF5 type class.
struct DatasetInfo {
  std::vector<hsize_t> dims;
  H5T_class_t type_class = H5T_NO_CLASS;
  bool numeric() const { return type_class == H5T_INTEGER || type_class == H5T_FLOAT; }
};
DatasetInfo dataset_info(const Location& loc, const std::string& name);
// Every dataset of the file, as absolute paths ("/values", "/df/block0_values"), in name order.
std::vector<std::string> list_datasets(const Location& file);

// The shape of a dataset, without reading it.
std::vector<hsize_t> dims(const Location& loc, const std::string& name);
// Rows [first, first + count) of a 2-D float dataset (a hyperslab: only those rows are read),
// row-major; the streaming readers use it to hold a chunk of a panel, not the panel.
std::vector<double> read_rows(const Location& loc, const std::string& name, hsize_t first,
                              hsize_t count);

// Variable-length UTF-8 strings, 1-D. Reading also accepts fixed-length strings.
void write_strings(const Location& loc, const std::string& name,
                   const std::vector<std::string>& values);
std::vector<std::string> read_strings(const Location& loc, const std::string& name);

// Scalar attributes on a file or group.
void write_attr_string(const Location& loc, const std::string& name, const std::string& value);
void write_attr_int(const Location& loc, const std::string& name, std::int64_t value);
void write_attr_double(const Location& loc, const std::string& name, double value);
std::string read_attr_string(const Location& loc, const std::string& name);
std::int64_t read_attr_int(const Location& loc, const std::string& name);
double read_attr_double(const Location& loc, const std::string& name);
// A 1-D int8 attribute (CF flag_values of a code column).
void write_attr_int8s(const Location& loc, const std::string& name,
                      const std::vector<std::int8_t>& values);
// A scalar or 1-element numeric attribute as double (netCDF _FillValue, scale_factor, ...);
// nullopt when absent or not numeric.
bool read_attr_number(const Location& loc, const std::string& name, double& out);

}  // namespace turnpoint::h5
