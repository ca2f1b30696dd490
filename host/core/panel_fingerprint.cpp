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

PanelFingerprint::PanelFingerprint(const Panel& header) {
  Fnv1a f;
  f.value(static_cast<std::uint64_t>(header.series_id.size()));
  f.value(static_cast<std::uint64_t>(header.time.size()));
  for (std::int32_t d : header.time) f.value(d);
  for (const std::string& id : header.series_id) {
    f.value(static_cast<std::uint64_t>(id.size()));
    f.bytes(id.data(), id.size());
  }
  h_ = f.h;
}

void PanelFingerprint::add_values(const double* values, std::size_t count) {
  Fnv1a f;
  f.h = h_;
  for (std::size_t i = 0; i < count; ++i) f.value(std::isnan(values[i]) ? std::nan("") : values[i]);
  h_ = f.h;
}

std::string PanelFingerprint::hex() const { return fmt::format("fnv1a64:{:016x}", h_); }

std::string panel_fingerprint(const Panel& panel) {
  PanelFingerprint f(panel);
  f.add_values(panel.values.data(), panel.values.size());
  return f.hex();
}

}  // namespace turnpoint
