// `turnpoint sweep`: every scenario of a grid over a whole panel, resumable after a kill
// (SIGKILL included). Completed batches of scenarios go to a journal folder next to the
// output (<output>.journal/), each file written to a temporary name, fsync'ed and renamed;
// a re-run with the same command skips the batches already there. At the end the final
// file is assembled from the journal alone, deterministically (no timestamps), so it is
// byte-identical to an uninterrupted run's; docs/sweep.md.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "host/core/detections.hpp"
#include "host/io/hdf5.hpp"
#include "host/sweep/sweep_grid.hpp"

namespace turnpoint {

struct SweepOptions {
  std::string series_path;
  std::string grid_path;
  std::string output;
  int batch_scenarios = 4;  // scenarios per journal entry (part of the journal identity)
  bool quiet = true;
  // Series read at a time (HDF5 hyperslabs): memory holds this many series' values, not the
  // panel's; the output does not depend on it.
  std::int64_t chunk_series = 4096;
};

// Several processes running one sweep (an MPI job: host/cluster/mpi_sweep.hpp). Batch b is
// run by the process b mod size; the journal is shared (one folder on a shared file system),
// so a job killed on any rank resumes with the same command. `sync` runs a step on this
// process and returns only when every process ran it without error; when one failed it ends
// the job (on every process) with that process's error. Process 0 opens the journal and
// writes the output.
struct SweepTeam {
  int rank = 0, size = 1;
  std::string run;  // the same on every process of one run, new for each run (names its failure marker)
  std::function<void(const std::function<void()>&)> sync;  // empty: run the step (one process)
  // The whole job's progress (an MPI job: rank 0 says it): told the scenarios this process
  // finished (and the sweep's total); then, on every process once all are through the
  // batches, `batches_over` (collective). Empty: the process's own progress bar.
  std::function<void(std::int64_t done, std::int64_t total)> scenarios_done;
  std::function<void()> batches_over;
  // The file's rows: `share` gives every process process 0's string (the temporary it laid
  // the file out in), `open_rows_file` opens it for every process's rows (MPI-IO, collective;
  // its close too). Empty: one process (serial open).
  std::function<std::string(const std::string&)> share;
  std::function<h5::Id(const std::string&)> open_rows_file;
  // What `sync` runs on this process before it ends the job after a failure (a process that
  // leaves by _Exit unwinds nothing): run_sweep sets it to remove its temporary output.
  std::shared_ptr<std::function<void()>> on_failure;
};

void run_sweep(const SweepOptions& options);
void run_sweep(const SweepOptions& options, const SweepTeam& team);

struct SweepPoint {
  std::int32_t scenario = 0, series = 0, index = 0, day = 0, rank = 0;
  double gain = 0.0;
  double confidence = std::numeric_limits<double>::quiet_NaN();  // the default pipeline's
  TurnKind kind = TurnKind::unclassified;
};

// A sweep file read back.
struct SweepFile {
  std::string input_fingerprint;  // of the panel swept ("" in files from before it was kept)
  std::vector<std::int32_t> time;
  std::vector<std::string> series_id;
  std::vector<Scenario> scenarios;
  std::vector<SweepPoint> points;  // sorted by (scenario, series, index)
  std::int64_t n_series() const { return static_cast<std::int64_t>(series_id.size()); }
};

bool is_sweep_file(const std::string& path);
SweepFile read_sweep(const std::string& path);
// The file without its points (no rows of /points read): what readers that stream them need.
SweepFile read_sweep_header(const std::string& path);
// The points' scenario, series and index, `block` rows at a time (hyperslabs), in file
// order, checked as read_sweep checks them; `header` is the file's read_sweep_header; `f`
// returns false to stop.
struct SweepPointBlock {
  std::size_t first_row = 0;
  std::vector<std::int32_t> scenario, series, index;
};
using SweepPointBlockFn = std::function<bool(const SweepPointBlock&)>;
void read_sweep_point_blocks(const std::string& path, const SweepFile& header, std::size_t block,
                             const SweepPointBlockFn& f);

}  // namespace turnpoint
