#include "host/cluster/mpi_write.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include <hdf5.h>

#include "host/cluster/detections_append.hpp"
#include "host/io/detection_columns.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/hdf5.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

// Rows per collective write of a column: memory holds one piece of one column, whatever
// the rank's result (a piece of 2^20 doubles is 8 MB). TURNPOINT_MPI_PIECE_ROWS sets it
// (the tests use a few rows, so that ranks write different numbers of pieces).
std::int64_t piece_rows() {
  static const std::int64_t rows = [] {
    const char* v = std::getenv("TURNPOINT_MPI_PIECE_ROWS");
    const long long n = v ? std::atoll(v) : 0;
    return n >= 1 ? static_cast<std::int64_t>(n) : std::int64_t{1} << 20;
  }();
  return rows;
}

template <class T> hid_t native();
template <> hid_t native<std::int8_t>() { return H5T_NATIVE_INT8; }
template <> hid_t native<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native<double>() { return H5T_NATIVE_DOUBLE; }

[[noreturn]] void fail(const std::string& path, const std::string& object, const std::string& what) {
  throw hdf5_error(fmt::format("{}: {}: {} (parallel write){}", path, object, what, h5::error_stack()));
}

// The file opened by every rank through MPI-IO, and a collective transfer list.
class ParallelFile {
 public:
  explicit ParallelFile(std::string path) : path_(std::move(path)) {
    h5::silence_errors();
    h5::Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.valid() || H5Pset_fapl_mpio(fapl.get(), MPI_COMM_WORLD, MPI_INFO_NULL) < 0)
      fail(path_, "/", "cannot set the MPI-IO driver");
    file_ = h5::Id(H5Fopen(path_.c_str(), H5F_ACC_RDWR, fapl.get()), H5Fclose);
    if (!file_.valid()) fail(path_, "/", "cannot open the file for the ranks' rows");
    dxpl_ = h5::Id(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
    if (!dxpl_.valid() || H5Pset_dxpl_mpio(dxpl_.get(), H5FD_MPIO_COLLECTIVE) < 0)
      fail(path_, "/", "cannot ask for collective transfers");
  }

  // Rows [first, first + mine) of the 1-D dataset `name` (of `total` rows), collectively, in
  // `rounds` pieces of at most piece_rows() rows: every rank calls this for every dataset with
  // the same `rounds` (from the largest rank), selecting none in a round where it has no
  // rows left. `piece(at, n, out)` gives this rank's rows [at, at + n).
  template <class T, class Piece>
  void write(const std::string& name, std::int64_t total, std::int64_t first, std::int64_t mine,
             std::int64_t rounds, std::int64_t piece_rows, Piece&& piece) const {
    if (total == 0) return;  // nothing to write (every rank knows the same totals)
    h5::Id d(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid()) fail(path_, name, "cannot open the dataset");
    h5::Id file_space(H5Dget_space(d.get()), H5Sclose);
    hssize_t n = file_space.valid() ? H5Sget_simple_extent_npoints(file_space.get()) : -1;
    if (n != total)
      fail(path_, name, fmt::format("the layout holds {} rows, the ranks {}", n, total));
    std::vector<T> rows;
    for (std::int64_t k = 0; k < rounds; ++k) {
      const std::int64_t at = k * piece_rows;
      const std::int64_t count = std::max<std::int64_t>(0, std::min(piece_rows, mine - at));
      rows.resize(static_cast<std::size_t>(count));
      if (count > 0) piece(at, count, rows.data());
      const hsize_t c = static_cast<hsize_t>(count), start = static_cast<hsize_t>(first + at);
      h5::Id mem_space(H5Screate_simple(1, &c, nullptr), H5Sclose);
      herr_t rc = 0;
      if (count == 0)
        rc = H5Sselect_none(file_space.get()) < 0 || H5Sselect_none(mem_space.get()) < 0 ? -1 : 0;
      else
        rc = H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &c, nullptr);
      if (rc < 0) fail(path_, name, "cannot select this rank's rows");
      const T none{};
      if (H5Dwrite(d.get(), native<T>(), mem_space.get(), file_space.get(), dxpl_.get(),
                   rows.empty() ? &none : rows.data()) < 0)
        fail(path_, name, fmt::format("cannot write rows {}..{}", first + at, first + at + count));
    }
  }

  void close() {
    if (H5Fclose(file_.release()) < 0) fail(path_, "/", "cannot close the file");
  }

 private:
  std::string path_;
  h5::Id file_, dxpl_;
};

// The spec of column /group/name (detection_columns()).
const ColumnSpec& spec(const char* group, const char* name) {
  for (const ColumnSpec& c : detection_columns())
    if (std::strcmp(c.group, group) == 0 && std::strcmp(c.name, name) == 0) return c;
  TURNPOINT_FAIL("detections: no column /{}/{}", group, name);
}

// The row counts of one group's column: series rows, points, path or CROPS rows, or their
// changes (the ragged "changes" columns).
std::int64_t RowCounts::*rows_of(const ColumnSpec& c) {
  const std::string g = c.group, n = c.name;
  if (g == "series") return &RowCounts::series;
  if (g == "detections") return &RowCounts::points;
  if (g == "path") return n == "changes" ? &RowCounts::path_changes : &RowCounts::path;
  return n == "changes" ? &RowCounts::crops_changes : &RowCounts::crops;
}

}  // namespace

RowCounts row_counts(const DetectionColumns& cols) {
  RowCounts c;
  const auto size = [&](const char* g, const char* n) { return static_cast<std::int64_t>(cols.size(spec(g, n))); };
  c.series = size("series", "status");
  c.points = size("detections", "series");
  c.path = size("path", "series");
  c.path_changes = size("path", "changes");
  c.crops = size("crops", "series");
  c.crops_changes = size("crops", "changes");
  return c;
}

