// `mpirun -n N turnpoint generate -o series.h5 ...`: the ranks generate the series -- chunk c
// of the one-process run (series c x chunk .. ) by rank c mod N -- and send them to rank 0,
// which writes the file with the one-process writer, chunk by chunk in order: the bytes of a
// one-process run whatever N (docs/cluster.md, "MPI launchers"). Generation (the random
// draws) is the work and is spread; the writing stays with one rank because the file's
// variable-length names and its appendable /truth cannot be written through parallel HDF5
// in the one-process layout. Built with TURNPOINT_MPI=ON only.
#pragma once
#include <cstdint>
#include <string>

#include "datasets/generator.hpp"

namespace turnpoint::cluster {

// Collective over MPI_COMM_WORLD (it starts and ends the MPI session). Settings the
// generator refuses, or an output rank 0 cannot write, make every rank leave with the exit
// code of that error, said once by rank 0; a failure after the chunks started to flow ends
// the job (MPI_Abort) with the failing rank's message and leaves no output. Rank 0's
// temporary is removed when rank 0 failed; killed by the abort of another rank, it stays
// (".<name>.tmp-<pid>-...") until the next run for the same output removes it.
void mpi_generate(const GeneratorConfig& config, const std::string& output, std::int64_t chunk_series,
                  bool quiet);

}  // namespace turnpoint::cluster
