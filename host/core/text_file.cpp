#include "host/core/text_file.hpp"

#include <filesystem>
#include <fstream>
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

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::filesystem::path target(path);
  if (!target.parent_path().empty()) std::filesystem::create_directories(target.parent_path());
  AtomicFile file(path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
    TURNPOINT_EXPECTS(out.good(), "{}: cannot write (temporary file {})", path, file.temp_path());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    TURNPOINT_EXPECTS(out.good(), "{}: write failed (disk full?)", path);
  }
  file.commit();
}

}  // namespace turnpoint::text
