#include "host/core/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "kernels/error.hpp"

namespace turnpoint {

AtomicFile::AtomicFile(std::string target) : target_(std::move(target)) {
  namespace fs = std::filesystem;
  const fs::path t(target_);
  TURNPOINT_EXPECTS(!t.filename().empty(), "{}: not a file name", target_);
  const fs::path folder = t.parent_path().empty() ? fs::path(".") : t.parent_path();
  std::string pattern = (folder / ("." + t.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = mkstemp(buf.data());
  if (fd < 0)
    throw invalid_input(fmt::format("{}: cannot create a temporary file in {}: {}", target_,
                                    folder.string(), std::strerror(errno)));
  // mkstemp makes the file 0600; results are meant to be shared like any other output.
  fchmod(fd, 0644);
  close(fd);
  temp_ = buf.data();
}

AtomicFile::~AtomicFile() {
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::commit() {
  if (std::rename(temp_.c_str(), target_.c_str()) != 0)
    throw invalid_input(fmt::format("{}: cannot move the finished file {} into place: {}", target_,
                                    temp_, std::strerror(errno)));
  committed_ = true;
}

}  // namespace turnpoint