RowLayout row_layout(const MpiSession& mpi, const RowCounts& mine) {
  const std::vector<std::int64_t> all = mpi.allgather(
      {mine.series, mine.points, mine.path, mine.path_changes, mine.crops, mine.crops_changes, piece_rows()});
  RowLayout l;
  auto add = [](RowCounts& into, const std::int64_t* v) {
    into.series += v[0];
    into.points += v[1];
    into.path += v[2];
    into.path_changes += v[3];
    into.crops += v[4];
    into.crops_changes += v[5];
  };
  l.piece_rows = all[6];  // rank 0's: every rank makes the same number of collective writes
  for (int r = 0; r < mpi.size(); ++r) {
    const std::int64_t* v = all.data() + 7 * r;
    if (r < mpi.rank()) add(l.offset, v);
    add(l.total, v);
    RowCounts& m = l.largest;
    m.series = std::max(m.series, v[0]);
    m.points = std::max(m.points, v[1]);
    m.path = std::max(m.path, v[2]);
    m.path_changes = std::max(m.path_changes, v[3]);
    m.crops = std::max(m.crops, v[4]);
    m.crops_changes = std::max(m.crops_changes, v[5]);
  }
  return l;
}

namespace {

// The layout's rows before the ranks write them: zeros, at the totals' sizes, read a block
// at a time by write_detections -- rank 0 never holds the job's result. A ragged group's
// offsets have one entry more than its rows (entry 0 stays 0: the ranks write 1..).
class ZeroColumns : public DetectionColumns {
 public:
  explicit ZeroColumns(const RowCounts& total) : total_(total) {}
  std::size_t size(const ColumnSpec& c) const override {
    const std::int64_t rows = total_.*rows_of(c);
    return static_cast<std::size_t>(std::strcmp(c.name, "offset") == 0 ? rows + 1 : rows);
  }
  void read(const ColumnSpec&, std::size_t, std::size_t n, std::int8_t* out) const override { std::fill_n(out, n, 0); }
  void read(const ColumnSpec&, std::size_t, std::size_t n, std::int32_t* out) const override { std::fill_n(out, n, 0); }
  void read(const ColumnSpec&, std::size_t, std::size_t n, std::int64_t* out) const override { std::fill_n(out, n, 0); }
  void read(const ColumnSpec&, std::size_t, std::size_t n, double* out) const override { std::fill_n(out, n, 0.0); }

 private:
  RowCounts total_;
};

}  // namespace

void write_layout(const std::string& path, const DetectionSet& header, const DetectionSet& names,
                  const RowCounts& total) {
  DetectionSet set;
  take_provenance(set, header);
  set.series_id = names.series_id;
  set.region = names.region;
  set.sector = names.sector;
  TURNPOINT_EXPECTS(static_cast<std::int64_t>(set.series_id.size()) == total.series,
                    "{}: the ranks detected {} series, the panel has {}", path, total.series,
                    set.series_id.size());
  write_detections(path, set, ZeroColumns(total));
}

void write_rows(const std::string& path, const DetectionColumns& local, const RowLayout& layout) {
  const RowCounts& at = layout.offset;
  const RowCounts& total = layout.total;
  const RowCounts mine = row_counts(local);
  ParallelFile f(path);
  // The columns in the order write_detections makes them (docs/schema.md).
  for (const ColumnSpec& c : detection_columns()) {
    const std::string name = fmt::format("/{}/{}", c.group, c.name);
    const auto rows = rows_of(c);
    const bool offset = std::strcmp(c.name, "offset") == 0;
    // A ragged group's offsets: this rank's entries after its leading 0 (its rows' ends),
    // moved to where its changes go; the file's entry 0 stays 0.
    const auto changes = rows == &RowCounts::path ? &RowCounts::path_changes : &RowCounts::crops_changes;
    const std::int64_t file_rows = offset ? (total.*rows == 0 ? 0 : total.*rows + 1) : total.*rows;
    const std::int64_t first = at.*rows + (offset ? 1 : 0);
    const std::int64_t skip = offset ? 1 : 0;
    // Series numbers of a rank's points, path and CROPS rows count from its first series.
    const std::int64_t add = offset ? at.*changes
                             : (std::strcmp(c.group, "series") != 0 && std::strcmp(c.name, "series") == 0) ? at.series
                                                                                                             : 0;
    const std::int64_t largest = layout.largest.*rows;
    const std::int64_t rounds = largest == 0 ? 0 : 1 + (largest - 1) / layout.piece_rows;
    with_column_type(c.type, [&](auto t) {
      using T = decltype(t);
      f.write<T>(name, file_rows, first, mine.*rows, rounds, layout.piece_rows, [&](std::int64_t from, std::int64_t n, T* out) {
        local.read(c, static_cast<std::size_t>(skip + from), static_cast<std::size_t>(n), out);
        if constexpr (std::is_integral_v<T>)  // only series numbers and offsets move
          if (add != 0)
            for (std::int64_t k = 0; k < n; ++k) out[k] = static_cast<T>(out[k] + add);
      });
    });
  }
  f.close();
}

h5::Id open_parallel(const std::string& path) {
  h5::silence_errors();
  h5::Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl.valid() || H5Pset_fapl_mpio(fapl.get(), MPI_COMM_WORLD, MPI_INFO_NULL) < 0)
    fail(path, "/", "cannot set the MPI-IO driver");
  h5::Id file(H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get()), H5Fclose);
  if (!file.valid()) fail(path, "/", "cannot open the file for the ranks' rows");
  return file;
}

}  // namespace turnpoint::cluster
