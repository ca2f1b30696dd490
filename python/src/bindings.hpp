// The parts of the extension module turnpoint._turnpoint, one file each (python/src/).
#pragma once
#include <nanobind/nanobind.h>

namespace turnpoint::python {

void bind_detect(nanobind::module_& m);   // detect_bindings.cpp: raw solvers and models
void bind_io(nanobind::module_& m);       // io_bindings.cpp: series.h5, detections.h5
void bind_report(nanobind::module_& m);   // report_bindings.cpp: catalogue, join, reports
void bind_ruptures(nanobind::module_& m); // ruptures_bindings.cpp: ruptures' search grid

}  // namespace turnpoint::python
