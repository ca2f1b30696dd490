// `turnpoint generate`: writes a generated panel and its truth to series.h5, a chunk of
// series at a time, so memory stays O(chunk x days) however many series there are.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datasets/generator.hpp"

namespace turnpoint {

// Writes atomically (temporary file, then rename). Same config -> same bytes, whatever the
// chunk size or thread count.
void generate_to_file(const GeneratorConfig& config, const std::string& path,
                      std::int64_t chunk_series = 4096, bool quiet = true);

// Where the series of one generation chunk come from: fills rows [count][days] and appends
// the chunk's truth points, as Generator::generate(first, count, ...) does.
using GeneratedChunk = std::function<void(std::int64_t first, std::int64_t count, double* rows,
                                          std::vector<TruthPoint>* points)>;
// The same file, with the chunks from `source` (in order of `first`) instead of generated
// here: an MPI job's rank 0 writes what the ranks generated (host/cluster/mpi_generate.hpp).
// Its chunks must be those generate_to_file would make: `first` = 0, chunk_series, ...
void generate_to_file(const GeneratorConfig& config, const std::string& path,
                      std::int64_t chunk_series, bool quiet, const GeneratedChunk& source);

}  // namespace turnpoint
