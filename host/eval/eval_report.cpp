#include "host/eval/eval_report.hpp"

#include <fmt/format.h>

namespace turnpoint {

nlohmann::json eval_to_json(const EvalSummary& s) {
  return {{"n_series", s.n_series},
          {"n_time", s.n_time},
          {"margin", s.margin},
          {"precision", s.precision},
          {"recall", s.recall},
          {"f1", s.f1},
          {"cover", s.cover},
          {"n_true", s.n_true},
          {"n_predicted", s.n_predicted},
          {"n_matched", s.n_matched},
          {"kind_accuracy", s.kind_accuracy()},
          {"kind_total", s.kind_total},
          {"kind_correct", s.kind_correct},
          {"kind_unclassified", s.kind_unclassified},
          {"location_error",
           {{"histogram_from", -s.margin},
            {"histogram", s.error_histogram},
            {"mean_abs", s.mean_abs_error},
            {"q1", s.q1_error},
            {"median", s.median_error},
            {"q3", s.q3_error}}}};
}

std::string eval_to_text(const EvalSummary& s) {
  std::string out = fmt::format(
      "series {}  days {}  margin {}\n"
      "precision {:.4f}  recall {:.4f}  F1 {:.4f}  cover {:.4f}   (means over series, TCPD)\n"
      "true {}  predicted {}  matched {}\n",
      s.n_series, s.n_time, s.margin, s.precision, s.recall, s.f1, s.cover, s.n_true,
      s.n_predicted, s.n_matched);
  if (s.kind_total > 0 || s.kind_unclassified > 0)
    out += fmt::format("kind accuracy {:.4f} ({} of {} classified matches; {} unclassified)\n",
                       s.kind_accuracy(), s.kind_correct, s.kind_total, s.kind_unclassified);
  out += fmt::format("location error (days, predicted - true): mean |e| {:.2f}, quartiles {:.1f} "
                     "/ {:.1f} / {:.1f}\n",
                     s.mean_abs_error, s.q1_error, s.median_error, s.q3_error);
  for (std::size_t k = 0; k < s.error_histogram.size(); ++k)
    out += fmt::format("  {:+3d} {}\n", static_cast<int>(k) - s.margin, s.error_histogram[k]);
  return out;
}

std::string sweep_table(const std::vector<Scenario>& scenarios,
                        const std::vector<EvalSummary>& results) {
  std::string out = fmt::format("{:>4} {:<8} {:<8} {:<8} {:>4} {:>4} {:>7} {:>7} {:>7} {:>7} {:>8}\n",
                                "#", "method", "cost", "penalty", "min", "maxk", "P", "R", "F1",
                                "cover", "|e|");
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const Scenario& s = scenarios[k];
    const EvalSummary& e = results[k];
    if (s.is_raw())
      out += fmt::format("{:>4} {:<8} {:<8} {:<8} {:>4} {:>4} {:>7.4f} {:>7.4f} {:>7.4f} {:>7.4f} {:>8.2f}\n",
                         k, s.method, s.cost, s.penalty, s.min_size, s.max_changes, e.precision,
                         e.recall, e.f1, e.cover, e.mean_abs_error);
    else  // the default pipeline: model, penalty scale, minimum confidence in the first columns
      out += fmt::format("{:>4} {:<8} {:<8} {:<8} {:>4} {:>4} {:>7.4f} {:>7.4f} {:>7.4f} {:>7.4f} {:>8.2f}\n",
                         k, s.model, fmt::format("x{:g}", s.penalty_scale), fmt::format("c{:g}", s.min_confidence),
                         "-", "-", e.precision, e.recall, e.f1, e.cover, e.mean_abs_error);
  }
  return out;
}

std::string sweep_svg(const std::vector<Scenario>& scenarios,
                      const std::vector<EvalSummary>& results) {
  const double w = 900, h = 420, left = 60, right = 20, top = 40, bottom = 120;
  const double pw = w - left - right, ph = h - top - bottom;
  const std::size_t n = scenarios.size();
  auto x = [&](std::size_t k) {
    return left + (n > 1 ? pw * static_cast<double>(k) / static_cast<double>(n - 1) : pw / 2);
  };
  auto y = [&](double v) { return top + ph * (1.0 - v); };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
      "font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{}\" y=\"20\" font-size=\"14\">F1 and cover per sweep scenario</text>\n",
      w, h, left);
  for (int g = 0; g <= 4; ++g) {
    const double v = g / 4.0;
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>"
                       "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:.2f}</text>\n",
                       left, left + pw, y(v), y(v), left - 6, y(v) + 4, v);
  }
  const char* colours[2] = {"#1f77b4", "#ff7f0e"};
  const char* names[2] = {"F1", "cover"};
  for (int m = 0; m < 2; ++m) {
    std::string pts;
    for (std::size_t k = 0; k < n; ++k)
      pts += fmt::format("{:.1f},{:.1f} ", x(k), y(m == 0 ? results[k].f1 : results[k].cover));
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n",
                       colours[m], pts);
    for (std::size_t k = 0; k < n; ++k)
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"/>\n", x(k),
                         y(m == 0 ? results[k].f1 : results[k].cover), colours[m]);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\n", left + pw - 100 + 50 * m,
                       top - 8, colours[m], names[m]);
  }
  const std::size_t step = n > 40 ? (n + 39) / 40 : 1;
  for (std::size_t k = 0; k < n; k += step) {
    const Scenario& s = scenarios[k];
    svg += fmt::format("<text transform=\"translate({:.1f},{}) rotate(60)\">{}</text>\n", x(k), top + ph + 8,
                       s.label());
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace turnpoint
