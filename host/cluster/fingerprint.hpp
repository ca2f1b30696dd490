// A 64-bit FNV-1a digest: enough to tell that two part files came from different settings
// or a different panel (an accident, not an attack, is what merge guards against).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace turnpoint::cluster {

class Fingerprint {
 public:
  void add(const void* data, std::size_t bytes);
  // Strings with their length, so that ("ab","c") and ("a","bc") differ.
  void add(const std::string& s);
  template <class T>
  void add(const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    add(&n, sizeof n);
    add(v.data(), v.size() * sizeof(T));
  }
  std::string hex() const;  // 16 hex digits

 private:
  std::uint64_t h_ = 14695981039346656037ULL;
};

}  // namespace turnpoint::cluster
