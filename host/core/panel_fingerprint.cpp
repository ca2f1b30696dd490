#include "host/core/panel_fingerprint.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace turnpoint {

namespace {

struct Fnv1a {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ull;
    }
  }
  template <class T>
  void value(T v) {
    bytes(&v, sizeof v);
  }
};

}  // namespace

std::string panel_fingerprint(const Panel& panel) {
  Fnv1a f;
  f.value(static_cast<std::uint64_t>(panel.series_id.size()));
  f.value(static_cast<std::uint64_t>(panel.time.size()));
  for (std::int32_t d : panel.time) f.value(d);
  for (const std::string& id : panel.series_id) {
    f.value(static_cast<std::uint64_t>(id.size()));
    f.bytes(id.data(), id.size());
  }
  for (double v : panel.values) f.value(std::isnan(v) ? std::nan("") : v);
  return fmt::format("fnv1a64:{:016x}", f.h);
}

}  // namespace turnpoint
