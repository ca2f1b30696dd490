// Whole text files: read one into a string, or write one atomically (AtomicFile). Shared by
// the importers (host/io, host/catalogue), the report writers and the commands.
#pragma once
#include <string>

namespace turnpoint::text {

std::string read_file(const std::string& path);  // throws invalid_input naming the file
// Writes `content` to a temporary file next to `path` (creating its folder) and renames it
// into place.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace turnpoint::text
