#include "host/cluster/fingerprint.hpp"

#include <fmt/format.h>

namespace turnpoint::cluster {

void Fingerprint::add(const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t h = h_;
  for (std::size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  h_ = h;
}

void Fingerprint::add(const std::string& s) {
  const std::uint64_t n = s.size();
  add(&n, sizeof n);
  add(s.data(), s.size());
}

std::string Fingerprint::hex() const { return fmt::format("{:016x}", h_); }

}  // namespace turnpoint::cluster
