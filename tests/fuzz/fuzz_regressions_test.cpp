// Every fuzz target (tests/fuzz/fuzz_targets.hpp) over its seed corpus and over every input
// that ever made it fail (tests/fuzz/corpus/<target>/, tests/fuzz/regressions/<target>/):
// runs in every build, so the plain and the ASan+UBSan ctest keep a fixed crash fixed
// without clang or libFuzzer. docs/reliability.md lists the findings.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/io/hdf5.hpp"
#include "tests/fuzz/fuzz_targets.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint8_t> bytes_of(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

class FuzzRegressions : public ::testing::TestWithParam<turnpoint::fuzz::Target> {};

TEST_P(FuzzRegressions, SeedsAndPastFindingsAreHandled) {
  turnpoint::h5::silence_errors();
  const turnpoint::fuzz::Target t = GetParam();
  const fs::path root = fs::path(TURNPOINT_SOURCE_DIR) / "tests" / "fuzz";
  const std::vector<fs::path> seeds = files_in(root / "corpus" / t.name);
  EXPECT_GE(seeds.size(), 2u) << "target " << t.name << " has no seed corpus in " << root;
  std::vector<fs::path> all = seeds;
  for (const fs::path& p : files_in(root / "regressions" / t.name)) all.push_back(p);
  for (const fs::path& p : all) {
    const std::vector<std::uint8_t> b = bytes_of(p);
    try {
      t.run(b.data(), b.size());
    } catch (const std::exception& e) {
      ADD_FAILURE() << p << ": " << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllTargets, FuzzRegressions,
                         ::testing::ValuesIn(turnpoint::fuzz::targets()),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
