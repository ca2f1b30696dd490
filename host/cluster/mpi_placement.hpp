// Places the ranks of an MPI job (built with TURNPOINT_MPI=ON only): each rank runs its share
// of its node's CPU threads and, when the command may use the GPU, takes a GPU of its node
// by its local rank (host/cluster/placement.hpp says how both are chosen). mpi.h stays out.
#pragma once
#include <string>

#include "host/cluster/mpi_world.hpp"
#include "host/cluster/placement.hpp"

namespace turnpoint::cluster {

struct JobPlacement {
  RankPlacement mine;   // this rank's
  std::string summary;  // the whole job's, one line (describe_placement), on every rank
};

// Collective over MPI_COMM_WORLD; call it before any OpenMP or CUDA work. Sets this rank's
// OpenMP thread count (unless OMP_NUM_THREADS does) and, with `want_gpu`, its current CUDA
// device. A rank that cannot take its device fails the job (MpiSession::fail).
JobPlacement place_ranks(MpiSession& mpi, bool want_gpu);

}  // namespace turnpoint::cluster
