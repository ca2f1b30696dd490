// What the bindings share: the array types they accept (no conversion: the Python layer
// hands over C-contiguous float64 / int32 arrays, so a hidden copy cannot happen here), and
// numpy arrays made from std::vectors without copying them (the vector moves to the heap
// and a capsule frees it with the array).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

namespace turnpoint::python {

namespace nb = nanobind;

// values [series][time] (a 1-D series is reshaped to 1 x T by the Python layer).
using Values = nb::ndarray<const double, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
// ruptures' signal [n_samples][n_features].
using Signal = Values;
// The day axis: days since 1970-01-01.
using Days = nb::ndarray<const std::int32_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

template <class T>
using Column = nb::ndarray<nb::numpy, T, nb::ndim<1>>;

// A numpy array owning the vector's buffer (no copy).
template <class T>
nb::object to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  nb::capsule owner(heap, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  const size_t shape[1] = {heap->size()};
  return Column<T>(heap->data(), 1, shape, owner).cast();
}

// A numpy column of one field of every element of `rows` (a result-sized copy).
template <class T, class Row, class Get>
nb::object column(const std::vector<Row>& rows, Get get) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(static_cast<T>(get(r)));
  return to_numpy(std::move(out));
}

}  // namespace turnpoint::python
