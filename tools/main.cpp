// turnpoint: find and explain turning points in panels of daily series.
// Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 HDF5 error, 4 CUDA error.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <CLI/CLI.hpp>

#include "tools/command_registry.hpp"
#include "kernels/error.hpp"

namespace {

// Leaves at once with `code` after a failed command. Not through exit(): HDF5 closes at exit
// whatever file is still open, and a file whose write failed (a full disk) cannot be closed
// -- HDF5 1.10 then crashes in H5F__close_cb (SIGSEGV instead of exit 3). Every output was
// closed and committed, or abandoned and its temporary removed, before the exception got
// here (host/core/atomic_file.hpp); only stdio needs flushing.
[[noreturn]] void fail_with(int code) {
  std::fflush(nullptr);
  std::_Exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"turnpoint " TURNPOINT_VERSION
               ": find the turning points of thousands of daily series at once and explain "
               "them with the policies and events around them."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("turnpoint ") + TURNPOINT_VERSION);
  for (auto setup : turnpoint::cli::command_registry()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const turnpoint::invalid_input& e) {
    std::fprintf(stderr, "turnpoint: error: %s\n", e.what());
    fail_with(2);
  } catch (const turnpoint::hdf5_error& e) {
    std::fprintf(stderr, "turnpoint: HDF5 error: %s\n", e.what());
    fail_with(3);
  } catch (const turnpoint::cuda_error& e) {
    std::fprintf(stderr, "turnpoint: CUDA error: %s\n", e.what());
    fail_with(4);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "turnpoint: internal error: %s\n", e.what());
    fail_with(1);
  }
  return 0;
}
