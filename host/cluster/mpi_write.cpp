#include "host/cluster/mpi_write.hpp"

#include <mpi.h>

#include <hdf5.h>

#include "host/cluster/detections_append.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/hdf5.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

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

  // Rows [first, first + rows.size()) of the 1-D dataset `name` (of `total` rows), written
  // collectively: every rank calls this for every dataset, with no rows if it has none.
  template <class T>
  void write(const std::string& name, std::int64_t total, std::int64_t first,
             const std::vector<T>& rows) const {
    if (total == 0) return;  // nothing to write (every rank knows the same totals)
    h5::Id d(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid()) fail(path_, name, "cannot open the dataset");
    h5::Id file_space(H5Dget_space(d.get()), H5Sclose);
    hssize_t n = file_space.valid() ? H5Sget_simple_extent_npoints(file_space.get()) : -1;
    if (n != total)
      fail(path_, name, fmt::format("the layout holds {} rows, the ranks {}", n, total));
    const hsize_t count = rows.size();
    const hsize_t start = static_cast<hsize_t>(first);
    h5::Id mem_space(H5Screate_simple(1, &count, nullptr), H5Sclose);
    herr_t rc = 0;
    if (count == 0) {
      rc = H5Sselect_none(file_space.get()) < 0 || H5Sselect_none(mem_space.get()) < 0 ? -1 : 0;
    } else {
      rc = H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr);
    }
    if (rc < 0) fail(path_, name, "cannot select this rank's rows");
    const T none{};
    if (H5Dwrite(d.get(), native<T>(), mem_space.get(), file_space.get(), dxpl_.get(),
                 rows.empty() ? &none : rows.data()) < 0)
      fail(path_, name, fmt::format("cannot write rows {}..{}", first, first + static_cast<std::int64_t>(count)));
  }

  void close() {
    if (H5Fclose(file_.release()) < 0) fail(path_, "/", "cannot close the file");
  }

 private:
  std::string path_;
  h5::Id file_, dxpl_;
};

template <class T, class Row, class Get>
std::vector<T> column(const std::vector<Row>& rows, Get get) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(static_cast<T>(get(r)));
  return out;
}

// A ragged group's offset entries after the first (this rank's rows' ends, moved to where
// its changes go) and its changes.
template <class Entry>
void write_ragged(const ParallelFile& f, const std::string& group, const std::vector<Entry>& rows,
                  std::int64_t total_rows, std::int64_t first_row, std::int64_t total_changes,
                  std::int64_t first_change) {
  std::vector<std::int64_t> ends;
  std::vector<std::int32_t> changes;
  for (const Entry& e : rows) {
    changes.insert(changes.end(), e.changes.begin(), e.changes.end());
    ends.push_back(first_change + static_cast<std::int64_t>(changes.size()));
  }
  f.write(group + "/offset", total_rows == 0 ? 0 : total_rows + 1, first_row + 1, ends);
  f.write(group + "/changes", total_changes, first_change, changes);
}

}  // namespace

RowCounts row_counts(const DetectionSet& set) {
  RowCounts c;
  c.series = static_cast<std::int64_t>(set.series_id.size());
  c.points = static_cast<std::int64_t>(set.points.size());
  c.path = static_cast<std::int64_t>(set.path.size());
  for (const PathEntry& e : set.path) c.path_changes += static_cast<std::int64_t>(e.changes.size());
  c.crops = static_cast<std::int64_t>(set.crops.size());
  for (const CropsEntry& e : set.crops) c.crops_changes += static_cast<std::int64_t>(e.changes.size());
  return c;
}

