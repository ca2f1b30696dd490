// turnpoint._turnpoint: the C++ engine for Python (docs/python.md). The Python package
// (python/turnpoint/) checks and converts its arguments and calls these functions; errors
// keep turnpoint's message: bad input -> InvalidInput (a ValueError), an HDF5 failure ->
// HDF5Error (an OSError), a CUDA failure -> CUDAError (a RuntimeError).
#include <nanobind/nanobind.h>

#include "kernels/error.hpp"
#include "python/src/bindings.hpp"

NB_MODULE(_turnpoint, m) {
  namespace nb = nanobind;
  m.doc() = "turnpoint's C++ engine (use the turnpoint package, not this module)";
  nb::exception<turnpoint::invalid_input>(m, "InvalidInput", PyExc_ValueError);
  nb::exception<turnpoint::hdf5_error>(m, "HDF5Error", PyExc_OSError);
  nb::exception<turnpoint::cuda_error>(m, "CUDAError", PyExc_RuntimeError);
  m.attr("version") = TURNPOINT_VERSION;
#if defined(TURNPOINT_HAVE_CUDA)
  m.attr("cuda_built") = true;
#else
  m.attr("cuda_built") = false;
#endif
  turnpoint::python::bind_detect(m);
  turnpoint::python::bind_io(m);
  turnpoint::python::bind_report(m);
  turnpoint::python::bind_ruptures(m);
}
