#include "host/core/text_file.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "host/core/atomic_file.hpp"
#include "kernels/error.hpp"

namespace turnpoint::text {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  TURNPOINT_EXPECTS(in.good(), "{}: cannot open file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

void fill(const AtomicFile& file, const std::string& content) {
  std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
  TURNPOINT_EXPECTS(out.good(), "{}: cannot write (temporary file {})", file.target(), file.temp_path());
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  TURNPOINT_EXPECTS(out.good(), "{}: write failed (disk full?)", file.target());
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  write_files_atomic({{path, content}});
}

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& path_and_content) {
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const auto& [path, content] : path_and_content) {
    const std::filesystem::path target(path);
    if (!target.parent_path().empty()) std::filesystem::create_directories(target.parent_path());
    files.push_back(std::make_unique<AtomicFile>(path));
    fill(*files.back(), content);
  }
  for (auto& f : files) f->commit();
}

}  // namespace turnpoint::text