RowLayout row_layout(const MpiSession& mpi, const RowCounts& mine) {
  const std::vector<std::int64_t> all = mpi.allgather(
      {mine.series, mine.points, mine.path, mine.path_changes, mine.crops, mine.crops_changes});
  RowLayout l;
  auto add = [](RowCounts& into, const std::int64_t* v) {
    into.series += v[0];
    into.points += v[1];
    into.path += v[2];
    into.path_changes += v[3];
    into.crops += v[4];
    into.crops_changes += v[5];
  };
  for (int r = 0; r < mpi.size(); ++r) {
    const std::int64_t* v = all.data() + 6 * r;
    if (r < mpi.rank()) add(l.offset, v);
    add(l.total, v);
  }
  return l;
}

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
  set.summary.resize(static_cast<std::size_t>(total.series));
  set.points.resize(static_cast<std::size_t>(total.points));
  // One row holding every change gives the ragged datasets their full sizes; the ranks
  // then write the real offsets (entry 0 stays 0) and changes.
  set.path.resize(static_cast<std::size_t>(total.path));
  if (total.path > 0) set.path[0].changes.resize(static_cast<std::size_t>(total.path_changes));
  set.crops.resize(static_cast<std::size_t>(total.crops));
  if (total.crops > 0) set.crops[0].changes.resize(static_cast<std::size_t>(total.crops_changes));
  write_detections(path, set);
}

void write_rows(const std::string& path, const DetectionSet& local, const RowLayout& layout) {
  const RowCounts& at = layout.offset;
  const RowCounts& n = layout.total;
  const auto first_series = static_cast<std::int32_t>(at.series);
  ParallelFile f(path);
  // The datasets in the order write_detections makes them (docs/schema.md).
  using S = const SeriesSummary&;
  const auto& sum = local.summary;
  f.write("/series/status", n.series, at.series, column<std::int8_t>(sum, [](S s) { return s.status; }));
  f.write("/series/n_valid", n.series, at.series, column<std::int32_t>(sum, [](S s) { return s.n_valid; }));
  f.write("/series/n_changes", n.series, at.series, column<std::int32_t>(sum, [](S s) { return s.n_changes; }));
  f.write("/series/cost", n.series, at.series, column<double>(sum, [](S s) { return s.cost; }));
  f.write("/series/penalty", n.series, at.series, column<double>(sum, [](S s) { return s.penalty; }));
  f.write("/series/sigma", n.series, at.series, column<double>(sum, [](S s) { return s.sigma; }));

  using P = const TurningPoint&;
  const auto& pts = local.points;
  auto points = [&](const char* name, const auto& values) {
    f.write(std::string("/detections/") + name, n.points, at.points, values);
  };
  points("series", column<std::int32_t>(pts, [&](P p) { return p.series + first_series; }));
  points("index", column<std::int32_t>(pts, [](P p) { return p.index; }));
  points("day", column<std::int32_t>(pts, [](P p) { return p.day; }));
  points("kind", column<std::int8_t>(pts, [](P p) { return p.kind; }));
  points("shape", column<std::int8_t>(pts, [](P p) { return p.shape; }));
  points("confidence", column<double>(pts, [](P p) { return p.confidence; }));
  points("ci_lo", column<std::int32_t>(pts, [](P p) { return p.ci_lo; }));
  points("ci_hi", column<std::int32_t>(pts, [](P p) { return p.ci_hi; }));
  points("gain", column<double>(pts, [](P p) { return p.gain; }));
  points("step", column<double>(pts, [](P p) { return p.step; }));
  points("step_z", column<double>(pts, [](P p) { return p.step_z; }));
  points("rank", column<std::int32_t>(pts, [](P p) { return p.rank; }));

  using E = const PathEntry&;
  f.write("/path/series", n.path, at.path, column<std::int32_t>(local.path, [&](E e) { return e.series + first_series; }));
  f.write("/path/k", n.path, at.path, column<std::int32_t>(local.path, [](E e) { return e.k; }));
  f.write("/path/cost", n.path, at.path, column<double>(local.path, [](E e) { return e.cost; }));
  write_ragged(f, "/path", local.path, n.path, at.path, n.path_changes, at.path_changes);

  using C = const CropsEntry&;
  f.write("/crops/series", n.crops, at.crops, column<std::int32_t>(local.crops, [&](C e) { return e.series + first_series; }));
  f.write("/crops/pen_lo", n.crops, at.crops, column<double>(local.crops, [](C e) { return e.pen_lo; }));
  f.write("/crops/pen_hi", n.crops, at.crops, column<double>(local.crops, [](C e) { return e.pen_hi; }));
  f.write("/crops/cost", n.crops, at.crops, column<double>(local.crops, [](C e) { return e.cost; }));
  write_ragged(f, "/crops", local.crops, n.crops, at.crops, n.crops_changes, at.crops_changes);
  f.close();
}

}  // namespace turnpoint::cluster
