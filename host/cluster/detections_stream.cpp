#include "host/cluster/detections_stream.hpp"

#include <cstring>
#include <filesystem>

#include "host/cluster/detections_append.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

// HDF5 chunk of a scratch column: large enough that appending a chunk of series is a few
// chunk writes, small enough that HDF5's chunk cache (1 MiB per dataset) holds one.
constexpr hsize_t kScratchChunk = 1 << 15;

std::size_t index_of(const ColumnSpec& c) {
  return static_cast<std::size_t>(&c - detection_columns().data());
}

bool is(const ColumnSpec& c, const char* name) { return std::strcmp(c.name, name) == 0; }

// The output, checked as the final AtomicFile will check it, but before any work is done.
const std::string& checked_output(const std::string& output) {
  const std::filesystem::path t(output);
  TURNPOINT_EXPECTS(!t.filename().empty() && t.filename() != "." && t.filename() != "..",
                    "{}: not a file name", output);
  TURNPOINT_EXPECTS(!std::filesystem::is_directory(t), "{}: is a folder, not a file", output);
  const std::filesystem::path folder = t.parent_path();
  TURNPOINT_EXPECTS(folder.empty() || std::filesystem::is_directory(folder),
                    "{}: cannot write there: the folder {} does not exist", output, folder.string());
  return output;
}

}  // namespace

DetectionsStream::DetectionsStream(const std::string& output)
    : output_(checked_output(output)), scratch_(output + ".stream"), file_(scratch_.temp_path()) {
  for (const ColumnSpec& c : detection_columns()) {
    const std::string name = std::string(c.group) + "_" + c.name;
    with_column_type(c.type, [&](auto t) {
      using T = decltype(t);
      columns_.emplace_back(std::make_unique<h5s::Appender<T>>(file_, file_.root(), name, kScratchChunk));
    });
    // A ragged group's offsets start at 0; each part's are shifted past the rows before it.
    if (is(c, "offset")) column<std::int64_t>(c).append({0});
  }
}

DetectionsStream::~DetectionsStream() = default;

template <class T>
h5s::Appender<T>& DetectionsStream::column(const ColumnSpec& c) const {
  return *std::get<std::unique_ptr<h5s::Appender<T>>>(columns_[index_of(c)]);
}

std::int64_t DetectionsStream::n_points() const {
  for (const ColumnSpec& c : detection_columns())
    if (std::strcmp(c.group, "detections") == 0) return static_cast<std::int64_t>(size(c));
  return 0;
}

// A part must be a whole set: one summary per name, every row naming one of its series.
void DetectionsStream::check_part(const DetectionSet& part, const std::string& what) const {
  const std::size_t n = part.series_id.size();
  TURNPOINT_EXPECTS(part.region.size() == n && part.sector.size() == n && part.summary.size() == n,
                    "{}: detection set has {} series ids, {} regions, {} sectors, {} summaries",
                    what, n, part.region.size(), part.sector.size(), part.summary.size());
  auto check = [&](std::int32_t s, const char* rows) {
    TURNPOINT_EXPECTS(s >= 0 && static_cast<std::size_t>(s) < n,
                      "{}: a row of {} refers to series {} (set has {})", what, rows, s, n);
  };
  for (const TurningPoint& p : part.points) check(p.series, "detections");
  for (const PathEntry& e : part.path) check(e.series, "path");
  for (const CropsEntry& e : part.crops) check(e.series, "crops");
}

// One column of `part`, renumbered into the whole: series rows by the series before it,
// ragged offsets by the changes before it (their leading 0 is already there).
template <class T>
void DetectionsStream::append_column(const DetectionSet& part, const ColumnSpec& c) {
  std::vector<T> v = set_column<T>(part, c);
  const bool grouped = std::strcmp(c.group, "series") != 0;
  if (grouped && is(c, "series")) {
    const auto offset = static_cast<T>(n_series());
    for (T& s : v) s += offset;
  } else if (is(c, "offset")) {
    const ColumnSpec& changes = (&c)[1];  // "changes" follows "offset" (detection_columns)
    const auto base = static_cast<T>(size(changes));
    v.erase(v.begin());
    for (T& o : v) o += base;
  }
  column<T>(c).append(v);
}

void DetectionsStream::append(const DetectionSet& part, const std::string& what) {
  if (!started_) {
    take_provenance(header_, part);
    started_ = true;
  } else {
    check_same_provenance(header_, part, what);
  }
  check_part(part, what);
  // Columns in file order, so that "offset" is shifted by the "changes" before this part.
  for (const ColumnSpec& c : detection_columns())
    with_column_type(c.type, [&](auto t) { append_column<decltype(t)>(part, c); });
  // The names last: n_series() is the offset of this part until here.
  header_.region.insert(header_.region.end(), part.region.begin(), part.region.end());
  header_.sector.insert(header_.sector.end(), part.sector.begin(), part.sector.end());
  header_.series_id.insert(header_.series_id.end(), part.series_id.begin(), part.series_id.end());
}

void DetectionsStream::commit() { write_detections(output_, header_, *this); }

void DetectionsStream::commit(const std::string& format, const DetectionsRootHook& extra) {
  write_detections(output_, header_, *this, format, extra);
}

std::size_t DetectionsStream::size(const ColumnSpec& c) const {
  return std::visit([](const auto& a) { return static_cast<std::size_t>(a->size()); },
                    columns_[index_of(c)]);
}

void DetectionsStream::read(const ColumnSpec& c, std::size_t first, std::size_t n,
                            std::int8_t* out) const {
  column<std::int8_t>(c).read(first, n, out);
}
void DetectionsStream::read(const ColumnSpec& c, std::size_t first, std::size_t n,
                            std::int32_t* out) const {
  column<std::int32_t>(c).read(first, n, out);
}
void DetectionsStream::read(const ColumnSpec& c, std::size_t first, std::size_t n,
                            std::int64_t* out) const {
  column<std::int64_t>(c).read(first, n, out);
}
void DetectionsStream::read(const ColumnSpec& c, std::size_t first, std::size_t n,
                            double* out) const {
  column<double>(c).read(first, n, out);
}

}  // namespace turnpoint::cluster
