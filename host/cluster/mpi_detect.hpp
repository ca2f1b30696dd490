// `mpirun -n N turnpoint detect series.h5 -o detections.h5`: the ranks split the panel into N
// contiguous series ranges balanced by observed days (shard.hpp, the ranges --shard I/N
// takes), each detects its range with the one-process code, and all of them write ONE
// detections.h5 through parallel HDF5: the file a one-process run writes, byte for byte
// (docs/cluster.md, "MPI launchers"). Built with TURNPOINT_MPI=ON only.
#pragma once
#include <functional>
#include <string>

#include "host/cluster/detections_stream.hpp"
#include "host/cluster/panel_scan.hpp"
#include "host/cluster/shard.hpp"
#include "host/core/detections.hpp"
#include "host/io/series_io.hpp"

namespace turnpoint::cluster {

// Detects series `range` of the panel, as the one-process detect would (its settings,
// chunks and models), appending each chunk's detections to `into` (series numbered from 0
// in the range; an empty range still appends one empty set, for its provenance) and calling
// `series_done(n)` after each chunk of n series (the job's progress, said by rank 0);
// `quiet`: no summary on stderr (every rank but rank 0).
using DetectRange = std::function<void(SeriesRange range, bool quiet, DetectionsStream& into,
                                       const std::function<void(std::int64_t)>& series_done)>;
// The streaming pass over the whole panel (scan_panel): run by rank 0 alone, its weights and
// fingerprint broadcast, so the job reads the panel's values once before the detection
// instead of once per rank.
using ScanPanel = std::function<PanelScan()>;

// Collective over MPI_COMM_WORLD (it starts and ends the MPI session): every rank's range
// detected by `detect_range`, one `output` written. A rank that fails makes every rank
// leave with its exit code, after rank 0 printed that rank's error ("rank R of N: ...");
// the output is then left as it was. Each rank runs its share of its node's CPU threads and,
// with `want_gpu` (a solver that may run on the GPU), its own GPU (mpi_placement.hpp).
void mpi_detect(const SeriesReader& reader, const ScanPanel& scan_panel, const std::string& output,
                bool quiet, bool want_gpu, const DetectRange& detect_range);

}  // namespace turnpoint::cluster
