// Whole text files: read one into a string, or write one atomically (AtomicFile). Shared by
// the importers (host/io, host/catalogue), the report writers and the commands.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace turnpoint::text {

std::string read_file(const std::string& path);  // throws invalid_input naming the file
// Writes `content` to a temporary file next to `path` (creating its folder) and renames it
// into place.
void write_file_atomic(const std::string& path, const std::string& content);
// Several files as one: every one written to its temporary first, then all renamed into
// place, so a failure (a full disk) or a kill before the renames leaves every previous file
// as it was (a report folder is never half old, half new but for the renames themselves).
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& path_and_content);

}  // namespace turnpoint::text
