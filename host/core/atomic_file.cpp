#include "host/core/atomic_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "kernels/error.hpp"

namespace turnpoint {

namespace fs = std::filesystem;

namespace {

fs::path folder_of(const std::string& target) {
  const fs::path t(target);
  return t.parent_path().empty() ? fs::path(".") : t.parent_path();
}

std::string temp_prefix(const std::string& target) {
  return "." + fs::path(target).filename().string() + ".tmp-";
}

// A named temporary "<folder>/.<name>.tmp-<pid>-XXXXXX" (mkstemp), or throws.
std::string make_named_temp(const std::string& target) {
  const fs::path folder = folder_of(target);
  std::string pattern =
      (folder / (temp_prefix(target) + std::to_string(getpid()) + "-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = mkstemp(buf.data());
  if (fd < 0)
    throw invalid_input(fmt::format("{}: cannot create a temporary file in {}: {}", target,
                                    folder.string(), std::strerror(errno)));
  fchmod(fd, 0644);  // mkstemp makes it 0600; results are meant to be shared like any output
  close(fd);
  return buf.data();
}

}  // namespace

void remove_stale_temporaries(const std::string& target) {
  std::error_code ec;
  const std::string prefix = temp_prefix(target);
  for (const auto& e : fs::directory_iterator(folder_of(target), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    // ".<name>.tmp-<pid>-XXXXXX": the pid of the process that made it.
    char* end = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
    if (pid <= 0 || end == nullptr || *end != '-') continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours)
    fs::remove(e.path(), ec);
  }
}

AtomicFile::AtomicFile(std::string target) : target_(std::move(target)) {
  const fs::path t(target_);
  TURNPOINT_EXPECTS(!t.filename().empty() && t.filename() != "." && t.filename() != "..",
                    "{}: not a file name", target_);
  TURNPOINT_EXPECTS(!fs::is_directory(t), "{}: is a folder, not a file", target_);
  remove_stale_temporaries(target_);
  temp_ = make_named_temp(target_);
}

AtomicFile::~AtomicFile() {
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::commit() {
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    throw invalid_input(fmt::format("{}: cannot move the finished file into place ({}); {}", target_,
                                    std::strerror(err),
                                    fs::exists(target_) ? "the existing file is unchanged" : "nothing was written"));
  }
  committed_ = true;
}

}  // namespace turnpoint
