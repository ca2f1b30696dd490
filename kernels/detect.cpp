// Backend selection: `auto` takes the GPU when the CUDA backend is compiled in and a
// device is usable, else the CPU; `cuda` without one is an error that says why.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "kernels/error.hpp"
#include "kernels/detect.hpp"
#include "kernels/series_prep.hpp"

namespace turnpoint {

Method auto_method(const DetectConfig& config, Backend backend) {
  const bool crops = config.crops_max >= 0.0 || config.crops_min >= 0.0;
  // FPOP pays for the mean cost without the MBIC term; with it, it is exact but slower than
  // PELT (kernels/fpop.hpp, bench/RESULTS.md).
  const bool fpop = config.cost == CostKind::mean && config.penalty.kind != PenaltyKind::mbic && !crops &&
                    backend != Backend::cuda;
  return fpop ? Method::fpop : Method::pelt;
}

DetectResult detect(const double* values, std::int64_t n_series, int n_time,
                    const std::int32_t* days, const DetectConfig& config, Backend backend) {
  TURNPOINT_EXPECTS(n_series >= 0 && n_time >= 0, "bad panel shape {} x {}", n_series, n_time);
  // FPOP has no CUDA path: its envelope of intervals is a serial, branchy list walk.
  TURNPOINT_EXPECTS(config.method != Method::fpop || backend != Backend::cuda,
                    "--method fpop runs on the CPU only (use --backend cpu or auto)");
  if (config.method == Method::fpop) return detail::detect_cpu(values, n_series, n_time, days, config);
#if defined(TURNPOINT_HAVE_CUDA)
  if (backend == Backend::cuda) {
    TURNPOINT_EXPECTS(detail::cuda_usable(), "--backend cuda: no usable CUDA device");
    return detail::detect_cuda(values, n_series, n_time, days, config);
  }
  if (backend == Backend::automatic && detail::cuda_usable())
    return detail::detect_cuda(values, n_series, n_time, days, config);
#else
  TURNPOINT_EXPECTS(backend != Backend::cuda,
                    "--backend cuda: this build of turnpoint has no CUDA backend "
                    "(configure with -DTURNPOINT_CUDA=ON where nvcc is installed)");
#endif
  return detail::detect_cpu(values, n_series, n_time, days, config);
}

namespace detail {

DetectResult detect_by_span(const double* values, std::int64_t n_series, int n_time,
                            const std::int32_t* days, const DetectConfig& config, const BackendFn& backend) {
  const std::vector<kernels::SpanGroup> groups = kernels::span_groups(values, n_series, n_time);
  if (groups.size() <= 1 && (groups.empty() || (groups[0].begin == 0 && groups[0].end == n_time)))
    return backend(values, n_series, n_time, days, config);
  DetectResult out;
  out.series.resize(static_cast<size_t>(n_series));
  for (const kernels::SpanGroup& g : groups) {
    const int n = g.end - g.begin;
    std::vector<double> x(g.series.size() * static_cast<size_t>(n));
    for (size_t j = 0; j < g.series.size(); ++j)
      std::copy_n(values + g.series[j] * n_time + g.begin, n, x.begin() + static_cast<long>(j * static_cast<size_t>(n)));
    DetectConfig cfg = config;
    if (!config.basis.dummies.empty()) {
      const size_t k = config.basis.dummy_names.size();
      cfg.basis.dummies.resize(k * static_cast<size_t>(n));
      for (size_t j = 0; j < k; ++j)
        std::copy_n(config.basis.dummies.begin() + static_cast<long>(j * static_cast<size_t>(n_time)) + g.begin, n,
                    cfg.basis.dummies.begin() + static_cast<long>(j * static_cast<size_t>(n)));
    }
    DetectResult part;
    try {
      part = backend(x.data(), static_cast<std::int64_t>(g.series.size()), n, days ? days + g.begin : nullptr, cfg);
    } catch (const invalid_input& e) {
      // Errors name the series by its row in the group: name its row in the panel.
      std::string msg = e.what();
      const std::string key = "series ";
      if (msg.rfind(key, 0) == 0) {
        const long row = std::strtol(msg.c_str() + key.size(), nullptr, 10);
        if (row >= 0 && static_cast<size_t>(row) < g.series.size()) {
          const size_t colon = msg.find(':');
          msg = fmt::format("series {}{}", g.series[static_cast<size_t>(row)],
                            colon == std::string::npos ? std::string() : msg.substr(colon));
        }
      }
      throw invalid_input(msg);
    }
    out.backend_used = part.backend_used;
    for (size_t j = 0; j < g.series.size(); ++j) {
      SeriesDetection r = std::move(part.series[j]);
      auto shift = [&](std::vector<int>& v) {
        for (int& c : v) c += g.begin;
      };
      shift(r.changes);
      for (auto& p : r.path) shift(p);
      for (auto& c : r.crops) shift(c.changes);
      out.series[static_cast<size_t>(g.series[j])] = std::move(r);
    }
  }
  return out;
}

}  // namespace detail

}  // namespace turnpoint
