#include "host/core/output_guard.hpp"

#include <filesystem>
#include <system_error>

#include "kernels/error.hpp"

namespace turnpoint {

namespace fs = std::filesystem;

namespace {

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool same = fs::equivalent(a, b, ec);
    if (!ec) return same;
  }
  // Not both there yet: compare the paths they would resolve to.
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec) && !ec;
}

}  // namespace

void refuse_output_that_is_input(const std::string& output, const std::vector<std::string>& inputs,
                                 const char* command) {
  if (output.empty()) return;
  for (const std::string& in : inputs) {
    if (in.empty() || !same_file(output, in)) continue;
    TURNPOINT_FAIL("{}: this output is also an input of `turnpoint {}` ({}): writing it would "
                   "destroy the input; choose another output",
                   output, command, in);
  }
}

}  // namespace turnpoint
