#include "host/explain/confidence_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>

namespace turnpoint {
namespace {

struct Knot {
  double score;        // mean stability of an isotonic block
  double probability;  // fraction of its points that are true
};

struct Band {
  double z_lo;         // the band holds step z in [z_lo, next band's z_lo)
  const Knot* knots;   // ascending score, non-decreasing probability
  std::size_t n;
};

// kPooled, kSeasonal, kBands (ascending z_lo, the first at 0) and kSource.
#include "host/explain/confidence_calibration.inc"

double interpolate(const Knot* knots, std::size_t n, double s) {
  if (s <= knots[0].score) return knots[0].probability;
  for (std::size_t k = 1; k < n; ++k)
    if (s <= knots[k].score) {
      const Knot& a = knots[k - 1];
      const Knot& b = knots[k];
      const double f = b.score > a.score ? (s - a.score) / (b.score - a.score) : 1.0;
      return a.probability + f * (b.probability - a.probability);
    }
  return knots[n - 1].probability;
}

}  // namespace

double calibrated_confidence(double s, TurnKind kind, double step_z) {
  if (std::isnan(s)) return s;
  if (kind == TurnKind::seasonal) return interpolate(kSeasonal, std::size(kSeasonal), s);
  if (std::isnan(step_z)) return interpolate(kPooled, std::size(kPooled), s);
  std::size_t b = 0;
  while (b + 1 < std::size(kBands) && step_z >= kBands[b + 1].z_lo) ++b;
  return interpolate(kBands[b].knots, kBands[b].n, s);
}

namespace {
struct Logistic {
  double a, b, c;  // P = 1 / (1 + exp(-(a + b x + c u)))
};
// kPatternShapes (TurnShape order), kPatternPooled and kPatternSource.
#include "host/explain/pattern_calibration.inc"
}  // namespace

double pattern_confidence(double gain, double penalty, int interval_days, TurnShape shape) {
  if (!(gain > 0.0) || !(penalty > 0.0)) return std::nan("");
  const int k = static_cast<int>(shape);
  const Logistic& m = k >= 0 && k < static_cast<int>(std::size(kPatternShapes)) ? kPatternShapes[k]
                                                                                : kPatternPooled;
  const double x = std::log(gain / penalty);
  const double u = std::log(static_cast<double>(std::max(interval_days, 1)));
  return 1.0 / (1.0 + std::exp(-(m.a + m.b * x + m.c * u)));
}

const char* calibration_source(ExplainModel model) {
  return model == ExplainModel::pattern ? kPatternSource : kSource;
}

}  // namespace turnpoint
