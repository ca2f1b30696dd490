// The parallel write of one detections.h5 by every rank of an MPI job (mpi_detect.hpp).
//
// The file is the one write_detections makes for the whole panel, byte for byte, written in
// two steps: rank 0 writes the layout with write_detections itself -- every group,
// attribute, string column and the day axis, and the columns of the series and turning
// points at their full sizes (summed over the ranks) but zero-filled -- and then every rank
// opens that file with the MPI-IO driver (H5Pset_fapl_mpio) and writes its rows of each
// column as a hyperslab, collectively. Creating the layout with the serial writer is what
// keeps it identical to a one-process run's (one writer of the layout, not two) and keeps
// the variable-length strings, which parallel HDF5 cannot write, out of the parallel step;
// every rank can name every series (the panel's header), so rank 0 writes the names.
#pragma once
#include <cstdint>
#include <string>

#include "host/cluster/mpi_world.hpp"
#include "host/cluster/shard.hpp"
#include "host/core/detections.hpp"
#include "host/io/detection_columns.hpp"
#include "host/io/hdf5.hpp"

namespace turnpoint::cluster {

// How many rows of each distributed column one rank holds; gathered from every rank.
struct RowCounts {
  std::int64_t series = 0, points = 0, path = 0, path_changes = 0, crops = 0, crops_changes = 0;
};
RowCounts row_counts(const DetectionColumns& cols);

// Where this rank's rows go (the sum of the counts of the ranks before it), the totals,
// and the largest count of any rank (how many pieces every rank's collective writes take).
struct RowLayout {
  RowCounts offset, total, largest;
  std::int64_t piece_rows = 1;  // rows per collective write (rank 0's setting)
};
RowLayout row_layout(const MpiSession& mpi, const RowCounts& mine);

// Rank 0: the whole file's layout, zero-filled, from `header` (provenance and settings: a
// rank's own set), `names` (every series' id, region and sector) and the totals.
void write_layout(const std::string& path, const DetectionSet& header, const DetectionSet& names,
                  const RowCounts& total);

// Collective: this rank's rows (`local`: a set in memory or its streamed scratch, series
// numbered from 0 as a part's) written into `path` (made by write_layout) at
// `layout.offset`, a piece of each column at a time; throws hdf5_error naming the dataset.
void write_rows(const std::string& path, const DetectionColumns& local, const RowLayout& layout);

// Collective: `path` opened read-write by every rank through MPI-IO (H5Pset_fapl_mpio), for
// rows that each rank writes independently (the sweep's); closing it is collective too.
h5::Id open_parallel(const std::string& path);

}  // namespace turnpoint::cluster
