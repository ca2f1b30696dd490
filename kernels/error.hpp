// Exceptions at the host boundary. TURNPOINT_EXPECTS(cond, fmt, args...) throws
// turnpoint::invalid_input with a message that names what was wrong and where.
#pragma once
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace turnpoint {

// Bad input: a file, row, column or series the user can fix. Exit code 2 in the CLI.
struct invalid_input : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// An HDF5 call failed; the message carries the HDF5 error stack.
struct hdf5_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A CUDA call failed; the message names the operation.
struct cuda_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace turnpoint

#define TURNPOINT_EXPECTS(cond, ...)                                               \
  do {                                                                             \
    if (!(cond)) throw ::turnpoint::invalid_input(fmt::format(__VA_ARGS__));       \
  } while (0)

#define TURNPOINT_FAIL(...) throw ::turnpoint::invalid_input(fmt::format(__VA_ARGS__))
