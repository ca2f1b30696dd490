// `turnpoint generate`: writes a generated panel and its truth to series.h5, a chunk of
// series at a time, so memory stays O(chunk x days) however many series there are.
#pragma once
#include <cstdint>
#include <string>

#include "datasets/generator.hpp"

namespace turnpoint {

// Writes atomically (temporary file, then rename). Same config -> same bytes, whatever the
// chunk size or thread count.
void generate_to_file(const GeneratorConfig& config, const std::string& path,
                      std::int64_t chunk_series = 4096, bool quiet = true);

}  // namespace turnpoint
