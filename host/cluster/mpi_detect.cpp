#include "host/cluster/mpi_detect.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "host/cluster/mpi_placement.hpp"
#include "host/cluster/mpi_progress.hpp"
#include "host/cluster/mpi_world.hpp"
#include "host/cluster/mpi_write.hpp"
#include "host/cluster/part_file.hpp"
#include "host/core/atomic_file.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {

namespace {

// This rank's series must be the panel's rows of its range, in order: the names rank 0
// writes for every rank come from the panel.
void check_names(const DetectionSet& local, const Panel& header, SeriesRange range) {
  TURNPOINT_EXPECTS(static_cast<std::int64_t>(local.series_id.size()) == range.count,
                    "detect returned {} series for the range {}..{} ({} series)",
                    local.series_id.size(), range.first, range.end(), range.count);
  for (std::int64_t i = 0; i < range.count; ++i) {
    const auto k = static_cast<std::size_t>(range.first + i);
    const auto j = static_cast<std::size_t>(i);
    TURNPOINT_EXPECTS(local.series_id[j] == header.series_id[k] && local.region[j] == header.region[k] &&
                          local.sector[j] == header.sector[k],
                      "series {} of the range {}..{} is {}, the panel's row {} is {}", i,
                      range.first, range.end(), local.series_id[j], k, header.series_id[k]);
  }
}

// Rank 0's scan on every rank: the weights (as bytes) and the fingerprint broadcast.
PanelScan shared_scan(MpiSession& mpi, const ScanPanel& scan_panel, std::int64_t n_series) {
  PanelScan scan;
  const RankError e = mpi.together([&] {
    if (mpi.rank() == 0) scan = scan_panel();
  });
  if (e.code != 0) mpi.fail(e);
  std::string bytes;
  if (mpi.rank() == 0)
    bytes.assign(reinterpret_cast<const char*>(scan.weights.data()), scan.weights.size() * sizeof(std::int64_t));
  bytes = mpi.broadcast(bytes);
  scan.weights.resize(bytes.size() / sizeof(std::int64_t));
  if (!scan.weights.empty())
    std::memcpy(scan.weights.data(), bytes.data(), scan.weights.size() * sizeof(std::int64_t));
  scan.input_fingerprint = mpi.broadcast(scan.input_fingerprint);
  scan.content_hash = mpi.broadcast(scan.content_hash);
  TURNPOINT_EXPECTS(static_cast<std::int64_t>(scan.weights.size()) == n_series,
                    "rank 0's scan weighed {} series, the panel has {}", scan.weights.size(), n_series);
  return scan;
}

}  // namespace

void mpi_detect(const SeriesReader& reader, const ScanPanel& scan_panel, const std::string& output,
                bool quiet, bool want_gpu, const DetectRange& detect_range) {
  MpiSession mpi;
  const int rank = mpi.rank();
  const JobPlacement placed = place_ranks(mpi, want_gpu);
  const PanelScan scan = shared_scan(mpi, scan_panel, reader.n_series());
  const SeriesRange range = balanced_ranges(scan.weights, mpi.size())[static_cast<std::size_t>(rank)];
  if (rank == 0 && !quiet)
    std::fprintf(stderr, "turnpoint detect: MPI, %d ranks; rank 0 takes series %lld..%lld of %lld "
                         "(the tallies below are rank 0's; the progress lines and the last line the job's)\n"
                         "turnpoint detect: MPI placement: %s\n",
                 mpi.size(), static_cast<long long>(range.first), static_cast<long long>(range.end()),
                 static_cast<long long>(reader.n_series()), placed.summary.c_str());

  // This rank's result goes to a scratch file as it is made (the one-process detect's
  // stream), and from there into the output a piece at a time: memory holds a chunk, not
  // the range's result. Removed on every way out (fail and abort leave by _Exit: reset first).
  std::optional<DetectionsStream> stream;
  JobProgress progress(mpi, "detect", "series", reader.n_series(), quiet);
  RankError e = mpi.together([&] {
    if (rank == 0) {
      const AtomicFile probe(output);  // the output's folder takes a file (removed unused)
    }
    stream.emplace(fmt::format("{}.rank{}", output, rank));
    detect_range(range, quiet || rank != 0, *stream, [&](std::int64_t n) { progress.add(n); });
    stream->header().input_fingerprint = scan.input_fingerprint;
    check_names(stream->header(), reader.header(), range);
  });
  progress.close();  // collective: every rank is here, failed or not
  if (e.code != 0) {
    stream.reset();
    mpi.fail(e);
  }
  const DetectionSet& local = stream->header();  // provenance and names; the rows are in the stream

  // The same settings on every rank, or the file would claim settings some rows lack.
  const std::string settings = settings_hash(local);
  const std::string rank0_settings = mpi.broadcast(settings);
  e = mpi.together([&] {
    TURNPOINT_EXPECTS(settings == rank0_settings,
                      "its settings, input or day axis differ from rank 0's (settings hash {} vs {})",
                      settings, rank0_settings);
  });
  if (e.code != 0) {
    stream.reset();
    mpi.fail(e);
  }

  const RowLayout layout = row_layout(mpi, row_counts(*stream));
  // The write's time, for the summary line (bench/RESULTS.md records it): rank 0's layout
  // plus the collective write of every rank's rows, until the last rank is done.
  const auto write_start = std::chrono::steady_clock::now();
  // Rank 0 writes the layout into a temporary next to the output; every rank then fills in
  // its rows; rank 0 renames it into place only when every rank succeeded.
  std::optional<AtomicFile> out;
  std::string temp;
  e = mpi.together([&] {
    if (rank != 0) return;
    out.emplace(output);
    DetectionSet names;
    names.series_id = reader.header().series_id;
    names.region = reader.header().region;
    names.sector = reader.header().sector;
    write_layout(out->temp_path(), local, names, layout.total);
    temp = out->temp_path();
  });
  if (e.code != 0) {
    out.reset();  // removes the temporary (fail leaves by _Exit)
    stream.reset();
    mpi.fail(e);
  }
  temp = mpi.broadcast(temp);
  try {
    write_rows(temp, *stream, layout);
  } catch (...) {
    // Inside collective writes the other ranks may wait for this one forever: end the job.
    if (out) out.reset();
    const RankError error = rank_error(std::current_exception());
    stream.reset();
    mpi.abort(error);
  }
  stream.reset();  // the scratch is no longer needed
  const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
  e = mpi.together([&] {
    if (rank == 0) out->commit();
  });
  if (e.code != 0) {
    out.reset();
    mpi.fail(e);
  }
  if (rank == 0 && !quiet) {
    std::error_code ec;
    const double mb = static_cast<double>(std::filesystem::file_size(output, ec)) / 1e6;
    std::fprintf(stderr, "turnpoint detect: %lld turning points -> %s (%d ranks; file %.1f MB written in %.2f s, "
                         "%.0f MB/s: rank 0's layout and the ranks' parallel rows)\n",
                 static_cast<long long>(layout.total.points), output.c_str(), mpi.size(), ec ? 0.0 : mb,
                 write_s, ec || !(write_s > 0.0) ? 0.0 : mb / write_s);
  }
}

}  // namespace turnpoint::cluster
