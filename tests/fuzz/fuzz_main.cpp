// The libFuzzer entry of one target of tests/fuzz/fuzz_targets.hpp, compiled once per target
// with -DTURNPOINT_FUZZ_TARGET=<name> (tests/fuzz/CMakeLists.txt, -DTURNPOINT_FUZZ=ON).
// A `finding` (an undocumented exception) aborts, so libFuzzer saves the input as a crash.
#include <cstdio>
#include <cstdlib>

#include "host/io/hdf5.hpp"
#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  turnpoint::h5::silence_errors();  // HDF5 would print its error stack for every bad file
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    turnpoint::fuzz::TURNPOINT_FUZZ_TARGET(data, size);
  } catch (const turnpoint::fuzz::finding& e) {
    std::fprintf(stderr, "turnpoint fuzz finding: %s\n", e.what());
    std::abort();
  }
  return 0;
}
