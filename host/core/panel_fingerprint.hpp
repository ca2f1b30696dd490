// A fingerprint of a panel's content (series ids, day axis, every value), stored with what
// is computed from it -- detections.h5 (attribute input_fingerprint), the sweep journal --
// so that a result is never combined with a different panel that only has the same name,
// size or shape (a resumed sweep on a replaced input, `eval --truth` with another panel).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/core/panel.hpp"

namespace turnpoint {

// "fnv1a64:" and 16 hex digits: FNV-1a over the series count, the days, the series ids
// (length-prefixed) and the values' bit patterns (every NaN counted as one pattern). Not a
// cryptographic hash: it tells accidents apart, not forgeries.
std::string panel_fingerprint(const Panel& panel);

// The same fingerprint built chunk by chunk (a panel read in blocks of series): the header's
// axis and ids first, then every block's values in row order.
class PanelFingerprint {
 public:
  explicit PanelFingerprint(const Panel& header);
  void add_values(const double* values, std::size_t count);
  std::string hex() const;

 private:
  std::uint64_t h_;
};

}  // namespace turnpoint
