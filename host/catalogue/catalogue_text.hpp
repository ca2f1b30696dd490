// Small UTF-8 text helpers shared by the importers: Chinese text is handled as code
// points (std::u32string) so that character classes such as 一二三 work.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace turnpoint::text {

std::u32string to_u32(const std::string& utf8);
std::string to_utf8(const std::u32string& s);
bool is_space(char32_t c);  // ASCII blanks, U+3000 ideographic space, NBSP, BOM
std::string trim(const std::string& s);
std::u32string trim(const std::u32string& s);
bool starts_with(const std::string& s, const std::string& prefix);
bool ends_with(const std::string& s, const std::string& suffix);
bool contains(const std::string& s, const std::string& needle);
std::size_t count_of(const std::string& s, const std::string& needle);
std::vector<std::string> split_lines(const std::string& s);  // strips '\r'
std::string remove_ascii_spaces(const std::string& s);
// Title key for de-duplication: drops 《》“”"'、 spaces and punctuation, lower-cases ASCII.
std::string normalise_title(const std::string& title);
std::string read_file(const std::string& path);  // throws invalid_input naming the file
// Writes `content` to a temporary file next to `path` and renames it into place.
void write_file_atomic(const std::string& path, const std::string& content);
// Several files as one: every one written to its temporary first, then all renamed into
// place, so a failure (a full disk) or a kill before the renames leaves every previous file
// as it was (a report folder is never half old, half new but for the renames themselves).
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& path_and_content);

}  // namespace turnpoint::text
