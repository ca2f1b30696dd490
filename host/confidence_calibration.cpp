#include "host/confidence_calibration.hpp"

#include <cmath>
#include <iterator>

namespace turnpoint {
namespace {

struct Knot {
  double score;        // mean stability of an isotonic block
  double probability;  // fraction of its points that are true
};

// kKnots (ascending score, non-decreasing probability) and kSource.
#include "host/confidence_calibration.inc"

}  // namespace

double calibrated_confidence(double s) {
  if (std::isnan(s)) return s;
  constexpr size_t n = std::size(kKnots);
  if (s <= kKnots[0].score) return kKnots[0].probability;
  if (s >= kKnots[n - 1].score) return kKnots[n - 1].probability;
  for (size_t k = 1; k < n; ++k)
    if (s <= kKnots[k].score) {
      const Knot& a = kKnots[k - 1];
      const Knot& b = kKnots[k];
      const double f = b.score > a.score ? (s - a.score) / (b.score - a.score) : 1.0;
      return a.probability + f * (b.probability - a.probability);
    }
  return kKnots[n - 1].probability;
}

const char* calibration_source() { return kSource; }

}  // namespace turnpoint
