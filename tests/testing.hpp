// What every test folder shares: where the shared data is (../shared/datasets and
// ../shared/seeds, found the same way by every test, and skipped with one message when it
// is absent), a temporary folder that removes itself and a bitwise comparison. Fixtures of
// one feature live in that feature's folder (tests/kernels/reference.hpp, gpu_skip.hpp).
#pragma once
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace turnpoint::testing {

namespace fs = std::filesystem;

// The shared folder (holding datasets/ and seeds/): $TURNPOINT_SHARED, else the parent of
// $TURNPOINT_DATASETS, else next to the source tree the test was built from, else relative
// to the working directory (ctest runs in the source root; a portable binary copied to a
// GPU machine runs from a copy of the repository). "" when none exists.
inline std::string shared_root() {
  std::vector<std::string> tries;
  if (const char* s = std::getenv("TURNPOINT_SHARED")) tries.push_back(s);
  if (const char* d = std::getenv("TURNPOINT_DATASETS")) tries.push_back(std::string(d) + "/..");
  tries.push_back(TURNPOINT_SOURCE_DIR "/../shared");
  tries.push_back("../shared");
  tries.push_back("shared");
  for (const std::string& t : tries)
    if (fs::is_directory(t + "/datasets") || fs::is_directory(t + "/seeds")) return t;
  return {};
}

// The path of `relative` (e.g. "datasets/policy/x.csv") under the shared folder, or "" when
// it does not exist.
inline std::string shared_path(const std::string& relative) {
  const std::string root = shared_root();
  if (root.empty()) return {};
  const std::string p = root + "/" + relative;
  return fs::exists(p) ? p : std::string{};
}

// The seed report whose file name starts with `prefix` ("000" .. "004"), or "".
inline std::string seed_path(const std::string& prefix) {
  const std::string dir = shared_path("seeds");
  if (dir.empty()) return {};
  for (const auto& de : fs::directory_iterator(dir))
    if (de.path().filename().string().rfind(prefix, 0) == 0) return de.path().string();
  return {};
}

}  // namespace turnpoint::testing

// Declares `var` as the path of ../shared/<relative>, or skips the test with a message that
// says what is missing and how to point the tests at it.
#define TURNPOINT_SHARED_OR_SKIP(var, relative)                                            \
  const std::string var = ::turnpoint::testing::shared_path(relative);                    \
  if (var.empty())                                                                        \
  GTEST_SKIP() << "../shared/" << (relative)                                               \
               << " not found (the shared data is absent; set TURNPOINT_SHARED to the folder " \
                  "holding datasets/ and seeds/)"

namespace turnpoint::testing {

// A fresh folder under the system's temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "turnpoint-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& dir() const { return dir_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Writes `text` as the file `name` (bytes as given) and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::string p = path(name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::size_t file_count() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

 private:
  fs::path dir_;
};

}  // namespace turnpoint::testing

namespace turnpoint::testing {

// Whether two arrays hold the same doubles bit for bit (NaN payloads and -0.0 included):
// "byte-identical", not "equal".
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

}  // namespace turnpoint::testing
