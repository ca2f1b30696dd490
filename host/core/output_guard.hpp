// An output must never be one of the command's own inputs: `detect x.h5 -o x.h5` would
// replace the panel by its detections (and a failed run could leave neither). Every command
// that writes calls this before reading anything; docs/reliability.md.
#pragma once
#include <string>
#include <vector>

namespace turnpoint {

// Throws invalid_input (exit 2) when `output` names the same file as one of `inputs` --
// the same path, however written (./x.h5, a symbolic or hard link): compared by device and
// inode when both exist. Empty paths are ignored.
void refuse_output_that_is_input(const std::string& output, const std::vector<std::string>& inputs,
                                 const char* command);

}  // namespace turnpoint
