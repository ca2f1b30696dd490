// `mpirun -n N turnpoint sweep series.h5 --grid grid.toml -o sweep.h5`: the ranks share the
// sweep's batches of scenarios (batch b by rank b mod N) through its journal folder, which
// must be on a file system every rank sees; rank 0 opens the journal and assembles the file
// from it alone, so it is the one-process run's byte for byte whatever N, and a job killed
// on any rank finishes with the same command (host/sweep/sweep.hpp, docs/cluster.md).
// Built with TURNPOINT_MPI=ON only.
#pragma once
#include "host/sweep/sweep.hpp"

namespace turnpoint::cluster {

// Collective over MPI_COMM_WORLD (it starts and ends the MPI session). A rank that fails
// makes every rank leave with its exit code after the step it failed in, said once by rank 0.
void mpi_sweep(const SweepOptions& options);

}  // namespace turnpoint::cluster
